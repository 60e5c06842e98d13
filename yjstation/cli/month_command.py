"""`yjstation month open|status`: starting a month's reporting and seeing who has not reported."""

# No `from __future__ import annotations` in the command modules: Typer reads every command's
# signature when it builds the CLI, and string annotations would be evaluated there (twice per
# command) on every start, `--help` included. Evaluated once they cost less.

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from yjstation.cli import options
from yjstation.cli.common import console, parse_as_of, parse_month, repository_root, write_json
from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import pick, tr


class StatusFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"


def register(app: typer.Typer) -> None:
    month_app = typer.Typer(
        help=tr(
            "月度报送：为当月应报的站点建草稿，查看谁还没有报送。",
            "The monthly cycle: open a month's draft records, see who has not reported.",
        ),
        no_args_is_help=True,
    )
    app.add_typer(month_app, name="month")

    @month_app.command(
        "open",
        help=tr(
            "开月：为该月运营的每个站点（且只为这些站点）在 data/operations/YYYY-MM/ 建草稿，列出各项服务、数字留空并带中文注释；"
            "已有的记录一律不动。",
            "Open a month: write a draft record in data/operations/YYYY-MM/ for every station serving that month"
            " (and only those), listing its services with empty figures and Chinese comments; an existing record"
            " is never touched.",
        ),
    )
    def month_open(
        month: Annotated[str, typer.Argument(metavar="YYYY-MM", help=tr("要开的月份", "The month to open"))],
        as_of: Annotated[str | None, options.checked_as_of()] = None,
    ) -> None:
        from yjstation.checking.engine import load_repository
        from yjstation.editing.cycle import open_month
        from yjstation.foundation.atomic import snapshot
        from yjstation.reports.data import ReportData

        parse_month(month, "YYYY-MM")
        day = parse_as_of(as_of)
        root = repository_root()
        repo = load_repository(root)
        data = ReportData.load(repo)
        have = {Path(doc.file).stem for doc in repo.operations if doc.file.split("/")[2:3] == [month]}
        opening = open_month(data.stations, have, month, data.reporting, date.today())
        if not opening.expected:
            print(
                tr(
                    "{month} 没有运营中的站点，没有建草稿",
                    "no station served in {month}; no draft written",
                    month=month,
                )
            )
            return
        if opening.drafts:
            from yjstation.cli.writing import write_all

            write_all(root, opening.drafts, day, {rel: snapshot(root / rel) for rel in opening.drafts})
        print(
            tr(
                "{month}：应报 {expected} 个站点，新建草稿 {created} 个，已有记录 {existing} 个（未改动）",
                "{month}: {expected} stations expected, {created} drafts written, {existing} already had a record"
                " (left as they are)",
                month=month,
                expected=len(opening.expected),
                created=len(opening.drafts),
                existing=len(opening.existing),
            )
        )
        if opening.drafts:
            print(
                tr(
                    "下一步：yjstation export month {month} 导出录入表，或直接填写草稿；进度见 yjstation month status {month}",
                    "next: yjstation export month {month} for the entry sheet, or fill in the drafts; progress:"
                    " yjstation month status {month}",
                    month=month,
                )
            )

    @month_app.command(
        "status",
        help=tr(
            "报送情况：按乡镇列出该月应报、已报送、草稿未填、没有记录和逾期的站点。",
            "Who has reported: per township, the stations expected that month, reported, drafts still blank,"
            " missing records and late ones.",
        ),
    )
    def month_status_command(
        month: Annotated[str, typer.Argument(metavar="YYYY-MM", help=tr("月份", "The month"))],
        township: Annotated[str | None, options.township()] = None,
        as_of: Annotated[
            str | None,
            options.as_of(
                tr(
                    "按这一天判断是否已过报送截止日（默认：今天）",
                    "Judge against the reporting deadline as of this day (default: today)",
                )
            ),
        ] = None,
        output: Annotated[
            StatusFormat,
            options.output_format(tr("text（终端）、json 或 md", "text (terminal), json or md")),
        ] = StatusFormat.text,
    ) -> None:
        from yjstation.checking.engine import load_repository
        from yjstation.reports.data import ReportData
        from yjstation.reports.reporting import by_township, markdown_context, month_status

        parse_month(month, "YYYY-MM")
        day = parse_as_of(as_of)
        root = repository_root()
        data = ReportData.load(load_repository(root), township)
        if township is not None and not data.townships:
            raise CannotRun(
                tr("乡镇编号 {id} 不在 data/county.yaml 中", "township {id} is not in data/county.yaml", id=township)
            )
        status = month_status(data, month, day)
        if output is StatusFormat.json:
            write_json(status.to_json())
        elif output is StatusFormat.md:
            from yjstation.documents.markdown import environment

            page = environment(_templates(root, "month-status.md.j2")).get_template("month-status.md.j2")
            sys.stdout.write(page.render(markdown_context(status, data)))
        else:
            _show_status(status, by_township(status, data), data)


def _templates(root: Path, name: str) -> Path:
    """The repository's templates, or the ones yjstation ships for a repository made before `name` existed."""
    own = root / "templates"
    if (own / name).is_file():
        return own
    from yjstation.editing.skeleton import bundled

    return Path(str(bundled().joinpath("templates")))


def _show_status(status: Any, rows: list[dict[str, Any]], data: Any) -> None:
    from rich.table import Table

    from yjstation.reports.reporting import short_name

    late = status.deadline is not None and status.as_of > status.deadline
    table = Table(
        title=tr(
            "{month} 报送情况（截止日 {deadline}{past}，截至 {day}）",
            "{month} reporting (deadline {deadline}{past}, as of {day})",
            month=status.month,
            deadline=status.deadline,
            past=tr("，已过", ", passed") if late else "",
            day=status.as_of,
        )
    )
    headers = (
        tr("乡镇", "township"),
        tr("应报", "expected"),
        tr("已报送", "reported"),
        tr("草稿未填", "draft"),
        tr("没有记录", "missing"),
        tr("逾期", "late"),
        tr("尚未报送", "not reported"),
    )
    for index, header in enumerate(headers):
        table.add_column(header, justify="right" if 0 < index < 6 else "left", overflow="fold")
    for row in rows:
        pending = [(sid, "draft") for sid in row["draft"]] + [(sid, "missing") for sid in row["missing"]]
        names = tr("、", ", ").join(
            pick(short_name(str(data.stations[sid].get("name", sid)), row["name"]), sid)
            + (tr("（无记录）", " (no record)") if kind == "missing" else "")
            for sid, kind in sorted(pending)
        )
        table.add_row(
            pick(row["name"], row["township"]),
            *(str(len(row[key])) for key in ("expected", "reported", "draft", "missing", "late")),
            names,
        )
    table.add_row(
        tr("合计", "total"),
        *(str(len(getattr(status, key))) for key in ("expected", "reported", "draft", "missing", "late")),
        "",
    )
    console().print(table)
