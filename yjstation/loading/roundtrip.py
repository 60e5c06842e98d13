"""ruamel.yaml round-trip loading and dumping in the repository's one canonical style.

Everything that rewrites a data file (fmt, station set/new, roster import) goes through here, so a
rewrite keeps comments and produces the same bytes whoever makes it.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML

_COMMENT = re.compile(r"#([^\n]*)")


def yaml() -> YAML:
    """Two-space mappings, list items indented under their key, no line wrapping (long Chinese text
    must stay on one line), quotes kept as written."""
    handle = YAML(typ="rt")
    handle.indent(mapping=2, sequence=4, offset=2)
    handle.width = 1 << 16
    handle.preserve_quotes = True
    return handle


def load(text: str) -> Any:
    return yaml().load(text)


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
