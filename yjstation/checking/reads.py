"""The names of the inputs a file's rule findings can depend on besides the file itself, as the cache
keys them (see `tracking`, which records them, and `engine`, which keys by them). Kept apart from
`tracking` so that a run served by the cache can compute keys without loading the rules."""

from __future__ import annotations

# Context attributes derived only from county.yaml, the policy files and the schemas (all of which key
# every cached result), or scratch space for one file (`fee_rows`). Reading any other attribute makes
# the findings depend on a volatile input; an attribute not named here depends on all of them, so a
# new Context field can make the cache slower but never wrong.
CONFIG_READS = frozenset(
    {
        "schemas",
        "county",
        "policy",
        "county_doc",
        "policy_docs",
        "fee_rows",
        "rollout",
        "fee_schedules",
        "townships",
        "county_view",
        "training",
        "reporting",
        "label",
        "events",  # event files key every cached result, as the county and policy files do
    }
)
VOLATILE = ("as_of", "operations", "stations")
STATION_IDS = "station-ids"
STATIONS_EXIST = "stations-exist"
_VOLATILE_READS = {
    "as_of": ("as_of",),
    "stations": ("stations",),
    "stations_by_id": ("stations",),
    "operations": ("operations",),
    STATION_IDS: (STATION_IDS,),
    STATIONS_EXIST: (STATIONS_EXIST,),
}
ONE_STATION = "station:"  # + the id's UTF-8 in hex (so no id can contain the separator)


def volatile(reads: set[str]) -> str:
    """The volatile inputs behind a set of context reads, as a stable comma-separated string."""
    out: set[str] = set()
    for name in reads - CONFIG_READS:
        if name.startswith(ONE_STATION):
            out.add(name)
        else:
            out.update(_VOLATILE_READS.get(name, VOLATILE))
    if "stations" in out:  # everything about the stations: the finer reads add nothing
        out = {name for name in out if not name.startswith(ONE_STATION)} - {STATION_IDS, STATIONS_EXIST}
    return ",".join(sorted(out))


def one_station(station_id: str) -> str:
    return ONE_STATION + station_id.encode("utf-8").hex()
