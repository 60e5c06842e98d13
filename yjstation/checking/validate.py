"""`validate` as a library call: load a repository, check schemas and rules, return diagnostics.

The work is done in stages (`yjstation.checking.stages`) so that it can be cached and spread over processes:

1. the county, policy and waiver files are loaded here, every run: everything else is keyed by them;
2. station files are parsed (YAML, schema), in workers when there are many;
3. every station and operations file's per-file rules run, in workers that each hold one context
   (the stations' data included, which operations rules look up);
4. the repository-wide rules (one station per village, counts, shared persons, agreement numbers...)
   run here, over the stations' data.

With a cache, a file whose bytes and inputs are unchanged skips stages 2 and 3 (see `yjstation.checking.cache`
for what keys what); stage 4 is skipped only when none of the inputs its rules read has changed.
Without one, every stage runs: the findings are the same either way, in the same order.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from yjstation.checking import waivers
from yjstation.checking.cache import Cache, digest, tool_fingerprint
from yjstation.checking.stages import (
    ENGINE_CODES,
    RULE_CRASHED,
    UNKNOWN_FILE,
    CheckSetup,
    CheckTask,
    check_chunk,
    detached,
    dump,
    dump_found,
    load_found,
    make_context,
    parse,
    parse_chunk,
    read,
    rules_for,
    run_rule,
    start_checker,
    start_parser,
)
from yjstation.foundation.diagnostics import Diagnostic, Severity
from yjstation.foundation.i18n import language, tr
from yjstation.foundation.workers import ordered_map
from yjstation.loading.loader import Document
from yjstation.loading.repository import data_files, kind_of
from yjstation.loading.schemas import SchemaSet

__all__ = ["ENGINE_CODES", "RULE_CRASHED", "UNKNOWN_FILE", "Progress", "Result", "validate"]

Progress = Callable[[int, int], None]  # (files done, files in all), called as the run goes


@dataclass
class Result:
    """What `validate` found: diagnostics in a stable order, and how many files were checked."""

    diagnostics: list[Diagnostic]
    files: int
    counts: dict[str, int] = field(default_factory=dict)

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


def validate(
    root: Path,
    as_of: date,
    only: Iterable[str] | None = None,
    overrides: dict[str, bytes] | None = None,
    *,
    jobs: int = 1,
    cache: bool = False,
    progress: Progress | None = None,
) -> Result:
    """Check every data file of the repository at `root` as of `as_of`.

    `only` limits what is reported to those files (relative paths); the whole repository is still
    loaded, because cross-file rules (one station per village, counts, references) need all of it.
    `overrides` validates files as an edit would leave them, before anything is written. `jobs` worker
    processes share the per-file work when there are many files; `cache` reuses the findings of files
    unchanged since an earlier run (kept under `.yjstation-cache/` at the root); `progress` is told
    how far the run has got. None of these three changes what is found.
    """
    store = Cache.open(root) if cache else None
    try:
        run = _Run(root, as_of, overrides or {}, jobs, store, progress)
        diagnostics = run.check()
    finally:
        if store is not None:
            store.close()
    diagnostics = _waive(diagnostics, run, as_of)
    checked = run.checked_files()
    if only is not None:
        wanted = set(only)
        diagnostics = [d for d in diagnostics if d.file in wanted]
        checked = [f for f in checked if f in wanted]
    diagnostics.sort(key=Diagnostic.sort_key)
    kinds: dict[str, int] = {}
    for file in checked:
        kind = run.kinds.get(file) or kind_of(file) or "unknown"
        kinds[kind] = kinds.get(kind, 0) + 1
    return Result(diagnostics, len(checked), kinds)


def _waive(diagnostics: list[Diagnostic], run: _Run, as_of: date) -> list[Diagnostic]:
    if not waivers.read_waivers(run.waivers):
        return diagnostics  # nothing to waive: spare loading every rule module for the catalogue
    from yjstation.checking.catalogue import all_codes

    stations = {PurePosixPath(rel).stem for rel in run.stations}
    files = set(run.checked_files()) - set(run.unknown)
    return waivers.apply(diagnostics, run.waivers, as_of, {c.code for c in all_codes()}, stations, files)


@dataclass
class _Station:
    """A station file between the stages: its content digest, parse-stage findings and pickled data
    (None until needed when it came from the cache)."""

    content: bytes | None
    parsed_key: bytes | None
    found: list[Diagnostic]
    blob: bytes | None
    cached: bool


class _Run:
    """One run of `validate`: the files, the cache rows and the keys derived from them."""

    def __init__(
        self,
        root: Path,
        as_of: date,
        overrides: dict[str, bytes],
        jobs: int,
        store: Cache | None,
        progress: Progress | None,
    ) -> None:
        self.root, self.as_of, self.overrides, self.jobs, self.store = root, as_of, overrides, jobs, store
        self.base = os.path.join(root, "")  # string joins: pathlib costs more than reading a small file
        self.schemas = SchemaSet.load(root, trusted=store.is_trusted if store is not None else None)
        # Messages are written in the interface language, so it keys every cached finding too.
        self.language = language()
        self.tool = digest(tool_fingerprint(), self.language) if store is not None else b""
        self.rows = store.rows() if store is not None else {}
        self.unknown: list[str] = []
        self.config: list[str] = []
        self.stations: list[str] = []
        self.operations: list[str] = []
        lists = {"station": self.stations, "operations": self.operations, None: self.unknown}
        for rel in sorted(set(data_files(root)) | set(overrides)):
            lists.get(kind_of(rel), self.config).append(rel)
        self.kinds = dict.fromkeys(self.stations, "station") | dict.fromkeys(self.operations, "operations")
        self.total = len(self.config) + 2 * len(self.stations) + len(self.operations)
        self.done = 0
        self.progress = progress
        self.county: Document | None = None
        self.policy: dict[str, Document] = {}
        self.waivers: Document | None = None
        self.config_digest = b""
        self.stations_digest: bytes | None = None
        self.operations_digest: bytes | None = None
        self._prefixes: dict[str, bytes] = {}  # kind -> digest of what keys that kind's parse results
        self._read_prefixes: dict[str, bytes | None] = {}  # volatile reads -> digest of them (None: unknowable now)

    def checked_files(self) -> list[str]:
        policy = [doc.file for doc in self.policy.values()]
        county = [self.county.file] if self.county else []
        waiver = [self.waivers.file] if self.waivers else []
        return county + policy + waiver + self.stations + self.operations + self.unknown

    def _advance(self, count: int) -> None:
        self.done += count
        if self.progress is not None:
            self.progress(self.done, self.total)

    def check(self) -> list[Diagnostic]:
        out = [
            UNKNOWN_FILE.at(
                rel,
                0,
                0,
                "",
                tr(
                    "{rel} 不在约定的位置，yjstation 不会检查它",
                    "{rel} is not where data files go; yjstation does not check it",
                    rel=rel,
                ),
            )
            for rel in self.unknown
        ]
        out += self._load_config()
        stations = self._parse_stations()
        out += self._check_files(stations)
        out += self._check_repository(stations)
        if self.store is not None:
            for schema_digest in self.schemas.digests.values():
                self.store.trust(schema_digest)
            self.store.forget(set(self.rows) - set(self.stations) - set(self.operations) - set(self.config))
        return out

    # -- keys ---------------------------------------------------------------------------------------

    def _parsed_key(self, rel: str, content: bytes | None) -> bytes | None:
        """The key of a file's parse-stage results: yjstation, the file's path, kind, schema and bytes."""
        if content is None or self.store is None:
            return None
        kind = self.kinds.get(rel) or kind_of(rel) or ""
        prefix = self._prefixes.get(kind)
        if prefix is None:
            schema = self.schemas.by_kind.get(kind)
            prefix = self._prefixes[kind] = digest(self.tool, kind, schema.digest if schema else b"")
        # Two fixed-size digests side by side (the path is the row's own key): no hashing per file.
        return prefix + content

    def _checked_key(self, base: bytes | None, reads: str) -> bytes | None:
        """The key of findings computed from `base` (a parsed key, or the tool for repository rules)
        that read these volatile inputs; None when one of them cannot be known."""
        if base is None or self.store is None:
            return None
        if reads not in self._read_prefixes:
            values: list[bytes | str] = []
            for name in filter(None, reads.split(",")):
                value = {"as_of": self.as_of.isoformat(), "stations": self.stations_digest}.get(
                    name, self.operations_digest
                )
                if value is None:
                    break
                values.append(value)
            else:
                self._read_prefixes[reads] = digest(self.config_digest, reads, *values)
            self._read_prefixes.setdefault(reads, None)
        prefix = self._read_prefixes[reads]
        return None if prefix is None else prefix + base

    @staticmethod
    def _set_digest(contents: dict[str, bytes | None]) -> bytes | None:
        if any(content is None for content in contents.values()):
            return None
        return digest(*(part for rel, content in contents.items() for part in (rel, content or b"")))

    # -- stage 1: configuration ---------------------------------------------------------------------

    def _load_config(self) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        parts: list[bytes | str] = [self.tool]
        for name, schema in self.schemas.by_kind.items():
            parts += [name, schema.digest]
        for rel in self.config:
            raw = self.overrides.get(rel)
            if raw is None:
                raw = read(self.base + rel)
            doc, found = self._parse_here(rel, raw)
            out += found
            kind = kind_of(rel)
            if kind == "county":
                self.county = doc
            elif kind == "waivers":
                self.waivers = doc
            else:
                self.policy[kind or ""] = doc
            if kind != "waivers":  # no rule reads the waivers: they apply to findings afterwards
                parts += [rel, raw if raw is not None else b"\0unreadable"]
        self.config_digest = digest(*parts)
        self._advance(len(self.config))
        return out

    def _parse_here(self, rel: str, raw: bytes | None) -> tuple[Document, list[Diagnostic]]:
        """Parse one file in this process, through the cache (a warm run then needs no jsonschema)."""
        key = self._parsed_key(rel, _content(raw))
        row = self.rows.get(rel)
        if key is not None and row is not None and row.parsed_key == key and self.store is not None:
            blob = self.store.data(rel)
            if blob is not None:
                found = load_found(self.store.found(rel)) if row.has_found else []
                return detached(rel, self.root, blob, raw), found
        doc, found = parse(rel, raw, self.root, self.schemas)
        if key is not None and self.store is not None:
            self.store.put_parsed(rel, key, dump_found(found), dump((doc.data, doc.encoding)))
        return doc, found

    # -- stage 2: station files ---------------------------------------------------------------------

    def _parse_stations(self) -> dict[str, _Station]:
        stations: dict[str, _Station] = {}
        tasks: list[tuple[str, bytes | None]] = []
        for rel in self.stations:
            raw = self.overrides.get(rel)
            row = self.rows.get(rel)
            if row is None:
                tasks.append((rel, raw))
                continue
            content = _content(raw if raw is not None else read(self.base + rel))
            key = self._parsed_key(rel, content)
            if key is not None and key == row.parsed_key and self.store is not None:
                found = load_found(self.store.found(rel)) if row.has_found else []
                stations[rel] = _Station(content, key, found, None, True)
                self._advance(1)
            else:
                tasks.append((rel, raw))
        results = ordered_map(
            parse_chunk,
            tasks,
            len(tasks),
            self.jobs,
            initializer=start_parser,
            initargs=(self.root, self.language),
            progress=self._advance,
        )
        for parsed in results:
            key = self._parsed_key(parsed.rel, parsed.content)
            stations[parsed.rel] = _Station(parsed.content, key, parsed.found, parsed.data, False)
            if key is not None and self.store is not None:
                self.store.put_parsed(parsed.rel, key, dump_found(parsed.found), parsed.data)
        self.stations_digest = self._set_digest({rel: stations[rel].content for rel in self.stations})
        self._read_prefixes.clear()
        return stations

    def _station_blob(self, rel: str, station: _Station) -> bytes:
        if station.blob is None:
            station.blob = self.store.data(rel) if self.store is not None else None
        if station.blob is None:  # the cache lost it meanwhile: parse again
            doc, _ = parse(rel, self.overrides.get(rel), self.root, self.schemas)
            station.blob = dump((doc.data, doc.encoding))
        return station.blob

    def _setup(self, stations: dict[str, _Station]) -> CheckSetup:
        return CheckSetup(
            self.root,
            self.language,
            self.as_of,
            self.county,
            dict(self.policy),
            [(rel, self._station_blob(rel, stations[rel]), self.overrides.get(rel)) for rel in self.stations],
            [(rel, self.overrides.get(rel)) for rel in self.operations],
        )

    # -- stage 3: per-file rules --------------------------------------------------------------------

    def _check_files(self, stations: dict[str, _Station]) -> list[Diagnostic]:
        operations: dict[str, bytes | None] = {}
        cached: dict[str, bytes] = {}  # parsed keys of operations files found in the cache
        for rel in self.operations:
            row = self.rows.get(rel)
            raw = self.overrides.get(rel)
            if row is None:
                operations[rel] = None if raw is None else _content(raw)
                continue
            content = operations[rel] = _content(raw if raw is not None else read(self.base + rel))
            key = self._parsed_key(rel, content)
            if key is not None and key == row.parsed_key:
                cached[rel] = key
        self.operations_digest = self._set_digest(operations)
        self._read_prefixes.clear()
        out: list[Diagnostic] = []
        tasks: list[tuple[str, str, bytes | None, bool]] = []  # (rel, kind, raw override, data from cache)
        for rel in self.stations:
            station = stations[rel]
            out += station.found
            row = self.rows.get(rel)
            if (
                station.cached
                and row is not None
                and row.checked_key is not None
                and self._checked_key(station.parsed_key, row.checked_reads or "") == row.checked_key
            ):
                out += load_found(self.store.checked(rel)) if row.has_checked and self.store else []
                self._advance(1)
                continue
            tasks.append((rel, "station", None, False))
        for rel in self.operations:
            row = self.rows.get(rel)
            if rel in cached and row is not None and self.store is not None:
                out += load_found(self.store.found(rel)) if row.has_found else []
                if (
                    row.checked_key is not None
                    and self._checked_key(cached[rel], row.checked_reads or "") == row.checked_key
                ):
                    out += load_found(self.store.checked(rel)) if row.has_checked else []
                    self._advance(1)
                    continue
                tasks.append((rel, "operations", self.overrides.get(rel), True))
            else:
                tasks.append((rel, "operations", self.overrides.get(rel), False))
        if not tasks:
            return out
        deferred: list[tuple[str, bytes, str, list[Diagnostic]]] = []
        results = ordered_map(
            check_chunk,
            self._tasks(tasks),
            len(tasks),
            self.jobs,
            initializer=start_checker,
            initargs=(self._setup(stations),),
            progress=self._advance,
        )
        for checked in results:
            base = cached.get(checked.rel) or (stations[checked.rel].parsed_key if checked.rel in stations else None)
            if checked.parsed is not None:
                out += checked.parsed.found
                operations[checked.rel] = checked.parsed.content
                base = self._parsed_key(checked.rel, checked.parsed.content)
                if base is not None and self.store is not None:
                    self.store.put_parsed(checked.rel, base, dump_found(checked.parsed.found), checked.parsed.data)
            out += checked.found
            if base is None or self.store is None:
                continue
            if "operations" in checked.reads:  # keyed by every operations file: known only at the end
                deferred.append((checked.rel, base, checked.reads, checked.found))
            else:
                self._put_checked(checked.rel, base, checked.reads, checked.found)
        self.operations_digest = self._set_digest(operations)
        self._read_prefixes.clear()
        for rel, base, reads, found in deferred:
            self._put_checked(rel, base, reads, found)
        return out

    def _put_checked(self, rel: str, base: bytes, reads: str, found: list[Diagnostic]) -> None:
        key = self._checked_key(base, reads)
        if key is not None and self.store is not None:
            self.store.put_checked(rel, key, reads, dump_found(found))

    def _tasks(self, tasks: list[tuple[str, str, bytes | None, bool]]) -> Iterator[CheckTask]:
        """Check tasks, the cached data of each fetched only as it is sent (so memory stays flat)."""
        for rel, kind, raw, from_cache in tasks:
            blob = self.store.data(rel) if from_cache and self.store is not None else None
            yield (rel, kind, raw, blob)

    # -- stage 4: repository-wide rules -------------------------------------------------------------

    def _check_repository(self, stations: dict[str, _Station]) -> list[Diagnostic]:
        base = digest(self.tool, "repository") if self.store is not None else None
        stored = self.store.scope("repository") if self.store is not None else None
        if stored is not None and self._checked_key(base, stored[1]) == stored[0]:
            return load_found(stored[2])
        setup = self._setup(stations)
        documents: dict[str, Document] = {}

        def operation_documents() -> list[Document]:
            out = []
            for rel in self.operations:
                blob = self.store.data(rel) if self.store is not None else None
                if blob is not None:
                    doc: Document = detached(rel, self.root, blob, self.overrides.get(rel))
                else:
                    doc = parse(rel, self.overrides.get(rel), self.root, self.schemas)[0]
                if isinstance(doc.data, dict):
                    out.append(doc)
            return out

        ctx = make_context(setup, self.schemas, documents, operation_documents)
        ctx.reset()
        found = [d for rule in rules_for("repository") for d in run_rule(rule, None, ctx, self.schemas)]
        from yjstation.checking.tracking import volatile

        reads = volatile(ctx.reset())
        key = self._checked_key(base, reads)
        if key is not None and self.store is not None:
            self.store.put_scope("repository", key, reads, dump_found(found))
        return found


def _content(raw: bytes | None) -> bytes | None:
    return hashlib.blake2b(raw, digest_size=16).digest() if raw is not None else None
