"""The eight-step checklist: counts that match an independent reading of the YAML, the weekly page,
and held-out edits of bundled stations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import AS_OF, PROJECT, Run, run_cli


def plain(path: Path) -> Any:
    """An independent reading: PyYAML's safe loader, dates turned back into ISO text."""

    def iso(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: iso(v) for k, v in value.items()}
        if isinstance(value, list):
            return [iso(v) for v in value]
        return value.isoformat() if hasattr(value, "isoformat") else value

    return iso(yaml.safe_load(path.read_text(encoding="utf-8")))


def independent_done_counts(root: Path) -> Counter[str]:
    steps = plain(root / "data/policy/rollout.yaml")["steps"]
    counts: Counter[str] = Counter({step["key"]: 0 for step in steps})
    for path in (root / "data/stations").glob("*.yaml"):
        station = plain(path)
        for step in steps:
            if not station["rollout"].get(step["key"], {}).get("done"):
                continue
            ok = True
            for item in step["evidence"]:
                value: Any = station
                for part in item["path"].split("."):
                    value = value.get(part) if isinstance(value, dict) else None
                ok &= value is True if item["check"] == "true" else value not in (None, False, "", [], {})
            counts[step["key"]] += ok
    return counts


def checklist_json(root: Path, *args: str) -> Any:
    result = run_cli("--root", str(root), "checklist", "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.stdout
    return result.json()


def test_per_step_counts_equal_an_independent_count() -> None:
    payload = checklist_json(PROJECT)
    assert payload["summary"]["done_by_step"] == dict(independent_done_counts(PROJECT))
    assert payload["summary"]["stations"] == 73


def test_json_shape() -> None:
    payload = checklist_json(PROJECT)
    assert payload["as_of"] == AS_OF
    station = payload["stations"][0]
    assert {"id", "township", "level", "current_step", "days_in_step", "stalled", "steps"} <= set(station)
    assert [s["key"] for s in station["steps"]] == [
        "layout",
        "market_survey",
        "confirmation",
        "agreement",
        "fit_out",
        "training",
        "maintenance",
        "upgrade",
    ]
    assert {s["status"] for st in payload["stations"] for s in st["steps"]} == {"done", "in_progress", "todo"}


def test_bundled_data_has_stations_at_every_step_and_some_stalled() -> None:
    payload = checklist_json(PROJECT)
    current = {s["current_step"] for s in payload["stations"]}
    assert current >= {
        "layout",
        "market_survey",
        "confirmation",
        "agreement",
        "fit_out",
        "training",
        "maintenance",
        "upgrade",
        None,
    }
    assert 0 < payload["summary"]["stalled"] < 73


@pytest.mark.parametrize(
    ("option", "value", "keep"),
    [
        ("--township", "pingyuan", lambda s: s["township"] == "pingyuan"),
        ("--level", "township", lambda s: s["level"] == "township"),
        ("--step", "fit_out", lambda s: s["current_step"] == "fit_out"),
    ],
)
def test_filters(option: str, value: str, keep: Callable[[dict[str, Any]], bool]) -> None:
    everything = checklist_json(PROJECT)["stations"]
    narrowed = checklist_json(PROJECT, option, value)["stations"]
    assert narrowed and [s["id"] for s in narrowed] == [s["id"] for s in everything if keep(s)]


def test_stalled_filter_and_days() -> None:
    stalled = checklist_json(PROJECT, "--stalled")["stations"]
    policy = plain(PROJECT / "data/policy/rollout.yaml")
    limits = {s["key"]: s.get("stall_after_days", policy["stall_after_days"]) for s in policy["steps"]}
    assert stalled and all(s["stalled"] and s["days_in_step"] > limits[s["current_step"]] for s in stalled)


def test_weekly_page_golden(golden: Callable[[str, str], None]) -> None:
    result = run_cli("--root", str(PROJECT), "checklist", "--as-of", AS_OF, "--format", "md")
    assert result.exit_code == 0
    golden("checklist.md", result.stdout)


def test_one_station_text_view() -> None:
    result = run_cli("--root", str(PROJECT), "checklist", "pingyuan-mengzhan", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "站点布局" in result.stdout and "叠加提升" in result.stdout and "✓" in result.stdout


def test_unknown_station_exits_2() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "yjstation", "--root", str(PROJECT), "checklist", "nowhere"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "nowhere" in done.stderr


# Held-out edits of a bundled station: each must fail validate at the step's line, and the checklist
# must then show the step not done with the missing item named.


def _edit(path: Path, old: str, new: str) -> Iterator[None]:
    original = path.read_text(encoding="utf-8")
    assert old in original
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def _done_station(root: Path) -> tuple[str, Path]:
    for path in sorted((root / "data/stations").glob("*.yaml")):
        if "  fit_out: {done:" in path.read_text(encoding="utf-8"):
            return path.stem, path
    raise AssertionError("no station with fit-out done")


def test_removed_evidence(bundled_copy: Path) -> None:
    sid, path = _done_station(bundled_copy)
    for _ in _edit(path, "signage: true, ", ""):
        result: Run = run_cli("--root", str(bundled_copy), "validate", "--as-of", AS_OF, "--format", "json")
        assert result.exit_code == 1
        [diag] = [d for d in result.json()["diagnostics"] if d["code"] == "RO001"]
        assert diag["line"] == _line_of(path, "  fit_out:") and "广宣物料制作投放" in diag["message"]
        step = next(s for s in checklist_json(bundled_copy, sid)["stations"][0]["steps"] if s["key"] == "fit_out")
        assert step["status"] != "done" and step["missing"] == ["signage"]


def test_step_done_before_its_predecessor(bundled_copy: Path) -> None:
    _, path = _done_station(bundled_copy)
    text = path.read_text(encoding="utf-8")
    layout_line = next(line for line in text.splitlines() if line.startswith("  layout: {done:"))
    for _ in _edit(path, layout_line, "  layout: {done: 2021-12-30}"):
        result = run_cli("--root", str(bundled_copy), "validate", "--as-of", AS_OF, "--format", "json")
        assert result.exit_code == 1
        lines = {d["line"] for d in result.json()["diagnostics"] if d["code"] == "RO002"}
        assert _line_of(path, "  market_survey:") in lines


def test_done_date_in_the_future(bundled_copy: Path) -> None:
    _, path = _done_station(bundled_copy)
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("  fit_out: {done:"))
    new = "  fit_out: {done: 2022-01-15," + old.split(",", 1)[1]
    for _ in _edit(path, old, new):
        result = run_cli("--root", str(bundled_copy), "validate", "--as-of", AS_OF, "--format", "json")
        assert result.exit_code == 1
        assert {"RO003"} <= {
            d["code"] for d in result.json()["diagnostics"] if d["line"] == _line_of(path, "  fit_out:")
        }
