"""Reading the month's entry sheet back: each row compared with the station's record for the month, the
figures typed in planned as edits of that record (a draft filled in, or a new record), and every cell
that cannot be used reported as `月报!F12：…` before anything is written.

A row whose figures are all empty means "not reported": nothing is written for it. A row with figures
must give every figure of the services the station reports (0 where there was no business), because a
blank figure is not a zero. The plan is all or nothing, and a cell both the sheet and the repository
changed since the export is a conflict (see `stale`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from yjstation.domain.reporting import OPTIONAL_FIGURES, ReportingPolicy, is_draft
from yjstation.editing.cycle import record_file
from yjstation.editing.drafts import draft_text
from yjstation.editing.edits import EditError, edit_text
from yjstation.editing.formatting import _iso_date
from yjstation.foundation.atomic import Snapshot, snapshot
from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import pick, tr
from yjstation.foundation.records import dig
from yjstation.loading.schemas import Schema
from yjstation.roster.cells import formula_cells, open_workbook
from yjstation.roster.columns import COMMIT_LABEL, NOTES_SHEET
from yjstation.roster.importer import Change, NotARoster, Problem
from yjstation.roster.month_sheet import BY_HEADER, BY_KEY, FIGURE_COLUMNS, MONTH_LABEL, SHEET, Column
from yjstation.roster.stale import Base, Conflict, Kept, Resolution, recorded_commit, verdict

CENT = Decimal("0.01")


@dataclass
class Sheet:
    title: str
    month: str | None
    commit: str | None
    letters: dict[str, str]  # column key -> letter
    rows: list[tuple[int, dict[str, Any]]]  # (row number, column key -> value)
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class RecordEdit:
    station: str
    row: int
    new: bool  # no record for the month yet: one is made from the draft
    changes: list[Change] = field(default_factory=list)


@dataclass
class Plan:
    month: str
    problems: list[Problem] = field(default_factory=list)
    edits: list[RecordEdit] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)  # rows left empty: not reported
    unchanged: int = 0
    kept: list[Kept] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def read_workbook(data: bytes) -> Sheet:
    """The entry sheet (月报, else the first) and the month and commit its notes sheet records. The
    workbook passes the roster's guards (size, zip and XML bombs) and a formula cell is refused."""
    from openpyxl.utils import get_column_letter

    book = open_workbook(data)
    page = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    notes: dict[str, Any] = {}
    if NOTES_SHEET in book.sheetnames:
        for label, value, *_ in book[NOTES_SHEET].iter_rows(min_col=1, max_col=2, values_only=True):
            notes[str(label)] = value
    month = str(notes.get(MONTH_LABEL) or "").strip() or None
    rows = list(page.iter_rows(values_only=True))
    sheet = Sheet(page.title, month, recorded_commit(notes.get(COMMIT_LABEL)), {}, [])
    formulas = set(formula_cells(page))
    for coordinate in sorted(formulas):
        sheet.problems.append(
            Problem(
                sheet.title,
                coordinate,
                tr(
                    "单元格是公式；导入只接受填写的值：复制后“选择性粘贴 → 数值”，或直接输入",
                    "the cell holds a formula; an import takes only typed values: paste it as values, or type it",
                ),
            )
        )
    for index, title in enumerate(rows[0] if rows else (), 1):
        text = str(title).strip() if title is not None else ""
        column = BY_HEADER.get(text)
        letter = get_column_letter(index)
        if column is None:
            if text:
                sheet.ignored.append(text)
        elif column.key in sheet.letters:
            sheet.problems.append(
                Problem(
                    sheet.title,
                    f"{letter}1",
                    tr("表头“{text}”重复", "the header “{text}” appears twice", text=text),
                )
            )
        else:
            sheet.letters[column.key] = letter
    if "id" not in sheet.letters or month is None:
        raise NotARoster(
            tr(
                "“{title}”不是 yjstation export month 导出的月报录入表（缺少“{header}”列或“说明”页的月份）",
                "“{title}” is not an entry sheet made by yjstation export month (no {header} column, or no month"
                " on the notes sheet)",
                title=page.title,
                header="站点编号",
            )
        )
    from openpyxl.utils import column_index_from_string

    positions = {key: column_index_from_string(letter) - 1 for key, letter in sheet.letters.items()}
    for number, values in enumerate(rows[1:], 2):
        cells = {  # a formula cell is reported above and read as no cell at all
            key: _clean(values[i]) if i < len(values) else None
            for key, i in positions.items()
            if f"{sheet.letters[key]}{number}" not in formulas
        }
        if any(v is not None for v in cells.values()):
            sheet.rows.append((number, cells))
    return sheet


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


