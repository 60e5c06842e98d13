"""The sample year's promotions, market days and 优秀 selection (`data/events/*.yaml`).

The plan names the events (二（二）1 促销拉动: 网上赶集日、折价促销、家电下乡、买即送、现场体验; 二（二）3 农产品
直销展; 二（二）6 小站大集活动; 二（二）1 优秀评选: 评选优秀站点和优秀站长) but not their dates or figures: those are
the sample's. The selection is a recorded decision (who decided, when, on which criteria, whom), made here
from the year's records the way a committee might look at them; yjstation never computes it.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

Doc = dict[str, Any]
CENTRE = "盈江县电子商务公共服务中心"


def _operating(stations: list[Doc], day: date) -> list[Doc]:
    return [s for s in stations if s["rollout"]["fit_out"].get("done", date.max) <= day]


def _yuan(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high) * 100).quantize(Decimal("0.01"))


def make_events(
    rng: random.Random, stations: list[Doc], operations: dict[tuple[str, str], Doc], targets: list[Doc]
) -> list[Doc]:
    """Every event of 2021, in date order. `operations` maps (month, station id) to the month's record;
    `targets` are the default targets of data/policy/assessment.yaml, which the selection committee reads."""
    events: list[Doc] = []

    def promotion(day: date, kind: str, slug: str, name: str, chosen: list[Doc], **extra: Any) -> None:
        n = len(chosen)
        figures = {
            "participants": n * rng.randint(40, 120),
            "orders": n * rng.randint(8, 30),
            "sales": _yuan(rng, n * 30, n * 120),
        }
        if kind in ("market_day", "produce_fair"):
            figures["produce_sales"] = _yuan(rng, n * 20, n * 90)
        events.append(
            {
                "id": f"{day.isoformat()}-{slug}",
                "kind": kind,
                "name": name,
                "date": day,
                **extra,
                "organizer": CENTRE,
                "stations": sorted(s["id"] for s in chosen),
                "figures": figures,
            }
        )

    spring = _operating(stations, date(2021, 1, 25))
    promotion(
        date(2021, 1, 25),
        "online_market_day",
        "online-market-day",
        "迎春年货网上赶集日",
        spring,
        end=date(2021, 2, 7),
        partners=["京东商城", "盈江优选"],
    )
    promotion(
        date(2021, 6, 18),
        "online_market_day",
        "online-market-day",
        "“6·18”网上赶集日",
        _operating(stations, date(2021, 6, 18)),
        partners=["天猫商城", "京东商城"],
    )
    towns = [s for s in _operating(stations, date(2021, 9, 15)) if s["level"] == "township"]
    promotion(
        date(2021, 9, 15),
        "appliances_to_countryside",
        "appliances",
        "家电下乡促销月",
        towns,
        end=date(2021, 10, 15),
        partners=["苏宁易购"],
    )
    market = [s for s in _operating(stations, date(2021, 10, 23)) if s["township"] in ("nongzhang", "taiping")]
    promotion(
        date(2021, 10, 23),
        "market_day",
        "market-day",
        "小站大集·秋收农产品展销",
        market,
        fee_plan="村民赶集免费；商户摊位费按本次活动方案（每摊 10 元），由活动主办方收取",
    )
    promotion(
        date(2021, 11, 11),
        "discount_promotion",
        "discount",
        "“双十一”折价促销和买即送",
        _operating(stations, date(2021, 11, 11)),
        partners=["天猫商城", "拼多多"],
    )
    fair = rng.sample(sorted(towns, key=lambda s: s["id"]), 4)
    promotion(
        date(2021, 12, 10),
        "produce_fair",
        "produce-fair",
        "盈江县农特产品直销展（德宏州农产品展销会）",
        fair,
        end=date(2021, 12, 12),
    )
    events.append(_selection(stations, operations, targets))
    return events


def _selection(stations: list[Doc], operations: dict[tuple[str, str], Doc], targets: list[Doc]) -> Doc:
    """The year's 优秀站点 and 优秀站长, as the committee recorded its decision: among the stations open all
    year, those that met their order and express targets in the most months, then the most produce sold."""

    def standing(station: Doc) -> tuple[int, Decimal, str]:
        months, sales = 0, Decimal(0)
        for (month, sid), record in operations.items():
            if sid != station["id"]:
                continue
            goal = [t for t in targets if t["from"] <= month][-1][station["level"]]
            services = record["services"]
            orders = sum(v.get("orders", 0) for v in services.values())
            months += orders >= goal["orders"] and services["express"]["orders"] >= goal["express_orders"]
            sales += Decimal(str(services.get("consignment", {}).get("sales", 0)))
        return -months, -sales, station["id"]

    full_year = [s for s in stations if s["rollout"]["fit_out"].get("done", date.max) <= date(2021, 1, 1)]
    ranked = {
        level: sorted((s for s in full_year if s["level"] == level), key=standing) for level in ("township", "village")
    }
    best = [*ranked["township"][:1], *ranked["village"][:2]]
    masters = [*ranked["township"][1:2], *ranked["village"][2:4]]
    return {
        "id": "2021-12-28-excellence-selection",
        "kind": "excellence_selection",
        "name": "2021年度优秀站点和优秀站长评选",
        "date": date(2021, 12, 28),
        "decided_by": "盈江县电子商务公共服务中心站点考核评选小组",
        "criteria": "按合作协议第三条，对全年运营满 12 个月的站点，综合全年业务指标完成情况、资费执行、"
        "问题反馈办结和村民评价，由评选小组集体研究确定，并报县工业和商务科技局备案",
        "selected": [
            *({"award": "excellent_station", "station": s["id"]} for s in best),
            *(
                {"award": "excellent_stationmaster", "station": s["id"], "stationmaster": s["stationmaster"]["name"]}
                for s in masters
            ),
        ],
    }
