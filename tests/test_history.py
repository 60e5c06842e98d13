"""A station's history: what was in force on a day, and reports that stay as they were filed.

The domain functions are checked on small hand-made records; the promise that matters, that adding a
station opened later or replacing a stationmaster later leaves every earlier report byte for byte the
same, is checked through the CLI on a git copy of the bundled repository.
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import copy_repository, git, run_cli
from yjstation.domain.history import (
    agreement_end,
    agreement_on,
    is_operating,
    listed_on,
    master_on,
    operates_during,
    serving_in,
    source_path,
    station_in_force,
    station_on,
)

NEW_MASTER = ("--name", "李春燕", "--id-number", "533123199003150029", "--phone", "13988760021")
AGREEMENT = ("--agreement-number", "YJ-2026-001", "--signed", "2026-02-20", "--end", "2029-02-28")
FORMS = (
    *("--education", "高中", "--native-place", "云南盈江", "--address", "盈江县平原镇勐盏村三组"),
    *("--roles", "returning_youth"),
)
# What the plan asks of a successor before the agreement (三（二）1.2, 三（三）) and before serving (三（六）6.3).
GATES = (
    *("--applied", "2026-01-10", "--endorsed", "--approved", "2026-01-20"),
    *("--good-credit", "yes", "--credit-checked", "2026-01-15", "--trained", "2026-02-10"),
)


def master_name(root: Path, sid: str = "pingyuan-mengzhan") -> str:
    """The stationmaster in office in the bundled file, read independently."""
    import yaml

    name = yaml.safe_load((root / f"data/stations/{sid}.yaml").read_text(encoding="utf-8"))["stationmaster"]["name"]
    return str(name)


def replaced() -> dict[str, object]:
    """A station whose first stationmaster served until 2021-08-31 and was replaced on 2021-09-01."""
    return {
        "id": "x",
        "rollout": {"layout": {"done": "2020-06-05"}, "fit_out": {"done": "2020-11-15"}},
        "stationmaster": {"name": "新", "from": "2021-09-01"},
        "agreement": {"number": "B", "signed": "2021-08-25", "start": "2021-09-01", "end": "2024-08-31"},
        "training": [{"date": "2021-09-15", "module": "m"}],
        "former_stationmasters": [
            {
                "stationmaster": {"name": "旧", "application": {"submitted": "2020-07-25"}},
                "to": "2021-08-31",
                "reason": "外出务工",
                "agreement": {
                    "number": "A",
                    "signed": "2020-10-20",
                    "start": "2020-11-01",
                    "end": "2021-10-31",
                    "renewals": [{"number": "A2", "signed": "2021-08-01", "end": "2025-10-31"}],
                },
                "training": [{"date": "2020-12-17", "module": "m"}],
            }
        ],
    }


def test_the_stationmaster_agreement_and_training_in_force_on_a_day() -> None:
    station = replaced()
    assert master_on(station, date(2021, 8, 31))["name"] == "旧"  # type: ignore[index]
    assert master_on(station, date(2021, 9, 1))["name"] == "新"  # type: ignore[index]
    assert master_on(station, date(2019, 1, 1))["name"] == "旧"  # type: ignore[index]  # before anyone took office
    assert agreement_on(station, date(2021, 3, 1))["number"] == "A"  # type: ignore[index]
    assert agreement_end(station, date(2021, 8, 15)) == date(2025, 10, 31)  # the renewal signed by then
    assert agreement_end(station, date(2021, 7, 15)) == date(2021, 10, 31)
    assert agreement_end(station, date(2022, 1, 1)) == date(2024, 8, 31)
    then = station_on(station, date(2021, 3, 1))
    assert then["stationmaster"]["name"] == "旧" and then["training"][0]["date"] == "2020-12-17"  # type: ignore[index]
    assert "former_stationmasters" not in then
    now = station_on(station, date(2022, 1, 1))
    assert now["agreement"]["number"] == "B" and now["training"][0]["date"] == "2021-09-15"  # type: ignore[index]
    assert source_path(station, date(2021, 3, 1), ("stationmaster", "name")) == (
        "former_stationmasters",
        0,
        "stationmaster",
        "name",
    )
    assert source_path(station, date(2022, 1, 1), ("agreement", "end")) == ("agreement", "end")


def test_a_station_that_never_changed_hands_is_its_own_view() -> None:
    station = {"id": "y", "stationmaster": {"name": "甲"}, "agreement": {"end": "2023-10-31"}}
    assert station_on(station, date(2021, 1, 1)) is station


def test_listed_closed_and_suspended() -> None:
    station = {
        "rollout": {"layout": {"done": "2020-06-05"}, "fit_out": {"done": "2020-11-15"}},
        "listed": "2020-08-01",
        "suspensions": [{"from": "2021-03-01", "to": "2021-04-30", "reason": "装修"}],
        "closed": "2022-07-01",
    }
    assert listed_on(station) == date(2020, 6, 5)  # the rollout began before the file was listed
    assert station_in_force(station, date(2020, 6, 5)) and not station_in_force(station, date(2020, 6, 4))
    assert not station_in_force(station, date(2022, 7, 1))
    assert is_operating(station, date(2021, 2, 28)) and not is_operating(station, date(2021, 3, 1))
    assert not serving_in(station, "2021-04") and serving_in(station, "2021-03") is False
    assert serving_in(station, "2021-05") and serving_in(station, "2022-06") and not serving_in(station, "2022-07")
    assert operates_during(station, date(2021, 2, 1), date(2021, 3, 31))
    assert listed_on({"rollout": {"layout": {}}}) is None  # undated: there all along
    assert station_in_force({"rollout": {}}, date(1990, 1, 1))


@pytest.fixture
def repo(bundle: Path, tmp_path: Path) -> Path:
    """A full copy of the bundled repository, committed to git (reports name the commit)."""
    root = copy_repository(bundle, tmp_path / "repo")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "bundle")
    return root


def cli(root: Path, *args: str) -> str:
    result = run_cli("--root", str(root), *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def roster_cells(path: Path) -> list[tuple[object, ...]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(path.read_bytes()))
    return list(book["花名册"].iter_rows(values_only=True))


def without_provenance(text: str) -> str:
    """A generated page without its provenance, which names the data's commit and the day it was made: the
    small print of a report and the closing `<!-- 数据版本：… -->` comment of every page."""
    return "\n".join(line for line in text.splitlines() if not line.startswith(("数据版本：", "<!-- 数据版本：")))


def views_of_2021(root: Path, out: Path) -> dict[str, object]:
    """Everything the county filed for December 2021, regenerated now."""
    cli(root, "report", "monthly", "2021-12", "--format", "md", "--out-dir", str(out))
    cli(root, "export", "roster", "--month", "2021-12", "--as-of", "2021-12-31", "--out", str(out / "roster.xlsx"))
    csv = "--format", "csv", "--out", str(out / "roster.csv")
    cli(root, "export", "roster", "--month", "2021-12", "--as-of", "2021-12-31", *csv)
    return {
        "monthly.json": cli(root, "report", "monthly", "2021-12", "--format", "json"),
        "monthly.md": without_provenance((out / "monthly-2021-12.md").read_text(encoding="utf-8")),
        "weekly.json": cli(root, "report", "weekly", "2021-W50", "--format", "json"),
        "checklist.json": cli(root, "checklist", "--as-of", "2021-12-31", "--format", "json"),
        "checklist.md": cli(root, "checklist", "--as-of", "2021-12-31", "--format", "md"),
        # The fee rows, without the line each points at: that is where to fix it in today's file.
        "fees.json": [
            {k: v for k, v in row.items() if k != "line"}
            for row in json.loads(cli(root, "fees", "--month", "2021-12", "--as-of", "2021-12-31", "--format", "json"))[
                "rows"
            ]
        ],
        "roster.csv": (out / "roster.csv").read_bytes(),
        "roster.xlsx": roster_cells(out / "roster.xlsx"),
        "registration.md": cli_document(root, out, "2021-12-31"),
    }


def cli_document(root: Path, out: Path, day: str) -> str:
    cli(root, "render", "registration", "pingyuan-mengzhan", "--date", day, "--out-dir", str(out))
    return without_provenance((out / "pingyuan-mengzhan-registration.md").read_text(encoding="utf-8"))


def test_later_stations_and_stationmasters_leave_earlier_reports_as_filed(repo: Path, tmp_path: Path) -> None:
    first = master_name(repo)
    before = views_of_2021(repo, tmp_path / "before")
    assert first in before["registration.md"]  # type: ignore[operator]
    # 2026: a new station is listed, opened, a stationmaster is replaced and a station closes.
    new = (
        *("station", "new", "--id", "pingyuan-yunyan", "--level", "village", "--township", "pingyuan"),
        *("--village", "允燕社区", "--host-type", "convenience_store", "--host-name", "允燕便民超市", "--area", "25"),
        *("--stationmaster", "李小明", "--id-number", "533123199003030414", "--phone", "13900000002"),
        *("--partner", "中国邮政", "--address", "盈江县平原镇允燕社区", "--date", "2026-01-10"),
        *("--good-credit", "yes", "--credit-checked", "2026-01-08"),
    )
    cli(repo, *new)
    cli(repo, "station", "set", "pingyuan-yunyan", "rollout.layout.done=2026-01-20", "--as-of", "2026-02-01")
    cli(
        repo,
        *("station", "replace-master", "pingyuan-mengzhan", "--date", "2026-03-01", "--reason", "本人申请退出"),
        *NEW_MASTER,
        *FORMS,
        *GATES,
        *("--agreement-number", "YJ-2026-001", "--signed", "2026-02-20", "--end", "2029-02-28", "--deposit", "1000"),
        *("--as-of", "2026-03-05"),
    )
    cli(repo, "station", "close", "zhanxi-songpo", "--date", "2026-05-01", "--reason", "并入乡镇站", "--notice-date",
        "2026-03-25", "--as-of", "2026-05-02")  # fmt: skip
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "2026")
    after = views_of_2021(repo, tmp_path / "after")
    for name, text in before.items():
        assert after[name] == text, f"{name} changed"
    # The same views of 2026 do see the changes.
    checklist = run_cli("--root", str(repo), "checklist", "--as-of", "2026-06-01", "--format", "json").json()
    ids = {s["id"] for s in checklist["stations"]}
    assert "pingyuan-yunyan" in ids and "zhanxi-songpo" not in ids and len(ids) == 73
    in_2021 = run_cli("--root", str(repo), "checklist", "--as-of", "2021-12-31", "--format", "json").json()
    assert in_2021["summary"]["stations"] == 73 and "pingyuan-yunyan" not in {s["id"] for s in in_2021["stations"]}
    # The roster of 2021 shows the stationmaster then in office; that of 2026 the new one.
    rows = {row[0]: row for row in before["roster.xlsx"]}  # type: ignore[attr-defined]
    header = rows["站点编号"]
    master = header.index("站长")
    assert rows["pingyuan-mengzhan"][master] == first
    cli(repo, "export", "roster", "--as-of", "2026-04-01", "--out", str(tmp_path / "r2026.xlsx"))
    now = {row[0]: row for row in roster_cells(tmp_path / "r2026.xlsx")}
    assert now["pingyuan-mengzhan"][master] == "李春燕"
    assert now["pingyuan-mengzhan"][header.index("协议编号")] == "YJ-2026-001"
    assert "李春燕" in cli_document(repo, tmp_path / "after", "2026-04-01")


def test_replacing_a_stationmaster_keeps_who_ran_it_before(repo: Path) -> None:
    rel = repo / "data/stations/pingyuan-mengzhan.yaml"
    import yaml

    original = yaml.safe_load(rel.read_text(encoding="utf-8"))
    cli(
        repo,
        *("station", "replace-master", "pingyuan-mengzhan", "--date", "2026-03-01", "--reason", "考核不合格"),
        *NEW_MASTER,
        *FORMS,
        *GATES,
        *("--agreement-number", "YJ-2026-001", "--signed", "2026-02-20", "--end", "2029-02-28", "--deposit", "1000"),
        *("--as-of", "2026-03-05"),
    )
    data = yaml.safe_load(rel.read_text(encoding="utf-8"))
    (former,) = data["former_stationmasters"]
    assert former["stationmaster"] == original["stationmaster"] and former["to"] == date(2026, 2, 28)
    assert former["reason"] == "考核不合格" and former["agreement"] == original["agreement"]
    assert former["training"] == original["training"]
    assert [(s["date"], s["phase"], s["mode"]) for s in data["training"]] == [
        (date(2026, 2, 10), 1, "point_to_point")
    ] * 5
    assert data["stationmaster"] == {
        "name": "李春燕",
        "gender": "female",
        "birth_date": date(1990, 3, 15),
        "id_number": "533123199003150029",
        "phone": "13988760021",
        "education": "高中",
        "native_place": "云南盈江",
        "address": "盈江县平原镇勐盏村三组",
        "roles": ["returning_youth"],
        "good_credit": True,
        "credit_checked": date(2026, 1, 15),
        "application": {
            "submitted": date(2026, 1, 10),
            "village_committee_endorsed": True,
            "approved": date(2026, 1, 20),
        },
        "from": date(2026, 3, 1),
    }
    assert data["agreement"]["start"] == date(2026, 3, 1)
    assert "&" not in rel.read_text(encoding="utf-8")  # no YAML anchors for the dates used twice
    check = run_cli("--root", str(repo), "validate", "--as-of", "2026-03-05", "--format", "json", str(rel))
    assert check.exit_code == 0 and not check.json()["diagnostics"]
    # A second replacement stacks the next stationmaster after the first.
    cli(
        repo,
        *("station", "replace-master", "pingyuan-mengzhan", "--date", "2026-09-01", "--reason", "迁居外地"),
        *("--name", "王小兵", "--id-number", "533123199003030414", "--phone", "13900000002"),
        *("--education", "大专", "--native-place", "云南盈江", "--address", "盈江县平原镇勐盏村五组"),
        *("--roles", "village_cadre"),
        *("--applied", "2026-07-10", "--endorsed", "--approved", "2026-07-20"),
        *("--good-credit", "yes", "--credit-checked", "2026-07-15", "--trained", "2026-08-10"),
        *("--agreement-number", "YJ-2026-031", "--signed", "2026-08-28", "--end", "2029-08-31", "--deposit", "1000"),
        *("--as-of", "2026-09-02"),
    )
    data = yaml.safe_load(rel.read_text(encoding="utf-8"))
    assert [f["stationmaster"]["name"] for f in data["former_stationmasters"]] == [
        original["stationmaster"]["name"],
        "李春燕",
    ]
    assert data["former_stationmasters"][1]["from"] == date(2026, 3, 1)
    assert data["former_stationmasters"][1]["agreement"]["number"] == "YJ-2026-001"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "2026-03-01", *NEW_MASTER), "--reason"),
        (("--date", "2026-03-01", "--reason", "x", *NEW_MASTER[:3], "533123199003150028", *NEW_MASTER[4:]), "身份证"),
        (("--date", "2026-03-01", "--reason", "x", *NEW_MASTER), "协议"),  # operating: its agreement is needed
        (("--date", "2026-13-01", "--reason", "x", *NEW_MASTER), "YYYY-MM-DD"),
        (("--date", "2026-03-01", "--reason", "x", *NEW_MASTER, "--agreement-number", "YJ-1"), "--signed"),
        (("--date", "2019-01-01", "--reason", "x", *NEW_MASTER, *AGREEMENT), "更换日期"),
    ],
)
def test_replace_master_refuses_bad_input_and_writes_nothing(
    bundled_copy: Path, args: tuple[str, ...], message: str
) -> None:
    rel = bundled_copy / "data/stations/pingyuan-mengzhan.yaml"
    before = rel.read_bytes()
    result = run_cli("--root", str(bundled_copy), "station", "replace-master", "pingyuan-mengzhan", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert rel.read_bytes() == before


def test_closing_early_without_thirty_days_notice_is_a_finding(repo: Path) -> None:
    result = run_cli(
        *("--root", str(repo), "station", "close", "pingyuan-mengzhan", "--date", "2026-04-01"),
        *("--reason", "站长身体原因", "--notice-date", "2026-03-20", "--as-of", "2026-04-02"),
    )
    assert result.exit_code == 0 and "只提前了 12 天" in result.stdout
    check = run_cli("--root", str(repo), "validate", "--as-of", "2026-04-02", "--format", "json")
    found = [d for d in check.json()["diagnostics"] if d["code"] == "HI002"]
    assert [(d["file"], d["path"], d["severity"]) for d in found] == [
        ("data/stations/pingyuan-mengzhan.yaml", "closure.notice_date", "warning")
    ]
    again = run_cli("--root", str(repo), "station", "close", "pingyuan-mengzhan", "--date", "2026-05-01",
                    "--reason", "x")  # fmt: skip
    assert again.exit_code == 2 and "已于 2026-04-01 停止运营" in again.stderr
    # 30 days' notice, or closing when the agreement ends, is no finding.
    cli(repo, "station", "close", "pingyuan-fulian", "--date", "2026-04-01", "--reason", "x", "--notice-date",
        "2026-03-02", "--as-of", "2026-04-02")  # fmt: skip
    check = run_cli("--root", str(repo), "validate", "--as-of", "2026-04-02", "--format", "json")
    assert [d["file"] for d in check.json()["diagnostics"] if d["code"] == "HI002"] == [
        "data/stations/pingyuan-mengzhan.yaml"
    ]
    # A closed station is no longer expected to report, nor counted in the network.
    status = run_cli("--root", str(repo), "month", "status", "2026-05", "--format", "json").json()
    assert "pingyuan-mengzhan" not in status["expected"] and "pingyuan-town" in status["expected"]
