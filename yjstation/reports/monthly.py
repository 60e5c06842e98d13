"""The monthly summary: network, rollout, services, fees, maintenance and feedback, training, agreements,
inactivity and the assessment. Pure computation over `ReportData`; numbers stay Decimal until printed."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from yjstation.domain.fees import ZERO, month_rows, posted_rows, schedule_on
from yjstation.domain.rollout import progress, step_states
from yjstation.domain.stations import agreement_end, is_operating, opened_on
from yjstation.domain.training import progress as training_progress
from yjstation.foundation.records import as_date, as_dict, as_list, as_number, as_str, dig
from yjstation.reports.assessment import assess
from yjstation.reports.data import ReportData
from yjstation.reports.period import Period

FEE_SERVICES = ("express", "purchase_agency", "topup", "ticketing", "cash", "convenience")
SOON_DAYS = 90
IDLE_DAYS = (30, 90)


def monthly(data: ReportData, period: Period, as_of: date) -> dict[str, Any]:
    """Everything the monthly summary shows. `as_of` is the reference day for time-relative lists
    (agreements ending soon, stations without orders); it defaults to the month's last day."""
    return {
        "kind": "monthly",
        "period": period.label,
        "title": period.title,
        "as_of": as_of.isoformat(),
        "county": data.county_name,
        "township": data.township,
        "network": network(data, period.last),
        "rollout": rollout(data, period),
        "services": services(data, period),
        "fees": fee_violations(data, period),
        "maintenance": maintenance(data, period),
        "training": training(data, period.last),
        "agreements_ending": agreements_ending(data, as_of),
        "idle": idle(data, as_of),
        "assessment": assess(data, period),
    }


def network(data: ReportData, day: date) -> dict[str, Any]:
    rows = []
    for township in data.townships:
        here = [s for s in data.stations.values() if s.get("township") == township.id]
        villages = township.villages
        covered = {as_str(s.get("village")) for s in here if s.get("level") == "village"} - {None}
        serving = {as_str(s.get("village")) for s in here if s.get("level") == "village" and is_operating(s, day)}
        serving.discard(None)
        rows.append(
            {
                "township": township.id,
                "name": township.name,
                "township_stations": sum(s.get("level") == "township" for s in here),
                "village_stations": sum(s.get("level") == "village" for s in here),
                "operating": sum(is_operating(s, day) for s in here),
                "villages": len(villages),
                "villages_covered": sum(v.name in covered for v in villages),
                "poverty_villages": sum(v.poverty is True for v in villages),
                "poverty_covered": sum(v.poverty is True and v.name in covered for v in villages),
                "villages_served": sum(v.name in serving for v in villages),
                "poverty_served": sum(v.poverty is True and v.name in serving for v in villages),
            }
        )
    total = {key: sum(r[key] for r in rows) for key in rows[0] if key not in ("township", "name")} if rows else {}
    targets = data.county_view.targets
    total["target_township_stations"] = targets.township_stations if data.township is None else 1
    total["target_village_stations"] = targets.village_stations if data.township is None else None
    total["village_coverage"] = _share(total.get("villages_covered", 0), total.get("villages", 0))
    total["poverty_coverage"] = _share(total.get("poverty_covered", 0), total.get("poverty_villages", 0))
    total["village_service"] = _share(total.get("villages_served", 0), total.get("villages", 0))
    total["poverty_service"] = _share(total.get("poverty_served", 0), total.get("poverty_villages", 0))
    return {"by_township": rows, "total": total}


