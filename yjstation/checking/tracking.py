"""Which inputs a rule read: a `Context` that records attribute reads, for the cache's keys.

Most of the context derives from the county, policy and schema files, which key every cached result
anyway; `as_of`, the station files and the operations files are *volatile* inputs that only some
rules read. Keying each file's findings by the volatile inputs its rules actually read means a station
edit re-checks only records whose rules look stations up, and a new day only date-dependent rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from yjstation.checking.rules import Context
from yjstation.loading.loader import Document

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
_VOLATILE_READS = {
    "as_of": ("as_of",),
    "stations": ("stations",),
    "stations_by_id": ("stations",),
    "operations": ("operations",),
}


def volatile(reads: set[str]) -> str:
    """The volatile inputs behind a set of context reads, as a stable comma-separated string."""
    out: set[str] = set()
    for name in reads - CONFIG_READS:
        out.update(_VOLATILE_READS.get(name, VOLATILE))
    return ",".join(sorted(out))


class TrackedContext(Context):
    """A `Context` that records which attributes are read, and builds `stations` and `operations` (lists
    of documents) only when a rule first reads them."""

    def track(self, pending: dict[str, Callable[[], list[Document]]]) -> TrackedContext:
        object.__setattr__(self, "_reads", set())
        object.__setattr__(self, "_pending", pending)
        return self

    def reset(self) -> set[str]:
        """The attributes read since the last reset."""
        reads: set[str] = object.__getattribute__(self, "_reads")
        object.__setattr__(self, "_reads", set())
        return reads

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_") and name not in ("track", "reset"):
            get = object.__getattribute__
            get(self, "_reads").add(name)
            pending = get(self, "_pending")
            if name in pending:
                object.__setattr__(self, name, pending.pop(name)())
        return super().__getattribute__(name)
