"""The fee compliance report behind `yjstation fees`: every row of every month in a range, with totals."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from yjstation.domain.fees import ZERO, FeeRow, money, month_of, month_rows, posted_rows, schedule_on, schedules_from
from yjstation.foundation.records import as_dict, as_str
from yjstation.loading.repository import Repository


@dataclass(frozen=True)
class PlacedRow:
    row: FeeRow
    township: str
    file: str
    line: int

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
        if schedule is None or (station and sid != station):
            continue
        for row in posted_rows(sid, data, schedule):
            report.rows.append(PlacedRow(row, townships[sid], doc.file, doc.position(row.path)[0]))
    for doc in repo.operations:
        data = as_dict(doc.data)
        known = month_of(data)
        sid = as_str(data.get("station"))
        if known is None or sid is None or known[0] not in wanted or (station and sid != station):
            continue
        schedule = schedule_on(schedules, known[1])
        if schedule is None:
            continue
        for row in month_rows(sid, known[0], data, schedule):
            report.rows.append(PlacedRow(row, townships.get(sid, ""), doc.file, doc.position(row.path)[0]))
    report.rows.sort(key=lambda p: (p.row.station, p.row.month or "", p.row.service, p.row.measure))
    return report
