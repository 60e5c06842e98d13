"""The page check: every kind of document and report, made from a copy of the bundled repository,
printed to PDF by LibreOffice in one run and looked at page by page (tests/pages.py).

On every output: each picture is drawn at its full height (not clipped to a line), no table row is split
across pages, no heading ends a page, no Markdown markup and no station id is in the text, and the page
count stays within the bound stated in OUTPUTS. Per kind: the agreement's signature block is on one
page, the forms' photo box and seal rows have their size, the roster prints nothing under 8 pt and its
notes on one page, contracts, forms and notices do not print the data version, page numbers sit where
GB/T 9704 puts them and body text runs 28 characters a line. And the check itself is checked: the
monthly report's charts in a document whose picture paragraphs have the body's exact line spacing again
must be reported, figure by figure.

Set YJSTATION_KEEP_PAGES=DIR to keep the PDFs and a PNG of every page (pdftoppm -r 60) there to look at.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from tests import pages
from tests.conftest import Oracle, copy_repository, run_cli

MONTH, WEEK, AS_OF = "2021-06", "2021-W10", "2021-12-31"


@dataclass(frozen=True)
class Output:
    most_pages: int
    kind: str  # agreement | form | notice | report | roster


# Every output the check looks at, with the most pages it may take.
OUTPUTS = {
    "agreement-signed": Output(4, "agreement"),  # RENEWED the day before its renewal: the first agreement
    "agreement-renewed": Output(4, "agreement"),  # the same station on the day its renewal is signed
    "agreement-unsigned": Output(4, "agreement"),  # no agreement yet: lines to fill in
    "agreement-township": Output(4, "agreement"),  # the township station of a 乡
    "registration": Output(1, "form"),
    "application": Output(2, "form"),
    "fee-notice-priced": Output(1, "notice"),
    "fee-notice-unpriced": Output(1, "notice"),
    # The monthly report grew with the reporting status (#14) and the assessment of every station against
    # its targets (#15): about five pages of tables for the county's 73 stations, one for a township's.
    "monthly-county": Output(20, "report"),
    "monthly-township": Output(7, "report"),
    "weekly": Output(10, "report"),
    "checklist": Output(10, "report"),
    "rollup": Output(4, "report"),
    "roster": Output(10, "roster"),
}
CHARTS, EXACT = "charts", "charts-exact-spacing"  # the demonstration: the same charts, then exact spacing
RENEWED = "pingyuan-mengzhan"  # a station whose agreement has been renewed

Printed = dict[str, tuple[pages.Pdf, pages.DocxFacts | None]]


@pytest.fixture(scope="module")
def printed(bundle: Path, oracle: Oracle, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    """Every output made, printed in one LibreOffice run and read back: name -> (pages, what they must show)."""
    pages.require_tools()
    base = tmp_path_factory.mktemp("pages")
    files = _make_everything(copy_repository(bundle, base / "repo"), base / "made", oracle)
    pdfs = pages.convert(list(files.values()), base / "pdf")
    keep = os.environ.get("YJSTATION_KEEP_PAGES")
    if keep:
        _keep(pdfs, Path(keep))
    return {
        name: (pages.read(pdfs[path.stem]), pages.docx_facts(path) if path.suffix == ".docx" else None)
        for name, path in files.items()
    }


def unsigned(oracle: Oracle) -> str:
    """A bundled station without an agreement yet."""
    return next(sid for sid, s in oracle.stations.items() if not s.get("agreement"))


def unpriced(oracle: Oracle) -> str:
    """A bundled station that offers purchase agency but has set no price for it."""
    return next(
        sid
        for sid, s in oracle.stations.items()
        if "purchase_agency" in s["services"] and "purchase_agency_rate" not in s["fees"]
    )


def _make_everything(root: Path, out: Path, oracle: Oracle) -> dict[str, Path]:
    """Each output made through the CLI and named as in OUTPUTS, plus the two chart documents of the
    spacing demonstration."""
    made: dict[str, Path] = {}
    renewal = oracle.stations[RENEWED]["agreement"]["renewals"][0]["signed"]

    def cli(*args: str) -> None:
        result = run_cli("--root", str(root), *args)
        assert result.exit_code == 0, result.stderr

    def documents(kind: str, day: str, names: dict[str, str]) -> None:
        target = out / f"{kind}-{day}"
        cli("render", kind, *names, "--format", "docx", "--out-dir", str(target), "--date", day)
        for station, name in names.items():
            made[name] = _renamed(target / f"{station}-{kind}.docx", name)

    documents("agreement", (renewal - timedelta(days=1)).isoformat(), {RENEWED: "agreement-signed"})
    documents("agreement", renewal.isoformat(), {RENEWED: "agreement-renewed"})
    documents("agreement", "2022-01-01", {unsigned(oracle): "agreement-unsigned", "zhina-town": "agreement-township"})
    documents("registration", "2022-01-01", {"pingyuan-mengzhan": "registration"})
    documents("application", "2022-01-01", {"pingyuan-mengzhan": "application"})
    documents(
        "fee-notice", "2022-01-01", {"pingyuan-mengzhan": "fee-notice-priced", unpriced(oracle): "fee-notice-unpriced"}
    )
    reports = out / "reports"
    cli("report", "monthly", MONTH, "--format", "docx", "--out-dir", str(reports))
    made["monthly-county"] = _renamed(reports / f"monthly-{MONTH}.docx", "monthly-county")
    cli("report", "monthly", MONTH, "--township", "pingyuan", "--format", "docx", "--out-dir", str(reports))
    made["monthly-township"] = _renamed(reports / f"monthly-{MONTH}-pingyuan.docx", "monthly-township")
    cli("report", "weekly", WEEK, "--format", "docx", "--out-dir", str(reports))
    made["weekly"] = _renamed(reports / f"weekly-{WEEK}.docx", "weekly")
    cli("checklist", "--as-of", AS_OF, "--format", "docx", "--out-dir", str(reports))
    made["checklist"] = _renamed(reports / f"checklist-{AS_OF}.docx", "checklist")
    second = copy_repository(root, out / "second", stations=["pingyuan-town", "pingyuan-mengzhan", "jiucheng-town"])
    county = second / "data/county.yaml"
    name = oracle.county["county"]["name"]
    county.write_text(county.read_text(encoding="utf-8").replace(f"name: {name}", "name: 陇川县", 1), encoding="utf-8")
    cli(
        "report",
        "monthly",
        MONTH,
        "--root",
        str(root),
        "--root",
        str(second),
        "--format",
        "docx",
        "--out-dir",
        str(reports),
    )
    made["rollup"] = _renamed(reports / f"rollup-{MONTH}.docx", "rollup")
    cli("export", "roster", "--month", MONTH, "--as-of", "2021-06-30", "--out", str(out / "roster.xlsx"))
    made["roster"] = out / "roster.xlsx"
    charts = [reports / f"monthly-{MONTH}-{chart}.png" for chart in ("funnel", "orders")]
    made.update(_chart_documents(root / "templates/reference.docx", charts, out / "charts"))
    return made


def _renamed(path: Path, name: str) -> Path:
    return path.rename(path.with_name(f"{name}{path.suffix}"))


def _chart_documents(reference: Path, charts: list[Path], out: Path) -> dict[str, Path]:
    """The monthly report's two charts in a document of their own, made once with the reference document
    as shipped and once with its picture paragraphs put back to the body's exact 28.95 pt line, the
    fault that printed the charts as a strip."""
    from yjstation.documents.render import to_docx

    out.mkdir(parents=True)
    markdown = "# 图表\n\n" + "".join(f"![{chart.stem}]({chart})\n\n" for chart in charts)
    variant = out / "reference-exact.docx"
    variant.write_bytes(exact_figure_spacing(reference.read_bytes()))
    made = {}
    for name, styles in ((CHARTS, reference), (EXACT, variant)):
        made[name] = out / f"{name}.docx"
        to_docx(markdown, made[name], styles)
    return made


def exact_figure_spacing(reference: bytes) -> bytes:
    """The reference document with the Figure and Captioned Figure styles on the body's exact line."""
    source, target = zipfile.ZipFile(io.BytesIO(reference)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/styles.xml":
                text = data.decode("utf-8")
                for style in ("Figure", "CaptionedFigure"):
                    text, count = re.subn(
                        rf'(w:styleId="{style}".*?<w:spacing )[^/]*(/>)',
                        r'\1w:before="0" w:after="0" w:line="579" w:lineRule="exact"\2',
                        text,
                        count=1,
                        flags=re.S,
                    )
                    assert count == 1, f"no spacing in the {style} style"
                data = text.encode("utf-8")
            package.writestr(item, data)
    return target.getvalue()


def _keep(pdfs: dict[str, Path], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, pdf in pdfs.items():
        shutil.copy2(pdf, folder / pdf.name)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(folder / stem)], check=True)


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_every_output_looks_right_on_paper(printed: Printed, oracle: Oracle, name: str) -> None:
    pdf, facts = printed[name]
    spec = OUTPUTS[name]
    problems = []
    if len(pdf.pages) > spec.most_pages:
        problems.append(f"{len(pdf.pages)} pages, at most {spec.most_pages} expected")
    if facts is not None:
        problems += pages.figure_problems(pdf, facts.figures)
        problems += pages.split_rows(pdf, facts.rows)
        problems += pages.headings_ending_pages(pdf, facts.headings)
        problems += pages.together(pdf, facts.signature, "signature block")
    # The roster's wide sheet keeps the station id, the column an import matches rows by; the sheet made
    # for printing (numbered rows, 序号) must not show it.
    readable = [p for p in pdf.pages if "序号" in p.raw] if spec.kind == "roster" else None
    problems += pages.text_problems(pdf, sorted(oracle.stations), readable)
    assert problems == [], f"{name}: " + "; ".join(problems)


