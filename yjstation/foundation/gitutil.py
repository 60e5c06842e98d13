"""The little git yjstation needs: which data files changed since a revision (`validate --changed`),
and a file as it was at a commit (an imported sheet compared with the data it was exported from)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import tr


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args], cwd=root, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        return None
    return done.stdout if done.returncode == 0 else None


def default_base(root: Path) -> str:
    """The merge-base with the upstream branch when there is one (what a pull request would show),
    else HEAD (what a commit would add)."""
    base = _git(root, "merge-base", "HEAD", "@{upstream}")
    return base.strip() if base else "HEAD"


def changed_files(root: Path, ref: str | None) -> tuple[list[str], list[str]]:
    """Data files changed since `ref` (committed, staged, unstaged and untracked), split into those
    that exist and those deleted. Paths are relative to the repository root."""
    if _git(root, "rev-parse", "--git-dir") is None:
        raise CannotRun(
            tr(
                "{root} 不是 git 仓库，无法使用 --changed",
                "{root} is not a git repository; cannot use --changed",
                root=root,
            )
        )
    base = ref or default_base(root)
    if _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}") is None:
        raise CannotRun(tr("找不到 git 版本 {base}", "no git revision {base}", base=base))
    # --relative and ls-files both answer relative to `root`, which may sit below the work tree's top.
    diff = _git(root, "diff", "--name-only", "--no-renames", "--relative", base, "--", "data") or ""
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "--", "data") or ""
    relative = sorted({line.strip() for line in (diff + untracked).splitlines() if line.strip()})
    present = [name for name in relative if (root / name).exists()]
    return present, [name for name in relative if name not in present]


def head_commit(root: Path) -> str | None:
    """The full commit the repository's HEAD names, or None outside git or before the first commit."""
    head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    return head.strip() if head else None


def has_commit(root: Path, commit: str) -> bool:
    return _git(root, "cat-file", "-e", f"{commit}^{{commit}}") is not None


def files_at(root: Path, commit: str, rels: list[str]) -> dict[str, bytes | None]:
    """The bytes of each file (relative to `root`) as it was at `commit`; None for a file that did not
    exist then. One `git cat-file --batch` for all of them: a roster names every station."""
    if not rels:
        return {}
    # `<commit>:./<path>` is relative to the working directory, which is `root` (it may sit below the top).
    request = "".join(f"{commit}:./{rel}\n" for rel in rels).encode("utf-8")
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", "cat-file", "--batch"], cwd=root, input=request, capture_output=True
        )
    except FileNotFoundError:
        raise CannotRun(tr("本机没有 git", "git is not installed")) from None
    if done.returncode != 0:
        raise CannotRun(tr("无法读取 git 版本 {commit}", "cannot read git revision {commit}", commit=commit[:12]))
    out: dict[str, bytes | None] = {}
    data, position = done.stdout, 0
    for rel in rels:
        end = data.index(b"\n", position)
        header = data[position:end].split()
        position = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            out[rel] = data[position : position + size]
            position += size + 1  # the content is followed by a newline
        else:
            out[rel] = None  # "<object> missing": not in that commit
    return out
