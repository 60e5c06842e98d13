"""The `yjstation` command. Each command parses its options, calls one library function, hands the
result to a reporter and maps the outcome to an exit status; heavy modules load inside the commands."""

# No `from __future__ import annotations` in the command modules: Typer reads every command's
# signature when it builds the CLI, and string annotations would be evaluated there (twice per
# command) on every start, `--help` included. Evaluated once at import they cost less.

import os
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from yjstation import __version__
from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import detect, set_language, tr

if TYPE_CHECKING:
    from rich.console import Console

    from yjstation.loading.repository import Repository

app = typer.Typer(
    name="yjstation",
    help=tr(
        "农村电子商务服务站运营工具：校验站点数据、检查建设进度与资费红线、生成协议和报表。",
        "Operators' toolkit for rural e-commerce service stations: validate the data, follow the rollout and the fee red "
        "lines, render agreements and reports.",
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class State:
    root: Path | None = None


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


def _version(value: bool) -> None:
    if value:
        print(f"yjstation {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    root: Annotated[
        Path | None,
        typer.Option(
            "--root",
            help=tr(
                "数据仓库根目录（默认：从当前目录向上查找 data/county.yaml；也可用环境变量 YJSTATION_ROOT）",
                "the data repository's root (default: the first folder upwards holding data/county.yaml; or YJSTATION_ROOT)",
            ),
            file_okay=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=tr("显示版本号", "show the version"))
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="zh|en",
            help=tr(
                "界面语言：zh（中文）或 en（English）；默认按 LANG 等区域设置，其余情况为中文",
                "language: zh (Chinese) or en (English); default from the locale (LANG), else Chinese",
            ),
        ),
    ] = None,
) -> None:
    """农村电子商务服务站运营工具。"""
    State.root = root
    if lang is not None and lang not in ("zh", "en"):
        raise typer.BadParameter(
            tr("`{lang}` 不是 zh 或 en", "`{lang}` is neither zh nor en", lang=lang), param_hint="--lang"
        )
    set_language(detect([f"--lang={lang}"] if lang else []))


