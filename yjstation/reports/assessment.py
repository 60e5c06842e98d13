"""The monthly assessment: each station against its own targets, township and village stations apart.

For every station assessed in the month, each target the centre issued (`data/policy/assessment.yaml`,
see `yjstation.domain.assessment`) is set beside the month's figure from its operations record; the
verdict 合格/不合格 follows the policy's rule, and the numbers behind it are part of the result. Stations
that failed the number of months in a row the policy names are listed for the centre to consider
(合作协议 甲方1: 考核不合格，甲方有权更换合作者); the tool lists them and decides nothing. 优秀站点 and
优秀站长 are not computed here either: the selections recorded in `data/events/` are shown as recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from yjstation.domain.assessment import METRICS, AssessmentPolicy, Target, measure
from yjstation.domain.stations import opened_on
from yjstation.foundation.records import as_date, as_list, month_bounds
from yjstation.reports.reporting import reported_ids

if TYPE_CHECKING:
    from yjstation.reports.data import ReportData
    from yjstation.reports.period import Period

LEVELS = (("township", "乡镇级服务站"), ("village", "村级服务站"))
CENT, PERCENT = Decimal("0.01"), Decimal("0.1")


@dataclass(frozen=True)
class Verdict:
    station: str
    month: str
    rows: list[dict[str, Any]]
    met: int
    applicable: int
    passed: bool
    no_record: bool


def assess(data: ReportData, period: Period) -> dict[str, Any]:
    """The month's assessment as plain data: per level, every assessed station's targets, figures and
    verdict; the stations not assessed and why; the candidates for the centre's decision; the selections."""
    policy = AssessmentPolicy.from_data(data.policy.get("assessment", {}))
    issue = policy.issue_for(period.label)
    levels = []
    candidates = []
    for level, label in LEVELS:
        rows: list[dict[str, Any]] = []
        skipped: list[dict[str, Any]] = []
        for sid, station in sorted(data.stations.items()):
            if station.get("level") != level:
                continue
            why = _not_assessed(data, sid, station, period.label, policy)
            if why == "not_operating":
                continue
            if why is not None:
                skipped.append({"station": sid, "name": station.get("name"), "reason": why})
                continue
            verdict = _verdict(data, policy, sid, station, period.label)
            streak = _failed_in_a_row(data, policy, sid, station, period.label) if not verdict.passed else 0
            row = {
                "station": sid,
                "name": station.get("name"),
                "short": _short_name(data, station),
                "township": data.township_name(str(station.get("township"))),
                "targets": verdict.rows,
                "met": verdict.met,
                "applicable": verdict.applicable,
                "needed": verdict.applicable
                if policy.pass_at_least is None
                else min(policy.pass_at_least, verdict.applicable),
                "passed": verdict.passed,
                "verdict": "合格" if verdict.passed else "不合格",
                "no_record": verdict.no_record,
                "failed_in_a_row": streak,
            }
            rows.append(row)
            if policy.review_after is not None and streak >= policy.review_after:
                candidates.append(
                    {**{k: row[k] for k in ("station", "name", "township")}, "level": level, "months": streak}
                )
        keys = {t["metric"] for r in rows for t in r["targets"]}
        defaults = issue.by_level.get(level, {}) if issue is not None else {}
        for row in rows:
            for target in row["targets"]:  # a station's own target is shown beside its figure, a default once
                target["own"] = target["metric"] not in defaults or target["source"].endswith("单独下达")
        levels.append(
            {
                "level": level,
                "label": label,
                "defaults": [
                    {
                        "metric": m.key,
                        "label": m.label,
                        "short": m.short,
                        "target": _shown(defaults[m.key], m.unit),
                        "unit": m.unit,
                    }
                    for m in METRICS.values()
                    if m.key in defaults
                ],
                "metrics": [
                    {"metric": m.key, "label": m.label, "short": m.short, "unit": m.unit}
                    for m in METRICS.values()
                    if m.key in keys
                ],
                "stations": rows,
                "passed": sum(r["passed"] for r in rows),
                "failed": sum(not r["passed"] for r in rows),
                "not_assessed": skipped,
            }
        )
    return {
        "period": period.label,
        "rule": {
            "pass_at_least": policy.pass_at_least,
            "review_after": policy.review_after,
            "feedback_days": policy.feedback_days,
            "full_months_only": policy.full_months_only,
        },
        "issue": None
        if issue is None
        else {"from": issue.start, "issued": issue.issued.isoformat() if issue.issued else None, "by": issue.issued_by},
        "levels": levels,
        "candidates": candidates,
        "selections": selections(data, period.first, period.last),
    }


