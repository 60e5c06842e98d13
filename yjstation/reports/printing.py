"""What a printed report needs besides its figures: the names people know for the ids the figures carry,
what the place calls itself (全县, 全镇, 全乡), whose report it is in the title, and Chinese dates and
numbers. Presentation only: the figures and the JSON output keep their ids and ISO dates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from yjstation.domain.county import County
from yjstation.domain.fees import service_label
from yjstation.foundation.records import as_str
from yjstation.foundation.zh import date_zh
from yjstation.reports.data import ReportData


@dataclass(frozen=True)
class PrintNames:
    """`place` is who the report is about (盈江县, 盈江县平原镇, 德宏傣族景颇族自治州) and `area` what its
    running text calls the whole (县, 镇, 乡); `title` replaces the generated title when given."""

    place: str
    area: str = "县"
    stations: Mapping[str, str] = field(default_factory=dict)
    title: str | None = None


def names_for(data: ReportData, title: str | None = None) -> PrintNames:
    """The names of a county's (or one township's) report."""
    stations = {sid: as_str(s.get("name")) or sid for sid, s in data.stations.items()}
    township = data.county_view.township(data.township)
    if township is None:
        return PrintNames(data.county_name, "县", stations, title)
    area = "乡" if township.kind_label.endswith("乡") else township.kind_label
    return PrintNames(data.county_name + township.name, area, stations, title)


def rollup_names(counties: list[County], title: str | None = None) -> PrintNames:
    """The roll-up is the prefecture's when every county names the same one (county.yaml's
    county.prefecture); otherwise the counties' names, joined."""
    prefectures = {c.prefecture for c in counties}
    place = (
        prefectures.pop() if len(prefectures) == 1 and "" not in prefectures else "、".join(c.name for c in counties)
    )
    return PrintNames(place, "州", {}, title)


def filters(names: PrintNames) -> dict[str, Callable[[Any], str]]:
    """Jinja filters for report templates: `station_name`, `service_name`, `zh_date`, `zh_month`, `count`."""
    return {
        "station_name": lambda sid: names.stations.get(str(sid), str(sid)),
        "service_name": lambda key: service_label(str(key)),
        "zh_date": zh_date,
        "zh_month": zh_month,
        "count": count,
    }


def zh_date(value: Any) -> str:
    """`2021-06-28` (or a date) as 2021年6月28日; an empty value stays empty."""
    if value in (None, ""):
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return date_zh(day)


def zh_month(value: Any) -> str:
    """`2021-06` as 2021年6月."""
    year, month = str(value).split("-")[:2]
    return f"{int(year)}年{int(month)}月"


def count(value: Any) -> str:
    """A count with thousands separators: 37,088."""
    return f"{int(Decimal(str(value))):,}"
