"""What the printed documents and reports say and how their DOCX is laid out, checked without printing
(tests/test_pages.py looks at the printed pages): the agreement in force, the fee notice's services, the
forms' one table, provenance kept out of print, names and Chinese dates in reports, the reference
document's page setup, and the chart font. These are also the independent checks of what matters in
the golden Markdown files.
"""

from __future__ import annotations

import json
import re
import unicodedata
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pypandoc
import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.conftest import PROJECT, Oracle, copy_repository, read_yaml, run_cli
from tests.test_checklist import independent_done
from tests.test_documents import capital, fee_rows, zh
from yjstation.documents.docx_layout import column_widths
from yjstation.documents.markdown import cell, grid_table
from yjstation.domain.stations import agreement_in_force
from yjstation.reports import charts

DAY = "2024-01-01"


@pytest.fixture(scope="module")
def repo(bundle: Path) -> Path:
    """The bundled repository: rendering and reports read it and write only into --out-dir."""
    return bundle


def unsigned(oracle: Oracle) -> str:
    """A bundled station without an agreement yet."""
    return next(sid for sid, s in oracle.stations.items() if not s.get("agreement"))


def render(root: Path, out: Path, kind: str, station: str, *args: str, day: str = DAY) -> str:
    result = run_cli("--root", str(root), "render", kind, station, "--out-dir", str(out), "--date", day, *args)
    assert result.exit_code == 0, result.stderr
    if "docx" in args:
        return str(
            pypandoc.convert_file(
                str(out / f"{station}-{kind}.docx"), "plain", format="docx", extra_args=["--wrap=none"]
            )
        )
    return (out / f"{station}-{kind}.md").read_text(encoding="utf-8")


# The agreement in force


def test_the_term_in_force_is_the_agreement_then_each_renewal() -> None:
    station: dict[str, Any] = {
        "stationmaster": {"name": "甲"},  # the agreement is that of the stationmaster in office
        "agreement": {
            "number": "A-1",
            "signed": "2020-10-20",
            "start": "2020-11-01",
            "end": "2023-10-31",
            "deposit": 1000,
            "renewals": [
                {"number": "A-2", "signed": "2023-09-26", "end": "2026-10-31"},
                {"number": "A-3", "signed": "2026-09-01", "end": "2029-10-31"},
            ],
        },
    }
    first = agreement_in_force(station, date(2021, 1, 1))
    assert first is not None and (first.number, first.start, first.end, first.renewal) == (
        "A-1",
        date(2020, 11, 1),
        date(2023, 10, 31),
        False,
    )
    renewed = agreement_in_force(station, date(2024, 1, 1))
    assert renewed is not None and (renewed.number, renewed.signed, renewed.start, renewed.end) == (
        "A-2",
        date(2023, 9, 26),
        date(2023, 11, 1),  # the day after the term it extends
        date(2026, 10, 31),
    )
    assert renewed.deposit == 1000 and renewed.renewal
    last = agreement_in_force(station, date(2026, 9, 1))  # signed that day, so in force from it on
    assert last is not None and (last.number, last.start) == ("A-3", date(2026, 11, 1))
    assert agreement_in_force({}, date(2024, 1, 1)) is None


def test_render_agreement_prints_the_renewal_in_force(repo: Path, oracle: Oracle, tmp_path: Path) -> None:
    agreement = oracle.stations["pingyuan-mengzhan"]["agreement"]
    renewal = agreement["renewals"][0]  # in force from the day it is signed, starting when the first term ends
    on = renewal["signed"].isoformat()
    renewed = render(repo, tmp_path / "renewed", "agreement", "pingyuan-mengzhan", "--format", "docx", day=on)
    assert f"协议编号：{renewal['number']}（续签协议，原协议编号 {agreement['number']}）" in renewed
    start = agreement["end"] + timedelta(days=1)
    assert f"甲乙双方合作期间从{zh(start)}开始，到{zh(renewal['end'])}止" in renewed
    assert renewed.count(f"日期：{zh(renewal['signed'])}") == 2
    before = (renewal["signed"] - timedelta(days=1)).isoformat()
    original = render(repo, tmp_path / "original", "agreement", "pingyuan-mengzhan", day=before)
    assert f"协议编号：{agreement['number']}\n" in original and renewal["number"] not in original
    assert f"从{zh(agreement['start'])}开始，到{zh(agreement['end'])}止" in original
    assert f"日期：{zh(agreement['signed'])}" in original


