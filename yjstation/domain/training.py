"""The stationmaster training plan (two phases of modules and minutes) and each stationmaster's progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from yjstation.foundation.records import as_date, as_dict, as_list, as_str


@dataclass(frozen=True)
class Module:
    id: str
    name: str
    minutes: int
    phase: int


@dataclass(frozen=True)
class Phase:
    phase: int
    name: str
    start: date | None
    end: date | None
    modules: tuple[Module, ...]

    @property
    def minutes(self) -> int:
        return sum(m.minutes for m in self.modules)


@dataclass(frozen=True)
class TrainingPlan:
    phases: tuple[Phase, ...]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> TrainingPlan:
        phases = []
        for raw in map(as_dict, as_list(data.get("phases"))):
            number = raw.get("phase")
            if not isinstance(number, int):
                continue
            modules = tuple(
                Module(str(m["id"]), str(m.get("name", m["id"])), int(m["minutes"]), number)
                for m in map(as_dict, as_list(raw.get("modules")))
                if isinstance(m.get("id"), str) and isinstance(m.get("minutes"), int)
            )
            phases.append(
                Phase(number, str(raw.get("name", number)), as_date(raw.get("from")), as_date(raw.get("to")), modules)
            )
        return cls(tuple(sorted(phases, key=lambda p: p.phase)))

    def module(self, module_id: str) -> Module | None:
        return next((m for p in self.phases for m in p.modules if m.id == module_id), None)

    def phase(self, number: int) -> Phase | None:
        return next((p for p in self.phases if p.phase == number), None)


@dataclass(frozen=True)
class PhaseProgress:
    phase: Phase
    attended: int  # minutes, each module counted once and at most its planned minutes
    missing: tuple[Module, ...]

    @property
    def complete(self) -> bool:
        return not self.missing


def progress(station: dict[str, Any], plan: TrainingPlan, until: date) -> list[PhaseProgress]:
    """Minutes attended per phase by `until`, against the plan; repeated modules count once."""
    seen: dict[str, int] = {}
    for record in map(as_dict, as_list(station.get("training"))):
        when, module_id, minutes = as_date(record.get("date")), as_str(record.get("module")), record.get("minutes")
        if when is None or when > until or module_id is None or not isinstance(minutes, int):
            continue
        seen[module_id] = seen.get(module_id, 0) + minutes
    result = []
    for phase in plan.phases:
        attended = sum(min(seen.get(m.id, 0), m.minutes) for m in phase.modules)
        missing = tuple(m for m in phase.modules if seen.get(m.id, 0) < m.minutes)
        result.append(PhaseProgress(phase, attended, missing))
    return result
