"""`validate`, `rules`, `checklist` and `fees`: the commands that check the repository and show where it
stands. Each parses its options, calls one library function and hands the result to a reporter."""

# No `from __future__ import annotations` in the command modules: Typer reads every command's
# signature when it builds the CLI, and string annotations would be evaluated there (twice per
# command) on every start, `--help` included. Evaluated once they cost less.

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from yjstation.cli import options
from yjstation.cli.common import (
    choose_station,
    choose_township,
    choose_value,
    console,
    parse_as_of,
    parse_month,
    repository_root,
    station_ids,
    write_json,
)
from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import tr


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


class ReportFormat(StrEnum):
    text = "text"
    md = "md"
    json = "json"


class ChecklistFormat(StrEnum):
    text = "text"
    md = "md"
    docx = "docx"
    json = "json"


class CatalogueFormat(StrEnum):
    text = "text"
    md = "md"


def register(app: typer.Typer) -> None:
    @app.command(
        help=tr(
            "校验数据仓库：YAML 语法、数据结构和方案规则；有错误时退出码为 1。",
            "Validate the data repository: YAML, schemas and the plan's rules; exit 1 on errors.",
        )
    )
    def validate(
        paths: Annotated[
            list[Path] | None,
            typer.Argument(
                help=tr("只报告这些文件或目录（默认：整个仓库）", "report only these files or folders (default: all)")
            ),
        ] = None,
        as_of: Annotated[str | None, options.as_of()] = None,
        output: Annotated[
            OutputFormat,
            options.output_format(
                tr("输出格式：text（给人看）、json、github、sarif", "output: text (for people), json, github, sarif")
            ),
        ] = OutputFormat.text,
        changed: Annotated[
            bool,
            typer.Option(
                "--changed",
                help=tr(
                    "只报告相对 git 版本 REF 有改动的数据文件，以及因此可能有新结论的文件（含暂存、未暂存和新文件）："
                    "validate --changed [REF]；不写 REF 时用上游分支的分叉点，没有上游则用 HEAD",
                    "report only data files changed since git revision REF, and the files whose findings those "
                    "changes can affect (staged, unstaged and new included): validate --changed [REF]; without REF, "
                    "the merge-base with the upstream branch, else HEAD",
                ),
            ),
        ] = False,
        jobs: Annotated[
            int | None,
            typer.Option(
                "--jobs",
                "-j",
                min=1,
                metavar="N",
                help=tr(
                    "并行进程数（默认：CPU 核数；文件很多时才启用）",
                    "worker processes (default: one per core; used only for many files)",
                ),
            ),
        ] = None,
        no_cache: Annotated[
            bool,
            typer.Option(
                "--no-cache",
                help=tr(
                    "不读也不写缓存（.yjstation-cache/），全部重新检查",
                    "neither read nor write the cache (.yjstation-cache/)",
                ),
            ),
        ] = False,
    ) -> None:
        from yjstation import __version__ as version
        from yjstation.checking.validate import validate as run_validate
        from yjstation.cli.progress import progress_bar
        from yjstation.cli.reporters import report_github, report_json, report_sarif, report_text
        from yjstation.loading.repository import select

        day = parse_as_of(as_of)
        root = repository_root()
        ref = None
        if changed and paths and not paths[0].exists():
            ref, paths = str(paths[0]), paths[1:]  # `--changed REF`: a git revision, not a file
        only = select(root, paths) if paths else None
        with progress_bar(tr("校验", "validating")) as progress:
            if changed:
                from yjstation.checking.changes import validate_changed

                result = validate_changed(root, day, ref, only, jobs=jobs, cache=not no_cache, progress=progress)
            else:
                result = run_validate(root, day, only, jobs=jobs, cache=not no_cache, progress=progress)
        if output is OutputFormat.json:
            report_json(result, sys.stdout, day)
        elif output is OutputFormat.github:
            report_github(result, sys.stdout)
        elif output is OutputFormat.sarif:
            report_sarif(result, sys.stdout, version)
        else:
            report_text(result, console())
        raise typer.Exit(0 if result.ok else 1)

    @app.command(
        help=tr(
            "列出全部诊断代码：严重程度、含义、依据的方案条款和修改提示。",
            "List every diagnostic code: severity, meaning, plan clause and fix hint.",
        )
    )
    def rules(
        code: Annotated[
            str | None, typer.Argument(help=tr("只显示这一条规则，例如 ID002", "show only this rule, e.g. ID002"))
        ] = None,
        output: Annotated[
            CatalogueFormat,
            options.output_format(tr("输出格式：text 或 md（即 docs/rules.md）", "output: text or md (docs/rules.md)")),
        ] = CatalogueFormat.text,
    ) -> None:
        from yjstation.checking.catalogue import SECTIONS, find, render_markdown
        from yjstation.cli.reporters import severity_label

        if output is CatalogueFormat.md:
            sys.stdout.write(render_markdown())
            return
        if code is not None:
            found = find(code)
            if found is None:
                raise CannotRun(
                    tr(
                        "没有代码为 {code} 的规则；运行 yjstation rules 查看全部",
                        "no rule has the code {code}; run yjstation rules for all",
                        code=code,
                    )
                )
            print(
                tr(
                    "{code}（{severity}）：{summary}\n依据：{clause}\n提示：{hint}",
                    "{code} ({severity}): {summary}\nplan: {clause}\nhint: {hint}",
                    code=found.code,
                    severity=severity_label(found.severity),
                    summary=found.summary_text,
                    clause=found.clause,
                    hint=found.hint_text,
                )
            )
            return
        from rich.table import Table

        table = Table()
        for header in (
            tr("代码", "code"),
            tr("严重程度", "severity"),
            tr("含义", "meaning"),
            tr("依据", "plan clause"),
            tr("修改提示", "fix hint"),
        ):
            table.add_column(header, overflow="fold")
        for _, codes in SECTIONS:
            for item in codes:
                table.add_row(item.code, severity_label(item.severity), item.summary_text, item.clause, item.hint_text)
        console().print(table)
        from yjstation.domain.documents import DOCUMENTS

        needs_table = Table(
            title=tr(
                "文件所需字段（到了出具该文件的步骤缺少即报 DOC001；有错误时 render 不生成）",
                "Fields each document needs (missing once it is due: DOC001; with errors, render refuses it)",
            )
        )
        for header in (tr("文件", "document"), tr("自何时起", "due from"), tr("字段", "fields")):
            needs_table.add_column(header, overflow="fold")
        for needs in DOCUMENTS:
            fields = [
                tr("{label}（{path}）", "{path}", label=f.label, path=f.dotted)
                + (tr("，仅村级", ", village only") if f.level else "")
                for f in needs.fields
            ]
            needs_table.add_row(
                tr("{name}（{kind}）", "{kind}", name=needs.name, kind=needs.kind),
                tr("{label}（{path}）", "{path} is set", label=needs.due_label, path=".".join(map(str, needs.due))),
                "\n".join(fields),
            )
        console().print(needs_table)

    @app.command(
        help=tr(
            "八步建设清单：各乡镇各步骤完成情况、每个站点的当前步骤和停留天数、停滞站点。",
            "The eight-step checklist: steps done by township, each station's current step and days, stalled ones.",
        )
    )
    def checklist(
        station: Annotated[
            str | None,
            typer.Argument(
                help=tr("只看这一个站点的八个步骤和材料", "show this one station's eight steps and evidence")
            ),
        ] = None,
        township: Annotated[str | None, options.township()] = None,
        level: Annotated[str | None, options.level()] = None,
        step: Annotated[
            str | None,
            typer.Option(
                "--step",
                help=tr(
                    "只看当前停在这一步的站点（步骤编号，或 completed）",
                    "only stations now at this step (a step key, or completed)",
                ),
            ),
        ] = None,
        stalled: Annotated[bool, typer.Option("--stalled", help=tr("只看停滞的站点", "only stalled stations"))] = False,
        as_of: Annotated[str | None, options.as_of()] = None,
        output: Annotated[
            ChecklistFormat,
            options.output_format(
                tr(
                    "text、md（周例会材料，输出到终端）、docx（周例会材料，写入 --out-dir）或 json",
                    "text, md (the weekly meeting's page, to the terminal), docx (the same, written to --out-dir)"
                    " or json",
                )
            ),
        ] = ChecklistFormat.text,
        out_dir: Annotated[
            Path | None,
            options.out_dir(
                tr("docx 的输出目录（默认：仓库下 out/reports）", "Output folder for docx (default: out/reports)")
            ),
        ] = None,
    ) -> None:
        from yjstation.checking.engine import load_repository
        from yjstation.domain.county import County
        from yjstation.domain.rollout import RolloutPolicy
        from yjstation.foundation.records import as_dict
        from yjstation.reports.checklist import build, markdown_page

        day = parse_as_of(as_of)
        root = repository_root()
        repo = load_repository(root)
        county_view = County.from_data(repo.county.data if repo.county else None)
        labels = repo.schemas["station"].choices(("level",))
        township = choose_township(county_view, township)
        level = choose_value(level, labels, "--level")
        if step is not None:
            policy = RolloutPolicy.from_data(as_dict(repo.policy["rollout"].data) if "rollout" in repo.policy else {})
            steps = {s.key: s.name for s in policy.steps} | {"completed": tr("全部完成", "all done")}
            step = choose_value(step, steps, "--step")
        if station is not None:
            station = choose_station(station_ids(repo), station)
        result = build(repo, day, township=township, level=level, step=step, stalled=stalled, station=station)
        if station is not None and not result.stations:
            raise CannotRun(
                tr(
                    "{rel} 无法读取；运行 yjstation validate {rel} 查看原因",
                    "{rel} cannot be read; run yjstation validate {rel} to see why",
                    rel=f"data/stations/{station}.yaml",
                )
            )
        if output is ChecklistFormat.json:
            write_json(result.to_json())
        elif output in (ChecklistFormat.md, ChecklistFormat.docx):
            county = county_view
            chosen = county.township(township)
            steps = {s.key: s.name for s in result.policy.steps} | {"completed": "全部完成"}
            filters = {
                "乡镇": chosen.name if chosen else township,
                "级别": labels.get(level, level) if level else None,
                "当前步骤": steps.get(step, step) if step else None,
                "站点": result.stations[0].name if station and result.stations else station,
                "仅列停滞站点": "" if stalled else None,
            }
            place = county.name + (chosen.name if chosen else "")
            page = markdown_page(root / "templates", result, place, labels, filters)
            if output is ChecklistFormat.md:
                sys.stdout.write(page)
            else:
                print(_checklist_docx(page, root, out_dir or root / "out" / "reports", day))
        elif station is not None:
            from yjstation.cli.views import station_steps

            station_steps(result.stations[0], labels, console())
        else:
            from yjstation.cli.views import checklist_table

            checklist_table(result, labels, console())

    @app.command(
        help=tr(
            "资费红线检查：每个站点每项服务的实测收费与红线对比；有超标项时退出码为 1。",
            "Fees against the red lines per station and service; exit 1 when any is over.",
        )
    )
    def fees(
        station: Annotated[str | None, typer.Argument(help=tr("只看这一个站点", "only this station"))] = None,
        month: Annotated[
            str | None, options.month(tr("检查这个月（默认：最近一个月）", "check this month (default: the latest)"))
        ] = None,
        first: Annotated[
            str | None, typer.Option("--from", metavar="YYYY-MM", help=tr("起始月份", "first month"))
        ] = None,
        last: Annotated[str | None, typer.Option("--to", metavar="YYYY-MM", help=tr("结束月份", "last month"))] = None,
        violations: Annotated[
            bool,
            typer.Option(
                "--violations",
                help=tr("只显示超过红线的项目，附文件和行号", "only what is over the red lines, with file and line"),
            ),
        ] = False,
        as_of: Annotated[
            str | None,
            options.as_of(
                tr("按这一天检查公示的收费标准（默认：今天）", "check posted fees as of this day (default: today)")
            ),
        ] = None,
        output: Annotated[ReportFormat, options.output_format(tr("text、md 或 json", "text, md or json"))] = (
            ReportFormat.text
        ),
    ) -> None:
        from yjstation.checking.engine import load_repository
        from yjstation.domain.county import County
        from yjstation.reports.compliance import build, months_asked

        day = parse_as_of(as_of)
        for value, name in ((month, "--month"), (first, "--from"), (last, "--to")):
            if value is not None:
                parse_month(value, name)
        root = repository_root()
        repo = load_repository(root)
        if station is not None:
            station = choose_station(station_ids(repo), station)
        present = sorted({doc.file.split("/")[2] for doc in repo.operations})
        try:
            months = months_asked(present, month, first, last)
        except ValueError as exc:
            raise typer.BadParameter(
                tr(
                    "起始月份 {start} 晚于结束月份 {end}",
                    "first month {start} is after the last {end}",
                    start=exc.args[0],
                    end=exc.args[1],
                ),
                param_hint="--from",
            ) from None
        report = build(repo, months, day, station)
        county = County.from_data(repo.county.data if repo.county else None)
        shown = [p for p in report.rows if not (violations and p.row.ok)]
        if output is ReportFormat.json:
            write_json(report.to_json(violations))
        elif output is ReportFormat.md:
            from yjstation.documents.markdown import render_page
            from yjstation.reports.compliance import markdown_context

            context = markdown_context(report, shown, county.name, violations, county.township_names)
            sys.stdout.write(render_page(root / "templates", "fees.md.j2", **context))
        else:
            from yjstation.cli.views import fee_table

            fee_table(report, shown, violations, county.township_names, console())
        raise typer.Exit(1 if any(not p.row.ok for p in report.rows) else 0)


def _checklist_docx(page: str, root: Path, out_dir: Path, day: date) -> Path:
    """The weekly meeting's page as DOCX, `checklist-YYYY-MM-DD.docx` in `out_dir`."""
    from yjstation.documents.render import REFERENCE, to_docx
    from yjstation.foundation.atomic import replace_with
    from yjstation.foundation.provenance import Provenance, data_version

    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"checklist-{day.isoformat()}.docx"
    provenance = Provenance(data_version(root), day)
    replace_with(target, lambda path: to_docx(page, path, root / REFERENCE, provenance))
    return target
