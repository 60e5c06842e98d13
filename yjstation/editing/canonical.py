"""Telling that a data file is already in `fmt`'s canonical form without the ruamel.yaml round trip.

The round trip (`formatting.format_bytes`) costs about twenty times what libyaml takes to parse a file;
almost every file `fmt --check` looks at is already canonical, and this test says so at about the cost
of a parse. It is one-sided: True means the round trip would give back exactly these bytes (no change,
no finding), False only "maybe not", and then the round trip decides.

It accepts the layout the round trip writes and nothing else: UTF-8 without BOM, LF line ends, a final
newline, no tabs; one block mapping at the top; nested block mappings two spaces in, block sequences
two spaces in with `- `, a mapping in a sequence item starting on the dash's line; flow collections on
one line spelled `{k: v, k2: v2}` and `[a, b]` (no mapping inside a flow sequence, which the emitter
would rewrite); `key: value` with one space; scalars on one line as plain text, quoted text without
escapes, integers and decimals in their plain spelling, `true`/`false`, ISO dates, and the empty null
of `key:`; comments kept where they are (full lines anywhere between entries, or after a value) and
empty lines between entries. Anchors, aliases, tags, block scalars, `---`, complex keys and anything
else the round trip would respell are left to it. On top of the layout it checks what `fmt` changes
itself (see `formatting._canonicalise`): keys in the schema's order, ID and phone numbers double-quoted,
dates written ISO, enum values by their code rather than their Chinese title.

tests/test_canonical.py holds this test to the round trip on every bundled file and on thousands of
mutated ones: wherever this says True, `format_bytes` must return the file unchanged.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import yaml as libyaml

from yjstation.foundation.records import loose_date
from yjstation.foundation.sourcemap import DataPath
from yjstation.loading.loader import MAX_BYTES, MAX_NODES, _too_deep, _Yaml12Loader
from yjstation.loading.schemas import Schema

# Numbers that are identifiers: unquoted they lose a leading 0 or a final X, or turn into integers.
QUOTED_KEYS = frozenset({"id_number", "phone", "division_code", "complaint_phone", "village_code"})
T = "tag:yaml.org,2002:"
_INT = re.compile(r"0|-?[1-9][0-9]*")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# What may stand between two entries: an end-of-line comment, the line end, then empty lines and
# comment lines; the indentation of the next entry is checked separately.
_GAP = re.compile(r"(?:[ ]+#[^\n]*)?\n(?:(?:[ ]*#[^\n]*)?\n)*")
_LINE_END = re.compile(r"(?:[ ]+#[^\n]*)?\n")  # the same without lines in between
_LEADING = re.compile(r"(?:[ ]*#[^\n]*\n(?:(?:[ ]*#[^\n]*)?\n)*)?")  # a file may not start with an empty line
_TEXT = frozenset({"str", "'", '"'})  # the kinds of scalar that load as text
# Text the emitter writes plain just as it was read (a subset of what its analysis allows): no indicator
# first, no `: ` or ` #` inside, and in flow context none of `,[]{}`.
_BLOCK_PLAIN = re.compile(r"(?![-?:,\[\]{}#&*!|>'\"%@`.])(?!.*(?::(?: |$)| #)).+", re.DOTALL)
_FLOW_PLAIN = re.compile(r"(?![-?:,\[\]{}#&*!|>'\"%@`.])(?!.*(?::(?: |$)| #|[,\[\]{}])).+", re.DOTALL)


def iso_date(text: str) -> date | None:
    """The day a hand-written date means (`2022/1/5`, `2022年1月5日`), or None."""
    return loose_date(text)


def _real_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False  # the round trip cannot even read it: let it say so
    return True


class _Differs(Exception):
    """The file may not be canonical: let the round trip decide."""


class CanonicalTest:
    """`test(raw)` for the files of one schema (or of none), remembering what it learns of the schema."""

    def __init__(self, schema: Schema | None) -> None:
        self.schema = schema
        self._shape: dict[DataPath, tuple[list[str], bool, frozenset[str]]] = {}

    def __call__(self, raw: bytes) -> bool:
        if len(raw) > MAX_BYTES or not raw.endswith(b"\n") or b"\r" in raw or b"\t" in raw:
            return False
        if raw.startswith(b"\xef\xbb\xbf"):
            return False
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return False
        if _too_deep(text) is not None:
            return False
        try:
            documents = list(libyaml.compose_all(text, Loader=_Yaml12Loader))
        except (libyaml.YAMLError, RecursionError):
            return False
        if len(documents) != 1 or not isinstance(documents[0], libyaml.MappingNode) or documents[0].flow_style:
            return False
        try:
            _Walk(text, self).document(documents[0])
        except _Differs:
            return False
        return True

    def shape(self, path: DataPath) -> tuple[list[str], bool, frozenset[str]]:
        """The schema's key order for the mapping at `path`, whether the value there is a date, and the
        Chinese titles of its enum values (which fmt replaces by their codes)."""
        general = tuple(0 if isinstance(part, int) else part for part in path)
        known = self._shape.get(general)
        if known is None:
            schema = self.schema
            node = (schema.resolve(general) if schema is not None else None) or {}
            titles = frozenset(
                title
                for code, title in (schema.choices(general) if schema is not None else {}).items()
                if title and isinstance(code, str)
            )  # as formatting._titles reads them
            known = self._shape[general] = (list(node.get("properties", {})), node.get("format") == "date", titles)
        return known


class _Walk:
    """One file: the text is checked left to right (`pos` is how far), node by node."""

    def __init__(self, text: str, test: CanonicalTest) -> None:
        self.text, self.test = text, test
        self.pos = 0
        self.nodes = 0
        self.seen: set[int] = set()

    def document(self, root: Any) -> None:
        start = root.start_mark.index
        if _LEADING.fullmatch(self.text, 0, start) is None:
            raise _Differs
        self.pos = start
        self.block_mapping(root, 0, (), first_inline=True)
        if _GAP.fullmatch(self.text, self.pos) is None:
            raise _Differs

    # -- structure ---------------------------------------------------------------------------------

    def enter(self, node: Any) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES or id(node) in self.seen:  # too many, or an alias seen twice
            raise _Differs
        self.seen.add(id(node))

    def gap(self, to: int, indent: int, tight: bool = False) -> None:
        """Between entries: comments and empty lines (none when `tight`), then exactly `indent` spaces."""
        text = self.text
        body = to - indent
        if body <= self.pos or text[body - 1] != "\n" or text.count(" ", body, to) != indent:
            raise _Differs
        if (_LINE_END if tight else _GAP).fullmatch(text, self.pos, body) is None:
            raise _Differs
        self.pos = to

    def expect(self, literal: str) -> None:
        if not self.text.startswith(literal, self.pos):
            raise _Differs
        self.pos += len(literal)

    def block_mapping(self, node: Any, indent: int, path: DataPath, first_inline: bool = False) -> None:
        self.enter(node)
        keys: list[str] = []
        for index, (key, value) in enumerate(node.value):
            start = key.start_mark.index
            if index or not first_inline:
                self.gap(start, indent)
            elif start != self.pos:
                raise _Differs
            name = self.key(key, keys)
            self.expect(":")
            child = (*path, name)
            if isinstance(value, libyaml.ScalarNode):
                if not value.style and value.value == "" and value.tag == T + "null":
                    self.enter(value)  # `key:` with nothing after it (an end-of-line comment is a gap)
                    continue
                self.expect(" ")
                self.entry(name, child, self.scalar(value), value.value)
            elif value.flow_style:
                self.expect(" ")
                self.flow(value, child, in_sequence=False)
            elif isinstance(value, libyaml.MappingNode):
                self.gap(value.start_mark.index, indent + 2)
                self.block_mapping(value, indent + 2, child, first_inline=True)
            else:
                self.gap(value.start_mark.index, indent + 2)
                self.block_sequence(value, indent + 2, child)
        self.order(path, keys)

    def block_sequence(self, node: Any, dash: int, path: DataPath) -> None:
        self.enter(node)
        for index, item in enumerate(node.value):
            start = item.start_mark.index
            if index:
                # Lines between a flow item and the next are lost when that one has a comment after it.
                self.gap(start - 2, dash, tight=bool(getattr(node.value[index - 1], "flow_style", False)))
            elif start - 2 != self.pos:
                raise _Differs
            self.expect("- ")
            child = (*path, index)
            if isinstance(item, libyaml.ScalarNode):
                if item.value == "" and not item.style:
                    raise _Differs
                self.scalar(item)
            elif item.flow_style:
                self.flow(item, child, in_sequence=False)
            elif isinstance(item, libyaml.MappingNode):
                self.block_mapping(item, dash + 2, child, first_inline=True)
            else:
                raise _Differs  # `- - x`: the emitter spaces it out

    def flow(self, node: Any, path: DataPath, in_sequence: bool) -> None:
        self.enter(node)
        if node.start_mark.index != self.pos:
            raise _Differs
        if isinstance(node, libyaml.MappingNode):
            if in_sequence:
                raise _Differs  # `[1, {a: b}]` comes back as `[1, a: b]`
            self.expect("{")
            keys: list[str] = []
            for index, (key, value) in enumerate(node.value):
                if index:
                    self.expect(", ")
                name = self.key(key, keys, flow=True)
                self.expect(": ")
                child = (*path, name)
                if isinstance(value, libyaml.ScalarNode):
                    if value.value == "" and not value.style:
                        raise _Differs  # `{a: }` comes back as `{a: null}`
                    self.entry(name, child, self.scalar(value, flow=True), value.value)
                else:
                    self.flow(value, child, in_sequence=False)
            self.expect("}")
            self.order(path, keys)
        else:
            self.expect("[")
            for index, item in enumerate(node.value):
                if index:
                    self.expect(", ")
                if isinstance(item, libyaml.ScalarNode):
                    if item.value == "" and not item.style:
                        raise _Differs
                    self.scalar(item, flow=True)
                else:
                    self.flow(item, (*path, index), in_sequence=True)
            self.expect("]")
        if self.pos != node.end_mark.index:
            raise _Differs

    # -- scalars -----------------------------------------------------------------------------------

    def scalar(self, node: Any, flow: bool = False) -> str:
        """Check one scalar at `pos` and return its kind: str, int, decimal, bool, date, or the quote."""
        self.enter(node)
        start, end = node.start_mark.index, node.end_mark.index
        value, style = node.value, node.style
        if start != self.pos or not value.isprintable() or "\ufeff" in value:
            raise _Differs
        self.pos = end
        source = self.text[start:end]
        if not style:  # plain (libyaml's composer says '', PyYAML's None)
            if source != value or not value:
                raise _Differs
            tag = node.tag
            if tag == T + "str":
                if (_FLOW_PLAIN if flow else _BLOCK_PLAIN).fullmatch(value) is None:
                    raise _Differs
                return "str"
            if tag == T + "int" and _INT.fullmatch(value):
                return "int"
            if tag == T + "float" and _DECIMAL.fullmatch(value):
                return "decimal"
            if tag == T + "bool" and value in ("true", "false"):
                return "bool"
            if tag == T + "timestamp" and _DATE.fullmatch(value) and _real_date(value):
                return "date"
            raise _Differs
        if style in ('"', "'") and source == style + value + style and style not in value and "\\" not in value:
            return str(style)
        raise _Differs

    def key(self, node: Any, keys: list[str], flow: bool = False) -> str:
        if not isinstance(node, libyaml.ScalarNode) or self.scalar(node, flow) not in ("str", "int", '"', "'"):
            raise _Differs
        name = str(node.value)
        if name in keys:
            raise _Differs  # a duplicate key: an error the round trip reports
        keys.append(name)
        return name

    # -- what fmt itself changes -------------------------------------------------------------------

    def entry(self, key: str, path: DataPath, kind: str, value: str) -> None:
        """The scalar value of a mapping entry as `_canonicalise` treats it."""
        if key in QUOTED_KEYS and kind in ("str", "int", "'", '"'):
            if kind != '"':
                raise _Differs  # an ID or phone number not in double quotes
        elif kind in _TEXT and self.test.shape(path)[1]:
            day = iso_date(value)
            if day is not None and day.isoformat() != value:
                raise _Differs  # a loosely written date
        elif kind in _TEXT and value in self.test.shape(path)[2]:
            raise _Differs  # an enum value by its Chinese title (已办结): fmt writes the code

    def order(self, path: DataPath, keys: list[str]) -> None:
        order = self.test.shape(path)[0]
        if order:
            known = [key for key in order if key in keys]
            if keys[: len(known)] != known:
                raise _Differs
