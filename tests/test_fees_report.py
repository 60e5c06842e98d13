"""`yjstation fees` against an independent recomputation, held-out overcharges, and schedule changes."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from tests.conftest import AS_OF, Oracle, cli_once, read_yaml, run_cli

CENT, PLACES = Decimal("0.01"), Decimal("0.0001")
CAPS = {
    "express": Decimal("2.00"),
    "topup": Decimal("1.00"),
    "ticketing": Decimal("5.00"),
    "cash": Decimal("1.00"),
    "convenience": Decimal("0.00"),
}


def expected_rows(record: dict[str, Any]) -> dict[tuple[str, str], tuple[str, str, bool]]:
    """(service, measure) -> (value, cap, ok), recomputed straight from the plan's red lines."""
    rows: dict[tuple[str, str], tuple[str, str, bool]] = {}
    services = record["services"]
    for service, cap in CAPS.items():
        if service in services:
            orders, fees = services[service]["orders"], Decimal(services[service]["fees"])
            if orders:
                average = (fees / orders).quantize(CENT, rounding=ROUND_HALF_UP)
                rows[(service, "avg_fee")] = (str(average), str(cap), fees <= cap * orders)
            else:
                rows[(service, "fees")] = (str(fees.quantize(CENT)), "0.00", fees == 0)
    if "purchase_agency" in services:
        entry = services["purchase_agency"]
        amount, fees = Decimal(entry["amount"]), Decimal(entry["fees"])
        if entry["orders"] and amount:
            share = (fees / amount).quantize(PLACES, rounding=ROUND_HALF_UP)
            rows[("purchase_agency", "rate")] = (str(share), "0.0100", fees <= amount / 100)
    if "consignment" in services:
        entry = services["consignment"]
        due = (Decimal(entry["sales"]) * Decimal("0.05")).quantize(CENT, rounding=ROUND_HALF_UP)
        rows[("consignment", "rebate")] = (
            str(Decimal(entry["rebate"]).quantize(CENT)),
            str(due),
            entry["rebate"] == due,
        )
    deposits = Decimal(record.get("deposits_from_villagers", 0))
    rows[("deposits", "deposits")] = (str(deposits.quantize(CENT)), "0.00", deposits == 0)
    return rows


def fees_json(root: Path, *args: str) -> tuple[int, Any]:
    result = run_cli("--root", str(root), "fees", "--as-of", AS_OF, "--format", "json", *args)
    return result.exit_code, result.json()


def test_every_station_and_month_equals_an_independent_recomputation(bundle: Path, oracle: Oracle) -> None:
    result = cli_once(
        "--root", str(bundle), "fees", "--as-of", AS_OF, "--format", "json", "--from", "2021-01", "--to", "2021-12"
    )
    code, payload = result.exit_code, result.json()
    assert code == 0
    got = {
        (r["station"], r["month"], r["service"], r["measure"]): (r["value"], r["cap"], r["ok"])
        for r in payload["rows"]
        if r["month"] and r["measure"] != "max_fee"
    }
    want = {}
    for month in oracle.months:
        if "2021-01" <= month <= "2021-12":
            for record in oracle.operations(month).values():
                for (service, measure), row in expected_rows(record).items():
                    want[(record["station"], str(record["month"]), service, measure)] = row
    assert got == want
    assert len(want) > 3000


def test_county_totals_add_up(bundle: Path) -> None:
    payload = cli_once("--root", str(bundle), "fees", "--as-of", AS_OF, "--format", "json", "--month", "2021-06").json()
    townships = payload["totals"]["townships"].values()
    county = payload["totals"]["county"]
    assert sum(t["orders"] for t in townships) == county["orders"]
    assert sum(Decimal(t["fees"]) for t in townships) == Decimal(county["fees"])
    assert county["over"] == 0


def _first_operating(root: Path) -> Path:
    return sorted((root / "data/operations/2021-06").glob("*.yaml"))[0]


