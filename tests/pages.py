"""Looking at printed pages the way a county office does: LibreOffice turns the DOCX and XLSX files into
PDF (every file in one call, so the check costs one start of LibreOffice), pdftotext reads the text with
its position on the page, and pypdf's content-stream parser follows what is drawn: pictures with the
clipping around them, table rules, and the size text is set in.

What a page must show comes from the document itself (docx_facts): the height each picture is meant to
have, the headings, the table rows that must not split, the signature block. The checks return
problems as sentences, so a failing test says what is wrong on which page, and an empty list means the
pages look right.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pytest

MM = 72 / 25.4  # points per millimetre
EMU_PER_PT = 12700
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
# Markup that must never reach paper. "**" counts only outside a run of digits and stars: 150****4874 is a
# masked phone number, not emphasis.
RAW_MARKDOWN = {
    "**": re.compile(r"(?<![\d*])\*\*|\*\*(?![\d*])"),
    "|": re.compile(r"\|"),
    "#": re.compile(r"#"),
    "{{": re.compile(r"\{\{|\}\}"),
}
PAGE_NUMBER = re.compile(r"^[—-]\s*\d+\s*[—-]$")
HEADING_STYLES = {"Title", "Heading1", "Heading2", "Heading3"}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_tools() -> None:
    """Skip (with the reason) when LibreOffice, poppler or pypdf is missing; in CI their absence fails."""
    missing = [
        name
        for name, found in (("LibreOffice (soffice)", soffice()), ("pdftotext", shutil.which("pdftotext")))
        if not found
    ]
    try:
        import pypdf  # noqa: F401
    except ImportError:
        missing.append("pypdf (pip install -e '.[dev]')")
    if not missing:
        return
    reason = (
        "the page check needs " + ", ".join(missing) + "; install libreoffice-writer-nogui, libreoffice-calc-nogui,"
        " fonts-noto-cjk and poppler-utils (.ci/run does)"
    )
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def convert(files: list[Path], out_dir: Path) -> dict[str, Path]:
    """Every file as PDF in `out_dir`, by file stem, in one LibreOffice run with a profile of its own (so
    it neither waits for nor disturbs a LibreOffice the user has open)."""
    stems = [f.stem for f in files]
    assert len(set(stems)) == len(stems), "files to convert need distinct names"
    profile = out_dir / "libreoffice-profile"
    command = [
        str(soffice()),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        *map(str, files),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    shutil.rmtree(profile, ignore_errors=True)
    made = {stem: out_dir / f"{stem}.pdf" for stem in stems}
    missing = [stem for stem, pdf in made.items() if not pdf.is_file()]
    assert not missing, f"LibreOffice made no PDF of {missing}"
    return made


@dataclass
class Line:
    text: str
    top: float  # points from the top of the page
    bottom: float
    left: float
    right: float
    words: int = 1  # pdftotext splits a line into words at gaps (spaces, wide ideographic spaces)


@dataclass
class Picture:
    height: float  # as placed, in points
    visible: float  # what the clipping lets through
    top: float


@dataclass
class Page:
    number: int
    height: float
    lines: list[Line] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, y0, x1, y1 from the top
    sizes: list[float] = field(default_factory=list)  # the size of each piece of text shown
    raw: str = ""  # pdftotext -raw: text in drawing order, table cells whole

    @property
    def body(self) -> list[Line]:
        """The lines of the text block: the page number is not part of it."""
        return [line for line in self.lines if not PAGE_NUMBER.match(line.text)]

    def find(self, text: str) -> Line | None:
        return next((line for line in self.lines if text in line.text), None)


@dataclass
class Pdf:
    path: Path
    pages: list[Page]
    drawn: bool = False

    @property
    def text(self) -> str:
        return "\n".join(page.raw for page in self.pages)

    def draw(self) -> Pdf:
        """Follow what the pages draw (pictures, rules, text sizes); parsed on first use, as it is the
        slow part of reading a page."""
        from pypdf import PdfReader

        if not self.drawn:
            for page, source in zip(self.pages, PdfReader(str(self.path)).pages, strict=True):
                _draw(page, source)
            self.drawn = True
        return self


def read(path: Path) -> Pdf:
    """The pages of a PDF with their text lines and positions (`Pdf.draw` adds what is drawn)."""
    from pypdf import PdfReader

    pages = [Page(number + 1, float(page.mediabox.height)) for number, page in enumerate(PdfReader(str(path)).pages)]
    layout = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True).stdout
    root = ElementTree.fromstring(layout)
    xhtml = "{http://www.w3.org/1999/xhtml}"
    for page, element in zip(pages, root.iter(f"{xhtml}page"), strict=True):
        for line in element.iter(f"{xhtml}line"):
            words = [word.text or "" for word in line.iter(f"{xhtml}word")]
            page.lines.append(
                Line(
                    _join(words),
                    float(line.get("yMin", 0)),
                    float(line.get("yMax", 0)),
                    float(line.get("xMin", 0)),
                    float(line.get("xMax", 0)),
                    len(words),
                )
            )
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True).stdout
    for page, text in zip(pages, raw.split("\f"), strict=False):
        page.raw = text
    return Pdf(path, pages)


def _join(words: list[str]) -> str:
    out = ""
    for word in words:
        if out and not (_wide(out[-1]) and word and _wide(word[0])):
            out += " "
        out += word
    return out


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def _times(m: Matrix, n: Matrix) -> Matrix:
    """m then n, as PDF composes matrices."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


