"""The assessment against the centre's targets, and the events it reports.

The verdicts are recomputed here from the bundled YAML and the policy file, independently of yjstation's
code: each station's targets by level (and its own), the month's figures from its operations record, and
the pass rule; so a test fails if `assess` ever judges a station by anything but its own targets.
"""

from __future__ import annotations

import copy
import functools
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import copy_repository, run_cli
from yjstation.loading import roundtrip

SAFE = YAML(typ="safe")


class _Data:
    """The session's read-only copy of the bundle, for the module's helpers (set by `_bundle`)."""

    root: Path


DATA = _Data()


@pytest.fixture(autouse=True)
def _bundle(bundle: Path) -> None:
    DATA.root = bundle


def full_copy(target: Path) -> Path:
    """The whole bundled repository, its events included."""
    return copy_repository(DATA.root, target)


def load(path: Path) -> Any:
    """A file of the read-only bundle as plain data (a fresh copy each call)."""
    return copy.deepcopy(_load(path))


@functools.cache
def _load(path: Path) -> Any:
    # each file read once per session: the pure-Python reader is slow, and the bundle does not change
    return SAFE.load(path.read_text(encoding="utf-8"))


def assess(root: Path, month: str, *args: str) -> dict[str, Any]:
    result = run_cli("--root", str(root), "assess", month, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return result.json()  # type: ignore[no-any-return]


def expected_figures(record: dict[str, Any] | None) -> dict[str, Decimal]:
    services = (record or {}).get("services", {})

    def orders(key: str) -> int:
        return int(services.get(key, {}).get("orders", 0))

    return {
        "orders": Decimal(sum(int(v.get("orders", 0)) for v in services.values())),
        "express_orders": Decimal(orders("express")),
        "purchase_amount": Decimal(str(services.get("purchase_agency", {}).get("amount", 0))),
        "consignment_sales": Decimal(str(services.get("consignment", {}).get("sales", 0))),
    }


def test_bundled_december_judges_each_level_against_its_own_targets() -> None:
    month = "2021-12"
    policy = load(DATA.root / "data/policy/assessment.yaml")
    issue = [t for t in policy["targets"] if t["from"] <= month][-1]
    assert issue["township"] != issue["village"]  # the levels really have different targets
    result = assess(DATA.root, month)
    levels = {level["level"]: level for level in result["levels"]}
    assert set(levels) == {"township", "village"}
    assert levels["township"]["stations"] and levels["village"]["stations"]
    for level, block in levels.items():
        for row in block["stations"]:
            station = load(DATA.root / f"data/stations/{row['station']}.yaml")
            assert station["level"] == level
            record_path = DATA.root / f"data/operations/{month}/{row['station']}.yaml"
            figures = expected_figures(load(record_path) if record_path.exists() else None)
            met_all = True
            for target in row["targets"]:
                goal = Decimal(str(issue[level][target["metric"]]))
                if target["metric"] == "feedback_on_time":
                    assert target["target"] == f"{goal * 100:.1f}%"
                    met_all &= target["met"]
                    continue
                assert Decimal(target["target"]) == goal  # the level's own target, printed
                assert Decimal(target["actual"]) == figures[target["metric"]]  # the number behind the verdict
                assert target["met"] == (figures[target["metric"]] >= goal)
                met_all &= target["met"]
            assert row["passed"] == met_all and row["verdict"] == ("合格" if met_all else "不合格")
            offered = station["services"]
            metrics = {t["metric"] for t in row["targets"]}
            assert ("purchase_amount" in metrics) == ("purchase_agency" in offered)
            assert ("consignment_sales" in metrics) == ("consignment" in offered)
    assert levels["township"]["failed"] + levels["village"]["failed"] > 0  # the sample is not all green


def test_the_terminal_shows_both_levels_with_the_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # a wide terminal: the table's cells are not folded
    result = run_cli("--root", str(DATA.root), "assess", "2021-12")
    assert result.exit_code == 0
    assert "乡镇级服务站" in result.stdout and "村级服务站" in result.stdout
    first = assess(DATA.root, "2021-12")["levels"][0]["stations"][0]["targets"][0]
    assert f"{first['actual']}/{first['target']}" in result.stdout


def test_the_monthly_report_carries_the_assessment_and_the_months_events(tmp_path: Path) -> None:
    result = run_cli(
        "--root", str(DATA.root), "report", "monthly", "2021-06", "--format", "md", "--out-dir", str(tmp_path)
    )
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "monthly-2021-06.md").read_text(encoding="utf-8")
    assert "### 乡镇级服务站" in page and "### 村级服务站" in page
    assert "“6·18”网上赶集日" in page.split("## 九、宣传推广活动", 1)[1]
    assert "名次" not in page and "优秀站点候选" not in page  # no invented ranking
    payload = run_cli("--root", str(DATA.root), "report", "monthly", "2021-06", "--format", "json").json()
    assert [e["id"] for e in payload["events"]] == ["2021-06-18-online-market-day"]


