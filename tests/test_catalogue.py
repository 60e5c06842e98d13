"""The rules catalogue is generated from the code and kept current; every code is documented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import PROJECT, run_cli
from yjstation.checking.catalogue import all_codes, render_markdown


def test_docs_rules_md_is_current() -> None:
    committed = (PROJECT / "docs/rules.md").read_text(encoding="utf-8")
    assert committed == render_markdown(), "run: yjstation rules --format md > docs/rules.md"


def test_codes_are_unique_and_documented() -> None:
    codes = [c.code for c in all_codes()]
    assert len(codes) == len(set(codes))
    for code in all_codes():
        assert re.fullmatch(r"[A-Z]+[0-9]{3}", code.code)
        assert code.summary and code.clause, code.code


def test_every_emitted_code_is_in_the_catalogue() -> None:
    """Each Code(...) literal in the package is reachable from the catalogue, so none is undocumented."""
    literal = set()
    for path in (PROJECT / "yjstation").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Code" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant):
                    literal.add(first.value)
    assert literal == {c.code for c in all_codes()}


def test_rules_command_shows_one_code() -> None:
    result = run_cli("rules", "ID002")
    assert result.exit_code == 0
    assert "ID002（错误）" in result.stdout and "GB 11643" in result.stdout


def test_md_output_equals_the_committed_page() -> None:
    assert run_cli("rules", "--format", "md").stdout == Path(PROJECT / "docs/rules.md").read_text(encoding="utf-8")
