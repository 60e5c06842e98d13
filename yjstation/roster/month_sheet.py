"""The month's entry sheet (月报录入表): one row per station expected to report the month, one column per
figure, last month's figures beside them in grey, so a clerk can type what the stationmasters sent by
phone, WeChat or paper and read it back with `import month`.

The columns are one table shared by the export and the import, like the roster's. The notes sheet
records the month and the data's commit, so the import can tell the clerk's entries from changes made
in the repository since the export.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from yjstation.domain.county import County
from yjstation.domain.reporting import FIGURES, ReportingPolicy, is_draft
from yjstation.foundation.records import as_date, as_dict, dig
from yjstation.foundation.sourcemap import DataPath
from yjstation.loading.schemas import Schema
from yjstation.roster.cells import keep_as_text
from yjstation.roster.columns import COMMIT_LABEL, NOTES_SHEET

SHEET = "月报"
MONTH_LABEL = "月份"
Kind = Literal["id", "computed", "date", "enum", "text", "count", "money", "rate"]

SERVICE_SHORT = {
    "express": "快递",
    "purchase_agency": "代购",
    "consignment": "代销",
    "topup": "充值缴费",
    "ticketing": "票务",
    "cash": "存取款",
    "convenience": "便民",
}
FIGURE_HEADERS = {
    "orders": "单数",
    "fees": "收费（元）",
    "amount": "金额（元）",
    "sales": "销售额（元）",
    "rebate": "返利（元）",
    "max_fee": "单笔最高收费（元）",
    "max_rate": "单笔最高费率",
}
FORMATS = {"count": "0", "money": "0.00", "rate": "0.0000", "date": "yyyy-mm-dd"}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    kind: Kind
    path: DataPath = ()
    previous: bool = False  # last month's value of the column before it (grey, ignored on import)

    @property
    def editable(self) -> bool:
        return self.kind not in ("id", "computed") and not self.previous

    @property
    def service(self) -> str | None:
        return str(self.path[1]) if len(self.path) == 3 and self.path[0] == "services" else None


def _figure_columns() -> list[Column]:
    out = []
    for service, figures in FIGURES.items():
        for figure in figures:
            kind: Kind = "count" if figure == "orders" else "rate" if figure == "max_rate" else "money"
            header = SERVICE_SHORT[service] + FIGURE_HEADERS[figure]
            path = ("services", service, figure)
            out.append(Column(f"{service}.{figure}", header, 11, kind, path))
            out.append(Column(f"{service}.{figure}.previous", f"{header}（上月）", 11, kind, path, previous=True))
    return out


COLUMNS: tuple[Column, ...] = (
    Column("id", "站点编号", 22, "id", ("station",)),
    Column("name", "站点名称", 28, "computed"),
    Column("township", "乡镇", 10, "computed"),
    Column("reported", "报送日期", 12, "date", ("reported",)),
    Column("reported_via", "报送方式", 10, "enum", ("reported_via",)),
    *_figure_columns(),
    Column("deposits", "收取村民押金（元）", 11, "money", ("deposits_from_villagers",)),
    Column("deposits.previous", "收取村民押金（元）（上月）", 11, "money", ("deposits_from_villagers",), previous=True),
    Column("notes", "备注", 24, "text", ("notes",)),
)
BY_HEADER = {c.header: c for c in COLUMNS}
BY_KEY = {c.key: c for c in COLUMNS}
FIGURE_COLUMNS = tuple(c for c in COLUMNS if c.editable and c.kind in ("count", "money", "rate"))


@dataclass
class MonthSheet:
    county: str
    month: str
    deadline: date | None
    version: str
    commit: str | None
    rows: list[dict[str, Any]] = field(default_factory=list)  # column key -> value
    offered: list[set[str]] = field(default_factory=list)  # per row: the services the station reports
    choices: dict[str, list[str]] = field(default_factory=dict)


def build(
    county_data: dict[str, Any],
    stations: dict[str, dict[str, Any]],
    expected: list[str],
    records: dict[str, dict[str, Any]],
    previous: dict[str, dict[str, Any]],
    month: str,
    policy: ReportingPolicy,
    schema: Schema,
    version: str = "",
    commit: str | None = None,
) -> MonthSheet:
    """One row per expected station (county's township order, the township's own station first), its
    current figures (blank while a draft) and last month's reported figures."""
    county = County.from_data(county_data)
    order = {t.id: i for i, t in enumerate(county.townships)}
    names = county.township_names
    sheet = MonthSheet(county.name, month, policy.deadline(month), version, commit)
    sheet.choices = {"reported_via": list(schema.choices(("reported_via",)).values())}

    def place(sid: str) -> tuple[int, bool, str]:
        station = stations[sid]
        return (order.get(str(station.get("township")), len(order)), station.get("level") != "township", sid)

    for sid in sorted(expected, key=place):
        station = stations[sid]
        record, before = records.get(sid, {}), previous.get(sid, {})
        last = {} if is_draft(before) else before
        row: dict[str, Any] = {
            "id": sid,
            "name": station.get("name", sid),
            "township": names.get(str(station.get("township")), station.get("township")),
        }
        for column in COLUMNS:
            if not column.path or column.kind == "id":
                continue
            source = last if column.previous else record
            value = dig(source, column.path)
            if column.kind == "date":
                value = as_date(value)
            elif column.kind == "enum" and value is not None:
                value = schema.choices(column.path).get(value, value)
            row[column.key] = value
        sheet.rows.append(row)
        sheet.offered.append(set(policy.services_for(station)) | set(as_dict(record.get("services"))))
    return sheet


