"""The cooperation agreement: dates in order and a term still running while the station operates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from yjstation.checking.rules.base import Claim, Context, Finding, Rule, clashes
from yjstation.domain.stations import agreement_end, is_operating
from yjstation.foundation.diagnostics import Code, Severity
from yjstation.foundation.i18n import tr
from yjstation.foundation.records import as_date, as_dict, as_list, as_str, dig
from yjstation.foundation.sourcemap import DataPath
from yjstation.loading.loader import Document

DATES_ORDER = Code(
    "AG001",
    Severity.ERROR,
    "协议日期顺序不对",
    "合作协议第二条 协议期限",
    "应为：签订日期 ≤ 开始日期 < 结束日期；续签日期不早于签订日期，续签后结束日期晚于原结束日期",
)
EXPIRED = Code(
    "AG002",
    Severity.ERROR,
    "运营中的站点没有有效的合作协议",
    "合作协议第二条 协议期限；若有继续合作意愿可续签",
    "续签协议（在 agreement.renewals 中登记），或登记停止运营日期 `closed`",
)
DUPLICATE_NUMBER = Code("AG003", Severity.ERROR, "协议编号重复", "合作协议：一站一协议", "每份协议使用唯一编号")
WITHOUT_APPLICATION = Code(
    "AG004",
    Severity.ERROR,
    "协议签订前缺少站长申请、村支两委推荐或县级中心审核",
    "三（三）报名申请，申请表上加盖所在村支两委公章；县级中心对其资质进行审核，审核通过双方签订合作协议",
    "补登 `stationmaster.application` 的申请日期 submitted、村支两委推荐 village_committee_endorsed: true 和审核通过日期 approved",
)


def check_dates(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    agreement = as_dict(station.get("agreement"))
    signed, start, end = (as_date(agreement.get(k)) for k in ("signed", "start", "end"))
    if signed and start and start < signed:
        yield Finding(
            ("agreement", "start"),
            tr(
                "开始日期 {start} 早于签订日期 {signed}",
                "start {start} is before signing {signed}",
                start=start,
                signed=signed,
            ),
        )
    if start and end and end <= start:
        yield Finding(
            ("agreement", "end"),
            tr("结束日期 {end} 不晚于开始日期 {start}", "end {end} is not after start {start}", end=end, start=start),
        )
    previous_end = end
    for index, renewal in enumerate(as_list(agreement.get("renewals"))):
        renewed_on, renewed_end = as_date(dig(renewal, ("signed",))), as_date(dig(renewal, ("end",)))
        path = ("agreement", "renewals", index)
        if renewed_on and signed and renewed_on < signed:
            yield Finding(
                (*path, "signed"),
                tr(
                    "续签日期 {renewed} 早于原协议签订日期 {signed}",
                    "renewal {renewed} is before the original signing {signed}",
                    renewed=renewed_on,
                    signed=signed,
                ),
            )
        if renewed_end and previous_end and renewed_end <= previous_end:
            yield Finding(
                (*path, "end"),
                tr(
                    "续签后结束日期 {end} 不晚于此前的结束日期 {before}",
                    "renewed end {end} is not after the previous end {before}",
                    end=renewed_end,
                    before=previous_end,
                ),
            )
        previous_end = renewed_end or previous_end


def check_in_force(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    if not is_operating(station, ctx.as_of):
        return
    if not isinstance(station.get("agreement"), dict):
        yield Finding(
            ("rollout", "fit_out", "done"),
            tr(
                "站点已开始运营，但截至 {day} 没有登记合作协议",
                "the station operates but has no agreement as of {day}",
                day=ctx.as_of,
            ),
        )
        return
    end = agreement_end(station, ctx.as_of)
    if end is not None and end < ctx.as_of:
        yield Finding(
            _path_of_end(station, end),
            tr(
                "协议已于 {end} 到期（截至 {day}），站点仍在运营",
                "the agreement ended on {end} (as of {day}) but the station still operates",
                end=end,
                day=ctx.as_of,
            ),
        )


def check_application_before(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    if not isinstance(station.get("agreement"), dict):
        return
    application = as_dict(dig(station, ("stationmaster", "application")))
    missing = [
        name
        for name, ok in (
            (tr("申请日期", "the application date"), as_date(application.get("submitted")) is not None),
            (
                tr("村支两委推荐（盖章）", "the village committee's endorsement"),
                application.get("village_committee_endorsed") is True,
            ),
            (
                tr("县级中心审核通过日期", "the centre's approval date"),
                as_date(application.get("approved")) is not None,
            ),
        )
        if not ok
    ]
    if missing:
        yield Finding(
            ("agreement",),
            tr(
                "已登记合作协议，但站长申请缺少：{missing}",
                "an agreement is recorded but the stationmaster's application lacks {missing}",
                missing=tr("、", ", ").join(missing),
            ),
        )


def _path_of_end(station: dict[str, Any], end: date) -> DataPath:
    """Where the end date in force is written: the original term, or the renewal that set it."""
    for index, renewal in enumerate(as_list(dig(station, ("agreement", "renewals")))):
        if as_date(dig(renewal, ("end",))) == end:
            return ("agreement", "renewals", index, "end")
    return ("agreement", "end")


def check_unique_number(ctx: Context) -> Iterator[Finding]:
    def claims() -> Iterator[Claim]:
        for doc in ctx.stations:
            owner = as_str(as_dict(doc.data).get("id")) or doc.file
            # A replaced stationmaster's agreement keeps its number: a new one may not reuse it.
            held: list[tuple[DataPath, Any]] = [((), doc.data)]
            held += [
                (("former_stationmasters", i), entry)
                for i, entry in enumerate(as_list(as_dict(doc.data).get("former_stationmasters")))
            ]
            for base, holder in held:
                agreement = as_dict(as_dict(holder).get("agreement"))
                numbered: list[tuple[DataPath, Any]] = [((*base, "agreement", "number"), agreement.get("number"))]
                numbered += [
                    ((*base, "agreement", "renewals", i, "number"), dig(r, ("number",)))
                    for i, r in enumerate(as_list(agreement.get("renewals")))
                ]
                yield from (Claim(number, doc, path, owner) for path, number in numbered if as_str(number))

    for claim, others in clashes(claims()):
        yield Finding(
            claim.path,
            tr(
                "协议编号 {number} 也用于 {others}",
                "agreement number {number} is also used by {others}",
                number=claim.key,
                others=", ".join(others),
            ),
            doc=claim.doc,
        )


RULES: tuple[Rule, ...] = (
    Rule(DATES_ORDER, "station", check_dates),
    Rule(EXPIRED, "station", check_in_force),
    Rule(DUPLICATE_NUMBER, "repository", check_unique_number),
    Rule(WITHOUT_APPLICATION, "station", check_application_before),
)
