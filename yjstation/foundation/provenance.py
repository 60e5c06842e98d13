"""Which data a generated document was made from: the git commit of the data repository, whether the
data or templates had uncommitted changes, and the generation date.

A printed contract outlives the data it came from; the line lets anyone who holds the paper find the
exact records and wording behind it (`git show <commit>:data/stations/<id>.yaml`), and warns when
there is no such commit because the files were edited and not yet committed.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

WATCHED = ("data", "templates")  # what a document is made of; out/ and the code do not change its text


def data_version(root: Path) -> str:
    """`7036d48`, `7036d48（含未提交的修改）`, or a phrase saying why there is no commit to name."""
    try:
        head = _git(root, "rev-parse", "--short", "HEAD")
    except FileNotFoundError:
        return "未知（本机没有 git）"
    if head is None:
        inside = _git(root, "rev-parse", "--is-inside-work-tree")
        return "未提交（git 仓库中还没有提交）" if inside == "true" else "不在 git 仓库中（无法确定数据版本）"
    status = _git(root, "status", "--porcelain", "--", *WATCHED)
    return head + ("（含未提交的修改）" if status else "")


def commit_state(root: Path) -> tuple[str | None, bool]:
    """The full commit of HEAD (None without one) and whether the work tree has uncommitted changes."""
    try:
        head = _git(root, "rev-parse", "HEAD")
        status = _git(root, "status", "--porcelain")
    except FileNotFoundError:
        return None, False
    return head, bool(status)


def line(version: str, on: date) -> str:
    """The provenance line printed at the end of every document."""
    return f"数据版本：{version} · 生成日期：{on.isoformat()}"


def _git(root: Path, *args: str) -> str | None:
    """git's output, or None when git refuses (not a repository, no commit yet)."""
    done = subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 else None