def test_the_agreement_is_worded_for_the_station_level(repo: Path, oracle: Oracle, tmp_path: Path) -> None:
    county, townships = oracle.county["county"]["name"], oracle.township_names()
    station = oracle.stations["pingyuan-mengzhan"]
    village = render(repo, tmp_path, "agreement", "pingyuan-mengzhan")
    assert village.startswith(f"# {county}村级电子商务服务站合作协议\n")
    assert f"甲乙双方就{county}{townships[station['township']]}{station['village']}建设村级电子商务服务站" in village
    xiang = townships[oracle.stations["zhina-town"]["township"]]
    assert xiang.endswith("乡")
    township = render(repo, tmp_path, "agreement", "zhina-town")
    assert township.startswith(f"# {county}乡级电子商务服务站合作协议\n")
    assert f"甲乙双方就{county}{xiang}建设乡级电子商务服务站" in township
    assert "村级" not in township and "镇/村级" not in township
    assert townships[oracle.stations["jiucheng-town"]["township"]].endswith("镇")
    town = render(repo, tmp_path, "agreement", "jiucheng-town")
    assert town.startswith(f"# {county}镇级电子商务服务站合作协议\n") and "乙方负责镇级电子商务服务站自主经营" in town


def test_amounts_and_blanks_are_written_to_be_filled_in(repo: Path, oracle: Oracle, tmp_path: Path) -> None:
    deposits = {sid: (s.get("agreement") or {}).get("deposit") for sid, s in oracle.stations.items()}
    thousand = next(sid for sid, deposit in deposits.items() if deposit == 1000)
    signed = render(repo, tmp_path, "agreement", thousand)
    assert "押金：1,000.00 元（大写：壹仟元整）" in signed and "¥" not in signed
    other = next(sid for sid, deposit in deposits.items() if deposit is not None and deposit != 1000)
    assert f"押金：{deposits[other]:,.2f} 元（大写：{capital(deposits[other])}）" in render(
        repo, tmp_path, "agreement", other
    )
    blank = render(repo, tmp_path, "agreement", unsigned(oracle))
    assert "协议编号：＿＿＿＿＿＿＿＿＿＿\n" in blank
    assert "押金：＿＿＿＿＿＿元（大写：＿＿＿＿＿＿＿＿＿＿）" in blank
    assert "从＿＿＿＿年＿＿月＿＿日开始，到＿＿＿＿年＿＿月＿＿日止" in blank
    assert blank.count("代表签字：＿＿＿＿＿＿＿＿") == 2 and "\\_" not in blank


def test_articles_are_headings_and_the_signatures_one_block(repo: Path, tmp_path: Path) -> None:
    render(repo, tmp_path, "agreement", "pingyuan-mengzhan", "--format", "docx")
    document = Document(str(tmp_path / "pingyuan-mengzhan-agreement.docx"))
    headings = [p.text for p in document.paragraphs if p.style.style_id == "Heading2"]
    assert headings == [
        "第一条　协议项目",
        "第二条　协议期限",
        "第三条　甲乙双方的权利和义务",
        "第四条　违约责任及处理方式",
    ]
    block = [p for p in document.paragraphs if p.style.style_id == "SignatureBlock"]
    party = ["代表签字", "联系电话", "日期"]
    assert [p.text.split("：")[0] for p in block if p.text.strip()] == ["甲方（签章）", *party, "乙方（签章）", *party]
    style = document.styles["Signature Block"].element
    assert style.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None  # so the block moves to a page whole


# Forms


