"""Importing an edited roster: each cell compared with the station file it came from, the differences
planned as field edits, and every cell that cannot be used reported with its sheet, row and column.

The plan is all or nothing: one unusable cell and nothing is written. A masked ID or phone number (one
with `*`) means "unchanged", so a masked value never reaches a file; computed columns are ignored; an
empty cell where the file has a value is refused rather than taken as "delete", because sorting or
pasting in a spreadsheet empties cells by accident (deleting a field is `station set --unset`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from yjstation.domain.county import County
from yjstation.domain.history import source_path, station_on
from yjstation.domain.stations import STEP_KEYS
from yjstation.editing.edits import EditError, edit_text, skeleton_text, typed_value
from yjstation.editing.formatting import _iso_date
from yjstation.foundation.atomic import Snapshot, snapshot
from yjstation.foundation.diagnostics import format_path
from yjstation.foundation.entry import EntryError, parse_number
from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import pick, tr
from yjstation.foundation.masking import mask_id, mask_phone
from yjstation.foundation.records import dig
from yjstation.foundation.sourcemap import DataPath
from yjstation.loading.repository import STATION_ID, station_file
from yjstation.loading.schemas import Schema
from yjstation.roster.cells import UnusableWorkbook, formula_cells, open_workbook
from yjstation.roster.columns import AS_OF_LABEL, BY_HEADER, BY_KEY, COMMIT_LABEL, NOTES_SHEET, SHEET, Column, path_of
from yjstation.roster.stale import Base, Conflict, Kept, Resolution, recorded_commit, verdict

T = TypeVar("T")
DEFAULT_SERVICES = ("publicity", "purchase_agency", "consignment", "bill_payment", "finance")  # as `station new`
NEW_REQUIRED = ("township", "level", "host_type", "host_name", "area", "master", "id_number", "phone")


class NotARoster(UnusableWorkbook):
    """The file cannot be read as a roster at all (not a workbook, no 站点编号 column)."""


@dataclass(frozen=True)
class Problem:
    sheet: str
    cell: str
    message: str

    def __str__(self) -> str:
        return tr(
            "{sheet}!{cell}：{message}",
            "{sheet}!{cell}: {message}",
            sheet=self.sheet,
            cell=self.cell,
            message=self.message,
        )


@dataclass(frozen=True)
class Change:
    path: DataPath
    label: str
    old: str  # as shown to the operator (masked, labelled)
    new: str
    raw: str  # as handed to the editor, which types it by the schema


@dataclass
class StationEdit:
    station: str
    row: int
    new: bool
    changes: list[Change] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)  # a new station's skeleton

    @property
    def file(self) -> str:
        return station_file(self.station)


@dataclass
class Sheet:
    """The roster sheet as read: which column holds which field, and the rows' cells by field."""

    title: str
    letters: dict[str, str]  # column key -> letter
    rows: list[tuple[int, dict[str, Any]]]  # (row number, column key -> value)
    as_of: date | None
    ignored: list[str] = field(default_factory=list)  # headers that are no roster column
    problems: list[Problem] = field(default_factory=list)
    commit: str | None = None  # the data commit the notes sheet records


@dataclass
class Plan:
    as_of: date
    problems: list[Problem] = field(default_factory=list)
    edits: list[StationEdit] = field(default_factory=list)
    unchanged: int = 0
    ignored: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # stations of the repository not in the sheet
    kept: list[Kept] = field(default_factory=list)  # changed in the repository since the export, not in the sheet
    conflicts: list[Conflict] = field(default_factory=list)  # changed in both: nothing is written