def to_xlsx(sheet: MonthSheet) -> bytes:
    """The workbook: the entry sheet (frozen header and id column, grey previous-month columns, number
    cells and drop-downs) and a notes sheet saying what it is and how to read it back."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    page = book.active
    assert page is not None
    page.title = SHEET
    page.append([c.header for c in COLUMNS])
    for row in sheet.rows:
        page.append([row.get(c.key) for c in COLUMNS])
    grey, absent = PatternFill("solid", fgColor="E7E6E6"), PatternFill("solid", fgColor="F2F2F2")
    grey_text = Font(color="808080")
    last = max(page.max_row, 2)
    for index, column in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        page.column_dimensions[letter].width = column.width
        header = page.cell(1, index)
        header.font = Font(bold=True)
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if not column.editable:
            header.fill = grey
        number_format = FORMATS.get(column.kind)
        for number, (cell,) in enumerate(page.iter_rows(min_row=2, max_row=last, min_col=index, max_col=index)):
            if number_format:
                cell.number_format = number_format
            if column.previous or column.kind == "computed":
                cell.fill, cell.font = grey, grey_text
            elif column.service and number < len(sheet.offered) and column.service not in sheet.offered[number]:
                cell.fill = absent  # a service the station does not report; fill it in if it did business
        rule = _validation(column, sheet, DataValidation)
        if rule is not None:
            rule.add(f"{letter}2:{letter}{last + 200}")
            page.add_data_validation(rule)
    page.freeze_panes = "B2"
    page.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    page.row_dimensions[1].height = 45
    _notes(book.create_sheet(NOTES_SHEET), sheet)
    for each in book.worksheets:  # a station or host named =HYPERLINK(...) stays a name
        keep_as_text(each)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _validation(column: Column, sheet: MonthSheet, validation: Any) -> Any:
    if not column.editable:
        return None
    options = sheet.choices.get(column.key)
    if options:
        return validation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
    if column.kind == "count":
        rule = validation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    elif column.kind in ("money", "rate"):
        rule = validation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    else:
        return None
    rule.error = "请填写不小于 0 的数字"
    rule.showErrorMessage = True
    return rule


def _notes(page: Any, sheet: MonthSheet) -> None:
    from openpyxl.styles import Font

    rows: list[tuple[str, Any]] = [
        ("县", sheet.county),
        (MONTH_LABEL, sheet.month),
        ("报送截止日", sheet.deadline),
        ("数据版本", sheet.version),
        (COMMIT_LABEL, sheet.commit or "（不在 git 中，导入时无法核对导出后的改动）"),
        ("导入", "yjstation import month 文件.xlsx 预览改动，加 --apply 写入月度运营记录（写入前会校验）"),
        ("空行", "一行的数字全部空着，表示该站点尚未报送，不会写入；已报送的站点，未开展的业务填 0，不能空着"),
        ("报送日期", "不填时按导入当天记为报送日期"),
        ("灰色列", "站点名称、乡镇和“（上月）”各列仅供对照，导入时忽略；浅灰底的格子是该站点通常不报的业务"),
        ("导出后的改动", "记录在导出后改过、表中没改的，保留记录中的值；表中也改了的列为冲突，须选定一方才写入"),
    ]
    for label, value in rows:
        page.append([label, value])
    page.cell(3, 2).number_format = "yyyy-mm-dd"
    page.column_dimensions["A"].width = 14
    page.column_dimensions["B"].width = 90
    for (cell,) in page.iter_rows(min_col=1, max_col=1):
        cell.font = Font(bold=True)
