"""The fee compliance report behind `yjstation fees`: every row of every month in a range, with totals."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from yjstation.domain.fees import (
    ZERO,
    FeeRow,
    money,
    month_of,
    month_rows,
    posted_rows,
    schedule_on,
    schedules_from,
    service_label,
)
from yjstation.domain.history import station_in_force
from yjstation.domain.reporting import is_draft
from yjstation.foundation.records import as_dict, as_str
from yjstation.loading.loader import Document
from yjstation.loading.repository import Repository


@dataclass(frozen=True)
class PlacedRow:
    """A fee row with the station's township and the file it was read from; the line is looked up
    only when something prints it (a cached file's positions cost a second parse)."""

    row: FeeRow
    township: str
    doc: Document

    @property
    def file(self) -> str:
        return self.doc.file

    @cached_property
    def line(self) -> int:
        return self.doc.position(self.row.path)[0]

    def to_json(self) -> dict[str, Any]:
        r = self.row
        return {
            "station": r.station,
            "township": self.township,
            "month": r.month,
            "service": r.service,
            "measure": r.measure,
            "value": r.value_text(),
            "cap": r.cap_text(),
            "ok": r.ok,
            "code": r.code,
            "file": self.file,
            "line": self.line,
            "message": r.message,
        }


@dataclass
class Totals:
    orders: int = 0
    fees: Decimal = ZERO
    over: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"orders": self.orders, "fees": money(self.fees), "over": self.over}


@dataclass
class ComplianceReport:
    months: list[str]
    as_of: date
    rows: list[PlacedRow] = field(default_factory=list)

    def totals(self) -> tuple[dict[str, Totals], Totals]:
        """Orders, fees taken and rows over the line, per township and for the county."""
        by_township: dict[str, Totals] = defaultdict(Totals)
        county = Totals()
        for placed in self.rows:
            for bucket in (by_township[placed.township], county):
                if placed.row.measure in ("avg_fee", "fees", "rate"):
                    bucket.orders += placed.row.orders
                    bucket.fees += placed.row.fees
                bucket.over += not placed.row.ok
        return dict(by_township), county

    def to_json(self, violations_only: bool = False) -> dict[str, Any]:
        by_township, county = self.totals()
        return {
            "months": self.months,
            "as_of": self.as_of.isoformat(),
            "rows": [p.to_json() for p in self.rows if not (violations_only and p.row.ok)],
            "totals": {
                "townships": {k: v.to_json() for k, v in sorted(by_township.items())},
                "county": county.to_json(),
            },
        }


def month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    months = []
    while (y, m) <= (int(last[:4]), int(last[5:7])):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def build(repo: Repository, months: list[str], as_of: date, station: str | None = None) -> ComplianceReport:
    """Fee rows for the posted schedules (as of `as_of`) and for each operations record in `months`."""
    schedules = schedules_from(as_dict(repo.policy["fees"].data) if "fees" in repo.policy else {})
    report = ComplianceReport(months, as_of)
    townships: dict[str, str] = {}
    wanted = set(months)
    for doc in repo.stations:
        data = as_dict(doc.data)
        sid = as_str(data.get("id"))
        if sid is None:
            continue
        townships[sid] = as_str(data.get("township")) or ""
        schedule = schedule_on(schedules, as_of)
        if schedule is None or (station and sid != station) or not station_in_force(data, as_of):
            continue
        for row in posted_rows(sid, data, schedule):
            report.rows.append(PlacedRow(row, townships[sid], doc))
    for doc in repo.operations:
        data = as_dict(doc.data)
        known = month_of(data)
        sid = as_str(data.get("station"))
        if known is None or sid is None or known[0] not in wanted or (station and sid != station):
            continue
        if is_draft(data):
            continue  # no figures yet: a draft is not a month without fees
        schedule = schedule_on(schedules, known[1])
        if schedule is None:
            continue
        for row in month_rows(sid, known[0], data, schedule):
            report.rows.append(PlacedRow(row, townships.get(sid, ""), doc))
    report.rows.sort(key=lambda p: (p.row.station, p.row.month or "", p.row.service, p.row.measure))
    return report


def markdown_context(
    report: ComplianceReport, shown: list[PlacedRow], county: str, violations: bool, townships: dict[str, str]
) -> dict[str, Any]:
    """What templates/fees.md.j2 needs; the page is a Chinese document whatever the interface language."""
    by_township, total = report.totals()
    rows = [
        {
            "station": p.row.station,
            "month": p.row.month or "公示",  # the page is a Chinese document
            "service": service_label(p.row.service),
            "value": p.row.value_text(),
            "cap": p.row.cap_text(),
            "ok": p.row.ok,
            "file": p.file,
            "line": p.line,
        }
        for p in shown
    ]
    totals = [
        {"name": townships.get(tid, tid), "orders": t.orders, "fees": money(t.fees), "over": t.over}
        for tid, t in in_county_order(by_township, townships)
    ]
    totals.append({"name": "全县", "orders": total.orders, "fees": money(total.fees), "over": total.over})
    return {
        "county": county,
        "months": "、".join(report.months),
        "as_of": report.as_of.isoformat(),
        "rows": rows,
        "over": total.over,
        "violations_only": violations,
        "totals": totals,
    }


def in_county_order(by_township: dict[str, Totals], townships: dict[str, str]) -> list[tuple[str, Totals]]:
    order = {tid: i for i, tid in enumerate(townships)}
    return sorted(by_township.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))


def months_asked(present: list[str], month: str | None, first: str | None, last: str | None) -> list[str]:
    """The months `fees` looks at: one month, a range (its ends defaulting to the first and last month
    with records), or the latest month with records. ValueError when the range runs backwards."""
    if month is not None:
        return [month]
    if first is None and last is None:
        return present[-1:]
    start = first or (present[0] if present else last)
    end = last or (present[-1] if present else first)
    assert start is not None and end is not None
    if start > end:
        raise ValueError(start, end)
    return month_range(start, end)
