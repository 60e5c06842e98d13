"""Corruptions of bundled files, as an operator's slip would make them: each fails at the offending line.

Each test edits the module's own full copy of the bundle (`bundled_copy`) and restores the file after."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import AS_OF, run_cli

STATION = "data/stations/pingyuan-mengzhan.yaml"


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return edit


def swap_line(starts: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        lines = text.split("\n")
        index = next(i for i, line in enumerate(lines) if line.startswith(starts))
        lines[index] = new
        return "\n".join(lines)

    return edit


def last_digit_wrong(text: str) -> str:
    line = next(x for x in text.split("\n") if x.startswith("  id_number:"))
    number = line.split('"')[1]
    wrong = "0" if number[-1] != "0" else "1"
    return text.replace(number, number[:-1] + wrong)


CORRUPTIONS = [
    ("wrong-check-digit", last_digit_wrong, "ID002", "  id_number:"),
    ("short-phone", swap_line("  phone:", '  phone: "1390000000"'), "ID008", "  phone:"),
    ("unknown-township", replace("township: pingyuan", "township: pingyan"), "ST002", "township:"),
    ("duplicated-key", replace("  education:", "  gender: female\n  education:"), "YAML002", "  gender:"),
    ("unclosed-bracket", swap_line("services:", "services: [publicity, consignment"), "YAML001", "services:"),
    (
        "minor",
        swap_line(
            "  application:",
            "  application: {submitted: 2001-01-01, village_committee_endorsed: true, approved: 2001-01-05}",
        ),
        "ID007",
        "  application:",
    ),
    ("end-before-start", swap_line("  end:", "  end: 2019-01-01"), "AG001", "  end:"),
    ("id-not-file-name", replace("id: pingyuan-mengzhan", "id: pingyuan-mengzhan-2"), "ST001", "id:"),
    ("negative-area", swap_line("site:", "site: {address: 勐展村, area_m2: -5, broadband: true}"), "SCH005", "site:"),
    ("no-broadband", replace("broadband: true", "broadband: false"), "ST008", "site:"),
]


@pytest.mark.parametrize(("name", "corrupt", "code", "starts"), CORRUPTIONS, ids=[c[0] for c in CORRUPTIONS])
def test_corruption(bundled_copy: Path, name: str, corrupt: Callable[[str], str], code: str, starts: str) -> None:
    path = bundled_copy / STATION
    original = path.read_text(encoding="utf-8")
    path.write_text(corrupt(original), encoding="utf-8")
    try:
        result = run_cli("--root", str(bundled_copy), "validate", "--as-of", AS_OF, "--format", "json")
        lines = path.read_text(encoding="utf-8").split("\n")
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.exit_code == 1
    on_file = [d for d in result.json()["diagnostics"] if d["file"] == STATION and d["code"] == code]
    assert on_file, result.json()["diagnostics"]
    assert any(lines[d["line"] - 1].startswith(starts) for d in on_file)
    assert not [d for d in result.json()["diagnostics"] if d["code"] == "RULE000"]  # no rule crashed on it


def test_second_station_for_one_village(bundled_copy: Path) -> None:
    twin = bundled_copy / "data/stations/pingyuan-mengzhan-b.yaml"
    text = (
        (bundled_copy / STATION).read_text(encoding="utf-8").replace("id: pingyuan-mengzhan", "id: pingyuan-mengzhan-b")
    )
    twin.write_text(text, encoding="utf-8")
    try:
        result = run_cli("--root", str(bundled_copy), "validate", "--as-of", AS_OF, "--format", "json")
    finally:
        twin.unlink()
    assert result.exit_code == 1
    clashes = {d["file"]: d["message"] for d in result.json()["diagnostics"] if d["code"] == "ST005"}
    assert set(clashes) == {STATION, "data/stations/pingyuan-mengzhan-b.yaml"}
    assert "pingyuan-mengzhan-b" in clashes[STATION]


def test_station_resaved_as_gb18030(bundled_copy: Path) -> None:
    path = bundled_copy / STATION
    backup = path.with_suffix(".bak")
    shutil.copy2(path, backup)
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    try:
        result = run_cli("--root", str(bundled_copy), "validate", "--as-of", AS_OF, "--format", "json")
    finally:
        shutil.move(backup, path)
    assert result.exit_code == 0
    [diag] = [d for d in result.json()["diagnostics"] if d["file"] == STATION]
    assert diag["code"] == "YAML003" and diag["severity"] == "warning" and "GB18030" in diag["message"]
