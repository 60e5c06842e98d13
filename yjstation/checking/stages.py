"""The per-file stages of `validate`, as run in worker processes (or in this one for small repositories).

A data file goes through two stages: **parse** (decode, compose, walk; the JSON Schema) and **check**
(the per-file rules of its kind). The check stage runs with a `TrackedContext`, which notes which parts
of the context each file's rules read: most of it derives from the county, policy and schema files,
which key every cached result anyway, but `as_of`, the station files and the operations files are
*volatile* inputs that only some rules read. The cache keys each file's rule findings by the volatile
inputs its rules actually read, so a station edit re-checks the monthly records whose rules look up
stations, and a new day re-checks the rules that depend on the date, and nothing else.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from yjstation.checking.cache import decode_data, encode_data
from yjstation.foundation.diagnostics import Code, Diagnostic, Severity, format_path
from yjstation.foundation.i18n import Language, set_language, tr
from yjstation.foundation.sourcemap import SourceMap
from yjstation.foundation.workers import tune_collector
from yjstation.loading.loader import (
    MAX_BYTES,
    DetachedDocument,
    Document,
    Positions,
    encode_positions,
    load_bytes,
    load_file,
    read_regular,
)
from yjstation.loading.repository import kind_of
from yjstation.loading.schemas import SchemaSet

if TYPE_CHECKING:  # the rules load only when a rule runs: a run served by the cache needs none of them
    from yjstation.checking.rules import Context, Rule
    from yjstation.checking.rules.base import FileCheck, RepositoryCheck
    from yjstation.checking.tracking import TrackedContext

UNKNOWN_FILE = Code(
    "FILE001",
    Severity.WARNING,
    "data/ 下有无法识别的文件",
    "数据约定：数据仓库的目录结构",
    "按约定放置：data/stations/<站点编号>.yaml、data/operations/<YYYY-MM>/<站点编号>.yaml，扩展名 .yaml",
)
RULE_CRASHED = Code(
    "RULE000",
    Severity.ERROR,
    "检查规则自身出错（yjstation 的缺陷）",
    "—",
    "请把这条信息和相关数据文件报告给 yjstation 的维护者",
)
ENGINE_CODES: tuple[Code, ...] = (UNKNOWN_FILE, RULE_CRASHED)


def run_rule(rule: Rule, doc: Document | None, ctx: Context, schemas: SchemaSet) -> Iterator[Diagnostic]:
    """One rule on one file (or on the repository), its findings positioned and labelled."""
    try:  # (the casts name their types as text: an import here would run once per rule and file)
        if doc is None:
            findings = list(cast("RepositoryCheck", rule.check)(ctx))
        else:
            findings = list(cast("FileCheck", rule.check)(doc, doc.data, ctx))
    except Exception as exc:  # a broken rule must not hide the other findings, nor print a traceback
        where = doc.file if doc is not None else "data"
        yield RULE_CRASHED.at(
            where,
            0,
            0,
            "",
            tr(
                "规则 {code} 运行出错：{kind}: {exc}",
                "rule {code} failed: {kind}: {exc}",
                code=rule.code.code,
                kind=type(exc).__name__,
                exc=exc,
            ),
        )
        return
    for finding in findings:
        target = finding.doc or doc
        if target is None:
            continue
        line, col = target.position(finding.path)
        kind = kind_of(target.file)
        label = schemas[kind].label(finding.path) if kind else ""
        yield rule.code.at(
            target.file, line, col, format_path(finding.path), finding.message, hint=finding.hint, label=label
        )


def parse(rel: str, raw: bytes | None, root: Path, schemas: SchemaSet) -> tuple[Document, list[Diagnostic]]:
    """Load a file (from `raw`, or from disk) and check it against its kind's schema."""
    doc = load_file(root / rel, rel) if raw is None else load_bytes(raw, root / rel, rel)
    found = list(doc.diagnostics)
    kind = kind_of(rel)
    if isinstance(doc.data, dict) and kind in schemas.by_kind:
        found += schemas[kind or ""].check(doc)
    return doc, found


