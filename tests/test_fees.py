"""Fee red lines: every service at and just past its cap, schedules by date, Decimal all the way."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from yjstation.domain.fees import FeeSchedule, money, month_rows, posted_rows, rate, schedule_on, schedules_from
from yjstation.loading.loader import load_file


@pytest.fixture(scope="module")
def policy(bundle: Path) -> Any:
    """The bundled red lines (the plan's), as yjstation loads them."""
    return load_file(bundle / "data/policy/fees.yaml", "data/policy/fees.yaml").data


@pytest.fixture(scope="module")
def schedule(policy: Any) -> FeeSchedule:
    [only] = schedules_from(policy)
    return only


def verdicts(record: dict[str, Any], schedule: FeeSchedule) -> dict[tuple[str, str], bool]:
    return {(r.service, r.measure): r.ok for r in month_rows("s", "2021-03", record, schedule)}


def services(**entries: dict[str, Any]) -> dict[str, Any]:
    return {"station": "s", "month": "2021-03", "services": entries, "deposits_from_villagers": Decimal(0)}


@pytest.mark.parametrize(
    ("service", "cap"), [("express", "2.00"), ("topup", "1.00"), ("ticketing", "5.00"), ("cash", "1.00")]
)
def test_per_order_services_at_and_past_the_cap(service: str, cap: str, schedule: FeeSchedule) -> None:
    at = services(**{service: {"orders": 100, "fees": Decimal(cap) * 100}})
    past = services(**{service: {"orders": 100, "fees": (Decimal(cap) + Decimal("0.01")) * 100}})
    assert verdicts(at, schedule)[(service, "avg_fee")] is True
    assert verdicts(past, schedule)[(service, "avg_fee")] is False


def test_an_overcharge_smaller_than_a_fen_per_order_is_still_caught(schedule: FeeSchedule) -> None:
    rows = list(month_rows("s", "2021-03", services(express={"orders": 1000, "fees": Decimal("2001.00")}), schedule))
    [row] = rows[:1]
    assert row.ok is False and "2.0010" in row.message and "1.00 元" in row.message


def test_purchase_agency_one_percent(schedule: FeeSchedule) -> None:
    at = services(purchase_agency={"orders": 10, "amount": Decimal("12000.00"), "fees": Decimal("120.00")})
    past = services(purchase_agency={"orders": 10, "amount": Decimal("12000.00"), "fees": Decimal("120.01")})
    assert verdicts(at, schedule)[("purchase_agency", "rate")] is True
    assert verdicts(past, schedule)[("purchase_agency", "rate")] is False
    [row] = [r for r in month_rows("s", "2021-03", past, schedule) if r.measure == "rate"]
    assert row.value_text() == "0.0100" and row.cap_text() == "0.0100"


def test_consignment_rebate_is_five_percent_to_the_fen(schedule: FeeSchedule) -> None:
    exact = services(consignment={"orders": 3, "sales": Decimal("7015.68"), "rebate": Decimal("350.78")})
    off = services(consignment={"orders": 3, "sales": Decimal("7015.68"), "rebate": Decimal("350.79")})
    half_up = services(consignment={"orders": 1, "sales": Decimal("0.10"), "rebate": Decimal("0.01")})
    assert verdicts(exact, schedule)[("consignment", "rebate")] is True
    assert verdicts(off, schedule)[("consignment", "rebate")] is False
    assert verdicts(half_up, schedule)[("consignment", "rebate")] is True  # 0.005 rounds half up to 0.01


def test_convenience_is_free(schedule: FeeSchedule) -> None:
    free = services(convenience={"orders": 20, "fees": Decimal(0)})
    charged = services(convenience={"orders": 20, "fees": Decimal("0.01")})
    assert verdicts(free, schedule)[("convenience", "avg_fee")] is True
    assert verdicts(charged, schedule)[("convenience", "avg_fee")] is False


def test_deposits_from_villagers_are_forbidden(schedule: FeeSchedule) -> None:
    record = services()
    record["deposits_from_villagers"] = Decimal("100.00")
    assert verdicts(record, schedule)[("deposits", "deposits")] is False


def test_fees_or_amounts_without_orders(schedule: FeeSchedule) -> None:
    assert verdicts(services(express={"orders": 0, "fees": Decimal("5.00")}), schedule)[("express", "fees")] is False
    assert verdicts(services(express={"orders": 0, "fees": Decimal(0)}), schedule)[("express", "fees")] is True
    agency = services(purchase_agency={"orders": 0, "amount": Decimal("50.00"), "fees": Decimal(0)})
    assert verdicts(agency, schedule)[("purchase_agency", "orders")] is False


def test_per_order_maximum_is_checked_when_recorded(schedule: FeeSchedule) -> None:
    ok = services(express={"orders": 10, "fees": Decimal("15.00"), "max_fee": Decimal("2.00")})
    over = services(express={"orders": 10, "fees": Decimal("15.00"), "max_fee": Decimal("2.50")})
    assert verdicts(ok, schedule)[("express", "max_fee")] is True
    assert verdicts(over, schedule)[("express", "max_fee")] is False


def test_posted_schedule(schedule: FeeSchedule) -> None:
    station = {
        "fees": {
            "notice_posted": True,
            "express_per_order": Decimal("2.00"),
            "purchase_agency_rate": Decimal("0.011"),
            "convenience_per_order": Decimal("0.50"),
        }
    }
    found = {(r.service, r.ok) for r in posted_rows("s", station, schedule)}
    assert found == {("express", True), ("purchase_agency", False), ("convenience", False)}


def test_schedule_in_force_by_date(policy: Any) -> None:
    later = {
        **policy["schedules"][0],
        "effective_from": "2021-07-01",
        "caps": {**policy["schedules"][0]["caps"], "express": {"per_order_max": Decimal("1.50")}},
    }
    schedules = schedules_from({"schedules": [policy["schedules"][0], later]})
    assert schedule_on(schedules, date(2021, 6, 30)).per_order_max("express") == Decimal("2.00")  # type: ignore[union-attr]
    assert schedule_on(schedules, date(2021, 7, 1)).per_order_max("express") == Decimal("1.50")  # type: ignore[union-attr]
    assert schedule_on(schedules, date(2019, 12, 31)) is None


def test_money_and_rate_text() -> None:
    assert money(Decimal("480")) == "480.00" and money(Decimal("0.005")) == "0.01"
    assert rate(Decimal("0.0092")) == "0.0092" and rate(Decimal("110") / Decimal("12000")) == "0.0092"
