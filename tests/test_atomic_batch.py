"""Writes of several files are all or none: killed at any moment (SIGKILL, so no clean-up code runs),
the repository afterwards holds every new content or none, and no temporary file, once the next command
(any command: they all read through the engine) has looked at it."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import AS_OF, Oracle, copy_repository, run_cli
from yjstation.foundation.atomic import JOURNAL, FileChanged, recover, snapshot, write_all

FILES = [f"data/stations/s{i:02d}.yaml" for i in range(12)]
VERSIONS = [b"A" * 200_000 + b"\n", b"B" * 300_000 + b"\n"]  # large, so a kill lands mid-write too

WRITER = """
import sys
from pathlib import Path
from yjstation.foundation.atomic import write_all
root = Path(sys.argv[1])
files = sys.argv[2:]
versions = [b"A" * 200_000 + b"\\n", b"B" * 300_000 + b"\\n"]
i = 1
while True:
    write_all(root, {rel: versions[i % 2] for rel in files})
    i += 1
"""


def _leftovers(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob(".*") if p.is_file() and ".yjstation-cache" not in p.parts
    )


def _state(root: Path, files: list[str]) -> set[bytes]:
    return {(root / rel).read_bytes() for rel in files}


@pytest.mark.parametrize(
    "count", [12, pytest.param(1, marks=pytest.mark.slow)]
)  # one file: the same journal path as twelve
def test_a_batch_killed_at_random_moments_is_all_or_nothing(tmp_path: Path, count: int) -> None:
    root = tmp_path / "repo"
    files = FILES[:count]
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(VERSIONS[0])
    rng = random.Random(18)
    seen = set()
    for _ in range(25):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(root), *files])
        time.sleep(rng.uniform(0.02, 0.5))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        recover(root)
        state = _state(root, files)
        assert len(state) == 1 and state <= set(VERSIONS), "a mix of old and new contents"
        assert _leftovers(root) == [], "a temporary file or the journal was left behind"
        seen |= state
    assert seen == set(VERSIONS), "the kills never landed both before and after a commit"


def test_every_command_rolls_a_committed_batch_forward_and_a_prepared_one_back(
    bundle: Path, oracle: Oracle, tmp_path: Path
) -> None:
    village, town = oracle.village_and_its_township()
    root = copy_repository(bundle, tmp_path / "repo", stations=[village, town])
    rel = f"data/stations/{village}.yaml"
    old = (root / rel).read_bytes()
    new = old + b"# edited\n"
    # A crash after the commit point: the journal says commit, the temporary file is still there.
    temporary = f"data/stations/.{village}.yaml.0123456789abcdef.tmp"
    (root / temporary).write_bytes(new)
    (root / JOURNAL).write_text(json.dumps({"state": "commit", "files": [[temporary, rel]]}), encoding="utf-8")
    assert run_cli("--root", str(root), "station", "list").exit_code == 0
    assert (root / rel).read_bytes() == new and _leftovers(root) == []
    # A crash before it: the temporary file goes, the target stays as it was.
    (root / temporary).write_bytes(old)
    (root / JOURNAL).write_text(json.dumps({"state": "prepare", "files": [[temporary, rel]]}), encoding="utf-8")
    assert run_cli("--root", str(root), "validate", "--as-of", AS_OF).exit_code in (0, 1)
    assert (root / rel).read_bytes() == new and _leftovers(root) == []


@pytest.mark.parametrize(
    "files",
    [
        [["../outside.tmp", "../outside"]],
        [["data/stations/.x.yaml.0123456789abcdef.tmp", "data/operations/x.yaml"]],
        [["data/stations/y.yaml", "data/stations/x.yaml"]],
        [["/etc/.passwd.0123456789abcdef.tmp", "/etc/passwd"]],
    ],
)
def test_a_journal_naming_anything_but_a_file_beside_its_target_is_refused(
    bundle: Path, oracle: Oracle, tmp_path: Path, files: object
) -> None:
    root = copy_repository(bundle, tmp_path / "repo", stations=list(oracle.village_and_its_township()))
    (root / JOURNAL).write_text(json.dumps({"state": "commit", "files": files}), encoding="utf-8")
    result = run_cli("--root", str(root), "station", "list")
    assert result.exit_code == 2 and JOURNAL in result.stderr
    assert (root / JOURNAL).exists()  # left for a person to look at


def test_a_file_changed_meanwhile_stops_the_whole_batch(tmp_path: Path) -> None:
    root = tmp_path
    for rel in FILES[:3]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(VERSIONS[0])
    based_on = {rel: snapshot(root / rel) for rel in FILES[:3]}
    (root / FILES[1]).write_bytes(b"saved by someone else\n")
    with pytest.raises(FileChanged):
        write_all(root, {rel: VERSIONS[1] for rel in FILES[:3]}, based_on)
    assert (root / FILES[0]).read_bytes() == VERSIONS[0] and (root / FILES[2]).read_bytes() == VERSIONS[0]
    assert _leftovers(root) == []


@pytest.mark.slow  # six kills up to three seconds apart
def test_an_import_killed_part_way_leaves_all_or_nothing(bundle: Path, tmp_path: Path) -> None:
    """The command the issue found half-applied (7 of 73 stations): `write_checked` through a child
    process, killed at random moments while it writes every station at once."""
    root = copy_repository(bundle, tmp_path / "repo")
    stations = sorted(p.relative_to(root).as_posix() for p in (root / "data/stations").glob("*.yaml"))
    before = {rel: (root / rel).read_bytes() for rel in stations}
    script = (
        "import sys\nfrom datetime import date\nfrom pathlib import Path\n"
        "from yjstation.editing.checked_write import write_checked\n"
        "from yjstation.foundation.atomic import snapshot\n"
        "root = Path(sys.argv[1])\nrels = sys.argv[2:]\n"
        "texts = {r: (root / r).read_text(encoding='utf-8') + '# 已核对\\n' for r in rels}\n"
        "assert write_checked(root, texts, date(2021, 12, 31), {r: snapshot(root / r) for r in rels}) == []\n"
    )
    rng = random.Random(17)
    for _ in range(6):
        writer = subprocess.Popen([sys.executable, "-c", script, str(root), *stations])
        time.sleep(rng.uniform(0.3, 3.0))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        run_cli("--root", str(root), "station", "list")  # any command finishes or undoes it
        edited = [rel for rel in stations if (root / rel).read_bytes() != before[rel]]
        assert edited in ([], stations), f"{len(edited)} of {len(stations)} stations written"
        assert _leftovers(root) == []
        for rel in edited:
            (root / rel).write_bytes(before[rel])
