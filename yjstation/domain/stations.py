"""Facts derived from a station record that several rules and commands share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from yjstation.foundation.records import as_date, as_dict, as_list, dig

STEP_KEYS = ("layout", "market_survey", "confirmation", "agreement", "fit_out", "training", "maintenance", "upgrade")


def opened_on(station: dict[str, Any]) -> date | None:
    """A station starts operating when fit-out is done: the plan opens services "装修改造完成后"."""
    return as_date(dig(station, ("rollout", "fit_out", "done")))


def is_operating(station: dict[str, Any], on: date) -> bool:
    opened = opened_on(station)
    closed = as_date(station.get("closed"))
    return opened is not None and opened <= on and (closed is None or on < closed)


def operates_during(station: dict[str, Any], first: date, last: date) -> bool:
    """True when the station operated on any day from `first` to `last`."""
    opened = opened_on(station)
    closed = as_date(station.get("closed"))
    return opened is not None and opened <= last and (closed is None or closed > first)


def agreement_end(station: dict[str, Any], on: date) -> date | None:
    """The end of the agreement in force on `on`: the original end, extended by renewals signed by then."""
    agreement = as_dict(station.get("agreement"))
    end = as_date(agreement.get("end"))
    for renewal in as_list(agreement.get("renewals")):
        signed, renewed_end = as_date(dig(renewal, ("signed",))), as_date(dig(renewal, ("end",)))
        if signed is not None and renewed_end is not None and signed <= on and (end is None or renewed_end > end):
            end = renewed_end
    return end


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
    """The term in force on `on`: the renewal signed by then that runs longest (the choice agreement_end
    and the roster make), else the original agreement; None when the station has no agreement at all."""
    agreement = as_dict(station.get("agreement"))
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
