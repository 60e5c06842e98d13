"""Writing data files so that nothing is ever lost.

One file (`write_atomic`): to a temporary file in the same folder, flushed and synced, then renamed
over the original; and only if the original is still what was read.

Several files (`write_all`): all or none, even if the process is killed at any moment, through a
write-ahead journal at the repository root (`.yjstation-journal`):

1. the journal is written in state *prepare*, naming every temporary file the batch will create;
2. each new content goes to its temporary file beside its target, synced;
3. the snapshots are checked (a file someone else saved meanwhile stops the batch: nothing written);
4. the journal is rewritten in state *commit*: this rename is the moment the batch happens (a batch
   of one file needs no commit: its one rename is the moment);
5. every temporary file is renamed over its target, the folders synced, the journal deleted.

`recover(root)`, which every command runs before reading the repository, finishes what a killed batch
left: a *prepare* journal is rolled back (its temporary files deleted, no target touched), a *commit*
journal is rolled forward (the renames not yet done are done). Either way no temporary file stays
behind. The root folder is locked (flock) while a batch or a recovery runs, so a recovery never
undoes a batch that another process is still writing. A journal only ever names files inside the
repository, each temporary file beside its own target, so one received with a repository cannot make
yjstation touch anything else.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import tr

JOURNAL = ".yjstation-journal"
_JOURNAL_TEMP = JOURNAL + ".tmp"

# The temporary files below are named `.<name>.<random>.tmp`. A process killed between writing one and
# renaming it leaves it behind, full ID numbers and all: `yjstation init` writes this pattern into the
# repository's .gitignore, and `validate` reports any such file under data/.
TEMPORARY_GLOB = ".*.tmp"


def is_temporary(name: str) -> bool:
    return name.startswith(".") and name.endswith(".tmp")


class FileChanged(Exception):
    """The file on disk is no longer what the edit was based on (someone else saved it meanwhile)."""


@dataclass(frozen=True)
class Snapshot:
    """What a file held when it was read: its SHA-256, or None when it did not exist."""

    path: Path
    digest: str | None


def snapshot(path: Path) -> Snapshot:
    try:
        return Snapshot(path, hashlib.sha256(path.read_bytes()).hexdigest())
    except FileNotFoundError:
        return Snapshot(path, None)


def write_atomic(path: Path, data: bytes, based_on: Snapshot | None = None) -> None:
    """Replace `path` with `data` in one step. With `based_on`, refuse (FileChanged) when the file no
    longer matches that snapshot, so a concurrent edit is never silently overwritten."""
    replace_with(path, lambda temporary: temporary.write_bytes(data), based_on)


def replace_with(path: Path, write: Callable[[Path], object], based_on: Snapshot | None = None) -> None:
    """Let `write` fill a temporary file beside `path` (pandoc, say, which wants a file name), sync it,
    and rename it over `path`; the same refusal as write_atomic when `based_on` no longer holds."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); keep the old file's mode, or a usual 0644
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        if based_on is not None and snapshot(path).digest != based_on.digest:
            raise FileChanged(
                tr(
                    "{path} 在读取之后被修改过；请重新运行命令",
                    "{path} was changed after it was read; run the command again",
                    path=path,
                )
            )
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk too.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- several files, all or none ---------------------------------------------------------------------


def write_all(root: Path, contents: dict[str, bytes], based_on: dict[str, Snapshot] | None = None) -> None:
    """Replace every file of `contents` (paths relative to `root`, inside it) with its bytes, all or
    none: killed at any moment, the repository afterwards (once `recover` has run) holds every new
    content or none of them, and no temporary file. With `based_on`, FileChanged (and nothing written)
    when a file no longer matches its snapshot."""
    if not contents:
        return
    plan = [(_temporary_name(rel), rel) for rel in sorted(contents)]
    for _, rel in plan:
        _inside(rel)
    with _locked(root):
        _recover_locked(root)
        _write_journal(root, "prepare", plan, durable=False)
        try:
            for temporary, rel in plan:
                target = root / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                _write_synced(root / temporary, contents[rel], target)
            for _, rel in plan:
                expected = (based_on or {}).get(rel)
                if expected is not None and snapshot(root / rel).digest != expected.digest:
                    raise FileChanged(
                        tr(
                            "{rel} 在读取之后被修改过；没有写入任何文件，请重新运行命令",
                            "{rel} was changed after it was read; no file was written, run the command again",
                            rel=rel,
                        )
                    )
        except BaseException:
            _roll_back(root, plan)
            raise
        if len(plan) > 1:  # one rename is atomic by itself: only a batch needs the commit point
            _write_journal(root, "commit", plan, durable=True)
        _roll_forward(root, plan)


