"""Regenerate templates/reference.docx: the styles-only reference document pandoc uses for every DOCX.

Run as ``python scripts/make_reference_docx.py`` (needs the ``dev`` extra: python-docx, and
pypandoc-binary for pandoc). It starts from pandoc's own default reference.docx, so every style pandoc
writes exists, then sets the official-document layout of GB/T 9704: A4, top margin 37 mm, left 28 mm,
a 156 x 225 mm text block (so right 26 mm, bottom 35 mm), body 3号仿宋 (16 pt) on a grid of 22 lines of
28 characters (see grid()), title 2号小标宋 (22 pt), and page numbers "— 1 —" in 4号宋体, odd pages on the right and even
pages on the left. Tables get borders because a form without them is not a form.

Pictures sit in paragraphs of their own (pandoc's Figure and Captioned Figure styles). Those paragraphs
get single line spacing: with the body's exact 28.95 pt line a picture is clipped to a strip one line
high in Word, WPS and LibreOffice alike. Headings, article headings and the signature block keep with
the paragraph that follows them, so none ends a page alone.

Chinese text needs East-Asian fonts named explicitly: Word picks the font of a Chinese character from
``w:rFonts/@w:eastAsia`` and its language from ``w:lang/@w:eastAsia``, and python-docx has no API for
either (its issue #154), so both are written as XML attributes on every style. Fonts are never bundled;
each role has a fallback chain (see FONTS, or --body-font and friends). The first font of a chain goes
into the styles; the rest are recorded as ``w:altName`` in the font table with the GB2312 charset, which
is what Word consults to substitute a missing font. --prefer-installed picks the first font of each chain
that this machine has (fc-list), for offices that lack the official fonts.

The output is byte-for-byte reproducible (fixed zip timestamps), so regenerating it without a change
leaves git clean.
"""

from __future__ import annotations

import argparse
import io
import math
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "templates" / "reference.docx"

# Role -> fallback chain. The first is what GB/T 9704 asks for; the rest are East-Asian alternates that
# ship with Windows (仿宋_GB2312, 宋体, 黑体, 楷体) or with Linux distributions (Noto CJK).
FONTS: dict[str, list[str]] = {
    "body": ["仿宋", "仿宋_GB2312", "FangSong", "宋体", "Noto Serif CJK SC"],
    "title": ["方正小标宋简体", "华文中宋", "宋体", "Noto Serif CJK SC"],
    "heading": ["黑体", "SimHei", "Noto Sans CJK SC"],
    "kai": ["楷体", "楷体_GB2312", "KaiTi", "Noto Serif CJK SC"],
    "page_number": ["宋体", "SimSun", "Noto Serif CJK SC"],
}
LATIN = "Times New Roman"  # digits and Latin letters beside Chinese text in official documents

BODY_PT, TITLE_PT, TABLE_PT, PAGE_NUMBER_PT, PROVENANCE_PT, CAPTION_PT = 16, 22, 12, 14, 10.5, 14
LINE_TWIPS = 579  # 225 mm text block / 22 lines = 28.95 pt, in twentieths of a point
CHARS_PER_LINE = 28
PAGE = {"width": 210, "height": 297, "top": 37, "bottom": 35, "left": 28, "right": 26, "footer": 28}


def names(text: str) -> list[str]:
    """Split a whitespace-separated list of element names."""
    return text.split()


# Element order inside w:rPr, w:pPr and w:tblPr (ECMA-376); Word rejects parts whose children are out of
# order, so new children are inserted at their place rather than appended.
RPR_ORDER = names(
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang"
)
PPR_ORDER = names(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl"
)
STYLE_ORDER = names(
    "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr"
)
TBLPR_ORDER = names(
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
)
FONT_ORDER = names("altName panose1 charset family notTrueType pitch sig")


