"""A fast yes/no JSON Schema check that lets valid files skip jsonschema's full validation.

jsonschema explains every error precisely, and that is what the diagnostics are made of; but it walks a
schema through a general machine (a validator object per subschema, `$ref` resolution through a
registry), which costs about twice what parsing the file costs. Nearly every file is valid, and for
a valid file only the answer "no errors" matters. So each schema is compiled once into plain Python
closures that answer exactly that question, with jsonschema's own type checker and format checker
and its rules for each keyword; only a file the gate rejects goes through jsonschema to say why.

The gate must never pass a file that jsonschema would fault, so it is exact or it is nothing: a
schema using any keyword or `$ref` it does not implement gets no gate at all (`compile_gate` returns
None), and then every file is validated by jsonschema as before. tests/test_performance.py holds the
gate to jsonschema's verdict on every bundled and test-case file.
"""

# ruff: noqa: SIM110  (the checks are plain loops on purpose: see the note above `_all_of`)

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

# Keywords that never affect validity.
_ANNOTATIONS = frozenset(
    {"title", "description", "$comment", "examples", "default", "$schema", "$id", "$defs", "deprecated"}
)


class _Unsupported(Exception):
    pass


def compile_gate(document: dict[str, Any], formats: Any = None) -> Check | None:
    """An exact validity check for `document` (draft 2020-12), or None when it uses anything the gate
    does not implement. Formats are checked as the full validation checks them (`formats`: the
    repository's `date` and `yuan` included), through jsonschema's own predicates copied into
    `jsontypes`, so a valid file never imports jsonschema."""
    from yjstation.loading.jsontypes import FormatChecker, TypeChecker  # jsonschema's, without importing it

    if not isinstance(document, dict):
        return None  # `true` / `false`: nothing to gain, and nothing to get wrong
    types = TypeChecker()
    formats = formats if formats is not None else FormatChecker()
    defs = document.get("$defs", {}) if isinstance(document.get("$defs", {}), dict) else {}
    compiled: dict[str, Check] = {}
    compiling: set[str] = set()

    def is_type(value: Any, name: str) -> bool:
        return bool(types.is_type(value, name))

    def ref(target: str) -> Check:
        # only the plain `#/$defs/name`: `~0`/`~1` and %-escapes mean another name than they spell
        if not target.startswith("#/$defs/") or any(c in target[len("#/$defs/") :] for c in "/~%"):
            raise _Unsupported(target)
        name = target[len("#/$defs/") :]
        if name not in defs or name in compiling:  # unknown, or recursive: leave it to jsonschema
            raise _Unsupported(target)
        if name not in compiled:
            compiling.add(name)
            compiled[name] = build(defs[name])
            compiling.discard(name)
        return compiled[name]

    def build(schema: Any) -> Check:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, dict) or (("$id" in schema or "$schema" in schema) and schema is not document):
            # a nested $id would move what "#/$defs/..." means; a nested $schema may change the dialect
            raise _Unsupported(repr(schema)[:40])
        checks: list[Check] = []
        for keyword, argument in schema.items():
            if keyword in _ANNOTATIONS or keyword == "properties":
                continue
            maker = _KEYWORDS.get(keyword)
            if maker is None:
                raise _Unsupported(keyword)
            checks.append(maker(argument, schema, build, ref, is_type, formats))
        if "properties" in schema:
            checks.append(_properties(schema["properties"], build))
        return _all_of(checks)

    try:
        return build(document)
    except (_Unsupported, TypeError, re.error):
        return None


Maker = Callable[..., Check]

# The checks below run once per value of every file, so they are written as plain loops and closures
# over what was decided when compiling: a generator inside `all()` costs a frame per value, and that was
# most of the gate's time.


def _all_of(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)
    frozen = tuple(checks)

    def check(value: Any) -> bool:
        for each in frozen:
            if not each(value):
                return False
        return True

    return check


def _any_of(checks: tuple[Check, ...]) -> Check:
    if len(checks) == 1:
        return checks[0]

    def check(value: Any) -> bool:
        for each in checks:
            if each(value):
                return True
        return False

    return check


def _type_check(name: str, is_type: Callable[[Any, str], bool]) -> Check:
    """`is_type(value, name)`, with the predicate looked up now when the name is one of JSON's own
    (the same table `TypeChecker.is_type` looks it up in, per value)."""
    from yjstation.loading.jsontypes import TYPES

    direct = TYPES.get(name)
    if direct is not None:
        return direct
    return lambda value: is_type(value, name)


def _properties(properties: Any, build: Callable[[Any], Check]) -> Check:
    if not isinstance(properties, dict):
        raise _Unsupported("properties")
    pairs = tuple((name, build(sub)) for name, sub in properties.items())

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for name, sub in pairs:
            if name in value and not sub(value[name]):
                return False
        return True

    return check


def _type(argument: Any, schema: Any, build: Any, ref: Any, is_type: Callable[[Any, str], bool], formats: Any) -> Check:
    names = [argument] if isinstance(argument, str) else argument
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise _Unsupported("type")
    return _any_of(tuple(_type_check(name, is_type) for name in names))


