"""Fee red lines: the schedules in force by date, and every measured figure set against its cap.

One computation serves both `validate` (which reports the rows over the line as diagnostics) and the
`fees` command (which tabulates every row), so the two can never disagree. Money is `Decimal` from the
loader on; nothing here touches a float.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from yjstation.foundation.i18n import tr
from yjstation.foundation.records import as_date, as_dict, as_list, as_number, as_str, month_bounds
from yjstation.foundation.sourcemap import DataPath

CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")
ZERO = Decimal(0)

# Services charged per order, with the posted-schedule key that states the station's own price.
PER_ORDER = {
    "express": "express_per_order",
    "topup": "topup_per_order",
    "ticketing": "ticketing_per_order",
    "cash": "cash_per_order",
    "convenience": "convenience_per_order",
}


def money(value: Decimal) -> str:
    """Yuan as printed everywhere: two decimals, half up (`480.00`); never `-0.00`."""
    return str(_unsigned_zero(value.quantize(CENT, rounding=ROUND_HALF_UP)))


def rate(value: Decimal) -> str:
    """A rate as printed everywhere: four decimals (`0.0092`)."""
    return str(_unsigned_zero(value.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)))


def _unsigned_zero(value: Decimal) -> Decimal:
    # -0.001 rounds to -0.00 (Decimal keeps the sign of zero); a table shows 0.00
    return value.copy_abs() if value.is_zero() else value


@dataclass(frozen=True)
class FeeSchedule:
    effective_from: date
    name: str
    caps: dict[str, dict[str, Any]]
    deposits_allowed: bool
    index: int  # position in fees.yaml, for pointing at it

    def per_order_max(self, service: str) -> Decimal | None:
        return as_number(self.caps.get(service, {}).get("per_order_max"))

    def rate_max(self) -> Decimal | None:
        return as_number(self.caps.get("purchase_agency", {}).get("rate_max"))

    def rebate_rate(self) -> Decimal | None:
        return as_number(self.caps.get("consignment", {}).get("rebate_rate"))

    def clause(self, service: str) -> str:
        return str(self.caps.get(service, {}).get("clause", ""))


def schedules_from(data: dict[str, Any]) -> list[FeeSchedule]:
    """The schedules of data/policy/fees.yaml, oldest first; malformed entries are left to the schema."""
    found = []
    for index, raw in enumerate(as_list(data.get("schedules"))):
        raw = as_dict(raw)
        start = as_date(raw.get("effective_from"))
        if start is None:
            continue
        caps = {k: v for k, v in as_dict(raw.get("caps")).items() if isinstance(v, dict)}
        allowed = as_dict(raw.get("deposits_from_villagers")).get("allowed") is True
        found.append(FeeSchedule(start, str(raw.get("name", "")), caps, allowed, index))
    return sorted(found, key=lambda s: s.effective_from)


def schedule_on(schedules: list[FeeSchedule], day: date) -> FeeSchedule | None:
    """The schedule in force on `day`: the latest whose effective_from is not after it."""
    current = None
    for schedule in schedules:
        if schedule.effective_from <= day:
            current = schedule
    return current


@dataclass(frozen=True)
class FeeRow:
    """One measured figure against its cap. `month` is None for the posted schedule."""

    station: str
    month: str | None
    service: str
    measure: str  # posted | avg_fee | rate | rebate | fees | max_fee | max_rate | deposits | orders
    value: Decimal
    cap: Decimal
    ok: bool
    path: DataPath
    message: str
    code: str
    orders: int = 0
    fees: Decimal = ZERO
    is_rate: bool = False

    def value_text(self) -> str:
        return rate(self.value) if self.is_rate else money(self.value)

    def cap_text(self) -> str:
        return rate(self.cap) if self.is_rate else money(self.cap)


def posted_rows(station_id: str, station: dict[str, Any], schedule: FeeSchedule) -> Iterator[FeeRow]:
    """The station's posted schedule (收费标准) against the red lines."""
    posted = as_dict(station.get("fees"))
    for service, key in PER_ORDER.items():
        price, cap = as_number(posted.get(key)), schedule.per_order_max(service)
        if price is None or cap is None:
            continue
        ok = price <= cap
        code = "FE006" if service == "convenience" else "FE001"
        message = tr(
            "公示的{name}收费 {price} 元/单，上限 {cap} 元/单",
            "posted {service} fee {price} yuan/order, cap {cap}",
            name=_zh(service),
            service=service,
            price=money(price),
            cap=money(cap),
        )
        message += "" if ok else tr("，超出 {over} 元", ", {over} over", over=money(price - cap))
        yield FeeRow(station_id, None, service, "posted", price, cap, ok, ("fees", key), message, code)
    price, cap = as_number(posted.get("purchase_agency_rate")), schedule.rate_max()
    if price is not None and cap is not None:
        ok = price <= cap
        message = tr(
            "公示的商品代购费率 {rate}，上限 {cap}",
            "posted purchase-agency rate {rate}, cap {cap}",
            rate=_percent(price),
            cap=_percent(cap),
        )
        message += "" if ok else tr("，超出 {over}", ", {over} over", over=_percent(price - cap))
        yield FeeRow(
            station_id,
            None,
            "purchase_agency",
            "posted",
            price,
            cap,
            ok,
            ("fees", "purchase_agency_rate"),
            message,
            "FE001",
            is_rate=True,
        )


