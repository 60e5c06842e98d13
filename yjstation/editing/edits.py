"""Editing station files from the command line: `station set` and `station new`.

Values are typed by the schema (a date field gets a date, a phone number quoted text, an enum accepts
its code or its Chinese label), the result is checked by `validate` before anything is written, and
the file is rewritten through the round-trip path so comments stay and only the changed lines move.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from yjstation.domain.county import County
from yjstation.editing.formatting import QUOTED_KEYS, _canonicalise, _iso_date, unreadable
from yjstation.foundation.diagnostics import Diagnostic, Severity, format_path
from yjstation.foundation.entry import EntryError, half_width, match_choice, parse_number, split_list
from yjstation.foundation.i18n import pick, tr
from yjstation.foundation.sourcemap import DataPath
from yjstation.loading.schemas import Schema

if TYPE_CHECKING:  # ruamel.yaml loads only when a file goes through the round trip (see editing.inplace)
    from ruamel.yaml.comments import CommentedMap

_PART = re.compile(r"([a-z_][a-z0-9_]*)((?:\[[0-9]+\])*)")
_TRUE = {"true", "yes", "是", "有", "y"}
_FALSE = {"false", "no", "否", "无", "n"}


class Quoted(str):
    """Text to be written in double quotes (an ID or phone number), without importing ruamel.yaml to
    say so; `assign` turns it into ruamel.yaml's double-quoted string."""


class EditError(ValueError):
    """An assignment that cannot be applied; the message is for the operator."""


class UnreadableFile(EditError):
    """The file to edit holds what the round trip cannot read (a plain date that names no day, which
    libyaml reads as text): where, what and what to do, so the caller can name the file and line."""

    def __init__(self, line: int, col: int, message: str, hint: str) -> None:
        super().__init__(
            tr(
                "第 {line} 行：{message}；{hint}",
                "line {line}: {message}; {hint}",
                line=line,
                message=message,
                hint=hint,
            )
        )
        self.line, self.col, self.message, self.hint = line, col, message, hint


def _read_value(raw: str, label: str, kind: str | None) -> Any:
    """A value typed for a field that takes YAML (an object, a `[...]` list), read as the file would read
    it; what YAML cannot read (`a: b` or a tab where one value goes, an unclosed bracket or quote, a date
    that names no day) is refused in words, never a crash from inside ruamel.yaml."""
    from yjstation.loading import roundtrip

    try:
        return roundtrip.load(f"v: {raw}\n")["v"]
    except roundtrip.Unreadable as exc:
        why = tr("{day} 不是真实存在的日期", "{day} is not a real date", day=exc.day) if exc.day else exc.problem
        if kind == "object":
            message = tr(
                "{label}：`{raw}` 无法读出（{why}）；写成 {{键: 值, ...}}，含冒号、# 或制表符的文字加引号",
                "{label}: cannot read `{raw}` ({why}); write {{key: value, ...}} and quote text holding a colon, #"
                " or tab",
                label=label,
                raw=raw,
                why=why,
            )
        elif kind == "array":
            message = tr(
                "{label}：`{raw}` 无法读出（{why}）；写成 [值, 值] 或用逗号分隔，含冒号、# 或制表符的文字加引号",
                "{label}: cannot read `{raw}` ({why}); write [value, value] or separate the values with commas, and"
                " quote text holding a colon, # or tab",
                label=label,
                raw=raw,
                why=why,
            )
        else:
            message = tr(
                "{label}：`{raw}` 无法读出（{why}）；只写一个值",
                "{label}: cannot read `{raw}` ({why}); write a single value",
                label=label,
                raw=raw,
                why=why,
            )
        raise EditError(message) from None


def parse_path(dotted: str) -> DataPath:
    """`training[2].minutes` -> ("training", 2, "minutes")."""
    parts: list[str | int] = []
    for piece in dotted.split("."):
        match = _PART.fullmatch(piece)
        if match is None:
            raise EditError(
                tr(
                    "`{dotted}` 不是有效的字段路径（例如 stationmaster.phone、training[0].minutes）",
                    "`{dotted}` is not a valid field path (e.g. stationmaster.phone, training[0].minutes)",
                    dotted=dotted,
                )
            )
        parts.append(match[1])
        parts.extend(int(i) for i in re.findall(r"\[([0-9]+)\]", match[2]))
    return tuple(parts)


def parse_assignment(text: str) -> tuple[DataPath, str]:
    if "=" not in text:
        raise EditError(
            tr(
                "`{text}` 应写成 字段=值，例如 stationmaster.phone=13900000000",
                "`{text}` should read field=value, e.g. stationmaster.phone=13900000000",
                text=text,
            )
        )
    key, value = text.split("=", 1)
    return parse_path(key.strip()), value.strip()


