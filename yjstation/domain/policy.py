"""Typed views of the policy files, shared by everything that holds them as loaded data."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from yjstation.domain.county import County
from yjstation.domain.fees import FeeSchedule, schedules_from
from yjstation.domain.reporting import ReportingPolicy
from yjstation.domain.rollout import RolloutPolicy
from yjstation.domain.training import TrainingPlan


class PolicyViews:
    """Mixin for classes with `county` (county.yaml's data) and `policy` (file kind -> loaded data)
    attributes: each typed view is built once."""

    county: dict[str, Any]
    policy: dict[str, dict[str, Any]]

    @cached_property
    def county_view(self) -> County:
        return County.from_data(self.county)

    @cached_property
    def rollout(self) -> RolloutPolicy:
        return RolloutPolicy.from_data(self.policy.get("rollout", {}))

    @cached_property
    def training(self) -> TrainingPlan:
        return TrainingPlan.from_data(self.policy.get("training", {}))

    @cached_property
    def fee_schedules(self) -> list[FeeSchedule]:
        return schedules_from(self.policy.get("fees", {}))

    @cached_property
    def reporting(self) -> ReportingPolicy:
        return ReportingPolicy.from_data(self.policy.get("reporting", {}))