def month_rows(station_id: str, month: str, record: dict[str, Any], schedule: FeeSchedule) -> Iterator[FeeRow]:
    """One month's operations against the red lines, service by service."""
    services = as_dict(record.get("services"))
    for service in ("express", "topup", "ticketing", "cash", "convenience"):
        entry = services.get(service)
        if isinstance(entry, dict):
            yield from _per_order_rows(station_id, month, service, entry, schedule)
    agency = services.get("purchase_agency")
    if isinstance(agency, dict):
        yield from _agency_rows(station_id, month, agency, schedule)
    consignment = services.get("consignment")
    if isinstance(consignment, dict):
        yield from _consignment_rows(station_id, month, consignment, schedule)
    deposits = as_number(record.get("deposits_from_villagers"))
    if deposits is not None and not schedule.deposits_allowed:
        ok = deposits == 0
        yield FeeRow(
            station_id,
            month,
            "deposits",
            "deposits",
            deposits,
            ZERO,
            ok,
            ("deposits_from_villagers",),
            tr("收取村民押金 {amount} 元", "deposits taken from villagers: {amount} yuan", amount=money(deposits))
            + ("" if ok else tr("；协议禁止收取村民押金", "; the agreement forbids them")),
            "FE007",
        )


def _per_order_rows(
    station_id: str, month: str, service: str, entry: dict[str, Any], schedule: FeeSchedule
) -> Iterator[FeeRow]:
    cap = schedule.per_order_max(service)
    orders, fees = _orders(entry), as_number(entry.get("fees"))
    if cap is None or orders is None or fees is None:
        return
    base = ("services", service)
    code = "FE006" if service == "convenience" else "FE003"
    allowed = cap * orders
    ok = fees <= allowed
    if orders == 0:
        message = (
            tr(
                "{name}没有订单，却收费 {fees} 元",
                "{service}: no orders but {fees} yuan in fees",
                name=_zh(service),
                service=service,
                fees=money(fees),
            )
            if fees
            else tr("{name}本月没有订单", "{service}: no orders this month", name=_zh(service), service=service)
        )
        yield FeeRow(
            station_id,
            month,
            service,
            "fees",
            fees,
            ZERO,
            ok,
            (*base, "fees"),
            message,
            "FE008" if fees else code,
            orders,
            fees,
        )
    else:
        average = fees / orders
        message = tr(
            "{name} {orders} 单收费 {fees} 元，平均每单 {average} 元，上限 {cap} 元",
            "{service}: {orders} order{orders:|s}, {fees} yuan in fees, {average} per order, cap {cap}",
            name=_zh(service),
            service=service,
            orders=orders,
            fees=money(fees),
            average=_precise(average, cap),
            cap=money(cap),
        )
        if not ok:
            message += tr(
                "，每单超出 {over} 元（共多收 {total} 元）",
                ", {over} over per order ({total} overcharged)",
                over=_precise(average - cap, ZERO),
                total=money(fees - allowed),
            )
        yield FeeRow(
            station_id, month, service, "avg_fee", average, cap, ok, (*base, "fees"), message, code, orders, fees
        )
    highest = as_number(entry.get("max_fee"))
    if highest is not None:
        ok = highest <= cap
        message = tr(
            "{name}单笔最高收费 {highest} 元，上限 {cap} 元",
            "{service}: highest single fee {highest}, cap {cap}",
            name=_zh(service),
            service=service,
            highest=money(highest),
            cap=money(cap),
        )
        message += "" if ok else tr("，超出 {over} 元", ", {over} over", over=money(highest - cap))
        yield FeeRow(station_id, month, service, "max_fee", highest, cap, ok, (*base, "max_fee"), message, "FE009")


