"""The monthly summary: who reported, network, rollout, services, fees, maintenance and feedback,
training, agreements, inactivity, the assessment against targets and the month's events. Pure computation
over `ReportData`; numbers stay Decimal until printed.

Every figure comes from the stations in force at the month's end, each with the stationmaster and
agreement of that day (`ReportData.on`), so a station listed or a stationmaster replaced later leaves the
report as it was filed. Only reported figures count: a draft or a missing record is left out of totals,
comparisons, inactivity and the assessment, and listed as not reported instead of being read as zero."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from yjstation.domain.county import Township
from yjstation.domain.events import FIGURE_LABELS
from yjstation.domain.fees import ZERO, month_rows, posted_rows, schedule_on
from yjstation.domain.history import agreement_end, is_operating, opened_on, serving_in
from yjstation.domain.reporting import SERVICE_NAMES, is_draft
from yjstation.domain.rollout import progress, step_states
from yjstation.domain.training import progress as training_progress
from yjstation.foundation.records import as_date, as_dict, as_list, as_number, as_str, dig
from yjstation.reports.assessment import assess
from yjstation.reports.data import ReportData
from yjstation.reports.period import Period
from yjstation.reports.reporting import month_status, reported_ids, short_name

FEE_SERVICES = ("express", "purchase_agency", "topup", "ticketing", "cash", "convenience")
SOON_DAYS = 90
IDLE_DAYS = (30, 90)


def monthly(data: ReportData, period: Period, as_of: date) -> dict[str, Any]:
    """Everything the monthly summary shows. `as_of` is the reference day for time-relative lists
    (agreements ending soon, stations without orders); it defaults to the month's last day."""
    then = data.on(period.last)
    status = month_status(data, period.label, as_of)
    return {
        "kind": "monthly",
        "period": period.label,
        "title": period.title,
        "as_of": as_of.isoformat(),
        "county": data.county_name,
        "township": data.township,
        "reporting": {
            "expected": len(status.expected),
            "reported": len(status.reported),
            "missing": status.unreported,
        },
        "unreported": [_unreported(data, sid, sid in status.draft) for sid in status.unreported],
        "network": network(then, period.last),
        "rollout": rollout(then, period),
        "services": services(then, period),
        "fees": fee_violations(then, period),
        "maintenance": maintenance(data, period),
        "training": training(then, period.last),
        "agreements_ending": agreements_ending(data.on(as_of), as_of),
        "idle": idle(data, as_of),
        "assessment": assess(then, period),
        "events": events(data, period),
    }


def _unreported(data: ReportData, sid: str, draft: bool) -> dict[str, Any]:
    station = data.stations[sid]
    township = data.township_name(str(station.get("township")))
    return {
        "station": sid,
        "name": str(station.get("name", sid)),
        "short": short_name(str(station.get("name", sid)), township),
        "township": station.get("township"),
        "township_name": township,
        "status": "draft" if draft else "missing",
    }


def network(data: ReportData, day: date) -> dict[str, Any]:
    """Stations by township, and the administrative villages (村民委员会 in the register: communities are
    not 行政村) that have a village station, in all and among the poverty villages."""
    rows = []
    for township in data.townships:
        here = [s for s in data.stations.values() if s.get("township") == township.id]
        villages = township.village_committees

        covered = _villages(township, [s for s in here if s.get("level") == "village"])
        serving = _villages(township, [s for s in here if s.get("level") == "village" and is_operating(s, day)])
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


def _villages(township: Township, stations: list[dict[str, Any]]) -> set[str]:
    """The register names of the villages these stations sit in (by code or by name)."""
    found = (township.find_village(as_str(s.get("village")), as_str(s.get("village_code"))) for s in stations)
    return {v.name for v in found if v is not None}


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
    """Orders and money of `stations` in `records` (station id -> monthly record), money to the fen.
    Drafts hold no figures yet and add nothing (callers leave them out of what they compare)."""
    orders, amount, sales, fees, rebate = 0, ZERO, ZERO, ZERO, ZERO
    for sid in stations:
        record = records.get(sid, {})
        if is_draft(record):
            continue
        services_ = as_dict(record.get("services"))
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


# What the bureau's indicators ask of each service (电子商务进农村: parcels, 代购金额 down to the
# village, 代销金额 up to town, payments, cash): its orders and its money figures, in this order.
SERVICE_MEASURES: dict[str, tuple[str, ...]] = {
    "express": ("orders", "fees"),
    "purchase_agency": ("orders", "amount", "fees"),
    "consignment": ("orders", "sales", "rebate"),
    "topup": ("orders", "fees"),
    "ticketing": ("orders", "fees"),
    "cash": ("orders", "amount", "fees"),
    "convenience": ("orders", "fees"),
}


def by_service(records: dict[str, dict[str, Any]], stations: list[str]) -> dict[str, dict[str, Any]]:
    """Each service's orders and money over `stations` (drafts add nothing), money to the fen."""
    cent = Decimal("0.01")
    out: dict[str, dict[str, Any]] = {}
    for service, measures in SERVICE_MEASURES.items():
        totals: dict[str, Any] = {m: 0 if m == "orders" else ZERO for m in measures}
        for sid in stations:
            record = records.get(sid, {})
            entry = as_dict(dig(record, ("services", service)))
            if is_draft(record) or not entry:
                continue
            for measure in measures:
                value = entry.get(measure)
                if measure == "orders":
                    totals[measure] += value if isinstance(value, int) and not isinstance(value, bool) else 0
                else:
                    totals[measure] += as_number(value) or ZERO
        out[service] = {m: v if m == "orders" else v.quantize(cent) for m, v in totals.items()}
    return out


