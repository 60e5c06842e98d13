"""The eight-step checklist: counts that match an independent reading of the YAML, the weekly page,
and held-out edits of bundled stations."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import AS_OF, Oracle, Run, cli_once, copy_repository, run_cli

GOLDEN = Path(__file__).resolve().parent / "golden" / "checklist.md"
STEP_KEYS = ["layout", "market_survey", "confirmation", "agreement", "fit_out", "training", "maintenance", "upgrade"]
LEVELS = {"township": "乡镇级", "village": "村级"}


def _present(value: Any) -> bool:
    return value not in (None, False, "", [], {})


def independent_done(station: dict[str, Any], policy: dict[str, Any], as_of: date) -> dict[str, date]:
    """The steps done by `as_of`, with their dates, read straight from the policy's wording: a done date
    and every evidence item present (`true`: the value true; `date`: a date not after the done date)."""
    done: dict[str, date] = {}
    for step in policy["steps"]:
        when = (station["rollout"].get(step["key"]) or {}).get("done")
        if not isinstance(when, date) or when > as_of:
            continue
        ok = True
        for item in step["evidence"]:
            value: Any = station
            for part in item["path"].split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if item["check"] == "true":
                ok &= value is True
            elif item["check"] == "date":
                ok &= isinstance(value, date) and value <= when
            else:
                ok &= _present(value)
        if ok:
            done[step["key"]] = when
    return done


def independent_progress(station: dict[str, Any], policy: dict[str, Any], as_of: date) -> tuple[Any, Any, bool]:
    """(current step or None, days in it or None, stalled): the first step not done, counted from the day
    the step before it was done."""
    done = independent_done(station, policy, as_of)
    steps = policy["steps"]
    index = next((i for i, step in enumerate(steps) if step["key"] not in done), None)
    if index is None:
        return None, None, False
    days = (as_of - done[steps[index - 1]["key"]]).days if index > 0 else None
    limit = steps[index].get("stall_after_days", policy["stall_after_days"])
    return steps[index], days, days is not None and days > limit


def independent_done_counts(stations: dict[str, Any], policy: dict[str, Any], as_of: date) -> Counter[str]:
    counts: Counter[str] = Counter({step["key"]: 0 for step in policy["steps"]})
    for station in stations.values():
        counts.update(independent_done(station, policy, as_of).keys())
    return counts


def expected_page_lines(stations: dict[str, Any], oracle: Oracle, as_of: date) -> list[str]:
    """The lines the weekly page must hold for these stations, computed without yjstation."""
    policy = oracle["data/policy/rollout.yaml"]
    names = oracle.township_names()
    progress = {sid: independent_progress(s, policy, as_of) for sid, s in stations.items()}
    total = len(stations)
    completed = sum(current is None for current, _, _ in progress.values())
    stalled = sum(flag for _, _, flag in progress.values())
    day = f"{as_of.year}年{as_of.month}月{as_of.day}日"
    lines = [f"截至{day}，共 {total} 个站点，全部八步完成 {completed} 个，停滞 {stalled} 个。"]
    counts = independent_done_counts(stations, policy, as_of)
    for step in policy["steps"]:
        share = f"{100 * counts[step['key']] / total:.1f}%"
        lines.append(f"| {step['order']}. {step['name']} | {counts[step['key']]} | {share} |")
    for township in oracle.county["townships"]:
        mine = {sid: s for sid, s in stations.items() if s["township"] == township["id"]}
        if mine:
            done = independent_done_counts(mine, policy, as_of)
            row = " |".join(f" {done[step['key']]}" for step in policy["steps"])
            lines.append(f"| {township['name']} | {len(mine)} |{row} |")
    for sid, station in stations.items():
        current, days, flag = progress[sid]
        lines.append(
            f"| {station['name']} | {names[station['township']]} | {LEVELS[station['level']]} | "
            f"{current['name'] if current else '全部完成'} | {'' if days is None else days} | {'停滞' if flag else ''} |"
        )
    return lines


def page_section(page: list[str], heading: str) -> list[list[str]]:
    """The rows of the table under a `## ` heading of the page, as cells (its header and rule left out)."""
    start = next(i for i, line in enumerate(page) if line.startswith("## ") and heading in line)
    rows = []
    for line in page[start + 1 :]:
        if line.startswith("## "):
            break
        if line.startswith("| "):
            rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows[1:]


def station_rows(page: list[str]) -> list[str]:
    """The station names of the page's table of stations."""
    return [row[0] for row in page_section(page, "各站点当前步骤")]


def stalled_rows(page: list[str]) -> list[str]:
    return [row[0] for row in page_section(page, "停滞站点")] if any("停滞站点" in line for line in page) else []