def _agency_rows(station_id: str, month: str, entry: dict[str, Any], schedule: FeeSchedule) -> Iterator[FeeRow]:
    cap = schedule.rate_max()
    orders, amount, fees = _orders(entry), as_number(entry.get("amount")), as_number(entry.get("fees")) or ZERO
    if cap is None or orders is None or amount is None:
        return
    base = ("services", "purchase_agency")
    if orders == 0 and (amount or fees):
        yield FeeRow(
            station_id,
            month,
            "purchase_agency",
            "orders",
            amount,
            ZERO,
            False,
            (*base, "orders"),
            tr(
                "商品代购没有订单，却有代购金额 {amount} 元、收费 {fees} 元",
                "purchase agency: no orders but an amount of {amount} and {fees} in fees",
                amount=money(amount),
                fees=money(fees),
            ),
            "FE008",
            orders,
            fees,
        )
    elif amount == 0:
        if fees:
            yield FeeRow(
                station_id,
                month,
                "purchase_agency",
                "fees",
                fees,
                ZERO,
                False,
                (*base, "fees"),
                tr(
                    "商品代购金额为 0，却收费 {fees} 元",
                    "purchase agency: amount 0 but {fees} in fees",
                    fees=money(fees),
                ),
                "FE008",
                orders,
                fees,
            )
    else:
        share = fees / amount
        ok = fees <= amount * cap
        message = tr(
            "商品代购金额 {amount} 元，收费 {fees} 元，费率 {share}，上限 {cap}",
            "purchase agency: {amount} bought, {fees} in fees, rate {share}, cap {cap}",
            amount=money(amount),
            fees=money(fees),
            share=_percent(share),
            cap=_percent(cap),
        )
        if not ok:
            message += tr("，多收 {over} 元", ", {over} overcharged", over=money(fees - amount * cap))
        yield FeeRow(
            station_id,
            month,
            "purchase_agency",
            "rate",
            share,
            cap,
            ok,
            (*base, "fees"),
            message,
            "FE004",
            orders,
            fees,
            is_rate=True,
        )
    highest = as_number(entry.get("max_rate"))
    if highest is not None:
        ok = highest <= cap
        yield FeeRow(
            station_id,
            month,
            "purchase_agency",
            "max_rate",
            highest,
            cap,
            ok,
            (*base, "max_rate"),
            tr(
                "商品代购单笔最高费率 {highest}，上限 {cap}",
                "purchase agency: highest single rate {highest}, cap {cap}",
                highest=_percent(highest),
                cap=_percent(cap),
            ),
            "FE009",
            is_rate=True,
        )


def _consignment_rows(station_id: str, month: str, entry: dict[str, Any], schedule: FeeSchedule) -> Iterator[FeeRow]:
    share = schedule.rebate_rate()
    orders, sales = _orders(entry), as_number(entry.get("sales"))
    rebate = as_number(entry.get("rebate"))
    if share is None or orders is None or sales is None:
        return
    base = ("services", "consignment")
    if orders == 0 and (sales or rebate):
        yield FeeRow(
            station_id,
            month,
            "consignment",
            "orders",
            sales,
            ZERO,
            False,
            (*base, "orders"),
            tr(
                "商品代销没有订单，却有销售额 {sales} 元",
                "consignment: no orders but {sales} in sales",
                sales=money(sales),
            ),
            "FE008",
            orders,
        )
        return
    if rebate is None:
        return
    expected = (sales * share).quantize(CENT, rounding=ROUND_HALF_UP)
    ok = rebate == expected
    message = tr(
        "代销销售额 {sales} 元，返利 {rebate} 元，应为 {share} 即 {expected} 元",
        "consignment sales {sales}, rebate {rebate}; {share} would be {expected}",
        sales=money(sales),
        rebate=money(rebate),
        share=_percent(share),
        expected=money(expected),
    )
    if not ok:
        message += tr("（相差 {diff} 元）", " ({diff} off)", diff=money(rebate - expected))
    yield FeeRow(
        station_id,
        month,
        "consignment",
        "rebate",
        rebate,
        expected,
        ok,
        (*base, "rebate"),
        message,
        "FE005",
        orders,
        rebate,
    )


