"""Typed views of the policy files, shared by everything that holds them as loaded data."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from yjstation.domain.fees import FeeSchedule, schedules_from
from yjstation.domain.rollout import RolloutPolicy
from yjstation.domain.training import TrainingPlan


class PolicyViews:
    """Mixin for classes with a `policy` attribute (file kind -> loaded data): each view is built once."""

    policy: dict[str, dict[str, Any]]

    @cached_property
    def rollout(self) -> RolloutPolicy:
        return RolloutPolicy.from_data(self.policy.get("rollout", {}))

    @cached_property
    def training(self) -> TrainingPlan:
        return TrainingPlan.from_data(self.policy.get("training", {}))

    @cached_property
    def fee_schedules(self) -> list[FeeSchedule]:
        return schedules_from(self.policy.get("fees", {}))