def parse_as_of(value: str | None, option: str = "--as-of") -> date:
    """An ISO date from the command line; today when not given. Only the CLI ever asks the clock."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            tr("`{value}` 不是 YYYY-MM-DD 形式的日期", "`{value}` is not a YYYY-MM-DD date", value=value),
            param_hint=option,
        ) from None


def repository_root() -> Path:
    from yjstation.loading.repository import find_root

    return find_root(Path.cwd(), State.root)


def _selected(root: Path, paths: list[Path]) -> list[str]:
    from yjstation.loading.repository import data_files

    every = data_files(root)
    chosen: set[str] = set()
    for given in paths:
        target = given.resolve()
        if not target.exists():
            raise CannotRun(tr("路径不存在：{path}", "no such path: {path}", path=given))
        try:
            rel = target.relative_to(root).as_posix()
        except ValueError:
            raise CannotRun(
                tr("{path} 不在数据仓库 {root} 中", "{path} is outside the repository {root}", path=given, root=root)
            ) from None
        if target.is_dir():
            prefix = "" if rel == "." else rel + "/"
            chosen.update(f for f in every if f.startswith(prefix))
        else:
            chosen.add(rel)
    return sorted(chosen)


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
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help=tr("把这一天当作“今天”（默认：今天）", "take this day as today (default: today)"),
        ),
    ] = None,
    output: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            help=tr("输出格式：text（给人看）、json、github、sarif", "output: text (for people), json, github, sarif"),
        ),
    ] = OutputFormat.text,
    changed: Annotated[
        bool,
        typer.Option(
            "--changed",
            help=tr(
                "只报告相对 git 版本 REF 有改动的数据文件（含暂存、未暂存和新文件）：validate --changed [REF]；"
                "不写 REF 时用上游分支的分叉点，没有上游则用 HEAD",
                "report only data files changed since git revision REF (staged, unstaged and new included): "
                "validate --changed [REF]; without REF, the merge-base with the upstream branch, else HEAD",
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
    from yjstation.foundation.workers import default_jobs

    day = parse_as_of(as_of)
    root = repository_root()
    ref = None
    if changed and paths and not paths[0].exists():
        ref, paths = str(paths[0]), paths[1:]  # `--changed REF`: a git revision, not a file
    only = _selected(root, paths) if paths else None
    if changed:
        from yjstation.foundation.gitutil import changed_files

        present, deleted = changed_files(root, ref)
        touched = set(present) | _orphaned_by(root, deleted)
        only = sorted(touched & set(only)) if only is not None else sorted(touched)
    with progress_bar(tr("校验", "validating")) as progress:
        result = run_validate(root, day, only, jobs=jobs or default_jobs(), cache=not no_cache, progress=progress)
    if output is OutputFormat.json:
        report_json(result, sys.stdout, day.isoformat())
    elif output is OutputFormat.github:
        report_github(result, sys.stdout)
    elif output is OutputFormat.sarif:
        report_sarif(result, sys.stdout, version)
    else:
        report_text(result, _console())
    raise typer.Exit(0 if result.ok else 1)


def _orphaned_by(root: Path, deleted: list[str]) -> set[str]:
    """A deleted station leaves its monthly records pointing at nothing: report on those too."""
    gone = {Path(name).stem for name in deleted if name.startswith("data/stations/")}
    return {p.relative_to(root).as_posix() for p in root.glob("data/operations/*/*.yaml") if p.stem in gone}


class ReportFormat(StrEnum):
    text = "text"
    md = "md"
    json = "json"


def _level_labels(root: Path) -> dict[str, str]:
    from yjstation.loading.schemas import SchemaSet

    return SchemaSet.load(root)["station"].choices(("level",))


def _write_json(payload: object) -> None:
    import json

    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


@app.command(
    help=tr(
        "八步建设清单：各乡镇各步骤完成情况、每个站点的当前步骤和停留天数、停滞站点。",
        "The eight-step checklist: steps done by township, each station's current step and days, stalled ones.",
    )
)
def checklist(
    station: Annotated[
        str | None,
        typer.Argument(help=tr("只看这一个站点的八个步骤和材料", "show this one station's eight steps and evidence")),
    ] = None,
    township: Annotated[
        str | None, typer.Option("--township", help=tr("只看这个乡镇（乡镇编号）", "only this township (its id)"))
    ] = None,
    level: Annotated[
        str | None, typer.Option("--level", help=tr("township（乡镇级）或 village（村级）", "township or village"))
    ] = None,
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
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="YYYY-MM-DD", help=tr("把这一天当作“今天”", "take this day as today")),
    ] = None,
    output: Annotated[
        ReportFormat,
        typer.Option(
            "--format", help=tr("text、md（周例会材料）或 json", "text, md (the weekly meeting's page) or json")
        ),
    ] = ReportFormat.text,
) -> None:
    from yjstation.loading.repository import load_repository
    from yjstation.reports.checklist import build, markdown_context

    day = parse_as_of(as_of)
    root = repository_root()
    repo = load_repository(root)
    result = build(repo, day, township=township, level=level, step=step, stalled=stalled, station=station)
    if station is not None and not result.stations:
        raise CannotRun(
            tr("找不到站点 {id}（data/stations/{id}.yaml）", "no station {id} (data/stations/{id}.yaml)", id=station)
        )
    labels = _level_labels(root)
    if output is ReportFormat.json:
        _write_json(result.to_json())
    elif output is ReportFormat.md:
        from yjstation.documents.markdown import environment

        county = (
            repo.county.data.get("county", {}).get("name", "")
            if repo.county and isinstance(repo.county.data, dict)
            else ""
        )
        # the Markdown page is a document for the weekly meeting: it stays Chinese
        filters = "，".join(
            f"{k} {v}" for k, v in (("乡镇", township), ("级别", level), ("步骤", step), ("站点", station)) if v
        ) + ("，仅停滞" if stalled else "")
        page = environment(root / "templates").get_template("checklist.md.j2")
        sys.stdout.write(page.render(markdown_context(result, county, labels, filters)))
    elif station is not None:
        from yjstation.cli.views import station_steps

        station_steps(result.stations[0], labels, _console())
    else:
        from yjstation.cli.views import checklist_table

        checklist_table(result, labels, _console())


@app.command(
    help=tr(
        "资费红线检查：每个站点每项服务的实测收费与红线对比；有超标项时退出码为 1。",
        "Fees against the red lines per station and service; exit 1 when any is over.",
    )
)
def fees(
    station: Annotated[str | None, typer.Argument(help=tr("只看这一个站点", "only this station"))] = None,
    month: Annotated[
        str | None,
        typer.Option(
            "--month",
            metavar="YYYY-MM",
            help=tr("检查这个月（默认：最近一个月）", "check this month (default: the latest)"),
        ),
    ] = None,
    first: Annotated[str | None, typer.Option("--from", metavar="YYYY-MM", help=tr("起始月份", "first month"))] = None,
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
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help=tr("按这一天检查公示的收费标准（默认：今天）", "check posted fees as of this day (default: today)"),
        ),
    ] = None,
    output: Annotated[
        ReportFormat, typer.Option("--format", help=tr("text、md 或 json", "text, md or json"))
    ] = ReportFormat.text,
) -> None:
    from yjstation.loading.repository import load_repository
    from yjstation.reports.compliance import build

    day = parse_as_of(as_of)
    root = repository_root()
    repo = load_repository(root)
    months = _months(repo, month, first, last)
    report = build(repo, months, day, station)
    shown = [p for p in report.rows if not (violations and p.row.ok)]
    if output is ReportFormat.json:
        _write_json(report.to_json(violations))
    elif output is ReportFormat.md:
        from yjstation.cli.views import fee_markdown_context
        from yjstation.documents.markdown import environment

        page = environment(root / "templates").get_template("fees.md.j2")
        sys.stdout.write(
            page.render(fee_markdown_context(report, shown, _county_name(repo), violations, _township_names(repo)))
        )
    else:
        from yjstation.cli.views import fee_table

        fee_table(report, shown, violations, _township_names(repo), _console())
    raise typer.Exit(1 if any(not p.row.ok for p in report.rows) else 0)


def _months(repo: "Repository", month: str | None, first: str | None, last: str | None) -> list[str]:
    from yjstation.foundation.records import month_bounds
    from yjstation.reports.compliance import month_range

    for value, name in ((month, "--month"), (first, "--from"), (last, "--to")):
        if value is not None and (len(value) != 7 or month_bounds(value) is None):
            raise typer.BadParameter(
                tr("`{value}` 不是 YYYY-MM 形式的月份", "`{value}` is not a YYYY-MM month", value=value),
                param_hint=name,
            )
    if month is not None:
        return [month]
    present = sorted({doc.file.split("/")[2] for doc in repo.operations})
    if first is None and last is None:
        return present[-1:]
    start, end = first or (present[0] if present else last), last or (present[-1] if present else first)
    assert start is not None and end is not None
    if start > end:
        raise typer.BadParameter(
            tr(
                "起始月份 {start} 晚于结束月份 {end}",
                "first month {start} is after the last {end}",
                start=start,
                end=end,
            ),
            param_hint="--from",
        )
    return month_range(start, end)


def _county_name(repo: "Repository") -> str:
    county = repo.county.data if repo.county and isinstance(repo.county.data, dict) else {}
    name = county.get("county", {}).get("name", "") if isinstance(county.get("county"), dict) else ""
    return str(name)


def _township_names(repo: "Repository") -> dict[str, str]:
    county = repo.county.data if repo.county and isinstance(repo.county.data, dict) else {}
    return {
        str(t["id"]): str(t.get("name", t["id"]))
        for t in county.get("townships", [])
        if isinstance(t, dict) and "id" in t
    }


class CatalogueFormat(StrEnum):
    text = "text"
    md = "md"


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
        typer.Option(
            "--format", help=tr("输出格式：text 或 md（即 docs/rules.md）", "output: text or md (docs/rules.md)")
        ),
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
    _console().print(table)


def _console() -> "Console":
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


from yjstation.cli import edit_commands  # noqa: E402  (the commands module needs `app`'s helpers)

app.command("fmt")(edit_commands.fmt)
app.add_typer(edit_commands.station_app, name="station")

from yjstation.cli import report_command  # noqa: E402

app.add_typer(report_command.report_app, name="report")

from yjstation.cli import documents  # noqa: E402

app.command("render")(documents.render)

from yjstation.cli import roster_command  # noqa: E402

app.add_typer(roster_command.export_app, name="export")
app.add_typer(roster_command.import_app, name="import")

from yjstation.cli import init_command  # noqa: E402

app.command("init")(init_command.init)


def main() -> None:
    """Entry point: runs the app and turns "cannot run" into exit status 2 with a plain message."""
    try:
        app()
    except CannotRun as exc:
        print(tr("yjstation：{exc}", "yjstation: {exc}", exc=exc), file=sys.stderr)
        sys.exit(2)
    except Exception as exc:  # a defect in yjstation; the operator gets one line, a developer can opt in
        if os.environ.get("YJSTATION_DEBUG"):
            raise
        print(
            tr(
                "yjstation 内部错误：{kind}: {exc}（设置 YJSTATION_DEBUG=1 可查看详情）",
                "yjstation internal error: {kind}: {exc} (set YJSTATION_DEBUG=1 for details)",
                kind=type(exc).__name__,
                exc=exc,
            ),
            file=sys.stderr,
        )
        sys.exit(2)
