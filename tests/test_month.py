"""The monthly cycle on a git copy of the bundled repository: open a month, enter three stations
through the entry sheet, and a monthly report that counts exactly them.

Every expectation is computed independently from the files (PyYAML, Decimal), never from yjstation's own
functions.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Oracle, copy_repository, git, run_cli

ENTERED = ("pingyuan-town", "jiucheng-town", "xima-town")  # three stations, in three townships
ZERO_FIGURES = {  # what the three report beside their express figures
    "代购单数": 0,
    "代购金额（元）": 0,
    "代购收费（元）": 0,
    "代销单数": 2,
    "代销销售额（元）": 300.5,
    "代销返利（元）": 15.03,
    "充值缴费单数": 0,
    "充值缴费收费（元）": 0,
    "票务单数": 0,
    "票务收费（元）": 0,
    "存取款单数": 0,
    "存取款金额（元）": 0,
    "存取款收费（元）": 0,
    "便民单数": 4,
    "便民收费（元）": 0,
    "收取村民押金（元）": 0,
}


def decimal_yaml(path: Path) -> Any:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node)))
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)


def serving(oracle: Oracle, month_first: date, month_last: date) -> set[str]:
    """Stations fitted out by the month's end and not closed before it began, read from the files."""
    found = set()
    for station in oracle.stations.values():
        opened = station["rollout"].get("fit_out", {}).get("done")
        closed = station.get("closed")
        if opened is not None and opened <= month_last and (closed is None or closed > month_first):
            found.add(station["id"])
    return found


@pytest.fixture(scope="module")
def repo(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repository(bundle, tmp_path_factory.mktemp("cycle") / "repo")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "bundle")
    return root