def rollout(data: ReportData, period: Period) -> dict[str, Any]:
    done: Counter[str] = Counter()
    advanced, stalled = [], []
    for sid, station in sorted(data.stations.items()):
        for state in step_states(station, data.rollout, period.last):
            done[state.step.key] += state.status == "done"
            if state.status == "done" and period.contains(state.done):
                advanced.append(
                    {
                        "station": sid,
                        "name": station.get("name"),
                        "step": state.step.key,
                        "step_name": state.step.name,
                        "done": state.done.isoformat() if state.done else None,
                    }
                )
        where = progress(station, data.rollout, period.last)
        if where.stalled and where.current is not None:
            stalled.append(
                {
                    "station": sid,
                    "name": station.get("name"),
                    "step": where.current.key,
                    "step_name": where.current.name,
                    "days": where.days_in_step,
                }
            )
    steps = [{"key": s.key, "name": s.name, "done": done[s.key]} for s in data.rollout.steps]
    return {"stations": len(data.stations), "steps": steps, "advanced": advanced, "stalled": stalled}


def service_totals(records: dict[str, dict[str, Any]], stations: list[str]) -> dict[str, Any]:
    """Orders and money of `stations` in `records` (station id -> monthly record), money to the fen."""
    orders, amount, sales, fees, rebate = 0, ZERO, ZERO, ZERO, ZERO
    for sid in stations:
        services_ = as_dict(records.get(sid, {}).get("services"))
        for key, entry in services_.items():
            entry = as_dict(entry)
            count = entry.get("orders")
            orders += count if isinstance(count, int) and not isinstance(count, bool) else 0
            if key in FEE_SERVICES:
                fees += as_number(entry.get("fees")) or ZERO
        amount += as_number(dig(services_, ("purchase_agency", "amount"))) or ZERO
        sales += as_number(dig(services_, ("consignment", "sales"))) or ZERO
        rebate += as_number(dig(services_, ("consignment", "rebate"))) or ZERO
    cent = Decimal("0.01")
    money = {"purchase_amount": amount, "consignment_sales": sales, "fees": fees, "rebate": rebate}
    return {"orders": orders, **{k: v.quantize(cent) for k, v in money.items()}}


def services(data: ReportData, period: Period) -> dict[str, Any]:
    """Orders and money of the month by township, each with the change against the previous month."""
    now, before = data.operations.get(period.label, {}), data.operations.get(period.previous().label, {})
    rows = []
    for township in data.townships:
        ids = [sid for sid, s in data.stations.items() if s.get("township") == township.id]
        rows.append(
            {
                "township": township.id,
                "name": township.name,
                **_with_change(service_totals(now, ids), service_totals(before, ids)),
            }
        )
    every = list(data.stations)
    return {
        "previous": period.previous().label,
        "by_township": rows,
        "total": _with_change(service_totals(now, every), service_totals(before, every)),
    }