@dataclass
class _Reader:
    """Turns cells into the values a record holds, noting every cell it cannot use."""

    sheet: Sheet
    schema: Schema
    problems: list[Problem]

    def letter_known(self, key: str) -> bool:
        return key in self.sheet.letters

    def problem(self, key: str, row: int, message: str) -> None:
        letter = self.sheet.letters.get(key, self.sheet.letters["id"])
        self.problems.append(Problem(self.sheet.title, f"{letter}{row}", message))

    def value(self, column: Column, cell: Any, row: int) -> Any:
        """The record's value for a cell (int, Decimal, ISO date text, enum code or text); None after
        noting a problem when the cell cannot be used."""
        kind = column.kind
        if kind == "count":
            number = _number(cell)
            if number is None or number < 0 or number != number.to_integral_value():
                self.problem(
                    column.key,
                    row,
                    tr(
                        "“{value}”不是单数（不小于 0 的整数）",
                        "“{value}” is not a count (a whole number, 0 or more)",
                        value=cell,
                    ),
                )
                return None
            return int(number)
        if kind in ("money", "rate"):
            number = _number(cell)
            places = CENT if kind == "money" else Decimal("0.0001")
            if number is None or number < 0:
                self.problem(
                    column.key,
                    row,
                    tr("“{value}”不是不小于 0 的数字", "“{value}” is not a number of 0 or more", value=cell),
                )
                return None
            if isinstance(cell, float):  # Excel stores 12.3 as 12.300000000000001: keep what was typed
                number = number.quantize(places)
            if number != number.quantize(places):
                self.problem(
                    column.key,
                    row,
                    tr(
                        "“{value}”的小数位太多（金额到分，费率到万分位）",
                        "“{value}” has too many decimals (money to the fen, rates to four places)",
                        value=cell,
                    ),
                )
                return None
            return number.quantize(places)
        if kind == "date":
            day = cell.date() if isinstance(cell, datetime) else cell if isinstance(cell, date) else None
            day = day or (_iso_date(cell) if isinstance(cell, str) else None)
            if day is None:
                self.problem(
                    column.key,
                    row,
                    tr("“{value}”不是日期；写成 YYYY-MM-DD", "“{value}” is not a date; write YYYY-MM-DD", value=cell),
                )
                return None
            return day.isoformat()
        if kind == "enum":
            text = str(cell).strip()
            for code, title in self.schema.choices(column.path).items():
                if text in (str(code), title):
                    return code
            known = tr("、", ", ").join(
                pick(title, str(code)) for code, title in self.schema.choices(column.path).items()
            )
            self.problem(
                column.key,
                row,
                tr(
                    "“{text}”不是允许的取值；可选：{known}",
                    "“{text}” is not allowed; choose from: {known}",
                    text=text,
                    known=known,
                ),
            )
            return None
        return str(cell).strip()


