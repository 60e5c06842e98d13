"""The assessment policy's targets name stations that exist (`data/policy/assessment.yaml`)."""

from __future__ import annotations

from collections.abc import Iterator

from yjstation.checking.rules.base import Context, Finding, Rule
from yjstation.foundation.diagnostics import Code, Severity
from yjstation.foundation.i18n import tr
from yjstation.foundation.records import as_dict, as_list, as_str

UNKNOWN_STATION = Code(
    "AS001",
    Severity.ERROR,
    "单独下达指标的站点不存在",
    "合作协议第三条乙方4：乙方有责任完成甲方下达的各项业务指标",
    "`stations[].station` 应为 data/stations/ 中某个文件的站点编号",
)


def check_override_stations(ctx: Context) -> Iterator[Finding]:
    doc = ctx.policy_docs.get("assessment")
    known = ctx.stations_by_id
    if doc is None or not known:
        return
    for index, entry in enumerate(map(as_dict, as_list(as_dict(doc.data).get("stations")))):
        station = as_str(entry.get("station"))
        if station is not None and station not in known:
            yield Finding(
                ("stations", index, "station"),
                tr(
                    "站点 `{id}` 没有对应的 data/stations/{id}.yaml",
                    "station `{id}` has no data/stations/{id}.yaml",
                    id=station,
                ),
                doc=doc,
            )


RULES: tuple[Rule, ...] = (Rule(UNKNOWN_STATION, "repository", check_override_stations),)
