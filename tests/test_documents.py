"""Documents: golden Markdown per kind, DOCX opened and read back, escaping, missing fields, provenance,
and the whole network's agreements in one run.

Rendering happens in copies of the bundled repository under tmp_path, which are not git repositories,
so the provenance line is the same on every machine and the golden files stay byte-stable.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pypandoc
import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.conftest import PROJECT, copy_repository, run_cli
from yjstation.foundation.provenance import data_version
from yjstation.foundation.zh import date_zh, rmb_upper

DATE = "2026-11-29"
ARTICLES = ("第一条", "第二条", "第三条", "第四条", "第五条", "第六条", "第七条", "第八条", "第九条")
STATIONS = 73


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled repository's configuration and stations (no monthly records: documents do not read them)."""
    root = tmp_path_factory.mktemp("documents") / "repo"
    for part in ("data/county.yaml", "data/policy", "data/schemas", "templates", "data/stations"):
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        else:
            (root / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / part)
    return root


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
        ("agreement", "zhanxi-zhanxi"),  # no agreement yet: blanks to fill in by hand
        ("registration", "pingyuan-mengzhan"),
        ("application", "pingyuan-mengzhan"),
        ("fee-notice", "pingyuan-mengzhan"),
        ("fee-notice", "zhanxi-zhanxi"),  # nothing posted yet
    ],
)
def test_markdown_matches_golden(repo: Path, tmp_path: Path, golden: object, kind: str, station: str) -> None:
    code, out, err = render(repo, kind, station, "--out-dir", str(tmp_path))
    assert code == 0, err
    assert out == f"已生成 1 份（{kind}，md）到 {tmp_path}/\n"
    written = tmp_path / f"{station}-{kind}.md"
    text = written.read_text(encoding="utf-8")
    provenance = f"数据版本：不在 git 仓库中（无法确定数据版本） · 生成日期：{DATE}"
    assert text.rstrip("\n").splitlines()[-1] == f"<!-- {provenance} -->"  # recorded, never printed
    assert text.count("数据版本：") == 1
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
        "盈江县村级电子商务服务站合作协议",
        "协议编号：YJ-2023-006（续签协议，原协议编号 YJ-2020-008）",
        "乙方：马红梅",
        "身份证号码：533123198611160568",
        "甲乙双方就盈江县平原镇勐展村建设村级电子商务服务站",
        "从2023年11月1日开始，到2028年10月31日止",
        "押金：1,000.00 元（大写：壹仟元整）",
        "日期：2023年9月26日",
        "联系电话：15007604874",
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
    assert all(article in plain for article in ARTICLES) and "马红梅" in plain
    assert "数据版本" not in plain  # the provenance is in the document's properties, not on the contract
    assert document.core_properties.comments == f"数据版本：不在 git 仓库中（无法确定数据版本） · 生成日期：{DATE}"
    assert document.core_properties.created.date() == date.fromisoformat(DATE)


def test_registration_docx_keeps_its_table(repo: Path, tmp_path: Path) -> None:
    code, _, err = render(repo, "registration", "zhina-town", "--format", "docx", "--out-dir", str(tmp_path))
    assert code == 0, err
    document = Document(str(tmp_path / "zhina-town-registration.docx"))
    assert len(document.tables) == 1  # one form, as the plan draws it
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells[0] == ["姓名", "吴丽华", "性别", "女", "照片"]
    assert cells[1][4] == "照片"  # the photo box spans the first four rows
    assert cells[5] == ["身份证号码", *["533124196508250925"] * 4]


