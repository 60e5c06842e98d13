"""The pre-commit hooks, installed the way a county repository installs them: its .pre-commit-config.yaml
names this project at a fixed `rev`, `pre-commit install` puts the hook into git, and each `git commit`
runs yjstation fmt and validate on the staged data files.

The project (its working tree, as `pre-commit try-repo` would take it) is committed into a scratch git
repository and pinned by that commit. pre-commit builds the hook environment once, in one
PRE_COMMIT_HOME, and every commit below reuses it. The environment is a virtualenv that may see this
interpreter's site-packages (VIRTUALENV_SYSTEM_SITE_PACKAGES), so the dependencies already installed here
(matplotlib, pandoc, ...) are not installed a second time; yjstation itself is built and installed into
it from the pinned commit, and the test checks that the hook runs that copy.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import copy_repository, source_tree

pytestmark = pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is a dev dependency")

STATION = "data/stations/pingyuan-mengzhan.yaml"


def environment(home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x",
        "PRE_COMMIT_HOME": str(home),
        "VIRTUALENV_SYSTEM_SITE_PACKAGES": "1",
    }
    env.pop("PYTHONPATH", None)  # the hook must run the yjstation pre-commit installed, not a checkout
    return env


def run(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, check=False, env=env)


@pytest.fixture(scope="module")
def pinned(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This project as a county's configuration would fetch it: a git repository and a commit."""
    source = source_tree(tmp_path_factory.mktemp("hooks") / "yjstation", bundle)
    env = environment(source.parent / "unused")
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-qm", "yjstation")):
        assert run(source, env, "git", *args).returncode == 0
    rev = run(source, env, "git", "rev-parse", "HEAD").stdout.strip()
    return source, rev


@pytest.mark.expensive
def test_commits_run_fmt_and_validate_on_the_changed_data(
    bundle: Path, pinned: tuple[Path, str], tmp_path: Path
) -> None:
    source, rev = pinned
    env = environment(tmp_path / "pre-commit-home")
    root = copy_repository(bundle, tmp_path / "county", stations=["pingyuan-town", "pingyuan-mengzhan"])
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {rev}\n    hooks:\n      - id: yjstation-fmt\n"
        "      - id: yjstation-validate\n",
        encoding="utf-8",
    )
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-qm", "data")):
        assert run(root, env, "git", *args).returncode == 0
    installed = run(root, env, "pre-commit", "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    station = root / STATION
    clean = station.read_text(encoding="utf-8")

    def commit(message: str) -> tuple[int, str]:
        run(root, env, "git", "add", "-A")
        done = run(root, env, "git", "commit", "-m", message)
        return done.returncode, done.stdout + done.stderr  # git shows the hooks' report on either

    # A valid edit passes both hooks (and builds their environment, once).
    phone = re.search(r'phone: "(1\d{10})"', clean)
    assert phone is not None and phone.group(1) != "13900000000"
    station.write_text(clean.replace(phone.group(0), 'phone: "13900000000"', 1), encoding="utf-8")
    code, out = commit("new phone number")
    assert code == 0, out
    assert re.search(r"^yjstation fmt\.+Passed$", out, re.M) and re.search(r"^yjstation validate\.+Passed$", out, re.M)
    [python] = (tmp_path / "pre-commit-home").glob("repo*/py_env-*/bin/python")
    where = run(root, env, str(python), "-c", "import yjstation; print(yjstation.__file__)").stdout
    assert Path(where.strip()).is_relative_to(tmp_path / "pre-commit-home"), where

    # A finding blocks the commit, and names the code.
    head = run(root, env, "git", "rev-parse", "HEAD").stdout
    edited = station.read_text(encoding="utf-8")
    station.write_text(edited.replace("gender: female", "gender: male"), encoding="utf-8")
    code, out = commit("wrong gender")
    assert code == 1 and re.search(r"^yjstation validate\.+Failed$", out, re.M) and "ID006" in out, out
    assert run(root, env, "git", "rev-parse", "HEAD").stdout == head

    # fmt rewrites a file saved with CRLF line ends: that commit stops, the next one goes through.
    later = edited.replace('phone: "13900000000"', 'phone: "13900000001"')
    station.write_bytes(later.replace("\n", "\r\n").encode("utf-8"))
    code, out = commit("saved on Windows")
    assert code == 1 and re.search(r"^yjstation fmt\.+Failed$", out, re.M) and "files were modified" in out, out
    assert station.read_bytes() == later.encode("utf-8")
    code, out = commit("saved on Windows, formatted")
    assert code == 0, out
