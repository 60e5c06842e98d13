"""ruamel.yaml round-trip loading and dumping in the repository's one canonical style.

Everything that rewrites a data file (fmt, station set/new, roster import) goes through here, so a
rewrite keeps comments and produces the same bytes whoever makes it.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML


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
