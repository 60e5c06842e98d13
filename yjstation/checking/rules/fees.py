"""Fee red lines in `validate`: the posted schedule as of --as-of and each month's takings as of that month.

Every figure is computed once by `yjstation.domain.fees`; each rule here reports the rows of its own code that
are over the line, so `validate` and `yjstation fees` always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from yjstation.checking.rules.base import Context, Finding, Rule
from yjstation.domain.fees import FeeRow, month_of, month_rows, posted_rows, price_rows, schedule_on, unpriced
from yjstation.domain.stations import is_operating
from yjstation.foundation.diagnostics import Code, Severity
from yjstation.foundation.i18n import tr
from yjstation.foundation.records import as_dict, as_str
from yjstation.loading.loader import Document

CLAUSE = "二（二）6 建立服务站运营资费标准：所有费用标准不得越过红线"
POSTED_OVER = Code("FE001", Severity.ERROR, "公示的收费标准超过红线", CLAUSE, "把公示的收费降到红线以内，并重新张贴")
NOTICE_MISSING = Code(
    "FE002",
    Severity.ERROR,
    "运营中的站点未张贴收费标准",
    "一（八）收费标准应在服务场所明显位置张贴",
    "在服务场所明显位置张贴收费标准后，把 `fees.notice_posted` 改为 true",
)
AVERAGE_OVER = Code(
    "FE003", Severity.ERROR, "月平均每单收费超过红线", CLAUSE, "核对该月的单数和收费；多收的费用应退还村民"
)
AGENCY_OVER = Code(
    "FE004",
    Severity.ERROR,
    "商品代购收费超过代购金额的 1%",
    "二（二）6 商品代购：收取代购金额的1%",
    "核对代购金额和收费",
)
REBATE_WRONG = Code(
    "FE005",
    Severity.ERROR,
    "代销返利不等于销售额的 5%",
    "二（二）6 商品代销：站长可获取5%的销售返利",
    "返利 = 销售额 × 5%，四舍五入到分",
)
CONVENIENCE_CHARGED = Code(
    "FE006", Severity.ERROR, "便民服务收了费", "二（二）6 便民服务：免费", "便民服务免费；收费应为 0，多收的应退还"
)
DEPOSIT_TAKEN = Code(
    "FE007",
    Severity.ERROR,
    "站点收取了村民押金",
    "合作协议第三条乙方义务3：不得收取村民及其他市场主体的押金",
    "退还押金，`deposits_from_villagers` 应为 0",
)
WITHOUT_ORDERS = Code("FE008", Severity.ERROR, "没有订单却有收费或金额", CLAUSE, "核对单数：有收费或金额时单数不能为 0")
MAXIMUM_OVER = Code("FE009", Severity.ERROR, "单笔最高收费超过红线", CLAUSE, "任何一单都不得超过红线")
NO_SCHEDULE = Code(
    "FE010",
    Severity.ERROR,
    "该日期没有生效的资费标准",
    "二（二）6 由县级电商公共服务中心建立站长服务费收益红线标准",
    "在 data/policy/fees.yaml 中补一版更早生效的资费标准",
)

UNPRICED = Code(
    "FE011",
    Severity.ERROR,
    "开展的服务没有公示收费标准",
    "一（八）增值服务：收费标准应在服务场所明显位置张贴；二（二）6 建立服务站运营资费标准",
    "在 `fees` 中填写该服务的收费（元/单或费率）；增值服务在 `fees.value_added` 中逐项填写 service 和 price 或 rate",
)
ABOVE_POSTED = Code(
    "FE012",
    Severity.ERROR,
    "实际收费高于本站公示的收费标准（明码标价）",
    "一（八）收费标准应在服务场所明显位置张贴：按公示的标准收费",
    "按公示价格收费，多收的退还村民；调整价格须先修改并重新张贴收费标准",
)


def _rows(doc: Document, ctx: Context) -> list[FeeRow]:
    """The fee rows of one file, computed once per run and shared by every FE rule."""
    if doc.file not in ctx.fee_rows:
        ctx.fee_rows[doc.file] = list(_compute(doc, ctx))
    return ctx.fee_rows[doc.file]


def _compute(doc: Document, ctx: Context) -> Iterator[FeeRow]:
    data = as_dict(doc.data)
    if "station" in data:  # an operations record
        known = month_of(data)
        schedule = schedule_on(ctx.fee_schedules, known[1]) if known else None
        if known and schedule:
            yield from month_rows(as_str(data.get("station")) or doc.file, known[0], data, schedule)
    else:
        schedule = schedule_on(ctx.fee_schedules, ctx.as_of)
        if schedule:
            yield from posted_rows(as_str(data.get("id")) or doc.file, data, schedule)


def _reporting(code: Code) -> Callable[[Document, dict[str, Any], Context], Iterator[Finding]]:
    def check(doc: Document, data: dict[str, Any], ctx: Context) -> Iterator[Finding]:
        for row in _rows(doc, ctx):
            if not row.ok and row.code == code.code:
                yield Finding(row.path, row.message)

    check.__doc__ = code.summary
    return check


def check_notice(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    posted = station.get("fees")
    if is_operating(station, ctx.as_of) and isinstance(posted, dict) and posted.get("notice_posted") is not True:
        yield Finding(
            ("fees", "notice_posted"),
            tr(
                "站点截至 {day} 已在运营，收费标准应张贴在服务场所明显位置",
                "the station operates as of {day}; its fees must be posted visibly",
                day=ctx.as_of,
            ),
        )


def check_schedule_exists(doc: Document, data: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    if not ctx.fee_schedules:
        return
    known = month_of(data)
    if known and schedule_on(ctx.fee_schedules, known[1]) is None:
        first = ctx.fee_schedules[0].effective_from
        yield Finding(
            ("month",),
            tr(
                "{month} 早于第一版资费标准的生效日期 {first}，无法检查收费",
                "{month} is before the first fee schedule ({first}); fees cannot be checked",
                month=known[0],
                first=first,
            ),
        )


def check_priced(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    posted = station.get("fees")
    if not isinstance(posted, dict):
        return
    if posted.get("notice_posted") is not True and not is_operating(station, ctx.as_of):
        return  # the schedule is written when the station opens (fit-out), not before
    for gap in unpriced(station):
        yield Finding(
            gap.path,
            tr(
                "本站开展“{service}”，但收费标准中没有它的收费{key}",
                "the station offers {service} but posts no price for it{key_en}",
                service=gap.service,
                key=f"（`fees.{gap.key}`）" if gap.key else "",
                key_en=f" (`fees.{gap.key}`)" if gap.key else "",
            ),
        )


def check_posted_price(doc: Document, record: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    sid, known = as_str(record.get("station")), month_of(record)
    found = ctx.stations_by_id.get(sid or "")
    if found is None or known is None:
        return
    posted = as_dict(found[1].get("fees"))
    for row in price_rows(sid or doc.file, known[0], record, posted, schedule_on(ctx.fee_schedules, known[1])):
        yield Finding(row.path, row.message)


RULES: tuple[Rule, ...] = (
    Rule(POSTED_OVER, "station", _reporting(POSTED_OVER)),
    Rule(NOTICE_MISSING, "station", check_notice),
    Rule(AVERAGE_OVER, "operations", _reporting(AVERAGE_OVER)),
    Rule(AGENCY_OVER, "operations", _reporting(AGENCY_OVER)),
    Rule(REBATE_WRONG, "operations", _reporting(REBATE_WRONG)),
    Rule(CONVENIENCE_CHARGED, "station", _reporting(CONVENIENCE_CHARGED)),
    Rule(CONVENIENCE_CHARGED, "operations", _reporting(CONVENIENCE_CHARGED)),
    Rule(DEPOSIT_TAKEN, "operations", _reporting(DEPOSIT_TAKEN)),
    Rule(WITHOUT_ORDERS, "operations", _reporting(WITHOUT_ORDERS)),
    Rule(MAXIMUM_OVER, "operations", _reporting(MAXIMUM_OVER)),
    Rule(NO_SCHEDULE, "operations", check_schedule_exists),
    Rule(UNPRICED, "station", check_priced),
    Rule(ABOVE_POSTED, "operations", check_posted_price),
)
