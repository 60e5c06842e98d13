"""A station's history: stationmasters one after another, suspensions and closing in order, and the
agreement's notice period when a station closes before its agreement runs out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from yjstation.checking.rules.base import Context, Finding, Rule
from yjstation.domain.history import agreement_end, closed_on, tenures
from yjstation.foundation.diagnostics import Code, Severity
from yjstation.foundation.i18n import tr
from yjstation.foundation.records import as_date, as_dict, as_list
from yjstation.loading.loader import Document

DATES_ORDER = Code(
    "HI001",
    Severity.ERROR,
    "站点历史的日期顺序不对",
    "合作协议第三条：甲方有权更换合作者；第四条 违约责任及处理方式",
    "历任站长按任职先后排列，每人任职起始日期不晚于截止日期，接任日期晚于前任的截止日期；"
    "暂停运营的恢复日期不早于起始日期；登记停止运营原因时须有停止运营日期 `closed`",
)
SHORT_NOTICE = Code(
    "HI002",
    Severity.WARNING,
    "提前终止协议没有提前足够天数通知",
    "合作协议第四条：甲乙双方如需要提前终止合同，应提前30天通知对方，否则将视为违约",
    "核对通知日期 `closure.notice_date`；确属违约的，按协议第四条处理并在备注中说明",
)


def check_order(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    previous_end = None
    for tenure in tenures(station):
        where = ("former_stationmasters", tenure.index) if tenure.index is not None else ("stationmaster",)
        if tenure.index is None and previous_end is not None and tenure.first is None:
            yield Finding(
                where,
                tr(
                    "站点有前任站长，但没有登记现任站长的任职起始日期 `stationmaster.from`",
                    "the station had former stationmasters, but `stationmaster.from` is not given",
                ),
            )
        if tenure.first is not None and tenure.last is not None and tenure.last < tenure.first:
            yield Finding(
                (*where, "to"),
                tr(
                    "任职截止日期 {last} 早于起始日期 {first}",
                    "last day in office {last} is before the first {first}",
                    last=tenure.last,
                    first=tenure.first,
                ),
            )
        if previous_end is not None and tenure.first is not None and tenure.first <= previous_end:
            yield Finding(
                (*where, "from"),
                tr(
                    "任职起始日期 {first} 不晚于前任的截止日期 {before}",
                    "took office on {first}, not after the predecessor's last day {before}",
                    first=tenure.first,
                    before=previous_end,
                ),
            )
        if tenure.last is not None:
            if previous_end is not None and tenure.last <= previous_end:
                yield Finding(
                    (*where, "to"),
                    tr(
                        "历任站长没有按任职先后排列：截止日期 {last} 不晚于前一位的 {before}",
                        "former stationmasters are out of order: {last} is not after the previous {before}",
                        last=tenure.last,
                        before=previous_end,
                    ),
                )
            previous_end = tenure.last
    for index, entry in enumerate(map(as_dict, as_list(station.get("suspensions")))):
        first, last = as_date(entry.get("from")), as_date(entry.get("to"))
        if first is not None and last is not None and last < first:
            yield Finding(
                ("suspensions", index, "to"),
                tr(
                    "恢复前最后一天 {last} 早于暂停起始日期 {first}",
                    "the last day of the suspension {last} is before its first {first}",
                    last=last,
                    first=first,
                ),
            )
    if isinstance(station.get("closure"), dict) and closed_on(station) is None:
        yield Finding(
            ("closure",),
            tr(
                "登记了停止运营的原因，却没有停止运营日期 `closed`",
                "a closure is recorded without the closing date `closed`",
            ),
        )


def check_notice(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    closed = closed_on(station)
    if closed is None:
        return
    end = agreement_end(station, closed - timedelta(days=1))
    if end is None or closed > end:
        return  # the agreement ran its term: no early termination, no notice owed
    need = ctx.reporting.notice_days
    notice = as_date(as_dict(station.get("closure")).get("notice_date"))
    if notice is None:
        yield Finding(
            ("closed",),
            tr(
                "站点于 {closed} 停止运营，早于协议到期日 {end}，但没有登记通知日期",
                "the station closed on {closed}, before its agreement ends on {end}, but no notice date is recorded",
                closed=closed,
                end=end,
            ),
        )
        return
    days = (closed - notice).days
    if days < need:
        yield Finding(
            ("closure", "notice_date"),
            tr(
                "{notice} 通知、{closed} 停止运营，只提前了 {days} 天（协议到期日 {end}；协议要求提前 {need} 天）",
                "notice given {notice}, closed {closed}: {days} days' notice (the agreement ends {end}; "
                "it requires {need} days)",
                notice=notice,
                closed=closed,
                days=days,
                end=end,
                need=need,
            ),
        )


RULES: tuple[Rule, ...] = (
    Rule(DATES_ORDER, "station", check_order),
    Rule(SHORT_NOTICE, "station", check_notice),
)
