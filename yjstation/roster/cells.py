"""Spreadsheets are hostile both ways: what yjstation writes must not run as a formula when someone
opens it, and what it reads may be a formula, a zip bomb, an XML bomb or not a workbook at all.

Every export and import of a sheet (the roster here; monthly figures elsewhere) goes through these:
- text that a spreadsheet would take for a formula (starting with =, +, -, @, a tab or a carriage
  return) is written as text: a text cell with Excel's quote prefix in XLSX, a leading `'` in CSV
  (OWASP's advice against CSV injection), so `=HYPERLINK(...)` typed as a host's name stays a name;
- a workbook is opened only when it is a zip of sane size, and any failure of the reader on a
  malformed file is a plain refusal, never an internal error;
- cells holding formulas are found so an import can refuse them by cell: the value a formula showed
  when the sheet was last saved is not data anyone typed, and may be nothing at all.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import tr

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A county's roster is tens of kilobytes; these bound a hostile file, not a real one.
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024


class UnusableWorkbook(CannotRun):
    """The file cannot be read as a workbook at all (exit 2): not a zip, too large, malformed."""


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_text(text: str) -> str:
    """A CSV field that no spreadsheet runs: `=1+1` -> `'=1+1`."""
    return "'" + text if looks_like_formula(text) else text


def keep_as_text(sheet: Any) -> None:
    """Mark every text cell of an openpyxl sheet that starts like a formula as text (openpyxl turns a
    string starting with `=` into a formula on assignment)."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and looks_like_formula(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True


def open_workbook(data: bytes) -> Any:
    """An openpyxl workbook with formulas as written (not their cached values), or UnusableWorkbook."""
    from openpyxl import load_workbook

    if len(data) > MAX_WORKBOOK_BYTES:
        raise UnusableWorkbook(
            tr(
                "文件有 {size:,} 字节，超过 {limit:,} 字节，不像是花名册",
                "the file has {size:,} bytes, over {limit:,}; it is no roster",
                size=len(data),
                limit=MAX_WORKBOOK_BYTES,
            )
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnusableWorkbook(_not_a_workbook(exc)) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnusableWorkbook(
            tr(
                "文件解压后有 {size:,} 字节（压缩炸弹？），超过 {limit:,} 字节，拒绝读取",
                "the file unpacks to {size:,} bytes (a zip bomb?), over {limit:,}; not read",
                size=unpacked,
                limit=MAX_UNPACKED_BYTES,
            )
        )
    try:
        return load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl fails on malformed parts in many ways (XML bombs: ParseError)
        raise UnusableWorkbook(_not_a_workbook(exc)) from None


def _not_a_workbook(exc: BaseException) -> str:
    why = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return tr(
        "无法作为 Excel 工作簿（.xlsx）读取：{why}",
        "cannot be read as an Excel workbook (.xlsx): {why}",
        why=why,
    )


def formula_cells(sheet: Any) -> list[str]:
    """The coordinates (`F12`) of the cells of an openpyxl sheet that hold formulas."""
    return [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
