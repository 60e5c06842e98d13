"""`yjstation export roster` and `yjstation import roster`: the station roster as a spreadsheet, out and
back in through the same checked, comment-keeping edit path as `station set`."""

# No `from __future__ import annotations` in the command modules: Typer reads every command's
# signature when it builds the CLI, and string annotations would be evaluated there (twice per
# command) on every start, `--help` included. Evaluated once they cost less.

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from yjstation.cli import month_sheet_command, options
from yjstation.cli.common import parse_as_of, parse_month, read_workbook_file, repository_root
from yjstation.cli.sheets import refuse_conflicts, resolution_of, show_stale, warn_no_commit, warn_uncommitted
from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import pick, tr

if TYPE_CHECKING:
    from yjstation.loading.schemas import Schema
    from yjstation.roster.importer import Plan, StationEdit


class RosterFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


def register(app: typer.Typer) -> None:
    export_app = typer.Typer(
        help=tr(
            "导出数据：站点花名册（Excel 或 CSV）、月报录入表。",
            "Export data: the station roster (Excel or CSV), the month's entry sheet.",
        ),
        no_args_is_help=True,
    )
    import_app = typer.Typer(
        help=tr(
            "导入数据：用改过的花名册更新站点文件、用填好的月报录入表填写运营记录（默认只预览）。",
            "Import data: update the station files from an edited roster, the month's records from the filled-in"
            " entry sheet (preview only by default).",
        ),
        no_args_is_help=True,
    )
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")
    month_sheet_command.register(export_app, import_app)

    @export_app.command(
        "roster",
        help=tr(
            "站点花名册：每站一行，乡镇、级别、依托网点、站长、协议期限、当前步骤和当月主要数字。",
            "The station roster: one row per station with its township, level, host outlet, stationmaster,"
            " agreement term, current step and the month's headline figures.",
        ),
    )
    def export_roster(
        output: Annotated[RosterFormat, options.output_format(tr("xlsx（Excel）或 csv", "xlsx (Excel) or csv"))] = (
            RosterFormat.xlsx
        ),
        reveal: Annotated[
            bool,
            typer.Option(
                "--reveal",
                help=tr(
                    "导出完整的身份证号码和手机号（默认打码）；文件须妥善保管",
                    "Export full ID card and phone numbers (masked by default); keep the file safe",
                ),
            ),
        ] = False,
        month: Annotated[
            str | None,
            options.month(
                tr(
                    "各项数字的统计月份（默认：有记录的最近一个月）",
                    "The month of the figures (default: the latest month with records)",
                )
            ),
        ] = None,
        out: Annotated[
            Path | None,
            typer.Option(
                "--out",
                help=tr(
                    "输出文件（默认：仓库下 out/roster-<月份>.<格式>）",
                    "Output file (default: out/roster-<month>.<format> in the repository)",
                ),
                dir_okay=False,
            ),
        ] = None,
        as_of: Annotated[
            str | None,
            options.as_of(
                tr(
                    "按这一天判断当前步骤和有效协议（默认：今天）",
                    "Judge the current step and the agreement in force on this day (default: today)",
                )
            ),
        ] = None,
    ) -> None:
        from yjstation.checking.engine import load_repository
        from yjstation.foundation.atomic import write_atomic
        from yjstation.foundation.gitutil import head_commit
        from yjstation.foundation.provenance import data_version
        from yjstation.roster.export import build, latest_month, to_csv, to_xlsx

        if month is not None:
            parse_month(month)
        day = parse_as_of(as_of)
        root = repository_root()
        repo = load_repository(root)
        chosen = month or latest_month(repo)
        version = data_version(root)
        roster = build(repo, repo.schemas["station"], day, chosen, reveal, version, head_commit(root))
        warn_uncommitted(version)
        data = to_xlsx(roster) if output is RosterFormat.xlsx else to_csv(roster)
        target = out or root / "out" / f"roster-{chosen or day.isoformat()}.{output.value}"
        try:
            write_atomic(target, data)
        except OSError as exc:
            raise CannotRun(
                tr(
                    "无法写入 {target}：{why}；没有写出任何文件",
                    "cannot write {target}: {why}; no file was written",
                    target=target,
                    why=exc.strerror or exc,
                )
            ) from None
        print(
            tr(
                "已导出 {n} 个站点到 {target}",
                "Exported {n} station{n:|s} to {target}",
                n=len(roster.rows),
                target=target,
            )
        )
        if reveal:
            print(
                tr(
                    "注意：文件含完整的身份证号码和手机号，请妥善保管，不要提交到 git 或随意转发",
                    "Note: the file holds full ID card and phone numbers; keep it safe, do not commit it to git"
                    " or pass it around",
                ),
                file=sys.stderr,
            )

    @import_app.command(
        "roster",
        help=tr(
            "按花名册修改站点文件：逐站列出字段改动；无法使用的单元格逐一指出（如 花名册!F12），有则什么也不写。",
            "Update the station files from the roster: lists the field changes station by station; points out"
            " every cell that cannot be used (such as F12 of the roster sheet), and then writes nothing.",
        ),
    )
    def import_roster(
        file: Annotated[
            Path,
            typer.Argument(
                help=tr(
                    "改过的花名册（yjstation export roster 导出的 .xlsx）",
                    "The edited roster (an .xlsx made by yjstation export roster)",
                ),
                dir_okay=False,
            ),
        ],
        apply: Annotated[
            bool,
            typer.Option(
                "--apply",
                help=tr(
                    "写入站点文件（默认只列出将要做的修改）",
                    "Write the station files (by default only list the changes it would make)",
                ),
            ),
        ] = False,
        as_of: Annotated[
            str | None,
            options.as_of(
                tr(
                    "判断有效协议和校验所用的日期（默认：花名册“说明”页记录的基准日期）",
                    "The day that decides the agreement in force and validation (default: the reference date on"
                    " the roster's notes sheet)",
                )
            ),
        ] = None,
        take_sheet: Annotated[list[str] | None, options.take_sheet()] = None,
        keep_repo: Annotated[bool, options.keep_repo()] = False,
    ) -> None:
        from yjstation.checking.engine import load_repository
        from yjstation.foundation.records import as_dict
        from yjstation.roster.columns import COLUMNS
        from yjstation.roster.importer import plan, read_workbook
        from yjstation.roster.stale import load_base

        data = read_workbook_file(file)
        resolution = resolution_of(take_sheet, keep_repo, {c.key for c in COLUMNS} | {c.header for c in COLUMNS})
        root = repository_root()
        sheet = read_workbook(data)
        day = parse_as_of(as_of) if as_of is not None or sheet.as_of is None else sheet.as_of
        repo = load_repository(root)
        stations = {Path(d.file).stem: d.data if isinstance(d.data, dict) else None for d in repo.stations}
        county = as_dict(repo.county.data) if repo.county else {}
        schema = repo.schemas["station"]
        base = load_base(root, sheet.commit, [f"data/stations/{sid}.yaml" for sid in stations])
        if base.commit is None:
            warn_no_commit()
        result = plan(sheet, stations, county, schema, day, base, resolution)
        for header in result.ignored:
            print(tr("忽略不认识的列“{header}”", "Ignoring unknown column “{header}”", header=header), file=sys.stderr)
        show_stale(result.kept, result.conflicts)
        if result.problems:
            for problem in result.problems:
                print(problem, file=sys.stderr)
            print(
                tr(
                    "有 {n} 个单元格无法使用，没有写入任何文件",
                    "{n} cell{n:|s} cannot be used; no file was written",
                    n=len(result.problems),
                ),
                file=sys.stderr,
            )
            raise typer.Exit(1)
        if result.conflicts:
            refuse_conflicts(len(result.conflicts))
        _show(result.edits, result.unchanged, len(result.absent))
        if not result.edits:
            return
        if not apply:
            print(
                tr(
                    "以上是预览，没有写入任何文件；确认无误后加 --apply 写入（写入前会校验）",
                    "This is a preview; no file was written. When it is right, add --apply to write"
                    " (validated before writing)",
                )
            )
            return
        _apply(root, result, schema, day)


