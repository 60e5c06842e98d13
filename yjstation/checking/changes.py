"""What `validate --changed` reports: the data files changed since a git revision, and every other file
whose findings those changes change.

A finding on one file can depend on another: two stations claiming one village are both reported, a
monthly record is judged against its station's file, and the county, policy, schema and waiver files
bear on everything. Rather than guess those dependencies, the repository is validated twice, as it is
and as it was at the revision (the changed files given their old content, new ones taken away, deleted
ones put back): every file whose findings differ between the two is reported with the changed files.
Both runs share the cache, so the second costs what the changed files and their dependants cost.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

from yjstation.checking.engine import Progress
from yjstation.checking.validate import Result, validate
from yjstation.foundation.diagnostics import Diagnostic
from yjstation.foundation.gitutil import changed_files, default_base


def validate_changed(
    root: Path,
    as_of: date,
    ref: str | None,
    only: list[str] | None = None,
    *,
    jobs: int | None = None,
    cache: bool = True,
    progress: Progress | None = None,
) -> Result:
    """`validate` reported for the files changed since `ref` (the upstream merge-base, else HEAD) and
    the files whose findings they change; `only` narrows that further."""
    present, deleted = changed_files(root, ref)
    now = validate(root, as_of, jobs=jobs, cache=cache, progress=progress)
    base = ref or default_base(root)
    before = validate(
        root, as_of, None, {rel: _old(root, base, rel) for rel in present + deleted}, jobs=jobs, cache=cache
    )
    findings_now, findings_before = _by_file(now), _by_file(before)
    differ = {
        rel for rel in findings_now.keys() | findings_before.keys() if findings_now.get(rel) != findings_before.get(rel)
    }
    affected = set(present) | differ
    if only is not None:
        affected &= set(only)
    return now.restricted(affected)


def _by_file(result: Result) -> dict[str, Counter[tuple[str, str, str]]]:
    out: dict[str, Counter[tuple[str, str, str]]] = {}
    for d in result.diagnostics:
        out.setdefault(d.file, Counter())[_identity(d)] += 1
    return out


def _identity(d: Diagnostic) -> tuple[str, str, str]:
    return (d.code, d.path, d.message)


def _old(root: Path, base: str, rel: str) -> bytes | None:
    """The file's content at `base`, or None when it did not exist there."""
    done = subprocess.run(["git", "show", f"{base}:./{rel}"], cwd=root, capture_output=True, check=False)
    return done.stdout if done.returncode == 0 else None
