"""A content-hash cache of per-file results, so an unchanged file costs a read and a hash.

Each data file has one row, in two layers:

- **parsed**: the loader's and the schema's findings and the loaded data, valid while the file's bytes,
  its kind's schema and yjstation itself (its version and the hash of its source code) are unchanged;
- **checked**: the per-file rules' findings, valid while the parsed layer is, and the county and policy
  files and every schema are unchanged, and so is each other input those rules actually read while
  checking the file (`--as-of`, the station files, the operations files: see `yjstation.checking.engine`).

The repository-wide rules' findings are kept the same way under one key. The tool's key covers
yjstation's own source and the versions of the libraries whose verdicts are stored (python-stdnum
checks ID numbers, jsonschema the schemas, libyaml parses), so an upgrade never replays an old verdict.

The cache holds plain data only: JSON for the loaded data (decimals tagged, so money stays exact) and
for findings. A repository received from someone else, cache folder included, can at worst make a run
slower, never run code: a row that does not decode is a miss. Nothing is ever trusted
beyond its key: a finding can only be skipped when every input that produced it is byte-for-byte the
one it came from. The store is SQLite (in the standard library; rows are read one at a time, so a
warm run's memory does not grow with the number of files), under `.yjstation-cache/` at the root of the
data repository, with a `.gitignore` so git never offers it for a commit. A cache that cannot be opened
or written is simply not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import sys
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import yjstation
from yjstation.foundation.diagnostics import Diagnostic, Severity

CACHE_DIR = ".yjstation-cache"
_DB = "v3.sqlite3"  # v1 held pickles, v2 no positions; a different file, so an old one is never read
_TABLES = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    parsed_key BLOB NOT NULL,
    found BLOB,            -- loader and schema diagnostics as JSON; NULL when there are none
    data BLOB NOT NULL,    -- [encoding, data] as JSON (see encode_data)
    positions BLOB,        -- the source map, encoded (loader.encode_positions); NULL when not kept
    ident TEXT,            -- a station file's id, as stations_by_id files it
    checked_key BLOB,
    checked_reads TEXT,
    checked BLOB           -- per-file rule diagnostics as JSON; NULL when there are none
);
CREATE TABLE IF NOT EXISTS scopes (name TEXT PRIMARY KEY, key BLOB NOT NULL, reads TEXT NOT NULL, value BLOB);
CREATE TABLE IF NOT EXISTS trusted (digest BLOB PRIMARY KEY);
CREATE TABLE IF NOT EXISTS formatted (path TEXT PRIMARY KEY, key BLOB NOT NULL);  -- seen canonical by fmt
"""
_BATCH = 2000  # rows per transaction: bounds memory, and how long another run waits for the lock


