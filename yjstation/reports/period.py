"""Report periods: a calendar month `YYYY-MM` or an ISO week `YYYY-Www`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from yjstation.foundation.i18n import tr
from yjstation.foundation.records import month_bounds


@dataclass(frozen=True)
class Period:
    kind: Literal["monthly", "weekly"]
    label: str
    first: date
    last: date

    def contains(self, day: date | None) -> bool:
        return day is not None and self.first <= day <= self.last

    def previous(self) -> Period:
        if self.kind == "weekly":
            return week_of(self.first - timedelta(days=7))
        before = self.first - timedelta(days=1)
        return month(f"{before.year:04d}-{before.month:02d}")

    @property
    def title(self) -> str:
        if self.kind == "monthly":
            return f"{self.first.year}年{self.first.month}月"
        year, week, _ = self.first.isocalendar()
        return f"{year}年第{week}周（{self.first.month}月{self.first.day}日—{self.last.month}月{self.last.day}日）"


def month(text: str) -> Period:
    bounds = month_bounds(text) if re.fullmatch(r"[0-9]{4}-[0-9]{2}", text) else None
    if bounds is None:
        raise ValueError(
            tr("`{text}` 不是 YYYY-MM 形式的月份", "`{text}` is not a month in the form YYYY-MM", text=text)
        )
    return Period("monthly", text, *bounds)


def week(text: str) -> Period:
    match = re.fullmatch(r"([0-9]{4})-W([0-9]{2})", text)
    if match is None:
        raise ValueError(
            tr(
                "`{text}` 不是 YYYY-Www 形式的 ISO 周（例如 2021-W10）",
                "`{text}` is not an ISO week in the form YYYY-Www (e.g. 2021-W10)",
                text=text,
            )
        )
    try:
        first = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise ValueError(
            tr("{year} 年没有第 {week} 周", "{year} has no week {week}", year=match[1], week=int(match[2]))
        ) from None
    return Period("weekly", text, first, first + timedelta(days=6))


def week_of(day: date) -> Period:
    year, number, _ = day.isocalendar()
    return week(f"{year:04d}-W{number:02d}")