def _with_change(now: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in now.items():
        out[key] = value
        out[f"{key}_previous"] = before[key]
        out[f"{key}_change"] = value - before[key]
    return out


def fee_violations(data: ReportData, period: Period) -> dict[str, Any]:
    rows = []
    schedule = schedule_on(data.fee_schedules, period.last)
    if schedule is not None:
        for sid, record in sorted(data.operations.get(period.label, {}).items()):
            file = data.files[(period.label, sid)]
            for row in month_rows(sid, period.label, record, schedule):
                if not row.ok:
                    rows.append(
                        {
                            "station": sid,
                            "service": row.service,
                            "code": row.code,
                            "message": row.message,
                            "file": file[0],
                            "line": file[1].position(row.path)[0],
                        }
                    )
        for sid, station in sorted(data.stations.items()):
            if is_operating(station, period.last):
                rows.extend(
                    {
                        "station": sid,
                        "service": row.service,
                        "code": row.code,
                        "message": row.message,
                        "file": f"data/stations/{sid}.yaml",
                        "line": None,
                    }
                    for row in posted_rows(sid, station, schedule)
                    if not row.ok
                )
    return {"violations": rows, "count": len(rows)}


def maintenance(data: ReportData, period: Period) -> dict[str, Any]:
    online = onsite = opened = 0
    closed_days: list[int] = []
    still_open = 0
    for month, records in data.operations.items():
        for record in records.values():
            if month == period.label:
                online += len(as_list(dig(record, ("maintenance", "online"))))
                onsite += len(as_list(dig(record, ("maintenance", "onsite"))))
            for item in map(as_dict, as_list(record.get("feedback"))):
                raised, closed = as_date(item.get("date")), as_date(item.get("closed"))
                if raised is None or raised > period.last:
                    continue
                opened += period.contains(raised)
                if closed is not None and period.contains(closed):
                    closed_days.append((closed - raised).days)
                if closed is None or closed > period.last:
                    still_open += 1
    median = statistics.median(closed_days) if closed_days else None
    return {
        "online_visits": online,
        "onsite_visits": onsite,
        "feedback_opened": opened,
        "feedback_closed": len(closed_days),
        "feedback_open": still_open,
        "median_days_to_close": None if median is None else Decimal(str(median)),
    }


def training(data: ReportData, day: date) -> dict[str, Any]:
    """Per stationmaster and phase: minutes attended by `day` against the plan; who has not completed
    a phase whose window has closed (only stations with an agreement were due to attend)."""
    rows, incomplete = [], []
    for sid, station in sorted(data.stations.items()):
        signed = as_date(dig(station, ("agreement", "signed")))
        if signed is None or signed > day:
            continue
        phases = training_progress(station, data.training, day)
        row = {
            "station": sid,
            "stationmaster": as_str(dig(station, ("stationmaster", "name"))),
            "phases": [
                {"phase": p.phase.phase, "attended": p.attended, "planned": p.phase.minutes, "complete": p.complete}
                for p in phases
            ],
        }
        rows.append(row)
        for p in phases:
            # Due only if the phase ended by `day` and was still running when the stationmaster signed.
            if not p.complete and p.phase.end is not None and signed <= p.phase.end <= day:
                incomplete.append(
                    {
                        "station": sid,
                        "stationmaster": row["stationmaster"],
                        "phase": p.phase.phase,
                        "attended": p.attended,
                        "planned": p.phase.minutes,
                        "missing": [m.name for m in p.missing],
                    }
                )
    plan = [
        {"phase": p.phase, "name": p.name, "modules": len(p.modules), "minutes": p.minutes}
        for p in data.training.phases
    ]
    return {"plan": plan, "stationmasters": rows, "incomplete": incomplete}


def agreements_ending(data: ReportData, as_of: date) -> list[dict[str, Any]]:
    """Operating stations whose agreement in force ends within 90 days of `as_of`."""
    found = []
    for sid, station in sorted(data.stations.items()):
        end = agreement_end(station, as_of)
        if end is not None and is_operating(station, as_of) and as_of <= end <= as_of + timedelta(days=SOON_DAYS):
            found.append(
                {"station": sid, "name": station.get("name"), "end": end.isoformat(), "days_left": (end - as_of).days}
            )
    return found


def idle(data: ReportData, as_of: date) -> dict[str, list[dict[str, Any]]]:
    """Operating stations without orders for 30 and for 90 days as of `as_of`. Records are monthly, so a
    month with orders counts as orders up to its last day; a station that never had orders counts from
    the day it opened."""
    lists: dict[str, list[dict[str, Any]]] = {f"{days}": [] for days in IDLE_DAYS}
    months = sorted(m for m in data.operations if m <= f"{as_of.year:04d}-{as_of.month:02d}")
    for sid, station in sorted(data.stations.items()):
        if not is_operating(station, as_of):
            continue
        last_order = opened_on(station)
        for month in months:
            record = data.operations[month].get(sid)
            if record is not None and service_totals({sid: record}, [sid])["orders"] > 0:
                last_order = min(_month_end(date.fromisoformat(month + "-01")), as_of)
        if last_order is None:
            continue
        quiet = (as_of - last_order).days
        for days in IDLE_DAYS:
            if quiet >= days:
                lists[f"{days}"].append(
                    {"station": sid, "name": station.get("name"), "last_order": last_order.isoformat(), "days": quiet}
                )
    return lists


def _month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _share(part: int, whole: int) -> str:
    return f"{Decimal(part) / Decimal(whole):.4f}" if whole else "0.0000"
