"""ruamel.yaml round-trip loading and dumping in the repository's one canonical style.

Everything that rewrites a data file (fmt, station set/new, roster import) goes through here, so a
rewrite keeps comments and produces the same bytes whoever makes it.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

_COMMENT = re.compile(r"#([^\n]*)")


class Unreadable(ValueError):
    """Text ruamel.yaml cannot read, with where (1-based line and column) and why. libyaml reads some
    of it (a plain `2021-13-05` is text to it, an impossible day to ruamel.yaml); other text is a value
    typed on the command line that is no YAML at all (`a: b` where one value goes)."""

    def __init__(self, line: int, col: int, problem: str, day: str | None = None) -> None:
        super().__init__(problem)
        self.line, self.col, self.problem = line, col, problem
        self.day = day  # the plain text that looked like a date but names no day, when that was the problem


class _Constructor(RoundTripConstructor):
    """ruamel.yaml's own, except that a plain date naming no day (2021-13-05, 2021-02-30) is an error
    at its place instead of a bare ValueError from deep inside."""

    def construct_checked_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return self.construct_yaml_timestamp(node, values)
        except ValueError as exc:
            raise Unreadable(node.start_mark.line + 1, node.start_mark.column + 1, str(exc), str(node.value)) from None


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_checked_timestamp)


def yaml() -> YAML:
    """Two-space mappings, list items indented under their key, no line wrapping (long Chinese text
    must stay on one line), quotes kept as written."""
    handle = YAML(typ="rt")
    handle.Constructor = _Constructor
    handle.indent(mapping=2, sequence=4, offset=2)
    handle.width = 1 << 16
    handle.preserve_quotes = True
    return handle


def load(text: str) -> Any:
    """The round-trip document of `text`; `Unreadable` (never ruamel.yaml's own errors) when it cannot
    be read."""
    try:
        return yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise Unreadable(line, col, exc.problem or exc.context or type(exc).__name__) from None
    except YAMLError as exc:  # the reader's: a character YAML does not allow
        raise Unreadable(1, 1, str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None


def dump(data: Any) -> str:
    out = io.StringIO()
    yaml().dump(data, out)
    return out.getvalue()


def comments(text: str) -> list[tuple[int, str]]:
    """Every comment of a YAML text as (1-based line, text), found between the scanner's tokens (a `#`
    inside a quoted value is part of a token, not a comment). Empty when the text does not scan."""
    import yaml as libyaml

    found: list[tuple[int, str]] = []
    previous = 0
    try:
        tokens = [(t.start_mark.index, t.end_mark.index) for t in libyaml.scan(text, Loader=libyaml.CSafeLoader)]
    except libyaml.YAMLError:
        return []
    for start, end in [*tokens, (len(text), len(text))]:
        gap = text[previous:start]
        offset = previous
        for match in _COMMENT.finditer(gap):
            found.append((text.count("\n", 0, offset + match.start()) + 1, match.group(1).strip()))
        previous = max(previous, end)
    return found


def lost_comments(before: str, after: str) -> list[tuple[int, str]]:
    """The comments of `before` that `after` no longer has (ruamel.yaml drops those inside `{...}`)."""
    remaining = [text for _, text in comments(after)]
    lost = []
    for line, text in comments(before):
        if text in remaining:
            remaining.remove(text)
        else:
            lost.append((line, text))
    return lost