def test_the_registration_form_is_one_table_with_room_for_photo_and_seals(repo: Path, tmp_path: Path) -> None:
    markdown = render(repo, tmp_path, "registration", "pingyuan-mengzhan")
    for label in ("姓名", "性别", "出生年月", "籍贯", "文化程度", "开店日期", "移动电话", "店铺面积", "经营类目"):
        assert f"| {label} " in markdown, label
    assert "[照片]{#photo}" in markdown and markdown.count("{#seal-") == 2
    render(repo, tmp_path, "registration", "pingyuan-mengzhan", "--format", "docx")
    (table,) = Document(str(tmp_path / "pingyuan-mengzhan-registration.docx")).tables
    heights = [row._tr.trPr.find(qn("w:trHeight")) for row in table.rows]
    mm = [int(h.get(qn("w:val"))) / 56.7 if h is not None else 0 for h in heights]
    assert sum(mm[:4]) >= 35 and mm[-2] >= 45 and mm[-1] >= 45, mm
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid[-1] / 56.7 >= 25 and abs(sum(grid) / 56.7 - 156) < 1  # the photo column; the full text width


def test_the_application_gives_the_opinions_room(repo: Path, oracle: Oracle, tmp_path: Path) -> None:
    markdown = render(repo, tmp_path, "application", "pingyuan-mengzhan")
    assert "{#seal-committee}" in markdown and "{#seal-centre}" in markdown
    application = oracle.stations["pingyuan-mengzhan"]["stationmaster"]["application"]
    assert f"审核日期：{zh(application['approved'])}" in markdown
    assert f"申请日期：{zh(application['submitted'])}" in markdown


# The fee notice


def _notice_services(markdown: str) -> tuple[list[str], list[str]]:
    listed = re.search(r"本站开展以下服务：(.*?)，收费标准如下", markdown)
    rows = re.findall(r"^\| ([^|]+?) \| ", markdown, flags=re.M)
    return (listed[1].split("、") if listed else []), [r for r in rows if r not in ("服务项目", "---")]


def test_the_fee_notice_names_exactly_the_services_it_prices(repo: Path, oracle: Oracle, tmp_path: Path) -> None:
    [schedule] = oracle["data/policy/fees.yaml"]["schedules"]
    priced = render(repo, tmp_path, "fee-notice", "pingyuan-mengzhan")
    text, table = _notice_services(priced)
    station = oracle.stations["pingyuan-mengzhan"]
    assert text == table == [row[0] for row in fee_rows(station, schedule)] and len(table) == 7  # every line
    # a station that offers purchase agency but has set no price for it
    sid = next(
        sid
        for sid, s in oracle.stations.items()
        if "purchase_agency" in s["services"] and "purchase_agency_rate" not in s["fees"]
    )
    unpriced = render(repo, tmp_path, "fee-notice", sid)
    text, table = _notice_services(unpriced)
    assert text == table == [row[0] for row in fee_rows(oracle.stations[sid], schedule)]
    assert "商品代购" not in table and "本站暂未开展" not in unpriced


def test_a_service_the_station_does_not_offer_is_on_no_notice(bundle: Path, tmp_path: Path) -> None:
    root = copy_repository(bundle, tmp_path / "repo", stations=["pingyuan-mengzhan"])
    station = root / "data/stations/pingyuan-mengzhan.yaml"
    before = read_yaml(station)
    text = station.read_text(encoding="utf-8")
    edited = text.replace("consignment, bill_payment, finance]", "consignment]")  # priced, not offered
    assert edited != text and before["fees"].get("purchase_agency_rate") and before["fees"].get("express_per_order")
    station.write_text(edited, encoding="utf-8")
    notice = render(root, tmp_path / "out", "fee-notice", "pingyuan-mengzhan")
    listed, table = _notice_services(notice)
    assert listed == table == ["商品代购", "商品代销"]
    assert not {"快递收发", "充值缴费", "票务订购", "存取款服务", "便民服务"} & set(
        re.findall(r"[\u4e00-\u9fff]+", notice)
    )


# Provenance: recorded, not printed


def test_documents_record_their_provenance_in_the_docx_properties(repo: Path, tmp_path: Path) -> None:
    for kind in ("agreement", "registration", "application", "fee-notice"):
        plain = render(repo, tmp_path, kind, "pingyuan-mengzhan", "--format", "docx")
        assert "数据版本" not in plain and "生成日期" not in plain, kind
        with zipfile.ZipFile(tmp_path / f"pingyuan-mengzhan-{kind}.docx") as package:
            custom = package.read("docProps/custom.xml").decode("utf-8")
        assert 'name="数据版本"><vt:lpwstr>不在 git 仓库中（无法确定数据版本）</vt:lpwstr>' in custom, kind
        assert f'name="生成日期"><vt:lpwstr>{DAY}</vt:lpwstr>' in custom, kind
        markdown = render(repo, tmp_path, kind, "pingyuan-mengzhan")
        assert markdown.rstrip().endswith(f"<!-- 数据版本：不在 git 仓库中（无法确定数据版本） · 生成日期：{DAY} -->")


