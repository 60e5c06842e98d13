"""A station's dated life: which stations, which stationmaster and which agreement were in force on a day.

Every view computed for a period or an `--as-of` day (reports, checklist, fees, roster, documents) asks
this module, so a report regenerated later shows what was true then: a station listed after the day is
not there yet, a closed one is gone, and a stationmaster who has since been replaced (合作协议第三条：
甲方有权更换合作者) is shown with the agreement and training that were theirs.

The station file keeps the stationmaster in office under `stationmaster` (with `from`, the day they took
office, once they replaced someone), their agreement under `agreement` and their training under
`training`; each earlier stationmaster is an entry of `former_stationmasters` (oldest first) with the
same three keys, as the station file held them then, plus `from`/`to` (first and last day in office)
and the `reason` for the change. A station stops operating on `closed` (the first day it no longer
serves; `closure` says why and when notice was given) and pauses during each `suspensions` entry
(`from` to `to`, both days included). `docs/data.md` documents every key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from yjstation.foundation.records import as_date, as_dict, as_list, dig, month_bounds
from yjstation.foundation.sourcemap import DataPath

# What belongs to one stationmaster's tenure: it moves into former_stationmasters when they are replaced.
TENURE_KEYS = ("stationmaster", "agreement", "training")


def opened_on(station: dict[str, Any]) -> date | None:
    """A station starts operating when fit-out is done: the plan opens services "装修改造完成后"."""
    return as_date(dig(station, ("rollout", "fit_out", "done")))


def closed_on(station: dict[str, Any]) -> date | None:
    """The first day the station no longer operates, or None while it still does."""
    return as_date(station.get("closed"))


def listed_on(station: dict[str, Any]) -> date | None:
    """The day the station entered the county's records: the earliest of `listed` (written by `station
    new`) and the dates of its rollout, applications and agreements, so a file made late for a station
    whose rollout began earlier still counts from then. None when the file holds no date at all (a
    station on the plan's map that nothing has happened to yet): it is then taken to have been there
    all along."""
    dates = [as_date(station.get("listed"))]
    dates += [as_date(as_dict(step).get("done")) for step in as_dict(station.get("rollout")).values()]
    for held in (*map(as_dict, as_list(station.get("former_stationmasters"))), station):
        dates.append(as_date(dig(held, ("stationmaster", "application", "submitted"))))
        dates.append(as_date(dig(held, ("agreement", "signed"))))
    return min((d for d in dates if d is not None), default=None)


def station_in_force(station: dict[str, Any], day: date) -> bool:
    """Whether the station belongs to the network on `day`: listed by then and not yet closed."""
    listed, closed = listed_on(station), closed_on(station)
    return (listed is None or listed <= day) and (closed is None or day < closed)


def suspended_on(station: dict[str, Any], day: date) -> dict[str, Any] | None:
    """The suspension the station is in on `day`, if any."""
    for entry in map(as_dict, as_list(station.get("suspensions"))):
        first, last = as_date(entry.get("from")), as_date(entry.get("to"))
        if first is not None and first <= day and (last is None or day <= last):
            return entry
    return None


def is_operating(station: dict[str, Any], on: date) -> bool:
    """Serving villagers on `on`: fitted out, not closed and not suspended."""
    opened, closed = opened_on(station), closed_on(station)
    return opened is not None and opened <= on and (closed is None or on < closed) and suspended_on(station, on) is None


def operates_during(station: dict[str, Any], first: date, last: date) -> bool:
    """True when the station operated on any day from `first` to `last`."""
    opened, closed = opened_on(station), closed_on(station)
    if opened is None or opened > last or (closed is not None and closed <= first):
        return False
    start, end = max(first, opened), min(last, closed - timedelta(days=1)) if closed else last
    return not _suspended_all(station, start, end)


def _suspended_all(station: dict[str, Any], start: date, end: date) -> bool:
    """Whether suspensions cover every day from `start` to `end` (they may follow one another)."""
    spans = []
    for entry in map(as_dict, as_list(station.get("suspensions"))):
        first = as_date(entry.get("from"))
        if first is not None:
            spans.append((first, as_date(entry.get("to"))))
    day = start
    for first, last in sorted(spans, key=lambda span: span[0]):
        if first > day:
            return False
        if last is None:
            return True
        day = max(day, last + timedelta(days=1))
        if day > end:
            return True
    return False


def serving_in(station: dict[str, Any], month: str) -> bool:
    """Whether the station served on any day of `month` (YYYY-MM): it owes that month's figures."""
    bounds = month_bounds(month)
    return bounds is not None and operates_during(station, *bounds)


@dataclass(frozen=True)
class Tenure:
    """One stationmaster's time at the station: the person's fields, the first and last day in office
    (None when unknown or still in office), why it ended, and where it is written in the file."""

    person: dict[str, Any]
    first: date | None
    last: date | None
    reason: str | None
    agreement: dict[str, Any] | None
    training: list[Any]
    index: int | None  # position in former_stationmasters; None for the stationmaster in office


def tenures(station: dict[str, Any]) -> list[Tenure]:
    """Every stationmaster the station has had, oldest first, the one in office last."""
    out = []
    held = [(i, e) for i, e in enumerate(map(as_dict, as_list(station.get("former_stationmasters"))))]
    for index, entry in [*held, (None, station)]:
        person, agreement = entry.get("stationmaster"), entry.get("agreement")
        if not isinstance(person, dict):
            continue
        out.append(
            Tenure(
                person,
                as_date((entry if index is not None else person).get("from")),
                as_date(entry.get("to")) if index is not None else None,
                entry.get("reason") if index is not None and isinstance(entry.get("reason"), str) else None,
                agreement if isinstance(agreement, dict) else None,
                as_list(entry.get("training")),
                index,
            )
        )
    return out


def tenure_on(station: dict[str, Any], day: date) -> Tenure | None:
    """The stationmaster in office on `day`: the first whose last day is not before it (the earliest one
    also covers the days before it took office, when the application and rollout were under way)."""
    every = tenures(station)
    return next((t for t in every if t.last is None or day <= t.last), every[-1] if every else None)


def master_on(station: dict[str, Any], day: date) -> dict[str, Any] | None:
    """The stationmaster's fields (name, ID and phone numbers, application...) on `day`."""
    tenure = tenure_on(station, day)
    return tenure.person if tenure is not None else None


def agreement_on(station: dict[str, Any], day: date) -> dict[str, Any] | None:
    """The agreement (with its renewals) of the stationmaster in office on `day`."""
    tenure = tenure_on(station, day)
    return tenure.agreement if tenure is not None else None


def agreement_end(station: dict[str, Any], on: date) -> date | None:
    """The end of the agreement in force on `on`: the original end, extended by renewals signed by then."""
    agreement = as_dict(agreement_on(station, on))
    end = as_date(agreement.get("end"))
    for renewal in as_list(agreement.get("renewals")):
        signed, renewed_end = as_date(dig(renewal, ("signed",))), as_date(dig(renewal, ("end",)))
        if signed is not None and renewed_end is not None and signed <= on and (end is None or renewed_end > end):
            end = renewed_end
    return end


def station_on(station: dict[str, Any], day: date) -> dict[str, Any]:
    """The station as it stood on `day`: its `stationmaster`, `agreement` and `training` those of the
    stationmaster then in office, and no `former_stationmasters`. A station that never changed hands is
    returned as it is, so views of it cost nothing and print exactly what they printed before."""
    if not as_list(station.get("former_stationmasters")):
        return station
    tenure = tenure_on(station, day)
    view = {k: v for k, v in station.items() if k not in ("former_stationmasters", "agreement", "training")}
    if tenure is None:
        return view
    view["stationmaster"] = tenure.person
    if tenure.agreement is not None:
        view["agreement"] = tenure.agreement
    if tenure.training:
        view["training"] = tenure.training
    return view


def source_path(station: dict[str, Any], day: date, path: DataPath) -> DataPath:
    """Where a value of `station_on(station, day)` at `path` is written in the station file: a former
    stationmaster's fields, agreement and training live in their former_stationmasters entry."""
    tenure = tenure_on(station, day)
    if tenure is None or tenure.index is None or not path or path[0] not in TENURE_KEYS:
        return path
    return ("former_stationmasters", tenure.index, *path)
