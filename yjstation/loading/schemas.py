"""The JSON Schemas of a data repository: validators built once, errors turned into diagnostics, and the
Chinese labels (schema titles) of every field and enum value."""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from yjstation.foundation.diagnostics import Code, Diagnostic, Severity, format_path
from yjstation.foundation.entry import match_choice, number_hint
from yjstation.foundation.errors import ConfigError
from yjstation.foundation.i18n import pick, tr
from yjstation.foundation.records import FIRST_DAY, LAST_DAY, loose_date
from yjstation.foundation.sourcemap import DataPath
from yjstation.loading.loader import Document

KINDS = (
    "county",
    "fees",
    "rollout",
    "training",
    "assessment",
    "reporting",
    "station",
    "operations",
    "waivers",
    "event",
)
# Repositories made before these existed have no schema for them.
OPTIONAL_KINDS = ("assessment", "reporting", "waivers", "event")

REQUIRED = Code("SCH001", Severity.ERROR, "缺少必填项", "数据约定（DATA.md）与 JSON Schema", "补上该项")
WRONG_TYPE = Code(
    "SCH002",
    Severity.ERROR,
    "值的类型不对",
    "数据约定（DATA.md）与 JSON Schema",
    "按字段说明填写：文本、数字、日期、是/否（true/false）或列表",
)
NOT_ALLOWED = Code(
    "SCH003", Severity.ERROR, "不是允许的取值", "数据约定（DATA.md）与 JSON Schema", "从允许的取值中选一个（英文代码）"
)
UNKNOWN_KEY = Code(
    "SCH004",
    Severity.ERROR,
    "未知的键（拼写错误或放错了层级）",
    "数据约定（DATA.md）与 JSON Schema",
    "检查键名拼写和缩进层级",
)
OUT_OF_RANGE = Code(
    "SCH005",
    Severity.ERROR,
    "数值超出允许范围",
    "数据约定（DATA.md）与 JSON Schema",
    "数量和金额不能为负数；比例在 0 到 1 之间",
)
BAD_FORMAT = Code(
    "SCH006",
    Severity.ERROR,
    "格式不正确",
    "数据约定（DATA.md）与 JSON Schema",
    "日期写成 YYYY-MM-DD，月份写成 YYYY-MM，编号只用小写字母、数字和连字符",
)
OTHER = Code("SCH009", Severity.ERROR, "不符合数据结构", "数据约定（DATA.md）与 JSON Schema", "")

SCHEMA_CODES: tuple[Code, ...] = (REQUIRED, WRONG_TYPE, NOT_ALLOWED, UNKNOWN_KEY, OUT_OF_RANGE, BAD_FORMAT, OTHER)


def _type_name(kind: str) -> str:
    names = {
        "string": tr("文本", "text"),
        "number": tr("数字", "a number"),
        "integer": tr("整数", "a whole number"),
        "boolean": tr("是/否（true/false）", "true/false"),
        "array": tr("列表", "a list"),
        "object": tr("“键: 值”映射", "a `key: value` mapping"),
        "null": tr("空值", "empty"),
    }
    return names.get(kind, kind)


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, (float, Decimal)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


