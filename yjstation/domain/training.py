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
    before_service: bool = False  # 三（六）6.3: the skills a stationmaster must have before serving villagers

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
                Phase(
                    number,
                    str(raw.get("name", number)),
                    as_date(raw.get("from")),
                    as_date(raw.get("to")),
                    modules,
                    raw.get("before_service") is True,
                )
            )
        return cls(tuple(sorted(phases, key=lambda p: p.phase)))

    def module(self, module_id: str) -> Module | None:
        return next((m for p in self.phases for m in p.modules if m.id == module_id), None)

    def phase(self, number: int) -> Phase | None:
        return next((p for p in self.phases if p.phase == number), None)

    @property
    def before_service(self) -> tuple[Phase, ...]:
        """The phases a stationmaster must complete before serving villagers."""
        return tuple(p for p in self.phases if p.before_service)


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


@dataclass(frozen=True)
class Readiness:
    """Whether a stationmaster had the skills to serve on a day (三（六）6.3), and since when."""

    ready: bool
    since: date | None  # the day the last required module was completed, when ready
    missing: tuple[Module, ...]
    deadline: date | None  # the last day of the required phases: serving untrained after it is an error


def readiness(station: dict[str, Any], plan: TrainingPlan, on: date) -> Readiness | None:
    """The stationmaster's readiness to serve on `on`: every module of the before-service phases attended
    in full by that day. None when the plan names no such phase."""
    phases = plan.before_service
    if not phases:
        return None
    attended: dict[str, list[tuple[date, int]]] = {}
    for record in map(as_dict, as_list(station.get("training"))):
        when, module_id, minutes = as_date(record.get("date")), as_str(record.get("module")), record.get("minutes")
        if when is not None and when <= on and module_id is not None and isinstance(minutes, int):
            attended.setdefault(module_id, []).append((when, minutes))
    done_on: list[date] = []
    missing = []
    for module in (m for p in phases for m in p.modules):
        total, reached = 0, None
        for when, minutes in sorted(attended.get(module.id, [])):
            total += minutes
            if total >= module.minutes:
                reached = when
                break
        if reached is None:
            missing.append(module)
        else:
            done_on.append(reached)
    ends = [p.end for p in phases if p.end is not None]
    deadline = max(ends) if ends else None
    if missing:
        return Readiness(False, None, tuple(missing), deadline)
    return Readiness(True, max(done_on, default=None), (), deadline)