def _orders(entry: dict[str, Any]) -> int | None:
    orders = entry.get("orders")
    return orders if isinstance(orders, int) and not isinstance(orders, bool) and orders >= 0 else None


def _precise(value: Decimal, cap: Decimal) -> str:
    # Two decimals unless rounding would make an overcharge look like the cap itself (2.004 -> "2.00").
    shown = _unsigned_zero(value.quantize(CENT, rounding=ROUND_HALF_UP))
    if value > cap and shown <= cap:
        return str(value.quantize(RATE_PLACES, rounding=ROUND_HALF_UP))
    return str(shown)


def _percent(value: Decimal) -> str:
    return f"{(value * 100).quantize(CENT, rounding=ROUND_HALF_UP).normalize():f}%"


_ZH = {
    "express": "快递收发",
    "purchase_agency": "商品代购",
    "consignment": "商品代销",
    "topup": "充值缴费",
    "ticketing": "票务订购",
    "cash": "存取款服务",
    "convenience": "便民服务",
    "deposits": "收取村民押金",
}


def _zh(service: str) -> str:
    return _ZH.get(service, service)


def service_label(service: str) -> str:
    return _zh(service)


def month_of(record: dict[str, Any]) -> tuple[str, date] | None:
    month = as_str(record.get("month"))
    bounds = month_bounds(month) if month else None
    return (month, bounds[1]) if month and bounds else None


# What a station must post for each service it offers (一（八）; 二（二）6 lists the charged services):
# the posted-schedule keys each service code of `services` needs. Express is posted by every station,
# since each is co-built with a logistics point; convenience services are free by the plan, so their
# line prints 免费 whether posted or not; consignment charges villagers nothing (the station earns a
# rebate); value-added services are listed one by one in `fees.value_added`.
POSTED_FOR_SERVICE = {
    "purchase_agency": ("purchase_agency_rate",),
    "bill_payment": ("topup_per_order", "ticketing_per_order"),
    "finance": ("cash_per_order",),
}
ALWAYS_POSTED = ("express_per_order",)


@dataclass(frozen=True)
class Unpriced:
    """A service the station offers without a posted price: where, and what is missing."""

    path: DataPath
    service: str  # a label: 快递收发, or the value-added service's own name
    key: str  # the posted-schedule key, or "" for a value-added line


def unpriced(station: dict[str, Any]) -> Iterator[Unpriced]:
    """Every offered service lacking its posted price or rate (明码标价)."""
    posted = as_dict(station.get("fees"))
    offered = [s for s in as_list(station.get("services")) if isinstance(s, str)]
    keys = [*ALWAYS_POSTED, *(k for s in offered for k in POSTED_FOR_SERVICE.get(s, ()))]
    for key in keys:
        if as_number(posted.get(key)) is None:
            yield Unpriced(("fees", key), _zh(_SERVICE_OF_KEY.get(key, key)), key)
    lines = [as_dict(v) for v in as_list(posted.get("value_added"))]
    for index, line in enumerate(lines):
        if as_number(line.get("price")) is None and as_number(line.get("rate")) is None:
            yield Unpriced(("fees", "value_added", index), as_str(line.get("service")) or "增值服务", "")
    priced = {as_str(line.get("service")) for line in lines}
    added = as_list(as_dict(as_dict(station.get("rollout")).get("upgrade")).get("added_services"))
    for index, name in enumerate(added):
        if isinstance(name, str) and name not in priced:
            yield Unpriced(("rollout", "upgrade", "added_services", index), name, "")
    if "value_added" in offered and not lines and not added:
        yield Unpriced(("services", offered.index("value_added")), "增值服务", "")