# Reports


def report(root: Path, out: Path, *args: str) -> str:
    result = run_cli("--root", str(root), "report", *args, "--format", "md", "--out-dir", str(out))
    assert result.exit_code == 0, result.stderr
    return Path(result.stdout.splitlines()[0]).read_text(encoding="utf-8")


def _training_rows(page: str) -> list[tuple[str, str]]:
    """(station, stationmaster) of each row of the monthly report's table of unfinished training."""
    return re.findall(r"^\| ([^|]+?) \| ([^|]+?) \| \d+ \| \d+ \| \d+ \| ", page, flags=re.M)


def week_counts(oracle: Oracle, first: date, last: date) -> tuple[int, int, int]:
    """Rollout steps completed, maintenance visits and training sessions dated in the week, from the YAML."""
    policy = oracle["data/policy/rollout.yaml"]
    steps = sum(
        first <= done <= last for s in oracle.stations.values() for done in independent_done(s, policy, last).values()
    )
    visits = sum(
        first <= visit["date"] <= last
        for month in sorted({f"{first:%Y-%m}", f"{last:%Y-%m}"} & set(oracle.months))
        for record in oracle.operations(month).values()
        for kind in ("online", "onsite")
        for visit in record.get("maintenance", {}).get(kind, [])
    )
    sessions = sum(
        first <= t["date"] <= last
        for s in oracle.stations.values()
        for held in (s, *s.get("former_stationmasters", []))  # a replaced stationmaster's sessions count too
        for t in held.get("training", [])
    )
    return steps, visits, sessions


def test_reports_name_stations_and_write_dates_and_sums_the_chinese_way(
    bundle: Path, oracle: Oracle, tmp_path: Path
) -> None:
    # the first week of the bundle's first year with steps done, visits and training: all its tables print
    year = int(oracle.months[0][:4])
    first = next(
        day
        for week in range(1, 53)
        if all(week_counts(oracle, day := date.fromisocalendar(year, week, 1), day + timedelta(days=6)))
    )
    last = first + timedelta(days=6)
    steps, visits, sessions = week_counts(oracle, first, last)
    ids = sorted(oracle.stations)
    monthly = report(bundle, tmp_path, "monthly", "2021-06")
    weekly = report(bundle, tmp_path, "weekly", f"{year}-W{first.isocalendar().week:02d}")
    for page in (monthly, weekly):
        printed = re.sub(r"\]\([^)]*\.png\)", "]", page.split("<!--")[0])  # a chart's file name is not printed
        assert not [sid for sid in ids if sid in printed]
        assert not re.search(r"\b20\d\d-\d\d(-\d\d)?\b", printed.split(":::")[0])  # no ISO dates in the text
    assert "统计期：2021年6月；名单类统计截至2021年6月30日。" in monthly and "全县共有服务站" in monthly
    orders = sum(e["orders"] for r in oracle.operations("2021-06").values() for e in r["services"].values())
    assert orders >= 1000 and f"本月订单 {orders:,} 单" in monthly  # with the thousands separated
    masters = {  # every stationmaster each station has had, by the station's name
        s["name"]: {
            s["stationmaster"]["name"],
            *(f["stationmaster"]["name"] for f in s.get("former_stationmasters", [])),
        }
        for s in oracle.stations.values()
    }
    rows = _training_rows(monthly)
    assert rows and all(master in masters[station] for station, master in rows), rows  # names, not ids
    assert f"统计期：{zh(first)}至{zh(last)}。" in weekly
    assert [h for h in weekly.splitlines() if h.startswith("## ")] == [
        f"## 一、完成的建设步骤（{steps} 项）",
        f"## 二、运营维护（{visits} 次）",
        "## 三、问题反馈",
        f"## 四、站长培训（{sessions} 人次）",
    ]


