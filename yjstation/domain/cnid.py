"""Chinese resident ID numbers checked as python-stdnum's `stdnum.cn.ric` checks them, with its own data,
without importing stdnum.

Importing stdnum loads `stdnum.util` (which brings in ssl, socket and pydoc), and the first place-of-birth
lookup parses stdnum's whole table of division codes (7,000 lines); together they cost more than
everything else an edit of one station file does. This module is a drop-in for the four functions
the identity rules use (`calc_check_digit`, `get_birth_date`, `get_birth_place`, `validate`), with
the same code for the arithmetic and the same table, of which it reads only the province a number
names. Anything unusual (a number that is not plain ASCII, a table laid out otherwise) is handed to
stdnum itself. tests/test_speed_cnid.py holds every answer to stdnum's, division code by code.
"""

from __future__ import annotations

import datetime
import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any


class ValidationError(ValueError):
    """As stdnum's: the number is not valid (raised where stdnum raises one of its own)."""


_PLAIN = re.compile(r"[0-9A-Za-z ]*")
_DIGITS = re.compile(r"^[0-9]+$")
_LINE = re.compile(
    r"^(?P<indent> *)(?P<ranges>([^-,\s]+(-[^-,\s]+)?)(,[^-,\s]+(-[^-,\s]+)?)*)\s*(?P<props>.*)$"
)  # stdnum.numdb's
_PROP = re.compile(r'(?P<prop>[0-9a-zA-Z-_]+)="(?P<value>[^"]*)"')


def _stdnum() -> Any:
    from stdnum.cn import ric

    return ric


def _raising(call: Any, *args: Any) -> Any:
    """stdnum's own answer, its exceptions turned into ours."""
    from stdnum.exceptions import ValidationError as Theirs

    try:
        return call(*args)
    except Theirs as exc:
        raise ValidationError(str(exc)) from None


def compact(number: str) -> str:
    if not isinstance(number, str) or _PLAIN.fullmatch(number) is None:
        return str(_raising(_stdnum().compact, number))
    return number.upper().strip()  # stdnum's clean() changes nothing in plain ASCII letters and digits


def calc_check_digit(number: str) -> str:
    checksum = (1 - 2 * int(number[:-1], 13)) % 11
    return "X" if checksum == 10 else str(checksum)


def get_birth_date(number: str) -> datetime.date:
    number = compact(number)
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])  # (a ValueError as stdnum's)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValidationError("invalid birth date") from None


def get_birth_place(number: str) -> dict[str, str]:
    number = compact(number)
    table = _province(number[:2])
    if table is None:
        return dict(_raising(_stdnum().get_birth_place, number))
    info = {k: v for part, props in _find(number[:6], table) for k, v in props.items()}
    if not info:
        raise ValidationError("unknown division code")
    year = get_birth_date(number).year
    for county in info["county"].split(","):  # as stdnum: the first county in force in the birth year
        if not county.startswith("["):
            return info
        span, name = county[1:].split("]")
        start, end = span.split("-")
        if start and year < int(start):
            continue
        if end and year > int(end):
            continue
        info["county"] = name
        return info
    raise ValidationError("division code not in force in the birth year")


def validate(number: str) -> str:
    number = compact(number)
    if len(number) != 18:
        raise ValidationError("invalid length")
    if not _DIGITS.match(number[:-1]):
        raise ValidationError("invalid format")
    if number[-1] != calc_check_digit(number):
        raise ValidationError("invalid checksum")
    get_birth_date(number)
    get_birth_place(number)
    return number


# --- stdnum's table of division codes, one province at a time --------------------------------------

Prefix = tuple[int, str, str, dict[str, str], list[Any]]  # (length, low, high, properties, children)


@cache
def _lines() -> tuple[str, ...] | None:
    """The table's lines, when it is laid out as this module reads it: every top-level entry one
    two-digit province (so a number's province block holds everything that can match it)."""
    spec = find_spec("stdnum")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        try:
            text = (Path(folder) / "cn" / "loc.dat").read_text(encoding="utf-8")
        except OSError:
            continue
        lines = tuple(line for line in text.split("\n") if line.strip() and not line.startswith("#"))
        if all(line.startswith(" ") or re.match(r"[0-9]{2} ", line) for line in lines):
            return lines
    return None


@cache
def _province(code: str) -> list[Prefix] | None:
    """The parsed block of one province (None: ask stdnum); an unknown province is an empty table."""
    lines = _lines()
    if lines is None or not _DIGITS.match(code) or len(code) != 2:
        return None
    block: list[str] = []
    inside = False
    for line in lines:
        if not line.startswith(" "):
            inside = line.startswith(code + " ")
        if inside:
            block.append(line)
    return _read(block)


def _read(lines: list[str]) -> list[Prefix]:
    """stdnum.numdb.read, on some of the lines."""
    root: list[Prefix] = []
    stack: dict[int, list[Prefix]] = {0: root}
    last = 0
    for line in lines:
        match = _LINE.search(line)
        if match is None:
            raise ValueError(line)
        indent = len(match.group("indent"))
        props = dict(_PROP.findall(match.group("props")))
        children: list[Prefix] = []
        for span in match.group("ranges").split(","):
            low, high = span.split("-") if "-" in span else (span, span)
            if indent > last:
                stack[indent] = stack[last][-1][4]
            stack[indent].append((len(low), low, high, props, children))
            last = indent
    return root


def _find(number: str, prefixes: list[Prefix]) -> list[tuple[str, dict[str, str]]]:
    """stdnum.numdb.NumDB._find."""
    if not number:
        return []
    part = number
    properties: dict[str, str] = {}
    following: list[Prefix] = []
    for length, low, high, props, children in prefixes:
        if len(part) >= length and low <= part[:length] <= high:
            if length < len(part):
                part = part[:length]
                properties = {}
                following = []
            properties.update(props)
            following.extend(children)
    return [(part, properties), *_find(number[len(part) :], following)]
