"""The prefecture's roll-up: several counties' monthly reports side by side, and their sum.

Each county's report is computed by its own repository's rules and policy, exactly as `report monthly`
makes it; this module only adds up what can be added: counts of stations, villages, orders, money,
rollout steps done, violations, visits and listed stations. Shares are recomputed from the summed
counts. What cannot be summed (the median days to close feedback, the assessment against targets, each
county's lists) stays in the county's own report, kept whole under `counties`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

NETWORK = (
    "township_stations",
    "village_stations",
    "operating",
    "villages",
    "villages_covered",
    "poverty_villages",
    "poverty_covered",
    "villages_served",
    "poverty_served",
    "target_township_stations",
    "target_village_stations",
)
SHARES = {  # share -> (part, whole), as the monthly report defines them
    "village_coverage": ("villages_covered", "villages"),
    "poverty_coverage": ("poverty_covered", "poverty_villages"),
    "village_service": ("villages_served", "villages"),
    "poverty_service": ("poverty_served", "poverty_villages"),
}
MAINTENANCE = ("online_visits", "onsite_visits", "feedback_opened", "feedback_closed", "feedback_open")
TOTAL_NAME = "合计"


def rollup(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The counties' monthly reports (all for the same period and reference day) and their sum.
    `by_county` holds each county's figures in the shape of `total`, for side-by-side tables."""
    if not reports:
        raise ValueError("a roll-up needs at least one county's report")
    first = reports[0]
    return {
        "kind": "rollup",
        "period": first["period"],
        "title": first["title"],
        "as_of": first["as_of"],
        "counties": reports,
        "by_county": [{"name": r["county"], **summed([r])} for r in reports],
        "total": {"name": TOTAL_NAME, **summed(reports)},
    }


def summed(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The additive figures of `reports`, added up."""
    network: dict[str, Any] = {key: _sum(r["network"]["total"].get(key) for r in reports) for key in NETWORK}
    for share, (part, whole) in SHARES.items():
        network[share] = _share(network[part], network[whole])
    service_keys = list(reports[0]["services"]["total"])
    services = {key: _sum(r["services"]["total"].get(key) for r in reports) for key in service_keys}
    steps = _steps(reports)
    return {
        "counties": len(reports),
        "reporting": {key: sum(r["reporting"][key] for r in reports) for key in ("expected", "reported")},
        "network": network,
        "services": services,
        "rollout": {
            "stations": sum(r["rollout"]["stations"] for r in reports),
            "steps": steps,
            "done_by_step": {step["key"]: step["done"] for step in steps},
            "advanced": sum(len(r["rollout"]["advanced"]) for r in reports),
            "stalled": sum(len(r["rollout"]["stalled"]) for r in reports),
        },
        "fees": {"violations": sum(r["fees"]["count"] for r in reports)},
        "maintenance": {key: sum(r["maintenance"][key] for r in reports) for key in MAINTENANCE},
        "training": {"incomplete": sum(len(r["training"]["incomplete"]) for r in reports)},
        "agreements_ending": sum(len(r["agreements_ending"]) for r in reports),
        "idle": {days: sum(len(r["idle"][days]) for r in reports) for days in ("30", "90")},
    }


def _steps(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Done counts per rollout step, by step key: counties may word or order their steps differently,
    so the first county to name a step names it, and steps keep the order they first appear in."""
    steps: dict[str, dict[str, Any]] = {}
    for report in reports:
        for step in report["rollout"]["steps"]:
            entry = steps.setdefault(step["key"], {"key": step["key"], "name": step["name"], "done": 0})
            entry["done"] += step["done"]
    return list(steps.values())


def _sum(values: Any) -> Any:
    """Ints stay ints and money stays Decimal; a missing figure (a county without targets) counts 0."""
    total: Any = 0
    for value in values:
        if value is not None:
            total = total + value
    return total


def _share(part: int, whole: int) -> str:
    return f"{Decimal(part) / Decimal(whole):.4f}" if whole else "0.0000"
