"""Which data a generated document was made from: the git commit of the data repository, whether the
data or templates had uncommitted changes, and the generation date.

A document outlives the data it came from; the commit lets anyone who holds the file find the exact
records and wording behind it (`git show <commit>:data/stations/<id>.yaml`), and warns when there is no
such commit because the files were edited and not yet committed. It is kept with the file, not printed
on it: a contract dated 2020 with "生成日期：2026" on its face reads as backdated.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
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
    """The full commit of HEAD (None without one) and whether the data or templates have uncommitted
    changes (what `data_version` marks; files under out/ or elsewhere do not change a document)."""
    try:
        head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        status = _git(root, "status", "--porcelain", "--", *WATCHED)
    except FileNotFoundError:
        return None, False
    return head or None, bool(status)


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


@dataclass(frozen=True)
class Provenance:
    """Which data a file was made from and when, kept with the file but out of its printed text: the
    Markdown carries it as a comment, the DOCX in its document properties."""

    version: str
    on: date

    @property
    def line(self) -> str:
        return line(self.version, self.on)

    @property
    def comment(self) -> str:
        """An HTML comment, which pandoc leaves out of the DOCX and Markdown viewers do not show."""
        return "<!-- " + self.line.replace("--", "- -") + " -->"

    @property
    def properties(self) -> dict[str, str]:
        """Custom document properties (Word: File › Info › Properties › Advanced › Custom)."""
        return {"数据版本": self.version, "生成日期": self.on.isoformat()}
