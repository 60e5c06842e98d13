"""Where a station is and what it stands on: its id, township, village, site and the county's targets."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from decimal import Decimal
from itertools import pairwise
from pathlib import PurePosixPath
from typing import Any

from yjstation.checking.rules.base import Claim, Context, Finding, Rule, clashes
from yjstation.domain.county import Village
from yjstation.foundation.diagnostics import Code, Severity
from yjstation.foundation.i18n import tr
from yjstation.foundation.records import as_date, as_dict, as_number, as_str, dig
from yjstation.loading.loader import Document

SITE_AREA_M2 = (Decimal(20), Decimal(30))

ID_NOT_STEM = Code(
    "ST001",
    Severity.ERROR,
    "站点编号与文件名不一致",
    "数据约定：站点编号等于文件名",
    "把 `id` 改成文件名（不含 .yaml），或把文件改名",
)
UNKNOWN_TOWNSHIP = Code(
    "ST002",
    Severity.ERROR,
    "所属乡镇不在 county.yaml 中",
    "一（建设73个服务站，15个乡镇）",
    "填写 data/county.yaml 中某个乡镇的编号",
)
VILLAGE_REQUIRED = Code(
    "ST003", Severity.ERROR, "村级服务站缺少所在行政村", "58个行政村电商服务站点", "填写 `village`，如 勐展村"
)
UNKNOWN_VILLAGE = Code(
    "ST004",
    Severity.WARNING,
    "行政村不在该乡镇的村名单中（按村名或统计代码核对）",
    "一（58个行政村电商服务站点）；行政村以统计用区划代码名单为准",
    "按 data/county.yaml 的村名单改正 `village`（如 勐盏村）或 `village_code`（12 位统计代码）",
)
SECOND_IN_VILLAGE = Code(
    "ST005",
    Severity.ERROR,
    "同一行政村有两个服务站",
    "一（每个行政村一个村级服务站）",
    "每个行政村只设一个村级服务站；合并或改正村名",
)
SECOND_IN_TOWNSHIP = Code(
    "ST006", Severity.ERROR, "同一乡镇有两个乡镇级服务站", "一（15个乡镇电商服务站）", "每个乡镇只设一个乡镇级服务站"
)
COUNT_VS_TARGET = Code(
    "ST007",
    Severity.WARNING,
    "站点数量与建设目标不符",
    "一（73个站点：15个乡镇站、58个村级站）",
    "核对站点文件，或调整 data/county.yaml 的 targets",
)
NO_BROADBAND = Code(
    "ST008", Severity.ERROR, "站点未开通宽带", "三（四）所选站点已开通宽带业务", "先开通宽带；确需例外须经县级中心批准"
)
AREA_OUTSIDE = Code(
    "ST009",
    Severity.WARNING,
    "服务站经营面积不在 20–30 平方米",
    "三（四）镇村级电商服务站选址方案：经营场地面积在20-30平方米",
    "核对面积；不符合时在备注中说明原因",
)
POVERTY_MISMATCH = Code(
    "ST010",
    Severity.WARNING,
    "贫困村标记与 county.yaml 不一致",
    "加大建档立卡贫困村服务站覆盖率",
    "以 county.yaml 的村名单为准改正 `poverty_village`",
)
NOT_ENDORSED = Code(
    "ST011",
    Severity.ERROR,
    "站长申请未经村支两委盖章推荐即获批准",
    "三（三）申请表上需加盖所在村支两委公章",
    "补齐村支两委推荐（盖章）后再审批",
)
APPLICATION_ORDER = Code(
    "ST012",
    Severity.ERROR,
    "申请、审批、签约日期顺序不对",
    "三（三）报名申请→县级中心审核→签订合作协议",
    "应为：申请日期 ≤ 审核通过日期 ≤ 协议签订日期",
)
NOT_CO_BUILT = Code(
    "ST013", Severity.WARNING, "站点未与物流点共建", "一（并与73个物流站点共建）", "与合作物流企业共建物流点后改为 true"
)


def check_id_matches_file(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    stem = PurePosixPath(doc.file).stem
    station_id = as_str(station.get("id"))
    if station_id is not None and station_id != stem:
        yield Finding(
            ("id",),
            tr(
                "站点编号 `{id}` 与文件名 `{stem}` 不一致",
                "station id `{id}` differs from the file name `{stem}`",
                id=station_id,
                stem=stem,
            ),
        )


def check_township(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    township = as_str(station.get("township"))
    if township is None or not ctx.townships or township in ctx.townships:
        return
    close = difflib.get_close_matches(township, list(ctx.townships), n=1)
    hint = (
        tr(
            "是否应为 `{id}`（{name}）？",
            "did you mean `{id}` ({name})?",
            id=close[0],
            name=ctx.townships[close[0]].name,
        )
        if close
        else tr(
            "可用的乡镇：{ids}",
            "townships: {ids}",
            ids="、".join(f"{k}（{t.name}）" for k, t in ctx.townships.items()),
        )
    )
    yield Finding(
        ("township",),
        tr(
            "乡镇编号 `{id}` 不在 data/county.yaml 的乡镇列表中",
            "township `{id}` is not in data/county.yaml",
            id=township,
        ),
        hint=hint,
    )


def check_village_given(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    if station.get("level") == "village" and not as_str(station.get("village")):
        yield Finding(
            ("level",) if "village" not in station else ("village",),
            tr("村级服务站必须填写所在行政村 `village`", "a village station needs its `village`"),
        )


def check_village_known(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    township = ctx.townships.get(as_str(station.get("township")) or "")
    village, code = as_str(station.get("village")), as_str(station.get("village_code"))
    if township is None or (village is None and code is None) or station.get("level") != "village":
        return
    if not township.villages:
        return  # a county that has not listed its villages yet: nothing to check against
    if code is not None:
        entry = township.find_village(code=code)
        if entry is None:
            elsewhere = ctx.county_view.township_listing(code)
            yield Finding(
                ("village_code",),
                tr(
                    "统计代码 {code} 不在{township}的村名单中{where}",
                    "code {code} is not in the village list of {township}{where_en}",
                    code=code,
                    township=township.name,
                    where=f"（属于{elsewhere.name}）" if elsewhere else "",
                    where_en=f" (it belongs to {elsewhere.name})" if elsewhere else "",
                ),
            )
        elif village is not None and not entry.answers_to(village):
            yield Finding(
                ("village",),
                tr(
                    "村名“{village}”与统计代码 {code}（{name}）不一致",
                    "village {village} disagrees with code {code} ({name})",
                    village=village,
                    code=code,
                    name=entry.full_name or entry.name,
                ),
                hint=tr("是否应为“{name}”？", "did you mean {name}?", name=entry.name),
            )
        return
    if village is not None and township.find_village(village) is None:
        names = [v.name for v in township.villages]
        close = difflib.get_close_matches(village, names, n=1)
        hint = tr("是否应为“{name}”？", "did you mean {name}?", name=close[0]) if close else None
        yield Finding(
            ("village",),
            tr(
                "“{village}”不在{township}的行政村名单中",
                "{village} is not in the village list of {township}",
                village=village,
                township=township.name,
            ),
            hint=hint,
        )


def check_poverty_flag(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    register = _register_entry(station, ctx)
    flag = station.get("poverty_village")
    if register is not None and isinstance(flag, bool) and register.poverty is not None and flag != register.poverty:
        yield Finding(
            ("poverty_village",),
            tr(
                "站点文件记为{said}贫困村，county.yaml 中{village}{register}贫困村",
                "the station file says poverty_village {flag}, county.yaml says {truth} for {village}",
                said="是" if flag else "不是",
                register="是" if register.poverty else "不是",
                flag=str(flag).lower(),
                truth=str(register.poverty).lower(),
                village=station.get("village"),
            ),
        )


def check_one_per_village(ctx: Context) -> Iterator[Finding]:
    def key(data: dict[str, Any]) -> object:
        # One village however it is written (勐盏村, 勐盏村民委员会 or its code): the register entry decides.
        entry = _register_entry(data, ctx)
        return (as_str(data.get("township")), entry.code or entry.name if entry else as_str(data.get("village")))

    claims = (
        Claim(key(data), doc, ("village",), as_str(data.get("id")) or doc.file)
        for doc in ctx.stations
        if (data := as_dict(doc.data)).get("level") == "village" and as_str(data.get("village"))
    )
    for claim, others in clashes(claims):
        village = as_dict(claim.doc.data).get("village")
        yield Finding(
            claim.path,
            tr(
                "{village}还有服务站 {others}；一个行政村只设一个村级服务站",
                "{village} also has station {others}; one station per village",
                village=village,
                others=", ".join(others),
            ),
            doc=claim.doc,
        )


def check_one_per_township(ctx: Context) -> Iterator[Finding]:
    claims = (
        Claim(data.get("township"), doc, ("level",), as_str(data.get("id")) or doc.file)
        for doc in ctx.stations
        if (data := as_dict(doc.data)).get("level") == "township" and as_str(data.get("township"))
    )
    for claim, others in clashes(claims):
        known = ctx.townships.get(str(claim.key))
        name = known.name if known is not None else str(claim.key)
        yield Finding(
            claim.path,
            tr(
                "{name}还有乡镇级服务站 {others}；每个乡镇只设一个",
                "{name} also has township station {others}; one per township",
                name=name,
                others=", ".join(others),
            ),
            doc=claim.doc,
        )


def check_counts(ctx: Context) -> Iterator[Finding]:
    if ctx.county_doc is None:
        return
    targets = ctx.county_view.targets
    levels = [as_dict(doc.data).get("level") for doc in ctx.stations]
    for level, key in (("township", "township_stations"), ("village", "village_stations")):
        target = getattr(targets, key)
        have = levels.count(level)
        if target is not None and have != target:
            name = ctx.label("station", ("level",), level)
            yield Finding(
                ("targets", key),
                tr(
                    "{name}有 {have} 个，建设目标为 {target} 个（{more}{diff} 个）",
                    "{have} {level} stations, the target is {target} ({diff} {more_en})",
                    name=name,
                    have=have,
                    target=target,
                    diff=abs(have - target),
                    level=level,
                    more="多 " if have > target else "差 ",
                    more_en="too many" if have > target else "missing",
                ),
                doc=ctx.county_doc,
            )


def check_broadband(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    if dig(station, ("site", "broadband")) is False:
        yield Finding(
            ("site", "broadband"),
            tr(
                "站点未开通宽带；方案要求所选站点已开通宽带业务",
                "no broadband; the plan requires a site with broadband",
            ),
        )


def check_area(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    area = as_number(dig(station, ("site", "area_m2")))
    low, high = SITE_AREA_M2
    # 三（四） is headed 镇村级电商服务站选址方案: the 20–30 m² guidance covers township stations too.
    if area is not None and area > 0 and not low <= area <= high:
        yield Finding(
            ("site", "area_m2"),
            tr(
                "经营面积 {area} 平方米，方案建议 {low}–{high} 平方米",
                "site area {area} m², the plan asks for {low}-{high} m²",
                area=area,
                low=low,
                high=high,
            ),
        )


def check_endorsed(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    application = as_dict(dig(station, ("stationmaster", "application")))
    if application.get("approved") and application.get("village_committee_endorsed") is not True:
        path = ("stationmaster", "application", "village_committee_endorsed")
        yield Finding(
            path if "village_committee_endorsed" in application else path[:-1],
            tr(
                "申请已审核通过，但没有村支两委盖章推荐",
                "the application was approved without the village committee's endorsement",
            ),
        )


def check_application_order(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    steps = (
        (("stationmaster", "application", "submitted"), tr("申请日期", "application date")),
        (("stationmaster", "application", "approved"), tr("审核通过日期", "approval date")),
        (("agreement", "signed"), tr("协议签订日期", "signing date")),
    )
    dated = [(path, name, as_date(dig(station, path))) for path, name in steps]
    known = [(path, name, when) for path, name, when in dated if when is not None]
    for (_, before_name, before), (path, name, when) in pairwise(known):
        if when < before:
            yield Finding(
                path,
                tr(
                    "{name} {when} 早于{before_name} {before}",
                    "{name} {when} is before the {before_name} {before}",
                    name=name,
                    when=when,
                    before_name=before_name,
                    before=before,
                ),
            )


def check_co_built(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    if dig(station, ("logistics_point", "co_built")) is False:
        yield Finding(
            ("logistics_point", "co_built"),
            tr("服务站应与物流点共建", "the station should be co-built with a logistics point"),
        )


def _register_entry(station: dict[str, Any], ctx: Context) -> Village | None:
    township = ctx.townships.get(as_str(station.get("township")) or "")
    if township is None or station.get("level") != "village":
        return None
    return township.find_village(as_str(station.get("village")), as_str(station.get("village_code")))


RULES: tuple[Rule, ...] = (
    Rule(ID_NOT_STEM, "station", check_id_matches_file),
    Rule(UNKNOWN_TOWNSHIP, "station", check_township),
    Rule(VILLAGE_REQUIRED, "station", check_village_given),
    Rule(UNKNOWN_VILLAGE, "station", check_village_known),
    Rule(SECOND_IN_VILLAGE, "repository", check_one_per_village),
    Rule(SECOND_IN_TOWNSHIP, "repository", check_one_per_township),
    Rule(COUNT_VS_TARGET, "repository", check_counts),
    Rule(NO_BROADBAND, "station", check_broadband),
    Rule(AREA_OUTSIDE, "station", check_area),
    Rule(POVERTY_MISMATCH, "station", check_poverty_flag),
    Rule(NOT_ENDORSED, "station", check_endorsed),
    Rule(APPLICATION_ORDER, "station", check_application_order),
    Rule(NOT_CO_BUILT, "station", check_co_built),
)
