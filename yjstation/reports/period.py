"""Report periods: a calendar month `YYYY-MM` or an ISO week `YYYY-Www`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from yjstation.foundation.i18n import tr
from yjstation.foundation.records import FIRST_DAY, LAST_DAY, month_bounds


@dataclass(frozen=True)
class Period:
    kind: Literal["monthly", "weekly"]
    label: str
    first: date
    last: date

    def contains(self, day: date | None) -> bool:
        return day is not None and self.first <= day <= self.last

    def previous(self) -> Period:
        """The period before, built without the range check: the week or month before the first one
        yjstation handles holds no records, and needs none."""
        before = self.first - timedelta(days=1)
        if self.kind == "weekly":
            year, number, _ = before.isocalendar()
            return Period("weekly", f"{year:04d}-W{number:02d}", before - timedelta(days=6), before)
        return Period("monthly", f"{before.year:04d}-{before.month:02d}", before.replace(day=1), before)

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
            tr(
                "`{text}` 不是 {first} 至 {last} 之间 YYYY-MM 形式的月份",
                "`{text}` is not a month in the form YYYY-MM between {first} and {last}",
                text=text,
                first=FIRST_DAY.isoformat()[:7],
                last=LAST_DAY.isoformat()[:7],
            )
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
    if not FIRST_DAY <= first <= LAST_DAY - timedelta(days=6):
        raise ValueError(
            tr(
                "{text} 不在 yjstation 能处理的 {first} 至 {last} 之间",
                "{text} is outside the days yjstation handles, {first} to {last}",
                text=text,
                first=FIRST_DAY.isoformat(),
                last=LAST_DAY.isoformat(),
            )
        )
    return Period("weekly", text, first, first + timedelta(days=6))


def week_of(day: date) -> Period:
    year, number, _ = day.isocalendar()
    return week(f"{year:04d}-W{number:02d}")
