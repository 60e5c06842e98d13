"""Business targets (业务指标) and how a station's month is measured against them.

The plan gives the centre the right to assess each station's business (合作协议 第三条 甲方1) and makes
the station responsible for the targets the centre issues (乙方4); a station that fails the assessment
may have its partner replaced (甲方1). It sets no target, no figure and no rule for passing: all of that
is the county's choice and lives in `data/policy/assessment.yaml`. What is fixed here is only what can
be measured: each metric is a figure the monthly operations records already carry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from yjstation.foundation.records import as_date, as_dict, as_list, as_number, as_str, dig

ZERO = Decimal(0)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    short: str  # a column heading
    unit: str
    service: str | None  # the station service it measures: a station not offering it has no such target


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("orders", "各项服务订单合计", "订单（单）", "单", None),
        Metric("express_orders", "快递收发", "快递（单）", "单", None),
        Metric("purchase_orders", "网上代购", "代购（单）", "单", "purchase_agency"),
        Metric("purchase_amount", "网货下乡代购金额", "代购金额（元）", "元", "purchase_agency"),
        Metric("consignment_orders", "农货进城代销", "代销（单）", "单", "consignment"),
        Metric("consignment_sales", "农货进城代销金额", "代销金额（元）", "元", "consignment"),
        Metric("feedback_on_time", "问题反馈按期办结率", "按期办结", "", None),
    )
}


def measure(key: str, record: dict[str, Any] | None, last: date, feedback_days: int) -> Decimal | None:
    """The month's figure for one metric from its operations record (None: nothing to measure, e.g. no
    feedback was raised). A missing record measures zero: a month without a record is a month without
    business as far as the centre can tell."""
    services = as_dict((record or {}).get("services"))
    if key == "orders":
        return Decimal(sum(_orders(e) for e in services.values()))
    if key == "express_orders":
        return Decimal(_orders(services.get("express")))
    if key == "purchase_orders":
        return Decimal(_orders(services.get("purchase_agency")))
    if key == "purchase_amount":
        return as_number(dig(services, ("purchase_agency", "amount"))) or ZERO
    if key == "consignment_orders":
        return Decimal(_orders(services.get("consignment")))
    if key == "consignment_sales":
        return as_number(dig(services, ("consignment", "sales"))) or ZERO
    if key == "feedback_on_time":
        return _on_time((record or {}).get("feedback"), last, feedback_days)
    raise KeyError(key)


def _orders(entry: Any) -> int:
    count = as_dict(entry).get("orders")
    return count if isinstance(count, int) and not isinstance(count, bool) else 0


def _on_time(feedback: Any, last: date, days: int) -> Decimal | None:
    """The share of the month's feedback closed within `days` days of being raised; an item still open
    but raised within the last `days` days of the month is not late yet and is left out."""
    counted = on_time = 0
    for item in map(as_dict, as_list(feedback)):
        raised, closed = as_date(item.get("date")), as_date(item.get("closed"))
        if raised is None:
            continue
        due = raised + timedelta(days=days)
        if closed is None and due >= last:
            continue
        counted += 1
        on_time += closed is not None and closed <= due
    return Decimal(on_time) / counted if counted else None


@dataclass(frozen=True)
class Issue:
    """Targets the centre issued, by station level, in force from a month until the next issue."""

    start: str  # YYYY-MM
    issued: date | None
    issued_by: str
    by_level: dict[str, dict[str, Decimal]]


@dataclass(frozen=True)
class Override:
    """Targets issued to one station, replacing the defaults of the same name from a month on."""

    station: str
    start: str
    targets: dict[str, Decimal]
    reason: str
    index: int  # position in the policy file, for pointing at it


@dataclass(frozen=True)
class Target:
    metric: Metric
    value: Decimal
    source: str  # 2021-01 默认指标 / 站点单独下达


@dataclass(frozen=True)
class AssessmentPolicy:
    issues: tuple[Issue, ...] = ()
    overrides: tuple[Override, ...] = ()
    pass_at_least: int | None = None  # None: every applicable target must be met
    review_after: int | None = None  # consecutive failed months that put a station on the centre's agenda
    feedback_days: int = 0
    full_months_only: bool = True

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> AssessmentPolicy:
        issues = []
        for raw in map(as_dict, as_list(data.get("targets"))):
            start = as_str(raw.get("from"))
            if start is None:
                continue
            levels = {lvl: _figures(raw.get(lvl)) for lvl in ("township", "village") if isinstance(raw.get(lvl), dict)}
            issues.append(Issue(start, as_date(raw.get("issued")), as_str(raw.get("issued_by")) or "", levels))
        overrides = []
        for index, raw in enumerate(map(as_dict, as_list(data.get("stations")))):
            station, start = as_str(raw.get("station")), as_str(raw.get("from"))
            if station and start:
                overrides.append(
                    Override(station, start, _figures(raw.get("targets")), as_str(raw.get("reason")) or "", index)
                )
        rule = data.get("pass_rule")
        return cls(
            tuple(sorted(issues, key=lambda i: i.start)),
            tuple(sorted(overrides, key=lambda o: (o.station, o.start))),
            rule if isinstance(rule, int) and not isinstance(rule, bool) else None,
            _count(data.get("review_after_failures")),
            _count(data.get("feedback_days")) or 0,
            data.get("assess_full_months_only") is not False,
        )

    def issue_for(self, month: str) -> Issue | None:
        current = None
        for issue in self.issues:
            if issue.start <= month:
                current = issue
        return current

    def targets_for(self, station: str, level: str, month: str, offered: list[str]) -> list[Target]:
        """The station's targets for `month`: its level's defaults then its own, for the metrics that
        apply to the services it offers."""
        chosen: dict[str, Target] = {}
        issue = self.issue_for(month)
        if issue is not None:
            for key, value in issue.by_level.get(level, {}).items():
                chosen[key] = Target(METRICS[key], value, f"{issue.start} 起默认指标")
        for override in self.overrides:
            if override.station == station and override.start <= month:
                for key, value in override.targets.items():
                    chosen[key] = Target(METRICS[key], value, f"{override.start} 起单独下达")
        return [t for k, t in chosen.items() if t.metric.service is None or t.metric.service in offered]


def _figures(raw: Any) -> dict[str, Decimal]:
    out = {}
    for key, value in as_dict(raw).items():
        number = as_number(value)
        if key in METRICS and number is not None:
            out[key] = number
    return out


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