def typed_value(schema: Schema, path: DataPath, raw: str, county: County | None = None) -> Any:
    """The value `raw` as the schema types the field at `path`, read as forgivingly as a clerk types:
    an enum by its Chinese title, a township by its name (with `county`), yes/no as 是/否, full-width
    digits, lists separated by Chinese commas or 、."""
    node = schema.resolve(path)
    if node is None:
        parent = schema.resolve(path[:-1]) or {}
        known = list(parent.get("properties", {}))
        close = difflib.get_close_matches(str(path[-1]), known, n=1)
        hint = (
            tr("；是否应为 `{close}`？", "; did you mean `{close}`?", close=close[0])
            if close
            else (
                tr("；这一层可用的键：{keys}", "; keys at this level: {keys}", keys=", ".join(known)) if known else ""
            )
        )
        raise EditError(
            tr(
                "`{path}` 不是{kind}文件中的字段{hint}",
                "`{path}` is not a field of a {kind} file{hint}",
                path=_dotted(path),
                kind=schema.kind,
                hint=hint,
            )
        )
    label = pick(schema.label(path) or _dotted(path), _dotted(path))
    choices = schema.choices(path)
    kind = node.get("type")
    if isinstance(kind, list):  # a figure a draft may leave empty: ["integer", "null"]
        kind = next((k for k in kind if k != "null"), None)
    if choices:
        code = match_choice(raw, choices)
        if code is not None:
            return code
        options = pick("、".join(f"{k}（{v}）" for k, v in choices.items()), ", ".join(str(k) for k in choices))
        raise EditError(
            tr(
                "{label}：`{raw}` 不是允许的取值；可选：{options}",
                "{label}: `{raw}` is not an allowed value; choose one of: {options}",
                label=label,
                raw=raw,
                options=options,
            )
        )
    if path == ("township",) and county is not None:
        found = county.find_township(raw)
        if found is None:
            close = county.closest_townships(raw) or list(county.townships[:3])
            raise EditError(
                tr(
                    "{label}：`{raw}` 不是 data/county.yaml 中的乡镇；是否应为：{close}",
                    "{label}: `{raw}` is not a township of data/county.yaml; did you mean: {close}",
                    label=label,
                    raw=raw,
                    close=tr("、", ", ").join(f"{t.name}（{t.id}）" for t in close),
                )
            )
        return found.id
    if node.get("format") == "date":
        day = _iso_date(raw)
        if day is None:
            raise EditError(
                tr(
                    "{label}：`{raw}` 不是日期；写成 YYYY-MM-DD",
                    "{label}: `{raw}` is not a date; write YYYY-MM-DD",
                    label=label,
                    raw=raw,
                )
            )
        return day
    if kind == "string":
        if path[-1] in QUOTED_KEYS:
            return Quoted(half_width(raw).strip().replace(" ", "").upper())
        return raw
    if kind == "boolean":
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise EditError(
            tr(
                "{label}：`{raw}` 不是“是/否”；写 true 或 false",
                "{label}: `{raw}` is not yes/no; write true or false",
                label=label,
                raw=raw,
            )
        )
    if kind in ("integer", "number"):
        try:
            parse_number(raw, integer=kind == "integer")
        except EntryError as exc:
            raise EditError(tr("{label}：{why}", "{label}: {why}", label=label, why=exc)) from None
        return _read_value(half_width(raw).strip(), label, kind)
    if kind == "array":
        from ruamel.yaml.comments import CommentedSeq

        item_path = (*path, 0)
        items = _read_value(raw, label, kind) if raw.startswith("[") else split_list(raw)
        seq = CommentedSeq(
            typed_value(schema, item_path, str(item), county) if schema.choices(item_path) else item for item in items
        )
        if all(not isinstance(item, (dict, list)) for item in seq):
            seq.fa.set_flow_style()  # [a, b] on the key's line, as the files write such lists: a one-line diff
        return seq
    loaded = _read_value(raw, label, kind)
    if kind == "object" and not isinstance(loaded, dict):
        raise EditError(
            tr("{label}：应写成 {{键: 值, ...}} 形式", "{label}: write it as {{key: value, ...}}", label=label)
        )
    return loaded


