"""What pandoc cannot say about a printed page, said in the DOCX it wrote: tables as wide as the text
with columns sized to what they hold, rows that never split across pages (pandoc repeats header rows
already), a paragraph that introduces a table kept with it, room for a photo and for a seal in forms, and
the document's properties.

Short tables are not chained row to row with keep-with-next, as Word would keep them whole: LibreOffice
reads a table whose rows all keep with the next as a table kept with whatever follows it, and moved
whole sections to the next page.

Markdown stays the master: everything here follows from the document itself, never from its kind.
Forms mark the cells that need room with a span identifier, `[照片]{#photo}` or `[（盖章）]{#seal-…}`,
which pandoc writes as an invisible bookmark. Widths are computed the way a browser lays out an automatic table: every column gets
at least its longest unbreakable piece (a number, an ID, four Chinese characters of a name), and the
rest of the line is shared in proportion to what each column would take on one line. Tables whose
widths the Markdown states (grid tables) keep their proportions and are stretched to the full line.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

TWIPS_PER_MM = 1440 / 25.4
CELL_PT = 12  # the Compact style of the reference document: table text in 小四
CELL_PADDING = 114  # left + right cell margins of the Table style (1 mm each), in twips
SHORT_CELL_EM = 9  # a cell this short (a date, an amount, a name) is never broken across lines
SHORTEST_WORD = 4  # Chinese characters of a longer cell a column keeps on one line
HEADER_WORD = 2  # a header may break after two characters: 已停留 / 天数 over a column of small numbers
# A 1-inch photo is 25 x 35 mm and a round official seal about 42 mm across, plus a line to sign on; a
# millimetre more than that each, so rounding to twips and the rules' width never take a box under it.
PHOTO_MM = (25, 36)
SEAL_MM = 46

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_ASCII_WORD = re.compile(r"[!-~]+")
_BRACKETED = re.compile(r"（[^（）]{1,3}）")  # a unit in a header: （元） （单） （个）


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def finish(path: Path, generated: date | None = None, comments: str = "") -> None:
    """Lay out the tables of the DOCX at `path` for print and record `generated` and `comments` in its
    core properties; the file is rewritten in place."""
    import docx

    document = docx.Document(str(path))
    body = document.element.body
    width = _text_width(body)
    for table in body.iter(q("tbl")):
        lay_out_table(table, width)
    for paragraph in body.iter(q("p")):
        if _introduces_table(paragraph):
            _set_flag(_ppr(paragraph), "keepNext")
    properties = document.core_properties
    if generated is not None:
        moment = datetime(generated.year, generated.month, generated.day)
        properties.created = properties.modified = moment
    if comments:
        properties.comments = comments
    document.save(str(path))


def lay_out_table(table: Any, width: int) -> None:
    """Full text width, columns sized, rows unsplittable, form rows given room."""
    grid = table.find(q("tblGrid"))
    rows = table.findall(q("tr"))
    if grid is None or not rows:
        return
    given = [int(col.get(q("w"), "0")) for col in grid.findall(q("gridCol"))]
    stated = _tbl_width_type(table) == "pct"  # pandoc writes a percentage when the Markdown states widths
    widths = _scaled(given, width) if stated else column_widths(_cells_by_column(rows, len(given)), width)
    _set_widths(table, grid, rows, widths, width)
    for row in rows:
        _set_flag(_trpr(row), "cantSplit")
    _form_rows(rows, widths)


def column_widths(columns: list[list[tuple[str, bool]]], width: int) -> list[int]:
    """Widths in twips that add up to `width`: each column's unbreakable minimum, the rest shared in
    proportion to how much more each would take to set its longest cell on one line. A column's cells
    are (text, is_header)."""
    least = [max((_unbreakable(t, header) for t, header in cells), default=0) + CELL_PADDING for cells in columns]
    most = [
        max(max((_line(t) for t, _ in cells), default=0) + CELL_PADDING, low)
        for cells, low in zip(columns, least, strict=True)
    ]
    if sum(most) <= width:
        spare = width - sum(most)
        return _exact([m + spare * m / sum(most) for m in most], width)
    if sum(least) >= width:
        return _exact([low * width / sum(least) for low in least], width)
    spare, wanted = width - sum(least), [m - low for m, low in zip(most, least, strict=True)]
    return _exact([low + spare * want / sum(wanted) for low, want in zip(least, wanted, strict=True)], width)


def _exact(widths: list[float], width: int) -> list[int]:
    rounded = [int(w) for w in widths]
    rounded[-1] += width - sum(rounded) if rounded else 0
    return rounded


def _scaled(given: list[int], width: int) -> list[int]:
    total = sum(given) or len(given)
    return _exact([(g or 1) * width / total for g in given], width)


def char_twips(char: str) -> float:
    """How wide a character sets in table text: Chinese and full-width forms one em, digits and Latin
    letters 0.64 em (Times New Roman sets digits at 0.5 em, DejaVu Serif, which stands in for it on Linux, at 0.64)."""
    return CELL_PT * 20 * (1.0 if unicodedata.east_asian_width(char) in "WF" else 0.64)


def _line(text: str) -> float:
    """The width of the longest line of `text` set on one line, with the quarter em Word and LibreOffice
    put between Chinese characters and digits or Latin letters (autoSpaceDE/DN)."""
    return max((_set_width(line) for line in text.split("\n")), default=0)


def _set_width(line: str) -> float:
    changes = sum(_wide(a) != _wide(b) and (a + b).strip() == a + b for a, b in itertools.pairwise(line))
    return sum(map(char_twips, line)) + changes * CELL_PT * 20 / 4


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _unbreakable(text: str, header: bool = False) -> float:
    """The widest piece of `text` that must stay on one line: a short cell whole (a date, an amount, a
    name); in a longer one a run of Latin letters, digits and signs (an ID number), or the first few
    characters of a Chinese word. A header keeps its first two characters together, and a unit in
    brackets whole: 订单（单） may break before （单）, never inside it."""
    em = CELL_PT * 20
    if not header and _line(text) <= SHORT_CELL_EM * em:
        return _line(text)
    pieces = [sum(map(char_twips, word)) for word in _ASCII_WORD.findall(text)]
    longest = max((sum(map(_wide, line)) for line in text.split("\n")), default=0)
    pieces.append(min(longest, HEADER_WORD if header else SHORTEST_WORD) * em)
    if header:
        pieces += [sum(map(_wide, unit)) * em for unit in _BRACKETED.findall(text)]
    return max(pieces)


def _cells_by_column(rows: list[Any], count: int) -> list[list[tuple[str, bool]]]:
    """The text of every cell that sits in one grid column, and whether it is in a header row (cells
    spanning columns are left out)."""
    columns: list[list[tuple[str, bool]]] = [[] for _ in range(count)]
    for row in rows:
        header = row.find(f"{q('trPr')}/{q('tblHeader')}") is not None
        index = 0
        for cell in row.findall(q("tc")):
            span = _span(cell)
            if span == 1 and index < count:
                columns[index].append((_cell_text(cell), header))
            index += span
    return columns


def _cell_text(cell: Any) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(q("t"))) for p in cell.iter(q("p")))


def _span(cell: Any) -> int:
    span = cell.find(f"{q('tcPr')}/{q('gridSpan')}")
    return int(span.get(q("val"), "1")) if span is not None else 1


def _set_widths(table: Any, grid: Any, rows: list[Any], widths: list[int], width: int) -> None:
    tblpr = table.find(q("tblPr"))
    tblw = _child(tblpr, "tblW")
    tblw.set(q("type"), "dxa")
    tblw.set(q("w"), str(width))
    layout = tblpr.find(q("tblLayout"))
    if layout is None:  # schema order: tblLayout comes after tblW and before tblLook
        layout = _element("tblLayout")
        tblw.addnext(layout)
    layout.set(q("type"), "fixed")
    for col, value in zip(grid.findall(q("gridCol")), widths, strict=False):
        col.set(q("w"), str(value))
    for row in rows:
        index = 0
        for cell in row.findall(q("tc")):
            span = _span(cell)
            tcw = _child(_tcpr(cell), "tcW")
            tcw.set(q("type"), "dxa")
            tcw.set(q("w"), str(sum(widths[index : index + span])))
            index += span


def _form_rows(rows: list[Any], widths: list[int]) -> None:
    """Room where a form's markers ask for it: a photo cell at least 25 x 35 mm over the rows it spans,
    a row at least 45 mm high for an opinion, a signature and a seal, written at the foot of the cell."""
    for number, row in enumerate(rows):
        index = 0
        for cell in row.findall(q("tc")):
            span = _span(cell)
            markers = set(_markers(cell))
            if "photo" in markers:
                spanned = _rows_spanned(rows, number, index)
                for each in rows[number : number + spanned]:
                    _at_least(each, PHOTO_MM[1] / spanned)
                _valign(cell, "center")
            if "seal" in markers:
                _at_least(row, SEAL_MM)
                _valign(cell, "bottom")
            index += span


def _markers(cell: Any) -> Iterator[str]:
    """The form markers in a cell: bookmarks named photo… or seal…"""
    for mark in cell.iter(q("bookmarkStart")):
        name = mark.get(q("name"), "")
        yield from (kind for kind in ("photo", "seal") if name.startswith(kind))


def _rows_spanned(rows: list[Any], start: int, column: int) -> int:
    """How many rows a vertically merged cell starting at `start`, grid column `column`, covers."""
    count = 1
    for row in rows[start + 1 :]:
        index, merged = 0, False
        for cell in row.findall(q("tc")):
            if index == column:
                merge = cell.find(f"{q('tcPr')}/{q('vMerge')}")
                merged = merge is not None and merge.get(q("val"), "continue") == "continue"
                break
            index += _span(cell)
        if not merged:
            break
        count += 1
    return count


def _at_least(row: Any, millimetres: float) -> None:
    height = _child(_trpr(row), "trHeight")
    wanted = math.ceil(millimetres * TWIPS_PER_MM)
    if int(height.get(q("val"), "0")) < wanted:
        height.set(q("val"), str(wanted))
        height.set(q("hRule"), "atLeast")


def _valign(cell: Any, where: str) -> None:
    _child(_tcpr(cell), "vAlign").set(q("val"), where)


def _introduces_table(paragraph: Any) -> bool:
    """A paragraph that ends with a colon and is followed by a table belongs on the table's page."""
    following = paragraph.getnext()
    if following is None or following.tag != q("tbl"):
        return False
    text = "".join(t.text or "" for t in paragraph.iter(q("t"))).rstrip()
    return text.endswith(("：", ":"))


