"""`yjstation render`: a station's documents as Markdown or DOCX files. Options are parsed here, the work
is done by yjstation.documents.render; jinja2 and pandoc load only when the command runs."""

# No `from __future__ import annotations` in the command modules: Typer reads every command's
# signature when it builds the CLI, and string annotations would be evaluated there (twice per
# command) on every start, `--help` included. Evaluated once they cost less.

import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from yjstation.cli import options
from yjstation.cli.common import choose_station, parse_as_of, repository_root, station_ids
from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import tr

if TYPE_CHECKING:
    from yjstation.documents.render import Job, Outcome
    from yjstation.documents.station import Setting


class Kind(StrEnum):
    agreement = "agreement"
    registration = "registration"
    application = "application"
    fee_notice = "fee-notice"


class DocumentFormat(StrEnum):
    md = "md"
    docx = "docx"


def register(app: typer.Typer) -> None:
    @app.command(
        "render",
        help=tr(
            "生成站点文件：合作协议、站长登记表、站长申请表或收费标准（Markdown 或 DOCX）。\n\n"
            "文件名为 <站点编号>-<种类>.<格式>，已有文件整体替换；有文件生成失败时退出码为 1（其余照常生成）。",
            "Make a station's documents: the cooperation agreement, stationmaster registration form, stationmaster"
            " application or fee notice (Markdown or DOCX).\n\n"
            "Files are named <station id>-<kind>.<format> and replace any file of that name; the exit code is 1 when"
            " a document fails (the others are made anyway).",
        ),
    )
    def render(
        kind: Annotated[
            Kind,
            typer.Argument(
                help=tr(
                    "agreement（合作协议）、registration（站长登记表）、application（站长申请表）、fee-notice（收费标准）",
                    "agreement (cooperation agreement), registration (stationmaster registration form), application"
                    " (stationmaster application), fee-notice (fee notice)",
                )
            ),
        ],
        stations: Annotated[
            list[str] | None,
            typer.Argument(help=tr("站点编号，可写多个", "Station ids, one or more"), show_default=False),
        ] = None,
        every: Annotated[
            bool,
            typer.Option(
                "--all",
                help=tr(
                    "为全部站点生成（DOCX 按 CPU 核数多进程并行）",
                    "Make them for every station (DOCX in parallel, one process per CPU core)",
                ),
            ),
        ] = False,
        output: Annotated[DocumentFormat, options.output_format(tr("md 或 docx", "md or docx"))] = DocumentFormat.md,
        out_dir: Annotated[
            Path | None,
            options.out_dir(
                tr("输出目录（默认：仓库根目录下的 out/）", "Output folder (default: out/ in the repository root)")
            ),
        ] = None,
        on: Annotated[
            str | None,
            typer.Option(
                "--date",
                metavar="YYYY-MM-DD",
                help=tr(
                    "生成日期：印在文件上，并决定适用的资费红线",
                    "Generation date: printed on the documents, and it decides the fee caps that apply",
                ),
            ),
        ] = None,
    ) -> None:
        from yjstation.checking.engine import load_repository
        from yjstation.documents.render import REFERENCE, Job
        from yjstation.documents.station import DocumentError, Setting, refusals, station_files
        from yjstation.foundation.provenance import data_version

        day = parse_as_of(on, "--date")
        if every == bool(stations):
            raise typer.BadParameter(
                tr(
                    "请给出站点编号，或用 --all 生成全部站点（二者选一）",
                    "give station ids, or --all for every station (one or the other)",
                ),
                param_hint="STATIONS",
            )
        root = repository_root()
        repo = load_repository(root)
        known = station_files(repo)
        for given in stations or []:
            if given not in known:
                choose_station(station_ids(repo), given, "STATIONS")  # names the closest, exit 2
                raise typer.BadParameter(
                    tr(
                        "data/stations/{id}.yaml 无法读取；运行 yjstation validate 查看原因",
                        "data/stations/{id}.yaml cannot be read; run yjstation validate to see why",
                        id=given,
                    ),
                    param_hint="STATIONS",
                )
        if output is DocumentFormat.docx and not (root / REFERENCE).is_file():
            raise typer.BadParameter(
                tr(
                    "缺少 {reference}；运行 python scripts/make_reference_docx.py 生成",
                    "{reference} is missing; run python scripts/make_reference_docx.py to make it",
                    reference=REFERENCE,
                )
            )
        target = (out_dir or root / "out").resolve()
        _writable(target)
        version = data_version(root)
        try:
            setting = Setting.of(repo, repo.schemas)
        except DocumentError as exc:
            raise CannotRun(str(exc)) from None
        chosen = list(known) if every else list(dict.fromkeys(stations or []))
        # The fields a document states must be free of errors, as `validate` sees them on that day.
        refused = refusals(repo, kind.value, [known[s] for s in chosen], day)
        jobs = [Job(kind.value, known[s], output.value, target, day, version) for s in chosen if s not in refused]
        failed = [o for o in _with_progress(setting, jobs, every) if not o.ok]
        errors = [(o.job.station.id, o.error or "") for o in failed]
        errors += [
            (sid, tr("{station}：{error}", "{station}: {error}", station=sid, error=why))
            for sid, why in refused.items()
        ]
        for _, error in sorted(errors):
            print(tr("错误：{error}", "error: {error}", error=error), file=sys.stderr)
        failed_count = len(errors)
        made = len(chosen) - failed_count
        shown = target.relative_to(root) if target.is_relative_to(root) else target
        summary = tr(
            "已生成 {made} 份（{kind}，{fmt}）到 {shown}/",
            "Made {made} document{made:|s} ({kind}, {fmt}) in {shown}/",
            made=made,
            kind=kind.value,
            fmt=output.value,
            shown=shown,
        )
        print(summary + (tr("；{n} 份失败", "; {n} failed", n=failed_count) if failed_count else ""))
        raise typer.Exit(1 if failed_count else 0)


def _writable(folder: Path) -> None:
    """CannotRun (exit 2, nothing written) when documents cannot be written to `folder` at all, rather
    than one failure per station."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise CannotRun(
            tr(
                "无法写入 {folder}：{why}；没有生成任何文件",
                "cannot write to {folder}: {why}; no document was made",
                folder=folder,
                why=exc.strerror or exc,
            )
        ) from None


def _with_progress(setting: "Setting", jobs: list["Job"], every: bool) -> Iterator["Outcome"]:
    """Outcomes as they finish, with a progress bar for `--all` when a person is watching a terminal."""
    from yjstation.documents.render import run_all

    outcomes = run_all(setting, jobs)
    if not every or not sys.stderr.isatty() or os.environ.get("CI"):
        yield from outcomes
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(tr("生成文件", "Making documents"), total=len(jobs))
        for outcome in outcomes:
            progress.advance(task)
            yield outcome
