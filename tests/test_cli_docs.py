"""docs/cli.md is every command's `--help`, regenerated here and compared, so it cannot drift."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tests.conftest import PROJECT


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_cli_docs", PROJECT / "scripts/make_cli_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_cli_reference_equals_the_help_of_every_command() -> None:
    page = generator().render()
    committed = (PROJECT / "docs/cli.md").read_text(encoding="utf-8")
    assert committed == page, "docs/cli.md is out of date: run python scripts/make_cli_docs.py"
    for title in ("yjstation validate", "yjstation station set", "yjstation export roster", "yjstation init"):
        assert f"\n## {title}\n" in page


def test_the_readme_says_how_to_install_shell_completion() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "yjstation --install-completion" in readme and "--show-completion" in readme
    assert "docs/cli.md" in readme
