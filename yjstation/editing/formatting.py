"""`fmt`: one canonical form for every data file, keeping every comment.

Canonical means: keys in the order the schema lists them, two-space indentation, ID and phone numbers
as double-quoted text, dates as ISO `YYYY-MM-DD`, UTF-8 without BOM, LF line endings. A file that does
not parse is reported and left alone; a rewrite whose data would differ from the original anywhere
but the normalised values is refused, so formatting can never lose anything.

ruamel.yaml (the round trip) is imported only when a file needs it: `fmt --check` on files already
canonical never does (see `canonical`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

# What canonical means for identifiers and dates is defined beside the test that recognises it (see
# canonical); the names stay importable from here.
from yjstation.editing.canonical import QUOTED_KEYS as QUOTED_KEYS
from yjstation.editing.canonical import iso_date
from yjstation.foundation.diagnostics import Diagnostic, Severity
from yjstation.foundation.i18n import tr
from yjstation.foundation.sourcemap import DataPath
from yjstation.loading.loader import decode, load_text, read_regular, unreadable_reason
from yjstation.loading.schemas import Schema, SchemaSet

if TYPE_CHECKING:
    from yjstation.loading.roundtrip import Unreadable  # imports ruamel.yaml, which fmt loads only when needed

_iso_date = iso_date  # the name edits and the roster importer use


@dataclass
class Formatted:
    """The outcome for one file: its canonical bytes (None when it cannot be formatted) and why not."""

    file: str
    original: bytes
    result: bytes | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.result is not None and self.result != self.original


def format_bytes(raw: bytes, file: str, schema: Schema | None) -> Formatted:
    """The canonical form of one data file's bytes."""
    text, _, found = decode(raw, file)
    if text is None:
        return Formatted(file, raw, None, found)
    before = load_text(text, Path(file), file)
    errors = [d for d in before.diagnostics if d.severity is Severity.ERROR]
    if errors or not isinstance(before.data, dict):
        return Formatted(file, raw, None, found + before.diagnostics)
    from yjstation.loading import roundtrip

    try:
        document = roundtrip.load(text.replace("\r\n", "\n"))
    except roundtrip.Unreadable as exc:
        return Formatted(file, raw, None, [unreadable(file, exc)])
    normalised: list[DataPath] = []
    _canonicalise(document, schema, (), normalised)
    result = roundtrip.dump(document)
    lost = roundtrip.lost_comments(text, result)
    if lost:
        return Formatted(file, raw, None, [_comment_lost(file, *lost[0])])
    after = load_text(result, Path(file), file)
    if not _same_except(before.data, after.data, normalised):
        problem = Diagnostic(
            "FMT001",
            Severity.ERROR,
            file,
            1,
            1,
            "",
            tr("格式化后的数据与原文件不一致，已放弃改写", "formatting would change the data; the file was left alone"),
            tr("请把这个文件报告给 yjstation 的维护者", "please report this file to yjstation's maintainers"),
        )
        return Formatted(file, raw, None, [problem])
    return Formatted(file, raw, result.encode("utf-8"), found)


def unreadable(file: str, exc: Unreadable) -> Diagnostic:
    """What the round trip could not read in a file that libyaml did read: in practice a plain date
    that names no day, which validate reports too (SCH006) but which the round trip cannot carry."""
    if exc.day is not None:
        message = tr(
            "`{day}` 不是真实存在的日期，无法改写这个文件",
            "`{day}` is not a real date, so the file cannot be rewritten",
            day=exc.day,
        )
        hint = tr(
            "改成真实存在的日期 YYYY-MM-DD（如 2021-03-05）；本来就是文字的，加上引号",
            "write a real date as YYYY-MM-DD (e.g. 2021-03-05); if it is meant as text, put it in quotes",
        )
    else:
        message = tr(
            "无法读出这一处，无法改写这个文件：{problem}",
            "cannot read this place, so the file cannot be rewritten: {problem}",
            problem=exc.problem,
        )
        hint = tr(
            "先改正这一处（yjstation validate 会指出问题）",
            "correct it first (yjstation validate shows what is wrong)",
        )
    return Diagnostic("FMT003", Severity.ERROR, file, exc.line, exc.col, "", message, hint)


def _comment_lost(file: str, line: int, comment: str) -> Diagnostic:
    return Diagnostic(
        "FMT002",
        Severity.ERROR,
        file,
        line,
        1,
        "",
        tr(
            "格式化会丢掉第 {line} 行花括号或方括号里的注释“{comment}”，已放弃改写",
            "formatting would lose the comment “{comment}” inside braces or brackets on line {line}; the file was left alone",
            line=line,
            comment=comment,
        ),
        tr(
            "把注释移到括号外单独的一行，或把这个映射改成每项一行的写法",
            "move the comment out of the brackets onto a line of its own, or write the mapping one item per line",
        ),
    )


@dataclass
class FormatRun:
    """What `fmt` did to a set of files: those not yet canonical (rewritten unless only checked), those
    that cannot be formatted with why, and how many were looked at."""

    pending: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file, why it was not written)
    files: int = 0


