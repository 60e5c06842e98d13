"""The staged run behind `validate`, and the one path by which every command loads a repository.

1. the county, policy and waiver files are loaded first, every run: everything else is keyed by them;
2. station files are parsed (YAML, schema), in workers when there are many;
3. every station and operations file's per-file rules run, in workers that each hold one context
   (the stations' data included, which operations rules look up);
4. the repository-wide rules (one station per village, counts, shared persons, agreement numbers...)
   run here, over the stations' data.

`validate` runs all four stages; `load_repository` runs the parsing of stages 1 and 2 and parses the
operations files the same way, so `checklist`, `fees`, `report`, `export` and the editors read exactly
what `validate` read, through the same cache and workers: on an unchanged repository each file costs a
read, a hash and a decode.

With a cache, a file whose bytes and inputs are unchanged skips stages 2 and 3 (see `cache` for what
keys what); stage 4 is skipped only when none of the inputs its rules read has changed. Without one,
every stage runs: the findings are the same either way, in the same order.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from yjstation.checking.cache import Cache, Undecodable, decode_found, digest, encode_found, tool_fingerprint
from yjstation.checking.stages import (
    UNKNOWN_FILE,
    CheckSetup,
    CheckTask,
    check_chunk,
    detached,
    dump,
    make_context,
    parse,
    parse_chunk,
    positions,
    read,
    rules_for,
    run_rule,
    start_checker,
    start_parser,
)
from yjstation.foundation.atomic import recover
from yjstation.foundation.diagnostics import Diagnostic
from yjstation.foundation.i18n import language, tr
from yjstation.foundation.workers import default_jobs, ordered_map, uses_workers
from yjstation.loading.loader import DetachedDocument, Document
from yjstation.loading.repository import Repository, data_files, kind_of
from yjstation.loading.schemas import SchemaSet

T = TypeVar("T")
Progress = Callable[[int, int], None]  # (files done, files in all), called as the run goes


def load_repository(
    root: Path,
    overrides: dict[str, bytes | None] | None = None,
    *,
    jobs: int | None = None,
    cache: bool = True,
) -> Repository:
    """Every data file of the repository at `root`, parsed as `validate` parses it (through the cache
    and worker processes). `overrides` gives files as an edit would leave them (None: as if deleted).
    Findings are not
    computed here: a command that needs them runs `validate`."""
    return with_cache(root, cache, lambda store: Run(root, None, overrides or {}, jobs, store, None).load())


def load_schemas(root: Path) -> SchemaSet:
    """The repository's schemas; checked against the metaschema only when the cache has not seen
    these exact bytes pass that check before."""

    def load(store: Cache | None) -> SchemaSet:
        schemas = SchemaSet.load(root, trusted=store.is_trusted if store is not None else None)
        if store is not None:
            for schema_digest in schemas.digests.values():
                store.trust(schema_digest)
        return schemas

    return with_cache(root, True, load)


def with_cache(root: Path, cache: bool, work: Callable[[Cache | None], T]) -> T:
    """Run `work` with the repository's cache (or without one); a cache whose rows do not decode is
    emptied and the work done again, so a damaged or foreign cache costs time, never a result.

    A batch of writes that a crash interrupted is finished (or undone) first, so nothing ever reads
    a repository half written (see foundation.atomic)."""
    recover(root)
    store = Cache.open(root) if cache else None
    try:
        try:
            return work(store)
        except Undecodable:
            if store is None:
                raise
            store.clear()
            return work(store)
    finally:
        if store is not None:
            store.close()


@dataclass
class _Station:
    """A file between the stages: its content digest, parse-stage findings, encoded data and positions
    (None until needed when it came from the cache), and the station id it declares."""

    content: bytes | None
    parsed_key: bytes | None
    found: list[Diagnostic]
    blob: bytes | None
    cached: bool
    positions: bytes | None = None
    ident: str | None = None


class Run:
    """One run over a repository: the files, the cache rows and the keys derived from them. `as_of` is
    None when the run only loads (no rule runs, so no day is needed)."""

    def __init__(
        self,
        root: Path,
        as_of: date | None,
        overrides: dict[str, bytes | None],
        jobs: int | None,
        store: Cache | None,
        progress: Progress | None,
    ) -> None:
        self.root, self.as_of, self.store = root, as_of, store
        # files as an edit would leave them; None marks a file the run treats as deleted
        self.overrides = {rel: raw for rel, raw in overrides.items() if raw is not None}
        absent = {rel for rel, raw in overrides.items() if raw is None}
        self.jobs = jobs or default_jobs()
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
        for rel in sorted((set(data_files(root)) | set(self.overrides)) - absent):
            lists.get(kind_of(rel), self.config).append(rel)
        self.kinds = dict.fromkeys(self.stations, "station") | dict.fromkeys(self.operations, "operations")
        self.total = len(self.config) + 2 * len(self.stations) + len(self.operations)
        self.done = 0
        self.progress = progress
        self.county: Document | None = None
        self.policy: dict[str, Document] = {}
        self.waivers: Document | None = None
        self.events: list[Document] = []  # few and rarely edited: loaded with the configuration, every run
        self.config_digest = b""
        self.stations_digest: bytes | None = None
        self.operations_digest: bytes | None = None
        self.filed: dict[str, str] = {}  # station id -> the station file stations_by_id files under it
        self.contents: dict[str, bytes | None] = {}  # station file -> content digest
        self._documents: dict[str, Document] = {}  # station documents decoded for the rules, shared by stages
        self._prefixes: dict[str, bytes] = {}  # kind -> digest of what keys that kind's parse results
        self._read_prefixes: dict[str, bytes | None] = {}  # volatile reads -> digest of them (None: unknowable now)

    def checked_files(self) -> list[str]:
        policy = [doc.file for doc in self.policy.values()]
        county = [self.county.file] if self.county else []
        waiver = [self.waivers.file] if self.waivers else []
        events = [doc.file for doc in self.events]
        return county + policy + waiver + events + self.stations + self.operations + self.unknown

    def _day(self) -> date:
        if self.as_of is None:
            raise ValueError("a run that checks needs its as_of day")
        return self.as_of

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
        self._trust_schemas()
        if self.store is not None:
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
            values = [self._read_value(name) for name in filter(None, reads.split(","))]
            known = [value for value in values if value is not None]
            self._read_prefixes[reads] = (
                digest(self.config_digest, reads, *known) if len(known) == len(values) else None
            )
        prefix = self._read_prefixes[reads]
        return None if prefix is None else prefix + base

    def _read_value(self, name: str) -> bytes | str | None:
        """What one volatile input is now (see tracking): None when it cannot be known yet."""
        from yjstation.checking.reads import ONE_STATION, STATION_IDS, STATIONS_EXIST

        if name == "as_of":
            return self._day().isoformat()
        if name == "stations":
            return self.stations_digest
        if name == "operations":
            return self.operations_digest
        if name == STATIONS_EXIST:
            return "1" if self.filed else "0"
        if name == STATION_IDS:
            return digest(*self.filed)
        if name.startswith(ONE_STATION):
            try:
                station_id = bytes.fromhex(name[len(ONE_STATION) :]).decode("utf-8")
            except ValueError:
                return None
            rel = self.filed.get(station_id)
            if rel is None:
                return "absent"
            content = self.contents.get(rel)
            return None if content is None else digest(rel, content)
        return None  # an input this version does not know: never reuse what it keyed

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
            elif kind == "event":
                self.events.append(doc)
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
                found = decode_found(self.store.found(rel)) if row.has_found else []
                return detached(rel, self.root, blob, raw, self.store.positions(rel)), found
        doc, found = parse(rel, raw, self.root, self.schemas)
        if key is not None and self.store is not None:
            self.store.put_parsed(rel, key, encode_found(found), dump(doc), positions(doc))
        return doc, found

    # -- stage 2: station files ---------------------------------------------------------------------

    def _parse_stations(self) -> dict[str, _Station]:
        stations = self._parse_files(self.stations)
        self.contents = {rel: stations[rel].content for rel in self.stations}
        self.stations_digest = self._set_digest(self.contents)
        for rel in self.stations:  # as Context.stations_by_id files them: the first file of an id wins
            station_id = stations[rel].ident
            if station_id is not None:
                self.filed.setdefault(station_id, rel)
        self._read_prefixes.clear()
        return stations

    def _parse_files(self, files: list[str]) -> dict[str, _Station]:
        """Parse files through the cache: those unchanged since it was written cost a read and a hash,
        the rest are parsed (in workers when there are many) and stored."""
        parsed: dict[str, _Station] = {}
        tasks: list[tuple[str, bytes | None]] = []
        for rel in files:
            raw = self.overrides.get(rel)
            row = self.rows.get(rel)
            if row is None:
                tasks.append((rel, raw))
                continue
            content = _content(raw if raw is not None else read(self.base + rel))
            key = self._parsed_key(rel, content)
            if key is not None and key == row.parsed_key and self.store is not None:
                found = decode_found(self.store.found(rel)) if row.has_found else []
                parsed[rel] = _Station(content, key, found, None, True, None, row.ident)
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
        for result in results:
            key = self._parsed_key(result.rel, result.content)
            parsed[result.rel] = _Station(
                result.content, key, result.found, result.data, False, result.positions, result.ident
            )
            if key is not None and self.store is not None:
                self.store.put_parsed(
                    result.rel, key, encode_found(result.found), result.data, result.positions, result.ident
                )
        return parsed

    def load(self) -> Repository:
        """The repository's documents, parsed (stage 1 and the parse stage for every other file)."""
        self._load_config()
        repo = Repository(
            self.root,
            self.county,
            dict(self.policy),
            self.waivers,
            unknown=list(self.unknown),
            schemas=self.schemas,
            events=list(self.events),
        )
        parsed = self._parse_files(self.stations + self.operations)
        for files, docs in ((self.stations, repo.stations), (self.operations, repo.operations)):
            for rel in files:
                entry = parsed[rel]
                blob = self._station_blob(rel, entry)
                doc = detached(rel, self.root, blob, self.overrides.get(rel), entry.positions)
                doc.diagnostics = list(entry.found)
                docs.append(doc)
        self._trust_schemas()
        return repo

    def _trust_schemas(self) -> None:
        if self.store is not None:
            for schema_digest in self.schemas.digests.values():
                self.store.trust(schema_digest)

    def _station_blob(self, rel: str, station: _Station) -> bytes:
        if station.blob is None:
            station.blob = self.store.data(rel) if self.store is not None else None
        if station.blob is None:  # the cache lost it meanwhile: parse again
            doc, _ = parse(rel, self.overrides.get(rel), self.root, self.schemas)
            station.blob, station.positions = dump(doc), positions(doc)
        return station.blob

    def _positions_of(self, stations: dict[str, _Station], rel: str) -> Callable[[], bytes | None]:
        return lambda: self._positions(stations, rel)

    def _positions(self, stations: dict[str, _Station], rel: str) -> bytes | None:
        station = stations.get(rel)
        if station is not None and station.positions is not None:
            return station.positions
        return self.store.positions(rel) if self.store is not None else None

    def _setup(self, stations: dict[str, _Station]) -> CheckSetup:
        return CheckSetup(
            self.root,
            self.language,
            self._day(),
            self.county,
            dict(self.policy),
            [
                (rel, self._station_blob(rel, stations[rel]), self.overrides.get(rel), stations[rel].positions)
                for rel in self.stations
            ],
            [(rel, self.overrides.get(rel)) for rel in self.operations],
            list(self.events),
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
                out += decode_found(self.store.checked(rel)) if row.has_checked and self.store else []
                self._advance(1)
                continue
            tasks.append((rel, "station", None, False))
        for rel in self.operations:
            row = self.rows.get(rel)
            if rel in cached and row is not None and self.store is not None:
                out += decode_found(self.store.found(rel)) if row.has_found else []
                if (
                    row.checked_key is not None
                    and self._checked_key(cached[rel], row.checked_reads or "") == row.checked_key
                ):
                    out += decode_found(self.store.checked(rel)) if row.has_checked else []
                    self._advance(1)
                    continue
                tasks.append((rel, "operations", self.overrides.get(rel), True))
            else:
                tasks.append((rel, "operations", self.overrides.get(rel), False))
        if not tasks:
            return out
        if uses_workers(len(tasks), self.jobs):
            rules_for("station")  # the rules load here, once, before the workers fork, not once in each
        deferred: list[tuple[str, bytes, str, list[Diagnostic]]] = []
        results = ordered_map(
            check_chunk,
            self._tasks(tasks),
            len(tasks),
            self.jobs,
            initializer=start_checker,
            initargs=(self._setup(stations), self._documents),  # (in workers: a copy, left unused)
            progress=self._advance,
        )
        for checked in results:
            base = cached.get(checked.rel) or (stations[checked.rel].parsed_key if checked.rel in stations else None)
            fresh = checked.parsed
            if fresh is not None:
                out += fresh.found
                operations[checked.rel] = fresh.content
                base = self._parsed_key(checked.rel, fresh.content)
                if base is not None and self.store is not None:
                    self.store.put_parsed(
                        checked.rel, base, encode_found(fresh.found), fresh.data, fresh.positions, fresh.ident
                    )
            out += checked.found
            if base is None or self.store is None:
                continue
            if "operations" in checked.reads.split(","):  # keyed by every operations file: known only at the end
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
            self.store.put_checked(rel, key, reads, encode_found(found))

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
            return decode_found(stored[2])
        setup = self._setup(stations)
        documents = self._documents  # the station documents the check stage decoded here, if it ran here
        for rel, doc in documents.items():
            if isinstance(doc, DetachedDocument) and doc.positions is None:
                doc.positions = self._positions_of(stations, rel)

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

        ctx = make_context(
            setup, self.schemas, documents, operation_documents, lambda rel: self._positions(stations, rel)
        )
        ctx.reset()
        found = [d for rule in rules_for("repository") for d in run_rule(rule, None, ctx, self.schemas)]
        from yjstation.checking.tracking import volatile

        reads = volatile(ctx.reset())
        key = self._checked_key(base, reads)
        if key is not None and self.store is not None:
            self.store.put_scope("repository", key, reads, encode_found(found))
        return found


def _content(raw: bytes | None) -> bytes | None:
    return hashlib.blake2b(raw, digest_size=16).digest() if raw is not None else None