def _short_name(data: ReportData, station: dict[str, Any]) -> str:
    """The station as a table cell: its township, and its village for a village station (平原镇勐盏村)."""
    township = data.township_name(str(station.get("township")))
    village = station.get("village") if station.get("level") == "village" else None
    return f"{township}{village}" if isinstance(village, str) else township


def _not_assessed(
    data: ReportData, sid: str, station: dict[str, Any], month: str, policy: AssessmentPolicy
) -> str | None:
    """Why a station is not assessed in `month` (None: it is): not operating at all that month, only part
    of it when the policy assesses full months only, or its figures are not in (a missing record or a
    blank draft is no figure at all, and a station is never failed on figures it has not reported)."""
    bounds = month_bounds(month)
    opened, closed = opened_on(station), as_date(station.get("closed"))
    if bounds is None or opened is None or opened > bounds[1] or (closed is not None and closed <= bounds[0]):
        return "not_operating"
    if policy.full_months_only and (opened > bounds[0] or (closed is not None and closed <= bounds[1])):
        return "part_month"
    if sid not in reported_ids(data, month):
        return "not_reported"
    return None


def _verdict(data: ReportData, policy: AssessmentPolicy, sid: str, station: dict[str, Any], month: str) -> Verdict:
    bounds = month_bounds(month)
    assert bounds is not None
    record = data.operations.get(month, {}).get(sid)
    offered = [s for s in as_list(station.get("services")) if isinstance(s, str)]
    rows = []
    for target in policy.targets_for(sid, str(station.get("level")), month, offered):
        actual = measure(target.metric.key, record, bounds[1], policy.feedback_days)
        met = actual is None or actual >= target.value  # nothing to measure (no feedback raised) is no failure
        rows.append(_row(target, actual, met))
    met_count = sum(r["met"] for r in rows)
    needed = len(rows) if policy.pass_at_least is None else min(policy.pass_at_least, len(rows))
    return Verdict(sid, month, rows, met_count, len(rows), met_count >= needed, record is None)


def _row(target: Target, actual: Decimal | None, met: bool) -> dict[str, Any]:
    unit = target.metric.unit
    return {
        "metric": target.metric.key,
        "label": target.metric.label,
        "short": target.metric.short,
        "unit": target.metric.unit,
        "target": _shown(target.value, unit),
        "actual": None if actual is None else _shown(actual, unit),
        "met": met,
        "source": target.source,
    }


def _shown(value: Decimal, unit: str) -> str:
    """A share as a percentage, money in yuan to the fen, a count as a whole number."""
    if unit == "":
        return f"{(value * 100).quantize(PERCENT, ROUND_HALF_UP)}%"
    if unit == "元":
        return str(value.quantize(CENT, ROUND_HALF_UP))
    return str(value.quantize(CENT, ROUND_HALF_UP)) if value != value.to_integral_value() else str(int(value))


def _failed_in_a_row(data: ReportData, policy: AssessmentPolicy, sid: str, station: dict[str, Any], month: str) -> int:
    """How many assessed months in a row, ending with `month`, the station failed. A month in which it
    was not assessed (not operating all month, or its figures not reported) ends the run: failures must
    be consecutive months of assessment."""
    streak, current = 0, month
    while _not_assessed(data, sid, station, current, policy) is None:
        if _verdict(data, policy, sid, station, current).passed:
            break
        streak += 1
        current = _previous(current)
    return streak


def _previous(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - 1:04d}-12" if number == 1 else f"{year:04d}-{number - 1:02d}"


def selections(data: ReportData, first: date, last: date) -> list[dict[str, Any]]:
    """The 优秀 selections decided in the period, as recorded (narrowed to the report's stations)."""
    out = []
    for event in data.events:
        if not event.is_selection or not first <= event.day <= last:
            continue
        awards = [
            {
                "award": a.award,
                "label": a.label,
                "station": a.station,
                "name": data.stations[a.station].get("name") if a.station in data.stations else a.station,
                "stationmaster": a.stationmaster,
            }
            for a in event.awards
            if data.township is None or a.station in data.stations
        ]
        out.append(
            {
                "id": event.id,
                "name": event.name,
                "date": event.day.isoformat(),
                "decided_by": event.decided_by,
                "criteria": event.criteria,
                "awards": awards,
            }
        )
    return out
