"""`yjstation report`: totals against an independent aggregation of the YAML, time-relative lists for
a held-out --as-of, the DOCX with its charts, and the font fallback."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Oracle, cli_once, run_cli

FEE_KEYS = ("express", "purchase_agency", "topup", "ticketing", "cash", "convenience")


def report(root: Path, *args: str) -> Any:
    """A report of the read-only bundle: each one is computed once per session and shared."""
    result = cli_once("--root", str(root), "report", *args, "--format", "json")
    assert result.exit_code == 0, result.stdout
    return result.json()


def independent_totals(oracle: Oracle, month: str) -> dict[str, dict[str, Decimal]]:
    township = {sid: s["township"] for sid, s in oracle.stations.items()}
    totals: dict[str, dict[str, Decimal]] = {}
    for record in oracle.operations(month).values():
        bucket = totals.setdefault(township[record["station"]], Counter())  # type: ignore[arg-type]
        for key, entry in record["services"].items():
            bucket["orders"] += entry["orders"]
            if key in FEE_KEYS:
                bucket["fees"] += Decimal(entry["fees"])
        bucket["purchase_amount"] += Decimal(record["services"].get("purchase_agency", {}).get("amount", 0))
        bucket["consignment_sales"] += Decimal(record["services"].get("consignment", {}).get("sales", 0))
        bucket["rebate"] += Decimal(record["services"].get("consignment", {}).get("rebate", 0))
    return totals


@pytest.mark.parametrize("month", ["2021-03", "2021-09"])
def test_monthly_totals_equal_an_independent_aggregation(bundle: Path, oracle: Oracle, month: str) -> None:
    payload = report(bundle, "monthly", month)
    want = independent_totals(oracle, month)
    previous = independent_totals(oracle, f"2021-{int(month[5:]) - 1:02d}")
    for row in payload["services"]["by_township"]:
        for key in ("orders", "fees", "purchase_amount", "consignment_sales", "rebate"):
            got, expected = row[key], want.get(row["township"], {}).get(key, 0)
            assert (Decimal(got) if isinstance(got, str) else got) == expected, (row["township"], key)
            assert isinstance(got, int) if key == "orders" else isinstance(got, str) and "." in got
            change = row[f"{key}_change"]
            assert (Decimal(change) if isinstance(change, str) else change) == expected - previous.get(
                row["township"], {}
            ).get(key, 0)
    total = payload["services"]["total"]
    assert total["orders"] == sum(v["orders"] for v in want.values())
    assert Decimal(total["fees"]) == sum((v["fees"] for v in want.values()), Decimal(0))


def test_network_counts(bundle: Path, oracle: Oracle) -> None:
    payload = report(bundle, "monthly", "2021-12")
    total = payload["network"]["total"]
    levels = Counter(s["level"] for s in oracle.stations.values())
    assert (total["township_stations"], total["village_stations"]) == (levels["township"], levels["village"])
    opened = sum(
        1
        for s in oracle.stations.values()
        if s["rollout"].get("fit_out", {}).get("done") is not None
        and s["rollout"]["fit_out"]["done"] <= date(2021, 12, 31)
    )
    assert total["operating"] == opened


def independent_lists(oracle: Oracle, as_of: date) -> tuple[set[str], set[str], set[str], set[str]]:
    ending, idle30, idle90, unknown = set(), set(), set(), set()
    months = set(oracle.months)
    for sid, station in oracle.stations.items():
        opened = station["rollout"].get("fit_out", {}).get("done")
        if opened is None or opened > as_of:
            continue
        agreement = station.get("agreement", {})
        end = agreement.get("end")
        for renewal in agreement.get("renewals", []):
            if renewal["signed"] <= as_of:
                end = max(end, renewal["end"])
        if end is not None and as_of <= end <= as_of + timedelta(days=90):
            ending.add(sid)
        last, gap = opened, False
        # Every calendar month from the first one with records; a finished month the station served
        # without a record after its last orders makes its idleness unknown (never read as zero orders).
        month = min(months)
        while month <= as_of.strftime("%Y-%m"):
            first = date.fromisoformat(month + "-01")
            end = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            record = oracle.operations(month).get(sid) if month in months else None
            if record is not None:
                if sum(e["orders"] for e in record["services"].values()) > 0:
                    last, gap = min(end, as_of), False
            elif end <= as_of and end >= opened:
                gap = True
            month = f"{end + timedelta(days=1):%Y-%m}"
        if gap:
            unknown.add(sid)
            continue
        quiet = (as_of - last).days
        if quiet >= 30:
            idle30.add(sid)
        if quiet >= 90:
            idle90.add(sid)
    return ending, idle30, idle90, unknown


@pytest.mark.parametrize("as_of", ["2023-09-15", "2022-02-20", "2022-05-10"])
def test_time_relative_lists_for_a_held_out_as_of(bundle: Path, oracle: Oracle, as_of: str) -> None:
    payload = report(bundle, "monthly", "2021-12", "--as-of", as_of)
    ending, idle30, idle90, unknown = independent_lists(oracle, date.fromisoformat(as_of))
    assert {x["station"] for x in payload["agreements_ending"]} == ending
    assert {x["station"] for x in payload["idle"]["30"]} == idle30
    assert {x["station"] for x in payload["idle"]["90"]} == idle90
    assert ending or idle30 or unknown  # the held-out dates are chosen so the lists are not trivially empty


def test_weekly_counts_what_is_dated_in_the_week(bundle: Path, oracle: Oracle) -> None:
    payload = report(bundle, "weekly", "2021-W10")
    first, last = date(2021, 3, 8), date(2021, 3, 14)
    sessions = sum(1 for s in oracle.stations.values() for t in s.get("training", []) if first <= t["date"] <= last)
    assert len(payload["training"]) == sessions
    visits = 0
    for record in oracle.operations("2021-03").values():
        for kind in ("online", "onsite"):
            visits += sum(first <= v["date"] <= last for v in record.get("maintenance", {}).get(kind, []))
    assert len(payload["maintenance"]) == visits


def test_township_filter(bundle: Path) -> None:
    payload = report(bundle, "monthly", "2021-06", "--township", "pingyuan")
    assert [r["township"] for r in payload["network"]["by_township"]] == ["pingyuan"]
    assessed = [x["station"] for level in payload["assessment"]["levels"] for x in level["stations"]]
    assert assessed and all(x.startswith("pingyuan-") for x in assessed)


def test_monthly_docx_embeds_its_charts(bundle: Path, tmp_path: Path) -> None:
    import docx
    import pypandoc

    result = run_cli(
        "--root", str(bundle), "report", "monthly", "2021-06", "--format", "docx", "--out-dir", str(tmp_path)
    )
    assert result.exit_code == 0, result.stderr
    target = tmp_path / "monthly-2021-06.docx"
    document = docx.Document(str(target))
    assert len(document.inline_shapes) == 2
    text = "\n".join(p.text for p in document.paragraphs)
    assert "站点网络" in text and "站点考核" in text
    plain = pypandoc.convert_file(str(target), "plain")
    assert "2021年6月" in plain
    for name in ("monthly-2021-06-orders.png", "monthly-2021-06-funnel.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")


def test_without_a_cjk_font_charts_fall_back_with_a_warning(
    bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YJSTATION_CJK_FONT", "none")
    result = run_cli(
        "--root", str(bundle), "report", "monthly", "2021-06", "--format", "md", "--out-dir", str(tmp_path)
    )
    assert result.exit_code == 0 and "没有中文字体" in result.stderr and "fonts-noto-cjk" in result.stderr
    page = (tmp_path / "monthly-2021-06.md").read_text(encoding="utf-8")
    assert "![各乡镇本月与上月订单数](monthly-2021-06-orders.png)" in page
    assert (tmp_path / "monthly-2021-06-orders.png").stat().st_size > 1000


def test_bad_period_is_a_usage_error(bundle: Path) -> None:
    assert run_cli("--root", str(bundle), "report", "monthly", "2021-13").exit_code == 2
    assert run_cli("--root", str(bundle), "report", "weekly", "2021-W60").exit_code == 2
