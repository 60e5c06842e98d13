"""Promotions, market days and 优秀 selections as `data/events/<id>.yaml` records them.

The plan names the events (二（二）1 促销拉动: 网上赶集日、折价促销、家电下乡、买即送、现场体验 and 优秀评选:
评选优秀站点和优秀站长; 二（二）3 农产品直销展; 二（二）6 小站大集活动) and what they are for (提高服务站人气,
加快工业品下乡, 农产品进城). An event records its date, kind, stations and figures; a selection records a
decision: who decided, when, on which criteria, and whom. yjstation never makes that decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from yjstation.foundation.records import as_date, as_dict, as_list, as_str

SELECTION = "excellence_selection"
KIND_LABELS = {
    "online_market_day": "网上赶集日",
    "discount_promotion": "折价促销",
    "appliances_to_countryside": "家电下乡",
    "buy_and_gift": "买即送",
    "onsite_experience": "现场体验",
    "market_day": "小站大集活动",
    "produce_fair": "农产品直销展",
    "publicity": "宣传活动",
    SELECTION: "优秀站点和优秀站长评选",
}
AWARD_LABELS = {"excellent_station": "优秀站点", "excellent_stationmaster": "优秀站长"}
FIGURE_LABELS = {
    "participants": "参与人数",
    "orders": "订单数",
    "sales": "销售额（元）",
    "produce_sales": "农产品销售额（元）",
}


@dataclass(frozen=True)
class Award:
    award: str
    station: str
    stationmaster: str | None

    @property
    def label(self) -> str:
        return AWARD_LABELS.get(self.award, self.award)


@dataclass(frozen=True)
class Event:
    id: str
    kind: str
    name: str
    day: date
    end: date | None
    stations: tuple[str, ...]
    figures: dict[str, Any]
    decided_by: str | None
    criteria: str | None
    awards: tuple[Award, ...]
    file: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def is_selection(self) -> bool:
        return self.kind == SELECTION

    def within(self, first: date, last: date) -> bool:
        """True when the event overlaps the days `first`–`last`."""
        return self.day <= last and (self.end or self.day) >= first


def event_from(data: Any, file: str) -> Event | None:
    """The typed view of one loaded event file; None when it lacks an id, kind or date (the schema says why)."""
    raw = as_dict(data)
    day = as_date(raw.get("date"))
    kind, eid = as_str(raw.get("kind")), as_str(raw.get("id"))
    if day is None or kind is None or eid is None:
        return None
    awards = tuple(
        Award(as_str(a.get("award")) or "", as_str(a.get("station")) or "", as_str(a.get("stationmaster")))
        for a in map(as_dict, as_list(raw.get("selected")))
    )
    return Event(
        eid,
        kind,
        as_str(raw.get("name")) or eid,
        day,
        as_date(raw.get("end")),
        tuple(s for s in as_list(raw.get("stations")) if isinstance(s, str)),
        as_dict(raw.get("figures")),
        as_str(raw.get("decided_by")),
        as_str(raw.get("criteria")),
        awards,
        file,
    )
