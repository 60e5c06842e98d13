"""`yjstation report monthly|weekly`: the summaries the centre sends to the commerce bureau."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from yjstation.errors import CannotRun

report_app = typer.Typer(help="周报、月报：站点网络、建设进度、服务、资费、维护、培训与考核。", no_args_is_help=True)


class Format(StrEnum):
    text = "text"
    md = "md"
    docx = "docx"
    json = "json"


FORMAT = Annotated[Format, typer.Option("--format", help="text（终端）、md、docx（写入 --out-dir）或 json")]
OUT_DIR = Annotated[Path | None, typer.Option("--out-dir", help="md/docx 的输出目录（默认：仓库下 out/reports）")]
TOWNSHIP = Annotated[str | None, typer.Option("--township", help="只统计这个乡镇（乡镇编号）")]


@report_app.command("monthly")
def monthly_command(
    month: Annotated[str, typer.Argument(metavar="YYYY-MM", help="统计的月份")],
    township: TOWNSHIP = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="YYYY-MM-DD", help="协议到期、无订单等名单的参照日期（默认：该月最后一天）"),
    ] = None,
    output: FORMAT = Format.text,
    out_dir: OUT_DIR = None,
) -> None:
    """月度运营分析：网络覆盖、建设进度、服务量及环比、资费红线、维护与反馈、培训、协议到期、停滞与考核排名。"""
    from yjstation.cli.app import parse_as_of
    from yjstation.report.monthly import monthly
    from yjstation.report.period import month as parse_month

    period = _period(parse_month, month)
    root, data = _load(township)
    report = monthly(data, period, parse_as_of(as_of) if as_of else period.last)
    _emit(report, output, root, out_dir)


@report_app.command("weekly")
def weekly_command(
    week: Annotated[str, typer.Argument(metavar="YYYY-Www", help="统计的 ISO 周，如 2021-W10")],
    township: TOWNSHIP = None,
    output: FORMAT = Format.text,
    out_dir: OUT_DIR = None,
) -> None:
    """工作周报：本周完成的建设步骤、维护记录、问题反馈和培训。"""
    from yjstation.report.period import week as parse_week
    from yjstation.report.weekly import weekly

    period = _period(parse_week, week)
    root, data = _load(township)
    _emit(weekly(data, period), output, root, out_dir)


def _period(parse: Any, text: str) -> Any:
    try:
        return parse(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _load(township: str | None) -> tuple[Path, Any]:
    from yjstation.cli.app import repository_root
    from yjstation.report.data import ReportData
    from yjstation.repository import load_repository

    root = repository_root()
    data = ReportData.load(load_repository(root), township)
    if township is not None and not data.townships:
        raise CannotRun(f"乡镇编号 {township} 不在 data/county.yaml 中")
    return root, data


def _emit(report: dict[str, Any], output: Format, root: Path, out_dir: Path | None) -> None:
    from yjstation.report import output as out

    if output is Format.json:
        sys.stdout.write(out.to_json(report))
        return
    if output is Format.text:
        from yjstation.cli.app import _console
        from yjstation.cli.report_views import show

        show(report, _console())
        return
    from datetime import date

    from yjstation.provenance import data_version, line

    provenance = line(data_version(root), date.today())
    target = out_dir or root / "out" / "reports"
    write = out.write_docx if output is Format.docx else out.write_markdown
    written = write(report, root / "templates", target, provenance)
    for warning in written.warnings:
        print(f"警告：{warning}", file=sys.stderr)
    for path in written.files:
        print(path)
