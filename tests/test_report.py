"""`yjstation report`: totals against an independent aggregation of the YAML, time-relative lists for
a held-out --as-of, the DOCX with its charts, and the font fallback."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT, run_cli
from tests.test_fees_report import decimal_yaml

FEE_KEYS = ("express", "purchase_agency", "topup", "ticketing", "cash", "convenience")


def report(*args: str) -> Any:
    result = run_cli("--root", str(PROJECT), "report", *args, "--format", "json")
    assert result.exit_code == 0, result.stdout
    return result.json()


def stations() -> dict[str, Any]:
    return {p.stem: decimal_yaml(p) for p in (PROJECT / "data/stations").glob("*.yaml")}


def independent_totals(month: str) -> dict[str, dict[str, Decimal]]:
    township = {sid: s["township"] for sid, s in stations().items()}
    totals: dict[str, dict[str, Decimal]] = {}
    for path in (PROJECT / "data/operations" / month).glob("*.yaml"):
        record = decimal_yaml(path)
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
def test_monthly_totals_equal_an_independent_aggregation(month: str) -> None:
    payload = report("monthly", month)
    want = independent_totals(month)
    previous = independent_totals(f"2021-{int(month[5:]) - 1:02d}")
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


def test_network_counts() -> None:
    payload = report("monthly", "2021-12")
    total = payload["network"]["total"]
    levels = Counter(s["level"] for s in stations().values())
    assert (total["township_stations"], total["village_stations"]) == (levels["township"], levels["village"])
    opened = sum(
        1
        for s in stations().values()
        if s["rollout"].get("fit_out", {}).get("done") is not None
        and s["rollout"]["fit_out"]["done"] <= date(2021, 12, 31)
    )
    assert total["operating"] == opened


def independent_lists(as_of: date) -> tuple[set[str], set[str], set[str]]:
    ending, idle30, idle90 = set(), set(), set()
    months = {p.parent.name for p in (PROJECT / "data/operations").glob("*/*.yaml")}
    for sid, station in stations().items():
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
        last = opened
        for month in sorted(months):
            path = PROJECT / "data/operations" / month / f"{sid}.yaml"
            if month <= as_of.strftime("%Y-%m") and path.exists():
                record = decimal_yaml(path)
                if sum(e["orders"] for e in record["services"].values()) > 0:
                    first = date.fromisoformat(month + "-01")
                    last = min((first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1), as_of)
        quiet = (as_of - last).days
        if quiet >= 30:
            idle30.add(sid)
        if quiet >= 90:
            idle90.add(sid)
    return ending, idle30, idle90


@pytest.mark.parametrize("as_of", ["2023-09-15", "2022-02-20", "2022-05-10"])
def test_time_relative_lists_for_a_held_out_as_of(as_of: str) -> None:
    payload = report("monthly", "2021-12", "--as-of", as_of)
    ending, idle30, idle90 = independent_lists(date.fromisoformat(as_of))
    assert {x["station"] for x in payload["agreements_ending"]} == ending
    assert {x["station"] for x in payload["idle"]["30"]} == idle30
    assert {x["station"] for x in payload["idle"]["90"]} == idle90
    assert ending or idle30  # the held-out dates are chosen so the lists are not trivially empty


def test_assessment_ranks_every_operating_station() -> None:
    payload = report("monthly", "2021-12")
    ranking = payload["assessment"]["ranking"]
    assert len(ranking) == payload["network"]["total"]["operating"]
    scores = [Decimal(x["score"]) for x in ranking]
    assert scores == sorted(scores, reverse=True) and all(Decimal(0) <= s <= Decimal(100) for s in scores)
    assert payload["assessment"]["excellent"] == [x["station"] for x in ranking[:5]]
    assert set(payload["assessment"]["review"]) >= {x["station"] for x in ranking[-5:]}


def test_weekly_counts_what_is_dated_in_the_week() -> None:
    payload = report("weekly", "2021-W10")
    first, last = date(2021, 3, 8), date(2021, 3, 14)
    sessions = sum(1 for s in stations().values() for t in s.get("training", []) if first <= t["date"] <= last)
    assert len(payload["training"]) == sessions
    visits = 0
    for path in (PROJECT / "data/operations").glob("2021-03/*.yaml"):
        record = decimal_yaml(path)
        for kind in ("online", "onsite"):
            visits += sum(first <= v["date"] <= last for v in record.get("maintenance", {}).get(kind, []))
    assert len(payload["maintenance"]) == visits


def test_township_filter() -> None:
    payload = report("monthly", "2021-06", "--township", "pingyuan")
    assert [r["township"] for r in payload["network"]["by_township"]] == ["pingyuan"]
    assert all(x["station"].startswith("pingyuan-") for x in payload["assessment"]["ranking"])


def test_monthly_docx_embeds_its_charts(tmp_path: Path) -> None:
    import docx
    import pypandoc

    result = run_cli(
        "--root", str(PROJECT), "report", "monthly", "2021-06", "--format", "docx", "--out-dir", str(tmp_path)
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


def test_without_a_cjk_font_charts_fall_back_with_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YJSTATION_CJK_FONT", "none")
    result = run_cli(
        "--root", str(PROJECT), "report", "monthly", "2021-06", "--format", "md", "--out-dir", str(tmp_path)
    )
    assert result.exit_code == 0 and "没有中文字体" in result.stderr and "fonts-noto-cjk" in result.stderr
    page = (tmp_path / "monthly-2021-06.md").read_text(encoding="utf-8")
    assert "![各乡镇本月与上月订单数](monthly-2021-06-orders.png)" in page
    assert (tmp_path / "monthly-2021-06-orders.png").stat().st_size > 1000


def test_bad_period_is_a_usage_error() -> None:
    assert run_cli("--root", str(PROJECT), "report", "monthly", "2021-13").exit_code == 2
    assert run_cli("--root", str(PROJECT), "report", "weekly", "2021-W60").exit_code == 2
