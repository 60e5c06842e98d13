"""Small, forgiving readers for loaded records.

Rules run even on files that fail their schema (an operator wants every finding at once), so they read
values through these helpers, which answer None instead of raising when a value is missing or of the
wrong type.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from yjstation.foundation.sourcemap import DataPath


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
    if isinstance(value, str):
        try:
            return date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            return None
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
        return Decimal(value)
    if isinstance(value, Decimal) and value.is_finite():
        return value
    return None


def is_present(value: Any) -> bool:
    """An evidence value counts as present when it is neither missing, null, false nor empty."""
    return value is not None and value is not False and value != "" and value != [] and value != {}


def month_bounds(month: str) -> tuple[date, date] | None:
    """First and last day of a `YYYY-MM` month."""
    first = as_date(f"{month}-01") if isinstance(month, str) else None
    if first is None:
        return None
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)
