"""What the site shows, gathered once from the library views the reports use: the monthly report for the
county (the same dict `report monthly --format json` prints, reporting status and assessment included),
the month status behind `month status`, the checklist, fee compliance, validate's findings, the events
and each station's dated history. Nothing here computes a figure of its own: it selects and groups what
those views computed, so the site and the reports cannot disagree.

Everything is as of the site's day: the stations in force then, each with the stationmaster, agreement
and renewals of that day, and only the months up to the one shown, so a site made again later for the
same month shows what was true then (as `report monthly` does)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from yjstation.checking.validate import Result, validate
from yjstation.domain.events import Event
from yjstation.domain.history import Tenure, agreement_end, tenures
from yjstation.domain.training import PhaseProgress
from yjstation.domain.training import progress as training_progress
from yjstation.foundation.diagnostics import Diagnostic
from yjstation.foundation.i18n import using_language
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
from yjstation.reports.printing import PrintNames, names_for
from yjstation.reports.reporting import MonthStatus, by_township, month_status

TREND_MONTHS = 12


@dataclass(frozen=True)
class MonthLine:
    """One month of a station's record: `reported` with its totals, a `draft` still blank, or `missing`
    (the station owed the month's figures and has no record)."""

    month: str
    state: str
    totals: dict[str, Any] | None


@dataclass(frozen=True)
class Term:
    """One stationmaster's time at the station as of the site's day, with the agreement they signed and
    only the renewals signed by then."""

    name: str
    first: date | None
    last: date | None  # None while in office on the site's day
    reason: str | None
    agreement: dict[str, Any] | None
    renewals: list[dict[str, Any]]


@dataclass
class StationView:
    """One station's page: the station as it stood on the site's day, its row in each view, its history
    and its findings."""

    id: str
    data: dict[str, Any]
    row: StationRow
    terms: list[Term]
    agreement_end: date | None  # of the agreement in force, renewals signed by then included
    training: list[PhaseProgress]
    months: list[MonthLine]  # oldest first, up to the site's month
    reporting: str  # the site month: reported | draft | missing | not_expected
    assessment: dict[str, Any] | None  # its row of the report's assessment
    not_assessed: str | None  # why it was not assessed this month (part_month, not_reported)
    fee_rows: list[PlacedRow]
    open_feedback: list[dict[str, Any]]
    events: list[Event]  # promotions it took part in, up to the site's day
    awards: list[tuple[Event, str]]  # selections that named it, with the award's label
    findings: list[Diagnostic]


@dataclass
class SiteData:
    root: Path
    month: str
    as_of: date
    report: dict[str, Any]
    status: MonthStatus
    reporting_by_township: list[dict[str, Any]]
    trend: list[tuple[str, dict[str, Any] | None, int]]  # (month, county totals or None, stations reported)
    checklist: Checklist
    compliance: ComplianceReport
    validation: Result
    checked_on: date  # the day validate took as today: the findings are the current ones
    names: PrintNames
    events: list[Event]
    stations: dict[str, StationView] = field(default_factory=dict)

    def township_report(self, tid: str) -> dict[str, Any]:
        """The township's rows of the county report (network, services, reporting), by township id."""
        network: dict[str, Any] = next((r for r in self.report["network"]["by_township"] if r["township"] == tid), {})
        service: dict[str, Any] = next((r for r in self.report["services"]["by_township"] if r["township"] == tid), {})
        reporting = next((r for r in self.reporting_by_township if r["township"] == tid), None)
        return {"network": network, "services": service, "reporting": reporting}


def latest_month(repo: Repository, as_of: date) -> str | None:
    """The latest month with monthly records, up to `as_of`."""
    last = f"{as_of.year:04d}-{as_of.month:02d}"
    months = {doc.file.split("/")[2] for doc in repo.operations}
    return max((m for m in months if m <= last), default=None)


def gather(repo: Repository, month: str, as_of: date, checked_on: date, *, cache: bool = True) -> SiteData:
    """Every view the site shows for `month`, with `as_of` as the reference day, and validate's findings
    as of `checked_on` (the site shows the current findings: a site of an earlier month would otherwise
    report every later record as dated in the future). The site is a Chinese document whatever the
    interface language, so the views' texts (findings, fee messages) are made in Chinese."""
    with using_language("zh"):
        return _gather(repo, month, as_of, checked_on, cache)


def _gather(repo: Repository, month: str, as_of: date, checked_on: date, cache: bool) -> SiteData:
    period = parse_month(month)
    data = ReportData.load(repo)
    report = monthly(data, period, as_of)  # what `report monthly MONTH --as-of AS_OF --format json` prints
    status = month_status(data, month, as_of)  # the same call the report makes for its `reporting`
    statuses = {m: month_status(data, m, as_of) for m in sorted(data.operations) if m <= month}
    site = SiteData(
        root=repo.root,
        month=month,
        as_of=as_of,
        report=report,
        status=status,
        reporting_by_township=by_township(status, data),
        trend=_trend(data, period, statuses),
        checklist=build_checklist(repo, as_of),
        compliance=build_compliance(repo, [month], as_of),
        validation=validate(repo.root, checked_on, cache=cache),
        checked_on=checked_on,
        names=names_for(data),
        events=[e for e in data.events if e.day <= as_of],
    )
    findings: dict[str, list[Diagnostic]] = {}
    for diag in site.validation.diagnostics:
        if diag.file.startswith(("data/stations/", "data/operations/")):
            findings.setdefault(PurePosixPath(diag.file).stem, []).append(diag)
    fee_rows: dict[str, list[PlacedRow]] = {}
    for placed in site.compliance.rows:
        fee_rows.setdefault(placed.row.station, []).append(placed)
    assessed = {row["station"]: row for level in report["assessment"]["levels"] for row in level["stations"]}
    skipped = {
        row["station"]: row["reason"] for level in report["assessment"]["levels"] for row in level["not_assessed"]
    }
    then = data.on(as_of)
    for row in site.checklist.stations:
        station = then.stations.get(row.id, {})
        site.stations[row.id] = StationView(
            id=row.id,
            data=station,
            row=row,
            terms=_terms(data.stations.get(row.id, {}), as_of),
            agreement_end=agreement_end(station, as_of),
            training=training_progress(station, data.training, as_of),
            months=_months(data, row.id, statuses),
            reporting=_state(status, row.id),
            assessment=assessed.get(row.id),
            not_assessed=skipped.get(row.id),
            fee_rows=fee_rows.get(row.id, []),
            open_feedback=_open_feedback(data, row.id, as_of),
            events=[e for e in site.events if not e.is_selection and row.id in e.stations],
            awards=[(e, a.label) for e in site.events for a in e.awards if a.station == row.id],
            findings=findings.get(row.id, []),
        )
    return site


def _trend(
    data: ReportData, period: Period, statuses: dict[str, MonthStatus]
) -> list[tuple[str, dict[str, Any] | None, int]]:
    """The county's service totals for the twelve months up to `period`, each exactly as `report monthly`
    computes them for that month (the stations in force at its end, reported figures only), from the
    first of them with figures."""
    months: list[Period] = [period]
    while len(months) < TREND_MONTHS:
        months.insert(0, months[0].previous())
    out: list[tuple[str, dict[str, Any] | None, int]] = []
    for p in months:
        status = statuses.get(p.label)
        if status is None or not status.reported:
            out.append((p.label, None, 0))
        else:
            out.append((p.label, services(data.on(p.last), p)["total"], len(status.reported)))
    while len(out) > 1 and out[0][1] is None:  # the months before the county collected any figures
        out.pop(0)
    return out


def _state(status: MonthStatus, sid: str) -> str:
    for state in ("reported", "draft", "missing"):
        if sid in getattr(status, state):
            return state
    return "not_expected"


def _months(data: ReportData, sid: str, statuses: dict[str, MonthStatus]) -> list[MonthLine]:
    """The station's months up to the site's: its reported totals, or why there are none."""
    lines = []
    for month, status in statuses.items():
        state = _state(status, sid)
        if state == "not_expected":
            record = data.operations.get(month, {}).get(sid)
            if record is None:
                continue
            state = "reported" if sid in status.unexpected else "draft"
        totals = service_totals(data.operations[month], [sid]) if state == "reported" else None
        lines.append(MonthLine(month, state, totals))
    return lines


def _terms(station: dict[str, Any], as_of: date) -> list[Term]:
    """Every stationmaster the station had by `as_of`, oldest first; a successor who took office after
    that day is not shown, and neither is a renewal signed after it."""
    out = []
    for tenure in tenures(station):
        if tenure.first is not None and tenure.first > as_of:
            continue
        out.append(_term(tenure, as_of))
    return out


def _term(tenure: Tenure, as_of: date) -> Term:
    agreement = tenure.agreement
    renewals = [
        as_dict(r)
        for r in as_list(as_dict(agreement).get("renewals"))
        if (signed := as_date(dig(r, ("signed",)))) is not None and signed <= as_of
    ]
    last = tenure.last if tenure.last is not None and tenure.last < as_of else None
    return Term(
        name=as_str(tenure.person.get("name")) or "",
        first=tenure.first,
        last=last,
        reason=tenure.reason if last is not None else None,
        agreement=agreement,
        renewals=renewals,
    )


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