def digest(*parts: bytes | str) -> bytes:
    """A 16-byte BLAKE2b digest of the parts (each length-prefixed, so parts cannot run together)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


_TOOL: list[bytes] = []
# Libraries whose verdicts end up in the cache: a new python-stdnum may judge an ID number differently.
VERDICT_LIBRARIES = ("python-stdnum", "jsonschema", "PyYAML", "ruamel.yaml")


def tool_fingerprint() -> bytes:
    """yjstation's version, the hash of its own source files and the versions of the libraries whose
    verdicts are cached: a changed rule, even without a new version number (a development checkout),
    or an upgraded library, never reuses findings of the old one."""
    if not _TOOL:
        package = Path(yjstation.__file__).resolve().parent
        parts: list[bytes | str] = [yjstation.__version__]
        for name in VERDICT_LIBRARIES:
            parts += [name, installed_version(name)]
        for path in sorted(package.rglob("*.py")):
            parts += [path.relative_to(package).as_posix(), path.read_bytes()]
        _TOOL.append(digest(*parts))
    return _TOOL[0]


def installed_version(name: str) -> str:
    """The installed version of a distribution, read from its metadata folder's name on sys.path (as
    importlib.metadata finds it, without importing importlib.metadata and the email package it needs,
    which cost a warm run more than its own work); importlib.metadata itself when the folder is not
    there to be seen (a zipped or unusual installation)."""
    wanted = _normalised(name)
    for entry in sys.path:
        for folder in _listing(entry):
            if folder.endswith((".dist-info", ".egg-info")):
                project, _, version = folder.rsplit(".", 1)[0].partition("-")
                if _normalised(project) == wanted and version:
                    return version
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


_LISTINGS: dict[str, list[str]] = {}


def _listing(entry: str) -> list[str]:
    if entry not in _LISTINGS:
        try:
            _LISTINGS[entry] = sorted(os.listdir(entry or "."))
        except OSError:
            _LISTINGS[entry] = []
    return _LISTINGS[entry]


# --- the stored values, as plain data ---------------------------------------------------------------


class Undecodable(Exception):
    """A stored value that is not what this version writes: treated as a cache miss."""


_DECIMAL = "\ue000"  # private-use characters: a decimal travels as the text "\ue000<digits>"...
_ESCAPE = "\ue001"  # ...and a text (or key) holding either is escaped, so only decimals begin that way
_ESCAPED = re.compile("\ue001(.)", re.DOTALL)
# A tagged decimal: in the ASCII JSON text, `"\ue000` can only open a JSON string whose first character
# is the tag (a quote inside a string is `\"`, a backslash `\\`), and no text holds the tag itself.
_TAGGED_NUMBER = re.compile(r'"\\ue000([-+0-9.E]+)"')


def encode_data(data: Any, encoding: str) -> bytes:
    """A loaded file's data as JSON, decimals as JSON numbers with a point or an exponent (which
    `decode_data` reads back as Decimal, exactly). The encoder cannot write a Decimal as a number, so
    it writes a tagged text that one substitution here turns into the number: the cost falls on the
    cold run that parses the file once, not on every run that reads it back."""
    # The encoder asks `_number` for each value it cannot write itself (the loader's decimals), so the
    # data is walked once, in C. Only when a text may hold a tag character (more tags in the output
    # than decimals handed over, or an escape) is it walked again in Python, escaping them. (What the
    # loader never makes, a float or a tuple, JSON writes as it would; the walk used to refuse them.)
    decimals: list[None] = []

    def _number(value: Any) -> str:
        decimals.append(None)
        return _tagged(value)

    text = json.dumps([encoding, data], ensure_ascii=True, separators=(",", ":"), default=_number)
    if text.count("\\ue000") != len(decimals) or "\\ue001" in text:
        text = json.dumps([encoding, _tag(data)], ensure_ascii=True, separators=(",", ":"))
    if "\\ue000" in text:
        text = _TAGGED_NUMBER.sub(r"\1", text)
    return text.encode("ascii")


def _text(value: str) -> str:
    if _DECIMAL not in value and _ESCAPE not in value:
        return value
    return _ESCAPE + value.replace(_ESCAPE, _ESCAPE + _ESCAPE).replace(_DECIMAL, _ESCAPE + "\ue002")


def _untext(value: str) -> str:
    return _ESCAPED.sub(lambda m: _DECIMAL if m[1] == "\ue002" else m[1], value[1:])


def _tag(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return _text(value)
    if kind is dict:
        return {_text(key): _tag(item) for key, item in value.items()}
    if kind is list:
        return [_tag(item) for item in value]
    if kind is Decimal:
        return _tagged(value)
    if value is None or kind in (bool, int):
        return value
    raise Undecodable(f"cannot store a {kind.__name__}")


def _tagged(value: Any) -> str:
    if type(value) is not Decimal:
        raise Undecodable(f"cannot store a {type(value).__name__}")
    if not value.is_finite():
        raise Undecodable("not a finite number")
    text = str(value)
    # "5" would come back as an int: keep a JSON float's form, which parses to the same Decimal
    return _DECIMAL + (text if any(c in text for c in ".E") else text + "E+0")


def decode_data(blob: bytes) -> tuple[Any, str]:
    """(data, encoding) from `encode_data`'s bytes; Undecodable when they are not its output."""
    try:
        if not blob.isascii():
            raise ValueError("not ASCII")
        encoding, data = json.loads(blob, parse_float=Decimal)
    except (ValueError, TypeError) as exc:
        raise Undecodable(str(exc)) from None
    if not isinstance(encoding, str):
        raise Undecodable("no encoding")
    if b"\\ue00" in blob:  # a tag left over, or an escaped text: the rare slow path
        data = _untag(data)
    return data, encoding


