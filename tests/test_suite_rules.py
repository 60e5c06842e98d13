"""The suite's own rules: tests read and write copies of the bundled repository, never the project's data/
(so a county's clone with more stations still passes), and validate nothing in the project itself."""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT_DATA = re.compile(r"PROJECT\s*/\s*[\"']data|[\"']--root[\"'],\s*str\(PROJECT\)|[\"']--root[\"'],\s*PROJECT\b")


def test_no_test_module_touches_the_projects_data() -> None:
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(HERE.glob("test_*.py"))
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PROJECT_DATA.search(line)
    ]
    assert not offenders, f"use the `bundle` fixture or a copy of it: {offenders}"


def test_only_the_bundle_fixture_copies_the_projects_data() -> None:
    conftest = (HERE / "conftest.py").read_text(encoding="utf-8")
    assert len(PROJECT_DATA.findall(conftest)) == 1 and 'shutil.copytree(PROJECT / "data"' in conftest
