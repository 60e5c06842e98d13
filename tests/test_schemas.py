"""The schemas are the labels users see: every property and every enum value has a Chinese title."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from yjstation.loading.schemas import KINDS

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def walk(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}.{name}", sub
        for option in node.get("oneOf", []):
            if "const" in option:
                yield f"{where}={option['const']}", option
        for key, value in node.items():
            if key != "properties":
                yield from walk(value, f"{where}/{key}")
        for name, sub in node.get("properties", {}).items():
            yield from walk(sub, f"{where}.{name}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from walk(item, f"{where}[{index}]")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_property_and_enum_value_has_a_chinese_title(bundle: Path, kind: str) -> None:
    schema = json.loads((bundle / "data/schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    untitled = sorted({where for where, node in walk(schema, "") if not CHINESE.search(str(node.get("title", "")))})
    assert not untitled


def test_one_schema_per_file_kind(bundle: Path) -> None:
    schemas = (bundle / "data/schemas").glob("*.schema.json")
    assert {p.name.removesuffix(".schema.json") for p in schemas} == set(KINDS)