def _untag(value: Any) -> Any:
    if isinstance(value, str):
        if value[:1] == _ESCAPE:
            return _untext(value)
        if _DECIMAL in value:
            raise Undecodable("a malformed number")
        return value
    if isinstance(value, dict):
        return {_untag(key): _untag(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_untag(item) for item in value]
    return value


_FIELDS = ("code", "severity", "file", "line", "col", "path", "message", "hint", "label", "waived")


def encode_found(found: list[Diagnostic]) -> bytes | None:
    """Diagnostics as JSON rows (None for none, which the schema stores as NULL)."""
    if not found:
        return None
    rows = [[getattr(d, name) for name in _FIELDS] for d in found]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_found(blob: bytes | None) -> list[Diagnostic]:
    if not blob:
        return []
    try:
        rows = json.loads(blob)
        out = []
        for row in rows:
            code, severity, file, line, col, path, message, hint, label, waived = row
            if not (isinstance(line, int) and isinstance(col, int)):
                raise TypeError("position")
            texts = (code, file, path, message, hint, label, waived)
            if not all(isinstance(part, str) for part in texts):
                raise TypeError("text")
            out.append(Diagnostic(code, Severity(severity), file, line, col, path, message, hint, label, waived))
    except (ValueError, TypeError) as exc:
        raise Undecodable(str(exc)) from None
    return out


class Row(NamedTuple):
    """What the cache holds about one file, without its payloads (fetched only when needed)."""

    parsed_key: bytes
    has_found: bool
    checked_key: bytes | None
    checked_reads: str | None
    has_checked: bool
    ident: str | None


class Cache:
    """The cache of one data repository. Every method fails soft: a broken cache is an empty one."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection
        self.pending = 0

    @classmethod
    def open(cls, root: Path) -> Cache | None:
        folder = root / CACHE_DIR
        try:
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by yjstation validate; safe to delete.\n*\n", encoding="utf-8")
            return cls._connect(folder / _DB)
        except (OSError, sqlite3.Error):
            try:  # a corrupt or foreign file: start afresh
                (folder / _DB).unlink(missing_ok=True)
                return cls._connect(folder / _DB)
            except (OSError, sqlite3.Error):
                return None

    @classmethod
    def _connect(cls, path: Path) -> Cache:
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_TABLES)
        return cls(db)

    def rows(self) -> dict[str, Row]:
        query = (
            "SELECT path, parsed_key, found IS NOT NULL, checked_key, checked_reads, checked IS NOT NULL, ident "
            "FROM files"
        )
        try:
            return {row[0]: Row(*row[1:]) for row in self.db.execute(query)}
        except sqlite3.Error:
            return {}

    def _one(self, query: str, key: object) -> object:
        try:
            row = self.db.execute(query, (key,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def found(self, path: str) -> bytes | None:
        value = self._one("SELECT found FROM files WHERE path = ?", path)
        return value if isinstance(value, bytes) else None

    def data(self, path: str) -> bytes | None:
        value = self._one("SELECT data FROM files WHERE path = ?", path)
        return value if isinstance(value, bytes) else None

    def positions(self, path: str) -> bytes | None:
        value = self._one("SELECT positions FROM files WHERE path = ?", path)
        return value if isinstance(value, bytes) else None

    def checked(self, path: str) -> bytes | None:
        value = self._one("SELECT checked FROM files WHERE path = ?", path)
        return value if isinstance(value, bytes) else None

    def scope(self, name: str) -> tuple[bytes, str, bytes | None] | None:
        try:
            row = self.db.execute("SELECT key, reads, value FROM scopes WHERE name = ?", (name,)).fetchone()
        except sqlite3.Error:
            return None
        return (row[0], row[1], row[2]) if row else None

    def formatted(self) -> dict[str, bytes]:
        """The files `fmt` has seen in canonical form, with the key (tool, kind, schema, bytes) they had."""
        try:
            return {path: key for path, key in self.db.execute("SELECT path, key FROM formatted")}
        except sqlite3.Error:
            return {}

    def is_trusted(self, schema_digest: bytes) -> bool:
        return self._one("SELECT digest FROM trusted WHERE digest = ?", schema_digest) is not None

    # Writes are batched into transactions; a write that fails (disk full, locked too long) is dropped:
    # the next run simply finds less in the cache.

    def put_parsed(
        self,
        path: str,
        parsed_key: bytes,
        found: bytes | None,
        data: bytes,
        positions: bytes | None = None,
        ident: str | None = None,
    ) -> None:
        self._write(
            "INSERT OR REPLACE INTO files (path, parsed_key, found, data, positions, ident) VALUES (?, ?, ?, ?, ?, ?)",
            (path, parsed_key, found, data, positions, ident),
        )

    def put_checked(self, path: str, checked_key: bytes, reads: str, checked: bytes | None) -> None:
        self._write(
            "UPDATE files SET checked_key = ?, checked_reads = ?, checked = ? WHERE path = ?",
            (checked_key, reads, checked, path),
        )

    def put_scope(self, name: str, key: bytes, reads: str, value: bytes | None) -> None:
        self._write("INSERT OR REPLACE INTO scopes VALUES (?, ?, ?, ?)", (name, key, reads, value))

    def put_formatted(self, path: str, key: bytes) -> None:
        self._write("INSERT OR REPLACE INTO formatted VALUES (?, ?)", (path, key))

    def forget_formatted(self, paths: Iterable[str]) -> None:
        for path in paths:
            self._write("DELETE FROM formatted WHERE path = ?", (path,))

    def trust(self, schema_digest: bytes) -> None:
        self._write("INSERT OR IGNORE INTO trusted VALUES (?)", (schema_digest,))

    def clear(self) -> None:
        """Drop every stored row (rows that no longer decode were written by something else)."""
        self._rollback()
        for table in ("files", "scopes", "trusted", "formatted"):
            self._write(f"DELETE FROM {table}", ())
        self.commit()

    def forget(self, paths: Iterable[str]) -> None:
        for path in paths:
            self._write("DELETE FROM files WHERE path = ?", (path,))

    def _write(self, query: str, values: tuple[object, ...]) -> None:
        try:
            if self.pending == 0:
                self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(query, values)
            self.pending += 1
            if self.pending >= _BATCH:
                self.commit()
        except sqlite3.Error:
            self._rollback()

    def commit(self) -> None:
        if self.pending:
            try:
                self.db.execute("COMMIT")
            except sqlite3.Error:
                self._rollback()
            self.pending = 0

    def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.execute("ROLLBACK")
        self.pending = 0

    def close(self) -> None:
        self.commit()
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