def _number(cell: Any) -> Decimal | None:
    if isinstance(cell, bool) or cell is None or isinstance(cell, (date, datetime)):
        return None
    try:
        number = Decimal(str(cell).strip().replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def plan(
    sheet: Sheet,
    stations: dict[str, dict[str, Any]],
    records: dict[str, dict[str, Any]],
    expected: list[str],
    policy: ReportingPolicy,
    schema: Schema,
    today: date,
    base: Base | None = None,
    resolution: Resolution | None = None,
) -> Plan:
    """Compare every row with the station's record for the sheet's month (`records`: id -> data) and
    plan the edits. `expected` are the stations serving in the month; a row for any other is refused."""
    month = sheet.month or ""
    result = Plan(month, list(sheet.problems))
    reader = _Reader(sheet, schema, result.problems)
    base = base or Base(None)
    resolution = resolution or Resolution()
    seen: dict[str, int] = {}
    wanted = set(expected)
    for number, cells in sheet.rows:
        sid = str(cells.get("id") or "").strip()
        if not sid:
            reader.problem("id", number, tr("站点编号为空", "the station id is empty"))
            continue
        if sid in seen:
            reader.problem(
                "id",
                number,
                tr("站点编号 {sid} 与第 {row} 行重复", "station id {sid} repeats row {row}", sid=sid, row=seen[sid]),
            )
            continue
        seen[sid] = number
        if sid not in stations:
            reader.problem("id", number, tr("没有站点 {sid}", "there is no station {sid}", sid=sid))
            continue
        if sid not in wanted:
            reader.problem(
                "id",
                number,
                tr(
                    "站点 {sid} 在 {month} 没有运营，不用报送",
                    "station {sid} did not serve in {month}; it has nothing to report",
                    sid=sid,
                    month=month,
                ),
            )
            continue
        if all(cells.get(c.key) is None for c in BY_KEY.values() if c.editable):
            result.blank.append(sid)
            continue
        edit = _compare(
            reader, sid, number, cells, stations[sid], records.get(sid), policy, today, base, resolution, result
        )
        if edit is not None and edit.changes:
            result.edits.append(edit)
        elif edit is not None:
            result.unchanged += 1
    return result


def _compare(
    reader: _Reader,
    sid: str,
    row: int,
    cells: dict[str, Any],
    station: dict[str, Any],
    record: dict[str, Any] | None,
    policy: ReportingPolicy,
    today: date,
    base: Base,
    resolution: Resolution,
    result: Plan,
) -> RecordEdit | None:
    before = len(reader.problems)
    current = record or {}
    values: dict[str, Any] = {}
    for key, cell in cells.items():
        column = BY_KEY[key]
        if column.editable and cell is not None:
            value = reader.value(column, cell, row)
            if value is not None:
                values[key] = value
    services = set(policy.services_for(station)) | set(dig(current, ("services",)) or {})
    services |= {c.service for c in FIGURE_COLUMNS if c.key in values and c.service}
    for column in FIGURE_COLUMNS:
        figure = str(column.path[-1])
        if column.service in services and figure not in OPTIONAL_FIGURES and column.key not in values:
            if reader.letter_known(column.key) and cells.get(column.key) is None:
                reader.problem(
                    column.key,
                    row,
                    tr(
                        "{sid} 已填报，{header}不能空着；没有这项业务请填 0",
                        "{sid} has figures; {header} cannot be left empty: write 0 when there was no business",
                        sid=sid,
                        header=column.header,
                    ),
                )
            elif not reader.letter_known(column.key):
                reader.problem(
                    "id",
                    row,
                    tr("表中缺少“{header}”列", "the sheet has no “{header}” column", header=column.header),
                )
    for key in ("deposits",):
        column = BY_KEY[key]
        if key not in values and (record is None or is_draft(current)) and reader.letter_known(key):
            reader.problem(
                key,
                row,
                tr(
                    "{sid} 已填报，{header}不能空着；没有收取请填 0",
                    "{sid} has figures; {header} cannot be left empty: write 0 when none was taken",
                    sid=sid,
                    header=column.header,
                ),
            )
    if len(reader.problems) > before:
        return None
    if "reported" not in values and (record is None or is_draft(current)):
        values["reported"] = today.isoformat()  # the figures are entered today
    edit = RecordEdit(sid, row, record is None)
    rel = record_file(sid, result.month)
    exported = base.data(rel)
    for key, value in values.items():
        column = BY_KEY[key]
        now = dig(current, column.path)
        if _same(now, value):
            continue
        change = Change(
            column.path,
            column.header,
            "" if now is None else _shown(reader.schema, column, now),
            _shown(reader.schema, column, value),
            _raw(value),
        )
        if base.commit is not None:
            then = dig(exported, column.path)
            action = verdict(
                True,
                _same(then, value),
                _same(then, now),
                resolution.takes_sheet(key, column.header),
                resolution.keep_repo,
            )
            shown_then = "" if then is None else _shown(reader.schema, column, then)
            if action == "kept":
                result.kept.append(Kept(sid, key, column.header, shown_then, change.old))
            elif action == "conflict":
                cell = f"{reader.sheet.title}!{reader.sheet.letters.get(key, '')}{row}"
                result.conflicts.append(
                    Conflict(sid, key, column.header, column.header, shown_then, change.old, change.new, cell)
                )
            if action != "change":
                continue
        edit.changes.append(change)
    return edit


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, Decimal)) and not isinstance(a, bool) and isinstance(b, (int, Decimal)):
        return Decimal(a) == Decimal(b)
    return str(a) == str(b)


def _shown(schema: Schema, column: Column, value: Any) -> str:
    if column.kind == "enum":
        return pick(schema.choices(column.path).get(value, str(value)), str(value))
    if column.kind == "money" and isinstance(value, (int, Decimal)):
        return f"{Decimal(value):.2f}"
    return str(value)


def _raw(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def record_texts(
    root: Path,
    result: Plan,
    stations: dict[str, dict[str, Any]],
    policy: ReportingPolicy,
    schema: Schema,
    today: date,
) -> tuple[dict[str, str], dict[str, Snapshot]]:
    """The planned edits as new texts of the month's records (a missing record starts as the draft
    `month open` would write) and the snapshots they are based on."""
    texts: dict[str, str] = {}
    based_on: dict[str, Snapshot] = {}
    for edit in result.edits:
        rel = record_file(edit.station, result.month)
        path = root / rel
        based_on[rel] = snapshot(path)
        if edit.new:
            if path.exists():
                raise CannotRun(
                    tr("{file} 已存在；请重新运行导入", "{file} already exists; run the import again", file=rel)
                )
            station = stations[edit.station]
            text = draft_text(station, result.month, policy.services_for(station), today, "yjstation import month")
        else:
            try:
                text = path.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise CannotRun(
                    tr(
                        "{file} 不是 UTF-8 编码；先运行 yjstation fmt {file}",
                        "{file} is not UTF-8; run yjstation fmt {file} first",
                        file=rel,
                    )
                ) from None
        try:
            texts[rel] = edit_text(text, schema, [(c.path, c.raw) for c in edit.changes], [])
        except EditError as exc:
            raise CannotRun(tr("{file}：{exc}", "{file}: {exc}", file=rel, exc=exc)) from None
    return texts, based_on