def _additional(argument: Any, schema: Any, build: Callable[[Any], Check], *_: Any) -> Check:
    if "patternProperties" in schema:
        raise _Unsupported("patternProperties")
    known = frozenset(schema.get("properties", {}))
    if argument is False:
        return lambda value: not isinstance(value, dict) or known.issuperset(value)
    sub = build(argument)

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for key, item in value.items():
            if key not in known and not sub(item):
                return False
        return True

    return check


def _required(argument: Any, *_: Any) -> Check:
    if not isinstance(argument, list):
        raise _Unsupported("required")
    names = tuple(argument)

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for name in names:
            if name not in value:
                return False
        return True

    return check


def _const(argument: Any, *_: Any) -> Check:
    # jsonschema's equality: strings compare as strings, booleans never equal numbers, 1 == 1.0.
    if isinstance(argument, str):
        return lambda value: value == argument
    if argument is None:
        return lambda value: value is None
    if isinstance(argument, bool):
        return lambda value: value is argument
    if isinstance(argument, int):
        return lambda value: not isinstance(value, (bool, str, list, dict)) and value == argument
    raise _Unsupported("const")


def _enum(argument: Any, *rest: Any) -> Check:
    if not isinstance(argument, list):
        raise _Unsupported("enum")
    if all(isinstance(option, str) for option in argument):
        # strings equal only strings: `value in` a set says the same, but a list or dict value cannot be
        # looked up in a set, and those are never equal to a string anyway
        strings = frozenset(argument)
        return lambda value: isinstance(value, str) and value in strings
    return _any_of(tuple(_const(option, *rest) for option in argument))


def _one_of(argument: Any, schema: Any, build: Callable[[Any], Check], *_: Any) -> Check:
    # Counting matches needs every branch exact both ways, which every check here is; a branch that
    # refers elsewhere is left to jsonschema all the same, so the gate never depends on one.
    if not isinstance(argument, list) or not argument or "$ref" in repr(argument):
        raise _Unsupported("oneOf")
    branches = tuple(build(sub) for sub in argument)

    def check(value: Any) -> bool:
        matched = 0
        for branch in branches:
            if branch(value):
                matched += 1
        return matched == 1

    return check


def _ref(argument: Any, schema: Any, build: Any, ref: Callable[[str], Check], *_: Any) -> Check:
    if not isinstance(argument, str):
        raise _Unsupported("$ref")
    return ref(argument)


def _bound(compare: Callable[[Any, Any], bool]) -> Maker:
    def make(argument: Any, schema: Any, build: Any, ref: Any, is_type: Callable[[Any, str], bool], *_: Any) -> Check:
        if isinstance(argument, bool) or not isinstance(argument, (int, float)):
            raise _Unsupported("bound")
        is_number = _type_check("number", is_type)
        return lambda value: not is_number(value) or compare(value, argument)

    return make


def _pattern(argument: Any, *_: Any) -> Check:
    if not isinstance(argument, str):
        raise _Unsupported("pattern")
    compiled = re.compile(argument)
    return lambda value: not isinstance(value, str) or compiled.search(value) is not None


def _format(argument: Any, schema: Any, build: Any, ref: Any, is_type: Any, formats: Any) -> Check:
    if not isinstance(argument, str):
        raise _Unsupported("format")
    return lambda value: bool(formats.conforms(value, argument))


def _min_length(argument: Any, *_: Any) -> Check:
    if isinstance(argument, bool) or not isinstance(argument, int):
        raise _Unsupported("minLength")
    return lambda value: not isinstance(value, str) or len(value) >= argument


def _min_items(argument: Any, *_: Any) -> Check:
    if isinstance(argument, bool) or not isinstance(argument, int):
        raise _Unsupported("minItems")
    return lambda value: not isinstance(value, list) or len(value) >= argument


def _unique_items(argument: Any, *_: Any) -> Check:
    if argument is False:
        return lambda value: True

    def check(value: Any) -> bool:
        if not isinstance(value, list):
            return True
        if all(isinstance(item, str) for item in value):
            return len(set(value)) == len(value)
        seen: list[Any] = []
        for item in value:
            if any(_equal(item, other) for other in seen):
                return False
            seen.append(item)
        return True

    return check


def _equal(one: Any, two: Any) -> bool:
    """jsonschema's equality of two instances: booleans are not numbers, 1 == 1.0, containers by content."""
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(_equal(one[key], two[key]) for key in one)
    if isinstance(one, bool) or isinstance(two, bool):
        return one is two
    return bool(one == two)


def _items(argument: Any, schema: Any, build: Callable[[Any], Check], *_: Any) -> Check:
    if "prefixItems" in schema:
        raise _Unsupported("prefixItems")
    sub = build(argument)

    def check(value: Any) -> bool:
        if not isinstance(value, list):
            return True
        for item in value:
            if not sub(item):
                return False
        return True

    return check


_KEYWORDS: dict[str, Maker] = {
    "type": _type,
    "additionalProperties": _additional,
    "required": _required,
    "const": _const,
    "enum": _enum,
    "oneOf": _one_of,
    "$ref": _ref,
    "minimum": _bound(lambda value, bound: value >= bound),
    "maximum": _bound(lambda value, bound: value <= bound),
    "exclusiveMinimum": _bound(lambda value, bound: value > bound),
    "exclusiveMaximum": _bound(lambda value, bound: value < bound),
    "pattern": _pattern,
    "format": _format,
    "minLength": _min_length,
    "minItems": _min_items,
    "uniqueItems": _unique_items,
    "items": _items,
}