def test_the_check_sees_the_chart_strip(printed: Printed) -> None:
    """Put the figure styles back to exact line spacing and the charts print as a strip one line high:
    the check must say so, figure by figure. The same charts with the shipped reference print whole."""
    pdf, facts = printed[EXACT]
    assert facts is not None and len(facts.figures) == 2 and all(h > 150 for h in facts.figures)
    problems = pages.figure_problems(pdf, facts.figures)
    assert len(problems) == 2, problems
    for problem in problems:
        seen, wanted = (float(x) for x in re.findall(r"(\d+\.\d) pt", problem)[:2])
        assert seen < wanted / 3, problem  # a strip of a line or two of a picture 150 pt and more high
    good, good_facts = printed[CHARTS]
    assert good_facts is not None and good_facts.figures == facts.figures
    assert pages.figure_problems(good, good_facts.figures) == []


def test_the_agreement_keeps_its_articles_and_signatures_together(printed: Printed, oracle: Oracle) -> None:
    renewal = oracle.stations[RENEWED]["agreement"]["renewals"][0]["number"]
    for name in ("agreement-signed", "agreement-renewed", "agreement-unsigned", "agreement-township"):
        pdf, facts = printed[name]
        assert facts is not None
        assert [h for h in facts.headings if h.startswith("第")] == [
            "第一条　协议项目",
            "第二条　协议期限",
            "第三条　甲乙双方的权利和义务",
            "第四条　违约责任及处理方式",
        ]
        assert len(facts.signature) == 8 and facts.signature[-1].startswith("日期：")
        assert (renewal in pdf.text) == (name == "agreement-renewed"), name


