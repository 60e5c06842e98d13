"""The schema gate's type and format checks, copied from jsonschema so that a valid file needs no
jsonschema import, judge every value exactly as jsonschema's own do."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from jsonschema import Draft202012Validator
from jsonschema import FormatChecker as Full

from yjstation.loading.jsontypes import TYPES, FormatChecker, TypeChecker

VALUES = [
    None, True, False, 0, 1, -5, 2**70, 1.0, 1.5, float("nan"), float("inf"), Decimal("5"), Decimal("5.0"),
    Decimal("-0.50"), Decimal("NaN"), Fraction(1, 3), complex(1, 2), "", "x", "5", "2021-01-05", [], [1], {}, {"a": 1},
    (), b"x", object(),
]  # fmt: skip
DATES = [
    "2021-01-05", "2021-1-5", "2021-13-05", "2021-02-29", "2020-02-29", "0000-01-01", "0001-01-01", "9999-12-31",
    "2021-01-05 ", " 2021-01-05", "2021/01/05", "20210105", "２０２１-０１-０５", "2021-01-05T00:00:00", "2021-W01-1",
    "", "x", "2021-01-5", "2021-001", "১২৩৪-০১-০১",
]  # fmt: skip


def test_types_as_jsonschema_judges_them() -> None:
    theirs = Draft202012Validator.TYPE_CHECKER
    ours = TypeChecker()
    for name in TYPES:
        for value in VALUES:
            assert ours.is_type(value, name) == theirs.is_type(value, name), (name, value)


def test_dates_and_other_formats_as_jsonschema_judges_them() -> None:
    theirs, ours = Full(), FormatChecker()
    for value in [*DATES, *VALUES]:
        for name in ("date", "email", "date-time", "no-such-format"):
            if name == "date-time" and name not in theirs.checkers:
                continue
            assert ours.conforms(value, name) == theirs.conforms(value, name), (name, value)