def _text_width(body: Any) -> int:
    """The width of the text block in twips, from the section's page size and margins."""
    sect = body.find(q("sectPr"))
    size = sect.find(q("pgSz")) if sect is not None else None
    margins = sect.find(q("pgMar")) if sect is not None else None
    if size is None or margins is None:
        return round(156 * TWIPS_PER_MM)
    return int(size.get(q("w"))) - int(margins.get(q("left"))) - int(margins.get(q("right")))


def _tbl_width_type(table: Any) -> str:
    tblw = table.find(f"{q('tblPr')}/{q('tblW')}")
    return tblw.get(q("type"), "") if tblw is not None else ""


# Children of w:trPr, w:tcPr and w:pPr are ordered by the schema; Word refuses a part whose children are
# out of order, so each is created at its place.
def _names(text: str) -> list[str]:
    return text.split()


_ORDER: Mapping[str, list[str]] = {
    "trPr": _names(
        "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden"
    ),
    "tcPr": _names(
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark"
    ),
    "pPr": _names(
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ),
    "tblPr": _names(
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
    ),
}


def _element(tag: str) -> Any:
    from docx.oxml import OxmlElement

    return OxmlElement(f"w:{tag}")


def _child(parent: Any, tag: str) -> Any:
    """The `w:tag` child of `parent`, created at its schema position when missing."""
    found = parent.find(q(tag))
    if found is not None:
        return found
    element = _element(tag)
    order = _ORDER.get(parent.tag.rsplit("}", 1)[-1], [])
    later = set(order[order.index(tag) + 1 :]) if tag in order else set()
    for index, sibling in enumerate(parent):
        if sibling.tag.rsplit("}", 1)[-1] in later:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def _set_flag(parent: Any, tag: str) -> None:
    """Switch on the on/off property `w:tag` of `parent` (an element without w:val means on)."""
    _child(parent, tag).attrib.pop(q("val"), None)


def _first(parent: Any, tag: str) -> Any:
    found = parent.find(q(tag))
    if found is None:
        found = _element(tag)
        parent.insert(0, found)
    return found


def _trpr(row: Any) -> Any:
    return _first(row, "trPr")


def _tcpr(cell: Any) -> Any:
    return _first(cell, "tcPr")


def _ppr(paragraph: Any) -> Any:
    return _first(paragraph, "pPr")