def cli(root: Path, *args: str) -> str:
    result = run_cli("--root", str(root), *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def sheet(path: Path) -> tuple[Any, Any, dict[str, int], dict[str, int]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(path.read_bytes()))
    page = book["月报"]
    header = {cell.value: cell.column for cell in page[1]}
    rows = {page.cell(r, 1).value: r for r in range(2, page.max_row + 1)}
    return book, page, header, rows


def fill(page: Any, header: dict[str, int], row: int, express: int) -> None:
    page.cell(row, header["快递单数"]).value = express
    page.cell(row, header["快递收费（元）"]).value = express * 1.5
    page.cell(row, header["报送方式"]).value = "微信"
    for name, value in ZERO_FIGURES.items():
        page.cell(row, header[name]).value = value


@pytest.fixture(scope="module")
def cycle(repo: Path, oracle: Oracle, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The issue's scenario, run once: open 2022-01, enter three stations, and what each step said."""
    folder = repo / "data/operations/2022-01"
    steps: dict[str, Any] = {"opened": cli(repo, "month", "open", "2022-01", "--as-of", "2022-01-31")}
    steps["drafts"] = sorted(p.stem for p in folder.glob("*.yaml"))
    steps["draft_bytes"] = {p.stem: p.read_bytes() for p in folder.glob("*.yaml")}
    steps["validate"] = run_cli("--root", str(repo), "validate", "--as-of", "2022-01-31", "--format", "json")
    steps["status_before"] = run_cli(
        "--root", str(repo), "month", "status", "2022-01", "--format", "json", "--as-of", "2022-01-31"
    ).json()
    out = tmp_path_factory.mktemp("sheets")
    cli(repo, "export", "month", "2022-01", "--out", str(out / "month.xlsx"))
    book, page, header, rows = sheet(out / "month.xlsx")
    steps["exported_rows"] = sorted(rows)
    for express, sid in enumerate(ENTERED, 101):
        fill(page, header, rows[sid], express)
    book.save(out / "filled.xlsx")
    steps["preview"] = cli(repo, "import", "month", str(out / "filled.xlsx"), "--as-of", "2022-02-03")
    steps["after_preview"] = {p.stem: p.read_bytes() for p in folder.glob("*.yaml")}
    steps["applied"] = cli(repo, "import", "month", str(out / "filled.xlsx"), "--apply", "--as-of", "2022-02-03")
    steps["status_after"] = run_cli(
        "--root", str(repo), "month", "status", "2022-01", "--format", "json", "--as-of", "2022-02-10"
    ).json()
    steps["report"] = run_cli("--root", str(repo), "report", "monthly", "2022-01", "--format", "json").json()
    steps["folder"] = folder
    steps["expected"] = sorted(serving(oracle, date(2022, 1, 1), date(2022, 1, 31)))
    yield steps


def test_month_open_writes_drafts_for_exactly_the_stations_serving(cycle: dict[str, Any]) -> None:
    expected = cycle["expected"]
    assert cycle["drafts"] == expected and len(expected) > len(ENTERED)
    assert f"新建草稿 {len(expected)} 个" in cycle["opened"]
    text = (cycle["folder"] / "pingyuan-mengzhan.yaml").read_text(encoding="utf-8")
    draft = yaml.safe_load(text)
    assert draft["reported"] is None and draft["month"] == "2022-01"
    assert all(v is None for entry in draft["services"].values() for v in entry.values())
    assert "# 单数" in text and "草稿" in text.splitlines()[0]
    assert cycle["validate"].exit_code == 0 and cycle["validate"].json()["summary"]["errors"] == 0
    assert cycle["status_before"] == {
        "month": "2022-01",
        "expected": sorted(expected),
        "reported": [],
        "draft": sorted(expected),
        "missing": [],
        "late": [],
    }
    assert cycle["exported_rows"] == sorted(expected)


def test_the_preview_writes_nothing_and_apply_fills_in_three_records(cycle: dict[str, Any]) -> None:
    blank = len(cycle["expected"]) - len(ENTERED)
    assert "3 个站点有改动" in cycle["preview"] and f"{blank} 个空行" in cycle["preview"]
    assert "快递单数：（空）→ 101" in cycle["preview"]
    assert cycle["after_preview"] == cycle["draft_bytes"]  # a preview writes nothing
    for sid in ENTERED:
        assert f"已更新 data/operations/2022-01/{sid}.yaml" in cycle["applied"]
    record = decimal_yaml(cycle["folder"] / "pingyuan-town.yaml")
    assert record["reported"] == date(2022, 2, 3) and record["reported_via"] == "wechat"
    assert record["services"]["express"]["orders"] == 101 and record["services"]["express"]["fees"] == Decimal("151.50")
    assert record["services"]["consignment"] == {"orders": 2, "sales": Decimal("300.50"), "rebate": Decimal("15.03")}
    text = (cycle["folder"] / "pingyuan-town.yaml").read_text(encoding="utf-8")
    assert re.search(r"\n    orders: 101 +# 单数\n", text)  # filled in place, the comments kept


def test_status_lists_exactly_the_three_as_reported(cycle: dict[str, Any]) -> None:
    status = cycle["status_after"]
    assert status["reported"] == sorted(ENTERED)
    assert status["draft"] == sorted(set(status["expected"]) - set(ENTERED))
    assert status["late"] == status["draft"]  # 2022-02-10 is past the deadline, the 5th


def test_the_monthly_report_totals_exactly_the_reported_figures(repo: Path, cycle: dict[str, Any]) -> None:
    report = cycle["report"]
    want: dict[str, Decimal] = {"orders": Decimal(0), "fees": Decimal(0), "sales": Decimal(0)}
    for sid in ENTERED:
        services = decimal_yaml(cycle["folder"] / f"{sid}.yaml")["services"]
        want["orders"] += sum(entry["orders"] for entry in services.values())
        want["fees"] += sum(entry.get("fees", 0) for key, entry in services.items() if key != "consignment")
        want["sales"] += services["consignment"]["sales"]
    total = report["services"]["total"]
    assert total["orders"] == want["orders"] == 3 * 6 + 101 + 102 + 103
    assert Decimal(total["fees"]) == want["fees"] and Decimal(total["consignment_sales"]) == want["sales"]
    assert report["reporting"] == {
        "expected": len(cycle["expected"]),
        "reported": 3,
        "missing": sorted(set(cycle["status_after"]["expected"]) - set(ENTERED)),
    }
    levels = report["assessment"]["levels"]
    assessed = [x["station"] for level in levels for x in level["stations"]]
    assert sorted(assessed) == sorted(ENTERED)  # nobody judged on figures it has not reported
    unreported = {x["station"] for level in levels for x in level["not_assessed"] if x["reason"] == "not_reported"}
    assert unreported and not unreported & set(ENTERED) and unreported <= set(report["reporting"]["missing"])
    assert report["idle"] == {"30": [], "90": []}  # no figures is not "no orders"
    assert report["services"]["compared"] == 3
    express = report["services"]["by_service"]["express"]
    assert express == {"orders": 306, "fees": "459.00"}
    # The comparison with December covers the same three stations only.
    december = sum(
        entry["orders"]
        for sid in ENTERED
        for entry in decimal_yaml(repo / f"data/operations/2021-12/{sid}.yaml")["services"].values()
    )
    assert total["orders_previous"] == december and total["orders_change"] == total["orders"] - december


def test_the_report_says_so_in_words(repo: Path, cycle: dict[str, Any], tmp_path: Path) -> None:
    cli(repo, "report", "monthly", "2022-01", "--format", "md", "--out-dir", str(tmp_path))
    page = (tmp_path / "monthly-2022-01.md").read_text(encoding="utf-8")
    expected = len(cycle["expected"])
    assert f"本月应报站点 {expected} 个，已报送 3 个，未报送 {expected - 3} 个" in page
    assert "| 平原镇 |" in page and "pingyuan-" not in page.split("## 一")[0]  # names, not ids
    assert "较上月的变化只比较两个月都已报送的 3 个站点" in page
    text = cli(repo, "report", "monthly", "2022-01")
    assert "已报送 3 个" in text


def test_drafts_and_filled_records_are_in_canonical_form(repo: Path, cycle: dict[str, Any]) -> None:
    result = run_cli("--root", str(repo), "fmt", "--check", str(cycle["folder"]))
    assert result.exit_code == 0 and "0 个文件需要格式化" in result.stderr


def test_month_open_never_overwrites(repo: Path, cycle: dict[str, Any]) -> None:
    before = {p.name: p.read_bytes() for p in cycle["folder"].glob("*.yaml")}
    again = cli(repo, "month", "open", "2022-01", "--as-of", "2022-01-31")
    assert "新建草稿 0 个" in again and f"已有记录 {len(cycle['expected'])} 个" in again
    assert {p.name: p.read_bytes() for p in cycle["folder"].glob("*.yaml")} == before


def test_a_draft_past_the_deadline_is_a_finding(repo: Path, cycle: dict[str, Any]) -> None:
    late = run_cli("--root", str(repo), "validate", "--as-of", "2022-02-06", "--format", "json")
    found = {d["file"] for d in late.json()["diagnostics"] if d["code"] == "OP007"}
    # warnings: the data is not wrong, the station is late
    assert late.exit_code == 0 and len(found) == len(cycle["expected"]) - len(ENTERED)
    assert "data/operations/2022-01/xima-town.yaml" not in found
    on_time = run_cli("--root", str(repo), "validate", "--as-of", "2022-02-05", "--format", "json")
    assert not [d for d in on_time.json()["diagnostics"] if d["code"] == "OP007"]


def test_the_month_status_page_names_the_stations(
    repo: Path, cycle: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal: the names stay on one line
    page = cli(repo, "month", "status", "2022-01", "--format", "md", "--as-of", "2022-02-10")
    expected, blank = len(cycle["expected"]), len(cycle["expected"]) - 3
    assert f"应报 {expected} 个站点，已报送 3 个，草稿未填 {blank} 个" in page and f"逾期 {blank} 个" in page
    assert "勐盏村" in page and "pingyuan-mengzhan" not in page
    text = cli(repo, "month", "status", "2022-01", "--township", "pingyuan", "--as-of", "2022-02-10")
    assert "勐盏村" in text


def test_report_monthly_2021_07_per_service_totals_equal_an_independent_sum(bundle: Path) -> None:
    report = run_cli("--root", str(bundle), "report", "monthly", "2021-07", "--format", "json").json()
    sums: dict[str, dict[str, Decimal]] = {}
    records = sorted((bundle / "data/operations/2021-07").glob("*.yaml"))
    for path in records:
        for service, entry in decimal_yaml(path)["services"].items():
            bucket = sums.setdefault(service, {})
            for key, value in entry.items():
                bucket[key] = bucket.get(key, Decimal(0)) + value
    by_service = report["services"]["by_service"]
    assert set(by_service) == set(sums) == {
        "express", "purchase_agency", "consignment", "topup", "ticketing", "cash", "convenience",
    }  # fmt: skip
    for service, measures in by_service.items():
        for measure, value in measures.items():
            if measure == "orders":
                assert value == sums[service]["orders"], (service, measure)
            else:
                assert isinstance(value, str) and Decimal(value) == sums[service][measure], (service, measure)
    assert set(by_service["consignment"]) == {"orders", "sales", "rebate"}
    assert set(by_service["cash"]) == {"orders", "amount", "fees"}
    assert report["reporting"] == {"expected": len(records), "reported": len(records), "missing": []}
    township = report["services"]["by_township"][0]
    assert township["by_service"]["express"]["orders"] == sum(
        decimal_yaml(path)["services"]["express"]["orders"]
        for path in (bundle / "data/operations/2021-07").glob("pingyuan-*.yaml")
    )


@pytest.fixture(scope="module")
def opened(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy with January 2022 opened and committed (made once: `fresh` copies it)."""
    root = copy_repository(bundle, tmp_path_factory.mktemp("opened") / "repo")
    git(root, "init", "-q")
    cli(root, "month", "open", "2022-01", "--as-of", "2022-01-31")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "opened")
    return root


@pytest.fixture
def fresh(opened: Path, tmp_path: Path) -> Path:
    """A copy with January 2022 opened and committed (its git history and cache too), for tests that
    change it."""
    return Path(shutil.copytree(opened, tmp_path / "repo", symlinks=True))


def exported(root: Path, tmp_path: Path) -> tuple[Path, Any, Any, dict[str, int], dict[str, int]]:
    target = tmp_path / "month.xlsx"
    cli(root, "export", "month", "2022-01", "--out", str(target))
    return (target, *sheet(target))


def test_unusable_cells_are_named_and_nothing_is_written(fresh: Path, tmp_path: Path) -> None:
    target, book, page, header, rows = exported(fresh, tmp_path)
    fill(page, header, rows["pingyuan-town"], 50)
    fill(page, header, rows["xima-town"], 60)
    page.cell(rows["pingyuan-town"], header["快递单数"]).value = "五十"
    page.cell(rows["xima-town"], header["代销返利（元）"]).value = None  # a blank figure in a filled row
    page.cell(rows["xima-town"], header["报送方式"]).value = "飞鸽"
    book.save(target)
    folder = fresh / "data/operations/2022-01"
    before = {p.name: p.read_bytes() for p in folder.glob("*.yaml")}
    result = run_cli("--root", str(fresh), "import", "month", str(target), "--apply", "--as-of", "2022-02-03")
    assert result.exit_code == 1
    letter = page.cell(1, header["快递单数"]).column_letter
    assert f"月报!{letter}{rows['pingyuan-town']}：“五十”不是单数" in result.stderr
    rebate = page.cell(1, header["代销返利（元）"]).column_letter
    assert f"月报!{rebate}{rows['xima-town']}：xima-town 已填报，代销返利（元）不能空着" in result.stderr
    assert "“飞鸽”不是允许的取值" in result.stderr and "没有写入任何文件" in result.stderr
    assert {p.name: p.read_bytes() for p in folder.glob("*.yaml")} == before


def test_figures_over_the_red_line_are_refused_by_the_checked_write(fresh: Path, tmp_path: Path) -> None:
    target, book, page, header, rows = exported(fresh, tmp_path)
    fill(page, header, rows["pingyuan-town"], 50)
    fill(page, header, rows["xima-town"], 60)
    page.cell(rows["xima-town"], header["快递收费（元）"]).value = 60 * 3  # 3 元/单, over the 2 元 line
    book.save(target)
    folder = fresh / "data/operations/2022-01"
    before = {p.name: p.read_bytes() for p in folder.glob("*.yaml")}
    result = run_cli("--root", str(fresh), "import", "month", str(target), "--apply", "--as-of", "2022-02-03")
    assert result.exit_code == 2 and "FE003" in result.stderr and "没有写入任何文件" in result.stderr
    assert {p.name: p.read_bytes() for p in folder.glob("*.yaml")} == before  # all or nothing


def test_a_sheet_that_is_not_an_entry_sheet_is_refused(fresh: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.xlsx"
    cli(fresh, "export", "roster", "--out", str(roster))
    result = run_cli("--root", str(fresh), "import", "month", str(roster))
    assert result.exit_code == 2 and "不是 yjstation export month 导出的月报录入表" in result.stderr
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    assert run_cli("--root", str(fresh), "import", "month", str(junk)).exit_code == 2
    assert run_cli("--root", str(fresh), "import", "month", str(tmp_path / "none.xlsx")).exit_code == 2
    assert run_cli("--root", str(fresh), "export", "month", "2022-13").exit_code == 2
    assert run_cli("--root", str(fresh), "month", "open", "22-01").exit_code == 2
    assert run_cli("--root", str(fresh), "month", "status", "2022-1").exit_code == 2


def test_a_stale_month_sheet_is_refused_not_applied(fresh: Path, tmp_path: Path) -> None:
    target, book, page, header, rows = exported(fresh, tmp_path)
    fill(page, header, rows["pingyuan-town"], 50)
    fill(page, header, rows["xima-town"], 60)
    book.save(target)
    cli(fresh, "import", "month", str(target), "--apply", "--as-of", "2022-02-03")
    git(fresh, "commit", "-qam", "entered")
    # Two clerks export the month; one corrects two figures and commits, the other edits an old copy.
    older, old_book, old_page, _, _ = exported(fresh, tmp_path / "older")
    correction = _with(older, header, rows, {("pingyuan-town", "快递单数"): 55, ("xima-town", "便民单数"): 9})
    cli(fresh, "import", "month", str(correction), "--apply", "--as-of", "2022-02-04")
    git(fresh, "commit", "-qam", "corrected")
    old_page.cell(rows["pingyuan-town"], header["快递单数"]).value = 52  # changed on both sides
    old_page.cell(rows["xima-town"], header["快递单数"]).value = 61  # changed only in the sheet
    old_book.save(older)
    town, xima = (fresh / f"data/operations/2022-01/{sid}.yaml" for sid in ("pingyuan-town", "xima-town"))
    before = {town: town.read_bytes(), xima: xima.read_bytes()}
    stale = run_cli("--root", str(fresh), "import", "month", str(older), "--apply", "--as-of", "2022-02-05")
    assert stale.exit_code == 1 and "没有写入任何文件" in stale.stderr
    assert (
        "冲突 月报!" in stale.stderr
        and "pingyuan-town 的快递单数 导出时为“50”，之后仓库改为“55”，表中改为“52”" in stale.stderr
    )
    assert "xima-town：便民单数 在导出后已在仓库中改为“9”（导出时为“4”）" in stale.stdout  # kept, and why
    assert {path: path.read_bytes() for path in before} == before

    def orders(path: Path, service: str = "express") -> int:
        return int(yaml.safe_load(path.read_text(encoding="utf-8"))["services"][service]["orders"])

    # Keeping the repository's value writes the other change; taking the sheet's writes this one too.
    kept = run_cli(
        "--root", str(fresh), "import", "month", str(older), "--keep-repo", "--apply", "--as-of", "2022-02-05"
    )
    assert kept.exit_code == 0, kept.stderr
    assert (orders(town), orders(xima), orders(xima, "convenience")) == (55, 61, 9)
    taken = run_cli(
        *("--root", str(fresh), "import", "month", str(older), "--take-sheet", "快递单数"),
        *("--apply", "--as-of", "2022-02-05"),
    )
    assert taken.exit_code == 0, taken.stderr
    assert (orders(town), orders(xima), orders(xima, "convenience")) == (52, 61, 9)
    wrong = run_cli("--root", str(fresh), "import", "month", str(older), "--take-sheet", "快递件数")
    assert wrong.exit_code == 2 and "没有这样的列" in wrong.stderr


def _with(target: Path, header: dict[str, int], rows: dict[str, int], cells: dict[tuple[str, str], Any]) -> Path:
    """A copy of the sheet at `target` with some cells changed: (station, column) -> value."""
    book, page, *_ = sheet(target)
    for (sid, column), value in cells.items():
        page.cell(rows[sid], header[column]).value = value
    changed = target.with_name(target.stem + "-changed.xlsx")
    book.save(changed)
    return changed


def test_an_unchanged_sheet_is_no_change(fresh: Path, tmp_path: Path) -> None:
    target, book, page, header, rows = exported(fresh, tmp_path)
    fill(page, header, rows["pingyuan-town"], 50)
    book.save(target)
    cli(fresh, "import", "month", str(target), "--apply", "--as-of", "2022-02-03")
    git(fresh, "commit", "-qam", "entered")
    again = exported(fresh, tmp_path / "again")[0]
    result = cli(fresh, "import", "month", str(again), "--as-of", "2022-02-03")
    assert "0 个站点有改动，1 个没有变化" in result
