"""`yjstation render`: a station's documents as Markdown or DOCX files. Options are parsed here, the work
is done by yjstation.render; jinja2 and pandoc load only when the command runs."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from yjstation.render import Job, Outcome


class Kind(StrEnum):
    agreement = "agreement"
    registration = "registration"
    application = "application"
    fee_notice = "fee-notice"


class DocumentFormat(StrEnum):
    md = "md"
    docx = "docx"


def render(
    kind: Annotated[
        Kind,
        typer.Argument(
            help="agreement（合作协议）、registration（站长登记表）、application（站长申请表）、fee-notice（收费标准）"
        ),
    ],
    stations: Annotated[list[str] | None, typer.Argument(help="站点编号，可写多个", show_default=False)] = None,
    every: Annotated[bool, typer.Option("--all", help="为全部站点生成（DOCX 按 CPU 核数多进程并行）")] = False,
    output: Annotated[DocumentFormat, typer.Option("--format", help="md 或 docx")] = DocumentFormat.md,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out-dir", help="输出目录（默认：仓库根目录下的 out/）", file_okay=False),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="生成日期：印在文件上，并决定适用的资费红线")
    ] = None,
) -> None:
    """生成站点文件：合作协议、站长登记表、站长申请表或收费标准（Markdown 或 DOCX）。

    文件名为 <站点编号>-<种类>.<格式>，已有文件整体替换；有文件生成失败时退出码为 1（其余照常生成）。
    """
    from yjstation.cli.app import parse_as_of, repository_root
    from yjstation.documents import station_ids
    from yjstation.provenance import data_version, line
    from yjstation.render import REFERENCE, Job

    day = parse_as_of(on, "--date")
    if every == bool(stations):
        raise typer.BadParameter("请给出站点编号，或用 --all 生成全部站点（二者选一）", param_hint="STATIONS")
    root = repository_root()
    known = station_ids(root)
    unknown = [s for s in stations or [] if s not in known]
    if unknown:
        raise typer.BadParameter(f"找不到站点 {'、'.join(unknown)}（data/stations/<站点编号>.yaml）")
    if output is DocumentFormat.docx and not (root / REFERENCE).is_file():
        raise typer.BadParameter(f"缺少 {REFERENCE}；运行 python scripts/make_reference_docx.py 生成")
    target = (out_dir or root / "out").resolve()
    provenance = line(data_version(root), day)
    chosen = known if every else list(dict.fromkeys(stations or []))
    jobs = [Job(root, kind.value, s, output.value, target, day, provenance) for s in chosen]
    failed = [o for o in _with_progress(jobs, every) if not o.ok]
    for outcome in sorted(failed, key=lambda o: o.job.station):
        print(f"错误：{outcome.error}", file=sys.stderr)
    made = len(jobs) - len(failed)
    shown = target.relative_to(root) if target.is_relative_to(root) else target
    print(
        f"已生成 {made} 份（{kind.value}，{output.value}）到 {shown}/" + (f"；{len(failed)} 份失败" if failed else "")
    )
    raise typer.Exit(1 if failed else 0)


def _with_progress(jobs: list[Job], every: bool) -> Iterator[Outcome]:
    """Outcomes as they finish, with a progress bar for `--all` when a person is watching a terminal."""
    from yjstation.render import run_all

    outcomes = run_all(jobs)
    if not every or not sys.stderr.isatty() or os.environ.get("CI"):
        yield from outcomes
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("生成文件", total=len(jobs))
        for outcome in outcomes:
            progress.advance(task)
            yield outcome