def _replace_line(path: Path, starts: str, new: str) -> tuple[str, int]:
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(starts))
    lines[index] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return original, index + 1


def test_held_out_overcharges_fail_validate_and_show_in_violations(bundled_copy: Path) -> None:
    path = _first_operating(bundled_copy)
    record = read_yaml(path)
    orders = record["services"]["express"]["orders"]
    edits = [
        ("  express:", f"  express: {{orders: {orders}, fees: {Decimal('2.01') * orders}}}", "FE003", "express"),
        ("deposits_from_villagers:", "deposits_from_villagers: 50.00", "FE007", "deposits"),
    ]
    for starts, new, code, service in edits:
        original, line = _replace_line(path, starts, new)
        try:
            result = run_cli("--root", str(bundled_copy), "validate", "--as-of", AS_OF, "--format", "json")
            assert result.exit_code == 1
            found = [(d["code"], d["line"]) for d in result.json()["diagnostics"] if d["severity"] == "error"]
            assert found == [(code, line)]
            exit_code, payload = fees_json(bundled_copy, "--month", "2021-06", "--violations")
            assert exit_code == 1
            [row] = payload["rows"]
            assert (row["service"], row["ok"], row["file"], row["line"]) == (
                service,
                False,
                path.relative_to(bundled_copy).as_posix(),
                line,
            )
        finally:
            path.write_text(original, encoding="utf-8")


def test_posted_fee_over_the_line_shows_in_violations(bundled_copy: Path) -> None:
    path = bundled_copy / "data/stations/pingyuan-town.yaml"
    original, line = _replace_line(path, "  express_per_order:", "  express_per_order: 3.00")
    try:
        exit_code, payload = fees_json(bundled_copy, "--violations")
        assert exit_code == 1
        [row] = payload["rows"]
        assert (row["station"], row["month"], row["value"], row["cap"], row["line"]) == (
            "pingyuan-town",
            None,
            "3.00",
            "2.00",
            line,
        )
    finally:
        path.write_text(original, encoding="utf-8")


def test_a_later_schedule_changes_only_months_on_or_after_it(bundled_copy: Path) -> None:
    policy = bundled_copy / "data/policy/fees.yaml"
    before = fees_json(bundled_copy, "--from", "2021-01", "--to", "2021-12")[1]["rows"]
    original = policy.read_text(encoding="utf-8")
    stricter = original.split("schedules:\n", 1)[1].replace("effective_from: 2021-01-18", "effective_from: 2021-07-01")
    stricter = stricter.replace("per_order_max: 2.00", "per_order_max: 1.50", 1)
    policy.write_text(original + stricter, encoding="utf-8")
    try:
        assert run_cli("--root", str(bundled_copy), "validate", "--as-of", AS_OF, "--format", "json").exit_code == 1
        after = fees_json(bundled_copy, "--from", "2021-01", "--to", "2021-12")[1]["rows"]
    finally:
        policy.write_text(original, encoding="utf-8")
    key = lambda r: (r["station"], r["month"], r["service"], r["measure"])  # noqa: E731
    old, new = {key(r): r for r in before}, {key(r): r for r in after}
    assert old.keys() == new.keys()
    changed = {k for k in old if old[k] != new[k]}
    assert changed and all(k[1] is None or k[1] >= "2021-07" for k in changed)
    assert any(k[1] is not None and k[1] >= "2021-07" and not new[k]["ok"] for k in changed)
    assert all(old[k] == new[k] for k in old if k[1] is not None and k[1] < "2021-07")


def test_text_and_markdown_formats(bundle: Path) -> None:
    text = run_cli("--root", str(bundle), "fees", "--month", "2021-03", "--as-of", AS_OF)
    assert text.exit_code == 0 and "快递收发" in text.stdout and "全县" in text.stdout
    md = run_cli("--root", str(bundle), "fees", "--month", "2021-03", "--as-of", AS_OF, "--format", "md")
    assert md.stdout.startswith("# 盈江县服务站资费红线检查") and "| 全县 |" in md.stdout
