"""Fanning per-file work out to worker processes, with results in input order.

Work is cut into chunks so a task is worth a process hop; at most a few chunks per worker are in flight,
so neither the tasks nor the finished results pile up in memory however many files there are. Below
`PARALLEL_THRESHOLD` items (or with one job) everything runs in this process: starting workers would
cost more than it saves, and a small repository should feel instant.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_THRESHOLD = 500  # items; fewer run in-process
CHUNK = 64  # items per task: large enough to amortise pickling, small enough to balance and report progress
IN_FLIGHT_PER_WORKER = 3

Progress = Callable[[int], None]  # called with the number of items just finished

# A run builds hundreds of thousands of small dicts, lists and tuples per thousand files, nearly all of
# them kept until it ends, and none of them in a cycle. CPython's collector is tuned for programs that
# make and drop objects: a young collection every 700 allocations and, as the heap grows, full
# collections that walk everything loaded so far. On a 40,000-file repository that was 7 % of a cold run
# and the part of it that grew with the repository's size; with this it is about 1 %.
YOUNG_COLLECTION_EVERY = 100_000  # allocations (CPython's default is 700)


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def tune_collector() -> None:
    """Set up this process's garbage collector for a run that loads a repository and then ends: what
    exists now (the imported modules, and in a worker what it inherited from its parent) is frozen out
    of every later collection, and young collections come far less often. Only for processes that end
    with their run (the console command, the workers): a frozen object is never freed, so a process
    running many commands (the tests) must not call this once per command."""
    gc.freeze()
    young, *older = gc.get_threshold()
    if young:  # 0: collection is switched off, leave it so
        gc.set_threshold(max(young, YOUNG_COLLECTION_EVERY), *older)


def uses_workers(count: int, jobs: int) -> bool:
    """Whether `ordered_map` would start worker processes for `count` items."""
    return jobs > 1 and count > PARALLEL_THRESHOLD


def ordered_map(
    func: Callable[[list[T]], list[R]],
    items: Iterable[T],
    count: int,
    jobs: int,
    *,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    progress: Progress | None = None,
) -> Iterator[R]:
    """`func` over `items` in chunks, yielding each result in the order of `items`.

    `func` takes and returns a list (one chunk); `initializer(*initargs)` prepares each worker, and
    this process too when the work stays here. `count` is how many items there are (for the
    threshold; `items` may be a generator)."""
    if not uses_workers(count, jobs):
        if initializer is not None:
            initializer(*initargs)
        for chunk in _chunks(items, CHUNK):
            results = func(chunk)
            if progress is not None:
                progress(len(chunk))
            yield from results
        return
    from concurrent.futures import ProcessPoolExecutor  # with multiprocessing: only when a pool is needed

    workers = min(jobs, -(-count // CHUNK))
    with ProcessPoolExecutor(max_workers=workers, initializer=initializer, initargs=initargs) as pool:
        pending: deque[tuple[int, Future[list[R]]]] = deque()
        chunks = _chunks(items, CHUNK)
        for chunk in islice(chunks, workers * IN_FLIGHT_PER_WORKER):
            pending.append((len(chunk), pool.submit(func, chunk)))
        while pending:
            size, future = pending.popleft()
            results = future.result()
            following = next(chunks, None)
            if following is not None:
                pending.append((len(following), pool.submit(func, following)))
            if progress is not None:
                progress(size)
            yield from results


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