_SERVICE_OF_KEY = {key: service for service, key in PER_ORDER.items()} | {"purchase_agency_rate": "purchase_agency"}


def price_rows(
    station_id: str, month: str, record: dict[str, Any], posted: dict[str, Any], schedule: FeeSchedule | None
) -> Iterator[FeeRow]:
    """One month's takings against the station's own posted prices (明码标价): the average per order and
    the highest single fee may not exceed the posted price, nor the purchase-agency rate the posted rate.
    Separate from the red lines: a station posting 1.00 and charging 1.50 is within the 2-yuan line and
    still charges more than it told its villagers. A figure over the red line (in force for `schedule`)
    is left to the red-line rows, so one overcharge is reported once."""
    services = as_dict(record.get("services"))
    for service, key in PER_ORDER.items():
        entry, price = services.get(service), as_number(posted.get(key))
        if not isinstance(entry, dict) or price is None:
            continue
        orders, fees = _orders(entry), as_number(entry.get("fees"))
        base = ("services", service)
        cap = schedule.per_order_max(service) if schedule is not None else None
        if orders and fees is not None and fees > price * orders and (cap is None or fees <= cap * orders):
            average = fees / orders
            yield FeeRow(
                station_id,
                month,
                service,
                "price",
                average,
                price,
                False,
                (*base, "fees"),
                tr(
                    "{name} {orders} 单收费 {fees} 元，平均每单 {average} 元，高于本站公示的 {price} 元/单",
                    "{service}: {orders} orders, {fees} yuan, {average} per order, above the posted {price}",
                    name=_zh(service),
                    service=service,
                    orders=orders,
                    fees=money(fees),
                    average=_precise(average, price),
                    price=money(price),
                ),
                "FE012",
                orders,
                fees,
            )
        highest = as_number(entry.get("max_fee"))
        if highest is not None and highest > price and (cap is None or highest <= cap):
            yield FeeRow(
                station_id,
                month,
                service,
                "max_price",
                highest,
                price,
                False,
                (*base, "max_fee"),
                tr(
                    "{name}单笔最高收费 {highest} 元，高于本站公示的 {price} 元/单",
                    "{service}: highest single fee {highest}, above the posted {price}",
                    name=_zh(service),
                    service=service,
                    highest=money(highest),
                    price=money(price),
                ),
                "FE012",
            )
    agency, rate_posted = services.get("purchase_agency"), as_number(posted.get("purchase_agency_rate"))
    rate_cap = schedule.rate_max() if schedule is not None else None
    if isinstance(agency, dict) and rate_posted is not None:
        amount, fees = as_number(agency.get("amount")), as_number(agency.get("fees"))
        over_line = rate_cap is not None and amount is not None and fees is not None and fees > amount * rate_cap
        if amount and fees is not None and fees > amount * rate_posted and not over_line:
            yield FeeRow(
                station_id,
                month,
                "purchase_agency",
                "price",
                fees / amount,
                rate_posted,
                False,
                ("services", "purchase_agency", "fees"),
                tr(
                    "商品代购金额 {amount} 元，收费 {fees} 元，费率 {share}，高于本站公示的 {posted}",
                    "purchase agency: {amount} bought, {fees} in fees, rate {share}, above the posted {posted}",
                    amount=money(amount),
                    fees=money(fees),
                    share=_percent(fees / amount),
                    posted=_percent(rate_posted),
                ),
                "FE012",
                is_rate=True,
            )
        highest = as_number(agency.get("max_rate"))
        if highest is not None and highest > rate_posted and (rate_cap is None or highest <= rate_cap):
            yield FeeRow(
                station_id,
                month,
                "purchase_agency",
                "max_price",
                highest,
                rate_posted,
                False,
                ("services", "purchase_agency", "max_rate"),
                tr(
                    "商品代购单笔最高费率 {highest}，高于本站公示的 {posted}",
                    "purchase agency: highest single rate {highest}, above the posted {posted}",
                    highest=_percent(highest),
                    posted=_percent(rate_posted),
                ),
                "FE012",
                is_rate=True,
            )
