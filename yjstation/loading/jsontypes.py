"""JSON Schema's types and the `date` format, as jsonschema (draft 2020-12) judges them, without
importing jsonschema.

The schema gate (`schemagate`) answers "valid or not" for nearly every file; importing jsonschema
just for its type and format checkers cost an edit or a small cold run more than checking the files.
These predicates are jsonschema's own, copied (`jsonschema._types` as draft 2020-12 defines them, `jsonschema._format.is_date`);
any other format, or a type name not listed, is handed to jsonschema itself. tests/test_speed_gate.py
holds them equal to jsonschema's on a broad set of values.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

_RE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_integer(value: Any) -> bool:  # draft 6 on: a float with no fraction counts as an integer
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _is_number(value: Any) -> bool:
    kind = value.__class__
    if kind is int or kind is Decimal or kind is float:  # what the loader makes: no trip through the ABC
        return True
    return not isinstance(value, bool) and isinstance(value, numbers.Number)


TYPES: dict[str, Callable[[Any], bool]] = {
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "integer": _is_integer,
    "null": lambda value: value is None,
    "number": _is_number,
    "object": lambda value: isinstance(value, dict),
    "string": lambda value: isinstance(value, str),
}


class TypeChecker:
    """`is_type(value, name)` as jsonschema's Draft202012Validator.TYPE_CHECKER answers it."""

    def is_type(self, value: Any, name: str) -> bool:
        check = TYPES.get(name)
        if check is None:
            from jsonschema import Draft202012Validator

            return bool(Draft202012Validator.TYPE_CHECKER.is_type(value, name))
        return check(value)


def _is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    try:
        return bool(_RE_DATE.fullmatch(value) and date.fromisoformat(value))
    except ValueError:
        return False


class FormatChecker:
    """`conforms(value, format)` as jsonschema's FormatChecker() answers it; with `repository`, as the
    repository's own checker (`formats.format_checker`) does: `date` within the years a record can
    hold, and `yuan` (money to the fen)."""

    def __init__(self, repository: bool = False) -> None:
        self._full: Any = None
        self._repository = repository

    def conforms(self, value: Any, format: str) -> bool:
        if format == "date":
            if not _is_date(value):
                return False
            if self._repository and isinstance(value, str):
                from yjstation.loading.formats import in_range

                return in_range(value)
            return True
        if format == "yuan" and self._repository:
            from yjstation.loading.formats import is_yuan

            return is_yuan(value)
        if self._full is None:
            if self._repository:
                from yjstation.loading.formats import format_checker

                self._full = format_checker()
            else:
                from jsonschema import FormatChecker as Full

                self._full = Full()
        return bool(self._full.conforms(value, format))