def read_workbook(data: bytes) -> Sheet:
    """The roster sheet (named 花名册, else the first) and the 基准日期 its notes sheet records. A cell
    holding a formula is refused with its coordinate (see roster.cells)."""
    from openpyxl.utils import get_column_letter

    book = open_workbook(data)
    worksheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    rows = list(worksheet.iter_rows(values_only=True))
    header = rows[0] if rows else ()
    sheet = Sheet(worksheet.title, {}, [], _recorded(book, AS_OF_LABEL, _as_day))
    sheet.commit = _recorded(book, COMMIT_LABEL, recorded_commit)
    formulas = set(formula_cells(worksheet))
    for coordinate in sorted(formulas, key=_row_then_column):
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
    for index, title in enumerate(header, 1):
        text = str(title).strip() if title is not None else ""
        letter = get_column_letter(index)
        column = BY_HEADER.get(text)
        if column is None:
            if text:
                sheet.ignored.append(text)
        elif column.key in sheet.letters:
            sheet.problems.append(
                Problem(
                    sheet.title,
                    f"{letter}1",
                    tr(
                        "表头“{text}”重复（已在 {letter} 列）",
                        "the header “{text}” appears twice (already in column {letter})",
                        text=text,
                        letter=sheet.letters[column.key],
                    ),
                )
            )
        else:
            sheet.letters[column.key] = letter
    if "id" not in sheet.letters:
        raise NotARoster(
            tr(
                "工作表“{title}”的第一行没有“{header}”列，不是 yjstation 导出的花名册",
                "the first row of the sheet “{title}” has no “{header}” column; it is not a roster exported by yjstation",
                title=sheet.title,
                header=BY_KEY["id"].header,
            )
        )
    positions = {key: _column_index(letter) for key, letter in sheet.letters.items()}
    for number, values in enumerate(rows[1:], 2):
        cells = {  # a formula cell is reported above and read as no cell at all
            key: _clean(values[i - 1]) if i - 1 < len(values) else None
            for key, i in positions.items()
            if f"{sheet.letters[key]}{number}" not in formulas
        }
        if any(v is not None for v in cells.values()):
            sheet.rows.append((number, cells))
    return sheet


def _row_then_column(coordinate: str) -> tuple[int, int]:
    from openpyxl.utils.cell import coordinate_from_string

    letter, row = coordinate_from_string(coordinate)
    return row, _column_index(letter)


def _column_index(letter: str) -> int:
    from openpyxl.utils import column_index_from_string

    return int(column_index_from_string(letter))


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _recorded(book: Any, wanted: str, read: Callable[[Any], T]) -> T | None:
    """A value the notes sheet records on the row labelled `wanted`, read by `read`."""
    if NOTES_SHEET not in book.sheetnames:
        return None
    for label, value, *_ in book[NOTES_SHEET].iter_rows(min_col=1, max_col=2, values_only=True):
        if label == wanted:
            return read(value)
    return None


def _as_day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _iso_date(value) if isinstance(value, str) else None


def plan(
    sheet: Sheet,
    stations: dict[str, dict[str, Any] | None],
    county: dict[str, Any],
    schema: Schema,
    as_of: date,
    base: Base | None = None,
    resolution: Resolution | None = None,
) -> Plan:
    """Compare every row with its station file (`stations`: id -> data, None when the file is unreadable)
    and plan the edits; rows whose id is new become new stations. With `base` (the files at the commit
    the sheet was exported from), a cell the repository changed since and the sheet did not is kept as
    the repository has it, and one both changed is a conflict unless `resolution` settles it."""
    result = Plan(as_of, list(sheet.problems), ignored=list(sheet.ignored))
    context = _Context(sheet, county, schema, as_of, result.problems, base or Base(None), resolution or Resolution())
    context.plan = result
    seen: dict[str, int] = {}
    for number, cells in sheet.rows:
        sid = _text(cells.get("id"))
        if sid is None:
            context.problem(
                "id", number, tr("站点编号为空；每一行都要写站点编号", "the station id is empty; every row needs one")
            )
            continue
        if sid in seen:
            context.problem(
                "id",
                number,
                tr("站点编号 {sid} 与第 {row} 行重复", "station id {sid} repeats row {row}", sid=sid, row=seen[sid]),
            )
            continue
        seen[sid] = number
        if sid in stations:
            station = stations[sid]
            if station is None:
                context.problem(
                    "id",
                    number,
                    tr(
                        "data/stations/{sid}.yaml 无法读取；先运行 yjstation validate 修好它",
                        "data/stations/{sid}.yaml cannot be read; run yjstation validate and fix it first",
                        sid=sid,
                    ),
                )
                continue
            edit = StationEdit(sid, number, False, context.compare(number, cells, sid, station))
            if edit.changes:
                result.edits.append(edit)
            else:
                result.unchanged += 1
        elif STATION_ID.fullmatch(sid) is None:  # an id from a cell builds a path only once it is a slug
            context.problem(
                "id",
                number,
                tr(
                    "站点编号 `{sid}` 只能用小写字母、数字和连字符，并以字母开头",
                    "station id `{sid}` may hold only lower-case letters, digits and hyphens, and must start with a letter",
                    sid=sid,
                ),
            )
        else:
            new = context.new_station(sid, number, cells)
            if new is not None:
                result.edits.append(new)
    result.absent = sorted(set(stations) - set(seen))
    return result