def services(data: ReportData, period: Period) -> dict[str, Any]:
    """Orders and money of the month by township and by service, each with the change against the
    previous month. Totals add up the reported stations; a change compares only stations whose figures
    are known in both months (a station not serving last month counts as nothing then; one that owed
    figures in either month and has not reported them is left out of the comparison)."""
    label, before_label = period.label, period.previous().label
    now, before = data.operations.get(label, {}), data.operations.get(before_label, {})
    reported, earlier = reported_ids(data, label), reported_ids(data, before_label)
    gaps = _unknown(data, label) | _unknown(data, before_label)
    rows = []
    for township in data.townships:
        ids = sorted(sid for sid, s in data.stations.items() if s.get("township") == township.id)
        rows.append(
            {
                "township": township.id,
                "name": township.name,
                **_totals(now, before, ids, reported, gaps),
                **_services_change(now, before, ids, reported, gaps),
            }
        )
    every = sorted(data.stations)
    return {
        "previous": before_label,
        # the stations behind each change: figures known in both months, and some in at least one
        "compared": sum(sid not in gaps and (sid in reported or sid in earlier) for sid in every),
        "not_compared": sorted(gaps & set(every)),
        "by_township": rows,
        "total": _totals(now, before, every, reported, gaps),
        **_services_change(now, before, every, reported, gaps),
        "service_names": SERVICE_NAMES,
    }


def _unknown(data: ReportData, month: str) -> set[str]:
    """Stations that owed `month`'s figures but have not reported them."""
    records = data.operations.get(month, {})
    return {
        sid
        for sid, station in data.stations.items()
        if serving_in(station, month) and (sid not in records or is_draft(records[sid]))
    }


def _totals(
    now: dict[str, Any], before: dict[str, Any], ids: list[str], reported: set[str], gaps: set[str]
) -> dict[str, Any]:
    current = service_totals(now, [sid for sid in ids if sid in reported])
    compared = [sid for sid in ids if sid not in gaps]
    then, same_now = service_totals(before, compared), service_totals(now, compared)
    out: dict[str, Any] = {}
    for key, value in current.items():
        out[key] = value
        out[f"{key}_previous"] = then[key]
        out[f"{key}_change"] = same_now[key] - then[key]
    return out


def _services_change(
    now: dict[str, Any], before: dict[str, Any], ids: list[str], reported: set[str], gaps: set[str]
) -> dict[str, Any]:
    compared = [sid for sid in ids if sid not in gaps]
    current = by_service(now, [sid for sid in ids if sid in reported])
    same_now, then = by_service(now, compared), by_service(before, compared)
    return {
        "by_service": current,
        "by_service_previous": then,
        "by_service_change": {
            service: {m: same_now[service][m] - then[service][m] for m in measures}
            for service, measures in SERVICE_MEASURES.items()
        },
    }


def fee_violations(data: ReportData, period: Period) -> dict[str, Any]:
    rows = []
    schedule = schedule_on(data.fee_schedules, period.last)
    if schedule is not None:
        for sid, record in sorted(data.operations.get(period.label, {}).items()):
            if is_draft(record):
                continue  # no figures yet: nothing to hold against the red lines
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
    the day it opened. A station that owes the figures of a month ended since its last orders (a draft,
    or no record at all) is not listed: nobody knows yet whether it was idle."""
    lists: dict[str, list[dict[str, Any]]] = {f"{days}": [] for days in IDLE_DAYS}
    current = f"{as_of.year:04d}-{as_of.month:02d}"
    months = sorted(m for m in data.operations if m <= current)
    # The calendar months from the first one the county collected: a month nobody reported is unknown too.
    calendar = _months(months[0], current) if months else []
    for sid, station in sorted(data.on(as_of).stations.items()):
        if not is_operating(station, as_of):
            continue
        last_order, unknown = opened_on(station), False
        for month in calendar:
            record = data.operations.get(month, {}).get(sid)
            finished = _month_end(date.fromisoformat(month + "-01")) <= as_of
            if record is not None and not is_draft(record):
                if service_totals({sid: record}, [sid])["orders"] > 0:
                    last_order, unknown = min(_month_end(date.fromisoformat(month + "-01")), as_of), False
            elif finished and serving_in(data.stations[sid], month):
                unknown = True
        if last_order is None or unknown:
            continue
        quiet = (as_of - last_order).days
        for days in IDLE_DAYS:
            if quiet >= days:
                lists[f"{days}"].append(
                    {"station": sid, "name": station.get("name"), "last_order": last_order.isoformat(), "days": quiet}
                )
    return lists


def _months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def events(data: ReportData, period: Period) -> list[dict[str, Any]]:
    """The promotions and market days that ran in the period (selections are in the assessment), with
    the stations taking part (narrowed to the report's township) and the figures recorded."""
    out = []
    for event in data.events:
        if event.is_selection or not event.within(period.first, period.last):
            continue
        stations = [s for s in event.stations if s in data.stations]
        if data.township is not None and not stations:
            continue
        out.append(
            {
                "id": event.id,
                "kind": event.kind,
                "kind_label": event.kind_label,
                "name": event.name,
                "date": event.day.isoformat(),
                "end": event.end.isoformat() if event.end else None,
                "stations": len(stations),
                "figures": [
                    {"key": key, "label": label, "value": event.figures[key]}
                    for key, label in FIGURE_LABELS.items()
                    if event.figures.get(key) is not None
                ],
                "file": event.file,
            }
        )
    return out


def _month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _share(part: int, whole: int) -> str:
    return f"{Decimal(part) / Decimal(whole):.4f}" if whole else "0.0000"
