"""`yjstation export roster` and `yjstation import roster`: the station roster as a spreadsheet, out and
back in through the same checked, comment-keeping edit path as `station set`."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from yjstation.errors import CannotRun

if TYPE_CHECKING:
    from yjstation.roster.importer import Plan, StationEdit
    from yjstation.schemas import Schema

export_app = typer.Typer(help="导出数据：站点花名册（Excel 或 CSV）。", no_args_is_help=True)
import_app = typer.Typer(help="导入数据：用改过的花名册更新站点文件（默认只预览）。", no_args_is_help=True)


class RosterFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


@export_app.command("roster")
def export_roster(
    output: Annotated[RosterFormat, typer.Option("--format", help="xlsx（Excel）或 csv")] = RosterFormat.xlsx,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="导出完整的身份证号码和手机号（默认打码）；文件须妥善保管")
    ] = False,
    month: Annotated[
        str | None, typer.Option("--month", metavar="YYYY-MM", help="各项数字的统计月份（默认：有记录的最近一个月）")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="输出文件（默认：仓库下 out/roster-<月份>.<格式>）", dir_okay=False)
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="按这一天判断当前步骤和有效协议（默认：今天）")
    ] = None,
) -> None:
    """站点花名册：每站一行，乡镇、级别、依托网点、站长、协议期限、当前步骤和当月主要数字。"""
    from yjstation.atomic import write_atomic
    from yjstation.cli.app import parse_as_of, repository_root
    from yjstation.provenance import data_version
    from yjstation.records import month_bounds
    from yjstation.repository import load_repository
    from yjstation.roster.export import build, latest_month, to_csv, to_xlsx
    from yjstation.schemas import SchemaSet

    if month is not None and (len(month) != 7 or month_bounds(month) is None):
        raise typer.BadParameter(f"`{month}` 不是 YYYY-MM 形式的月份", param_hint="--month")
    day = parse_as_of(as_of)
    root = repository_root()
    repo = load_repository(root)
    chosen = month or latest_month(repo)
    roster = build(repo, SchemaSet.load(root)["station"], day, chosen, reveal, data_version(root))
    data = to_xlsx(roster) if output is RosterFormat.xlsx else to_csv(roster)
    target = out or root / "out" / f"roster-{chosen or day.isoformat()}.{output.value}"
    write_atomic(target, data)
    print(f"已导出 {len(roster.rows)} 个站点到 {target}")
    if reveal:
        print("注意：文件含完整的身份证号码和手机号，请妥善保管，不要提交到 git 或随意转发", file=sys.stderr)


@import_app.command("roster")
def import_roster(
    file: Annotated[Path, typer.Argument(help="改过的花名册（yjstation export roster 导出的 .xlsx）", dir_okay=False)],
    apply: Annotated[bool, typer.Option("--apply", help="写入站点文件（默认只列出将要做的修改）")] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", metavar="YYYY-MM-DD", help="判断有效协议和校验所用的日期（默认：花名册“说明”页记录的基准日期）"
        ),
    ] = None,
) -> None:
    """按花名册修改站点文件：逐站列出字段改动；无法使用的单元格逐一指出（如 花名册!F12），有则什么也不写。"""
    from yjstation.cli.app import parse_as_of, repository_root
    from yjstation.records import as_dict
    from yjstation.repository import load_repository
    from yjstation.roster.importer import plan, read_workbook
    from yjstation.schemas import SchemaSet

    if not file.is_file():
        raise CannotRun(f"找不到文件 {file}")
    root = repository_root()
    sheet = read_workbook(file.read_bytes())
    day = parse_as_of(as_of) if as_of is not None or sheet.as_of is None else sheet.as_of
    repo = load_repository(root)
    stations = {Path(d.file).stem: d.data if isinstance(d.data, dict) else None for d in repo.stations}
    county = as_dict(repo.county.data) if repo.county else {}
    schema = SchemaSet.load(root)["station"]
    result = plan(sheet, stations, county, schema, day)
    for header in result.ignored:
        print(f"忽略不认识的列“{header}”", file=sys.stderr)
    if result.problems:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(f"有 {len(result.problems)} 个单元格无法使用，没有写入任何文件", file=sys.stderr)
        raise typer.Exit(1)
    _show(result.edits, result.unchanged, len(result.absent))
    if not result.edits:
        return
    if not apply:
        print("以上是预览，没有写入任何文件；确认无误后加 --apply 写入（写入前会校验）")
        return
    _apply(root, result, schema, day)


def _show(edits: list[StationEdit], unchanged: int, absent: int) -> None:
    for edit in edits:
        if edit.new:
            print(f"新站点 {edit.station}（第 {edit.row} 行）→ {edit.file}")
        else:
            print(f"{edit.station}（第 {edit.row} 行）")
        for change in edit.changes:
            before = f"{change.old} → " if change.old else ""
            print(f"  {change.label}：{before}{change.new}")
    changed = sum(not e.new for e in edits)
    created = sum(e.new for e in edits)
    summary = f"{changed} 个站点有改动，{created} 个新站点，{unchanged} 个站点没有变化"
    print(summary + (f"；另有 {absent} 个站点不在表中（不会改动）" if absent else ""))


def _apply(root: Path, result: Plan, schema: Schema, day: date) -> None:
    """Write every planned edit, or none: all files are validated together before the first write."""
    from yjstation.atomic import FileChanged
    from yjstation.checked_write import write_checked
    from yjstation.roster.importer import station_texts

    texts, based_on = station_texts(root, result, schema, date.today())
    try:
        added = write_checked(root, texts, day, based_on)
    except FileChanged as exc:
        raise CannotRun(str(exc)) from None
    if added:
        for diag in added:
            print(f"{diag.file}:{diag.line}:{diag.col}: {diag.code} {diag.label}：{diag.message}", file=sys.stderr)
        print(f"导入后会有 {len(added)} 个新错误，已放弃，没有写入任何文件", file=sys.stderr)
        raise typer.Exit(1)
    for edit in result.edits:
        print(f"已{'创建' if edit.new else '更新'} {edit.file}")
