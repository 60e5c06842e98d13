"""Event records (`data/events/*.yaml`): they name real stations, their id is their file's name, and a
优秀 selection is a recorded decision, with who decided, on which criteria, and the stationmaster named
as the station file has them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from yjstation.checking.rules.base import Context, Finding, Rule
from yjstation.foundation.diagnostics import Code, Severity
from yjstation.foundation.i18n import tr
from yjstation.foundation.records import as_dict, as_list, as_str, dig
from yjstation.foundation.sourcemap import DataPath

SELECTION_CLAUSE = "二（二）1 优秀评选：评选优秀站点和优秀站长"
UNKNOWN_STATION = Code(
    "EV001",
    Severity.ERROR,
    "活动或评选记录中的站点不存在",
    "二（二）1 促销拉动、优秀评选：在服务站开展活动、评选站点",
    "`stations` 和 `selected[].station` 应为 data/stations/ 中某个文件的站点编号",
)
ID_NOT_STEM = Code(
    "EV002",
    Severity.ERROR,
    "活动记录编号与文件名不一致",
    "数据约定：data/events/<编号>.yaml",
    "把 `id` 改成文件名（不含 .yaml），或把文件改名",
)
SELECTION_UNRECORDED = Code(
    "EV003",
    Severity.ERROR,
    "评选记录缺少评选单位、评选标准或评选结果",
    SELECTION_CLAUSE,
    "评选是县级中心的决定：填写 `decided_by`（谁评的）、`criteria`（依据什么标准）和 `selected`（评上谁）",
)
WRONG_STATIONMASTER = Code(
    "EV004",
    Severity.WARNING,
    "优秀站长姓名与站点文件中的站长不一致",
    SELECTION_CLAUSE,
    "核对姓名；站长已更换时以评选时在任的站长为准，并在备注中说明",
)


def check_stations_exist(ctx: Context) -> Iterator[Finding]:
    known = ctx.stations_by_id
    if not known:
        return
    for doc in ctx.events:
        data = as_dict(doc.data)
        named: list[tuple[DataPath, Any]] = [(("stations", i), s) for i, s in enumerate(as_list(data.get("stations")))]
        named += [
            (("selected", i, "station"), dig(a, ("station",))) for i, a in enumerate(as_list(data.get("selected")))
        ]
        for path, sid in named:
            if isinstance(sid, str) and sid not in known:
                yield Finding(
                    path,
                    tr(
                        "站点 `{id}` 没有对应的 data/stations/{id}.yaml",
                        "station `{id}` has no data/stations/{id}.yaml",
                        id=sid,
                    ),
                    doc=doc,
                )


def check_id(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.events:
        eid, stem = as_str(as_dict(doc.data).get("id")), PurePosixPath(doc.file).stem
        if eid is not None and eid != stem:
            yield Finding(
                ("id",),
                tr(
                    "编号 `{id}` 与文件名 `{stem}` 不一致",
                    "id `{id}` differs from the file name `{stem}`",
                    id=eid,
                    stem=stem,
                ),
                doc=doc,
            )


def check_selection_recorded(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.events:
        data = as_dict(doc.data)
        if data.get("kind") != "excellence_selection":
            continue
        for key, what in (
            ("decided_by", tr("评选单位", "who decided")),
            ("criteria", tr("评选标准", "the criteria")),
            ("selected", tr("评选结果", "whom it selected")),
        ):
            if not data.get(key):
                yield Finding(
                    (key,),
                    tr(
                        "评选记录没有{what}（`{key}`）",
                        "the selection does not record {what} (`{key}`)",
                        what=what,
                        key=key,
                    ),
                    doc=doc,
                )


def check_stationmaster_named(ctx: Context) -> Iterator[Finding]:
    known = ctx.stations_by_id
    for doc in ctx.events:
        for index, award in enumerate(map(as_dict, as_list(as_dict(doc.data).get("selected")))):
            named, found = as_str(award.get("stationmaster")), known.get(as_str(award.get("station")) or "")
            actual = as_str(dig(found[1], ("stationmaster", "name"))) if found else None
            if named is not None and actual is not None and named != actual:
                yield Finding(
                    ("selected", index, "stationmaster"),
                    tr(
                        "评选记录写的站长是{named}，站点文件中的站长是{actual}",
                        "the selection names {named}; the station file's stationmaster is {actual}",
                        named=named,
                        actual=actual,
                    ),
                    doc=doc,
                )


RULES: tuple[Rule, ...] = (
    Rule(UNKNOWN_STATION, "repository", check_stations_exist),
    Rule(ID_NOT_STEM, "repository", check_id),
    Rule(SELECTION_UNRECORDED, "repository", check_selection_recorded),
    Rule(WRONG_STATIONMASTER, "repository", check_stationmaster_named),
)