def test_a_station_target_overrides_the_default_and_repeated_failures_are_listed(tmp_path: Path) -> None:
    root = copy_repository(DATA.root, tmp_path / "repo")
    sid = assess(DATA.root, "2021-12")["levels"][1]["stations"][0]["station"]
    policy = root / "data/policy/assessment.yaml"
    document = roundtrip.load(policy.read_text(encoding="utf-8"))
    document["stations"] = [{"station": sid, "from": "2021-09", "targets": {"orders": 100000}, "reason": "测试"}]
    policy.write_text(roundtrip.dump(document), encoding="utf-8")
    result = assess(root, "2021-12")
    row = next(r for r in result["levels"][1]["stations"] if r["station"] == sid)
    orders = next(t for t in row["targets"] if t["metric"] == "orders")
    assert orders["target"] == "100000" and orders["source"] == "2021-09 起单独下达" and not orders["met"]
    assert row["verdict"] == "不合格" and row["failed_in_a_row"] >= 4  # September to December
    assert sid in {c["station"] for c in result["candidates"]}
    august = assess(root, "2021-08")
    before = next(r for r in august["levels"][1]["stations"] if r["station"] == sid)
    assert next(t for t in before["targets"] if t["metric"] == "orders")["target"] != "100000"


def test_an_unknown_station_in_the_targets_is_an_error(tmp_path: Path) -> None:
    root = copy_repository(DATA.root, tmp_path / "repo", stations=["pingyuan-town"])
    policy = root / "data/policy/assessment.yaml"
    document = roundtrip.load(policy.read_text(encoding="utf-8"))
    document["stations"] = [{"station": "pingyuan-nowhere", "from": "2021-09", "targets": {"orders": 1}}]
    policy.write_text(roundtrip.dump(document), encoding="utf-8")
    result = run_cli("--root", str(root), "validate", "--as-of", "2021-12-31", "--format", "json", "--no-cache")
    assert [(d["code"], d["path"]) for d in result.json()["diagnostics"] if d["code"] == "AS001"] == [
        ("AS001", "stations[0].station")
    ]


def test_a_pass_rule_of_n_targets(tmp_path: Path) -> None:
    root = copy_repository(DATA.root, tmp_path / "repo")
    policy = root / "data/policy/assessment.yaml"
    document = roundtrip.load(policy.read_text(encoding="utf-8"))
    document["pass_rule"] = 1
    policy.write_text(roundtrip.dump(document), encoding="utf-8")
    for level in assess(root, "2021-12")["levels"]:
        for row in level["stations"]:
            assert row["passed"] == (row["met"] >= 1)


def test_excellence_is_a_recorded_decision_not_a_ranking(tmp_path: Path) -> None:
    result = assess(DATA.root, "2021-12")
    (selection,) = result["selections"]
    recorded = load(DATA.root / f"data/events/{selection['id']}.yaml")
    assert selection["decided_by"] == recorded["decided_by"] and selection["criteria"] == recorded["criteria"]
    assert [(a["award"], a["station"]) for a in selection["awards"]] == [
        (a["award"], a["station"]) for a in recorded["selected"]
    ]
    root = full_copy(tmp_path / "repo")
    for path in (root / "data/events").glob("*.yaml"):
        path.unlink()
    assert assess(root, "2021-12")["selections"] == []  # nothing is computed in its place


def test_a_selection_must_record_who_decided_and_on_which_criteria(tmp_path: Path) -> None:
    root = full_copy(tmp_path / "repo")
    path = next((root / "data/events").glob("*-excellence-selection.yaml"))
    document = roundtrip.load(path.read_text(encoding="utf-8"))
    del document["criteria"]
    document["selected"][0]["station"] = "pingyuan-nowhere"
    path.write_text(roundtrip.dump(document), encoding="utf-8")
    result = run_cli("--root", str(root), "validate", "--as-of", "2021-12-31", "--format", "json", "--no-cache")
    found = {(d["code"], d["path"]) for d in result.json()["diagnostics"] if d["file"] == f"data/events/{path.name}"}
    assert found == {("EV003", "criteria"), ("EV001", "selected[0].station")}
    assert result.exit_code == 1


def test_an_edited_event_is_rechecked_through_the_cache(tmp_path: Path) -> None:
    root = full_copy(tmp_path / "repo")
    args = ("--root", str(root), "validate", "--as-of", "2021-12-31", "--format", "json")
    assert run_cli(*args).exit_code == 0  # fills the cache
    path = root / "data/events/2021-06-18-online-market-day.yaml"
    document = roundtrip.load(path.read_text(encoding="utf-8"))
    document["stations"].append("pingyuan-nowhere")
    path.write_text(roundtrip.dump(document), encoding="utf-8")
    cached = run_cli(*args)
    assert cached.exit_code == 1 and [d["code"] for d in cached.json()["diagnostics"]] == ["EV001"]
    assert cached.json() == run_cli(*args, "--no-cache").json()
