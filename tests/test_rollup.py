"""`report monthly --root A --root B`: the prefecture roll-up equals the sum of each county's own report."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Oracle, cli_once, copy_repository, run_cli

MONTH = "2021-03"


@pytest.fixture(scope="module")
def second(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second, smaller county: three bundled stations under another county name."""
    root = copy_repository(
        bundle,
        tmp_path_factory.mktemp("county") / "b",
        stations=["pingyuan-town", "pingyuan-mengzhan", "jiucheng-town"],
    )
    county = root / "data/county.yaml"
    county.write_text(county.read_text(encoding="utf-8").replace("name: 盈江县", "name: 测试县", 1), encoding="utf-8")
    return root


def own(root: Path) -> Any:
    result = cli_once("--root", str(root), "report", "monthly", MONTH, "--format", "json")
    assert result.exit_code == 0, result.stdout
    return result.json()


@pytest.fixture(scope="module")
def rolled(bundle: Path, second: Path) -> Any:
    result = run_cli("report", "monthly", MONTH, "--root", str(bundle), "--root", str(second), "--format", "json")
    assert result.exit_code == 0, result.stdout
    return result.json()


def number(value: Any) -> Decimal:
    return Decimal(str(value))


def test_the_roll_up_is_each_countys_report_and_their_sum(
    rolled: Any, bundle: Path, oracle: Oracle, second: Path
) -> None:
    reports = [own(bundle), own(second)]
    assert rolled["kind"] == "rollup" and rolled["period"] == MONTH
    assert rolled["counties"] == reports
    assert [c["name"] for c in rolled["by_county"]] == ["盈江县", "测试县"]
    total = rolled["total"]
    assert total["counties"] == 2
    for key in ("township_stations", "village_stations", "operating", "villages_covered", "poverty_covered"):
        assert total["network"][key] == sum(r["network"]["total"][key] for r in reports), key
    covered, villages = total["network"]["villages_covered"], total["network"]["villages"]
    assert total["network"]["village_coverage"] == f"{Decimal(covered) / Decimal(villages):.4f}"
    for key, value in total["services"].items():
        assert number(value) == sum(number(r["services"]["total"][key]) for r in reports), key
    assert number(total["services"]["purchase_amount"]) > number(reports[0]["services"]["total"]["purchase_amount"])
    for step in total["rollout"]["steps"]:
        want = sum(s["done"] for r in reports for s in r["rollout"]["steps"] if s["key"] == step["key"])
        assert step["done"] == want == total["rollout"]["done_by_step"][step["key"]], step["key"]
    assert total["rollout"]["stations"] == len(oracle.stations) + 3
    assert total["fees"]["violations"] == sum(r["fees"]["count"] for r in reports)
    for key, value in total["maintenance"].items():
        assert value == sum(r["maintenance"][key] for r in reports), key
    assert total["training"]["incomplete"] == sum(len(r["training"]["incomplete"]) for r in reports)
    assert total["agreements_ending"] == sum(len(r["agreements_ending"]) for r in reports)
    assert total["idle"] == {d: sum(len(r["idle"][d]) for r in reports) for d in ("30", "90")}
    assert rolled["by_county"][1]["services"]["orders"] == reports[1]["services"]["total"]["orders"]


def test_markdown_and_text_show_each_county_and_the_total(
    rolled: Any, bundle: Path, second: Path, tmp_path: Path
) -> None:
    args = ("report", "monthly", MONTH, "--root", str(bundle), "--root", str(second))
    result = run_cli(*args, "--format", "md", "--out-dir", str(tmp_path))
    assert result.exit_code == 0, result.stdout
    page = (tmp_path / f"rollup-{MONTH}.md").read_text(encoding="utf-8")
    networks = [c["network"] for c in [*rolled["by_county"], rolled["total"]]]
    stations = " | ".join(str(n["township_stations"] + n["village_stations"]) for n in networks)
    assert "| 项目 | 盈江县 | 测试县 | 合计 |" in page and f"| 服务站 | {stations} |" in page
    assert "数据版本：盈江县 " in page and "；测试县 " in page
    text = run_cli(*args).stdout
    assert "合计" in text and "测试县" in text and "2021年3月" in text


def test_a_township_has_no_meaning_across_counties(bundle: Path, second: Path) -> None:
    result = run_cli("report", "monthly", MONTH, "--root", str(bundle), "--root", str(second), "--township", "pingyuan")
    assert result.exit_code == 2


def test_a_root_that_is_no_repository_cannot_run(bundle: Path, tmp_path: Path) -> None:
    refused = run_cli("report", "monthly", MONTH, "--root", str(bundle), "--root", str(tmp_path))
    assert refused.exit_code == 2 and re.search(r"data/county\.yaml", refused.stderr), refused.stderr