def test_the_registration_form_has_room_for_photo_and_seals(printed: Printed) -> None:
    pdf, _ = printed["registration"]
    (page,) = pdf.draw().pages
    photo = pages.cell_around(page, "照片")
    assert photo is not None and photo[0] >= 25 and photo[1] >= 35, photo
    for label in ("所在村支两委", "县电子商务"):
        row = pages.cell_around(page, label)
        assert row is not None and row[1] >= 45, (label, row)


def test_the_application_has_room_for_opinions_and_seals(printed: Printed) -> None:
    pdf, _ = printed["application"]
    page = next(p for p in pdf.draw().pages if p.find("县级中心") is not None)
    for label in ("所在村支两委", "县级中心"):
        row = pages.cell_around(page, label)
        assert row is not None and row[1] >= 45, (label, row)


def test_the_roster_prints_readably(printed: Printed, oracle: Oracle) -> None:
    pdf, _ = printed["roster"]
    small = sorted({round(size, 1) for page in pdf.draw().pages for size in page.sizes if size < 8})
    assert small == [], f"text set in {small} pt"
    notes = {page.number for page in pdf.pages if "基准日期" in page.raw or "新站点" in page.raw}
    assert len(notes) == 1, f"the 说明 sheet is spread over pages {sorted(notes)}"
    (page,) = [p for p in pdf.pages if p.number in notes]
    county = oracle.county["county"]["name"]
    assert "2021-06-30" in page.raw and county in page.raw
    printed_sheet = [p for p in pdf.pages if "序号" in p.raw]
    assert f"{county}电子商务服务站花名册（2021年6月）" in printed_sheet[0].raw
    station, record = oracle.stations[RENEWED], oracle.operations(MONTH)[RENEWED]
    amount = record["services"]["purchase_agency"]["amount"]
    assert amount >= 1000  # printed with its thousands separated
    assert any(station["name"] in p.raw and f"{amount:,.2f}" in p.raw for p in printed_sheet)