def test_a_townships_report_has_its_name_and_kind(bundle: Path, oracle: Oracle, tmp_path: Path) -> None:
    county, townships = oracle.county["county"]["name"], oracle.township_names()
    assert townships["pingyuan"].endswith("镇") and townships["zhina"].endswith("乡")
    town = report(bundle, tmp_path, "monthly", "2021-06", "--township", "pingyuan")
    assert town.startswith(f"# {county}{townships['pingyuan']}农村电子商务服务站2021年6月运营分析\n")
    assert "全镇共有服务站" in town
    xiang = report(bundle, tmp_path, "monthly", "2021-06", "--township", "zhina")
    assert xiang.startswith(f"# {county}{townships['zhina']}农村电子商务服务站") and "全乡共有服务站" in xiang
    titled = report(bundle, tmp_path, "weekly", "2021-W10", "--township", "pingyuan", "--title", "平原镇第10周工作周报")
    assert titled.startswith("# 平原镇第10周工作周报\n")


def test_the_rollup_is_titled_for_the_prefecture_and_names_no_command(
    bundle: Path, oracle: Oracle, tmp_path: Path
) -> None:
    second = copy_repository(bundle, tmp_path / "b", stations=["pingyuan-town"])
    county = second / "data/county.yaml"
    name = oracle.county["county"]["name"]
    county.write_text(county.read_text(encoding="utf-8").replace(f"name: {name}", "name: 陇川县", 1), encoding="utf-8")
    result = run_cli(
        "report", "monthly", "2021-03", "--root", str(bundle), "--root", str(second), "--format", "md",
        "--out-dir", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "out/rollup-2021-03.md").read_text(encoding="utf-8")
    assert page.startswith(f"# {oracle.county['county']['prefecture']}农村电子商务服务站2021年3月运营汇总\n")
    assert "yjstation" not in page.split("<!--")[0] and "各县2021年3月的月度运营分析" in page


def test_the_weekly_meetings_page_filters_by_name_and_prints_as_docx(
    bundle: Path, oracle: Oracle, tmp_path: Path
) -> None:
    args = ("--root", str(bundle), "checklist", "--as-of", "2021-12-31", "--township", "pingyuan", "--stalled")
    page = run_cli(*args, "--format", "md")
    assert page.exit_code == 0
    place = oracle.county["county"]["name"] + oracle.township_names()["pingyuan"]
    assert page.stdout.startswith(f"# {place}服务站建设进度（八步清单）\n\n截至2021年12月31日，")
    assert f"\n筛选条件：乡镇：{oracle.township_names()['pingyuan']}；仅列停滞站点。\n" in page.stdout
    assert not [sid for sid in oracle.stations if sid in page.stdout] and "⚠" not in page.stdout
    made = run_cli(*args, "--format", "docx", "--out-dir", str(tmp_path))
    assert made.exit_code == 0 and made.stdout.strip() == str(tmp_path / "checklist-2021-12-31.docx")
    document = Document(made.stdout.strip())
    assert document.paragraphs[0].text == f"{place}服务站建设进度（八步清单）"
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for table in document.tables for row in table.rows)


# The reference document and the layout of tables


def reference_part(name: str) -> Any:
    from lxml import etree

    with zipfile.ZipFile(PROJECT / "templates/reference.docx") as package:
        return etree.fromstring(package.read(name))


def test_the_reference_document_sets_pictures_on_single_lines_and_numbers_pages_gb_t_9704() -> None:
    styles = reference_part("word/styles.xml")

    def style(sid: str) -> Any:
        return styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{sid}']")

    for sid in ("Figure", "CaptionedFigure"):
        spacing = style(sid).find(f"{qn('w:pPr')}/{qn('w:spacing')}")
        assert spacing.get(qn("w:lineRule")) == "auto" and spacing.get(qn("w:line")) == "240", sid
    for sid in ("Heading1", "Heading2", "Heading3", "SignatureBlock"):
        assert style(sid).find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None, sid
    normal = style("Normal").find(f"{qn('w:rPr')}/{qn('w:spacing')}")
    assert (16 + int(normal.get(qn("w:val"))) / 20) * 28 <= 156 / 25.4 * 72  # 28 condensed 3号 characters fit
    document = reference_part("word/document.xml")
    grid = document.find(f".//{qn('w:docGrid')}")
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"  # 22 lines
    assert {f.get(qn("w:type")) for f in document.iter(qn("w:footerReference"))} == {"default", "even"}
    assert reference_part("word/settings.xml").find(qn("w:evenAndOddHeaders")) is not None
    with zipfile.ZipFile(PROJECT / "templates/reference.docx") as package:
        footers = {n: package.read(n).decode("utf-8") for n in package.namelist() if n.startswith("word/footer")}
    sides = sorted(re.search(r'<w:jc w:val="(\w+)"', xml)[1] for xml in footers.values())  # type: ignore[index]
    assert sides == ["left", "right"] and all("— " in xml and " PAGE " in xml for xml in footers.values())


