"""The garbage collector is set up for bulk loading only in processes that end with their run: the
console command and the worker processes; a caller running commands in-process (these tests, a
library user) keeps its own settings. (Timings in bench/, see docs/performance.md.)"""

from __future__ import annotations

import gc
import subprocess
import sys

from tests.conftest import run_cli
from yjstation.checking.stages import _tune_worker
from yjstation.foundation.workers import PARALLEL_THRESHOLD, YOUNG_COLLECTION_EVERY, ordered_map


def _collector(chunk: list[int]) -> list[tuple[int, bool]]:
    return [(gc.get_threshold()[0], gc.get_freeze_count() > 0)] * len(chunk)


def test_the_console_command_collects_less_often() -> None:
    probe = (
        "import atexit, gc, sys\nfrom yjstation.cli.app import run\n"
        "atexit.register(lambda: print(gc.get_threshold()[0], gc.get_freeze_count() > 0))\n"
        "sys.argv = ['yjstation', '--version']\nrun()"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == f"{YOUNG_COLLECTION_EVERY} True"


def test_a_command_run_in_process_leaves_the_collector_alone() -> None:
    before = gc.get_threshold()
    assert run_cli("--version").exit_code == 0
    assert gc.get_threshold() == before


def test_workers_collect_less_often_and_this_process_is_left_alone() -> None:
    before = gc.get_threshold()
    items = PARALLEL_THRESHOLD + 1
    in_workers = set(ordered_map(_collector, range(items), items, 2, initializer=_tune_worker))
    assert in_workers == {(YOUNG_COLLECTION_EVERY, True)}
    here = set(ordered_map(_collector, range(10), 10, 2, initializer=_tune_worker))
    assert here == {(before[0], gc.get_freeze_count() > 0)}
    assert gc.get_threshold() == before