def child(parent: etree._Element, tag: str, order: list[str]) -> etree._Element:
    """The `w:tag` child of `parent`, created at its schema position when missing."""
    found = parent.find(qn(f"w:{tag}"))
    if found is not None:
        return found
    element = OxmlElement(f"w:{tag}")
    later = set(order[order.index(tag) + 1 :])
    for index, sibling in enumerate(parent):
        if etree.QName(sibling).localname in later:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def set_attrs(element: etree._Element, **attrs: str) -> None:
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)


def set_fonts(rpr: etree._Element, east_asian: str, latin: str = LATIN) -> None:
    fonts = child(rpr, "rFonts", RPR_ORDER)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):  # theme fonts override names
        fonts.attrib.pop(qn(f"w:{theme}"), None)
    set_attrs(fonts, ascii=latin, hAnsi=latin, eastAsia=east_asian, cs=latin)
    set_attrs(child(rpr, "lang", RPR_ORDER), val="en-US", eastAsia="zh-CN", bidi="ar-SA")


def set_size(rpr: etree._Element, points: float) -> None:
    half_points = str(round(points * 2))
    set_attrs(child(rpr, "sz", RPR_ORDER), val=half_points)
    set_attrs(child(rpr, "szCs", RPR_ORDER), val=half_points)


def set_black(rpr: etree._Element) -> None:
    color = child(rpr, "color", RPR_ORDER)
    color.attrib.clear()
    set_attrs(color, val="000000")


def set_bold(rpr: etree._Element, bold: bool) -> None:
    for tag in ("b", "bCs"):
        set_attrs(child(rpr, tag, RPR_ORDER), val="1" if bold else "0")


def paragraph(style: etree._Element) -> etree._Element:
    return child(style, "pPr", STYLE_ORDER)


def run(style: etree._Element) -> etree._Element:
    return child(style, "rPr", STYLE_ORDER)


def set_spacing(ppr: etree._Element, *, exact: bool) -> None:
    spacing = child(ppr, "spacing", PPR_ORDER)
    spacing.attrib.clear()
    if exact:  # a fixed pitch keeps 22 lines on every page, as GB/T 9704 counts them
        set_attrs(spacing, before="0", after="0", line=str(LINE_TWIPS), lineRule="exact")
    else:
        set_attrs(spacing, before="0", after="0", line="240", lineRule="auto")


def set_indent(ppr: etree._Element, chars: int) -> None:
    indent = child(ppr, "ind", PPR_ORDER)
    indent.attrib.clear()
    # firstLineChars for Word and LibreOffice; firstLine (twips) for readers that ignore character units
    set_attrs(indent, firstLineChars=str(chars * 100), firstLine=str(chars * BODY_PT * 20))


def set_alignment(ppr: etree._Element, value: str) -> None:
    set_attrs(child(ppr, "jc", PPR_ORDER), val=value)


def set_flag(ppr: etree._Element, tag: str, on: bool = True) -> None:
    """An on/off paragraph property (keepNext, keepLines, snapToGrid) written explicitly."""
    set_attrs(child(ppr, tag, PPR_ORDER), val="1" if on else "0")


def off_grid(ppr: etree._Element) -> None:
    """Not snapped to the page's line grid: table text, titles, pictures and captions keep their own
    spacing (snapped, a 14 pt table line would take a whole 28.95 pt grid line); running text keeps 22
    lines a page."""
    set_flag(ppr, "snapToGrid", False)


