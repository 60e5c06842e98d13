"""`yjstation report monthly|weekly`: the summaries the centre sends to the commerce bureau."""

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
from yjstation.cli.common import console, parse_as_of, repository_root
from yjstation.foundation.i18n import tr


class Format(StrEnum):
    text = "text"
    md = "md"
    docx = "docx"
    json = "json"


def register(app: typer.Typer) -> None:
    report_app = typer.Typer(
        help=tr(
            "周报、月报：站点网络、建设进度、服务、资费、维护、培训与考核。",
            "Weekly and monthly reports: network, rollout, services, fees, maintenance, training and assessment.",
        ),
        no_args_is_help=True,
    )
    app.add_typer(report_app, name="report")
    format_help = tr(
        "text（终端）、md、docx（写入 --out-dir）或 json",
        "text (terminal), md, docx (written to --out-dir) or json",
    )
    out_dir_help = tr(
        "md/docx 的输出目录（默认：仓库下 out/reports）",
        "Output folder for md/docx (default: out/reports in the repository)",
    )

    @report_app.command(
        "monthly",
        help=tr(
            "月度运营分析：网络覆盖、建设进度、服务量及环比、资费红线、维护与反馈、培训、协议到期、停滞、按业务指标考核和本月活动。",
            "Monthly operations analysis: coverage, rollout, services and change on last month, fee red lines, "
            "maintenance and feedback, training, agreements expiring, stalled stations, the assessment against targets "
            "and the month's events.",
        ),
    )
    def monthly_command(
        month: Annotated[str, typer.Argument(metavar="YYYY-MM", help=tr("统计的月份", "The month to report"))],
        township: Annotated[str | None, options.township()] = None,
        as_of: Annotated[
            str | None,
            options.as_of(
                tr(
                    "协议到期、无订单等名单的参照日期（默认：该月最后一天）",
                    "Reference day for the lists of expiring agreements, stations without orders etc. "
                    "(default: the month's last day)",
                )
            ),
        ] = None,
        output: Annotated[Format, options.output_format(format_help)] = Format.text,
        out_dir: Annotated[Path | None, options.out_dir(out_dir_help)] = None,
        title: Annotated[str | None, _title()] = None,
        roots: Annotated[
            list[Path] | None,
            typer.Option(
                "--root",
                help=tr(
                    "州（市）汇总：各县数据仓库的目录，可重复；各县并列并合计（md/docx 默认写入当前目录下 out/reports）",
                    "Prefecture roll-up: a county's data repository, repeatable; the counties side by side and summed "
                    "(md/docx go to out/reports in the current folder by default)",
                ),
                file_okay=False,
            ),
        ] = None,
    ) -> None:
        from yjstation.reports.monthly import monthly
        from yjstation.reports.period import month as parse_month
        from yjstation.reports.printing import names_for

        period = _period(parse_month, month)
        if roots:
            if township is not None:
                raise typer.BadParameter(
                    tr(
                        "乡镇编号只在一个县内有意义，汇总多个县时不能用",
                        "a township id means something only within one county; it cannot be used with several",
                    ),
                    param_hint="--township",
                )
            _rollup(roots, period, parse_as_of(as_of) if as_of else period.last, output, out_dir, title)
            return
        root, data = _load(township)
        report = monthly(data, period, parse_as_of(as_of) if as_of else period.last)
        _emit(report, output, root, out_dir, names_for(data, title))

    @report_app.command(
        "weekly",
        help=tr(
            "工作周报：本周完成的建设步骤、维护记录、问题反馈和培训。",
            "Weekly work report: rollout steps done this week, maintenance visits, feedback and training.",
        ),
    )
    def weekly_command(
        week: Annotated[
            str,
            typer.Argument(metavar="YYYY-Www", help=tr("统计的 ISO 周，如 2021-W10", "The ISO week, e.g. 2021-W10")),
        ],
        township: Annotated[str | None, options.township()] = None,
        output: Annotated[Format, options.output_format(format_help)] = Format.text,
        out_dir: Annotated[Path | None, options.out_dir(out_dir_help)] = None,
        title: Annotated[str | None, _title()] = None,
    ) -> None:
        from yjstation.reports.period import week as parse_week
        from yjstation.reports.printing import names_for
        from yjstation.reports.weekly import weekly

        period = _period(parse_week, week)
        root, data = _load(township)
        _emit(weekly(data, period), output, root, out_dir, names_for(data, title))