def _show(edits: list["StationEdit"], unchanged: int, absent: int) -> None:
    for edit in edits:
        if edit.new:
            print(
                tr(
                    "新站点 {station}（第 {row} 行）→ {file}",
                    "new station {station} (row {row}) → {file}",
                    station=edit.station,
                    row=edit.row,
                    file=edit.file,
                )
            )
        else:
            print(tr("{station}（第 {row} 行）", "{station} (row {row})", station=edit.station, row=edit.row))
        from yjstation.foundation.diagnostics import format_path  # not at start-up: `--help` needs none of it

        for change in edit.changes:
            before = f"{change.old} → " if change.old else ""
            label = pick(change.label, format_path(change.path))
            print(
                tr("  {label}：{before}{new}", "  {label}: {before}{new}", label=label, before=before, new=change.new)
            )
    changed = sum(not e.new for e in edits)
    created = sum(e.new for e in edits)
    summary = tr(
        "{changed} 个站点有改动，{created} 个新站点，{unchanged} 个站点没有变化",
        "{changed} station{changed:|s} changed, {created} new station{created:|s}, {unchanged} station{unchanged:|s} unchanged",
        changed=changed,
        created=created,
        unchanged=unchanged,
    )
    rest = tr(
        "；另有 {n} 个站点不在表中（不会改动）",
        "; {n} more station{n:|s} {n:is|are} not in the sheet (left as {n:it is|they are})",
        n=absent,
    )
    print(summary + (rest if absent else ""))


def _apply(root: Path, result: "Plan", schema: "Schema", day: date) -> None:
    """Write every planned edit, or none: all files are validated together before the first write."""
    from yjstation.editing.checked_write import write_checked
    from yjstation.foundation.atomic import FileChanged
    from yjstation.roster.importer import station_texts

    texts, based_on = station_texts(root, result, schema, date.today())
    try:
        added = write_checked(root, texts, day, based_on)
    except FileChanged as exc:
        raise CannotRun(str(exc)) from None
    if added:
        for diag in added:
            where = f"{diag.file}:{diag.line}:{diag.col}: {diag.code}"
            label = pick(diag.label, diag.path)
            print(
                tr(
                    "{where} {label}：{message}",
                    "{where} {label}: {message}",
                    where=where,
                    label=label,
                    message=diag.message,
                ),
                file=sys.stderr,
            )
        print(
            tr(
                "导入后会有 {n} 个新错误，已放弃，没有写入任何文件",
                "The import would add {n} new error{n:|s}; abandoned, no file was written",
                n=len(added),
            ),
            file=sys.stderr,
        )
        raise typer.Exit(1)
    for edit in result.edits:
        if edit.new:
            print(tr("已创建 {file}", "Created {file}", file=edit.file))
        else:
            print(tr("已更新 {file}", "Updated {file}", file=edit.file))
