"""Writing several edited files at once through the checked write, for the commands of the monthly cycle
and the station history: all are validated together and written only if none adds an error."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import pick, tr

if TYPE_CHECKING:
    from yjstation.foundation.atomic import Snapshot
    from yjstation.foundation.diagnostics import Diagnostic


def _cannot_read(rel: str, line: int, col: int, message: str, hint: str) -> CannotRun:
    """A file the round trip cannot read, as a finding at its place."""
    return CannotRun(
        tr(
            "{rel}:{line}:{col}: {message}\n提示：{hint}",
            "{rel}:{line}:{col}: {message}\nhint: {hint}",
            rel=rel,
            line=line,
            col=col,
            message=message,
            hint=hint,
        )
    )


@contextlib.contextmanager
def readable(rel: str) -> Iterator[None]:
    """Around the round trip of `rel`: what ruamel.yaml cannot read there (a plain date that names no
    day, which libyaml reads as text) is CannotRun naming the file and line, never an internal error."""
    try:
        yield
    except Exception as exc:
        # Imported only on the way out of a failure: an edit that never needs the round trip (station
        # set of a phone number, in place) must not load ruamel.yaml for this guard.
        from yjstation.editing.edits import UnreadableFile
        from yjstation.editing.formatting import unreadable
        from yjstation.loading.roundtrip import Unreadable

        if isinstance(exc, Unreadable):
            found = unreadable(rel, exc)
            raise _cannot_read(rel, exc.line, exc.col, found.message, found.hint or "") from None
        if isinstance(exc, UnreadableFile):
            raise _cannot_read(rel, exc.line, exc.col, exc.message, exc.hint) from None
        raise


def read_for_edit(root: Path, rel: str) -> tuple[str, Snapshot]:
    """A data file's text and the snapshot the write will be checked against (taken first, so a save
    made after reading is noticed); CannotRun when it is missing or not UTF-8."""
    from yjstation.foundation.atomic import snapshot

    path = root / rel
    before = snapshot(path)
    if before.digest is None:
        raise CannotRun(tr("找不到文件 {rel}", "no file {rel}", rel=rel))
    try:
        return path.read_bytes().decode("utf-8-sig"), before
    except UnicodeDecodeError:
        raise CannotRun(
            tr(
                "{rel} 不是 UTF-8 编码；先运行 yjstation fmt {rel}",
                "{rel} is not UTF-8; run yjstation fmt {rel} first",
                rel=rel,
            )
        ) from None


def write_all(root: Path, texts: dict[str, str], as_of: date, based_on: dict[str, Snapshot]) -> None:
    """Validate `texts` (relative path -> new text) together as of `as_of` and write them all, or none:
    CannotRun (after listing the errors) when the edit would add an error or a file changed since its
    snapshot in `based_on` (a new file's snapshot says it did not exist)."""
    from yjstation.editing.checked_write import write_checked
    from yjstation.foundation.atomic import FileChanged

    try:
        added = write_checked(root, texts, as_of, based_on)
    except FileChanged as exc:
        raise CannotRun(str(exc)) from None
    if added:
        print_refused(added)
        raise CannotRun(
            tr(
                "修改后会有 {n} 个新错误，已放弃，没有写入任何文件",
                "the change would add {n} new errors; abandoned, no file was written",
                n=len(added),
            )
        )


def print_refused(added: list[Diagnostic]) -> None:
    """The errors an edit would have added, one `file:line:col` line each, on stderr."""
    for diag in added:
        print(
            tr(
                "{file}:{line}:{col}: {code} {label}：{message}",
                "{file}:{line}:{col}: {code} {label}: {message}",
                file=diag.file,
                line=diag.line,
                col=diag.col,
                code=diag.code,
                label=pick(diag.label, diag.path),
                message=diag.message,
            ),
            file=sys.stderr,
        )
