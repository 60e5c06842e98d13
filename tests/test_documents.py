"""Documents: golden Markdown per kind, each also checked field by field against an independent reading
of the station's YAML; DOCX opened and read back, escaping, missing fields, provenance, and the whole
network's agreements in one run.

Rendering happens in copies of the bundled repository under tmp_path, which are not git repositories,
so the provenance line is the same on every machine and the golden files stay byte-stable.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypandoc
import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.conftest import Oracle, copy_repository, run_cli
from yjstation.foundation.provenance import data_version
from yjstation.foundation.zh import date_zh, rmb_upper

DATE = "2026-11-29"
UNSIGNED = "kachang-kachang"  # a station without an agreement yet
ARTICLES = ("第一条", "第二条", "第三条", "第四条", "第五条", "第六条", "第七条", "第八条", "第九条")
LEVELS = {"township": "乡镇级服务站", "village": "村级服务站"}
LINE = "＿"  # the full-width low line a blank to fill in by hand is drawn with
PANDOC_FROM = "markdown+east_asian_line_breaks-smart"  # how the Markdown is read to make the DOCX
# The priced lines of the fee schedule in the order of the plan's 二（二）6, each with the station service
# (`services` in its file) it is part of: express, top-ups, tickets and the free convenience services are
# 生活缴费服务 (一（四）), cash is 金融服务 (一（五）). A line is posted only where the station offers it.
FEE_ROWS = {
    "express": ("快递收发", "bill_payment"),
    "purchase_agency": ("商品代购", "purchase_agency"),
    "consignment": ("商品代销", "consignment"),
    "topup": ("充值缴费", "bill_payment"),
    "ticketing": ("票务订购", "bill_payment"),
    "cash": ("存取款服务", "finance"),
    "convenience": ("便民服务", "bill_payment"),
}


@pytest.fixture(scope="module")
def repo(bundle: Path) -> Path:
    """The bundled repository: rendering reads it and writes only into --out-dir."""
    return bundle


def term_of(station: dict[str, Any], day: date) -> dict[str, Any]:
    """The agreement term in force on `day`, worked out here from the file: the renewal signed by then that
    runs longest (starting the day after the term it extends), else the agreement itself; every field None
    while there is no agreement."""
    agreement = station.get("agreement") or {}
    term = {k: agreement.get(k) for k in ("number", "signed", "start", "end")}
    for renewal in agreement.get("renewals") or []:
        if renewal["signed"] <= day and renewal["end"] > term["end"]:
            start = term["end"] + timedelta(days=1)
            term = {"number": renewal["number"], "signed": renewal["signed"], "start": start, "end": renewal["end"]}
    return term


def term_number(station: dict[str, Any], day: date) -> str:
    term, original = term_of(station, day), (station.get("agreement") or {}).get("number")
    if original is None:
        return LINE * 10
    return term["number"] if term["number"] == original else f"{term['number']}（续签协议，原协议编号 {original}）"


def zh(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else f"{LINE * 4}年{LINE * 2}月{LINE * 2}日"


def capital(amount: Decimal) -> str:
    """Whole yuan under ten thousand in capital numerals, written out here (deposits are such sums)."""
    assert amount == amount.to_integral_value() and 0 < amount < 10000, amount
    digits, out, gap = "零壹贰叁肆伍陆柒捌玖", "", False
    for digit, unit in zip(f"{int(amount):04d}", ("仟", "佰", "拾", ""), strict=True):
        if digit == "0":
            gap = bool(out)
            continue
        out += ("零" if gap else "") + digits[int(digit)] + unit
        gap = False
    return out + "元整"


def level_of(station: dict[str, Any], township: str) -> str:
    """村级, or 镇级/乡级 as the township's own name ends."""
    return "村级" if station["level"] == "village" else f"{township[-1]}级"


Expected = str | tuple[str, ...]