def style_fonts(styles: etree._Element, fonts: dict[str, str]) -> None:
    """East-Asian font and language on every style; sizes, spacing and alignment on the ones pandoc uses."""
    defaults = styles.find(qn("w:docDefaults"))
    assert defaults is not None
    default_rpr = defaults.find(qn("w:rPrDefault"))
    assert default_rpr is not None
    rpr = child(default_rpr, "rPr", ["rPr"])
    set_fonts(rpr, fonts["body"])
    set_size(rpr, BODY_PT)
    title_like = {"Title", "Subtitle", "Heading1", "TitleChar", "SubtitleChar", "Heading1Char"}
    for style in styles.findall(qn("w:style")):
        sid = style.get(qn("w:styleId")) or ""
        kind = style.get(qn("w:type"))
        if kind == "numbering":
            continue  # numbering styles carry no run properties in the schema
        rpr = run(style)
        if sid in title_like:
            set_fonts(rpr, fonts["title"])
        elif sid in ("Heading2", "Heading2Char"):
            set_fonts(rpr, fonts["heading"])
        elif sid in ("Heading3", "Heading3Char"):
            set_fonts(rpr, fonts["kai"])
        elif sid in ("VerbatimChar", "SourceCode") or sid.endswith("Tok"):
            set_fonts(rpr, fonts["body"], latin="Courier New")
        else:
            set_fonts(rpr, fonts["body"])
        if rpr.find(qn("w:color")) is not None:
            set_black(rpr)  # official documents are printed in black; pandoc's headings are blue
        if sid.removesuffix("Char").startswith(("Heading", "Title", "Subtitle")) and sid != "TOCHeading":
            set_bold(rpr, False)  # 小标宋 and 黑体 are heavy already
            set_size(rpr, TITLE_PT if sid in title_like else BODY_PT)
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    normal = paragraph(by_id["Normal"])
    set_spacing(normal, exact=True)
    set_alignment(normal, "both")
    set_attrs(child(run(by_id["Normal"]), "spacing", RPR_ORDER), val=str(-condensed_twips()))
    for sid in ("BodyText", "FirstParagraph"):
        ppr = paragraph(by_id[sid])
        set_spacing(ppr, exact=True)
        set_indent(ppr, 2)
    compact = by_id["Compact"]  # table cells and tight lists
    set_spacing(paragraph(compact), exact=False)
    set_indent(paragraph(compact), 0)
    set_alignment(paragraph(compact), "left")
    off_grid(paragraph(compact))
    set_size(run(compact), TABLE_PT)
    for sid in ("Title", "Heading1"):
        ppr = paragraph(by_id[sid])
        set_spacing(ppr, exact=False)
        set_attrs(child(ppr, "spacing", PPR_ORDER), after=str(LINE_TWIPS))  # one blank line under the title
        set_alignment(ppr, "center")
        off_grid(ppr)
    for sid in ("Heading2", "Heading3"):
        ppr = paragraph(by_id[sid])
        set_spacing(ppr, exact=True)
        set_alignment(ppr, "left")
        set_indent(ppr, 2)  # GB/T 9704 headings start two characters in, like the paragraphs
    for sid in ("Heading1", "Heading2", "Heading3"):
        set_flag(paragraph(by_id[sid]), "keepNext")
        set_flag(paragraph(by_id[sid]), "keepLines")
    figures(by_id)
    table_borders(by_id["Table"])
    styles.append(small_print("Footer", "footer", fonts["page_number"], PAGE_NUMBER_PT, "center"))
    # The provenance line under a report (a pandoc custom-style div): small, so no one reads it as part
    # of the report's text. Contracts, forms and notices do not print it.
    styles.append(small_print("Provenance", "Provenance", fonts["body"], PROVENANCE_PT, "right", 120))
    styles.append(signature_block(fonts["body"]))


def figures(by_id: dict[str | None, etree._Element]) -> None:
    """Picture paragraphs with single spacing (an exact line height clips a picture to one line), centred,
    off the grid; captions upright (Chinese has no italic), centred, in 4号."""
    for sid in ("Figure", "CaptionedFigure"):
        ppr = paragraph(by_id[sid])
        set_spacing(ppr, exact=False)
        set_attrs(child(ppr, "spacing", PPR_ORDER), before="120")
        set_indent(ppr, 0)
        set_alignment(ppr, "center")
        off_grid(ppr)
    set_flag(paragraph(by_id["CaptionedFigure"]), "keepNext")  # the picture stays with its caption
    for sid in ("Caption", "TableCaption", "ImageCaption"):
        ppr = paragraph(by_id[sid])
        set_spacing(ppr, exact=False)
        set_attrs(child(ppr, "spacing", PPR_ORDER), after="120")
        set_indent(ppr, 0)
        set_alignment(ppr, "center")
        off_grid(ppr)
        rpr = run(by_id[sid])
        for tag in ("i", "iCs"):
            set_attrs(child(rpr, tag, RPR_ORDER), val="0")
        set_size(rpr, CAPTION_PT)
    set_flag(paragraph(by_id["TableCaption"]), "keepNext")