@dataclass
class _Context:
    sheet: Sheet
    county: dict[str, Any]
    schema: Schema
    as_of: date
    problems: list[Problem]
    base: Base = field(default_factory=lambda: Base(None))
    resolution: Resolution = field(default_factory=Resolution)
    plan: Plan | None = None

    def problem(self, key: str, row: int, message: str) -> None:
        letter = self.sheet.letters.get(key, self.sheet.letters["id"])
        self.problems.append(Problem(self.sheet.title, f"{letter}{row}", message))

    @cached_property
    def view(self) -> County:
        return County.from_data(self.county)

    def compare(self, row: int, cells: dict[str, Any], sid: str, file_data: dict[str, Any]) -> list[Change]:
        # The sheet shows the station as it stood on its day (the stationmaster then in office); an
        # edit goes back to where that value is written, a former stationmaster's entry included.
        station = station_on(file_data, self.as_of)
        known = self.base.commit is not None
        exported = self.base.data(f"data/stations/{sid}.yaml") if known else None
        then = station_on(exported, self.as_of) if exported is not None else None
        changes = []
        for key, value in cells.items():
            column = BY_KEY[key]
            if not column.editable or key == "id":
                continue
            path = path_of(column, station, self.as_of)
            current = dig(station, path)
            if value is None:
                if current is not None and current != "":
                    self.problem(
                        key,
                        row,
                        tr(
                            "单元格为空，但站点文件中{label}为“{value}”；删除字段请用 "
                            "yjstation station set {sid} --unset {path}",
                            "the cell is empty, but the station file has {label} = “{value}”; to delete a field use "
                            "yjstation station set {sid} --unset {path}",
                            label=pick(self.schema.label(path) or format_path(path), format_path(path)),
                            value=self._shown(column, path, current),
                            sid=station.get("id"),
                            path=format_path(path),
                        ),
                    )
                continue
            change = self._change(column, path, current, value, row)
            if change is None:
                continue
            write_to = source_path(file_data, self.as_of, path)
            if known:
                before_path = path_of(column, then, self.as_of) if then is not None else path
                before = dig(then, before_path) if then is not None else None
                unchanged = self._same_cell(column, before_path, before, value)
                action = verdict(
                    True,
                    unchanged,
                    before == current,
                    self.resolution.takes_sheet(key, column.header),
                    self.resolution.keep_repo,
                )
                exported_text = "" if before is None else self._shown(column, before_path, before)
                if action == "kept" and self.plan is not None:
                    self.plan.kept.append(Kept(sid, key, change.label, exported_text, change.old))
                elif action == "conflict" and self.plan is not None:
                    cell = f"{self.sheet.title}!{self.sheet.letters.get(key, '')}{row}"
                    self.plan.conflicts.append(
                        Conflict(sid, key, column.header, change.label, exported_text, change.old, change.new, cell)
                    )
                if action != "change":
                    continue
            changes.append(replace(change, path=write_to))
        return changes

    def _same_cell(self, column: Column, path: DataPath, value: Any, cell: Any) -> bool:
        """Whether a cell still holds `value` as exported (compared as the import compares with the file)."""
        if value is None:
            return False
        if column.kind in ("id_number", "phone") and isinstance(cell, str) and "*" in cell:
            return True
        if isinstance(cell, str) and cell == str(value).strip():
            return True
        try:
            return self._same(column, value, self._raw(column, path, cell))
        except EditError:
            return False

    def _change(self, column: Column, path: DataPath, current: Any, value: Any, row: int) -> Change | None:
        """The edit one cell asks for, or None when it asks for none (or cannot be used: then a problem)."""
        if column.kind in ("id_number", "phone") and isinstance(value, str) and "*" in value:
            return None  # masked: unchanged
        if isinstance(value, str) and current is not None and value == str(current).strip():
            return None  # exported as it stands, even where the file holds what validate would refuse
        try:
            raw = self._raw(column, path, value)
            if current is not None and self._same(column, current, raw):
                return None
            typed_value(self.schema, path, raw)
        except EditError as exc:
            self.problem(column.key, row, str(exc))
            return None
        label = self.schema.label(path) or column.header
        old = "" if current is None else self._shown(column, path, current)
        return Change(path, label, old, self._shown(column, path, raw), raw)

    def _raw(self, column: Column, path: DataPath, value: Any) -> str:
        """The cell as the text the editor takes (an enum's code, an ISO date, a plain number)."""
        kind = column.kind
        if kind in ("date", "term_end"):
            day = _as_day(value)
            if day is None:
                raise EditError(
                    tr(
                        "“{value}”不是日期；写成 YYYY-MM-DD，或把单元格设为日期格式",
                        "“{value}” is not a date; write YYYY-MM-DD or format the cell as a date",
                        value=value,
                    )
                )
            return day.isoformat()
        if kind == "number":
            number = _decimal(value)
            if number is None:
                try:
                    number = parse_number(str(value))  # full-width digits are fine; 25平方 says what to remove
                except EntryError as exc:
                    raise EditError(str(exc)) from None
            return str(int(number)) if number == number.to_integral_value() else str(number.normalize())
        if kind == "id_number" and not isinstance(value, str):
            raise EditError(
                tr(
                    "身份证号码被存成了数字，后几位可能已经丢失；把单元格设为文本格式后重新输入",
                    "the ID card number was stored as a number and its last digits may be lost; format the cell as"
                    " text and enter it again",
                )
            )
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (datetime, date)):
            raise EditError(
                tr("“{value}”是日期，这一列应填文字", "“{value}” is a date; this column takes text", value=value)
            )
        text = str(value).strip()
        if kind == "id_number":
            return text.upper()
        if kind == "township":
            by_name = {t.name: t.id for t in self.view.townships}
            if text in by_name or text in by_name.values():
                return by_name.get(text, text)
            known = tr("、", ", ").join(pick(name, tid) for name, tid in by_name.items())
            options = tr("；可选：{known}", "; choose from: {known}", known=known) if known else ""
            raise EditError(
                tr(
                    "“{text}”不是 data/county.yaml 中的乡镇{choices}",
                    "“{text}” is not a township of data/county.yaml{choices}",
                    text=text,
                    choices=options,
                )
            )
        if kind == "enum":
            choices = self.schema.choices(path)
            for code, title in choices.items():
                if text in (str(code), title):
                    return str(code)
            known = tr("、", ", ").join(pick(title, str(code)) for code, title in choices.items())
            raise EditError(
                tr(
                    "“{text}”不是允许的取值；可选：{known}",
                    "“{text}” is not an allowed value; choose from: {known}",
                    text=text,
                    known=known,
                )
            )
        return text

    def _same(self, column: Column, current: Any, raw: str) -> bool:
        if column.kind == "number":
            return _decimal(current) == _decimal(raw)
        return str(current).strip() == raw

    def _shown(self, column: Column, path: DataPath, value: Any) -> str:
        text = str(value)
        if column.kind == "id_number":
            return mask_id(text)
        if column.kind == "phone":
            return mask_phone(text)
        if column.kind == "enum":
            return pick(self.schema.choices(path).get(text, text), text)
        if column.kind == "township":
            known = self.view.township(text)
            return pick(known.name if known is not None else text, text)
        return text

    def new_station(self, sid: str, row: int, cells: dict[str, Any]) -> StationEdit | None:
        """A new station's file from its row, or None (with problems) when the row lacks what one needs."""
        before = len(self.problems)
        edit = StationEdit(sid, row, True)
        missing = [k for k in NEW_REQUIRED if cells.get(k) is None]
        for key in missing:
            column = BY_KEY[key]
            if key in self.sheet.letters:
                self.problem(
                    key,
                    row,
                    tr(
                        "新站点 {sid} 需要填写{header}",
                        "new station {sid} needs {header}",
                        sid=sid,
                        header=column.header,
                    ),
                )
            else:
                self.problem(
                    "id",
                    row,
                    tr(
                        "新站点 {sid} 需要“{header}”列",
                        "new station {sid} needs a “{header}” column",
                        sid=sid,
                        header=column.header,
                    ),
                )
        raws: dict[str, str] = {}
        for key, value in cells.items():
            column = BY_KEY[key]
            if value is None or not column.editable or key == "id":
                continue
            if column.kind in ("id_number", "phone") and isinstance(value, str) and "*" in value:
                self.problem(
                    key,
                    row,
                    tr(
                        "新站点 {sid} 的{header}不能打码，请填写完整号码",
                        "the {header} of new station {sid} cannot be masked; enter the full number",
                        sid=sid,
                        header=column.header,
                    ),
                )
                continue
            path = column.path or path_of(column, {}, self.as_of)
            change = self._change(column, path, None, value, row)
            if change is not None:
                edit.changes.append(change)
                raws[key] = change.raw
        if len(self.problems) > before:
            return None
        fields = self._skeleton(sid, row, raws)
        if fields is None:
            return None
        edit.fields = fields
        return edit

    def _skeleton(self, sid: str, row: int, raws: dict[str, str]) -> dict[str, Any] | None:
        from stdnum.cn import ric
        from stdnum.exceptions import ValidationError

        number = raws["id_number"]
        try:
            born = ric.get_birth_date(ric.validate(number))
        except (ValidationError, ValueError):
            self.problem(
                "id_number",
                row,
                tr(
                    "身份证号码 {number} 无效（长度、校验位或出生日期不对）",
                    "ID card number {number} is invalid (wrong length, check digit or date of birth)",
                    number=mask_id(number),
                ),
            )
            return None
        level, township = raws["level"], raws["township"]
        village = raws.get("village") if level == "village" else None
        if level == "village" and village is None:
            self.problem(
                "village",
                row,
                tr("村级站点 {sid} 需要填写行政村", "village station {sid} needs its village", sid=sid),
            )
            return None
        entry = self.view.township(township)
        assert entry is not None  # the township cell was checked above
        registered = entry.village(village) if village else None
        county = self.view.name
        place = f"{entry.name}{village or ''}"
        area = typed_value(self.schema, ("site", "area_m2"), raws["area"])
        return {
            "id": sid,
            "name": raws.get("name", f"{place}电子商务服务站"),
            "level": level,
            "township": township,
            "village": village,
            "poverty_village": bool(registered and registered.poverty),
            "host_type": raws["host_type"],
            "host_name": raws["host_name"],
            "address": raws.get("address", f"{county}{place}"),
            "area_m2": area,
            "partner": raws.get("partner", "中国邮政"),
            "master_name": raws["master"],
            "gender": raws.get("gender", "male" if int(number[16]) % 2 else "female"),
            "birth_date": born,
            "id_number": number,
            "phone": raws["phone"],
            "services": list(DEFAULT_SERVICES),
        }


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def station_texts(root: Path, result: Plan, schema: Schema, today: date) -> tuple[dict[str, str], dict[str, Snapshot]]:
    """The planned edits as new file texts (relative path -> text) and the snapshots they are based on,
    made through the same round-trip editor as `station set`, so comments stay and only changed lines move."""
    texts: dict[str, str] = {}
    based_on: dict[str, Snapshot] = {}
    for edit in result.edits:
        path = root / edit.file
        based_on[edit.file] = snapshot(path)
        if edit.new:
            if path.exists():
                raise CannotRun(
                    tr("{file} 已存在；请重新运行导入", "{file} already exists; run the import again", file=edit.file)
                )
            text = skeleton_text({**edit.fields, "steps": STEP_KEYS}, today, "yjstation import roster")
        else:
            try:
                text = path.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise CannotRun(
                    tr(
                        "{file} 不是 UTF-8 编码；先运行 yjstation fmt {file}",
                        "{file} is not UTF-8; run yjstation fmt {file} first",
                        file=edit.file,
                    )
                ) from None
        try:
            texts[edit.file] = edit_text(text, schema, [(c.path, c.raw) for c in edit.changes], [])
        except EditError as exc:
            raise CannotRun(tr("{file}：{exc}", "{file}: {exc}", file=edit.file, exc=exc)) from None
    return texts, based_on
