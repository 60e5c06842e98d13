"""The roster on paper. The 花名册 sheet has 23 columns for Excel and for the import; printed on one page
width its text shrinks to 3–4 pt. So the workbook gets a third sheet, 打印版, with the columns a meeting
reads (township, station, level, stationmaster, phone, agreement, step and the month's figures) in 10 pt
with borders, one landscape page wide, its header on every page; the wide sheet prints three pages wide
at a readable size with the station's id and name on each, and the notes sheet on one page.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from yjstation.roster.columns import BY_KEY

PRINT_SHEET = "打印版"
FONT_PT = 11
# (column key, width in Excel character units) of the printed sheet, in reading order: together about
# one landscape A4 page, so the sheet prints at (nearly) its own size.
PRINTED = (
    ("township", 8),
    ("name", 24),
    ("level", 11),
    ("master", 7),
    ("phone", 12),
    ("agreement_number", 12),
    ("agreement_end", 11),
    ("step", 9),
    ("orders", 7),
    ("purchase_amount", 11),
    ("consignment_sales", 11),
    ("fees", 10),
)


def print_sheet(book: Any, roster: Any) -> None:
    """Add the 打印版 sheet to `book`: a title, the essential columns of every station, numbered."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(PRINT_SHEET)
    line = Side(style="thin", color="000000")
    box = Border(left=line, right=line, top=line, bottom=line)
    text, bold = Font(size=FONT_PT), Font(size=FONT_PT, bold=True)
    headers = ["序号", *(BY_KEY[key].header for key, _ in PRINTED)]
    month = f"（{roster.month[:4]}年{int(roster.month[5:])}月）" if roster.month else ""
    sheet.append([f"{roster.county}电子商务服务站花名册{month}"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.cell(1, 1).font = Font(size=14, bold=True)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.append(headers)
    for number, row in enumerate(roster.rows, 1):
        sheet.append([number, *(row.get(key) for key, _ in PRINTED)])
    widths = [4, *(width for _, width in PRINTED)]
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    formats = {key: BY_KEY[key].number_format for key, _ in PRINTED}
    for cells in sheet.iter_rows(min_row=2, max_row=sheet.max_row, max_col=len(headers)):
        for cell in cells:
            cell.border = box
            cell.font = bold if cell.row == 2 else text
            cell.alignment = Alignment(
                vertical="center", wrap_text=True, horizontal="center" if cell.row == 2 else None
            )
            key = PRINTED[cell.column - 2][0] if cell.column > 1 else ""
            if cell.row > 2 and formats.get(key):
                cell.number_format = formats[key]
    for cell in sheet[2]:
        cell.fill = PatternFill("solid", fgColor="E7E6E6")
    sheet.print_title_rows = "2:2"
    sheet.freeze_panes = "A3"
    landscape(sheet, pages_wide=1)
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddFooter.center.size = FONT_PT
    sheet.HeaderFooter.scaleWithDoc = False  # the page number keeps its size when the sheet is scaled


def landscape(sheet: Any, pages_wide: int, grid: bool = False) -> None:
    """A4 landscape, narrow margins, as many pages wide as given and as long as it takes; `grid` prints
    the cell grid (for a sheet whose cells have no borders of their own)."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = pages_wide, 0
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.gridLines = grid


def notes_page(sheet: Any) -> None:
    """The notes sheet on one portrait page: labels and their wrapped values side by side."""
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.properties import PageSetupProperties

    width = 70
    sheet.column_dimensions["B"].width = width
    for (cell,) in sheet.iter_rows(min_col=2, max_col=2):
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        # LibreOffice keeps the default height of a row it reads from a file, wrapped text or not
        shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(cell.value or ""))
        sheet.row_dimensions[cell.row].height = 15 * max(1, math.ceil(shown / (width - 2)))
    for (cell,) in sheet.iter_rows(min_col=1, max_col=1):
        cell.alignment = Alignment(vertical="top")
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = sheet.page_setup.fitToHeight = 1