def test_contracts_forms_and_notices_do_not_print_the_data_version(printed: Printed) -> None:
    for name, spec in OUTPUTS.items():
        if spec.kind in ("agreement", "form", "notice"):
            pdf, _ = printed[name]
            assert "数据版本" not in pdf.text and "生成日期" not in pdf.text, name
    for name in ("monthly-county", "weekly", "rollup"):  # a report keeps its small print
        assert "数据版本" in printed[name][0].text, name


def test_pages_are_numbered_the_gb_t_9704_way(printed: Printed) -> None:
    pdf, _ = printed["agreement-signed"]
    assert len(pdf.pages) >= 2
    for page in pdf.pages[:2]:
        (number,) = [line for line in page.lines if pages.PAGE_NUMBER.match(line.text)]
        assert number.text.replace(" ", "") == f"—{page.number}—"
        middle = 595.3 / 2
        assert (number.left > middle) if page.number % 2 else (number.right < middle), number


def test_body_text_sets_28_characters_a_line(printed: Printed) -> None:
    """Every full line of Chinese running text holds 28 characters, counting a paragraph's two-character
    indent (GB/T 9704: 22 lines of 28 characters)."""
    pdf, _ = printed["agreement-signed"]
    lines = [line for page in pdf.pages for line in page.body]
    margin, pitch = min(line.left for line in lines), 156 * pages.MM / 28
    # full lines of Chinese in one piece (an article's "第五条　" gap would hide a character from the count)
    full = [line for line in lines if line.right > margin + 155 * pages.MM and line.words == 1]
    chinese = [line for line in full if all(map(pages._wide, line.text))]
    columns = [len(line.text) + round((line.left - margin) / pitch) for line in chinese]
    assert len(columns) >= 10 and set(columns) == {28}, [line.text for line in chinese][:3]


def _page(number: int, *lines: str) -> pages.Page:
    page = pages.Page(number, 841.9, raw="\n".join(lines))
    page.lines = [pages.Line(text, 100 + 30 * i, 120 + 30 * i, 80, 500) for i, text in enumerate(lines)]
    return page


def test_the_checks_say_what_is_wrong_on_which_page() -> None:
    """The checks on made-up pages, so each is seen to fail: a row whose cell runs over a page break, a
    heading left at the foot of a page, a signature block on two pages, markup and ids in the text."""
    pdf = pages.Pdf(
        Path("made-up.pdf"),
        [
            _page(1, "二、建设进度", "| 步骤 | 旧城镇红岩村电", "**注意** #", "三、服务情况", "— 1 —"),
            _page(2, "子商务服务站 | 运营维护", "甲方（签章）：中心", "pingyuan-mengzhan", "— 2 —"),
            _page(3, "乙方（签章）：马红梅"),
        ],
    )
    assert pages.split_rows(pdf, [["旧城镇红岩村电子商务服务站", "运营维护"], ["步骤"]]) == [
        "row split across pages: 旧城镇红岩村电子商务服务站 | 运营维护"
    ]
    assert pages.headings_ending_pages(pdf, ["二、建设进度", "三、服务情况"]) == [
        "page 1 ends with the heading '三、服务情况'"
    ]
    assert pages.together(pdf, ["甲方（签章）：中心", "乙方（签章）：马红梅"], "signature block") == [
        "the signature block is spread over pages [2, 3]"
    ]
    found = pages.text_problems(pdf, ["pingyuan-mengzhan"])
    assert "page 1 shows raw Markdown '**'" in found and "page 1 shows raw Markdown '#'" in found
    assert "page 2 shows station ids ['pingyuan-mengzhan']" in found
    assert pages.text_problems(pages.Pdf(Path("x"), [_page(1, "联系电话：150****4874")]), []) == []
