"""The monthly assessment of operating stations, on the weights in data/policy/assessment.yaml.

Each criterion scores 0–1 and is multiplied by its weight: volume and produce sales against the best
station of the month, fee compliance (no row over the red line), the share of the month's feedback that
was closed, training minutes against the plan, and rollout steps done out of eight. The top stations
are named as 优秀站点 candidates; the bottom ones (and any under the review line) go to the review the
agreement allows (甲方有权对乙方考核；考核不合格，甲方有权更换合作者).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from yjstation.domain.fees import ZERO, month_rows, posted_rows, schedule_on
from yjstation.domain.rollout import step_states
from yjstation.domain.stations import is_operating
from yjstation.domain.training import progress as training_progress
from yjstation.foundation.records import as_date, as_dict, as_list, as_number, dig

if TYPE_CHECKING:
    from yjstation.reports.data import ReportData
    from yjstation.reports.period import Period

CRITERIA = ("volume", "produce_sales", "fee_compliance", "feedback", "training", "rollout")
LABELS = {
    "volume": "业务量",
    "produce_sales": "农货进城",
    "fee_compliance": "资费合规",
    "feedback": "问题办结",
    "training": "培训",
    "rollout": "建设进度",
}
DEFAULT_WEIGHTS = {
    "volume": 30,
    "produce_sales": 20,
    "fee_compliance": 20,
    "feedback": 10,
    "training": 10,
    "rollout": 10,
}
ONE = Decimal(1)
TENTH, THOUSANDTH = Decimal("0.1"), Decimal("0.001")


def assess(data: ReportData, period: Period) -> dict[str, Any]:
    policy = data.policy.get("assessment", {})
    weights = {k: as_number(as_dict(policy.get("weights")).get(k)) or Decimal(DEFAULT_WEIGHTS[k]) for k in CRITERIA}
    records = data.operations.get(period.label, {})
    operating = [sid for sid, s in sorted(data.stations.items()) if is_operating(s, period.last)]
    raw = {sid: _measures(data, sid, records.get(sid, {}), period) for sid in operating}
    best_volume = max((m["volume"] for m in raw.values()), default=ZERO)
    best_sales = max((m["produce_sales"] for m in raw.values()), default=ZERO)
    scored = []
    for sid, measure in raw.items():
        parts = {
            "volume": measure["volume"] / best_volume if best_volume else ZERO,
            "produce_sales": measure["produce_sales"] / best_sales if best_sales else ZERO,
            **{k: measure[k] for k in ("fee_compliance", "feedback", "training", "rollout")},
        }
        total = sum((parts[k] * weights[k] for k in CRITERIA), ZERO) * 100 / (sum(weights.values()) or ONE)
        scored.append(
            Score(
                sid,
                str(data.stations[sid].get("name", sid)),
                total.quantize(TENTH, ROUND_HALF_UP),
                {k: v.quantize(THOUSANDTH, ROUND_HALF_UP) for k, v in parts.items()},
            )
        )
    scored.sort(key=lambda r: (-r.score, r.station))
    top = scored[: _count(policy.get("excellent_top"), 5)]
    bottom = _count(policy.get("review_bottom"), 5)
    line = as_number(policy.get("review_below")) or Decimal(40)
    review = [r for i, r in enumerate(scored) if (i >= len(scored) - bottom or r.score < line) and r not in top]
    return {
        "weights": weights,
        "labels": LABELS,
        "ranking": [{**r.to_json(), "rank": rank} for rank, r in enumerate(scored, 1)],
        "excellent": [r.station for r in top],
        "excellent_names": [r.name for r in top],
        "review": [r.station for r in review],
        "review_names": [r.name for r in review],
    }


@dataclass(frozen=True)
class Score:
    station: str
    name: str
    score: Decimal
    parts: dict[str, Decimal]

    def to_json(self) -> dict[str, Any]:
        return {"station": self.station, "name": self.name, "score": self.score, "parts": self.parts}


def _measures(data: ReportData, sid: str, record: dict[str, Any], period: Period) -> dict[str, Decimal]:
    station = data.stations[sid]
    services = as_dict(record.get("services"))
    volume = sum(
        (Decimal(e["orders"]) for e in map(as_dict, services.values()) if isinstance(e.get("orders"), int)), ZERO
    )
    sales = as_number(dig(services, ("consignment", "sales"))) or ZERO
    schedule = schedule_on(data.fee_schedules, period.last)
    compliant = ONE
    if schedule is not None:
        rows = [*posted_rows(sid, station, schedule), *month_rows(sid, period.label, record, schedule)]
        compliant = ONE if all(r.ok for r in rows) else ZERO
    raised = [as_dict(f) for f in as_list(record.get("feedback")) if period.contains(as_date(as_dict(f).get("date")))]
    closed = [f for f in raised if (day := as_date(f.get("closed"))) is not None and day <= period.last]
    feedback = Decimal(len(closed)) / len(raised) if raised else ONE
    phases = training_progress(station, data.training, period.last)
    planned = sum(p.phase.minutes for p in phases)
    training = Decimal(sum(p.attended for p in phases)) / planned if planned else ONE
    states = step_states(station, data.rollout, period.last)
    rollout = Decimal(sum(s.status == "done" for s in states)) / len(states) if states else ZERO
    return {
        "volume": volume,
        "produce_sales": sales,
        "fee_compliance": compliant,
        "feedback": feedback,
        "training": training,
        "rollout": rollout,
    }


def _count(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default
