"""The weekly summary: what is dated in the week — rollout steps completed, maintenance visits,
feedback raised and closed, and training sessions attended."""

from __future__ import annotations

from typing import Any

from yjstation.domain.history import tenures
from yjstation.domain.rollout import step_states
from yjstation.foundation.records import as_date, as_dict, as_list, as_str, dig
from yjstation.reports.data import ReportData
from yjstation.reports.period import Period


def weekly(data: ReportData, period: Period) -> dict[str, Any]:
    steps, sessions = [], []
    for sid, station in sorted(data.stations.items()):
        for state in step_states(station, data.rollout, period.last):
            if state.status == "done" and period.contains(state.done):
                steps.append(
                    {
                        "station": sid,
                        "name": station.get("name"),
                        "step": state.step.key,
                        "step_name": state.step.name,
                        "date": str(state.done),
                    }
                )
        # Each stationmaster's own sessions, a replaced one's included: the week may predate the change.
        attended = [(t.person, record) for t in tenures(station) for record in map(as_dict, t.training)]
        for person, record in attended:
            day = as_date(record.get("date"))
            if period.contains(day):
                module = data.training.module(as_str(record.get("module")) or "")
                sessions.append(
                    {
                        "station": sid,
                        "stationmaster": as_str(person.get("name")),
                        "date": str(day),
                        "module": module.name if module else record.get("module"),
                        "minutes": record.get("minutes"),
                        "mode": record.get("mode"),
                    }
                )
    visits, raised, closed = [], [], []
    for month in sorted({f"{d:%Y-%m}" for d in (period.first, period.last)} | set(data.operations)):
        for sid, record in sorted(data.operations.get(month, {}).items()):
            for kind in ("online", "onsite"):
                for item in map(as_dict, as_list(dig(record, ("maintenance", kind)))):
                    if period.contains(as_date(item.get("date"))):
                        visits.append(
                            {
                                "station": sid,
                                "kind": kind,
                                "date": item.get("date"),
                                "what": item.get("issue") or item.get("notes") or "",
                            }
                        )
            for item in map(as_dict, as_list(record.get("feedback"))):
                entry = {
                    "station": sid,
                    "date": item.get("date"),
                    "issue": item.get("issue"),
                    "closed": item.get("closed"),
                }
                if period.contains(as_date(item.get("date"))):
                    raised.append(entry)
                if period.contains(as_date(item.get("closed"))):
                    closed.append(entry)
    sessions.sort(key=lambda s: (s["date"], s["station"]))
    visits.sort(key=lambda v: (str(v["date"]), v["station"]))
    return {
        "kind": "weekly",
        "period": period.label,
        "title": period.title,
        "from": str(period.first),
        "to": str(period.last),
        "county": data.county_name,
        "township": data.township,
        "steps_completed": sorted(steps, key=lambda s: (s["date"], s["station"])),
        "maintenance": visits,
        "feedback_opened": raised,
        "feedback_closed": closed,
        "training": sessions,
    }