def assign(document: CommentedMap, path: DataPath, value: Any) -> None:
    """Put `value` at `path`, creating the mappings on the way; list indexes must exist (or append)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, Quoted):
        value = DoubleQuotedScalarString(value)
    node: Any = document
    for position, part in enumerate(path[:-1]):
        following = path[position + 1]
        if isinstance(part, int):
            if not isinstance(node, list) or part > len(node):
                raise EditError(
                    tr(
                        "`{path}` 没有第 {index} 项",
                        "`{path}` has no item {index}",
                        path=_dotted(path[: position + 1]),
                        index=part,
                    )
                )
            if part == len(node):
                node.append(CommentedMap() if isinstance(following, str) else CommentedSeq())
            node = node[part]
        else:
            if not isinstance(node, dict):
                raise EditError(
                    tr(
                        "`{path}` 不是“键: 值”映射",
                        "`{path}` is not a key: value mapping",
                        path=_dotted(path[:position]),
                    )
                )
            if part not in node or node[part] is None:
                node[part] = CommentedMap() if isinstance(following, str) else CommentedSeq()
            node = node[part]
        if isinstance(node, CommentedMap) and not node:
            node.fa.set_flow_style()  # `{}` stays on its line: filling in a step is a one-line diff
    last = path[-1]
    if isinstance(last, int):
        if not isinstance(node, list) or last > len(node):
            raise EditError(tr("`{path}` 超出列表范围", "`{path}` is past the end of the list", path=_dotted(path)))
        if last == len(node):
            node.append(value)
        else:
            node[last] = value
    elif isinstance(node, dict):
        if isinstance(node, CommentedMap) and not node:
            node.fa.set_flow_style()
        node[last] = value
    else:
        raise EditError(
            tr("`{path}` 不是“键: 值”映射", "`{path}` is not a key: value mapping", path=_dotted(path[:-1]))
        )


def remove(document: CommentedMap, path: DataPath) -> None:
    node: Any = document
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            raise EditError(tr("没有字段 `{path}`", "no field `{path}`", path=_dotted(path))) from None
    try:
        del node[path[-1]]
    except (KeyError, IndexError, TypeError):
        raise EditError(tr("没有字段 `{path}`", "no field `{path}`", path=_dotted(path))) from None


@dataclass
class Edit:
    """A proposed rewrite of one file: the new bytes, and the errors it would add (empty when safe)."""

    file: str
    before: bytes
    after: bytes
    added_errors: list[Diagnostic] = field(default_factory=list)


def edit_text(
    text: str,
    schema: Schema,
    assignments: list[tuple[DataPath, str]],
    unset: list[DataPath],
    county: County | None = None,
) -> str:
    """Apply assignments and removals to a file's text and return the canonical result."""
    from ruamel.yaml.comments import CommentedMap

    from yjstation.loading import roundtrip

    try:
        document = roundtrip.load(text)
    except roundtrip.Unreadable as exc:
        found = unreadable("", exc)
        raise UnreadableFile(exc.line, exc.col, found.message, found.hint or "") from None
    if not isinstance(document, CommentedMap):
        raise EditError(
            tr("文件顶层不是“键: 值”映射，无法修改", "the file's top level is not a key: value mapping; cannot edit it")
        )
    for path in unset:
        remove(document, path)
    for path, raw in assignments:
        assign(document, path, typed_value(schema, path, raw, county))
    _canonicalise(document, schema, (), [])
    result = str(roundtrip.dump(document))
    lost = roundtrip.lost_comments(text, result)
    if lost:
        raise EditError(
            tr(
                "修改会丢掉第 {line} 行花括号或方括号里的注释“{comment}”；先把它移到括号外单独的一行",
                "the edit would lose the comment “{comment}” inside braces or brackets on line {line}; move it out"
                " onto a line of its own first",
                line=lost[0][0],
                comment=lost[0][1],
            )
        )
    return result


def new_errors(before: list[Diagnostic], after: list[Diagnostic]) -> list[Diagnostic]:
    """Errors present after an edit that were not there before (matched by file, code and data path,
    so an edit of several files is judged file by file)."""
    known = {(d.file, d.code, d.path) for d in before if d.severity is Severity.ERROR}
    return [d for d in after if d.severity is Severity.ERROR and (d.file, d.code, d.path) not in known]


def _dotted(path: DataPath) -> str:
    return format_path(path)