def expected_lines(kind: str, sid: str, oracle: Oracle, day: date) -> list[Expected]:
    """What the document must hold, from the station's YAML read without yjstation: a whole line, part of
    the text (marked "…"), or a table row as its cells begin (a cell marked "…" holds that text)."""
    station = oracle.stations[sid]
    master, operator = station["stationmaster"], oracle.county["operator"]
    township = oracle.township_names()[station["township"]]
    gender = {"female": "女", "male": "男"}[master["gender"]]
    host, site = station["host"], station["site"]
    if kind == "agreement":
        agreement, term = station.get("agreement") or {}, term_of(station, day)
        county, level = oracle.county["county"]["name"], level_of(station, township)
        village = station["village"] if station["level"] == "village" else ""
        deposit = agreement.get("deposit")
        return [
            f"# {county}{level}电子商务服务站合作协议",
            f"协议编号：{term_number(station, day)}",
            f"甲方：{operator['name']}",
            f"地址：{operator['address']}",
            f"乙方：{master['name']}",
            f"身份证号码：{master['id_number']}",
            f"住址：{master['address']}",
            f"服务站：{station['name']}（{LEVELS[station['level']]}）",
            f"押金：{LINE * 6}元（大写：{LINE * 10}）"
            if deposit is None
            else f"押金：{deposit:,.2f} 元（大写：{capital(deposit)}）",
            f"…甲乙双方就{county}{township}{village}建设{level}电子商务服务站",
            f"…合作期间从{zh(term['start'])}开始，到{zh(term['end'])}止",
            f"甲方（签章）：{operator['name']}",
            f"联系电话：{operator['phone']}",
            f"乙方（签章）：{master['name']}",
            f"联系电话：{master['phone']}",
            f"日期：{zh(term['signed'])}",
            f"代表签字：{LINE * 8}",
        ]
    if kind == "application":
        application = master["application"]
        credit = f"无不良信用记录（{zh(master['credit_checked'])}核查）" if master.get("good_credit") else None
        return [
            f"申请站点：{station['name']}（{LEVELS[station['level']]}）",
            ("姓名", master["name"], "性别", gender),
            ("出生日期", zh(master["birth_date"]), "文化程度", master["education"]),
            ("身份证号码", master["id_number"], "移动电话", master["phone"]),
            ("籍贯", master["native_place"]),
            ("通信地址", master["address"], *(("信用记录", credit) if credit else ())),
            ("所属乡镇", township, "所在行政村", station["village"]),
            ("网点名称", host["name"]),
            ("站点地址", site["address"], "经营面积", f"{site['area_m2']} 平方米"),
            ("已开通宽带", "是" if site["broadband"] else "否", "共建物流点", station["logistics_point"]["partner"]),
            f"申请日期：{zh(application['submitted'])}",
            ("所在村支两委推荐意见", "…（盖章）"),
            ("县级中心审核意见", f"…审核日期：{zh(application['approved'])}"),
        ]
    if kind == "registration":
        born = master["birth_date"]
        return [
            f"填表日期：{zh(None)}",
            ("姓名", master["name"], "性别", gender, "照片"),
            ("出生年月", f"{born.year}年{born.month}月", "籍贯", master["native_place"]),
            ("文化程度", master["education"], "开店日期", zh(host["opened"])),
            ("移动电话", master["phone"], "店铺面积", f"{site['area_m2']} 平方米"),
            ("经营类目", "、".join(host["categories"]), "通信地址", master["address"]),
            ("身份证号码", master["id_number"]),
            ("当前经营情况", host["business"]),
            ("本人意愿", f"…本人自愿申请担任{station['name']}站长"),
            ("所在村支两委意见", "…（盖章）"),
            ("县电子商务运营中心审批意见", "…（盖章）"),
        ]
    assert kind == "fee-notice"
    [schedule] = oracle["data/policy/fees.yaml"]["schedules"]
    caps, posted, phone = schedule["caps"], station["fees"], master["phone"]
    assert not posted.get("value_added"), "the notice's independent check covers the plan's priced lines only"
    rows = fee_rows(station, schedule)
    lines: list[Expected] = [
        f"# {station['name']}收费标准",
        f"站长：{master['name']}\u3000联系电话：{phone[:3]}\\*\\*\\*\\*{phone[-4:]}",
        f"投诉电话：{operator['complaint_phone']}（{operator['name']}）",
        f"红线依据：{schedule['name']}（{zh(schedule['effective_from'])}起执行）",
        f"本站开展以下服务：{'、'.join(row[0] for row in rows)}，收费标准如下："
        if rows
        else "本站尚未公示收费的服务。",
        *rows,
    ]
    if "market_day" in caps:
        lines.append("…小站大集活动的收费根据具体活动方案而定。")
    if not schedule["deposits_from_villagers"]["allowed"]:
        lines.append("…本站不收取村民押金。")
    return lines


