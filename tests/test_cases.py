"""Case files: each file under tests/cases/ is placed into a small repository and validated.

A case starts with comment lines that say where it goes and what it must produce:

    # 身份证号码校验位错误
    # place: data/stations/pingyuan-mengzhan.yaml
    # expect: ID002@23

`expect` lists CODE@LINE for every error and warning on the placed file (none for valid cases).
Adding a case means adding a file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import CASES

CASE_FILES = sorted((CASES / "valid").glob("*.yaml")) + sorted((CASES / "invalid").glob("*.yaml"))


def header(path: Path) -> tuple[str, set[tuple[str, int]]]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    place = re.search(r"^# place: (\S+?)\r?$", text, re.MULTILINE)
    expect = re.search(r"^# expect:(.*?)\r?$", text, re.MULTILINE)
    assert place, f"{path.name} has no '# place:' line"
    pairs = re.findall(r"([A-Z]+[0-9]{3})@([0-9]+)", expect.group(1)) if expect else []
    return place.group(1), {(code, int(line)) for code, line in pairs}


def test_there_are_cases_of_both_kinds() -> None:
    assert len(list((CASES / "valid").glob("*.yaml"))) >= 2
    assert len(list((CASES / "invalid").glob("*.yaml"))) >= 20


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_case(case: Path, mini_repo: Path, validate_json) -> None:  # type: ignore[no-untyped-def]
    place, expected = header(case)
    target = mini_repo / place
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.read_bytes())
    result = validate_json(mini_repo, str(target))
    found = {(d["code"], d["line"]) for d in result.json()["diagnostics"] if d["severity"] in ("error", "warning")}
    assert found == expected
    errors = any(d["severity"] == "error" for d in result.json()["diagnostics"])
    assert result.exit_code == (1 if errors else 0)
    if case.parent.name == "valid":
        assert not expected and result.exit_code == 0
    else:
        assert expected, "an invalid case must expect at least one finding"
    lines = max(1, len(case.read_bytes().splitlines()))
    assert all(1 <= d["line"] <= lines for d in result.json()["diagnostics"] if d["file"] == place), "beyond the file"