def signature_block(font: str) -> etree._Element:
    """The parties' signatures at the end of a contract (a pandoc custom-style div): every line keeps with
    the next, so the block moves to the next page whole rather than splitting between the parties."""
    style = OxmlElement("w:style")
    set_attrs(style, type="paragraph", styleId="SignatureBlock", customStyle="1")
    for tag, value in (("name", "Signature Block"), ("basedOn", "BodyText")):
        set_attrs(child(style, tag, STYLE_ORDER), val=value)
    ppr = paragraph(style)
    set_flag(ppr, "keepNext")
    set_flag(ppr, "keepLines")
    set_spacing(ppr, exact=True)
    set_indent(ppr, 0)
    set_alignment(ppr, "left")
    set_fonts(run(style), font)
    return style


def table_borders(style: etree._Element) -> None:
    """Single 0.5 pt lines around and inside every table pandoc writes (its tables use style "Table")."""
    tblpr = child(style, "tblPr", STYLE_ORDER)
    borders = child(tblpr, "tblBorders", TBLPR_ORDER)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = child(borders, edge, ["top", "left", "bottom", "right", "insideH", "insideV"])
        set_attrs(line, val="single", sz="4", space="0", color="000000")
    set_attrs(child(tblpr, "jc", TBLPR_ORDER), val="center")
    margins = child(tblpr, "tblCellMar", TBLPR_ORDER)
    # 1 mm of air around cell text: a form's narrow columns keep their labels and numbers on one line
    for edge, twips in (("top", "57"), ("left", "57"), ("bottom", "57"), ("right", "57")):
        set_attrs(child(margins, edge, ["top", "left", "bottom", "right"]), w=twips, type="dxa")
    for conditional in style.findall(qn("w:tblStylePr")):
        if conditional.get(qn("w:type")) == "firstRow":  # pandoc marks only real header rows as firstRow
            set_bold(child(conditional, "rPr", ["pPr", "rPr", "tblPr", "trPr", "tcPr"]), True)


def small_print(style_id: str, name: str, font: str, points: float, alignment: str, before: int = 0) -> etree._Element:
    style = OxmlElement("w:style")
    set_attrs(style, type="paragraph", styleId=style_id)
    if style_id != "Footer":
        set_attrs(style, customStyle="1")
    for tag, value in (("name", name), ("basedOn", "Normal")):
        set_attrs(child(style, tag, STYLE_ORDER), val=value)
    ppr = paragraph(style)
    set_spacing(ppr, exact=False)
    set_attrs(child(ppr, "spacing", PPR_ORDER), before=str(before))
    set_alignment(ppr, alignment)
    off_grid(ppr)
    rpr = run(style)
    set_fonts(rpr, font)
    set_size(rpr, points)
    return style


def page_setup(document: object) -> None:
    section = document.sections[0]  # type: ignore[attr-defined]
    section.page_width, section.page_height = Mm(PAGE["width"]), Mm(PAGE["height"])
    section.top_margin, section.bottom_margin = Mm(PAGE["top"]), Mm(PAGE["bottom"])
    section.left_margin, section.right_margin = Mm(PAGE["left"]), Mm(PAGE["right"])
    section.footer_distance = Mm(PAGE["footer"])  # the page number sits 7 mm below the text block
    section.header_distance = Mm(15)
    # GB/T 9704 7.5: odd page numbers on the right, even ones on the left, each one character in.
    document.settings.odd_and_even_pages_header_footer = True  # type: ignore[attr-defined]
    for footer, alignment, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        page_number(footer.paragraphs[0], alignment, side)
    grid(section._sectPr)