def recover(root: Path) -> bool:
    """Finish or undo a batch of writes that a crash interrupted (see the module's docstring); True
    when there was one. Costs one stat when there is nothing to do."""
    if not (os.path.lexists(root / JOURNAL) or os.path.lexists(root / _JOURNAL_TEMP)):
        return False
    with _locked(root):
        return _recover_locked(root)


def _recover_locked(root: Path) -> bool:
    found = False
    with contextlib.suppress(FileNotFoundError):
        os.unlink(root / _JOURNAL_TEMP)  # a journal being written: the one before it (if any) stands
        found = True
    try:
        raw = (root / JOURNAL).read_bytes()
    except FileNotFoundError:
        return found
    except OSError as exc:
        raise _unreadable(exc) from None
    state, plan = _read_journal(raw)
    if state == "commit":
        _roll_forward(root, plan)
    else:
        _roll_back(root, plan)
    return True


def _roll_forward(root: Path, plan: list[tuple[str, str]]) -> None:
    folders = set()
    for temporary, rel in plan:
        with contextlib.suppress(FileNotFoundError):  # renamed already, before the crash
            os.replace(root / temporary, root / rel)
        folders.add((root / rel).parent)
    for folder in sorted(folders):
        _sync_folder(folder)
    _drop_journal(root)


def _roll_back(root: Path, plan: list[tuple[str, str]]) -> None:
    for temporary, _ in plan:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(root / temporary)
    _drop_journal(root)


def _drop_journal(root: Path) -> None:
    # Not synced: should the deletion be lost, the journal is rolled forward again, which finds its
    # renames done and only deletes it.
    with contextlib.suppress(FileNotFoundError):
        os.unlink(root / JOURNAL)


def _write_journal(root: Path, state: str, plan: list[tuple[str, str]], durable: bool) -> None:
    """Replace the journal. Only the commit must reach the disk before the renames it allows: a
    prepare journal lost to a power cut leaves nothing but unnamed temporary files, while a kill
    (what a journal is for) loses nothing the kernel was given."""
    text = json.dumps({"yjstation-journal": 1, "state": state, "files": plan}, ensure_ascii=False)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(root / _JOURNAL_TEMP)
    _write_synced(root / _JOURNAL_TEMP, text.encode("utf-8"), None, durable)
    os.replace(root / _JOURNAL_TEMP, root / JOURNAL)
    if durable:
        _sync_folder(root)


def _write_synced(path: Path, data: bytes, like: Path | None, durable: bool = True) -> None:
    # A new file, never through a link: a name planted beforehand must not redirect the write.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)
    # mkstemp-like privacy while writing; then the target's mode, or a usual 0644
    if like is not None:
        os.chmod(path, like.stat().st_mode & 0o7777 if like.exists() else 0o644)


def _temporary_name(rel: str) -> str:
    target = PurePosixPath(rel)
    return str(target.parent / f".{target.name}.{secrets.token_hex(8)}.tmp")


_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[0-9a-f]{16}\.tmp")


def _inside(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or not path.parts or ".." in path.parts or "\\" in rel:
        raise ValueError(f"not a path inside the repository: {rel!r}")
    return path


def _read_journal(raw: bytes) -> tuple[str, list[tuple[str, str]]]:
    """The journal's state and plan, each temporary file checked to lie beside its own target."""
    try:
        journal = json.loads(raw.decode("utf-8"))
        state, files = journal["state"], journal["files"]
        if state not in ("prepare", "commit") or not isinstance(files, list):
            raise ValueError("state")
        plan = []
        for temporary, rel in files:
            temp_path, target = _inside(temporary), _inside(rel)
            match = _TEMPORARY.fullmatch(temp_path.name)
            if temp_path.parent != target.parent or match is None or match["name"] != target.name:
                raise ValueError("a temporary file not beside its target")
            plan.append((str(temporary), str(rel)))
    except (ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
        raise _unreadable(exc) from None
    return state, plan


def _unreadable(exc: Exception) -> CannotRun:
    return CannotRun(
        tr(
            "上次写入被中断，留下的 {journal} 无法读取（{exc}）；请检查数据文件后删除它",
            "an interrupted write left {journal}, which cannot be read ({exc}); check the data files, then delete it",
            journal=JOURNAL,
            exc=exc,
        )
    )


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """An exclusive lock on the repository's root folder for a batch or a recovery (where flock exists;
    elsewhere batches rely on the journal alone)."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    try:
        fd = os.open(root, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