def station_skeleton(fields: dict[str, Any], today: date, made_by: str = "yjstation station new") -> CommentedMap:
    """A new station file with the essentials filled in and comments that say what comes next."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    doc = CommentedMap()
    doc["id"] = fields["id"]
    doc["name"] = fields["name"]
    doc["level"] = fields["level"]
    doc["township"] = fields["township"]
    if fields.get("village"):
        doc["village"] = fields["village"]
        if fields.get("village_code"):
            doc["village_code"] = DoubleQuotedScalarString(fields["village_code"])
        doc["poverty_village"] = bool(fields.get("poverty_village"))
    doc["host"] = CommentedMap([("type", fields["host_type"]), ("name", fields["host_name"])])
    doc["site"] = CommentedMap([("address", fields["address"]), ("area_m2", fields["area_m2"]), ("broadband", True)])
    doc["logistics_point"] = CommentedMap([("partner", fields["partner"]), ("co_built", True)])
    master = CommentedMap()
    master["name"] = fields["master_name"]
    for key in ("gender", "birth_date", "id_number", "phone"):
        master[key] = DoubleQuotedScalarString(fields[key]) if key in QUOTED_KEYS else fields[key]
    # 三（二）1.2: what the credit check found and when, as the clerk gave it; never assumed (a roster row
    # carries no credit check, so a station made from one has none until it is recorded).
    if isinstance(fields.get("good_credit"), bool):
        master["good_credit"] = fields["good_credit"]
        master["credit_checked"] = fields["credit_checked"]
    doc["stationmaster"] = master
    doc["services"] = CommentedSeq(fields["services"])
    doc["services"].fa.set_flow_style()
    doc["fees"] = CommentedMap([("notice_posted", False)])
    rollout = CommentedMap((key, CommentedMap()) for key in fields["steps"])
    for step in rollout.values():
        step.fa.set_flow_style()
    doc["rollout"] = rollout
    # The day it entered the records: reports and lists of earlier days do not show it.
    doc["listed"] = date.fromordinal(today.toordinal())
    doc.yaml_set_start_comment(
        f"{fields['name']}（{today.isoformat()} 由 {made_by} 创建）\n"
        "字段说明见 data/schemas/station.schema.json；提交前运行 yjstation validate"
    )
    doc.yaml_set_comment_before_after_key("stationmaster", before="站长：身份证号码、手机号请保留引号")
    doc.yaml_set_comment_before_after_key(
        "fees", before="收费标准：进场装修完成、开始运营前填写各项收费，张贴后把 notice_posted 改为 true"
    )
    doc.yaml_set_comment_before_after_key(
        "rollout", before="建设进度：八个步骤，完成一步就填 done: 日期，并补齐 data/policy/rollout.yaml 要求的材料"
    )
    return doc


def skeleton_text(fields: dict[str, Any], today: date, made_by: str = "yjstation station new") -> str:
    from yjstation.loading import roundtrip

    return str(roundtrip.dump(station_skeleton(fields, today, made_by)))


def new_station_fields(county: County, answers: dict[str, Any], steps: tuple[str, ...]) -> dict[str, Any]:
    """The fields of a new station file from what the clerk gave (`answers`: id, name, level, township,
    village, host_type, host_name, address, area_m2, partner, master_name, id_number, phone, services,
    good_credit, credit_checked): the name made from the township and village when not given, the
    village's register name, code and poverty flag from county.yaml (the clerk may type 勐盏村,
    勐盏村民委员会 or the code), the birth date and gender from the ID number. EditError when the township
    or the ID number is wrong."""
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    township = county.township(answers["township"])
    if township is None:
        raise EditError(
            tr(
                "乡镇编号 {id} 不在 data/county.yaml 中",
                "township {id} is not in data/county.yaml",
                id=answers["township"],
            )
        )
    village = answers.get("village") if answers["level"] == "village" else None
    number = str(answers["id_number"]).strip().upper()
    try:
        born, gender = ric.get_birth_date(ric.validate(number)), "male" if int(number[16]) % 2 else "female"
    except (ValidationError, ValueError):
        raise EditError(
            tr(
                "身份证号码 {start}…{end} 无效（长度、校验位或出生日期不对）",
                "ID card number {start}…{end} is invalid (wrong length, check digit or birth date)",
                start=number[:6],
                end=number[-4:],
            )
        ) from None
    registered = township.find_village(village) if village else None
    if registered is not None:
        village = registered.name
    area = answers.get("area_m2")
    if isinstance(area, float) and area.is_integer():
        area = int(area)
    return {
        **answers,
        "name": answers.get("name") or f"{township.name}{village or ''}电子商务服务站",
        "village": village,
        "village_code": registered.code if registered is not None else None,
        "poverty_village": bool(registered and registered.poverty),
        "area_m2": area,
        "gender": gender,
        "birth_date": born,
        "id_number": number,
        "steps": steps,
    }


def default_address(county: County, township_id: str, village: str | None) -> str:
    township = county.township(township_id)
    return f"{county.name}{township.name if township else ''}{village or ''}"
