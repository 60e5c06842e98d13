"""The options several commands share, declared once: `--as-of`, `--format`, `--township`, `--level`,
`--month`, `--out-dir`, and the two answers to a stale sheet's conflicts, `--take-sheet` and `--keep-repo`. Each is a function returning the option's declaration, used as
`as_of: Annotated[str | None, options.as_of()] = None`: help texts are built in the language of the
invocation when the commands are registered, and a command may word the help for what the option means
to it."""

from __future__ import annotations

from typing import Any

import typer

from yjstation.foundation.i18n import tr


def as_of(help: str | None = None) -> Any:
    return typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help=help or tr("把这一天当作“今天”（默认：今天）", "Take this day as today (default: today)"),
    )


def checked_as_of() -> Any:
    """--as-of of a command that writes records: the day its check of the result takes as today."""
    return as_of(tr("校验时把这一天当作“今天”", "Validate as if this day were today"))


def output_format(help: str) -> Any:
    return typer.Option("--format", help=help)


def township(help: str | None = None) -> Any:
    return typer.Option(
        "--township",
        help=help or tr("只看这个乡镇（乡镇编号）", "Only this township (its id)"),
    )


def level() -> Any:
    return typer.Option("--level", help=tr("township（乡镇级）或 village（村级）", "township or village"))


def month(help: str) -> Any:
    return typer.Option("--month", metavar="YYYY-MM", help=help)


def out_dir(help: str) -> Any:
    return typer.Option("--out-dir", help=help, file_okay=False)


def take_sheet() -> Any:
    return typer.Option(
        "--take-sheet",
        metavar="FIELD",
        help=tr(
            "表格与仓库都在导出后改了这一列（列名或英文键，如 依托网点名称 或 host_name）时，取表格中的值；可重复",
            "Where both the sheet and the repository changed this column since the export (its header or key,"
            " e.g. host_name), take the sheet's value; repeatable",
        ),
    )


def keep_repo() -> Any:
    return typer.Option(
        "--keep-repo",
        help=tr(
            "表格与仓库都在导出后改过的单元格一律保留仓库中的值，其余改动照常写入",
            "Where both the sheet and the repository changed a cell since the export, keep the repository's value;"
            " write the other changes",
        ),
    )
