"""A content-hash cache of per-file results, so an unchanged file costs a read and a hash.

Each data file has one row, in two layers:

- **parsed**: the loader's and the schema's findings and the loaded data, valid while the file's bytes,
  its kind's schema and yjstation itself (its version and the hash of its source code) are unchanged;
- **checked**: the per-file rules' findings, valid while the parsed layer is, and the county and policy
  files and every schema are unchanged, and so is each other input those rules actually read while
  checking the file (`--as-of`, the station files, the operations files: see `yjstation.engine`).

The repository-wide rules' findings are kept the same way under one key. Nothing is ever trusted
beyond its key: a finding can only be skipped when every input that produced it is byte-for-byte the
one it came from. The store is SQLite (in the standard library; rows are read one at a time, so a
warm run's memory does not grow with the number of files), under `.yjstation-cache/` at the root of the
data repository, with a `.gitignore` so git never offers it for a commit. A cache that cannot be opened
or written is simply not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import yjstation

CACHE_DIR = ".yjstation-cache"
_DB = "v1.sqlite3"
_TABLES = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    parsed_key BLOB NOT NULL,
    found BLOB,            -- pickled loader and schema diagnostics; NULL when there are none
    data BLOB NOT NULL,    -- pickled (data, encoding)
    checked_key BLOB,
    checked_reads TEXT,
    checked BLOB           -- pickled per-file rule diagnostics; NULL when there are none
);
CREATE TABLE IF NOT EXISTS scopes (name TEXT PRIMARY KEY, key BLOB NOT NULL, reads TEXT NOT NULL, value BLOB);
CREATE TABLE IF NOT EXISTS trusted (digest BLOB PRIMARY KEY);
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


def tool_fingerprint() -> bytes:
    """yjstation's version and the hash of its own source files: a changed rule, even without a new
    version number (a development checkout), never reuses findings of the old one."""
    if not _TOOL:
        package = Path(yjstation.__file__).resolve().parent
        parts: list[bytes | str] = [yjstation.__version__]
        for path in sorted(package.rglob("*.py")):
            parts += [path.relative_to(package).as_posix(), path.read_bytes()]
        _TOOL.append(digest(*parts))
    return _TOOL[0]


class Row(NamedTuple):
    """What the cache holds about one file, without its payloads (fetched only when needed)."""

    parsed_key: bytes
    has_found: bool
    checked_key: bytes | None
    checked_reads: str | None
    has_checked: bool


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
        query = "SELECT path, parsed_key, found IS NOT NULL, checked_key, checked_reads, checked IS NOT NULL FROM files"
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

    def checked(self, path: str) -> bytes | None:
        value = self._one("SELECT checked FROM files WHERE path = ?", path)
        return value if isinstance(value, bytes) else None

    def scope(self, name: str) -> tuple[bytes, str, bytes | None] | None:
        try:
            row = self.db.execute("SELECT key, reads, value FROM scopes WHERE name = ?", (name,)).fetchone()
        except sqlite3.Error:
            return None
        return (row[0], row[1], row[2]) if row else None

    def is_trusted(self, schema_digest: bytes) -> bool:
        return self._one("SELECT digest FROM trusted WHERE digest = ?", schema_digest) is not None

    # Writes are batched into transactions; a write that fails (disk full, locked too long) is dropped:
    # the next run simply finds less in the cache.

    def put_parsed(self, path: str, parsed_key: bytes, found: bytes | None, data: bytes) -> None:
        self._write(
            "INSERT OR REPLACE INTO files (path, parsed_key, found, data) VALUES (?, ?, ?, ?)",
            (path, parsed_key, found, data),
        )

    def put_checked(self, path: str, checked_key: bytes, reads: str, checked: bytes | None) -> None:
        self._write(
            "UPDATE files SET checked_key = ?, checked_reads = ?, checked = ? WHERE path = ?",
            (checked_key, reads, checked, path),
        )

    def put_scope(self, name: str, key: bytes, reads: str, value: bytes | None) -> None:
        self._write("INSERT OR REPLACE INTO scopes VALUES (?, ?, ?, ?)", (name, key, reads, value))

    def trust(self, schema_digest: bytes) -> None:
        self._write("INSERT OR IGNORE INTO trusted VALUES (?)", (schema_digest,))

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
