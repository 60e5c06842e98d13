"""The county's rollout view: every station's place in the eight steps, counted by township and step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from yjstation.domain.county import County
from yjstation.domain.history import station_in_force
from yjstation.domain.rollout import Progress, RolloutPolicy, progress
from yjstation.foundation.records import as_dict, as_str
from yjstation.foundation.zh import date_zh
from yjstation.loading.repository import Repository


@dataclass(frozen=True)
class StationRow:
    id: str
    name: str
    township: str
    township_name: str
    level: str
    file: str
    progress: Progress

    def to_json(self) -> dict[str, Any]:
        current = self.progress.current
        return {
            "id": self.id,
            "name": self.name,
            "township": self.township,
            "level": self.level,
            "file": self.file,
            "current_step": current.key if current else None,
            "days_in_step": self.progress.days_in_step,
            "stalled": self.progress.stalled,
            "steps": [
                {
                    "key": s.step.key,
                    "status": s.status,
                    "done": s.done.isoformat() if s.done else None,
                    "missing": [e.key for e in s.missing],
                }
                for s in self.progress.steps
            ],
        }


@dataclass
class Checklist:
    as_of: date
    policy: RolloutPolicy
    townships: list[tuple[str, str]]  # (id, name) in county order
    stations: list[StationRow] = field(default_factory=list)

    def done_by_step(self, rows: list[StationRow] | None = None) -> dict[str, int]:
        rows = self.stations if rows is None else rows
        return {
            step.key: sum(any(s.step.key == step.key and s.status == "done" for s in r.progress.steps) for r in rows)
            for step in self.policy.steps
        }

    def by_township(self) -> list[tuple[str, str, list[StationRow]]]:
        groups = [(tid, name, [r for r in self.stations if r.township == tid]) for tid, name in self.townships]
        known = {tid for tid, _ in self.townships}
        strays = [r for r in self.stations if r.township not in known]
        if strays:
            groups.append(("", "（未知乡镇）", strays))
        return [g for g in groups if g[2]]

    def to_json(self) -> dict[str, Any]:
        total = len(self.stations)
        done = self.done_by_step()
        return {
            "as_of": self.as_of.isoformat(),
            "stations": [r.to_json() for r in self.stations],
            "summary": {
                "stations": total,
                "stalled": sum(r.progress.stalled for r in self.stations),
                "completed": sum(r.progress.current is None for r in self.stations),
                "done_by_step": done,
                "share_by_step": {k: _share(v, total) for k, v in done.items()},
                "by_township": {
                    tid or "unknown": {"stations": len(rows), "done_by_step": self.done_by_step(rows)}
                    for tid, _, rows in self.by_township()
                },
            },
        }


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.4f}" if whole else "0.0000"


def build(
    repo: Repository,
    as_of: date,
    *,
    township: str | None = None,
    level: str | None = None,
    step: str | None = None,
    stalled: bool = False,
    station: str | None = None,
) -> Checklist:
    """Compute the checklist of the stations in force on `as_of`, narrowed by the filters.
    `step` keeps stations whose current step is that step ("completed" for those with all eight done)."""
    rollout = as_dict(repo.policy["rollout"].data) if "rollout" in repo.policy else {}
    county = County.from_data(repo.county.data if repo.county else None)
    townships = list(county.township_names.items())
    names = dict(townships)
    policy = RolloutPolicy.from_data(rollout)
    result = Checklist(as_of, policy, townships)
    for doc in repo.stations:
        data = as_dict(doc.data)
        sid = as_str(data.get("id"))
        if sid is None or not station_in_force(data, as_of):
            continue  # a station listed after the day, or closed by then, was not on that day's list
        row = StationRow(
            id=sid,
            name=as_str(data.get("name")) or sid,
            township=as_str(data.get("township")) or "",
            township_name=names.get(as_str(data.get("township")) or "", as_str(data.get("township")) or ""),
            level=as_str(data.get("level")) or "",
            file=doc.file,
            progress=progress(data, policy, as_of),
        )
        current = row.progress.current.key if row.progress.current else "completed"
        if (
            (station and sid != station)
            or (township and row.township != township)
            or (level and row.level != level)
            or (step and current != step)
            or (stalled and not row.progress.stalled)
        ):
            continue
        result.stations.append(row)
    order = {tid: i for i, (tid, _) in enumerate(townships)}
    result.stations.sort(key=lambda r: (order.get(r.township, len(order)), r.level != "township", r.id))
    return result


def markdown_page(
    templates: Path, checklist: Checklist, place: str, level_labels: dict[str, str], filters: dict[str, str | None]
) -> str:
    """The weekly meeting's page (templates/checklist.md.j2). `place` is the county, or the county and
    township the list is narrowed to; `filters` names what narrowed it (乡镇, 级别, 当前步骤, 站点, with
    the value people read, and 仅列停滞站点 with an empty value); the page is a Chinese document whatever
    the interface language. A template error is TemplateFailed, naming the template's file and line."""
    from yjstation.documents.markdown import render_page

    shown = "；".join(f"{name}：{value}" if value else name for name, value in filters.items() if value is not None)
    return render_page(templates, "checklist.md.j2", **markdown_context(checklist, place, level_labels, shown))


def markdown_context(checklist: Checklist, place: str, level_labels: dict[str, str], filters: str) -> dict[str, Any]:
    """What templates/checklist.md.j2 needs: plain strings and numbers, labels already in Chinese."""
    total = len(checklist.stations)
    done = checklist.done_by_step()
    steps = [
        {"order": s.order, "name": s.name, "done": done[s.key], "share": _percent(done[s.key], total)}
        for s in checklist.policy.steps
    ]
    townships = [
        {"name": name, "stations": len(rows), "done": list(checklist.done_by_step(rows).values())}
        for _, name, rows in checklist.by_township()
    ]
    stations = [_station_view(r, level_labels) for r in checklist.stations]
    return {
        "place": place,
        "as_of": date_zh(checklist.as_of),
        "total": total,
        "completed": sum(r.progress.current is None for r in checklist.stations),
        "stalled_count": sum(r.progress.stalled for r in checklist.stations),
        "filters": filters,
        "steps": steps,
        "townships": townships,
        "stations": stations,
        "stalled": [s for s in stations if s["stalled"]],
    }


def _station_view(row: StationRow, level_labels: dict[str, str]) -> dict[str, Any]:
    current = row.progress.current
    state = next((s for s in row.progress.steps if current and s.step.key == current.key), None)
    return {
        "id": row.id,
        "name": row.name,
        "township": row.township_name,
        "level": level_labels.get(row.level, row.level),
        "current": current.name if current else "全部完成",
        "days": "" if row.progress.days_in_step is None else row.progress.days_in_step,
        "stalled": row.progress.stalled,
        "missing": "、".join(e.label for e in state.missing) if state else "",
    }


def _percent(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"
