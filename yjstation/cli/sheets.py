"""What the spreadsheet imports (`import roster`, `import month`) tell the operator about a sheet that is
older than the data: fields the repository changed since the export, and conflicts that stop the import."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from yjstation.foundation.i18n import pick, tr

if TYPE_CHECKING:
    from yjstation.roster.stale import Conflict, Kept, Resolution


def resolution_of(take_sheet: list[str] | None, keep_repo: bool, known: set[str]) -> Resolution:
    """The operator's answer to conflicts; a --take-sheet name that is no column is refused."""
    from yjstation.roster.stale import Resolution, unused_fields

    resolution = Resolution(frozenset(take_sheet or ()), keep_repo)
    if take_sheet and keep_repo:
        raise typer.BadParameter(
            tr("--take-sheet 与 --keep-repo 只能选一个", "use either --take-sheet or --keep-repo, not both"),
            param_hint="--keep-repo",
        )
    unknown = unused_fields(resolution, known)
    if unknown:
        raise typer.BadParameter(
            tr(
                "没有这样的列：{names}；用表头（如 依托网点名称）或英文键（如 host_name）",
                "no such column: {names}; give a header or a key (e.g. host_name)",
                names=tr("、", ", ").join(unknown),
            ),
            param_hint="--take-sheet",
        )
    return resolution


def show_stale(kept: list[Kept], conflicts: list[Conflict]) -> None:
    for item in kept:
        print(
            tr(
                "{owner}：{label} 在导出后已在仓库中改为“{now}”（导出时为“{exported}”）；表中仍是导出时的值，保留仓库中的值",
                "{owner}: {label} was changed in the repository to “{now}” after the export (it was “{exported}”);"
                " the sheet still holds the exported value, so the repository's value stays",
                owner=item.owner,
                label=pick(item.label, item.field),
                now=item.now,
                exported=item.exported,
            )
        )
    for conflict in conflicts:
        print(
            tr(
                "冲突 {cell}：{owner} 的{label} 导出时为“{exported}”，之后仓库改为“{now}”，表中改为“{sheet}”",
                "conflict {cell}: {owner}'s {label} was “{exported}” at export, the repository has since “{now}”,"
                " the sheet “{sheet}”",
                cell=conflict.cell,
                owner=conflict.owner,
                label=pick(conflict.label, conflict.field),
                exported=conflict.exported,
                now=conflict.now,
                sheet=conflict.sheet,
            ),
            file=sys.stderr,
        )


def refuse_conflicts(count: int) -> None:
    print(
        tr(
            "有 {n} 处冲突：表格导出后，仓库和表格改了同一字段。没有写入任何文件。"
            "取表格的值用 --take-sheet 列名，保留仓库的值用 --keep-repo，或重新导出后再改",
            "{n} conflicts: the repository and the sheet changed the same fields since the export. No file was written."
            " Take the sheet's values with --take-sheet FIELD, keep the repository's with --keep-repo, or export"
            " again and redo the edits",
            n=count,
        ),
        file=sys.stderr,
    )
    raise typer.Exit(1)


def warn_no_commit() -> None:
    print(
        tr(
            "警告：表格没有记录导出时的数据提交，无法识别导出后仓库中的改动；表中与仓库不同的值都会当作修改",
            "warning: the sheet records no data commit, so changes made in the repository since the export cannot be"
            " told apart; every value that differs from the repository counts as an edit",
        ),
        file=sys.stderr,
    )


def warn_uncommitted(version: str) -> None:
    """An export of uncommitted data: its import will compare with the last commit, not with these files."""
    if "未提交" in version:
        print(
            tr(
                "注意：数据有未提交的修改；导入时按最近一次提交核对导出后的改动，先提交再导出更稳妥",
                "note: the data has uncommitted changes; the import compares with the last commit, so commit"
                " before exporting",
            ),
            file=sys.stderr,
        )