def read(path: Path | str) -> bytes | None:
    """A file's bytes, or None when it cannot be read, is no regular file or is too large (the loader
    then explains why, and the file is not cached)."""
    try:
        raw = read_regular(path)
    except OSError:
        return None
    return raw if len(raw) <= MAX_BYTES else None


def dump(doc: Document) -> bytes:
    """A parsed document's data as the cache and the workers carry it (plain JSON, see cache)."""
    return encode_data(doc.data, doc.encoding)


def positions(doc: Document) -> bytes | None:
    """The encoded source map of a station file or a configuration file, whose findings may be
    positioned far from where they were parsed (by repository-wide rules, in another process, or from
    the cache); None for monthly records, which are checked where they are parsed and are too many to
    carry their maps around for the rare finding on a cached one (that file is simply read again)."""
    if kind_of(doc.file) == "operations" or not doc.source.keys:
        return None
    return encode_positions(doc.source)


def ident(doc: Document) -> str | None:
    """A station file's `id`, which `stations_by_id` files it under (None for anything else)."""
    data = doc.data
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def detached(rel: str, root: Path, blob: bytes, raw: bytes | None = None, where: Positions = None) -> DetachedDocument:
    data, encoding = decode_data(blob)
    return DetachedDocument(rel, root / rel, data, SourceMap(), [], encoding, raw, where)


# --- worker processes -------------------------------------------------------------------------------


@dataclass
class _Worker:
    root: Path
    schemas: SchemaSet
    ctx: TrackedContext | None = None
    stations: dict[str, Document] = field(default_factory=dict)


_STATE: list[_Worker] = []


def _state() -> _Worker:
    return _STATE[-1]


def _tune_worker() -> None:
    """In a worker process (which ends with the run), the collector as the console command sets it up;
    an initialiser that runs in this process (few files, one job) leaves the caller's collector alone."""
    # A worker has multiprocessing imported; a small run in this process may not have, and need not.
    started = sys.modules.get("multiprocessing")
    if started is not None and started.parent_process() is not None:
        tune_collector()


def start_parser(root: Path, language: Language) -> None:
    """Worker initialiser for the parse stage. The schemas were checked by the parent process."""
    _tune_worker()
    set_language(language)
    _STATE[:] = [_Worker(root, SchemaSet.load(root, trusted=lambda _: True))]


@dataclass(frozen=True)
class Parsed:
    """A parse-stage result: the content digest (None: not cacheable), the findings, encoded data and
    positions (see `positions`), and the station id the data declares."""

    rel: str
    content: bytes | None
    found: list[Diagnostic]
    data: bytes
    positions: bytes | None = None
    ident: str | None = None


def parsed(rel: str, raw: bytes | None, doc: Document, found: list[Diagnostic]) -> Parsed:
    content = hashlib.blake2b(raw, digest_size=16).digest() if raw is not None else None
    return Parsed(rel, content, found, dump(doc), positions(doc), ident(doc))


def parse_chunk(tasks: list[tuple[str, bytes | None]]) -> list[Parsed]:
    """Parse files: (relative path, bytes when they are not the file on disk)."""
    state = _state()
    out = []
    for rel, raw in tasks:
        if raw is None:
            raw = read(os.path.join(state.root, rel))
        doc, found = parse(rel, raw, state.root, state.schemas)
        out.append(parsed(rel, raw, doc, found))
    return out


@dataclass(frozen=True)
class CheckSetup:
    """What the check stage's workers need: the run's context, without the per-file documents."""

    root: Path
    language: Language
    as_of: date
    county_doc: Document | None
    policy_docs: dict[str, Document]
    stations: list[tuple[str, bytes, bytes | None, bytes | None]]  # (path, encoded data, raw override, positions)
    operations: list[tuple[str, bytes | None]]  # (relative path, raw override), for a rule that reads them all
    events: list[Document] = field(default_factory=list)  # configuration-like: keyed with county and policy