def page_number(number: object, alignment: object, side: str) -> None:
    """ "— 1 —": the PAGE field between two em dashes, in the Footer style (4号宋体)."""
    number.style = "Footer"  # type: ignore[attr-defined]
    number.alignment = alignment  # type: ignore[attr-defined]
    set_attrs(child(number._p.get_or_add_pPr(), "ind", PPR_ORDER), **{side: str(PAGE_NUMBER_PT * 20)})  # type: ignore[attr-defined]
    number.add_run("— ")  # type: ignore[attr-defined]
    field = number.add_run()  # type: ignore[attr-defined]
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            char = OxmlElement("w:fldChar")
            set_attrs(char, fldCharType=kind)
            field._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            field._r.append(instr)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            field._r.append(shown)
    number.add_run(" —")  # type: ignore[attr-defined]
    for item in number.runs:  # type: ignore[attr-defined]
        item.font.size = Pt(PAGE_NUMBER_PT)


def text_width_pt() -> float:
    return (PAGE["width"] - PAGE["left"] - PAGE["right"]) / 25.4 * 72


def condensed_twips() -> int:
    """How much to narrow each character (in 1/20 pt) so 28 characters of 3号 fill the 156 mm line:
    16 pt characters need 448 pt, the line has 442.2 pt, so each gives up a quarter point."""
    return math.ceil((BODY_PT - text_width_pt() / CHARS_PER_LINE) * 20)


def grid(sect_pr: etree._Element) -> None:
    """The page's line grid: 22 lines of 28.95 pt. The 28 characters a line come from the body's
    condensed spacing (condensed_twips), not from a character grid: LibreOffice does not squeeze
    characters onto a grid pitch narrower than the font (15.79 pt for 16 pt text) but spreads each over
    two grid cells, 19 characters a line; Word and WPS set the condensed text 28 a line just the same."""
    doc_grid = sect_pr.find(qn("w:docGrid"))
    if doc_grid is None:
        doc_grid = OxmlElement("w:docGrid")
        sect_pr.append(doc_grid)
    set_attrs(doc_grid, type="lines", linePitch=str(LINE_TWIPS))


def clear_body(document: object) -> None:
    """Styles only: pandoc takes styles, page setup and footers from the reference, never its text."""
    body = document.element.body  # type: ignore[attr-defined]
    for element in list(body):
        if etree.QName(element).localname != "sectPr":
            body.remove(element)


def font_table(xml: bytes, chains: dict[str, list[str]]) -> bytes:
    """Declare each chosen font with its alternates (w:altName) and the GB2312 charset, so Word
    substitutes a Chinese font, not a Latin one, on a machine that lacks it."""
    root = etree.fromstring(xml)
    declared = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    families = {"body": "roman", "title": "roman", "heading": "modern", "kai": "script", "page_number": "roman"}
    for role, chain in chains.items():
        if chain[0] in declared:
            continue
        declared.add(chain[0])
        font = OxmlElement("w:font")
        set_attrs(font, name=chain[0])
        if chain[1:]:
            set_attrs(child(font, "altName", FONT_ORDER), val=",".join(chain[1:]))
        set_attrs(child(font, "charset", FONT_ORDER), val="86")
        set_attrs(child(font, "family", FONT_ORDER), val=families[role])
        set_attrs(child(font, "pitch", FONT_ORDER), val="variable")
        root.append(font)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def settings(xml: bytes) -> bytes:
    """Tell Word the document's East-Asian language, so it lays out punctuation the Chinese way."""
    root = etree.fromstring(xml)
    if root.find(qn("w:themeFontLang")) is None:
        lang = OxmlElement("w:themeFontLang")
        set_attrs(lang, val="en-US", eastAsia="zh-CN")
        anchor = root.find(qn("w:characterSpacingControl"))
        (anchor.addprevious if anchor is not None else root.append)(lang)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def installed_fonts() -> set[str]:
    if shutil.which("fc-list") is None:
        return set()
    listing = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return {name.strip() for line in listing.splitlines() for name in line.split(",")}


