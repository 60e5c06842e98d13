"""The records a report reads, loaded once: stations, monthly records by month, county and policies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

from yjstation.domain.county import Township
from yjstation.domain.events import Event, event_from
from yjstation.domain.history import station_in_force, station_on
from yjstation.domain.policy import PolicyViews
from yjstation.foundation.records import as_dict, as_str
from yjstation.loading.repository import Repository


@dataclass
class ReportData(PolicyViews):
    """Stations (narrowed to one township when asked) and their monthly records, as plain data."""

    county: dict[str, Any]
    policy: dict[str, dict[str, Any]]
    stations: dict[str, dict[str, Any]] = field(default_factory=dict)
    operations: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))
    files: dict[tuple[str, str], tuple[str, Any]] = field(default_factory=dict)  # (month, station) -> (file, doc)
    township: str | None = None
    events: list[Event] = field(default_factory=list)  # promotions and selections, in date order

    @classmethod
    def load(cls, repo: Repository, township: str | None = None) -> ReportData:
        county = as_dict(repo.county.data) if repo.county else {}
        policy = {kind: as_dict(doc.data) for kind, doc in repo.policy.items()}
        data = cls(county, policy, township=township)
        for doc in repo.stations:
            station = as_dict(doc.data)
            sid = as_str(station.get("id"))
            if sid and (township is None or station.get("township") == township):
                data.stations[sid] = station
        for doc in repo.operations:
            record = as_dict(doc.data)
            sid, month = as_str(record.get("station")), as_str(record.get("month"))
            if sid in data.stations and month:
                data.operations[month][sid] = record
                data.files[(month, sid)] = (doc.file, doc)
        found = (event_from(doc.data, doc.file) for doc in repo.events)
        data.events = sorted((e for e in found if e is not None), key=lambda e: (e.day, e.id))
        return data

    def on(self, day: date) -> ReportData:
        """The stations in force on `day`, each as it stood then (its stationmaster and agreement of
        that day): what a report for a period ending on `day` counts, however the files changed since."""
        stations = {sid: station_on(s, day) for sid, s in self.stations.items() if station_in_force(s, day)}
        return replace(self, stations=stations)

    def only(self, ids: Iterable[str]) -> ReportData:
        """The same data narrowed to the stations `ids` (those that reported, for a ranking)."""
        wanted = set(ids)
        return replace(self, stations={sid: s for sid, s in self.stations.items() if sid in wanted})

    @cached_property
    def townships(self) -> list[Township]:
        """The townships in county order, narrowed to the chosen one."""
        return [t for t in self.county_view.townships if self.township is None or t.id == self.township]

    def township_name(self, tid: str) -> str:
        return next((t.name for t in self.townships if t.id == tid), tid)

    @property
    def county_name(self) -> str:
        return self.county_view.name