@dataclass
class Schema:
    """One file kind's schema, its gate and its validator, built once per run when a file is checked;
    jsonschema is imported only to explain a file the gate rejects (or when there is no gate)."""

    kind: str
    file: str
    document: dict[str, Any]
    validator: Any = None
    digest: bytes = b""  # of the schema file's bytes; keys the cache
    gate: Callable[[Any], bool] | None = None  # yes/no: is a document valid (see yjstation.loading.schemagate)
    _compiled: bool = False  # whether the gate was built (it may be None: no gate for this schema)

    def labels_only(self) -> Schema:
        """The schema without its validator and gate: labels and choices only, plain data that can cross
        to a worker process."""
        return Schema(self.kind, self.file, self.document, digest=self.digest)

    def resolve(self, path: DataPath) -> dict[str, Any] | None:
        """The subschema that describes the value at `path`, or None when the schema does not say."""
        node: dict[str, Any] | None = self._deref(self.document)
        for part in path:
            if node is None:
                return None
            if isinstance(part, int):
                items = node.get("items")
                node = self._deref(items) if isinstance(items, dict) else None
                continue
            props = node.get("properties", {})
            if part in props:
                node = self._deref(props[part])
            elif isinstance(node.get("additionalProperties"), dict):
                node = self._deref(node["additionalProperties"])
            else:
                node = None
        return node

    def _deref(self, node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = self.document.get("$defs", {}).get(ref.rsplit("/", 1)[1], {})
            return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return node

    def title(self, path: DataPath) -> str:
        node = self.resolve(path)
        return str(node.get("title", "")) if node else ""

    def label(self, path: DataPath) -> str:
        """The Chinese label of a field, with its parents: `站长 › 身份证号码`."""
        titles: list[str] = []
        for end in range(1, len(path) + 1):
            if isinstance(path[end - 1], int):
                continue
            title = self.title(path[:end])
            if title and (not titles or titles[-1] != title):
                titles.append(title)
        return " › ".join(titles)

    def choices(self, path: DataPath) -> dict[Any, str]:
        """Allowed values of an enum field with their Chinese titles (empty when not an enum)."""
        node = self.resolve(path)
        if not node:
            return {}
        return {option["const"]: option.get("title", "") for option in node.get("oneOf", []) if "const" in option}

    def value_label(self, path: DataPath, value: Any) -> str:
        return self.choices(path).get(value, str(value))

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        """Validate a loaded document, yielding one diagnostic per problem at the offending line."""
        if not self._compiled:
            from yjstation.loading.jsontypes import FormatChecker
            from yjstation.loading.schemagate import compile_gate

            self.gate = compile_gate(self.document, FormatChecker(repository=True))
            self._compiled = True
        if self.gate is not None and self.gate(doc.data):
            return  # valid: nothing to explain, so jsonschema need not even be imported
        # A value the loader refused (an unsupported tag, a number out of range) is already explained
        # at its place; the schema's view of the text left there would say the same thing again.
        refused = {d.path for d in doc.diagnostics if d.code == "YAML009"}
        seen: set[tuple[str, str, str]] = set()
        for error in self.full_validator().iter_errors(doc.data):
            for diag in self._diagnose(doc, error):
                # one finding per code and place: `2022/1/5` fails both the date pattern and the format
                key = (diag.code, diag.path, diag.message if diag.code == OTHER.code else "")
                if diag.path not in refused and key not in seen:
                    seen.add(key)
                    yield diag

    def full_validator(self) -> Any:
        """jsonschema's validator of this schema with the repository's formats, built on first use (only a
        document the gate rejects needs it, to be explained)."""
        if self.validator is None:
            from jsonschema import Draft202012Validator

            from yjstation.loading.formats import format_checker

            self.validator = Draft202012Validator(self.document, format_checker=format_checker())
        return self.validator

    def _diagnose(self, doc: Document, error: Any) -> Iterator[Diagnostic]:
        path: DataPath = tuple(error.absolute_path)
        kind = error.validator
        if kind == "required":
            missing = error.message.split("'")[1] if "'" in error.message else ""
            full = (*path, missing)
            yield self._at(
                doc,
                REQUIRED,
                full,
                tr(
                    "缺少必填项 `{key}`（{title}）",
                    "required field `{key}` is missing",
                    key=missing,
                    title=self.title(full) or missing,
                ),
                anchor=path,
            )
        elif kind == "additionalProperties":
            parent = self.resolve(path) or {}
            known = list(parent.get("properties", {}))
            for key in [k for k in error.instance if k not in known]:
                close = difflib.get_close_matches(key, known, n=1)
                hint = (
                    tr(
                        "是否应为 `{key}`（{title}）？",
                        "did you mean `{key}`?",
                        key=close[0],
                        title=self.title((*path, close[0])),
                    )
                    if close
                    else tr("这一层可用的键：{keys}", "keys at this level: {keys}", keys=", ".join(known))
                )
                yield self._at(
                    doc, UNKNOWN_KEY, (*path, key), tr("未知的键 `{key}`", "unknown key `{key}`", key=key), hint=hint
                )
        elif kind == "type":
            want = error.validator_value
            wanted = want if isinstance(want, list) else [want]
            wants = tr("或", " or ").join(_type_name(str(t)) for t in wanted)
            got = _type_name(_type_of(error.instance))
            hint = None
            # a draft's counts and amounts may also be empty (["integer", "null"]): still a number's hint
            if "number" in wanted or "integer" in wanted:
                hint = number_hint(error.instance, integer="number" not in wanted)
            if want == "string" and isinstance(error.instance, int):
                hint = tr(
                    '号码、编号要加引号写成文本，例如 "13800000000"，否则开头的 0 和末尾的 X 会丢失',
                    'quote numbers that are identifiers, e.g. "13800000000", or a leading 0 or final X is lost',
                )
            yield self._at(
                doc,
                WRONG_TYPE,
                path,
                tr(
                    "应为{wants}，实为{got} `{value}`",
                    "should be {wants}, is {got} `{value}`",
                    wants=wants,
                    got=got,
                    value=_show(error.instance),
                ),
                hint=hint,
            )
        elif kind in ("oneOf", "enum", "const") and self.choices(path):
            options = pick(
                "、".join(f"{k}（{v}）" for k, v in self.choices(path).items()),
                ", ".join(str(k) for k in self.choices(path)),
            )
            yield self._at(
                doc,
                NOT_ALLOWED,
                path,
                tr(
                    "`{value}` 不是允许的取值；可选：{options}",
                    "`{value}` is not allowed; choose from: {options}",
                    value=_show(error.instance),
                    options=options,
                ),
                hint=_choice_hint(error.instance, self.choices(path)),
            )
        elif kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
            words = {
                "minimum": tr("不能小于", "cannot be less than"),
                "exclusiveMinimum": tr("必须大于", "must be more than"),
                "maximum": tr("不能大于", "cannot be more than"),
                "exclusiveMaximum": tr("必须小于", "must be less than"),
            }[kind]
            yield self._at(
                doc,
                OUT_OF_RANGE,
                path,
                tr(
                    "{words} {limit}，实为 {value}",
                    "{words} {limit}, is {value}",
                    words=words,
                    limit=error.validator_value,
                    value=_show(error.instance),
                ),
            )
        elif kind == "format" and error.validator_value == "yuan":
            yield self._at(
                doc,
                BAD_FORMAT,
                path,
                tr(
                    "金额 `{value}` 不是以元为单位、记到分的数（最多两位小数）",
                    "the amount `{value}` is not in yuan to the fen (at most two decimals)",
                    value=_show(error.instance),
                ),
                hint=tr(
                    "四舍五入到分，例如 12.35；金额不会超过一千万亿元",
                    "round to the fen, e.g. 12.35; no amount reaches a thousand trillion yuan",
                ),
            )
        elif kind in ("pattern", "format"):
            yield self._at(
                doc,
                BAD_FORMAT,
                path,
                tr("`{value}` 格式不正确", "`{value}` has the wrong format", value=_show(error.instance)),
                hint=_format_hint(path, error),
            )
        elif kind == "minLength":
            yield self._at(doc, REQUIRED, path, tr("不能为空", "cannot be empty"), hint=tr("填写内容", "fill it in"))
        elif kind == "minItems":
            yield self._at(
                doc,
                REQUIRED,
                path,
                tr("至少需要 {n} 项", "needs at least {n} item{n:|s}", n=error.validator_value),
                hint=tr("补充列表项", "add items"),
            )
        elif kind == "uniqueItems":
            yield self._at(
                doc,
                NOT_ALLOWED,
                path,
                tr("列表中有重复的项", "the list repeats an item"),
                hint=tr("删除重复项", "remove the repeat"),
            )
        else:
            yield self._at(
                doc, OTHER, path, tr("不符合数据结构：{why}", "does not match the schema: {why}", why=error.message)
            )

    def _at(
        self,
        doc: Document,
        code: Code,
        path: DataPath,
        message: str,
        *,
        hint: str | None = None,
        anchor: DataPath | None = None,
    ) -> Diagnostic:
        line, col = doc.position(path if anchor is None else anchor)
        return code.at(doc.file, line, col, format_path(path), message, hint=hint, label=self.label(path))


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _choice_hint(value: Any, choices: dict[Any, str]) -> str | None:
    """A Chinese title where its code belongs (已办结 for closed): the code, which fmt writes for you;
    a near miss (已解决): the closest title."""
    if not isinstance(value, str):
        return None
    code = match_choice(value, choices)
    if code is not None:
        return tr(
            "写成英文代码 {code}（{title}）；运行 yjstation fmt 会自动改写",
            "write the code {code}; yjstation fmt rewrites it so for you",
            code=code,
            title=choices[code],
        )
    titles = {title: code for code, title in choices.items() if title}
    close = difflib.get_close_matches(value, list(titles), n=1, cutoff=0.3)
    if close:
        return tr(
            "是否应为 {code}（{title}）？",
            "did you mean {code} ({title})?",
            code=titles[close[0]],
            title=close[0],
        )
    return None


def _format_hint(path: DataPath, error: Any) -> str | None:
    schema = error.schema if isinstance(error.schema, dict) else {}
    if schema.get("format") == "date" or "[0-9]{4}-[0-9]{2}-[0-9]{2}" in str(schema.get("pattern", "")):
        day = loose_date(error.instance) if isinstance(error.instance, str) else None
        if day is not None and FIRST_DAY <= day <= LAST_DAY and day.isoformat() != error.instance:
            return tr(
                "写成 {day}；运行 yjstation fmt 会自动改成这种写法",
                "write {day}; yjstation fmt rewrites it so for you",
                day=day.isoformat(),
            )
        return tr(
            "日期写成 YYYY-MM-DD，例如 2021-03-05，须是 {first} 至 {last} 之间真实存在的日期",
            "write a real date between {first} and {last} as YYYY-MM-DD, e.g. 2021-03-05",
            first=FIRST_DAY.isoformat(),
            last=LAST_DAY.isoformat(),
        )
    if path and path[-1] == "month":
        return tr("月份写成 YYYY-MM，例如 2021-03", "write the month as YYYY-MM, e.g. 2021-03")
    return None


class SchemaSet:
    """All schemas of a repository, keyed by file kind."""

    def __init__(self, schemas: dict[str, Schema]) -> None:
        self.by_kind = schemas

    def __getitem__(self, kind: str) -> Schema:
        return self.by_kind[kind]

    @classmethod
    def load(cls, root: Path, trusted: Callable[[bytes], bool] | None = None) -> SchemaSet:
        """Read `data/schemas/<kind>.schema.json`; a missing or broken schema cannot run.

        Checking a schema against the JSON Schema metaschema costs more than validating a county's
        files, so `trusted(digest)` may vouch that these exact bytes passed that check before (the
        cache remembers); a trusted schema is not checked again."""
        schemas: dict[str, Schema] = {}
        for kind in KINDS:
            rel = f"data/schemas/{kind}.schema.json"
            try:
                raw = (root / rel).read_bytes()
                document = json.loads(raw.decode("utf-8"))
            except FileNotFoundError:
                if kind in OPTIONAL_KINDS:
                    continue
                raise ConfigError(tr("缺少数据结构文件 {rel}", "schema file {rel} is missing", rel=rel)) from None
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise ConfigError(
                    tr("无法读取数据结构文件 {rel}：{exc}", "cannot read schema file {rel}: {exc}", rel=rel, exc=exc)
                ) from None
            digest = hashlib.blake2b(raw, digest_size=16).digest()
            if digest not in shipped_digests() and (trusted is None or not trusted(digest)):
                _check_schema(rel, document)
            schemas[kind] = Schema(kind, rel, document, digest=digest)
        return cls(schemas)

    @property
    def digests(self) -> dict[str, bytes]:
        return {kind: schema.digest for kind, schema in self.by_kind.items()}


@cache
def shipped_digests() -> frozenset[bytes]:
    """The digests of the schemas this yjstation ships (in an installed wheel under
    yjstation/_skeleton/, in a source checkout at its root, as `editing.skeleton.bundled` finds them).
    Its test suite checks each against the metaschema, so a repository holding them byte for byte
    needs no check at run time, and a cold run no jsonschema."""
    package = Path(__file__).resolve().parents[1]
    checkout = package.parent
    for folder in (package / "_skeleton" / "data" / "schemas", checkout / "data" / "schemas"):
        if folder == checkout / "data" / "schemas" and not (checkout / "templates").is_dir():
            continue
        try:
            files = sorted(folder.glob("*.schema.json"))
            if files:
                return frozenset(hashlib.blake2b(path.read_bytes(), digest_size=16).digest() for path in files)
        except OSError:
            continue
    return frozenset()


def _check_schema(rel: str, document: Any) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(document)
    except SchemaError as exc:
        raise ConfigError(
            tr(
                "数据结构文件 {rel} 本身不是合法的 JSON Schema：{why}",
                "schema file {rel} is not a valid JSON Schema: {why}",
                rel=rel,
                why=exc.message,
            )
        ) from None
    if not isinstance(document, dict):
        raise ConfigError(
            tr(
                "数据结构文件 {rel} 的顶层应是一个 JSON 对象（{{...}}）",
                "schema file {rel} must hold a JSON object ({{...}}) at its top",
                rel=rel,
            )
        )
    dangling = _dangling_ref(document)
    if dangling is not None:
        raise ConfigError(
            tr(
                "数据结构文件 {rel} 中的 $ref `{ref}` 指向不存在的位置；只能引用本文件中的定义（如 #/$defs/date）",
                "schema file {rel}: $ref `{ref}` points nowhere; refer only to definitions in the file itself "
                "(such as #/$defs/date)",
                rel=rel,
                ref=dangling,
            )
        )


def _dangling_ref(document: dict[str, Any]) -> str | None:
    """The first `$ref` that does not resolve within the schema itself, if any: jsonschema would fail on
    it in the middle of validating (or go looking on the network), not when the schema is read."""
    from urllib.parse import urljoin

    from referencing import Registry
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT202012

    top = str(document["$id"]) if isinstance(document.get("$id"), str) else ""
    registry: Any = Registry().with_resource(top, DRAFT202012.create_resource(document)).crawl()

    def walk(node: Any, base: str) -> str | None:
        if isinstance(node, list):
            return next((found for item in node if (found := walk(item, base)) is not None), None)
        if not isinstance(node, dict):
            return None
        if isinstance(node.get("$id"), str):
            base = urljoin(base, node["$id"])
        ref = node.get("$ref")
        if isinstance(ref, str):
            try:
                registry.resolver(base_uri=base).lookup(ref)
            except Unresolvable:
                return ref
        for key, value in node.items():
            if key not in ("enum", "const", "examples", "default"):  # data, not subschemas
                found = walk(value, base)
                if found is not None:
                    return found
        return None

    return walk(document, top)