def test_values_are_escaped_in_markdown_and_docx(repo: Path, tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo", stations=["pingyuan-mengzhan"])
    edit(root / "data/stations/pingyuan-mengzhan.yaml", "name: 马红梅", "name: '# 马|红*梅 <b>'")
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
    assert [c.text for c in table.rows[0].cells] == ["姓名", "# 马|红*梅 <b>", "性别", "女", "照片"]
    agreement = Document(str(out / "pingyuan-mengzhan-agreement.docx"))
    assert "乙方：# 马|红*梅 <b>" in [p.text for p in agreement.paragraphs]
    assert "# 马|红*梅 <b>" in pypandoc.convert_file(str(out / "pingyuan-mengzhan-agreement.docx"), "plain")


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_missing_required_field_fails_that_document_only(tmp_path: Path, fmt: str) -> None:
    root = copy_repository(tmp_path / "repo", stations=["pingyuan-mengzhan", "zhina-town"])
    edit(root / "data/stations/pingyuan-mengzhan.yaml", "  name: 马红梅\n", "")
    out = tmp_path / "out"
    code, stdout, stderr = render(
        root, "agreement", "pingyuan-mengzhan", "zhina-town", "--format", fmt, "--out-dir", str(out)
    )
    assert code == 1
    assert "pingyuan-mengzhan" in stderr and "stationmaster.name" in stderr and "站长 › 姓名" in stderr
    assert sorted(p.name for p in out.iterdir()) == [f"zhina-town-agreement.{fmt}"]  # nothing half-written
    assert "1 份失败" in stdout


def test_missing_county_field_is_named(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo", stations=["pingyuan-mengzhan"])
    assert render(root, "fee-notice", "pingyuan-mengzhan", "--out-dir", str(tmp_path / "before"))[0] == 0
    edit(root / "data/county.yaml", '  complaint_phone: "0692-8881235"\n', "")  # seen although cached
    code, _, stderr = render(root, "fee-notice", "pingyuan-mengzhan", "--out-dir", str(tmp_path / "out"))
    assert code == 1 and "data/county.yaml" in stderr and "operator.complaint_phone" in stderr
    assert not (tmp_path / "out" / "pingyuan-mengzhan-fee-notice.md").exists()


def test_a_malformed_value_fails_that_document_with_a_message(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo", stations=["pingyuan-mengzhan"])
    edit(root / "data/stations/pingyuan-mengzhan.yaml", "deposit: 1000.00", "deposit: 一千")
    code, _, stderr = render(root, "agreement", "pingyuan-mengzhan", "--out-dir", str(tmp_path / "out"))
    assert code == 1 and "pingyuan-mengzhan" in stderr and "一千" in stderr and "Traceback" not in stderr


def test_a_failed_document_leaves_the_previous_file_untouched(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo", stations=["pingyuan-mengzhan"])
    out = tmp_path / "out"
    assert render(root, "agreement", "pingyuan-mengzhan", "--out-dir", str(out))[0] == 0
    before = (out / "pingyuan-mengzhan-agreement.md").read_bytes()
    edit(root / "data/stations/pingyuan-mengzhan.yaml", "  id_number: ", "  id_numbr: ")
    assert render(root, "agreement", "pingyuan-mengzhan", "--out-dir", str(out))[0] == 1
    assert (out / "pingyuan-mengzhan-agreement.md").read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["pingyuan-mengzhan-agreement.md"]  # no temporary left over


def test_fee_notice_uses_the_schedule_in_force_and_masks_numbers(repo: Path, tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo", stations=["pingyuan-mengzhan"])
    fees = root / "data/policy/fees.yaml"
    later = fees.read_text(encoding="utf-8").split("schedules:\n", 1)[1]
    later = later.replace("2020-01-01", "2027-01-01").replace("2019年示范项目资费红线", "2027年资费红线")
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
    assert "| 快递收发 | 每单 2.00 元 | 每单不超过 2.00 元 |" in notices["2026-12-31"]
    assert "| 快递收发 | 每单 2.00 元 | 每单不超过 3.00 元 |" in notices["2027-01-01"]
    assert "2027年资费红线（2027年1月1日起执行）" in notices["2027-01-01"]
    for text in notices.values():
        assert r"150\*\*\*\*4874" in text and "15007604874" not in text and "533123198611160568" not in text


def test_fee_notice_refuses_a_posted_price_over_the_red_line(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo", stations=["pingyuan-mengzhan"])
    edit(root / "data/stations/pingyuan-mengzhan.yaml", "express_per_order: 2.00", "express_per_order: 2.50")
    code, _, stderr = render(root, "fee-notice", "pingyuan-mengzhan", "--out-dir", str(tmp_path / "out"))
    assert code == 1 and "fees.express_per_order" in stderr and "超过红线" in stderr


def test_every_station_gets_an_agreement_docx(repo: Path, tmp_path: Path) -> None:
    code, stdout, stderr = render(repo, "agreement", "--all", "--format", "docx", "--out-dir", str(tmp_path))
    assert code == 0, stderr
    made = sorted(p.name for p in tmp_path.iterdir())
    ids = sorted(p.stem for p in (repo / "data/stations").glob("*.yaml"))
    assert len(made) == STATIONS and made == [f"{s}-agreement.docx" for s in ids]
    assert stdout == f"已生成 {STATIONS} 份（agreement，docx）到 {tmp_path}/\n" and stderr == ""
    unsigned = Document(str(tmp_path / "zhanxi-zhanxi-agreement.docx"))
    text = "\n".join(p.text for p in unsigned.paragraphs)
    assert "协议编号：＿＿＿＿＿＿＿＿＿＿" in text and f"从{date_zh(None)}开始" in text
    assert "押金：＿＿＿＿＿＿元（大写：＿＿＿＿＿＿＿＿＿＿）" in text


def test_render_replaces_existing_files_and_writes_into_out_by_default(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo", stations=["pingyuan-mengzhan"])
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


def test_provenance_names_the_commit_and_uncommitted_changes(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo", stations=["pingyuan-mengzhan"])
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
        assert code == 0 and "15007604874" not in stdout + stderr
        text = (tmp_path / f"pingyuan-mengzhan-{kind}.md").read_text(encoding="utf-8")
        full = "533123198611160568" in text and "15007604874" in text
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
