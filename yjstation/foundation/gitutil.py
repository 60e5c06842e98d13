"""The little git `validate --changed` needs: which data files changed since a revision."""

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
