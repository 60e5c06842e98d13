"""The `format` keywords of the repository's schemas, as both jsonschema and the fast gate check them.

Two differ from the JSON Schema standard, and say what this data needs beyond it:

- `date`: an ISO date (as standard) within FIRST_DAY..LAST_DAY: `9999-12-31` is a valid ISO date but no
  date a station's record can hold, and the plan's arithmetic on it (a month later, a year before) fails.
- `yuan` (the schemas' `$defs/money`): an amount of money in yuan, to the fen: at most two decimals and
  below LARGEST. `12.345` is a typing slip that would otherwise pass as a number.

Other tools reading the schemas treat `yuan` as an annotation, as the standard says of unknown formats.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from yjstation.foundation.records import FIRST_DAY, LARGEST, LAST_DAY


@cache
def format_checker() -> Any:
    """jsonschema's FormatChecker with the repository's own `date` and `yuan`; one per process."""
    from jsonschema import FormatChecker

    checker = FormatChecker()
    standard_date = checker.checkers["date"][0]

    def is_date(instance: object) -> bool:
        if not standard_date(instance):
            return False
        return not isinstance(instance, str) or in_range(instance)

    checker.checks("date", raises=ValueError)(is_date)
    checker.checks("yuan")(is_yuan)
    return checker


def in_range(day: str) -> bool:
    """An ISO date string within the years a record can hold."""
    return FIRST_DAY.isoformat() <= day <= LAST_DAY.isoformat()


def is_yuan(instance: object) -> bool:
    """True for anything but a number (the type is the `type` keyword's business) and for amounts
    to the fen below LARGEST."""
    if isinstance(instance, bool) or not isinstance(instance, (int, float, Decimal)):
        return True
    if isinstance(instance, int):
        return abs(instance) < LARGEST
    number = Decimal(str(instance)) if isinstance(instance, float) else instance
    return number.is_finite() and abs(number) < LARGEST and number == number.quantize(Decimal("0.01"))