def format_files(root: Path, files: list[str], schemas: SchemaSet, *, write: bool, cache: bool = True) -> FormatRun:
    """Bring `files` (data files relative to `root`) into canonical form; with `write` False only find
    those that are not. The rewritten files are written all or none, and only if unchanged since
    they were read.

    Most files are canonical already, and cheaply so: a file whose exact bytes `fmt` has seen in
    canonical form before (the cache under `.yjstation-cache/`, keyed like validate's by yjstation,
    the libraries, the file's kind and schema, and its bytes) is not looked at again, and one that
    `canonical.CanonicalTest` recognises needs no round trip through ruamel.yaml."""
    import hashlib

    from yjstation.checking.cache import Cache, digest, tool_fingerprint
    from yjstation.editing.canonical import CanonicalTest
    from yjstation.foundation.atomic import FileChanged, Snapshot, write_all
    from yjstation.loading.repository import data_files, kind_of

    store = Cache.open(root) if cache else None
    seen = store.formatted() if store is not None else {}
    prefixes: dict[str, bytes] = {}
    tests: dict[str, CanonicalTest] = {}

    def key(kind: str, raw: bytes) -> bytes:
        if kind not in prefixes:
            schema = schemas.by_kind.get(kind)
            prefixes[kind] = digest(tool_fingerprint(), "fmt", kind, schema.digest if schema else b"")
        return prefixes[kind] + hashlib.blake2b(raw, digest_size=16).digest()

    run = FormatRun()
    rewrites: dict[str, bytes] = {}
    based_on: dict[str, Snapshot] = {}
    try:
        for rel in files:
            kind = kind_of(rel)
            if kind is None:
                continue
            run.files += 1
            path = root / rel
            try:
                raw = read_regular(path)
            except OSError as exc:  # unreadable, a pipe, a link loop: reported, and the other files go on
                run.failures.append((rel, unreadable_reason(exc)))
                run.broken.append(rel)
                continue
            known = key(kind, raw) if store is not None else b""
            if store is not None and seen.get(rel) == known:
                continue
            schema = schemas.by_kind.get(kind)
            test = tests.get(kind) or tests.setdefault(kind, CanonicalTest(schema))
            result = None if test(raw) else format_bytes(raw, rel, schema)
            if result is not None:
                run.diagnostics += [d for d in result.diagnostics if d.severity is Severity.ERROR]
                if result.result is None:
                    run.broken.append(rel)
                    continue
                if result.changed:
                    run.pending.append(rel)
                    rewrites[rel] = result.result
                    based_on[rel] = Snapshot(path, hashlib.sha256(raw).hexdigest())
                    continue
            if store is not None:
                store.put_formatted(rel, known)
        if store is not None and set(files) >= set(data_files(root)):
            store.forget_formatted(set(seen) - set(files))
        if write and rewrites:
            try:
                write_all(root, rewrites, based_on)
            except FileChanged as exc:
                run.failures.append(("", str(exc)))
                run.broken += run.pending
            else:
                run.written = list(run.pending)
                if store is not None:
                    for rel, raw in rewrites.items():
                        store.put_formatted(rel, key(kind_of(rel) or "", raw))
    finally:
        if store is not None:
            store.close()
    return run


def _canonicalise(node: Any, schema: Schema | None, path: DataPath, normalised: list[DataPath]) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(node, CommentedMap):
        if schema is not None:
            _reorder(node, list((schema.resolve(path) or {}).get("properties", {})))
        for key in list(node):
            child = (*path, str(key))
            value = node[key]
            if key in QUOTED_KEYS and isinstance(value, (str, int)) and not isinstance(value, bool):
                if not isinstance(value, DoubleQuotedScalarString):
                    node[key] = DoubleQuotedScalarString(_as_written(value))
                    normalised.append(child)
            elif isinstance(value, str) and schema is not None and _is_date_field(schema, child):
                fixed = _iso_date(value)
                if fixed is not None and fixed.isoformat() != value:
                    node[key] = fixed
                    normalised.append(child)
            elif isinstance(value, str) and schema is not None and value in (titles := _titles(schema, child)):
                node[key] = titles[value]  # 已办结 -> closed: the code the schema asks for
                normalised.append(child)
            else:
                _canonicalise(value, schema, child, normalised)
    elif isinstance(node, CommentedSeq):
        for index, item in enumerate(node):
            _canonicalise(item, schema, (*path, index), normalised)


def _as_written(value: str | int) -> str:
    """A number as it was typed: an unquoted 06928881235 is the integer 6928881235 to YAML, and quoting
    that would lose the leading zero; ruamel.yaml remembers the width it was written with."""
    text = str(value)
    width = getattr(value, "_width", None)
    if isinstance(value, int) and value >= 0 and isinstance(width, int) and len(text) < width:
        return text.zfill(width)
    return text


def _reorder(node: Any, order: list[str]) -> None:
    """Keys the schema knows, in its order; then any others in their original order. Comments are
    attached to their keys, so they move with them."""
    known = [k for k in order if k in node]
    if list(node)[: len(known)] == known:
        return
    for key in known + [k for k in list(node) if k not in order]:
        node.move_to_end(key)


def _titles(schema: Schema, path: DataPath) -> dict[str, Any]:
    """An enum field's Chinese titles -> codes (empty for any other field)."""
    return {title: code for code, title in schema.choices(path).items() if title and isinstance(code, str)}


def _is_date_field(schema: Schema, path: DataPath) -> bool:
    node = schema.resolve(path) or {}
    return node.get("format") == "date"


def _same_except(before: Any, after: Any, changed: list[DataPath], path: DataPath = ()) -> bool:
    if path in changed:
        return True
    if isinstance(before, dict) and isinstance(after, dict):
        return before.keys() == after.keys() and all(
            _same_except(before[k], after[k], changed, (*path, k)) for k in before
        )
    if isinstance(before, list) and isinstance(after, list):
        return len(before) == len(after) and all(
            _same_except(b, a, changed, (*path, i)) for i, (b, a) in enumerate(zip(before, after, strict=True))
        )
    return bool(before == after and type(before) is type(after))
