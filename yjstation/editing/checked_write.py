"""Writing edited data files only when validation allows it: the one gate every editing command
(`station set`, `station new`, `import roster --apply`, `fmt`, ...) passes through.

The files are validated together, as the edit would leave them, against the rest of the repository on
disk; an edit that adds an error (matched by file, code and data path, so errors the files already had
do not block a fix elsewhere) writes nothing at all. Otherwise the files are written all or none
(`foundation.atomic.write_all`: a journal makes the batch survive a crash at any moment), and only if
each is still what was read: a concurrent save elsewhere stops the whole batch.

Both validations go through the cache, so an edit costs about what a warm `validate` costs: the files
that did not change are not parsed again, and of the rules only those whose inputs changed run again
(the edited files' own rules, the records of an edited station, the repository-wide rules). What the
edit is judged by is exactly what `validate --no-cache` reports once the files are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from yjstation.checking.validate import Result, validate
from yjstation.editing.edits import new_errors
from yjstation.foundation.atomic import Snapshot, write_all
from yjstation.foundation.diagnostics import Diagnostic, Severity


@dataclass
class EditCheck:
    """An edit as validation sees it: the whole repository after it, and the errors it adds."""

    files: list[str]
    after: Result
    added: list[Diagnostic]


def check_edit(
    root: Path, contents: dict[str, bytes], as_of: date, *, cache: bool = True, jobs: int | None = None
) -> EditCheck:
    """Validate the repository as `contents` (relative path -> new bytes) would leave it; when that
    leaves errors in the edited files, validate it as it is too, to tell which errors are new (an
    edit that leaves none needs no second look)."""
    files = sorted(contents)
    after = validate(root, as_of, None, dict(contents), jobs=jobs, cache=cache)
    errors = [d for d in after.restricted(files).diagnostics if d.severity is Severity.ERROR]
    existing = [rel for rel in files if (root / rel).exists()]
    if not errors or not existing:
        return EditCheck(files, after, errors)
    before = validate(root, as_of, existing, jobs=jobs, cache=cache)
    return EditCheck(files, after, new_errors(before.diagnostics, errors))


def write_checked(root: Path, texts: dict[str, str], as_of: date, based_on: dict[str, Snapshot]) -> list[Diagnostic]:
    """Write `texts` (relative path -> new content) if validating them as of `as_of` adds no error.

    Returns the errors the edit would add; when that list is empty every file has been written.
    Raises FileChanged when a file no longer matches its snapshot in `based_on` (nothing written)."""
    contents = {rel: text.encode("utf-8") for rel, text in texts.items()}
    added = check_edit(root, contents, as_of).added
    if added:
        return added
    write_all(root, contents, based_on)
    return []
