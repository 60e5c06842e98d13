"""The monthly reporting cycle: what a station reports each month, by when, and whether a record holds
reported figures or is still a draft.

`yjstation month open` writes a draft for every station serving in a month: the station's services with
empty figures and `reported:` left empty. A record is *reported* once it carries figures and a
`reported` date; a record written before drafts existed has no `reported` key at all and counts as
reported. A draft is never a zero: reports leave it out of every total, comparison and ranking.
The deadline, the services each station reports and the notice period for closing a station are read
from data/policy/reporting.yaml (defaults below when a repository has none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeGuard

from yjstation.foundation.records import as_dict, as_list, month_bounds

# The figures of each service in a monthly record, in the order the data contract lists them; the
# required ones are what a reported record must give (the highest single fee or rate is optional).
FIGURES: dict[str, tuple[str, ...]] = {
    "express": ("orders", "fees", "max_fee"),
    "purchase_agency": ("orders", "amount", "fees", "max_rate"),
    "consignment": ("orders", "sales", "rebate"),
    "topup": ("orders", "fees", "max_fee"),
    "ticketing": ("orders", "fees", "max_fee"),
    "cash": ("orders", "amount", "fees", "max_fee"),
    "convenience": ("orders", "fees"),
}
OPTIONAL_FIGURES = frozenset({"max_fee", "max_rate"})
SERVICE_NAMES = {
    "express": "快递收发",
    "purchase_agency": "商品代购",
    "consignment": "商品代销",
    "topup": "充值缴费",
    "ticketing": "票务订购",
    "cash": "存取款服务",
    "convenience": "便民服务",
}
FIGURE_NAMES = {
    "orders": "单数",
    "fees": "收费（元）",
    "amount": "金额（元）",
    "sales": "代销金额（元）",
    "rebate": "销售返利（元）",
    "max_fee": "单笔最高收费（元）",
    "max_rate": "单笔最高费率",
}

DEFAULT_DEADLINE_DAY = 5
DEFAULT_NOTICE_DAYS = 30  # 合作协议第四条
DEFAULT_ALWAYS = ("express",)
DEFAULT_BY_SERVICE = {
    "purchase_agency": ("purchase_agency",),
    "consignment": ("consignment",),
    "bill_payment": ("topup", "ticketing", "convenience"),
    "finance": ("cash",),
}


@dataclass(frozen=True)
class ReportingPolicy:
    deadline_day: int
    always: tuple[str, ...]
    by_service: dict[str, tuple[str, ...]]
    notice_days: int

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ReportingPolicy:
        """Build from data/policy/reporting.yaml as loaded; missing or malformed parts take the defaults
        (the schema reports what is malformed)."""
        reporting, termination = as_dict(data.get("reporting")), as_dict(data.get("termination"))
        day = reporting.get("deadline_day")
        notice = termination.get("notice_days")
        always = [s for s in as_list(reporting.get("always")) if s in FIGURES]
        by_service = {
            str(key): tuple(s for s in as_list(value) if s in FIGURES)
            for key, value in as_dict(reporting.get("by_service")).items()
        }
        return cls(
            day if _whole(day) and 1 <= day <= 28 else DEFAULT_DEADLINE_DAY,
            tuple(always) if "always" in reporting else DEFAULT_ALWAYS,
            by_service if "by_service" in reporting else dict(DEFAULT_BY_SERVICE),
            notice if _whole(notice) and notice >= 0 else DEFAULT_NOTICE_DAYS,
        )

    def deadline(self, month: str) -> date | None:
        """The last day to report `month` (YYYY-MM): the deadline day of the following month."""
        bounds = month_bounds(month)
        if bounds is None:
            return None
        last = bounds[1]
        following = date(last.year + last.month // 12, last.month % 12 + 1, 1)
        return following.replace(day=self.deadline_day)

    def services_for(self, station: dict[str, Any]) -> list[str]:
        """The services a station reports each month, in the data contract's order."""
        wanted = set(self.always)
        for offered in as_list(station.get("services")):
            wanted.update(self.by_service.get(str(offered), ()))
        return [s for s in FIGURES if s in wanted]


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def is_draft(record: dict[str, Any]) -> bool:
    """A record opened by `month open` whose figures have not been reported: `reported` is there and
    empty. Records without the key (written before drafts existed) hold reported figures."""
    return "reported" in record and record.get("reported") in (None, "")


def empty_figures(record: dict[str, Any]) -> list[tuple[str, str]]:
    """(service, figure) of every figure left empty in the record's services."""
    out = []
    for service, entry in as_dict(record.get("services")).items():
        for figure, value in as_dict(entry).items():
            if value is None:
                out.append((str(service), str(figure)))
    return out


def has_figures(record: dict[str, Any]) -> bool:
    """Whether any figure of the record is filled in."""
    return any(
        value is not None for entry in as_dict(record.get("services")).values() for value in as_dict(entry).values()
    )
