"""Writing a data file so that nothing is ever lost: to a temporary file in the same folder, flushed and
synced, then renamed over the original; and only if the original is still what was read."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from yjstation.foundation.i18n import tr

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
