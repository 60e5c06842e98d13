"""`yjstation export month` and `yjstation import month`: the month's figures as an entry sheet, out and
back in through the checked write, refused when the sheet is older than what it would overwrite."""

# No `from __future__ import annotations` in the command modules: Typer reads every command's
# signature when it builds the CLI, and string annotations would be evaluated there (twice per
# command) on every start, `--help` included. Evaluated once they cost less.

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from yjstation.cli import options
from yjstation.cli.common import parse_as_of, parse_month, read_workbook_file, repository_root
from yjstation.cli.sheets import refuse_conflicts, resolution_of, show_stale, warn_no_commit, warn_uncommitted
from yjstation.foundation.i18n import tr

if TYPE_CHECKING:
    from yjstation.loading.schemas import Schema
    from yjstation.reports.data import ReportData
    from yjstation.roster.month_import import Plan


def register(export_app: typer.Typer, import_app: typer.Typer) -> None:
    @export_app.command(
        "month",
        help=tr(
            "月报录入表：该月应报的每个站点一行、每项数字一列（中文表头、数字格式），上月数字以灰色列在旁对照，"
            "报送方式为下拉选项。",
            "The month's entry sheet: a row per station expected that month and a column per figure (Chinese"
            " headers, number cells), last month's figures beside them in grey, drop-downs where a value is coded.",
        ),
    )
    def export_month(
        month: Annotated[str, typer.Argument(metavar="YYYY-MM", help=tr("月份", "The month"))],
        out: Annotated[
            Path | None,
            typer.Option(
                "--out",
                help=tr(
                    "输出文件（默认：仓库下 out/month-<月份>.xlsx）",
                    "Output file (default: out/month-<month>.xlsx in the repository)",
                ),
                dir_okay=False,
            ),
        ] = None,
    ) -> None:
        from yjstation.checking.engine import load_repository
        from yjstation.foundation.atomic import write_atomic
        from yjstation.foundation.gitutil import head_commit
        from yjstation.foundation.provenance import data_version
        from yjstation.reports.data import ReportData
        from yjstation.reports.period import month as month_period
        from yjstation.reports.reporting import month_status
        from yjstation.roster.month_sheet import build, to_xlsx

        parse_month(month, "YYYY-MM")
        root = repository_root()
        repo = load_repository(root)
        data = ReportData.load(repo)
        expected = month_status(data, month, month_period(month).last).expected
        previous = month_period(month).previous().label
        version = data_version(root)
        sheet = build(
            data.county,
            data.stations,
            expected,
            data.operations.get(month, {}),
            data.operations.get(previous, {}),
            month,
            data.reporting,
            repo.schemas["operations"],
            version,
            head_commit(root),
        )
        target = out or root / "out" / f"month-{month}.xlsx"
        write_atomic(target, to_xlsx(sheet))
        warn_uncommitted(version)
        print(
            tr(
                "已导出 {month} 应报的 {n} 个站点到 {target}",
                "Exported the {n} stations expected in {month} to {target}",
                month=month,
                n=len(sheet.rows),
                target=target,
            )
        )

    @import_app.command(
        "month",
        help=tr(
            "按月报录入表填写该月的运营记录：逐站列出改动；空行表示尚未报送；无法使用的单元格逐一指出（如 月报!F12），"
            "有则什么也不写；导出后仓库与表格改了同一字段的列为冲突，不写入。",
            "Fill in the month's records from the entry sheet: lists the changes station by station; an empty row"
            " means not reported; points out every cell that cannot be used (such as F12 of the entry sheet) and then writes"
            " nothing; a field both the repository and the sheet changed since the export is a conflict and is"
            " not written.",
        ),
    )
    def import_month(
        file: Annotated[
            Path,
            typer.Argument(
                help=tr(
                    "填好的月报录入表（yjstation export month 导出的 .xlsx）",
                    "The filled-in entry sheet (an .xlsx made by yjstation export month)",
                ),
                dir_okay=False,
            ),
        ],
        apply: Annotated[
            bool,
            typer.Option(
                "--apply",
                help=tr(
                    "写入运营记录（默认只列出将要做的修改）",
                    "Write the records (by default only list the changes it would make)",
                ),
            ),
        ] = False,
        as_of: Annotated[
            str | None,
            options.as_of(
                tr(
                    "校验时把这一天当作“今天”；也是未填报送日期时记入的日期（默认：今天）",
                    "Validate as if this day were today; also the reported date of rows that give none"
                    " (default: today)",
                )
            ),
        ] = None,
        take_sheet: Annotated[list[str] | None, options.take_sheet()] = None,
        keep_repo: Annotated[bool, options.keep_repo()] = False,
    ) -> None:
        from yjstation.checking.engine import load_repository
        from yjstation.reports.data import ReportData
        from yjstation.reports.reporting import month_status
        from yjstation.roster.month_import import plan, read_workbook
        from yjstation.roster.month_sheet import COLUMNS
        from yjstation.roster.stale import load_base

        raw = read_workbook_file(file)
        resolution = resolution_of(take_sheet, keep_repo, {c.key for c in COLUMNS} | {c.header for c in COLUMNS})
        day = parse_as_of(as_of)
        root = repository_root()
        sheet = read_workbook(raw)
        month = sheet.month or ""
        parse_month(month, tr("“说明”页的月份", "the notes sheet's month"))
        repo = load_repository(root)
        data = ReportData.load(repo)
        expected = month_status(data, month, day).expected
        records = data.operations.get(month, {})
        base = load_base(root, sheet.commit, [f"data/operations/{month}/{sid}.yaml" for sid in expected])
        if base.commit is None:
            warn_no_commit()
        schema = repo.schemas["operations"]
        result = plan(sheet, data.stations, records, expected, data.reporting, schema, day, base, resolution)
        for header in sheet.ignored:
            print(tr("忽略不认识的列“{header}”", "Ignoring unknown column “{header}”", header=header), file=sys.stderr)
        show_stale(result.kept, result.conflicts)
        if result.problems:
            for problem in result.problems:
                print(problem, file=sys.stderr)
            print(
                tr(
                    "有 {n} 个单元格无法使用，没有写入任何文件",
                    "{n} cells cannot be used; no file was written",
                    n=len(result.problems),
                ),
                file=sys.stderr,
            )
            raise typer.Exit(1)
        if result.conflicts:
            refuse_conflicts(len(result.conflicts))
        _show(result, data.stations)
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
        _apply(root, result, data, schema, day)