def _title() -> Any:
    return typer.Option(
        "--title",
        help=tr(
            "md/docx 的标题（默认由县、乡镇名或州（市）名和统计期生成）",
            "Title of the md/docx (default: made from the county, township or prefecture and the period)",
        ),
    )


def _rollup(
    roots: list[Path], period: Any, as_of: date, output: Format, out_dir: Path | None, title: str | None
) -> None:
    """Each county's monthly report from its own repository, then side by side and summed."""
    from yjstation.checking.engine import load_repository
    from yjstation.foundation.provenance import data_version
    from yjstation.loading.repository import find_root
    from yjstation.reports.data import ReportData
    from yjstation.reports.monthly import monthly
    from yjstation.reports.printing import rollup_names
    from yjstation.reports.rollup import rollup

    found = list(dict.fromkeys(find_root(Path.cwd(), given) for given in roots))  # a county given twice counts once
    loaded = [ReportData.load(load_repository(root)) for root in found]
    reports = [monthly(data, period, as_of) for data in loaded]
    versions = [f"{r['county'] or root.name} {data_version(root)}" for r, root in zip(reports, found, strict=True)]
    report = rollup(reports)
    if output is Format.json:
        from yjstation.reports import output as out

        sys.stdout.write(out.to_json(report))
    elif output is Format.text:
        from yjstation.cli.rollup_views import show_rollup

        show_rollup(report, console())
    else:
        own = found[0] / "templates"
        templates = own if (own / "report-rollup.md.j2").is_file() else _bundled_templates()
        names = rollup_names([data.county_view for data in loaded], title)
        _write(report, output, templates, out_dir or Path.cwd() / "out" / "reports", "；".join(versions), names)


def _bundled_templates() -> Path:
    """The templates yjstation ships, for county repositories made before the roll-up template existed."""
    from yjstation.editing.skeleton import bundled

    return Path(str(bundled().joinpath("templates")))


def _period(parse: Any, text: str) -> Any:
    try:
        return parse(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _load(township: str | None) -> tuple[Path, Any]:
    from yjstation.checking.engine import load_repository
    from yjstation.cli.common import choose_township
    from yjstation.domain.county import County
    from yjstation.reports.data import ReportData

    root = repository_root()
    repo = load_repository(root)
    township = choose_township(County.from_data(repo.county.data if repo.county else None), township)
    return root, ReportData.load(repo, township)


def _emit(report: dict[str, Any], output: Format, root: Path, out_dir: Path | None, names: Any) -> None:
    from yjstation.reports import output as out

    if output is Format.json:
        sys.stdout.write(out.to_json(report))
        return
    if output is Format.text:
        from yjstation.cli.report_views import show

        show(report, console())
        return
    from yjstation.foundation.provenance import data_version

    _write(report, output, root / "templates", out_dir or root / "out" / "reports", data_version(root), names)


def _write(report: dict[str, Any], output: Format, templates: Path, target: Path, version: str, names: Any) -> None:
    from yjstation.foundation.provenance import Provenance
    from yjstation.reports import output as out

    write = out.write_docx if output is Format.docx else out.write_markdown
    written = write(report, templates, target, Provenance(version, date.today()), names)
    for warning in written.warnings:
        print(tr("警告：{warning}", "warning: {warning}", warning=warning), file=sys.stderr)
    for path in written.files:
        print(path)