def test_columns_are_sized_to_what_they_hold() -> None:
    width = 8844
    columns = [
        [("站点", True), ("平原镇勐展村电子商务服务站", False)],
        [("完成日期", True), ("2021年6月28日", False)],
        [("订单数", True), ("37,088", False)],
    ]
    widths = column_widths(columns, width)
    assert sum(widths) == width and widths[0] > widths[1] > widths[2]
    squeezed = column_widths(
        [*columns, [("缺少", True), ("国内外电商发展概况及平台介绍、快递、物流操作基本知识" * 2, False)]], width
    )
    assert sum(squeezed) == width
    assert squeezed[1] >= 240 * 8  # the date stays on one line: short cells are never broken
    assert squeezed[3] == max(squeezed)  # the long text takes what is left


def test_grid_tables_span_rows_and_columns_and_wrap_only_where_it_costs_nothing() -> None:
    table = grid_table(
        [
            [cell("姓名"), cell("马红梅"), cell("[照片]{#photo}", rows=2)],
            [cell("身份证号码"), cell("533123198611160568")],
            [cell("通信地址"), cell("云南省德宏州盈江县平原镇勐展村八组 and more words", cols=2)],
            [cell("签名\n意见"), cell(r"a \* b|c", cols=2)],
        ],
        [10, 12, 10],
    )
    lines = table.splitlines()
    assert all(_width(line) == _width(lines[0]) for line in lines)  # every line as wide as the table
    native = pypandoc.convert_text(table, "json", format="markdown+east_asian_line_breaks")
    blocks = json.loads(native)["blocks"]
    (kind,) = {b["t"] for b in blocks}
    assert kind == "Table"
    rows = blocks[0]["c"][4][0][3]
    spans = [[(c[2], c[3]) for c in row[1]] for row in rows]
    assert spans == [[(1, 1), (1, 1), (2, 1)], [(1, 1), (1, 1)], [(1, 1), (1, 2)], [(1, 1), (1, 2)]]
    text = pypandoc.convert_text(table, "plain", format="markdown+east_asian_line_breaks", extra_args=["--wrap=none"])
    assert "533123198611160568" in text and "云南省德宏州盈江县平原镇勐展村八组" in text and "a * b|c" in text


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


# Charts


def test_the_chart_font_is_chosen_by_name_and_found_again_after_the_cache_went_stale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from matplotlib import font_manager

    first = charts.cjk_font()
    if first is None:
        pytest.skip("no CJK font on this machine (install fonts-noto-cjk)")
    assert charts.cjk_font().get_family() == first.get_family()  # the same font every time
    family = first.get_family()[0]
    assert family in charts.CJK_FAMILIES
    stale = [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name and f.name not in charts.CJK_FAMILIES]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    saved: list[Path] = []
    monkeypatch.setattr(font_manager, "json_dump", lambda manager, path: saved.append(path))
    again = charts.cjk_font()  # the cache knows no Chinese font: rescan the font folders, save the cache
    assert again is not None and again.get_family() == first.get_family() and saved


def test_without_any_cjk_font_the_warning_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    latin = [f for f in font_manager.fontManager.ttflist if f.name == "DejaVu Sans"]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [f.fname for f in latin])
    monkeypatch.delenv("YJSTATION_CJK_FONT", raising=False)
    assert charts.cjk_font() is None
    assert "sudo apt-get install fonts-noto-cjk" in charts.no_font()
