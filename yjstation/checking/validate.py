"""`validate` as a library call: load a repository, check schemas and rules, return diagnostics.

The work is done by the staged run in `engine` (parse, per-file rules, repository-wide rules; cached
and spread over worker processes); here the waivers are applied and the result is put in order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from yjstation.checking import waivers
from yjstation.checking.cache import Cache
from yjstation.checking.engine import Progress, Run, with_cache
from yjstation.checking.leftovers import leftovers
from yjstation.checking.stages import ENGINE_CODES, RULE_CRASHED, UNKNOWN_FILE
from yjstation.foundation.diagnostics import Diagnostic, Severity
from yjstation.loading.repository import Repository, kind_of

__all__ = ["ENGINE_CODES", "RULE_CRASHED", "UNKNOWN_FILE", "Progress", "Result", "check_stations", "validate"]


@dataclass
class Result:
    """What `validate` found: diagnostics in a stable order, and how many files were checked."""

    diagnostics: list[Diagnostic]
    files: int
    counts: dict[str, int] = field(default_factory=dict)
    checked: list[str] = field(default_factory=list)  # the files checked, relative to the root

    def restricted(self, wanted: Iterable[str]) -> Result:
        """The same result reported for some files only."""
        keep = set(wanted)
        checked = [f for f in self.checked if f in keep]
        return Result([d for d in self.diagnostics if d.file in keep], len(checked), _kinds(checked), checked)

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR and not d.waived for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING and not d.waived for d in self.diagnostics)

    @property
    def waived(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.waived]

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def to_json(self, as_of: date) -> dict[str, Any]:
        """The JSON the data contract fixes for `validate --format json`."""
        return {
            "ok": self.ok,
            "summary": {
                "files": self.files,
                "errors": self.errors,
                "warnings": self.warnings,
                "infos": sum(d.severity is Severity.INFO for d in self.diagnostics),
                "waived": len(self.waived),
                "as_of": as_of.isoformat(),
                "files_by_kind": self.counts,
            },
            "diagnostics": [d.to_json() for d in self.diagnostics],
        }


def validate(
    root: Path,
    as_of: date,
    only: Iterable[str] | None = None,
    overrides: dict[str, bytes | None] | None = None,
    *,
    jobs: int | None = 1,
    cache: bool = False,
    progress: Progress | None = None,
) -> Result:
    """Check every data file of the repository at `root` as of `as_of`.

    `only` limits what is reported to those files (relative paths); the whole repository is still
    loaded, because cross-file rules (one station per village, counts, references) need all of it.
    `overrides` validates files as an edit would leave them, before anything is written (None: as if
    deleted). `jobs` worker
    processes share the per-file work when there are many files; `cache` reuses the findings of files
    unchanged since an earlier run (kept under `.yjstation-cache/` at the root); `progress` is told
    how far the run has got. None of these three changes what is found.
    """

    def check(store: Cache | None) -> tuple[Run, list[Diagnostic]]:
        run = Run(root, as_of, overrides or {}, jobs, store, progress)
        return run, run.check()

    run, diagnostics = with_cache(root, cache, check)
    diagnostics = sorted(_waive(diagnostics + list(leftovers(root)), run, as_of), key=Diagnostic.sort_key)
    checked = run.checked_files()
    result = Result(diagnostics, len(checked), _kinds(checked), checked)
    return result if only is None else result.restricted(only)


def _kinds(files: list[str]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for file in files:
        kind = kind_of(file) or "unknown"
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def _waive(diagnostics: list[Diagnostic], run: Run, as_of: date) -> list[Diagnostic]:
    if not waivers.read_waivers(run.waivers):
        return diagnostics  # nothing to waive: spare loading every rule module for the catalogue
    from yjstation.checking.catalogue import all_codes

    stations = {PurePosixPath(rel).stem for rel in run.stations}
    files = set(run.checked_files()) - set(run.unknown)
    return waivers.apply(diagnostics, run.waivers, as_of, {c.code for c in all_codes()}, stations, files)


def check_stations(repo: Repository, as_of: date, files: Iterable[str]) -> list[Diagnostic]:
    """The findings about some station files of a loaded repository as of `as_of`: their parse and
    schema findings and their own rules (not the repository-wide ones), waivers applied. This is what
    `render` consults before it writes a station's document; a full `validate` finds the same."""
    from yjstation.checking.catalogue import all_codes
    from yjstation.checking.rules import Context
    from yjstation.checking.stages import rules_for, run_rule

    wanted = set(files)
    ctx = Context(
        as_of=as_of,
        schemas=repo.schemas,
        county=repo.county.data if repo.county is not None and isinstance(repo.county.data, dict) else {},
        policy={kind: doc.data for kind, doc in repo.policy.items() if isinstance(doc.data, dict)},
        county_doc=repo.county,
        policy_docs=dict(repo.policy),
        stations=[doc for doc in repo.stations if isinstance(doc.data, dict)],
        operations=[doc for doc in repo.operations if isinstance(doc.data, dict)],
        events=[doc for doc in repo.events if isinstance(doc.data, dict)],
    )
    found: list[Diagnostic] = []
    for doc in repo.stations:
        if doc.file not in wanted:
            continue
        found += doc.diagnostics
        if isinstance(doc.data, dict):
            for rule in rules_for("station"):
                found += run_rule(rule, doc, ctx, repo.schemas)
    stations = {PurePosixPath(doc.file).stem for doc in repo.stations}
    every = {doc.file for doc in repo.documents()}
    return waivers.apply(found, repo.waivers, as_of, {c.code for c in all_codes()}, stations, every)