def choose(chains: dict[str, list[str]], prefer_installed: bool) -> dict[str, list[str]]:
    """Each role's chain, reordered so the first installed font leads when asked to prefer those."""
    have = installed_fonts()
    chosen = {}
    for role, chain in chains.items():
        present = [f for f in chain if f in have]
        if prefer_installed and present:
            chain = [present[0], *[f for f in chain if f != present[0]]]
        if chain[0] not in have:
            alternates = "、".join(present) or "none of the chain"
            print(
                f"note: {role} font {chain[0]} is not installed here (installed: {alternates}); "
                "Word and LibreOffice will substitute until it is",
                file=sys.stderr,
            )
        chosen[role] = chain
    return chosen


def pandoc_path() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def pandoc_default(pandoc: str) -> bytes:
    return subprocess.run(
        [pandoc, "--print-default-data-file", "reference.docx"], capture_output=True, check=True
    ).stdout


def reproducible(raw: bytes, replace: dict[str, bytes]) -> bytes:
    """Rewrite the zip with fixed timestamps (and some parts replaced) so the bytes depend on content only."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = replace.get(item.filename, source.read(item.filename))
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    return out.getvalue()


def pandoc_added_styles(pandoc: str, present: set[str]) -> list[etree._Element]:
    """Styles pandoc writes into every document although its default reference lacks them (source code
    and its highlighting tokens). Declared here, they get East-Asian fonts like every other style."""
    written = subprocess.run(
        [pandoc, "-f", "markdown", "-t", "docx", "-o", "-"],
        input=b"```python\nx = 1\n```\n",
        capture_output=True,
        check=True,
    ).stdout
    with zipfile.ZipFile(io.BytesIO(written)) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
    # re-parsed by python-docx so they become its own element classes inside its styles part
    return [
        parse_xml(etree.tostring(s)) for s in styles.findall(qn("w:style")) if s.get(qn("w:styleId")) not in present
    ]


def build(chains: dict[str, list[str]], pandoc: str | None = None) -> bytes:
    fonts = {role: chain[0] for role, chain in chains.items()}
    pandoc = pandoc or pandoc_path()
    document = Document(io.BytesIO(pandoc_default(pandoc)))
    clear_body(document)
    styles = document.styles.element
    present = {s.get(qn("w:styleId")) or "" for s in styles.findall(qn("w:style"))}
    for style in pandoc_added_styles(pandoc, present):
        styles.append(style)
    style_fonts(document.styles.element, fonts)
    page_setup(document)
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(io.BytesIO(saved.getvalue())) as package:
        table = font_table(package.read("word/fontTable.xml"), chains)
        options = settings(package.read("word/settings.xml"))
    return reproducible(saved.getvalue(), {"word/fontTable.xml": table, "word/settings.xml": options})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"where to write (default {OUTPUT})")
    for role in FONTS:
        parser.add_argument(
            f"--{role.replace('_', '-')}-font",
            dest=role,
            metavar="FONT[,FALLBACK...]",
            help=f"fallback chain for {role} text (default: {','.join(FONTS[role])})",
        )
    parser.add_argument("--prefer-installed", action="store_true", help="lead each chain with a font installed here")
    parser.add_argument("--pandoc", help="pandoc executable (default: the one pypandoc-binary ships)")
    args = parser.parse_args()
    chains = {role: (getattr(args, role).split(",") if getattr(args, role) else chain) for role, chain in FONTS.items()}
    chains = choose(chains, args.prefer_installed)
    args.output.write_bytes(build(chains, args.pandoc))
    print(f"wrote {args.output}: " + "; ".join(f"{role} {chain[0]}" for role, chain in chains.items()))


if __name__ == "__main__":
    main()