def checklist_json(root: Path, *args: str) -> Any:
    result = cli_once("--root", str(root), "checklist", "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.stdout
    return result.json()


def test_per_step_counts_equal_an_independent_count(bundle: Path, oracle: Oracle) -> None:
    payload = checklist_json(bundle)
    policy = oracle["data/policy/rollout.yaml"]
    assert payload["summary"]["done_by_step"] == dict(
        independent_done_counts(oracle.stations, policy, date.fromisoformat(AS_OF))
    )
    assert payload["summary"]["stations"] == len(oracle.stations)
    assert sorted(s["id"] for s in payload["stations"]) == sorted(oracle.stations)


def test_each_station_is_at_the_step_an_independent_reading_puts_it(bundle: Path, oracle: Oracle) -> None:
    policy = oracle["data/policy/rollout.yaml"]
    for station in checklist_json(bundle)["stations"]:
        current, days, stalled = independent_progress(oracle.stations[station["id"]], policy, date.fromisoformat(AS_OF))
        got = (station["current_step"], station["days_in_step"], station["stalled"])
        assert got == (current["key"] if current else None, days, stalled), station["id"]


def test_json_shape(bundle: Path) -> None:
    payload = checklist_json(bundle)
    assert payload["as_of"] == AS_OF
    station = payload["stations"][0]
    assert {"id", "township", "level", "current_step", "days_in_step", "stalled", "steps"} <= set(station)
    assert [s["key"] for s in station["steps"]] == STEP_KEYS
    assert {s["status"] for st in payload["stations"] for s in st["steps"]} == {"done", "in_progress", "todo"}


def test_bundled_data_has_stations_at_every_step_and_some_stalled(bundle: Path) -> None:
    payload = checklist_json(bundle)
    current = {s["current_step"] for s in payload["stations"]}
    assert current >= {*STEP_KEYS, None}
    assert 0 < payload["summary"]["stalled"] < payload["summary"]["stations"]


@pytest.mark.parametrize(
    ("option", "value", "keep"),
    [
        ("--township", "pingyuan", lambda s: s["township"] == "pingyuan"),
        ("--level", "township", lambda s: s["level"] == "township"),
        ("--step", "fit_out", lambda s: s["current_step"] == "fit_out"),
    ],
)
def test_filters(bundle: Path, option: str, value: str, keep: Callable[[dict[str, Any]], bool]) -> None:
    everything = checklist_json(bundle)["stations"]
    narrowed = checklist_json(bundle, option, value)["stations"]
    assert narrowed and [s["id"] for s in narrowed] == [s["id"] for s in everything if keep(s)]


def test_stalled_filter_and_days(bundle: Path, oracle: Oracle) -> None:
    stalled = checklist_json(bundle, "--stalled")["stations"]
    policy = oracle["data/policy/rollout.yaml"]
    limits = {s["key"]: s.get("stall_after_days", policy["stall_after_days"]) for s in policy["steps"]}
    assert stalled and all(s["stalled"] and s["days_in_step"] > limits[s["current_step"]] for s in stalled)
    as_of = date.fromisoformat(AS_OF)
    assert {s["id"] for s in stalled} == {
        sid for sid, station in oracle.stations.items() if independent_progress(station, policy, as_of)[2]
    }


def test_weekly_page_counts_equal_an_independent_count(bundle: Path, oracle: Oracle) -> None:
    result = cli_once("--root", str(bundle), "checklist", "--as-of", AS_OF, "--format", "md")
    assert result.exit_code == 0
    page = result.stdout.splitlines()
    as_of = date.fromisoformat(AS_OF)
    for line in expected_page_lines(oracle.stations, oracle, as_of):
        assert line in page
    assert sorted(station_rows(page)) == sorted(s["name"] for s in oracle.stations.values())
    policy = oracle["data/policy/rollout.yaml"]
    stalled = [s["name"] for s in oracle.stations.values() if independent_progress(s, policy, as_of)[2]]
    assert sorted(stalled_rows(page)) == sorted(stalled) and stalled
    assert not [sid for sid in oracle.stations if sid in result.stdout]  # names, never ids, on paper


def test_weekly_page_golden(
    bundle: Path, oracle: Oracle, tmp_path: Path, golden: Callable[[str, str], None], request: pytest.FixtureRequest
) -> None:
    """The page's layout, byte for byte, for the stations the golden file was made from (a county that adds
    a station changes its own page, not this one), and the numbers on it against an independent count."""
    ids = None
    if GOLDEN.exists() and not request.config.getoption("--update-golden"):
        by_name = {station["name"]: sid for sid, station in oracle.stations.items()}
        ids = [by_name[name] for name in station_rows(GOLDEN.read_text(encoding="utf-8").splitlines())]
    root = copy_repository(bundle, tmp_path / "repo", stations=ids)
    result = run_cli("--root", str(root), "checklist", "--as-of", AS_OF, "--format", "md")
    assert result.exit_code == 0
    golden("checklist.md", result.stdout)
    mine = {sid: oracle.stations[sid] for sid in ids or oracle.stations}
    page = result.stdout.splitlines()
    assert page[0] == f"# {oracle.county['county']['name']}服务站建设进度（八步清单）"
    for line in expected_page_lines(mine, oracle, date.fromisoformat(AS_OF)):
        assert line in page


def test_one_station_text_view(bundle: Path) -> None:
    result = cli_once("--root", str(bundle), "checklist", "pingyuan-mengzhan", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "站点布局" in result.stdout and "叠加提升" in result.stdout and "✓" in result.stdout


def test_unknown_station_exits_2(bundle: Path, tmp_path: Path) -> None:
    root = copy_repository(bundle, tmp_path / "repo", stations=["pingyuan-town"])
    done = subprocess.run(
        [sys.executable, "-m", "yjstation", "--root", str(root), "checklist", "nowhere"],
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
        shown = run_cli("--root", str(bundled_copy), "checklist", sid, "--as-of", AS_OF, "--format", "json")
        step = next(s for s in shown.json()["stations"][0]["steps"] if s["key"] == "fit_out")
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
