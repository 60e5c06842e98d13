"""The documents' fields: what a station's registration form, application, agreement and fee notice
need (`yjstation.domain.documents`) must be in its file once the step that produces them is reached, so
`validate` and `render` never disagree about a station."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from yjstation.checking.rules.base import Context, Finding, Rule
from yjstation.domain.documents import DOCUMENTS, Needed
from yjstation.foundation.diagnostics import Code, Severity
from yjstation.foundation.i18n import tr
from yjstation.foundation.records import dig
from yjstation.loading.loader import Document

NEEDED_FIELD = Code(
    "DOC001",
    Severity.ERROR,
    "文件所需的字段缺失（该文件已到应出具的步骤）",
    "三（三）申请表、三（七）登记表、三（八）合作协议、一（八）收费标准的各栏",
    "补齐该字段；各类文件需要的字段和从哪一步起需要，见 yjstation rules 的“文件所需字段”",
)


def check_needed(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    wanted: dict[tuple[Any, ...], tuple[Needed, list[tuple[str, str]]]] = {}
    for needs in DOCUMENTS:
        for field in needs.missing(station, ctx.as_of):
            wanted.setdefault(field.path, (field, []))[1].append((f"{needs.name}（{needs.due_label}后）", needs.kind))
    schema = ctx.schemas["station"]
    for path, (field, documents) in wanted.items():
        if path == ("village",):
            continue  # ST003 reports a village station without its village
        parent = dig(station, path[:-1]) if len(path) > 1 else station
        node = schema.resolve(path[:-1]) or {}
        if isinstance(parent, dict) and path[-1] not in parent and path[-1] in node.get("required", ()):
            continue  # the schema already reports a required key missing from a mapping that exists
        yield Finding(
            path,
            tr(
                "缺少{label}（`{path}`），{documents}需要",
                "`{path}` is missing; the {kinds} need it",
                label=field.label,
                path=field.dotted,
                documents="、".join(zh for zh, _ in documents),
                kinds=", ".join(kind for _, kind in documents),
            ),
        )


RULES: tuple[Rule, ...] = (Rule(NEEDED_FIELD, "station", check_needed),)