def fee_rows(station: dict[str, Any], schedule: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The notice's rows (service, the station's price, the red line): every line of the schedule the
    station offers and has priced; consignment costs villagers nothing and convenience services are free."""
    caps, posted, offered = schedule["caps"], station["fees"], set(station["services"])

    def percent(rate: Decimal) -> str:
        return f"{(rate * 100).normalize():f}%"

    rows = []
    for service, (label, part_of) in FEE_ROWS.items():
        if part_of not in offered:
            continue
        if service == "purchase_agency":
            rate = posted.get("purchase_agency_rate")
            price = None if rate is None else "免费" if rate == 0 else f"代购金额的 {percent(rate)}"
            cap = f"不超过代购金额的 {percent(caps[service]['rate_max'])}"
        elif service == "consignment":
            price, cap = "不向村民收费", f"站长获取销售额 {percent(caps[service]['rebate_rate'])} 的返利"
        else:
            amount = posted.get(f"{service}_per_order", 0 if service == "convenience" else None)
            price = None if amount is None else "免费" if amount == 0 else f"每单 {amount:.2f} 元"
            most = caps[service]["per_order_max"]
            cap = f"每单不超过 {most:.2f} 元" if most else "免费"
        if price is not None:
            rows.append((label, price, cap))
    return rows


def _text(inlines: list[Any]) -> str:
    """The text of pandoc inlines; a line break kept as a newline."""
    out = ""
    for item in inlines:
        kind, content = item["t"], item.get("c")
        if kind == "Str":
            out += content
        elif kind in ("Space", "SoftBreak"):
            out += " "
        elif kind == "LineBreak":
            out += "\n"
        elif kind == "Span":
            out += _text(content[1])
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps"):
            out += _text(content)
        elif kind in ("Code", "Math", "RawInline"):
            out += content[-1]
        else:
            raise AssertionError(f"unexpected inline {kind} in a table cell")
    return out


def table_rows(markdown: str) -> list[list[str]]:
    """Every table row of the document as pandoc reads it to make the DOCX: the text of each cell."""
    document = json.loads(pypandoc.convert_text(markdown, "json", format=PANDOC_FROM))
    rows = []
    for block in document["blocks"]:
        if block["t"] != "Table":
            continue
        head, bodies = block["c"][3], block["c"][4]
        for row in [*head[1], *(r for body in bodies for r in (*body[2], *body[3]))]:
            rows.append(["\n".join(_text(b["c"]) for b in cell[4] if b["t"] in ("Plain", "Para")) for cell in row[1]])
    return rows


def _cell_is(cell: str, want: str) -> bool:
    if want.startswith("…"):
        return want[1:] in cell.replace("\n", "")
    return cell.replace("\n", "") == want


def check_fields(kind: str, sid: str, oracle: Oracle, text: str, day: date) -> None:
    """Every expected line is in the document: a whole line, part of a sentence ("…"), or a table row as
    pandoc reads it. A notice's table has exactly the expected rows. Full numbers appear only where the
    form asks for them, and once."""
    lines, rows = text.splitlines(), table_rows(text)
    for want in expected_lines(kind, sid, oracle, day):
        if isinstance(want, tuple):
            assert any(
                len(row) >= len(want) and all(_cell_is(c, w) for c, w in zip(row, want, strict=False)) for row in rows
            ), (want, rows)
        elif want.startswith("…"):
            assert want[1:] in text, want
        else:
            assert want in lines, want
    station = oracle.stations[sid]
    master = station["stationmaster"]
    if kind == "fee-notice":
        [schedule] = oracle["data/policy/fees.yaml"]["schedules"]
        assert [tuple(row) for row in rows[1:]] == fee_rows(station, schedule)  # below its header row
        assert master["id_number"] not in text and master["phone"] not in text
        return
    assert text.count(master["id_number"]) == 1
    on_a_line = [line for line in lines if line.startswith("身份证号码：") and master["id_number"] in line]
    in_a_row = [row for row in rows if row[0] == "身份证号码" and master["id_number"] in row[1:]]
    assert len(on_a_line) + len(in_a_row) == 1  # on its own line or its own row of the form
    if kind == "agreement":
        signed = f"日期：{zh(term_of(station, day)['signed'])}"
        assert lines.count(signed) == 2 and lines.count(f"代表签字：{LINE * 8}") == 2  # both parties


_READ: list[Oracle] = []


@pytest.fixture(autouse=True)
def _read(oracle: Oracle) -> None:
    _READ[:] = [oracle]


def bundled(sid: str) -> dict[str, Any]:
    """A bundled station's data, read (not copied) from the session's bundle: the expectations below."""
    return _READ[0].stations[sid]


def example() -> dict[str, Any]:
    return bundled("pingyuan-mengzhan")


def master() -> dict[str, Any]:
    return example()["stationmaster"]  # type: ignore[no-any-return]


def signed() -> dict[str, Any]:
    return example()["agreement"]  # type: ignore[no-any-return]


GENDER = {"male": "男", "female": "女"}


def render(root: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli("--root", str(root), "render", *args, "--date", DATE)
    return result.exit_code, result.stdout, result.stderr


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("kind", "station"),
    [
        ("agreement", "pingyuan-mengzhan"),
        ("agreement", "zhina-town"),  # township level: no village in article 1
        ("agreement", UNSIGNED),  # no agreement yet: blanks to fill in by hand
        ("registration", "pingyuan-mengzhan"),
        ("application", "pingyuan-mengzhan"),
        ("fee-notice", "pingyuan-mengzhan"),
        ("fee-notice", UNSIGNED),  # nothing posted yet
    ],
)
def test_markdown_matches_golden(
    repo: Path, oracle: Oracle, tmp_path: Path, golden: object, kind: str, station: str
) -> None:
    code, out, err = render(repo, kind, station, "--out-dir", str(tmp_path))
    assert code == 0, err
    assert out == f"已生成 1 份（{kind}，md）到 {tmp_path}/\n"
    written = tmp_path / f"{station}-{kind}.md"
    text = written.read_text(encoding="utf-8")
    provenance = f"数据版本：不在 git 仓库中（无法确定数据版本） · 生成日期：{DATE}"
    assert text.rstrip("\n").splitlines()[-1] == f"<!-- {provenance} -->"  # recorded, never printed
    assert text.count("数据版本：") == 1
    check_fields(kind, station, oracle, text, date.fromisoformat(DATE))
    if kind == "agreement":
        positions = [text.index(article) for article in ARTICLES]  # every article, in order
        assert positions == sorted(positions)
    golden(f"{kind}-{station}.md", text)  # type: ignore[operator]


def test_agreement_docx_carries_the_contract_and_the_official_layout(repo: Path, tmp_path: Path) -> None:
    # On DATE the renewal signed in 2023 is in force: its own number, term and signing day are printed.
    code, _, err = render(repo, "agreement", "pingyuan-mengzhan", "--format", "docx", "--out-dir", str(tmp_path))
    assert code == 0, err
    path = tmp_path / "pingyuan-mengzhan-agreement.docx"
    document = Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    for expected in (
        *ARTICLES,
        f"盈江县{LEVELS[example()['level']][:-3]}电子商务服务站合作协议",
        f"协议编号：{term_number(example(), date.fromisoformat(DATE))}",
        f"乙方：{master()['name']}",
        f"身份证号码：{master()['id_number']}",
        "甲乙双方就盈江县平原镇勐盏村建设村级电子商务服务站",
        f"从{zh(term_of(example(), date.fromisoformat(DATE))['start'])}开始，到{zh(term_of(example(), date.fromisoformat(DATE))['end'])}止",
        f"押金：{Decimal(str(signed()['deposit'])):,.2f} 元（大写：{capital(Decimal(str(signed()['deposit'])))}）",
        f"日期：{zh(term_of(example(), date.fromisoformat(DATE))['signed'])}",
        f"联系电话：{master()['phone']}",
    ):
        assert expected in text
    section = document.sections[0]
    assert abs(section.page_width.mm - 210) < 1 and abs(section.page_height.mm - 297) < 1
    for margin, want in (("top", 37), ("left", 28), ("bottom", 35), ("right", 26)):
        assert abs(getattr(section, f"{margin}_margin").mm - want) < 1, margin
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character", "table"):
            fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            lang = style.find(f"{qn('w:rPr')}/{qn('w:lang')}")
            name = style.get(qn("w:styleId"))
            assert fonts is not None and fonts.get(qn("w:eastAsia")), name
            assert lang is not None and lang.get(qn("w:eastAsia")) == "zh-CN", name
    body = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='BodyText']/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert body is not None and body.get(qn("w:eastAsia")) == "仿宋"
    borders = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='Table']/{qn('w:tblPr')}/{qn('w:tblBorders')}")
    assert borders is not None and {qn("w:insideH"), qn("w:insideV")} <= {b.tag for b in borders}
    footer = "".join(section.footer._element.itertext())
    assert "PAGE" in footer
    plain = pypandoc.convert_file(str(path), "plain", format="docx")
    assert all(article in plain for article in ARTICLES) and master()["name"] in plain
    assert "数据版本" not in plain  # the provenance is in the document's properties, not on the contract
    assert document.core_properties.comments == f"数据版本：不在 git 仓库中（无法确定数据版本） · 生成日期：{DATE}"
    assert document.core_properties.created.date() == date.fromisoformat(DATE)


def test_registration_docx_keeps_its_table(repo: Path, tmp_path: Path) -> None:
    code, _, err = render(repo, "registration", "zhina-town", "--format", "docx", "--out-dir", str(tmp_path))
    assert code == 0, err
    document = Document(str(tmp_path / "zhina-town-registration.docx"))
    assert len(document.tables) == 1  # one form, as the plan draws it
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    town = bundled("zhina-town")["stationmaster"]
    assert cells[0] == ["姓名", town["name"], "性别", GENDER[town["gender"]], "照片"]
    assert cells[1][4] == "照片"  # the photo box spans the first four rows
    assert cells[5] == ["身份证号码", *[town["id_number"]] * 4]


def test_values_are_escaped_in_markdown_and_docx(repo: Path, tmp_path: Path) -> None:
    root = copy_repository(repo, tmp_path / "repo", stations=["pingyuan-mengzhan"])
    edit(root / "data/stations/pingyuan-mengzhan.yaml", f"name: {master()['name']}", "name: '# 马|红*梅 <b>'")
    out = tmp_path / "out"
    for fmt in ("md", "docx"):
        for kind in ("registration", "agreement"):
            code, _, err = render(root, kind, "pingyuan-mengzhan", "--format", fmt, "--out-dir", str(out))
            assert code == 0, err
    markdown = (out / "pingyuan-mengzhan-registration.md").read_text(encoding="utf-8")
    row = next(line for line in markdown.splitlines() if line.startswith("| 姓名 "))
    assert row.split(" | ")[1].strip() == r"\# 马\|红\*梅"  # the form's cell wraps at the space, escaped
    assert "\n".join(markdown.splitlines()).count(r"\<b\>") == 1
    assert r"乙方：\# 马\|红\*梅 \<b\>" in (out / "pingyuan-mengzhan-agreement.md").read_text(encoding="utf-8")
    table = Document(str(out / "pingyuan-mengzhan-registration.docx")).tables[0]
    gender = GENDER[master()["gender"]]
    assert [c.text for c in table.rows[0].cells] == ["姓名", "# 马|红*梅 <b>", "性别", gender, "照片"]
    agreement = Document(str(out / "pingyuan-mengzhan-agreement.docx"))
    assert "乙方：# 马|红*梅 <b>" in [p.text for p in agreement.paragraphs]
    assert "# 马|红*梅 <b>" in pypandoc.convert_file(str(out / "pingyuan-mengzhan-agreement.docx"), "plain")


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_missing_required_field_fails_that_document_only(repo: Path, tmp_path: Path, fmt: str) -> None:
    root = copy_repository(repo, tmp_path / "repo", stations=["pingyuan-mengzhan", "zhina-town"])
    edit(root / "data/stations/pingyuan-mengzhan.yaml", f"  name: {master()['name']}\n", "")
    out = tmp_path / "out"
    code, stdout, stderr = render(
        root, "agreement", "pingyuan-mengzhan", "zhina-town", "--format", fmt, "--out-dir", str(out)
    )
    assert code == 1
    assert "pingyuan-mengzhan" in stderr and "stationmaster.name" in stderr and "站长 › 姓名" in stderr
    assert sorted(p.name for p in out.iterdir()) == [f"zhina-town-agreement.{fmt}"]  # nothing half-written
    assert "1 份失败" in stdout


def test_missing_county_field_is_named(repo: Path, tmp_path: Path) -> None:
    root = copy_repository(repo, tmp_path / "repo", stations=["pingyuan-mengzhan"])
    assert render(root, "fee-notice", "pingyuan-mengzhan", "--out-dir", str(tmp_path / "before"))[0] == 0
    edit(root / "data/county.yaml", '  complaint_phone: "0692-8881235"\n', "")  # seen although cached
    code, _, stderr = render(root, "fee-notice", "pingyuan-mengzhan", "--out-dir", str(tmp_path / "out"))
    assert code == 1 and "data/county.yaml" in stderr and "operator.complaint_phone" in stderr
    assert not (tmp_path / "out" / "pingyuan-mengzhan-fee-notice.md").exists()


def test_a_malformed_value_fails_that_document_with_a_message(repo: Path, tmp_path: Path) -> None:
    root = copy_repository(repo, tmp_path / "repo", stations=["pingyuan-mengzhan"])
    edit(root / "data/stations/pingyuan-mengzhan.yaml", f"deposit: {signed()['deposit']:.2f}", "deposit: 一千")
    code, _, stderr = render(root, "agreement", "pingyuan-mengzhan", "--out-dir", str(tmp_path / "out"))
    assert code == 1 and "pingyuan-mengzhan" in stderr and "一千" in stderr and "Traceback" not in stderr


def test_a_failed_document_leaves_the_previous_file_untouched(repo: Path, tmp_path: Path) -> None:
    root = copy_repository(repo, tmp_path / "repo", stations=["pingyuan-mengzhan"])
    out = tmp_path / "out"
    assert render(root, "agreement", "pingyuan-mengzhan", "--out-dir", str(out))[0] == 0
    before = (out / "pingyuan-mengzhan-agreement.md").read_bytes()
    edit(root / "data/stations/pingyuan-mengzhan.yaml", "  id_number: ", "  id_numbr: ")
    assert render(root, "agreement", "pingyuan-mengzhan", "--out-dir", str(out))[0] == 1
    assert (out / "pingyuan-mengzhan-agreement.md").read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["pingyuan-mengzhan-agreement.md"]  # no temporary left over


def test_fee_notice_uses_the_schedule_in_force_and_masks_numbers(repo: Path, tmp_path: Path) -> None:
    root = copy_repository(repo, tmp_path / "repo", stations=["pingyuan-mengzhan"])
    fees = root / "data/policy/fees.yaml"
    later = fees.read_text(encoding="utf-8").split("schedules:\n", 1)[1]
    later = later.replace("2021-01-18", "2027-01-01").replace("2019年示范项目资费红线", "2027年资费红线")
    later = later.replace("per_order_max: 2.00", "per_order_max: 3.00")
    fees.write_text(fees.read_text(encoding="utf-8") + later, encoding="utf-8")
    notices = {}
    for day in ("2026-12-31", "2027-01-01"):
        result = run_cli(
            "--root",
            str(root),
            "render",
            "fee-notice",
            "pingyuan-mengzhan",
            "--out-dir",
            str(tmp_path / day),
            "--date",
            day,
        )
        assert result.exit_code == 0, result.stderr
        notices[day] = (tmp_path / day / "pingyuan-mengzhan-fee-notice.md").read_text(encoding="utf-8")
    express = f"{example()['fees']['express_per_order']:.2f}"
    assert f"| 快递收发 | 每单 {express} 元 | 每单不超过 2.00 元 |" in notices["2026-12-31"]
    assert f"| 快递收发 | 每单 {express} 元 | 每单不超过 3.00 元 |" in notices["2027-01-01"]
    assert "2027年资费红线（2027年1月1日起执行）" in notices["2027-01-01"]
    for text in notices.values():
        phone, number = master()["phone"], master()["id_number"]
        assert rf"{phone[:3]}\*\*\*\*{phone[-4:]}" in text and phone not in text and number not in text


def test_fee_notice_refuses_a_posted_price_over_the_red_line(repo: Path, tmp_path: Path) -> None:
    root = copy_repository(repo, tmp_path / "repo", stations=["pingyuan-mengzhan"])
    express = f"express_per_order: {example()['fees']['express_per_order']:.2f}"
    edit(root / "data/stations/pingyuan-mengzhan.yaml", express, "express_per_order: 2.50")
    code, _, stderr = render(root, "fee-notice", "pingyuan-mengzhan", "--out-dir", str(tmp_path / "out"))
    assert code == 1 and "fees.express_per_order" in stderr and "超过红线" in stderr


@pytest.mark.expensive
def test_every_station_gets_an_agreement_docx(repo: Path, oracle: Oracle, tmp_path: Path) -> None:
    code, stdout, stderr = render(repo, "agreement", "--all", "--format", "docx", "--out-dir", str(tmp_path))
    assert code == 0, stderr
    made = sorted(p.name for p in tmp_path.iterdir())
    ids = sorted(s["id"] for s in oracle.stations.values())
    assert made == [f"{s}-agreement.docx" for s in ids]
    assert stdout == f"已生成 {len(ids)} 份（agreement，docx）到 {tmp_path}/\n" and stderr == ""
    unsigned = Document(str(tmp_path / f"{UNSIGNED}-agreement.docx"))
    text = "\n".join(p.text for p in unsigned.paragraphs)
    assert "协议编号：＿＿＿＿＿＿＿＿＿＿" in text and f"从{date_zh(None)}开始" in text
    assert "押金：＿＿＿＿＿＿元（大写：＿＿＿＿＿＿＿＿＿＿）" in text


def test_render_replaces_existing_files_and_writes_into_out_by_default(repo: Path, tmp_path: Path) -> None:
    root = copy_repository(repo, tmp_path / "repo", stations=["pingyuan-mengzhan"])
    target = root / "out" / "pingyuan-mengzhan-application.md"
    target.parent.mkdir()
    target.write_text("stale", encoding="utf-8")
    code, stdout, _ = render(root, "application", "pingyuan-mengzhan")
    assert code == 0 and stdout == "已生成 1 份（application，md）到 out/\n"
    assert target.read_text(encoding="utf-8").startswith("# 镇村级电商服务站站长申请表")
    assert [p.name for p in target.parent.iterdir()] == [target.name]


@pytest.mark.parametrize(
    "args",
    [
        ["agreement"],  # neither stations nor --all
        ["agreement", "pingyuan-mengzhan", "--all"],
        ["agreement", "no-such-station"],
        ["contract", "pingyuan-mengzhan"],
        ["agreement", "pingyuan-mengzhan", "--format", "pdf"],
        ["agreement", "pingyuan-mengzhan", "--date", "2026-13-01"],
    ],
)
def test_usage_errors_exit_2(repo: Path, tmp_path: Path, args: list[str]) -> None:
    result = run_cli("--root", str(repo), "render", *args, "--out-dir", str(tmp_path))
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_provenance_names_the_commit_and_uncommitted_changes(repo: Path, tmp_path: Path) -> None:
    root = copy_repository(repo, tmp_path / "repo", stations=["pingyuan-mengzhan"])
    assert data_version(root) == "不在 git 仓库中（无法确定数据版本）"
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    assert data_version(root) == "未提交（git 仓库中还没有提交）"
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "data"], check=True)
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert data_version(root) == head
    (root / "out").mkdir()
    (root / "out" / "x.md").write_text("outside data/ and templates/", encoding="utf-8")
    assert data_version(root) == head
    edit(root / "templates/agreement.md.j2", "第九条", "第九条 ")
    assert data_version(root) == f"{head}（含未提交的修改）"
    code, _, _ = render(root, "agreement", "pingyuan-mengzhan")
    text = (root / "out/pingyuan-mengzhan-agreement.md").read_text(encoding="utf-8")
    assert code == 0 and f"数据版本：{head}（含未提交的修改） · 生成日期：{DATE}" in text


def test_only_the_documents_that_need_them_carry_full_numbers(repo: Path, tmp_path: Path) -> None:
    for kind in ("agreement", "registration", "application", "fee-notice"):
        code, stdout, stderr = render(repo, kind, "pingyuan-mengzhan", "--out-dir", str(tmp_path))
        assert code == 0 and master()["phone"] not in stdout + stderr
        text = (tmp_path / f"pingyuan-mengzhan-{kind}.md").read_text(encoding="utf-8")
        full = master()["id_number"] in text and master()["phone"] in text
        assert full == (kind != "fee-notice"), kind


def test_help_and_cheap_startup() -> None:
    result = run_cli("render", "--help")
    assert result.exit_code == 0 and "fee-notice" in result.stdout and "--all" in result.stdout
    probe = "import sys, yjstation.cli.app; print(sorted(m for m in ('jinja2', 'pypandoc') if m in sys.modules))"
    imported = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert imported.strip() == "[]"


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1000.00", "壹仟元整"),
        ("500", "伍佰元整"),
        ("10100.50", "壹万零壹佰元伍角"),
        ("1000.05", "壹仟元零伍分"),
        ("100000001", "壹亿零壹元整"),
        ("0", "零元整"),
    ],
)
def test_amounts_in_capital_numerals(amount: str, words: str) -> None:
    assert rmb_upper(Decimal(amount)) == words


def test_dates_in_chinese() -> None:
    assert date_zh(date(2020, 11, 1)) == "2020年11月1日"
    assert re.fullmatch(r"＿+年＿+月＿+日", date_zh(None))  # lines to write the date on
