"""Who has reported a month: the stations expected (serving on some day of the month), those whose
figures are in, the drafts still blank, the records never opened, and those past the deadline.

`month status` prints this; `report monthly` counts only the reported stations, so a draft or a missing
record is never read as a month without business.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from yjstation.domain.history import serving_in
from yjstation.domain.reporting import is_draft
from yjstation.foundation.records import month_bounds
from yjstation.reports.data import ReportData


@dataclass
class MonthStatus:
    month: str
    deadline: date | None
    as_of: date
    expected: list[str] = field(default_factory=list)
    reported: list[str] = field(default_factory=list)
    draft: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)  # reported, though the station was not serving

    @property
    def unreported(self) -> list[str]:
        """Expected stations without reported figures: drafts and missing records."""
        return sorted(set(self.draft) | set(self.missing))

    def to_json(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "expected": self.expected,
            "reported": self.reported,
            "draft": self.draft,
            "missing": self.missing,
            "late": self.late,
        }


def month_status(data: ReportData, month: str, as_of: date) -> MonthStatus:
    """The reporting state of `month` as of `as_of`. A station is expected when it served on any day
    of the month; late once the deadline (data/policy/reporting.yaml) is before `as_of` and its figures
    are still not in. Ids are sorted."""
    bounds = month_bounds(month)
    if bounds is None:
        raise ValueError(month)
    deadline = data.reporting.deadline(month)
    status = MonthStatus(month, deadline, as_of)
    records = data.operations.get(month, {})
    for sid, station in sorted(data.stations.items()):
        # Not yet fitted out, closed before the month or suspended all through it: nothing is owed.
        expected = serving_in(station, month)
        record = records.get(sid)
        reported = record is not None and not is_draft(record)
        if not expected:
            if reported:
                status.unexpected.append(sid)
            continue
        status.expected.append(sid)
        if reported:
            status.reported.append(sid)
        elif record is not None:
            status.draft.append(sid)
        else:
            status.missing.append(sid)
        if not reported and deadline is not None and as_of > deadline:
            status.late.append(sid)
    return status


def reported_ids(data: ReportData, month: str) -> set[str]:
    """The stations whose figures for `month` are in (drafts excluded), whether expected or not."""
    return {sid for sid, record in data.operations.get(month, {}).items() if not is_draft(record)}


def by_township(status: MonthStatus, data: ReportData) -> list[dict[str, Any]]:
    """The status per township in county order: counts, and the stations not reported by name."""
    rows = []
    for township in data.townships:
        here = {sid for sid in status.expected if data.stations[sid].get("township") == township.id}
        if not here:
            continue
        rows.append(
            {
                "township": township.id,
                "name": township.name,
                **{
                    key: sorted(sid for sid in getattr(status, key) if sid in here)
                    for key in ("expected", "reported", "draft", "missing", "late")
                },
            }
        )
    return rows


def short_name(name: str, township: str) -> str:
    """A station's name within its township's line: 平原镇勐展村电子商务服务站 -> 勐展村; the township's own
    station -> 乡镇服务站."""
    short = name.removesuffix("电子商务服务站").removeprefix(township)
    return short or "乡镇服务站"


def markdown_context(status: MonthStatus, data: ReportData) -> dict[str, Any]:
    """What templates/month-status.md.j2 needs: Chinese labels and station names, no ids."""

    def named(ids: list[str]) -> list[str]:
        out = []
        for sid in ids:
            station = data.stations[sid]
            township = data.township_name(str(station.get("township")))
            out.append(short_name(str(station.get("name", sid)), township))
        return out

    rows = by_township(status, data)
    return {
        "county": data.county_name,
        "month": status.month,
        "title": f"{int(status.month[:4])}年{int(status.month[5:7])}月",
        "as_of": status.as_of.isoformat(),
        "deadline": status.deadline.isoformat() if status.deadline else "",
        "past_deadline": status.deadline is not None and status.as_of > status.deadline,
        "counts": {key: len(getattr(status, key)) for key in ("expected", "reported", "draft", "missing", "late")},
        "townships": [
            {
                "name": row["name"],
                **{key: len(row[key]) for key in ("expected", "reported", "draft", "missing", "late")},
                "draft_names": named(row["draft"]),
                "missing_names": named(row["missing"]),
            }
            for row in rows
        ],
    }
