"""`export roster` and `import roster`: the workbook as Excel sees it, masking, the round trip, and the
all-or-nothing import through the checked, comment-keeping edit path."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import AS_OF, Oracle, cli_once, copy_repository, read_yaml, run_cli

SMALL = ["pingyuan-town", "pingyuan-mengzhan", "jiucheng-town"]


@pytest.fixture
def row3(oracle: Oracle) -> dict[str, Any]:
    """The roster's row 3, read (not copied) from the bundle."""
    return oracle.stations["pingyuan-mengzhan"]


def export(root: Path, out: Path, *args: str) -> Path:
    result = run_cli("--root", str(root), "export", "roster", "--as-of", AS_OF, "--out", str(out), *args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return out


def sheet_of(path: Path) -> Any:
    return openpyxl.load_workbook(path)["花名册"]


def columns(sheet: Any) -> dict[str, str]:
    return {cell.value: cell.column_letter for cell in sheet[1]}


def import_roster(root: Path, path: Path, *args: str) -> Any:
    return run_cli("--root", str(root), "import", "roster", str(path), *args)


@pytest.fixture(scope="module")
def bundled_roster(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(bundle, tmp_path_factory.mktemp("roster") / "roster.xlsx")


@pytest.fixture
def small(bundle: Path, tmp_path: Path) -> Path:
    return copy_repository(bundle, tmp_path / "repo", stations=SMALL)


def test_the_workbook_has_every_station_masked_with_real_dates_and_numbers(
    bundled_roster: Path, oracle: Oracle
) -> None:
    sheet = sheet_of(bundled_roster)
    col = columns(sheet)
    assert sorted(c.value for c in sheet["A"][1:]) == sorted(s["id"] for s in oracle.stations.values())
    assert sheet.freeze_panes == "A2"
    assert list(col)[:4] == ["站点编号", "站点名称", "乡镇", "级别"]
    assert sheet.column_dimensions[col["站点名称"]].width == 30
    ids = [c.value for c in sheet[col["身份证号码"]][1:]]
    assert all(re.fullmatch(r"[0-9]{6}\*{8}[0-9X]{4}", v) for v in ids), ids[:3]
    phones = [c.value for c in sheet[col["手机号"]][1:]]
    assert all(re.fullmatch(r"[0-9]{3}\*{4}[0-9]{4}", v) for v in phones)
    start = sheet[f"{col['协议开始日期']}2"]
    assert isinstance(start.value, datetime) and start.number_format == "yyyy-mm-dd"
    money = sheet[f"{col['代购金额（元）']}2"]
    assert isinstance(money.value, float) and money.number_format == "#,##0.00"  # 11,095.49 on screen and paper
    assert {c.value for c in sheet[col["级别"]][1:]} == {"乡镇级服务站", "村级服务站"}
    assert {c.value for c in sheet[col["统计月份"]][1:]} == {oracle.months[-1]}  # the latest month with records
    notes = openpyxl.load_workbook(bundled_roster)["说明"]
    assert ["基准日期", datetime(2021, 12, 31)] in [[c.value for c in row] for row in notes.iter_rows(max_col=2)]


def test_reveal_exports_the_full_numbers(bundle: Path, oracle: Oracle, tmp_path: Path) -> None:
    sheet = sheet_of(export(bundle, tmp_path / "full.xlsx", "--reveal"))
    col = columns(sheet)
    assert sheet.max_row == 1 + len(oracle.stations)
    for row in range(2, sheet.max_row + 1):
        station = oracle.stations[sheet[f"A{row}"].value]["stationmaster"]
        assert sheet[f"{col['身份证号码']}{row}"].value == station["id_number"]
        assert sheet[f"{col['手机号']}{row}"].value == station["phone"]


def test_figures_agree_with_the_monthly_report(bundled_roster: Path, bundle: Path, oracle: Oracle) -> None:
    sheet = sheet_of(bundled_roster)
    col = columns(sheet)
    report = cli_once("--root", str(bundle), "report", "monthly", oracle.months[-1], "--format", "json").json()
    total = report["services"]["total"]
    for header, key in (("订单数", "orders"), ("代购金额（元）", "purchase_amount"), ("服务收费（元）", "fees")):
        cells = [c.value for c in sheet[col[header]][1:] if c.value is not None]
        assert sum(Decimal(str(v)) for v in cells) == Decimal(str(total[key])), header


def test_csv_is_excel_friendly(bundle: Path, oracle: Oracle, tmp_path: Path) -> None:
    raw = export(bundle, tmp_path / "roster.csv", "--format", "csv", "--month", "2021-03").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + len(oracle.stations) and lines[0].startswith("站点编号,站点名称,乡镇,级别")
    assert ",2021-03," in lines[1] and "********" in lines[1]


def test_an_unchanged_export_proposes_no_change(small: Path, tmp_path: Path) -> None:
    for args in ((), ("--reveal",)):
        path = export(small, tmp_path / f"r{len(args)}.xlsx", *args)
        result = import_roster(small, path)
        assert result.exit_code == 0, result.stderr
        assert "0 个站点有改动，0 个新站点，3 个站点没有变化" in result.stdout


def test_values_validate_would_refuse_still_round_trip_unchanged(small: Path, tmp_path: Path) -> None:
    station = small / "data/stations/pingyuan-mengzhan.yaml"
    text = station.read_text(encoding="utf-8").replace("township: pingyuan", "township: pingyan")
    station.write_text(text.replace("level: village", "level: hamlet"), encoding="utf-8")
    result = import_roster(small, export(small, tmp_path / "r.xlsx"))
    assert result.exit_code == 0, result.stderr
    assert "0 个站点有改动" in result.stdout


def test_one_edited_cell_is_exactly_one_change_written_with_comments_kept(
    small: Path, tmp_path: Path, row3: dict[str, Any]
) -> None:
    path = export(small, tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["花名册"]
    col = columns(sheet)
    sheet[f"{col['依托网点名称']}3"] = "勐盏综合服务店"
    sheet[f"{col['订单数']}3"] = 999999  # computed: ignored
    sheet[f"{col['当前步骤']}2"] = "随便写"
    book.save(path)
    preview = import_roster(small, path)
    assert preview.exit_code == 0, preview.stderr
    host = row3["host"]["name"]
    assert f"pingyuan-mengzhan（第 3 行）\n  依托网点 › 网点名称：{host} → 勐盏综合服务店\n" in preview.stdout
    assert "1 个站点有改动" in preview.stdout and "没有写入任何文件" in preview.stdout
    target = small / "data/stations/pingyuan-mengzhan.yaml"
    before = target.read_text(encoding="utf-8")
    applied = import_roster(small, path, "--apply")
    assert applied.exit_code == 0, applied.stderr
    after = target.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [(f"  name: {host}", "  name: 勐盏综合服务店")]
    assert after.startswith("# 平原镇勐盏村电子商务服务站（村级）\n")
    assert "0 个站点有改动" in import_roster(small, path).stdout


def test_masked_cells_mean_unchanged_and_are_never_written(small: Path, tmp_path: Path) -> None:
    path = export(small, tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["花名册"]
    col = columns(sheet)
    sheet[f"{col['身份证号码']}2"] = "533123********9999"
    sheet[f"{col['手机号']}2"] = "139****0000"
    book.save(path)
    before = {p.name: p.read_bytes() for p in (small / "data/stations").iterdir()}
    result = import_roster(small, path, "--apply")
    assert result.exit_code == 0 and "0 个站点有改动" in result.stdout
    assert {p.name: p.read_bytes() for p in (small / "data/stations").iterdir()} == before


def test_every_unusable_cell_is_reported_and_nothing_is_written(small: Path, tmp_path: Path) -> None:
    path = export(small, tmp_path / "r.xlsx", "--reveal")
    book = openpyxl.load_workbook(path)
    sheet = book["花名册"]
    col = columns(sheet)
    sheet[f"{col['依托网点名称']}2"] = "新名字"  # usable, but the sheet has other problems
    sheet[f"{col['级别']}3"] = "村级"
    sheet[f"{col['协议开始日期']}3"] = "明年"
    sheet[f"{col['身份证号码']}4"] = 533123196402210144
    sheet[f"{col['站长']}4"] = None
    sheet[f"{col['乡镇']}2"] = "平原乡"
    book.save(path)
    before = {p.name: p.read_bytes() for p in (small / "data/stations").iterdir()}
    result = import_roster(small, path, "--apply")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"花名册!{col['级别']}3：“村级”不是允许的取值；可选：乡镇级服务站、村级服务站" in lines
    assert any(line.startswith(f"花名册!{col['协议开始日期']}3：“明年”不是日期") for line in lines)
    assert any(line.startswith(f"花名册!{col['身份证号码']}4：身份证号码被存成了数字") for line in lines)
    assert any(
        line.startswith(f"花名册!{col['站长']}4：单元格为空") and "--unset stationmaster.name" in line for line in lines
    )
    assert any(line.startswith(f"花名册!{col['乡镇']}2：“平原乡”不是 data/county.yaml 中的乡镇") for line in lines)
    assert lines[-1] == "有 5 个单元格无法使用，没有写入任何文件"
    assert {p.name: p.read_bytes() for p in (small / "data/stations").iterdir()} == before


def test_a_new_row_becomes_a_valid_station_file(small: Path, tmp_path: Path) -> None:
    path = export(small, tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["花名册"]
    col = columns(sheet)
    row = {
        "站点编号": "pingyuan-yunyan",
        "乡镇": "平原镇",
        "级别": "村级服务站",
        "行政村": "允燕村",
        "依托网点类型": "便利店",
        "依托网点名称": "允燕便民超市",
        "经营面积（平方米）": 25,
        "站长": "李小明",
        "身份证号码": "533123199003030414",
        "手机号": "13900000002",
    }
    for header, value in row.items():
        sheet[f"{col[header]}5"] = value
    book.save(path)
    result = import_roster(small, path, "--apply")
    assert result.exit_code == 0, result.stderr
    assert "新站点 pingyuan-yunyan（第 5 行）→ data/stations/pingyuan-yunyan.yaml" in result.stdout
    created = read_yaml(small / "data/stations/pingyuan-yunyan.yaml")
    assert created["stationmaster"]["birth_date"] == date(1990, 3, 3) and created["stationmaster"]["gender"] == "male"
    assert created["host"] == {"type": "convenience_store", "name": "允燕便民超市"}
    assert "由 yjstation import roster 创建" in (small / "data/stations/pingyuan-yunyan.yaml").read_text("utf-8")
    check = run_cli(
        "--root", str(small), "validate", "--as-of", AS_OF, str(small / "data/stations/pingyuan-yunyan.yaml")
    )
    assert check.exit_code == 0, check.stdout


def test_an_import_that_would_add_errors_writes_nothing(small: Path, tmp_path: Path, oracle: Oracle) -> None:
    path = export(small, tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["花名册"]
    col = columns(sheet)
    gender = oracle.stations["jiucheng-town"]["stationmaster"]["gender"]
    sheet[f"{col['性别']}2"] = "女" if gender == "male" else "男"  # the ID number says otherwise
    sheet[f"{col['依托网点名称']}3"] = "勐盏综合服务店"  # fine on its own, but the import is all or nothing
    book.save(path)
    before = {p.name: p.read_bytes() for p in (small / "data/stations").iterdir()}
    result = import_roster(small, path, "--apply")
    assert result.exit_code == 1
    assert "ID006" in result.stderr and "没有写入任何文件" in result.stderr
    assert {p.name: p.read_bytes() for p in (small / "data/stations").iterdir()} == before


def test_the_agreement_term_in_force_maps_back_to_its_renewal(
    small: Path, tmp_path: Path, row3: dict[str, Any]
) -> None:
    out = tmp_path / "r.xlsx"
    result = run_cli("--root", str(small), "export", "roster", "--as-of", "2024-01-01", "--out", str(out))
    assert result.exit_code == 0
    book = openpyxl.load_workbook(out)
    sheet = book["花名册"]
    col = columns(sheet)
    renewal = row3["agreement"]["renewals"][0]
    assert renewal["signed"] <= date(2024, 1, 1)  # in force on the day the sheet is made
    assert (sheet[f"{col['协议编号']}3"].value, sheet[f"{col['协议到期日期']}3"].value) == (
        renewal["number"],
        datetime.combine(renewal["end"], datetime.min.time()),
    )
    later = date(renewal["end"].year + 1, 6, 30)
    sheet[f"{col['协议到期日期']}3"] = later
    book.save(out)
    preview = import_roster(small, out)  # the sheet's own 基准日期 (2024-01-01) picks the renewal
    assert f"  合作协议 › 续签记录 › 续签后合作结束日期：{renewal['end']} → {later}\n" in preview.stdout


def test_a_file_that_is_not_a_roster_cannot_run(small: Path, tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").write_bytes(b"not a zip")
    refused = import_roster(small, tmp_path / "x.xlsx")
    assert refused.exit_code == 2 and re.search("无法作为 Excel 工作簿", refused.stderr), refused.stderr
    book = openpyxl.Workbook()
    book.active.append(["名字", "电话"])  # type: ignore[union-attr]
    book.save(tmp_path / "other.xlsx")
    refused = import_roster(small, tmp_path / "other.xlsx")
    assert refused.exit_code == 2 and re.search("没有“站点编号”列", refused.stderr), refused.stderr
