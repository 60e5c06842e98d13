"""Read one YAML data file into plain Python data plus a source map, turning bad input into diagnostics.

The file is decoded (UTF-8, a UTF-8 BOM accepted, GB18030/GBK accepted with a warning), composed into
YAML nodes, and walked once to build both the data and the positions. Walking the nodes ourselves lets
us report duplicate keys with both lines, bound alias expansion, and normalise scalars in one place:
dates stay ISO strings (so the schemas' `format: date` applies), floats become `Decimal` (no float ever
touches a yuan), and no later stage ever sees a parser's types.

Composing is done by libyaml (through PyYAML's C parser) with ruamel.yaml's YAML 1.2 resolution rules:
nodes carry their line and column, so positions cost nothing, and it is about twenty times faster than
the pure-Python round-trip parser. Only a file libyaml rejects is parsed again by ruamel.yaml, whose
error messages and marks the syntax diagnostics are written for.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import re
import stat
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import yaml as libyaml

from yjstation.foundation.diagnostics import Code, Diagnostic, Severity, format_path
from yjstation.foundation.i18n import pick, tr
from yjstation.foundation.records import LARGEST
from yjstation.foundation.sourcemap import DataPath, SourceMap

if TYPE_CHECKING:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

MAX_BYTES = 1024 * 1024  # a station file is a few KB; anything near this is a mistake, not data
MAX_NODES = 100_000  # bounds alias expansion ("billion laughs") and pathological files
MAX_DEPTH = 64

SYNTAX = Code(
    "YAML001",
    Severity.ERROR,
    "YAML 语法错误",
    "数据文件须为合法的 YAML",
    "检查该处的缩进、冒号后的空格、引号和括号是否成对",
)
DUPLICATE_KEY = Code(
    "YAML002",
    Severity.ERROR,
    "同一层级出现重复的键",
    "数据文件须为合法的 YAML",
    "删除或合并重复的键；YAML 只会保留其中一个值",
)
LEGACY_ENCODING = Code(
    "YAML003",
    Severity.WARNING,
    "文件不是 UTF-8 编码（按 GB18030/GBK 读取）",
    "约定：数据文件为 UTF-8 编码",
    "用编辑器另存为 UTF-8，或运行 yjstation fmt 自动转换",
)
UNDECODABLE = Code(
    "YAML004",
    Severity.ERROR,
    "文件含有无法解码的字节",
    "约定：数据文件为 UTF-8 编码",
    "用编辑器以 UTF-8 编码重新保存该文件",
)
EMPTY = Code("YAML005", Severity.ERROR, "文件为空", "每个数据文件须有内容", "填写内容，或删除这个空文件")
NOT_MAPPING = Code(
    "YAML006",
    Severity.ERROR,
    "文件顶层不是“键: 值”映射",
    "数据文件的顶层须为映射",
    "顶层应是 `键: 值` 的形式，而不是列表或单个值",
)
TOO_LARGE = Code(
    "YAML007",
    Severity.ERROR,
    "文件过大",
    "每个站点、每个月一个小文件",
    "拆分文件：一个站点一个文件，每个站点每月一个运营记录",
)
TOO_COMPLEX = Code(
    "YAML008",
    Severity.ERROR,
    "锚点/别名展开过多、循环引用或嵌套过深",
    "数据文件须为合法的 YAML",
    "不要用 `&锚点` / `*别名` 复制大段内容，直接写出数据",
)
UNSUPPORTED = Code(
    "YAML009",
    Severity.ERROR,
    "不支持的 YAML 写法",
    "数据文件须为合法的 YAML",
    "去掉自定义标签（!xxx）、.inf/.nan 或复杂键，改为普通的文本或数字",
)
UNREADABLE = Code(
    "FILE002",
    Severity.ERROR,
    "无法读取：不是普通文件、没有读取权限或是循环链接",
    "数据约定：数据仓库的目录结构",
    "数据文件须是可读的普通 YAML 文件：删除管道、设备或断开的链接，或修正文件权限",
)

LOADER_CODES: tuple[Code, ...] = (
    SYNTAX,
    DUPLICATE_KEY,
    LEGACY_ENCODING,
    UNDECODABLE,
    EMPTY,
    NOT_MAPPING,
    TOO_LARGE,
    TOO_COMPLEX,
    UNSUPPORTED,
    UNREADABLE,
)

_UTF16_32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_INT_DECIMAL = re.compile(r"[-+]?[0-9_]+")
_FLOAT_SPECIAL = re.compile(r"[-+]?\.(inf|Inf|INF|nan|NaN|NAN)")
T = "tag:yaml.org,2002:"
Node = Any  # a composed node of either parser: both have .id, .tag, .value and .start_mark


class _Yaml12Loader(getattr(libyaml, "CSafeLoader", libyaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's composer with YAML 1.2 implicit types, so `yes` stays text and both parsers resolve
    every plain scalar alike (the table is ruamel.yaml's: see YAML12_RESOLVERS)."""

    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}

    # The composer asks for the tag of every node. With no path resolvers (none is ever added) a plain
    # scalar's tag depends on its text alone, and the same keys and values recur in every file, so the
    # answers are remembered rather than matched against the patterns again: a third of composing.
    # Bounded, so a stream of unique values cannot grow it.
    _tags: ClassVar[dict[str, str]] = {}
    _TAGS_KEPT = 50_000

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is libyaml.ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            tag = self._tags.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(self._tags) < self._TAGS_KEPT:
                    self._tags[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


# ruamel.yaml's YAML 1.2 implicit resolvers (tag, pattern, first characters), copied so that loading a
# valid file never imports ruamel.yaml, a pure-Python package that costs more to import than most files
# cost to parse. tests/test_performance.py checks the copy against ruamel.yaml's own table.
YAML12_RESOLVERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("tag:yaml.org,2002:bool", "^(?:true|True|TRUE|false|False|FALSE)$", ("t", "T", "f", "F")),
    (
        "tag:yaml.org,2002:float",
        "^(?:\n         [-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?\n        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)\n        |[-+]?\\.[0-9_]+(?:[eE][-+][0-9]+)?\n        |[-+]?\\.(?:inf|Inf|INF)\n        |\\.(?:nan|NaN|NAN))$",
        ("-", "+", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "."),
    ),
    (
        "tag:yaml.org,2002:int",
        "^(?:[-+]?0b[0-1_]+\n        |[-+]?0o?[0-7_]+\n        |[-+]?[0-9_]+\n        |[-+]?0x[0-9a-fA-F_]+)$",
        ("-", "+", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
    ),
    ("tag:yaml.org,2002:merge", "^(?:<<)$", ("<",)),
    ("tag:yaml.org,2002:null", "^(?: ~\n        |null|Null|NULL\n        | )$", ("~", "n", "N", "")),
    (
        "tag:yaml.org,2002:timestamp",
        "^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]\n        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?\n        (?:[Tt]|[ \\t]+)[0-9][0-9]?\n        :[0-9][0-9] :[0-9][0-9] (?:\\.[0-9]*)?\n        (?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
        ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
    ),
    ("tag:yaml.org,2002:value", "^(?:=)$", ("=",)),
    ("tag:yaml.org,2002:yaml", "^(?:!|&|\\*)$", ("!", "&", "*")),
)


for _tag, _pattern, _first in YAML12_RESOLVERS:
    _Yaml12Loader.add_implicit_resolver(_tag, re.compile(_pattern, re.X), list(_first))


def _too_deep(text: str) -> tuple[int, int] | None:
    """Where the text first nests deeper than MAX_DEPTH (1-based line and column), checked before
    composing: libyaml's composer recurses in C and a file of a few thousand `[` overflows its stack.

    A bound from counts comes first and settles almost every file: nesting can only come from flow
    brackets, from deeper indentation on a new line, or from `- `, `? ` and `: ` on one line. Only a
    file whose bound passes the limit is walked by libyaml's parser, which is iterative, and that walk
    stops at the first event past the limit, so a pathological file costs milliseconds."""
    # Comprehensions, not a generator inside max(): this runs for every file, valid or not, and resuming
    # a generator per line cost more than the counting.
    lines = text.split("\n")
    indents = len({len(line) - len(line.lstrip(" ")) for line in lines if line.strip()})
    same_line = max(
        [
            line.count("- ") + line.count("? ") + line.count(": ") + line.rstrip().endswith(("-", "?", ":"))
            for line in lines
        ],
        default=0,
    )
    if indents + same_line + text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    try:
        for event in libyaml.parse(text, Loader=_Yaml12Loader):
            kind = type(event)
            if kind is libyaml.MappingStartEvent or kind is libyaml.SequenceStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1, event.start_mark.column + 1
            elif kind is libyaml.MappingEndEvent or kind is libyaml.SequenceEndEvent:
                depth -= 1
    except libyaml.YAMLError:
        return None  # a syntax error before the limit: composing stops there too, and explains it
    return None


def _compose(text: str) -> list[Node]:
    """All documents of `text`, composed by libyaml; a text libyaml rejects goes to ruamel.yaml, which
    either composes it too or raises the error the diagnostics explain. Where ruamel.yaml fails in a
    way of its own (an assertion on `%YAML 1.3`, say) libyaml's error is the one to explain."""
    try:
        return list(libyaml.compose_all(text, Loader=_Yaml12Loader))
    except (libyaml.YAMLError, RecursionError) as rejected:
        from ruamel.yaml import YAML  # only a file libyaml rejects needs ruamel.yaml: import it then
        from ruamel.yaml.error import YAMLError

        try:
            return list(YAML(typ="rt").compose_all(io.StringIO(text)))
        except (YAMLError, RecursionError):
            raise
        except Exception:
            if isinstance(rejected, RecursionError):
                raise
            raise rejected from None


def _explain(exc: Exception, text: str, file: str) -> Diagnostic:
    """The diagnostic for either parser's error (ruamel.yaml is imported already if it raised); anything
    else is not a syntax error and goes on up."""
    if isinstance(exc, libyaml.MarkedYAMLError):
        return _syntax_diagnostic(exc, file)
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if isinstance(exc, MarkedYAMLError):
        return _syntax_diagnostic(exc, file)
    if isinstance(exc, YAMLError):  # reader errors (control characters) carry a position of their own
        return _reader_diagnostic(exc, text, file)
    raise exc


@dataclass
class Document:
    """One data file as loaded: its data (None when it could not be read), positions and findings."""

    file: str
    path: Path
    data: Any
    source: SourceMap
    diagnostics: list[Diagnostic] = field(default_factory=list)
    encoding: str = "utf-8"

    def position(self, path: DataPath) -> tuple[int, int]:
        return self.source.locate(path)


Positions = bytes | Callable[[], bytes | None] | None  # encoded positions, or how to fetch them


@dataclass
class DetachedDocument(Document):
    """A document whose data came from elsewhere (a worker process, the cache) without its source map.
    The map is rebuilt the first time a finding needs a line (which clean files never do): from
    `positions` (see `encode_positions`) when they came along, else by reading the file again.
    `raw` is the content when it is not the file on disk (an edit being validated)."""

    raw: bytes | None = None
    positions: Positions = None

    def position(self, path: DataPath) -> tuple[int, int]:
        if not self.source.keys:
            encoded = self.positions() if callable(self.positions) else self.positions
            source = decode_positions(self.data, encoded) if encoded else None
            if source is None:
                try:
                    raw = self.raw if self.raw is not None else self.path.read_bytes()
                except OSError:
                    return (1, 1)
                source = load_bytes(raw, self.path, self.file).source
            self.source = source
        return self.source.locate(path)


# A source map travels as a flat array of (key line, key column, value line, value column) per value, in
# the order the walker met them; that order is the data's own pre-order (mappings keep the file's key
# order), so the paths need not be stored: walking the data gives them back.


def encode_positions(source: SourceMap) -> bytes:
    """A document's source map in a few bytes per value, for the cache and the worker processes."""
    if len(source.keys) != len(source.values):
        return b""
    pairs = zip(source.keys.values(), source.values.values(), strict=True)
    try:
        return array("I", chain.from_iterable(key + value for key, value in pairs)).tobytes()
    except OverflowError:
        return b""


def decode_positions(data: Any, encoded: bytes) -> SourceMap | None:
    """The source map of `data` from `encode_positions`; None when they do not belong together."""
    numbers = array("I")
    try:
        numbers.frombytes(encoded)
    except ValueError:
        return None
    paths: list[DataPath] = []
    _preorder(data, (), paths)
    if 4 * len(paths) != len(numbers):
        return None
    source = SourceMap()
    keys, values = source.keys, source.values
    each = iter(numbers)  # (key line, key column, value line, value column) per path, in order
    for path, key_line, key_col, value_line, value_col in zip(paths, each, each, each, each, strict=True):
        keys[path] = (key_line, key_col)
        values[path] = (value_line, value_col)
    return source


def _preorder(value: Any, path: DataPath, out: list[DataPath]) -> None:
    """Every path in `value`, parents before children (appended to `out`: a plain recursion, not
    nested generators, which cost a frame per level per value)."""
    out.append(path)
    if isinstance(value, dict):
        for key, item in value.items():
            _preorder(item, (*path, key), out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _preorder(item, (*path, index), out)


def load_file(path: Path, file: str) -> Document:
    """Read and parse `path`; `file` is the name diagnostics use (relative to the repository root)."""
    try:
        raw = read_regular(path)
    except OSError as exc:
        return _failed(path, file, UNREADABLE.at(file, 0, 0, "", unreadable_reason(exc)))
    if len(raw) > MAX_BYTES:
        return _too_large(path, file, os.stat(path).st_size)
    return load_bytes(raw, path, file)


class NotRegularFile(OSError):
    """A path that is a pipe, a device, a socket or a folder where a data file is expected."""


def read_regular(path: Path | str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, at most `limit` + 1 of them (so a caller can tell "too large").

    Opened without blocking and checked before reading: a named pipe would wait for a writer forever
    and a link to /dev/zero would never end. Links to regular files are followed; a link loop, an
    unreadable file and anything not a regular file raise OSError (NotRegularFile for the last)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(errno.EINVAL, _kind_of_file(mode), str(path))
        parts, size = [], 0
        while size <= limit:
            part = os.read(fd, limit + 1 - size)
            if not part:
                break
            parts.append(part)
            size += len(part)
        return b"".join(parts)
    finally:
        os.close(fd)


def unreadable_reason(exc: OSError) -> str:
    """Why a data file cannot be read, for its finding."""
    if isinstance(exc, NotRegularFile):
        return tr(
            "不是普通文件，而是{kind}；数据文件只能是普通的 YAML 文件",
            "not a regular file but {kind_en}; a data file must be a plain YAML file",
            kind=exc.strerror,
            kind_en=_KINDS_EN.get(exc.strerror or "", "something else"),
        )
    if exc.errno == errno.ELOOP:
        return tr("符号链接指向自身（循环链接）", "a symbolic link that loops back on itself")
    if exc.errno == errno.ENOENT:
        return tr("符号链接指向不存在的文件", "a symbolic link to a file that does not exist")
    return tr("无法读取文件：{why}", "cannot read the file: {why}", why=exc.strerror or exc)


_KINDS_EN = {"命名管道": "a named pipe", "设备文件": "a device", "套接字": "a socket", "文件夹": "a folder"}


def _kind_of_file(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "命名管道"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "文件夹" if stat.S_ISDIR(mode) else "特殊文件"


def _too_large(path: Path, file: str, size: int) -> Document:
    message = tr(
        "文件大小 {size:,} 字节，超过上限 {limit:,} 字节",
        "the file has {size:,} bytes, over the limit of {limit:,}",
        size=size,
        limit=MAX_BYTES,
    )
    return _failed(path, file, TOO_LARGE.at(file, 0, 0, "", message))


def load_bytes(raw: bytes, path: Path, file: str) -> Document:
    """Parse already-read bytes; never raises on bad input."""
    if len(raw) > MAX_BYTES:
        return _too_large(path, file, len(raw))
    text, encoding, found = decode(raw, file)
    if text is None:
        return _failed(path, file, *found)
    doc = load_text(text, path, file)
    doc.diagnostics[:0] = found
    doc.encoding = encoding
    return doc


def decode(raw: bytes, file: str) -> tuple[str | None, str, list[Diagnostic]]:
    """Decode file bytes: UTF-8 (BOM accepted), else GB18030 with a warning, else an error."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith(_UTF16_32_BOMS):
        return (
            None,
            "utf-16",
            [
                UNDECODABLE.at(
                    file,
                    1,
                    1,
                    "",
                    tr("文件是 UTF-16/UTF-32 编码，不受支持", "UTF-16/UTF-32 files are not supported"),
                    hint=tr("用编辑器另存为“UTF-8（无 BOM）”", "save it as UTF-8 without BOM"),
                )
            ],
        )
    try:
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as utf8_error:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            line, col = _byte_position(raw, utf8_error.start)
            bad = raw[utf8_error.start : utf8_error.start + 4].hex(" ")
            return (
                None,
                "unknown",
                [
                    UNDECODABLE.at(
                        file,
                        line,
                        col,
                        "",
                        tr(
                            "第 {line} 行第 {col} 列的字节（{bad}）既不是 UTF-8 也不是 GB18030/GBK 编码",
                            "the bytes at line {line}, column {col} ({bad}) are neither UTF-8 nor GB18030/GBK",
                            line=line,
                            col=col,
                            bad=bad,
                        ),
                    )
                ],
            )
        line, col = _byte_position(raw, utf8_error.start)
        return (
            text,
            "gb18030",
            [
                LEGACY_ENCODING.at(
                    file,
                    line,
                    col,
                    "",
                    tr(
                        "文件不是 UTF-8 编码，已按 GB18030（兼容 GBK）读取；提交前请转换为 UTF-8",
                        "the file is not UTF-8; read as GB18030 (a superset of GBK); convert it to UTF-8 before committing",
                    ),
                )
            ],
        )


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    col = len(before) - (before.rfind(b"\n") + 1) + 1
    return line, col


def load_text(text: str, path: Path, file: str) -> Document:
    """Compose and walk YAML text into a Document."""
    source = SourceMap()
    diagnostics: list[Diagnostic] = []
    deep = _too_deep(text)
    if deep is not None:
        message = tr("嵌套超过 {limit} 层", "nested deeper than {limit} levels", limit=MAX_DEPTH)
        return _failed(path, file, TOO_COMPLEX.at(file, deep[0], deep[1], "", message))
    try:
        nodes = _compose(text)
    except RecursionError:
        return _failed(
            path, file, TOO_COMPLEX.at(file, 1, 1, "", tr("嵌套层级过深，无法解析", "nested too deeply to parse"))
        )
    except Exception as exc:  # ruamel.yaml's errors, told apart without importing it up front
        return _failed(path, file, _explain(exc, text, file))
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        return _failed(
            path,
            file,
            EMPTY.at(
                file,
                1,
                1,
                "",
                tr("文件没有任何数据（为空或只有注释）", "the file holds no data (empty or only comments)"),
            ),
        )
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        return _failed(
            path,
            file,
            SYNTAX.at(
                file,
                mark.line + 1,
                mark.column + 1,
                "",
                tr(
                    "一个文件只能有一个 YAML 文档（发现多余的 `---`）",
                    "one YAML document per file (found another `---`)",
                ),
                hint=tr(
                    "删除第二个 `---` 及其后的内容，或拆成单独的文件",
                    "delete the second `---` and what follows, or split the file",
                ),
            ),
        )
    root = nodes[0]
    if root.id != "mapping":
        mark = root.start_mark
        return _failed(
            path,
            file,
            NOT_MAPPING.at(
                file,
                mark.line + 1,
                mark.column + 1,
                "",
                tr(
                    "文件顶层是{kind}，应为“键: 值”映射",
                    "the top level is {kind_en}, not a `key: value` mapping",
                    kind=_kind(root),
                    kind_en="a list" if root.id == "sequence" else "a single value",
                ),
            ),
        )
    walker = _Walker(file, source, diagnostics)
    source.keys[()] = (root.start_mark.line + 1, root.start_mark.column + 1)
    try:
        data = walker.build(root, (), 0)
    except _TooComplex as exc:
        return _failed(path, file, TOO_COMPLEX.at(file, exc.line, exc.col, "", exc.message))
    return Document(file, path, data, source, diagnostics)


def _failed(path: Path, file: str, *found: Diagnostic) -> Document:
    return Document(file, path, None, SourceMap(), list(found))


# The parser's English is precise but not what an operator reads; these name the usual causes.
_EXPLAINED = (
    ("flow sequence", "方括号 `[` 没有闭合", "a `[` is not closed"),
    ("flow mapping", "花括号 `{` 没有闭合", "a `{` is not closed"),
    ("quoted scalar", "引号没有闭合", "a quote is not closed"),
    (
        "mapping values are not allowed",
        "此处不能出现 `键: 值`（冒号后缺空格、缩进不对，或值里有未加引号的冒号）",
        "`key: value` is not allowed here (a missing space after a colon, wrong indentation, or an unquoted colon)",
    ),
    (
        "cannot start any token",
        "出现了不能开始一个值的字符（例如用 Tab 缩进；请改用空格）",
        "a character that cannot start a value (a tab used for indentation? use spaces)",
    ),
    ("could not find expected ':'", "缺少冒号 `:`", "a colon `:` is missing"),
    ("expected <block end>", "缩进不一致", "inconsistent indentation"),
    ("found duplicate anchor", "锚点名称重复", "an anchor name is used twice"),
    ("found undefined alias", "别名引用了不存在的锚点", "an alias names an anchor that does not exist"),
    (
        "incompatible YAML document",
        "不支持这个 YAML 版本（`%YAML` 指令）；删除这一行",
        "this YAML version is not supported (a `%YAML` directive); delete that line",
    ),
)
# Errors about something left open are best shown where it was opened: that is the offending line.
_OPENED_AT_CONTEXT = ("flow sequence", "flow mapping", "quoted scalar")


def _syntax_diagnostic(exc: MarkedYAMLError | libyaml.MarkedYAMLError, file: str) -> Diagnostic:
    detail = " ".join(str(part) for part in (exc.context, exc.problem) if part)
    opened = exc.context_mark is not None and any(k in str(exc.context or "") for k in _OPENED_AT_CONTEXT)
    mark = exc.context_mark if opened else (exc.problem_mark or exc.context_mark)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    reason = next((pick(zh, en) for needle, zh, en in _EXPLAINED if needle in detail), tr("无法解析", "cannot parse"))
    other = exc.problem_mark if opened else exc.context_mark
    where = (
        tr("；相关位置：第 {line} 行", "; see also line {line}", line=other.line + 1)
        if other is not None and other.line + 1 != line
        else ""
    )
    return SYNTAX.at(
        file,
        line,
        col,
        "",
        tr(
            "YAML 语法错误：{reason}（{detail}{where}）",
            "YAML syntax error: {reason} ({detail}{where})",
            reason=reason,
            detail=detail,
            where=where,
        ),
    )


def _reader_diagnostic(exc: YAMLError, text: str, file: str) -> Diagnostic:
    position = getattr(exc, "position", None)
    if isinstance(position, int):
        before = text[:position]
        line, col = before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1
    else:
        line, col = 1, 1
    return SYNTAX.at(
        file,
        line,
        col,
        "",
        tr("YAML 无法读取：{exc}", "YAML cannot read the file: {exc}", exc=exc).splitlines()[0],
        hint=tr("删除文件中的不可见控制字符", "delete the invisible control characters from the file"),
    )


def _kind(node: Node) -> str:
    return "列表" if node.id == "sequence" else "单个值"


class _TooComplex(Exception):
    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


class _Walker:
    """Turns composed nodes into plain data, recording positions and duplicate keys on the way."""

    def __init__(self, file: str, source: SourceMap, diagnostics: list[Diagnostic]) -> None:
        self.file, self.source, self.diagnostics = file, source, diagnostics
        self.visited = 0
        self.stack: set[int] = set()

    def build(self, node: Node, path: DataPath, depth: int) -> Any:
        self.visited += 1
        mark = node.start_mark
        line, col = mark.line + 1, mark.column + 1
        if self.visited > MAX_NODES:
            raise _TooComplex(
                tr(
                    "展开后超过 {limit:,} 个值（锚点/别名展开过多）",
                    "more than {limit:,} values once aliases are expanded",
                    limit=MAX_NODES,
                ),
                line,
                col,
            )
        if depth > MAX_DEPTH:
            raise _TooComplex(
                tr("嵌套超过 {limit} 层", "nested deeper than {limit} levels", limit=MAX_DEPTH), line, col
            )
        if node.id != "scalar" and id(node) in self.stack:  # only collections are on the stack
            raise _TooComplex(
                tr(
                    "别名引用了包含它自己的锚点（循环引用）", "an alias refers to the anchor that contains it (a cycle)"
                ),
                line,
                col,
            )
        self.source.values[path] = (line, col)
        if node.id == "scalar":
            tag, value = node.tag, node.value
            if tag.__class__ is str and value.__class__ is str and tag in _TEXT:
                return value  # text and dates, most of any file: what `scalar` returns, without the call
            return self.scalar(node, path)
        tag = _node_tag(node)
        if tag not in _COLLECTIONS:  # `!!python/object {…}`, `!!set`, `!custom [...]`
            self._unsupported(node, path, tr("不支持标签 `{tag}`", "tag `{tag}` is not supported", tag=_short(tag)))
        self.stack.add(id(node))
        try:
            if node.id == "sequence":
                return self.sequence(node, path, depth)
            return self.mapping(node, path, depth)
        finally:
            self.stack.discard(id(node))

    def sequence(self, node: Node, path: DataPath, depth: int) -> list[Any]:
        items = []
        for index, item in enumerate(node.value):
            where = (*path, index)
            self.source.keys[where] = (item.start_mark.line + 1, item.start_mark.column + 1)
            items.append(self.build(item, where, depth + 1))
        return items

    def mapping(self, node: Node, path: DataPath, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key_node.id != "scalar":
                self.diagnostics.append(
                    UNSUPPORTED.at(
                        self.file,
                        line,
                        col,
                        _dotted(path),
                        tr("键必须是普通文本，不能是列表或映射", "a key must be plain text, not a list or mapping"),
                    )
                )
                continue
            key = str(key_node.value)
            if key in first_line:
                self.diagnostics.append(
                    DUPLICATE_KEY.at(
                        self.file,
                        line,
                        col,
                        _dotted((*path, key)),
                        tr(
                            "键 `{key}` 重复：第 {first} 行和第 {line} 行；只能保留一个",
                            "key `{key}` appears twice: lines {first} and {line}; keep one",
                            key=key,
                            first=first_line[key],
                            line=line,
                        ),
                    )
                )
                continue
            first_line[key] = line
            where = (*path, key)
            self.source.keys[where] = (line, col)
            out[key] = self.build(value_node, where, depth + 1)
        return out

    def scalar(self, node: Node, path: DataPath) -> Any:
        tag = _node_tag(node)
        text = str(node.value)
        if tag in _TEXT:
            return text  # dates stay ISO text so the schemas' `format: date` applies
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return text.lower() == "true"
        if tag == _INT:
            return _parse_int(text)
        if tag == _FLOAT:
            if _FLOAT_SPECIAL.fullmatch(text) is None:
                try:
                    number = Decimal(text.replace("_", ""))
                except InvalidOperation:
                    pass
                else:
                    if usable_number(number):  # `!!float nan` spelled without the dot reaches here
                        return number
            self._unsupported(
                node,
                path,
                tr(
                    "`{text}` 不是可用的数字（金额、数量都不会这么大、这么小或不是数）",
                    "`{text}` is not a usable number (no amount or count is that large, that small, or not a number)",
                    text=text,
                ),
                hint=tr(
                    "写出实际的数字，如 268.00；不要用指数写法、.inf 或 .nan",
                    "write the actual number, e.g. 268.00; no exponents, .inf or .nan",
                ),
            )
            return text
        self._unsupported(node, path, tr("不支持标签 `{tag}`", "tag `{tag}` is not supported", tag=_short(tag)))
        return text

    def _unsupported(self, node: Node, path: DataPath, message: str, hint: str | None = None) -> None:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        self.diagnostics.append(UNSUPPORTED.at(self.file, line, col, _dotted(path), message, hint=hint))


_COLLECTIONS = frozenset({T + "map", T + "seq"})
_TEXT = frozenset({T + "str", T + "timestamp"})
_NULL, _BOOL, _INT, _FLOAT = T + "null", T + "bool", T + "int", T + "float"


def _node_tag(node: Node) -> str:
    tag = node.tag
    return tag if tag.__class__ is str else str(getattr(tag, "value", tag))  # ruamel.yaml's is an object


def _short(tag: str) -> str:
    return "!!" + tag[len(T) :] if tag.startswith(T) else tag


def usable_number(number: Decimal) -> bool:
    """A decimal that arithmetic on yuan can use exactly: finite, below LARGEST, at most 28 decimals."""
    return number.is_finite() and abs(number) < LARGEST and number.as_tuple().exponent >= -28  # type: ignore[operator]


def _parse_int(text: str) -> int | str:
    clean = text.replace("_", "")
    try:
        if clean[:2] in ("0o", "0O"):
            return int(clean[2:], 8)
        if clean[:2] in ("0x", "0X"):
            return int(clean[2:], 16)
        if _INT_DECIMAL.fullmatch(clean):
            return int(clean, 10)
    except ValueError:
        pass
    return text


def _dotted(path: DataPath) -> str:
    return format_path(path)