def _show(result: "Plan", stations: dict[str, dict[str, Any]]) -> None:
    for edit in result.edits:
        name = stations[edit.station].get("name", edit.station)
        print(
            tr(
                "{name}（{station}，第 {row} 行）{new}",
                "{name} ({station}, row {row}){new}",
                name=name,
                station=edit.station,
                row=edit.row,
                new=tr("：新建记录", ": new record") if edit.new else "",
            )
        )
        for change in edit.changes:
            before = f"{change.old} → " if change.old else tr("（空）→ ", "(empty) → ")
            print(
                tr(
                    "  {label}：{before}{new}",
                    "  {label}: {before}{new}",
                    label=change.label,
                    before=before,
                    new=change.new,
                )
            )
    print(
        tr(
            "{month}：{changed} 个站点有改动，{unchanged} 个没有变化，{blank} 个空行（尚未报送，不写入）",
            "{month}: {changed} stations changed, {unchanged} unchanged, {blank} empty rows (not reported, not"
            " written)",
            month=result.month,
            changed=len(result.edits),
            unchanged=result.unchanged,
            blank=len(result.blank),
        )
    )


def _apply(root: Path, result: "Plan", data: "ReportData", schema: "Schema", day: date) -> None:
    from yjstation.cli.writing import write_all
    from yjstation.roster.month_import import record_texts

    texts, based_on = record_texts(root, result, data.stations, data.reporting, schema, day)
    write_all(root, texts, day, based_on)
    for rel in sorted(texts):
        print(tr("已更新 {file}", "Updated {file}", file=rel))
