"""The `yjstation` command. Each command parses its options, calls one library function, hands the
result to a reporter and maps the outcome to an exit status; heavy modules load inside the commands."""

from __future__ import annotations

import os
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from yjstation import __version__
from yjstation.errors import CannotRun

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    name="yjstation",
    help="农村电子商务服务站运营工具：校验站点数据、检查建设进度与资费红线、生成协议和报表。",
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
            help="数据仓库根目录（默认：从当前目录向上查找 data/county.yaml；也可用环境变量 YJSTATION_ROOT）",
            file_okay=False,
        ),
    ] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号")] = False,
) -> None:
    """农村电子商务服务站运营工具。"""
    State.root = root


def parse_as_of(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"`{value}` 不是 YYYY-MM-DD 形式的日期", param_hint="--as-of") from None


def repository_root() -> Path:
    from yjstation.repository import find_root

    return find_root(Path.cwd(), State.root)


def _selected(root: Path, paths: list[Path]) -> list[str]:
    from yjstation.repository import data_files

    every = data_files(root)
    chosen: set[str] = set()
    for given in paths:
        target = given.resolve()
        if not target.exists():
            raise CannotRun(f"路径不存在：{given}")
        try:
            rel = target.relative_to(root).as_posix()
        except ValueError:
            raise CannotRun(f"{given} 不在数据仓库 {root} 中") from None
        if target.is_dir():
            prefix = "" if rel == "." else rel + "/"
            chosen.update(f for f in every if f.startswith(prefix))
        else:
            chosen.add(rel)
    return sorted(chosen)


@app.command()
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="只报告这些文件或目录（默认：整个仓库）")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="把这一天当作“今天”（默认：今天）")
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="输出格式：text（给人看）、json、github")
    ] = OutputFormat.text,
) -> None:
    """校验数据仓库：YAML 语法、数据结构和方案规则；有错误时退出码为 1。"""
    from yjstation.cli.reporters import report_github, report_json, report_text
    from yjstation.validate import validate as run_validate

    day = parse_as_of(as_of)
    root = repository_root()
    only = _selected(root, paths) if paths else None
    result = run_validate(root, day, only)
    if output is OutputFormat.json:
        report_json(result, sys.stdout, day.isoformat())
    elif output is OutputFormat.github:
        report_github(result, sys.stdout)
    else:
        report_text(result, _console())
    raise typer.Exit(0 if result.ok else 1)


class CatalogueFormat(StrEnum):
    text = "text"
    md = "md"


@app.command()
def rules(
    code: Annotated[str | None, typer.Argument(help="只显示这一条规则，例如 ID002")] = None,
    output: Annotated[
        CatalogueFormat, typer.Option("--format", help="输出格式：text 或 md（即 docs/rules.md）")
    ] = CatalogueFormat.text,
) -> None:
    """列出全部诊断代码：严重程度、含义、依据的方案条款和修改提示。"""
    from yjstation.catalogue import SECTIONS, SEVERITY_ZH, find, render_markdown

    if output is CatalogueFormat.md:
        sys.stdout.write(render_markdown())
        return
    if code is not None:
        found = find(code)
        if found is None:
            raise CannotRun(f"没有代码为 {code} 的规则；运行 yjstation rules 查看全部")
        print(
            f"{found.code}（{SEVERITY_ZH[found.severity.value]}）：{found.summary}\n依据：{found.clause}\n"
            f"提示：{found.hint}"
        )
        return
    from rich.table import Table

    table = Table()
    for header in ("代码", "严重程度", "含义", "依据", "修改提示"):
        table.add_column(header, overflow="fold")
    for _, codes in SECTIONS:
        for item in codes:
            table.add_row(item.code, SEVERITY_ZH[item.severity.value], item.summary, item.clause, item.hint)
    _console().print(table)


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def main() -> None:
    """Entry point: runs the app and turns "cannot run" into exit status 2 with a plain message."""
    try:
        app()
    except CannotRun as exc:
        print(f"yjstation：{exc}", file=sys.stderr)
        sys.exit(2)
    except Exception as exc:  # a defect in yjstation; the operator gets one line, a developer can opt in
        if os.environ.get("YJSTATION_DEBUG"):
            raise
        print(f"yjstation 内部错误：{type(exc).__name__}: {exc}（设置 YJSTATION_DEBUG=1 可查看详情）", file=sys.stderr)
        sys.exit(2)
