"""The library core imports neither Typer nor Rich, and never asks the clock: those belong to the CLI."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import PROJECT

CORE = sorted(p for p in (PROJECT / "yjstation").rglob("*.py") if "cli" not in p.relative_to(PROJECT).parts)


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(PROJECT)))
def test_core_module_stays_out_of_the_terminal(path: object) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"typer", "rich", "click"}
    source = ast.unparse(tree)
    assert "date.today()" not in source and "datetime.now()" not in source
