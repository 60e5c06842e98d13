"""Facts derived from a station record that several rules and commands share.

What was in force on a day (operating, the agreement's end, the stationmaster then) is the station's
history and lives in `yjstation.domain.history`; the names below are kept for the code that imports
them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from yjstation.domain.history import agreement_end, agreement_on, is_operating, opened_on, operates_during
from yjstation.foundation.records import as_date, as_dict, as_list

STEP_KEYS = ("layout", "market_survey", "confirmation", "agreement", "fit_out", "training", "maintenance", "upgrade")

__all__ = ["STEP_KEYS", "Term", "agreement_end", "agreement_in_force", "is_operating", "opened_on", "operates_during"]


@dataclass(frozen=True)
class Term:
    """One agreement term: the original agreement or a renewal, with its own number and signing day. A
    renewal runs from the day after the term it extends; the deposit is taken once, with the original."""

    number: Any
    signed: date | None
    start: date | None
    end: date | None
    deposit: Any
    renewal: bool = False


def agreement_in_force(station: dict[str, Any], on: date) -> Term | None:
    """The term in force on `on` (of the stationmaster then in office): the renewal signed by then that
    runs longest (the choice agreement_end and the roster make), else the original agreement; None when
    there is no agreement at all."""
    agreement = as_dict(agreement_on(station, on))
    if not agreement:
        return None
    end = as_date(agreement.get("end"))
    term = Term(
        agreement.get("number"),
        as_date(agreement.get("signed")),
        as_date(agreement.get("start")),
        end,
        agreement.get("deposit"),
    )
    for renewal in map(as_dict, as_list(agreement.get("renewals"))):
        signed, renewed_end = as_date(renewal.get("signed")), as_date(renewal.get("end"))
        if signed is not None and renewed_end is not None and signed <= on and (end is None or renewed_end > end):
            start = end + timedelta(days=1) if end is not None else None
            term = Term(renewal.get("number"), signed, start, renewed_end, term.deposit, renewal=True)
            end = renewed_end
    return term
