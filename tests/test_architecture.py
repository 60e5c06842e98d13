"""The package's layers, held as the subpackage docstrings state them: nothing imports upward, the
library never imports Typer, Rich or click nor asks the clock, and no two modules import each other
in a circle (imports inside functions included: a lazy import is still a dependency)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import PROJECT

PACKAGE = PROJECT / "yjstation"
# Each layer may import the layers with a lower number; the same number means "side by side": neither
# may import the other.
LAYERS = {
    "foundation": 0,
    "loading": 1,
    "domain": 2,
    "checking": 3,
    "editing": 4,
    "documents": 4,
    "reports": 5,
    "roster": 6,
    "publish": 7,
    "cli": 8,
}
MODULES = sorted(PACKAGE.rglob("*.py"))


def _module(path: Path) -> str:
    parts = list(path.relative_to(PROJECT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every yjstation module `path` imports, anywhere in it (TYPE_CHECKING blocks excepted)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for stmt in block.body
        for node in ast.walk(stmt)
    }
    found: set[str] = set()
    known = {_module(p) for p in MODULES}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in known else node.module)
    return {name for name in found if name.split(".")[0] == "yjstation"}


GRAPH = {_module(p): _imports(p) for p in MODULES}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def test_every_subpackage_is_a_layer_and_says_what_it_may_import() -> None:
    subpackages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert subpackages == set(LAYERS)
    for name in subpackages:
        doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "May import" in doc, name
    flat = {p.name for p in PACKAGE.glob("*.py")}
    assert flat == {"__init__.py", "__main__.py"}, "modules belong in a layer's subpackage"


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_nothing_imports_upward(module: str) -> None:
    own = _layer(module)
    if own is None:
        return
    upward = sorted(
        target
        for target in GRAPH[module]
        if (layer := _layer(target)) is not None
        and (layer > own or (layer == own and target.split(".")[1] != module.split(".")[1]))
    )
    assert not upward, f"{module} imports from a layer above or beside it: {upward}"


def test_no_import_circles() -> None:
    def expand(name: str) -> set[str]:
        # `import yjstation.a.b` runs yjstation.a's __init__ too, but a package's own __init__ is not a
        # dependency of its modules in the sense that matters here: follow modules only.
        return {t for t in GRAPH.get(name, set()) if t in GRAPH and t != name}

    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(expand(node)):
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target) :], target]
                raise AssertionError("import circle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)


@pytest.mark.parametrize("path", [p for p in MODULES if "cli" not in p.relative_to(PACKAGE).parts[:1]], ids=_module)
def test_library_stays_out_of_the_terminal_and_off_the_clock(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    if path.name != "__main__.py":
        assert not imported & {"typer", "rich", "click"}
    source = ast.unparse(tree)
    assert "date.today()" not in source and "datetime.now()" not in source
