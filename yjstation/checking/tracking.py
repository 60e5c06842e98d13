"""Which inputs a rule read: a `Context` that records attribute reads, for the cache's keys.

Most of the context derives from the county, policy and schema files, which key every cached result
anyway; `as_of`, the station files and the operations files are *volatile* inputs that only some
rules read. Keying each file's findings by the volatile inputs its rules actually read means a station
edit re-checks only records whose rules look that station up, and a new day only date-dependent rules.

Station lookups are tracked one id at a time: `stations_by_id` hands rules a mapping that notes each
id looked up (`station:<id in hex>`: the findings depend on the file filed under that id, or on there
being none), whether any station exists at all (`stations-exist`), and a walk over the ids
(`station-ids`); reading the stations' data wholesale (`values()`, `items()`) is reading `stations`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from yjstation.checking.reads import CONFIG_READS, STATION_IDS, STATIONS_EXIST, one_station, volatile
from yjstation.checking.rules import Context
from yjstation.loading.loader import Document

__all__ = ["CONFIG_READS", "TrackedContext", "TrackedStations", "volatile"]


class TrackedStations(Mapping[str, Any]):
    """`Context.stations_by_id` as rules see it under tracking: the same mapping, noting what is read."""

    def __init__(self, ctx: TrackedContext, by_id: dict[str, Any]) -> None:
        self._ctx, self._by_id = ctx, by_id

    def _note(self, name: str) -> None:
        object.__getattribute__(self._ctx, "_reads").add(name)

    def _one(self, key: object) -> None:
        self._note(one_station(key) if isinstance(key, str) else "stations")

    def __getitem__(self, key: str) -> Any:
        self._one(key)
        return self._by_id[key]

    def get(self, key: str, default: Any = None) -> Any:
        self._one(key)
        return self._by_id.get(key, default)

    def __contains__(self, key: object) -> bool:
        self._one(key)
        return key in self._by_id

    def __bool__(self) -> bool:
        self._note(STATIONS_EXIST)
        return bool(self._by_id)

    def __len__(self) -> int:
        self._note(STATION_IDS)
        return len(self._by_id)

    def __iter__(self) -> Iterator[str]:
        self._note(STATION_IDS)
        return iter(self._by_id)

    def keys(self) -> Any:
        self._note(STATION_IDS)
        return self._by_id.keys()

    def values(self) -> Any:
        self._note("stations")
        return self._by_id.values()

    def items(self) -> Any:
        self._note("stations")
        return self._by_id.items()

    def __eq__(self, other: object) -> bool:
        self._note("stations")
        return self._by_id == other

    __hash__ = None  # type: ignore[assignment]


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
            if name == "stations_by_id":
                return get(self, "_stations_by_id")()
            get(self, "_reads").add(name)
            pending = get(self, "_pending")
            if name in pending:
                object.__setattr__(self, name, pending.pop(name)())
        return super().__getattribute__(name)

    def _stations_by_id(self) -> TrackedStations:
        get = object.__getattribute__
        tracked: TrackedStations | None = get(self, "__dict__").get("_tracked_by_id")
        if tracked is None:
            reads = get(self, "_reads")
            object.__setattr__(self, "_reads", set())  # building the mapping reads every station: not the rule
            try:
                by_id = Context.__dict__["stations_by_id"].func(self)
            finally:
                object.__setattr__(self, "_reads", reads)
            tracked = TrackedStations(self, by_id)
            object.__setattr__(self, "_tracked_by_id", tracked)
        return tracked
