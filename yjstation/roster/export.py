"""Exporting the roster: the rows computed from the repository, then written as XLSX (real dates and
numbers, frozen header, drop-down lists for coded fields) or CSV.

Personal data is masked unless asked otherwise, with the same masks as every terminal output; a masked
cell reads back as "unchanged", so a masked sheet can still be edited and imported. The workbook's
notes sheet records the day the sheet describes, which the import needs to map the agreement term back
to the record it came from.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from yjstation.domain.county import County
from yjstation.domain.history import station_on
from yjstation.domain.reporting import is_draft
from yjstation.foundation.masking import mask_id, mask_phone
from yjstation.foundation.records import as_date, as_dict, as_str, dig
from yjstation.loading.repository import Repository
from yjstation.loading.schemas import Schema
from yjstation.reports.checklist import build as build_checklist
from yjstation.reports.monthly import service_totals as month_totals  # the report's own sums, so both agree
from yjstation.roster.cells import csv_text, keep_as_text
from yjstation.roster.columns import AS_OF_LABEL, COLUMNS, COMMIT_LABEL, NOTES_SHEET, SHEET, Column, path_of
from yjstation.roster.printing import landscape, notes_page, print_sheet

ALL_DONE = "全部完成"
_FIGURES = ("orders", "purchase_amount", "consignment_sales", "fees")


@dataclass
class Roster:
    county: str
    as_of: date
    month: str | None
    revealed: bool
    version: str
    commit: str | None = None  # the data's commit, so an import can tell what changed since the export
    rows: list[dict[str, Any]] = field(default_factory=list)  # column key -> cell value
    choices: dict[str, list[str]] = field(default_factory=dict)  # column key -> allowed cell texts


def latest_month(repo: Repository) -> str | None:
    """The latest month that has monthly records, or None in a repository without any."""
    months = {doc.file.split("/")[2] for doc in repo.operations if doc.file.count("/") == 3}
    return max(months, default=None)


def build(
    repo: Repository,
    schema: Schema,
    as_of: date,
    month: str | None,
    reveal: bool = False,
    version: str = "",
    commit: str | None = None,
) -> Roster:
    """One row per station, in the checklist's order (county's township order, township station first),
    with its current rollout step on `as_of` and its headline figures for `month`."""
    county = County.from_data(repo.county.data if repo.county else None)
    stations = {as_str(as_dict(d.data).get("id")): as_dict(d.data) for d in repo.stations}
    records = {
        as_str(as_dict(d.data).get("station")): as_dict(d.data)
        for d in repo.operations
        if month is not None and d.file.split("/")[2] == month
    }
    roster = Roster(county.name, as_of, month, reveal, version, commit)
    roster.choices = {
        "township": [t.name for t in county.townships],
        **{c.key: list(schema.choices(c.path).values()) for c in COLUMNS if c.kind == "enum"},
    }
    for row in build_checklist(repo, as_of).stations:  # the stations in force on `as_of`
        station = station_on(stations.get(row.id, {}), as_of)  # with the stationmaster and agreement then
        values: dict[str, Any] = {c.key: _value(c, station, schema, as_of, reveal) for c in COLUMNS if c.editable}
        values["township"] = row.township_name or None  # the name, as people know it; the import maps it back
        values["step"] = row.progress.current.name if row.progress.current else ALL_DONE
        values["month"] = month
        record = records.get(row.id)
        figures = month_totals({row.id: record}, [row.id]) if record is not None and not is_draft(record) else {}
        values.update({key: figures.get(key) for key in _FIGURES})
        roster.rows.append(values)
    return roster


def _value(column: Column, station: dict[str, Any], schema: Schema, as_of: date, reveal: bool) -> Any:
    path = path_of(column, station, as_of)
    value = dig(station, path)
    if value is None or isinstance(value, (dict, list)):
        return None
    if column.kind == "enum":
        return schema.choices(path).get(value, value)
    if column.kind in ("date", "term_end"):
        return as_date(value) or str(value)
    if column.kind == "id_number":
        return str(value) if reveal else mask_id(str(value))
    if column.kind == "phone":
        return str(value) if reveal else mask_phone(str(value))
    if column.kind == "number":
        return value if isinstance(value, (int, Decimal)) and not isinstance(value, bool) else str(value)
    return str(value)


def to_xlsx(roster: Roster) -> bytes:
    """The workbook's bytes: the roster sheet and a notes sheet saying what the sheet is and how to use it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append([c.header for c in COLUMNS])
    for row in roster.rows:
        sheet.append([row.get(c.key) for c in COLUMNS])
    keep_as_text(sheet)  # a host named =HYPERLINK(...) stays a name
    computed = PatternFill("solid", fgColor="E7E6E6")
    last = max(sheet.max_row, 2)
    for index, column in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        header = sheet.cell(1, index)
        header.font = Font(bold=True)
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if not column.editable:
            header.fill = computed
        if column.number_format:
            for (cell,) in sheet.iter_rows(min_row=2, max_row=last, min_col=index, max_col=index):
                cell.number_format = column.number_format
        options = roster.choices.get(column.key)
        if options and all("," not in o and '"' not in o for o in options) and len(",".join(options)) < 250:
            rule = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
            rule.add(f"{letter}2:{letter}{last + 500}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    # Printed, the wide sheet runs three landscape pages wide at its own size, each page with the header
    # row and the station's name; the 打印版 sheet is the one to print for a meeting.
    landscape(sheet, pages_wide=3, grid=True)
    sheet.print_title_rows, sheet.print_title_cols = "1:1", "B:B"
    _notes(book.create_sheet(NOTES_SHEET), roster)
    print_sheet(book, roster)
    for each in book.worksheets:  # the print sheet repeats names and hosts: none may become a formula
        keep_as_text(each)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _notes(sheet: Any, roster: Roster) -> None:
    from openpyxl.styles import Font

    rows: list[tuple[str, Any]] = [
        ("县", roster.county),
        (AS_OF_LABEL, roster.as_of),
        ("统计月份", roster.month or "（没有月度运营记录）"),
        ("个人信息", "完整（含身份证号码和手机号，请妥善保管）" if roster.revealed else "已打码"),
        ("数据版本", roster.version),
        (COMMIT_LABEL, roster.commit or "（不在 git 中，导入时无法核对导出后的改动）"),
        ("导入", "yjstation import roster 文件.xlsx 预览改动，加 --apply 写入站点文件（写入前会校验）"),
        (
            "导出后的改动",
            "站点文件在导出后改过的字段，表中没改的保留文件中的值；表中也改了的列为冲突，须选定一方才写入",
        ),
        ("打码", "含 * 的身份证号码、手机号视为未改动，不会写入"),
        ("计算列", "灰色表头的列（当前步骤、统计月份和各项数字）由数据计算得出，导入时忽略"),
        ("协议", f"协议编号和到期日期是{AS_OF_LABEL}当天有效的协议（含续签）；导入时改回对应的协议或续签记录"),
        (
            "新站点",
            "在表末新增一行即新建站点文件；需填写站点编号、乡镇、级别、网点、面积、站长和完整的身份证号码、手机号",
        ),
    ]
    for label, value in rows:
        sheet.append([label, value])
    keep_as_text(sheet)
    sheet.cell(2, 2).number_format = "yyyy-mm-dd"
    sheet.column_dimensions["A"].width = 12
    for (cell,) in sheet.iter_rows(min_col=1, max_col=1):
        cell.font = Font(bold=True)
    notes_page(sheet)


def to_csv(roster: Roster) -> bytes:
    """UTF-8 with a byte-order mark, which is what makes Excel open Chinese CSV correctly; dates ISO,
    money with two decimals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS])
    for row in roster.rows:
        writer.writerow([_csv_field(row.get(c.key), c) for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_field(value: Any, column: Column) -> str:
    text = _text(value, column)
    return csv_text(text) if isinstance(value, str) else text  # numbers stay numbers: -5.00 is no formula


def _text(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal) and column.number_format.endswith("0.00"):
        return f"{value:.2f}"
    return str(value)
