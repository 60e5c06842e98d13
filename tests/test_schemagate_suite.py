"""The schema gate against the official JSON-Schema-Test-Suite (draft 2020-12).

The gate (yjstation.loading.schemagate) lets a file skip jsonschema when it is valid, so it must never
disagree with jsonschema: on every case of the suite whose schema it compiles, its verdict is
jsonschema's (with the same format checker, the repository's). What it cannot mirror exactly it must
refuse to compile, and then jsonschema decides alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from yjstation.loading.formats import format_checker
from yjstation.loading.schemagate import compile_gate

SUITE = Path(__file__).resolve().parent / "fixtures" / "json-schema-test-suite" / "draft2020-12"
GROUPS = [
    (f"{path.stem}: {group['description']}", group)
    for path in sorted(SUITE.glob("*.json"))
    for group in json.loads(path.read_text(encoding="utf-8"))
]


@pytest.mark.parametrize(("name", "group"), GROUPS, ids=[name for name, _ in GROUPS])
def test_gate_agrees_with_jsonschema(name: str, group: dict[str, Any]) -> None:
    gate = compile_gate(group["schema"], format_checker())
    if gate is None:
        return  # refused: jsonschema alone decides, which is always right
    full = Draft202012Validator(group["schema"], format_checker=format_checker())
    for case in group["tests"]:
        assert gate(case["data"]) == full.is_valid(case["data"]), case["description"]


def test_the_gate_compiles_most_of_what_it_claims() -> None:
    # a gate that refused everything would pass the test above and gain nothing
    compiled = sum(compile_gate(group["schema"], format_checker()) is not None for _, group in GROUPS)
    assert compiled >= 0.6 * len(GROUPS), (compiled, len(GROUPS))


@pytest.mark.parametrize(
    "schema",
    [
        True,
        False,
        {"properties": {"a": {"$schema": "https://json-schema.org/draft/2019-09/schema", "type": "string"}}},
        {"$defs": {"a/b": {"type": "string"}}, "$ref": "#/$defs/a~1b"},
        {"$defs": {"a~b": {"type": "string"}}, "$ref": "#/$defs/a~0b"},
        {"$defs": {"a b": {"type": "string"}}, "$ref": "#/$defs/a%20b"},
        {"properties": {"x": {"$id": "http://example.com/x", "type": "string"}}},
    ],
    ids=["true", "false", "nested $schema", "~1 in $ref", "~0 in $ref", "%-escape in $ref", "nested $id"],
)
def test_what_the_gate_cannot_mirror_it_refuses(schema: Any) -> None:
    assert compile_gate(schema, format_checker()) is None
