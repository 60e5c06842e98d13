"""Shared fixtures: the project's bundled repository, a small repository built from it, and a CLI runner."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from yjstation.cli.app import main

PROJECT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
AS_OF = "2021-12-31"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(*args: str, stdin: str = "") -> Run:
    """Run the CLI in-process as an operator would type it: `main(argv)` with its exit status and what
    it printed. An internal error is a failed test, not an exit status (YJSTATION_DEBUG re-raises it)."""
    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.get("YJSTATION_DEBUG")
    os.environ["YJSTATION_DEBUG"] = "1"
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _stdin(stdin):
            code = main(list(args))
    finally:
        if saved is None:
            os.environ.pop("YJSTATION_DEBUG", None)
        else:
            os.environ["YJSTATION_DEBUG"] = saved
    return Run(code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _stdin(text: str) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved


def copy_repository(target: Path, stations: list[str] | None = None) -> Path:
    """A copy of the bundled repository's configuration and (some of) its stations and operations."""
    for part in ("data/county.yaml", "data/policy", "data/schemas", "templates"):
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / part)
    (target / "data/stations").mkdir(parents=True, exist_ok=True)
    for path in sorted((PROJECT / "data/stations").glob("*.yaml")):
        if stations is None or path.stem in stations:
            shutil.copy2(path, target / "data/stations" / path.name)
    for path in sorted((PROJECT / "data/operations").glob("*/*.yaml")):
        if stations is None or path.stem in stations:
            dest = target / "data/operations" / path.parent.name / path.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
    return target


@pytest.fixture
def mini_repo(tmp_path: Path) -> Path:
    """Configuration from the bundle plus the hand-checked base station of the case files."""
    root = copy_repository(tmp_path / "repo", stations=[])
    for path in sorted((CASES / "base").rglob("*.yaml")):
        dest = root / "data" / path.relative_to(CASES / "base")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
    return root


@pytest.fixture(scope="session")
def bundled_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One full copy of the bundled repository for tests that corrupt a file and restore it."""
    return copy_repository(tmp_path_factory.mktemp("bundle") / "repo")


@pytest.fixture
def validate_json() -> Callable[..., Run]:
    def call(root: Path, *args: str) -> Run:
        return run_cli("--root", str(root), "validate", "--as-of", AS_OF, "--format", "json", *args)

    return call


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from current output")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with tests/golden/<name> byte for byte (or rewrite it with --update-golden)."""

    def check(name: str, text: str) -> None:
        path = Path(__file__).resolve().parent / "golden" / name
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.read_text(encoding="utf-8") == text, f"differs from {path}; rerun with --update-golden if intended"

    return check


@pytest.fixture(autouse=True)
def chinese_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read Chinese output unless they ask for English, whatever the machine's locale."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    from yjstation.foundation.i18n import set_language

    set_language("zh")
