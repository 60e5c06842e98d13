"""The pre-commit hooks, run the way a county repository would run them: `pre-commit try-repo`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROJECT, copy_repository

pytestmark = pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is a dev dependency")


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x",
        "PRE_COMMIT_HOME": str(cwd.parent / "pre-commit-cache"),
    }
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, check=False, env=env)


def test_hooks_pass_on_clean_data_and_fail_on_a_broken_file(bundle: Path, tmp_path: Path) -> None:
    root = copy_repository(bundle, tmp_path / "county", stations=["pingyuan-town", "pingyuan-mengzhan"])
    run(root, "git", "init", "-q", "-b", "main")
    run(root, "git", "add", "-A")
    run(root, "git", "commit", "-qm", "data")
    clean = run(root, "pre-commit", "try-repo", str(PROJECT), "yjstation-validate", "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    station = root / "data/stations/pingyuan-mengzhan.yaml"
    station.write_text(station.read_text(encoding="utf-8").replace("gender: female", "gender: male"), encoding="utf-8")
    run(root, "git", "add", "-A")
    broken = run(root, "pre-commit", "try-repo", str(PROJECT), "yjstation-validate", "--all-files")
    assert broken.returncode == 1 and "ID006" in broken.stdout
    formatted = run(root, "pre-commit", "try-repo", str(PROJECT), "yjstation-fmt", "--all-files")
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