Box = tuple[float, float, float, float]


def _bounds(points: list[tuple[float, float]]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _meet(a: Box, b: Box) -> Box:
    box = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    return box if box[0] <= box[2] and box[1] <= box[3] else (0, 0, 0, 0)


def _draw(page: Page, source: object) -> None:
    """Follow a page's content stream: the transformation and clipping in force where each picture is
    painted, straight strokes (table rules), and the size of the text. Form XObjects are entered."""
    from pypdf.generic import ContentStream

    mediabox = source.mediabox  # type: ignore[attr-defined]
    whole: Box = (float(mediabox.left), float(mediabox.bottom), float(mediabox.right), float(mediabox.top))

    def walk(content: object, resources: object, ctm: Matrix, clip: Box) -> None:
        stack: list[tuple[Matrix, Box, float]] = []
        path: list[tuple[float, float]] = []
        segments: list[tuple[tuple[float, float], tuple[float, float]]] = []
        clipping, start = False, (0.0, 0.0)
        text_matrix, font_size = IDENTITY, 0.0
        xobjects = resources.get("/XObject", {}) if resources else {}  # type: ignore[attr-defined]
        for operands, operator in ContentStream(content, source.pdf).operations:  # type: ignore[attr-defined]
            op = operator.decode("latin-1")
            if op == "q":
                stack.append((ctm, clip, font_size))
            elif op == "Q" and stack:
                ctm, clip, font_size = stack.pop()
            elif op == "cm":
                ctm = _times(tuple(map(float, operands)), ctm)  # type: ignore[arg-type]
            elif op == "re":
                x, y, w, h = map(float, operands)
                path += [_apply(ctm, x, y), _apply(ctm, x + w, y + h), _apply(ctm, x + w, y), _apply(ctm, x, y + h)]
            elif op == "m":
                start = _apply(ctm, *map(float, operands))
                path.append(start)
            elif op == "l":
                end = _apply(ctm, *map(float, operands))
                path.append(end)
                segments.append((start, end))
                start = end
            elif op in ("W", "W*"):
                clipping = True
            elif op in ("n", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*"):
                if clipping and path:
                    clip = _meet(clip, _bounds(path))
                if op in ("S", "s"):
                    page.rules.extend(
                        (a[0], page.height - a[1], b[0], page.height - b[1])
                        for a, b in segments
                        if abs(a[0] - b[0]) < 0.5 or abs(a[1] - b[1]) < 0.5
                    )
                path, segments, clipping = [], [], False
            elif op == "BT":
                text_matrix = IDENTITY
            elif op == "Tf":
                font_size = float(operands[1])
            elif op == "Tm":
                text_matrix = tuple(map(float, operands))  # type: ignore[assignment]
            elif op in ("Tj", "TJ", "'", '"'):
                m = _times(text_matrix, ctm)
                page.sizes.append(font_size * math.sqrt(abs(m[0] * m[3] - m[1] * m[2])))
            elif op == "Do":
                target = xobjects[operands[0]].get_object()
                if target.get("/Subtype") == "/Image":
                    box = _bounds([_apply(ctm, x, y) for x in (0, 1) for y in (0, 1)])
                    seen = _meet(box, clip)
                    page.pictures.append(Picture(box[3] - box[1], seen[3] - seen[1], page.height - box[3]))
                elif target.get("/Subtype") == "/Form":
                    matrix = tuple(map(float, target.get("/Matrix", IDENTITY)))
                    walk(target, target.get("/Resources", resources), _times(matrix, ctm), clip)  # type: ignore[arg-type]

    walk(source.get_contents(), source.get("/Resources"), IDENTITY, whole)  # type: ignore[attr-defined]


@dataclass
class DocxFacts:
    """What the pages of a DOCX must show, read from the DOCX itself."""

    figures: list[float]  # each picture's height in points, in document order
    headings: list[str]
    rows: list[list[str]]  # the cell texts of every table row that may not split
    signature: list[str]  # the paragraphs of the signature block


def docx_facts(path: Path) -> DocxFacts:
    with zipfile.ZipFile(path) as package:
        body = ElementTree.fromstring(package.read("word/document.xml"))

    def text(element: ElementTree.Element) -> str:
        return "".join(t.text or "" for t in element.iter(f"{W}t"))

    def style(paragraph: ElementTree.Element) -> str:
        found = paragraph.find(f"{W}pPr/{W}pStyle")
        return found.get(f"{W}val", "") if found is not None else ""

    paragraphs = list(body.iter(f"{W}p"))
    rows = [
        [text(cell) for cell in row.findall(f"{W}tc")]
        for row in body.iter(f"{W}tr")
        if row.find(f"{W}trPr/{W}cantSplit") is not None
    ]
    return DocxFacts(
        figures=[int(extent.get("cy", "0")) / EMU_PER_PT for extent in body.iter(f"{WP}extent")],
        headings=[text(p) for p in paragraphs if style(p) in HEADING_STYLES and text(p).strip()],
        rows=rows,
        signature=[text(p) for p in paragraphs if style(p) == "SignatureBlock" and text(p).strip()],
    )


def squeeze(text: str) -> str:
    """Text without any white space: pdftotext puts spaces and line breaks where the layout does."""
    return re.sub(r"[\s\u200b]+", "", text)  # and the zero-width space, which no page shows


def figure_problems(pdf: Pdf, heights: list[float], tolerance: float = 2.0) -> list[str]:
    """Each picture drawn at the height the document gives it, and not clipped (an exact line height
    clips a picture to a strip one line high)."""
    drawn = [(page.number, picture) for page in pdf.draw().pages for picture in page.pictures]
    problems = []
    if len(drawn) != len(heights):
        problems.append(f"{len(heights)} pictures in the document, {len(drawn)} drawn")
    for index, ((number, picture), wanted) in enumerate(zip(drawn, heights, strict=False), 1):
        if abs(picture.height - wanted) > tolerance or picture.visible < wanted - tolerance:
            problems.append(
                f"figure {index} on page {number}: {picture.visible:.1f} pt visible of {wanted:.1f} pt "
                f"(placed {picture.height:.1f} pt high)"
            )
    return problems


def split_rows(pdf: Pdf, rows: list[list[str]]) -> list[str]:
    """A table row whose cells are not all whole on one page has been split across a page break."""
    pages = [squeeze(page.raw) for page in pdf.pages]
    problems = []
    for cells in rows:
        wanted = [squeeze(cell) for cell in cells if squeeze(cell)]
        if wanted and not any(all(cell in page for cell in wanted) for page in pages):
            problems.append(f"row split across pages: {' | '.join(cells)[:60]}")
    return problems


def headings_ending_pages(pdf: Pdf, headings: list[str]) -> list[str]:
    """A heading must not be the last line of a page, cut off from what it heads."""
    wanted = {squeeze(h) for h in headings}
    problems = []
    for page in pdf.pages[:-1]:
        body = page.body  # in drawing order, which need not be top to bottom
        if not body:
            continue
        lowest = max(body, key=lambda line: line.bottom)
        # Everything level with the lowest line: more than it alone are the cells of a table row.
        level = [line for line in body if line.top < lowest.bottom and line.bottom > lowest.top]
        text = squeeze(lowest.text)
        if len(level) == 1 and text and any(h.endswith(text) for h in wanted):
            problems.append(f"page {page.number} ends with the heading {lowest.text!r}")
    return problems


def together(pdf: Pdf, texts: list[str], what: str) -> list[str]:
    """All of `texts` on one page."""
    wanted = [squeeze(t) for t in texts if squeeze(t)]
    if not wanted or any(all(t in squeeze(page.raw) for t in wanted) for page in pdf.pages):
        return []
    pages = sorted({page.number for page in pdf.pages for t in wanted if t in squeeze(page.raw)})
    return [f"the {what} is spread over pages {pages}"]


def text_problems(pdf: Pdf, station_ids: list[str], pages: list[Page] | None = None) -> list[str]:
    """No Markdown markup and no station id (a pinyin file name) where people read."""
    problems = []
    for page in pages if pages is not None else pdf.pages:
        problems += [
            f"page {page.number} shows raw Markdown {mark!r}"
            for mark, seen in RAW_MARKDOWN.items()
            if seen.search(page.raw)
        ]
        found = sorted({sid for sid in station_ids if sid in page.raw})
        if found:
            problems.append(f"page {page.number} shows station ids {found[:3]}")
    return problems


def cell_around(page: Page, text: str) -> tuple[float, float] | None:
    """Width and height in mm of the table cell holding `text`: the nearest rules around its first line."""
    line = page.find(text)
    if line is None:
        return None
    x, y = (line.left + line.right) / 2, (line.top + line.bottom) / 2
    across = [r for r in page.rules if abs(r[1] - r[3]) < 0.5 and min(r[0], r[2]) <= x <= max(r[0], r[2])]
    upright = [r for r in page.rules if abs(r[0] - r[2]) < 0.5 and min(r[1], r[3]) <= y <= max(r[1], r[3])]
    above = [r[1] for r in across if r[1] <= line.top + 0.5]
    below = [r[1] for r in across if r[1] >= line.bottom - 0.5]
    left = [r[0] for r in upright if r[0] <= line.left + 0.5]
    right = [r[0] for r in upright if r[0] >= line.right - 0.5]
    if not (above and below and left and right):
        return None
    return ((min(right) - max(left)) / MM, (min(below) - max(above)) / MM)