def start_checker(setup: CheckSetup, stations: dict[str, Document] | None = None) -> None:
    """Worker initialiser for the check stage: one context, built once per worker. `stations` is
    where the station documents are decoded to (in this process, the caller can use them again)."""
    _tune_worker()
    set_language(setup.language)
    state = _Worker(setup.root, SchemaSet.load(setup.root, trusted=lambda _: True))
    if stations is not None:
        state.stations = stations
    state.ctx = make_context(setup, state.schemas, state.stations)
    _STATE[:] = [state]


def make_context(
    setup: CheckSetup,
    schemas: SchemaSet,
    stations: dict[str, Document],
    operations: Callable[[], list[Document]] | None = None,
    where: Callable[[str], Positions] | None = None,
) -> TrackedContext:
    """The rules' context; the station documents are decoded (into `stations`) on first use. `where`
    says how to fetch a station's positions that did not come with the setup."""
    from yjstation.checking.tracking import TrackedContext

    def station_documents() -> list[Document]:
        for rel, blob, raw, known in setup.stations:
            if rel not in stations:
                stations[rel] = detached(rel, setup.root, blob, raw, known or (where(rel) if where else None))
        return [doc for doc in stations.values() if isinstance(doc.data, dict)]

    def data(doc: Document | None) -> dict[str, Any]:
        return doc.data if doc is not None and isinstance(doc.data, dict) else {}

    ctx = TrackedContext(
        as_of=setup.as_of,
        schemas=schemas,
        county=data(setup.county_doc),
        policy={kind: data(doc) for kind, doc in setup.policy_docs.items()},
        policy_docs=dict(setup.policy_docs),
        county_doc=setup.county_doc,
        events=[doc for doc in setup.events if isinstance(doc.data, dict)],
    )

    def operation_documents() -> list[Document]:
        docs = (
            load_file(setup.root / rel, rel) if raw is None else load_bytes(raw, setup.root / rel, rel)
            for rel, raw in setup.operations
        )
        return [doc for doc in docs if isinstance(doc.data, dict)]

    pending = {"stations": station_documents, "operations": operations or operation_documents}
    return ctx.track(pending)


@cache
def rules_for(scope: str) -> tuple[Rule, ...]:
    """The registered rules of one scope (`station`, `operations` or `repository`), in catalogue order."""
    from yjstation.checking.rules import RULES

    return tuple(rule for rule in RULES if rule.scope == scope)


def check(doc: Document, kind: str, ctx: TrackedContext, schemas: SchemaSet) -> tuple[list[Diagnostic], str]:
    """The per-file rules of one file, and the volatile inputs they read."""
    ctx.reset()
    found: list[Diagnostic] = []
    if isinstance(doc.data, dict):
        for rule in rules_for(kind):
            found += run_rule(rule, doc, ctx, schemas)
    from yjstation.checking.tracking import volatile

    reads = ctx.reset()
    ctx.fee_rows.pop(doc.file, None)  # scratch space of this file's rules: let it go
    return found, volatile(reads)


@dataclass(frozen=True)
class Checked:
    """A check-stage result; `parsed` is set when the file was parsed in this stage too."""

    rel: str
    parsed: Parsed | None
    found: list[Diagnostic]
    reads: str


# A check task: (relative path, kind, raw override, encoded data from the cache or None to parse).
CheckTask = tuple[str, str, bytes | None, bytes | None]


def check_chunk(tasks: list[CheckTask]) -> list[Checked]:
    state = _state()
    assert state.ctx is not None
    out = []
    for rel, kind, raw, blob in tasks:
        fresh = None
        if kind == "station" and blob is None:
            state.ctx.stations  # noqa: B018  (decodes the station documents on first use)
            doc = state.stations[rel]
        elif blob is not None:
            doc = detached(rel, state.root, blob, raw)
        else:
            raw_now = raw if raw is not None else read(os.path.join(state.root, rel))
            doc, found = parse(rel, raw_now, state.root, state.schemas)
            fresh = parsed(rel, raw_now, doc, found)
        found_now, reads = check(doc, kind, state.ctx, state.schemas)
        out.append(Checked(rel, fresh, found_now, reads))
    return out
