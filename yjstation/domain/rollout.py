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
class Requirement:
    """What an evidence item (or a part of it) must contain: at least `min_items` entries when it is a
    list, and every one of `fields` filled in, in each entry or in the mapping itself."""

    path: DataPath  # relative to the evidence item; () is the item itself
    label: str
    min_items: int | None
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Gap:
    """Where an evidence item falls short of a requirement: too few entries, or fields left empty."""

    path: DataPath  # in the station file
    label: str
    have: int | None = None  # entries present, when there are too few
    need: int | None = None
    missing: tuple[str, ...] = ()  # fields left empty at `path`


@dataclass(frozen=True)
class Evidence:
    key: str
    label: str
    path: DataPath
    check: str  # present | true | date
    requires: tuple[Requirement, ...] = ()

    def present(self, station: dict[str, Any]) -> bool:
        """The item is there at all (its basic check)."""
        value = dig(station, self.path)
        if self.check == "true":
            return value is True
        if self.check == "date":
            return as_date(value) is not None
        return is_present(value)

    def gaps(self, station: dict[str, Any]) -> list[Gap]:
        """What the item lacks of the content the plan asks of it (empty when it is complete or absent)."""
        if not self.present(station):
            return []
        found: list[Gap] = []
        for need in self.requires:
            where = (*self.path, *need.path)
            value = dig(station, where)
            entries = value if isinstance(value, list) else None
            if need.min_items is not None and (entries is None or len(entries) < need.min_items):
                found.append(Gap(where, need.label, len(entries or []), need.min_items))
            located: list[tuple[DataPath, Any]] = (
                [((*where, i), entry) for i, entry in enumerate(entries)] if entries is not None else [(where, value)]
            )
            for at, entry in located:
                missing = tuple(f for f in need.fields if not is_present(dig(entry, (f,))))
                if missing:
                    found.append(Gap(at, need.label, missing=missing))
        return found

    def satisfied_by(self, station: dict[str, Any]) -> bool:
        return self.present(station) and not self.gaps(station)


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
                    _requirements(e.get("requires"), str(e.get("label", e["key"]))),
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


def _requirements(raw: Any, label: str) -> tuple[Requirement, ...]:
    found = []
    for item in map(as_dict, as_list(raw)):
        path = item.get("path")
        count = item.get("min_items")
        fields = tuple(f for f in as_list(item.get("fields")) if isinstance(f, str))
        found.append(
            Requirement(
                split_path(path) if isinstance(path, str) else (),
                str(item.get("label", label)),
                count if isinstance(count, int) and not isinstance(count, bool) else None,
                fields,
            )
        )
    return tuple(found)


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
