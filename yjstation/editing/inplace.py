"""`station set` without the ruamel.yaml round trip where the result is certain.

Setting a field of a station file already in canonical form, when the field exists and holds a single
value and the new value is text, a date, yes/no or a choice, changes exactly that value's spelling:
the round trip (`edits.edit_text`) would give back every other byte as it was. This writes that one
value the way the round trip writes it, in place, and returns None whenever it is not certain (an
unset, a new key, a list or a number, a file not in canonical form, text the emitter would quote
differently), so the round trip decides. Values are typed by `edits.typed_value` either way: the
same refusals, the same messages. tests/test_speed_edits.py holds the two to the same bytes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml as libyaml

from yjstation.editing.canonical import _BLOCK_PLAIN, _FLOW_PLAIN, QUOTED_KEYS, CanonicalTest
from yjstation.editing.edits import Quoted, typed_value
from yjstation.foundation.sourcemap import DataPath
from yjstation.loading.loader import _Yaml12Loader
from yjstation.loading.schemas import Schema

_STR = "tag:yaml.org,2002:str"


def edit_in_place(
    text: str, schema: Schema, assignments: list[tuple[DataPath, str]], unset: list[DataPath]
) -> str | None:
    """What `edit_text(text, schema, assignments, unset)` returns, or None when that is not certain
    without the round trip. Raises EditError as `edit_text` would for a value it refuses."""
    if unset or not assignments:
        return None
    test = CanonicalTest(schema)
    if not test(text.encode("utf-8")):
        return None
    root = libyaml.compose(text, Loader=_Yaml12Loader)
    spans: dict[tuple[int, int], str] = {}
    for path, raw in assignments:
        found = _scalar_at(root, path)
        if found is None:
            return None
        node, flow = found
        value = typed_value(schema, path, raw)
        spelled = _spelling(value, str(path[-1]), flow)
        if spelled is None:
            return None
        spans[(node.start_mark.index, node.end_mark.index)] = spelled
    out, at = [], 0
    for (start, end), spelled in sorted(spans.items()):
        if start < at:
            return None  # two assignments to one value: leave the order of things to the round trip
        out += [text[at:start], spelled]
        at = end
    result = "".join([*out, text[at:]])
    return result if test(result.encode("utf-8")) else None


def _scalar_at(root: Any, path: DataPath) -> tuple[Any, bool] | None:
    """The scalar node holding the value at `path`, and whether it sits in a flow collection."""
    node, flow = root, False
    for part in path:
        if isinstance(node, libyaml.MappingNode) and isinstance(part, str):
            matches = [value for key, value in node.value if key.value == part]
            if len(matches) != 1:
                return None
            flow = flow or bool(node.flow_style)
            node = matches[0]
        elif isinstance(node, libyaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            flow = flow or bool(node.flow_style)
            node = node.value[part]
        else:
            return None
    if not isinstance(node, libyaml.ScalarNode) or (node.value == "" and not node.style):
        return None  # a collection, or the empty null of `key:`
    return node, flow


def _spelling(value: Any, key: str, flow: bool) -> str | None:
    """How the round trip writes `value` (after `_canonicalise`) at key `key`, or None when unsure."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        return None  # numbers keep ruamel.yaml's spelling of what was typed; lists and mappings its layout
    if not value.isprintable():
        return None
    if isinstance(value, Quoted) or key in QUOTED_KEYS:
        return None if '"' in value or "\\" in value else f'"{value}"'
    if (_FLOW_PLAIN if flow else _BLOCK_PLAIN).fullmatch(value) is None:
        return None
    if _Yaml12Loader("").resolve(libyaml.ScalarNode, value, (True, False)) != _STR:
        return None  # plain it would read back as a number, a date...: the emitter quotes it
    return value
