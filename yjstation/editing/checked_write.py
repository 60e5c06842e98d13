"""Writing edited data files only when validation allows it: the one gate every editing command
(`station set`, `station new`, `import roster --apply`) passes through.

The files are validated together, as the edit would leave them, against the rest of the repository on
disk; an edit that adds an error (matched by file, code and data path, so errors the files already had
do not block a fix elsewhere) writes nothing at all. Otherwise each file is replaced atomically, and
only if it is still what was read: every snapshot is checked before the first write, so a concurrent
save elsewhere stops the whole batch instead of leaving it half written.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from yjstation.editing.edits import new_errors
from yjstation.foundation.atomic import FileChanged, Snapshot, snapshot, write_atomic
from yjstation.foundation.diagnostics import Diagnostic
from yjstation.foundation.i18n import tr


def write_checked(root: Path, texts: dict[str, str], as_of: date, based_on: dict[str, Snapshot]) -> list[Diagnostic]:
    """Write `texts` (relative path -> new content) if validating them as of `as_of` adds no error.

    Returns the errors the edit would add; when that list is empty every file has been written.
    Raises FileChanged when a file no longer matches its snapshot in `based_on` (nothing written then,
    unless it changed between the check and its own write, which write_atomic still refuses)."""
    from yjstation.checking.validate import validate

    files = sorted(texts)
    existing = [rel for rel in files if (root / rel).exists()]
    old = validate(root, as_of, existing).diagnostics if existing else []
    new = validate(root, as_of, files, {rel: texts[rel].encode("utf-8") for rel in files}).diagnostics
    added = new_errors(old, new)
    if added:
        return added
    for rel in files:
        if snapshot(root / rel).digest != based_on[rel].digest:
            raise FileChanged(
                tr(
                    "{rel} 在读取之后被修改过；没有写入任何文件，请重新运行命令",
                    "{rel} was changed after it was read; no file was written, run the command again",
                    rel=rel,
                )
            )
    for rel in files:
        write_atomic(root / rel, texts[rel].encode("utf-8"), based_on[rel])
    return []
