"""Small, forgiving readers for loaded records.

Rules run even on files that fail their schema (an operator wants every finding at once), so they read
values through these helpers, which answer None instead of raising when a value is missing or of the
wrong type.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal
from typing import Any

from yjstation.foundation.sourcemap import DataPath

# No amount of money or count in a county's records comes near this (a thousand trillion); past it,
# arithmetic at Decimal's 28 digits would round. A value this large is a typing accident, reported by
# the loader or the schemas, and never computed with.
LARGEST = Decimal(10) ** 15
# The days yjstation reasons about. Python's dates end at 9999-12-31, and the plan's arithmetic (the
# month after, a year before) steps past the ends of that range; no record of a station lies near them.
# A date outside is a finding at its file, or a plain refusal on the command line.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def dig(data: Any, path: DataPath) -> Any:
    """The value at `path`, or None where any step is missing or of the wrong shape."""
    node = data
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, list) or not -len(node) <= part < len(node):
                return None
        elif not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def split_path(dotted: str) -> DataPath:
    return tuple(dotted.split(".")) if dotted else ()


def as_date(value: Any) -> date | None:
    """An ISO date between FIRST_DAY and LAST_DAY; None for anything else (the schemas report it)."""
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            return None
        return day if day is not None and FIRST_DAY <= day <= LAST_DAY else None
    return None


# How people write a date by hand: 2021/3/5, 2021.03.05, 2021年3月5日 (full-width digits too).
_LOOSE_DATE = re.compile(r"\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?\s*")


def loose_date(text: str) -> date | None:
    """The day a hand-written date means, or None when it is no date."""
    match = _LOOSE_DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_number(value: Any) -> Decimal | None:
    """A number as Decimal (ints included); None for anything else, booleans included."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value) if abs(value) < LARGEST else None
    if isinstance(value, Decimal) and value.is_finite() and abs(value) < LARGEST:
        return value
    return None


def is_present(value: Any) -> bool:
    """An evidence value counts as present when it is neither missing, null, false nor empty."""
    return value is not None and value is not False and value != "" and value != [] and value != {}


def month_bounds(month: str) -> tuple[date, date] | None:
    """First and last day of a `YYYY-MM` month."""
    first = as_date(f"{month}-01") if isinstance(month, str) and len(month) == 7 else None
    if first is None:
        return None
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
