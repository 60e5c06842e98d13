"""Telling an edit made in a sheet from a sheet that is simply older than the data.

A sheet records the commit it was exported from (the notes sheet's 数据提交 row). For every cell that
differs from the file as it is now, the import looks at the file as it was at that commit:

- the cell still holds the exported value: the sheet did not change it, the repository did since; the
  repository's value stays (`Kept`, listed so the operator knows why nothing was written there);
- the repository still holds the exported value: the sheet changed it; a plain change;
- both changed it, differently: a `Conflict`, listed; nothing is written until the operator takes the
  sheet's value (`--take-sheet FIELD`) or keeps the repository's (`--keep-repo`), or exports again.

An unchanged cell is never a change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yjstation.foundation.errors import CannotRun
from yjstation.foundation.gitutil import files_at, has_commit
from yjstation.foundation.i18n import tr
from yjstation.foundation.records import as_dict
from yjstation.loading.loader import load_bytes

_COMMIT = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True)
class Kept:
    """A field the repository changed after the export while the sheet kept the exported value."""

    owner: str  # the station (or station and month) the field belongs to
    field: str  # the column's key
    label: str
    exported: str
    now: str


@dataclass(frozen=True)
class Conflict:
    """A field both the sheet and the repository changed since the export, differently."""

    owner: str
    field: str
    header: str  # the column's header, one of the names --take-sheet accepts
    label: str
    exported: str
    now: str
    sheet: str
    cell: str  # where in the sheet, e.g. 花名册!F12


@dataclass
class Base:
    """The data a sheet was exported from: each file's data at the recorded commit (None: the file did
    not exist then). `commit` is None when the sheet records none; nothing can then be told apart."""

    commit: str | None
    files: dict[str, dict[str, Any] | None] = field(default_factory=dict)

    def data(self, rel: str) -> dict[str, Any] | None:
        return self.files.get(rel)


def recorded_commit(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text if _COMMIT.fullmatch(text) else None


def load_base(root: Path, commit: str | None, rels: list[str]) -> Base:
    """The files `rels` (relative to `root`) at `commit`. CannotRun when the repository does not hold
    that commit: the sheet comes from another copy, or history was rewritten; export again."""
    if commit is None:
        return Base(None)
    if not has_commit(root, commit):
        raise CannotRun(
            tr(
                "表格“说明”页记录的数据提交 {commit} 不在本仓库中（表格来自别的副本，或历史被改写）；请重新导出",
                "the sheet records the data commit {commit}, which this repository does not hold (the sheet comes "
                "from another copy, or history was rewritten); export it again",
                commit=commit[:12],
            )
        )
    base = Base(commit)
    for rel, raw in files_at(root, commit, rels).items():
        if raw is None:
            base.files[rel] = None
            continue
        doc = load_bytes(raw, root / rel, rel)
        base.files[rel] = as_dict(doc.data) if isinstance(doc.data, dict) else None
    return base


@dataclass
class Resolution:
    """What the operator chose for conflicts: fields whose sheet value wins, or the repository for all."""

    take_sheet: frozenset[str] = frozenset()
    keep_repo: bool = False

    def takes_sheet(self, key: str, header: str) -> bool:
        return key in self.take_sheet or header in self.take_sheet


def verdict(known: bool, sheet_is_base: bool, current_is_base: bool, taken: bool, keep_repo: bool) -> str:
    """What to do with a cell that differs from the repository: "change", "kept" (the repository
    changed it since the export, the sheet did not), "skip" (a conflict the operator settled for the
    repository) or "conflict". Without a base (`known` False) every difference is a change."""
    if not known or (current_is_base and not sheet_is_base):
        return "change"
    if sheet_is_base:
        return "kept"
    if taken:
        return "change"
    return "skip" if keep_repo else "conflict"


def unused_fields(resolution: Resolution, known: set[str]) -> list[str]:
    """--take-sheet names that are no column of the sheet (a typo would otherwise resolve nothing)."""
    return sorted(name for name in resolution.take_sheet if name not in known)
