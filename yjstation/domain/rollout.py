"""The eight-step rollout: the policy's steps and evidence, and where each station stands in them.

Pure computations over loaded records and the policy in data/policy/rollout.yaml; `validate` rules and
the `checklist` command both read a station's progress from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from yjstation.domain.history import station_on
from yjstation.foundation.records import as_date, as_dict, as_list, dig, is_present, split_path
from yjstation.foundation.sourcemap import DataPath

Status = Literal["done", "in_progress", "todo"]
DEFAULT_STALL_DAYS = 60


@dataclass(frozen=True)
class Evidence:
    key: str
    label: str
    path: DataPath
    check: str  # present | true | date

    def satisfied_by(self, station: dict[str, Any]) -> bool:
        value = dig(station, self.path)
        if self.check == "true":
            return value is True
        if self.check == "date":
            return as_date(value) is not None
        return is_present(value)


@dataclass(frozen=True)
class RolloutStep:
    key: str
    name: str
    order: int
    wording: str
    evidence: tuple[Evidence, ...]
    stall_after_days: int


@dataclass(frozen=True)
class RolloutPolicy:
    steps: tuple[RolloutStep, ...]
    stall_after_days: int

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> RolloutPolicy:
        """Build from data/policy/rollout.yaml as loaded; malformed entries are skipped (the schema
        reports them)."""
        default = data.get("stall_after_days")
        default = default if isinstance(default, int) and not isinstance(default, bool) else DEFAULT_STALL_DAYS
        steps: list[RolloutStep] = []
        for raw in as_list(data.get("steps")):
            raw = as_dict(raw)
            if not isinstance(raw.get("key"), str):
                continue
            evidence = tuple(
                Evidence(
                    str(e["key"]),
                    str(e.get("label", e["key"])),
                    split_path(str(e["path"])),
                    str(e.get("check", "present")),
                )
                for e in map(as_dict, as_list(raw.get("evidence")))
                if isinstance(e.get("key"), str) and isinstance(e.get("path"), str)
            )
            stall = raw.get("stall_after_days")
            steps.append(
                RolloutStep(
                    key=raw["key"],
                    name=str(raw.get("name", raw["key"])),
                    order=raw["order"] if isinstance(raw.get("order"), int) else len(steps) + 1,
                    wording=str(raw.get("wording", "")),
                    evidence=evidence,
                    stall_after_days=stall if isinstance(stall, int) and not isinstance(stall, bool) else default,
                )
            )
        steps.sort(key=lambda s: s.order)
        return cls(tuple(steps), default)

    def step(self, key: str) -> RolloutStep | None:
        return next((s for s in self.steps if s.key == key), None)


@dataclass(frozen=True)
class StepState:
    step: RolloutStep
    status: Status
    done: date | None
    missing: tuple[Evidence, ...]


@dataclass(frozen=True)
class Progress:
    """Where one station stands: every step's state, the first step not done, and for how long."""

    steps: tuple[StepState, ...]
    current: RolloutStep | None  # None once every step is done
    since: date | None  # when the station reached its current step
    days_in_step: int | None
    stalled: bool


def step_states(station: dict[str, Any], policy: RolloutPolicy, until: date | None = None) -> tuple[StepState, ...]:
    """Each step's status: `done` (a done date and all evidence), `in_progress` (some evidence, or a
    done date with evidence missing) or `todo`. With `until`, a step done after that day is not done
    yet: the view is the one the county had on that day."""
    states = []
    for step in policy.steps:
        record = as_dict(dig(station, ("rollout", step.key)))
        done = as_date(record.get("done"))
        if done is not None and until is not None and done > until:
            done = None
        # Evidence as it stood when the step was done: the agreement of the stationmaster then in office.
        then = station_on(station, done) if done is not None else station
        missing = tuple(e for e in step.evidence if not e.satisfied_by(then))
        if done is not None and not missing:
            status: Status = "done"
        elif done is not None or len(missing) < len(step.evidence):
            status = "in_progress"
        else:
            status = "todo"
        states.append(StepState(step, status, done if status == "done" else None, missing))
    return tuple(states)


def progress(station: dict[str, Any], policy: RolloutPolicy, as_of: date) -> Progress:
    states = step_states(station, policy, as_of)
    current_index = next((i for i, s in enumerate(states) if s.status != "done"), None)
    if current_index is None:
        last = max((s.done for s in states if s.done), default=None)
        return Progress(states, None, last, None, False)
    current = states[current_index].step
    since = states[current_index - 1].done if current_index > 0 else None
    days = (as_of - since).days if since is not None else None
    stalled = days is not None and days > current.stall_after_days
    return Progress(states, current, since, days, stalled)
