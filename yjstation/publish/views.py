"""What the site shows, gathered once from the library views the reports use: the monthly report for the
county (the same dict `report monthly --format json` prints), the checklist, fee compliance, validate's
findings, and per station the rows those views already hold. Nothing here computes a figure of its own:
it selects and groups what the views computed, so the site and the reports cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from yjstation.checking.validate import Result, validate
from yjstation.domain.training import progress as training_progress
from yjstation.foundation.diagnostics import Diagnostic
from yjstation.foundation.records import as_date, as_dict, as_list, as_str, dig
from yjstation.loading.repository import Repository
from yjstation.reports.checklist import Checklist, StationRow
from yjstation.reports.checklist import build as build_checklist
from yjstation.reports.compliance import ComplianceReport, PlacedRow
from yjstation.reports.compliance import build as build_compliance
from yjstation.reports.data import ReportData
from yjstation.reports.monthly import monthly, service_totals, services
from yjstation.reports.period import Period
from yjstation.reports.period import month as parse_month

TREND_MONTHS = 12


@dataclass
class StationView:
    """One station's page: its record, its row in each view, and its findings."""

    id: str
    data: dict[str, Any]
    row: StationRow
    training: list[Any]
    months: list[tuple[str, dict[str, Any]]]  # (month, service totals of its record), oldest first
    fee_rows: list[PlacedRow]
    open_feedback: list[dict[str, Any]]
    findings: list[Diagnostic]


@dataclass
class SiteData:
    root: Path
    month: str
    as_of: date
    report: dict[str, Any]
    trend: list[tuple[str, dict[str, Any] | None]]  # (month, county service totals or None without records)
    checklist: Checklist
    compliance: ComplianceReport
    validation: Result
    stations: dict[str, StationView] = field(default_factory=dict)
    county_data: ReportData | None = None

    def township_report(self, tid: str) -> dict[str, Any]:
        """The township's rows of the county report (network and services), by township id."""
        network: dict[str, Any] = next((r for r in self.report["network"]["by_township"] if r["township"] == tid), {})
        service: dict[str, Any] = next((r for r in self.report["services"]["by_township"] if r["township"] == tid), {})
        return {"network": network, "services": service}


def latest_month(repo: Repository, as_of: date) -> str | None:
    """The latest month with monthly records, up to `as_of`."""
    last = f"{as_of.year:04d}-{as_of.month:02d}"
    months = {doc.file.split("/")[2] for doc in repo.operations}
    return max((m for m in months if m <= last), default=None)


def gather(repo: Repository, month: str, as_of: date, *, cache: bool = True) -> SiteData:
    """Every view the site shows for `month`, with `as_of` as the reference day."""
    period = parse_month(month)
    data = ReportData.load(repo)
    report = monthly(data, period, as_of)
    checklist = build_checklist(repo, as_of)
    compliance = build_compliance(repo, [month], as_of)
    validation = validate(repo.root, as_of, cache=cache)
    site = SiteData(repo.root, month, as_of, report, _trend(data, period), checklist, compliance, validation)
    site.county_data = data
    findings_by_station: dict[str, list[Diagnostic]] = {}
    for diag in validation.diagnostics:
        stem = PurePosixPath(diag.file).stem
        if diag.file.startswith(("data/stations/", "data/operations/")):
            findings_by_station.setdefault(stem, []).append(diag)
    fee_rows: dict[str, list[PlacedRow]] = {}
    for placed in compliance.rows:
        fee_rows.setdefault(placed.row.station, []).append(placed)
    months = sorted(data.operations)
    for row in checklist.stations:
        station = data.stations.get(row.id, {})
        site.stations[row.id] = StationView(
            id=row.id,
            data=station,
            row=row,
            training=training_progress(station, data.training, as_of),
            months=[(m, service_totals(data.operations[m], [row.id])) for m in months if row.id in data.operations[m]],
            fee_rows=fee_rows.get(row.id, []),
            open_feedback=_open_feedback(data, row.id, as_of),
            findings=findings_by_station.get(row.id, []),
        )
    return site


def _trend(data: ReportData, period: Period) -> list[tuple[str, dict[str, Any] | None]]:
    """The county's service totals for the twelve months up to `period`, from the report's own view."""
    months: list[Period] = [period]
    while len(months) < TREND_MONTHS:
        months.insert(0, months[0].previous())
    return [(p.label, services(data, p)["total"] if data.operations.get(p.label) else None) for p in months]


def _open_feedback(data: ReportData, sid: str, as_of: date) -> list[dict[str, Any]]:
    """Feedback items of the station raised by `as_of` and not closed by then, oldest first."""
    out = []
    for month in sorted(data.operations):
        record = data.operations[month].get(sid)
        for item in map(as_dict, as_list(dig(record or {}, ("feedback",)))):
            raised, closed = as_date(item.get("date")), as_date(item.get("closed"))
            if raised is not None and raised <= as_of and (closed is None or closed > as_of):
                out.append({"date": raised, "issue": as_str(item.get("issue")) or "", "month": month})
    return out
