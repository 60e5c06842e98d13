"""The rule registry: every semantic check, in catalogue order. Adding a rule means adding it to its
module's RULES tuple; nothing is appended at import time."""

from __future__ import annotations

from yjstation.checking.rules import (
    agreement,
    assessment,
    documents,
    events,
    fees,
    history,
    identity,
    operations,
    rollout,
    station,
    training,
)
from yjstation.checking.rules.base import Context, Finding, Rule

RULES: tuple[Rule, ...] = (
    *identity.RULES,
    *station.RULES,
    *agreement.RULES,
    *history.RULES,
    *rollout.RULES,
    *fees.RULES,
    *training.RULES,
    *operations.RULES,
    *documents.RULES,
    *assessment.RULES,
    *events.RULES,
)

__all__ = ["RULES", "Context", "Finding", "Rule"]
