"""Logs without YAML: a training session for many stationmasters, a maintenance visit, a feedback item
raised and closed. Each is one short diff per file, through the checked write; bad input writes nothing."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT, copy_repository, run_cli


@pytest.fixture
def pingyuan(bundle: Path) -> list[str]:
    return sorted(p.stem for p in (bundle / "data/stations").glob("pingyuan-*.yaml"))


@pytest.fixture
def repo(bundle: Path, pingyuan: list[str], tmp_path: Path) -> Path:
    return copy_repository(bundle, tmp_path / "repo", stations=[*pingyuan, "zhina-town"])


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "data").rglob("*.yaml")}


def diff(before: bytes, after: bytes) -> list[str]:
    lines = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    return [line for line in lines if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_one_training_session_for_a_whole_township(repo: Path, pingyuan: list[str]) -> None:
    before = snapshot(repo)
    result = run_cli(
        *("--root", str(repo), "training", "add", "--township", "平原镇", "--date", "2021-12-20"),
        *("--module", "agency-skills", "--mode", "centralized", "--as-of", "2021-12-31"),
    )
    assert result.exit_code == 0, result.stderr
    assert f"已为 {len(pingyuan)} 个站点登记" in result.stdout
    after = snapshot(repo)
    changed = sorted(rel for rel in after if after[rel] != before[rel])
    assert changed == [f"data/stations/{sid}.yaml" for sid in pingyuan]
    for rel in changed:
        assert diff(before[rel], after[rel]) == [
            "+  - {date: 2021-12-20, phase: 2, module: agency-skills, minutes: 100, mode: centralized}"
        ]
    again = run_cli(
        *("--root", str(repo), "training", "add", "pingyuan-mengzhan", "--date", "2021-12-20"),
        *("--module", "agency-skills", "--mode", "centralized", "--as-of", "2021-12-31"),
    )
    assert again.exit_code == 0 and "未重复登记" in again.stdout and snapshot(repo) == after


def test_training_for_named_stations_and_for_all(repo: Path, pingyuan: list[str]) -> None:
    result = run_cli(
        *("--root", str(repo), "training", "add", "zhina-town", "pingyuan-town", "--date", "2021-06-10"),
        *("--module", "produce-sales-skills", "--minutes", "60", "--mode", "online", "--as-of", "2021-12-31"),
    )
    assert result.exit_code == 0, result.stderr
    data = yaml.safe_load((repo / "data/stations/zhina-town.yaml").read_text(encoding="utf-8"))
    assert data["training"][-1]["minutes"] == 60 and data["training"][-1]["mode"] == "online"
    every = run_cli(
        *("--root", str(repo), "training", "add", "--all", "--date", "2021-12-21"),
        *("--module", "express-logistics-basics", "--mode", "online", "--as-of", "2021-12-31"),
    )
    assert every.exit_code == 0 and f"已为 {len(pingyuan) + 1} 个站点登记" in every.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "2021-12-20", "--module", "agency-skills", "--mode", "online"), "三者选一"),
        (("--all", "pingyuan-town", "--date", "2021-12-20", "--module", "agency-skills", "--mode", "online"), "选一"),
        (("--all", "--date", "2021-12-20", "--module", "no-such", "--mode", "online"), "没有培训模块"),
        (("--all", "--date", "2021-12-32", "--module", "agency-skills", "--mode", "online"), "YYYY-MM-DD"),
        (("--all", "--module", "agency-skills", "--mode", "online"), "请给出日期"),
        (("--all", "--date", "2021-12-20", "--module", "agency-skills"), "培训方式"),
        (("--all", "--date", "2021-12-20", "--module", "agency-skills", "--mode", "tv"), "--mode"),
        (("--all", "--date", "2021-12-20", "--module", "agency-skills", "--mode", "online", "--minutes", "0"), "学时"),
        (
            ("nowhere", "--date", "2021-12-20", "--module", "agency-skills", "--mode", "online"),
            "仓库中没有 data/stations/nowhere.yaml",
        ),
        (("--township", "火星乡", "--date", "2021-12-20", "--module", "agency-skills", "--mode", "online"), "没有乡镇"),
        (("pingyuan-town", "--date", "2019-01-01", "--module", "agency-skills", "--mode", "online"), "不在册"),
    ],
)
def test_training_add_refuses_bad_input_and_writes_nothing(repo: Path, args: tuple[str, ...], message: str) -> None:
    before = snapshot(repo)
    result = run_cli("--root", str(repo), "training", "add", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert snapshot(repo) == before


def test_logging_maintenance_and_feedback_into_the_month(repo: Path) -> None:
    rel = "data/operations/2021-12/pingyuan-mengzhan.yaml"
    before = (repo / rel).read_bytes()
    steps = [
        ("maintenance", "--date", "2021-12-14", "--issue", "打印机驱动: 失效", "--resolution", "远程重装"),
        ("onsite", "--date", "2021-12-15", "--by", "段晓梅", "--notes", "检查网络"),
        ("feedback", "--date", "2021-12-16", "--issue", "快递延误", "--by", "村民"),
    ]
    for step in steps:
        result = run_cli("--root", str(repo), "station", "log", "pingyuan-mengzhan", *step, "--as-of", "2021-12-31")
        assert result.exit_code == 0, result.stderr
    lines = diff(before, (repo / rel).read_bytes())
    added = [line for line in lines if line.startswith("+")]
    for entry in (
        "    - {date: 2021-12-14, issue: '打印机驱动: 失效', resolution: 远程重装}",
        "    - {date: 2021-12-15, by: 段晓梅, notes: 检查网络}",
        "  - {date: 2021-12-16, issue: 快递延误, status: open, by: 村民}",
    ):
        assert "+" + entry in added
    # one line per entry; an empty list written `[]` gives way to its first item (a line more each)
    removed = [line for line in lines if line.startswith("-")]
    assert all(line.endswith(": []") for line in removed)
    assert len(added) == 3 + len(removed)
    closed = run_cli(
        *("--root", str(repo), "feedback", "close", "pingyuan-mengzhan", "2021-12-16"),
        *("--closed", "2021-12-18", "--as-of", "2021-12-31"),
    )
    assert closed.exit_code == 0, closed.stderr
    record = yaml.safe_load((repo / rel).read_text(encoding="utf-8"))
    item = record["feedback"][-1]
    assert item["status"] == "closed" and str(item["closed"]) == "2021-12-18"
    assert len(diff(before, (repo / rel).read_bytes())) == len(lines)  # closing changed the entry in place
    report = run_cli("--root", str(repo), "report", "weekly", "2021-W50", "--format", "json").json()
    assert {"station": "pingyuan-mengzhan", "kind": "onsite", "date": "2021-12-15", "what": "检查网络"} in report[
        "maintenance"
    ]


def test_a_file_holding_a_day_that_does_not_exist_is_named_at_its_line(repo: Path, pingyuan: list[str]) -> None:
    """libyaml reads a plain 2021-02-30 as text (validate: SCH006); the round trip the logs write through
    cannot read it at all, which once escaped as an internal error."""
    sid = next(s for s in pingyuan if (repo / f"data/operations/2021-12/{s}.yaml").is_file())
    station, record = f"data/stations/{sid}.yaml", f"data/operations/2021-12/{sid}.yaml"
    commands = {
        station: ("training", "add", sid, "--date", "2021-12-20", "--module", "agency-skills", "--mode", "online"),
        record: (
            "station",
            "log",
            sid,
            "maintenance",
            "--date",
            "2021-12-14",
            "--issue",
            "断网",
            "--resolution",
            "重启",
        ),
    }
    for rel, key in ((station, "  opened: "), (record, "reported: ")):
        lines = (repo / rel).read_text(encoding="utf-8").rstrip("\n").split("\n")
        number = next((i for i, line in enumerate(lines, 1) if line.startswith(key)), len(lines) + 1)
        lines[number - 1 : number] = [f"{key}2021-02-30"]
        (repo / rel).write_text("\n".join(lines) + "\n", encoding="utf-8")
        before = snapshot(repo)
        result = run_cli("--root", str(repo), *commands[rel], "--as-of", "2021-12-31")
        assert result.exit_code == 2, result.stderr
        assert f"{rel}:{number}:{len(key) + 1}: `2021-02-30` 不是真实存在的日期" in result.stderr
        assert "提示：改成真实存在的日期 YYYY-MM-DD" in result.stderr
        assert snapshot(repo) == before


def test_a_log_for_a_month_without_a_record_opens_its_draft(repo: Path) -> None:
    result = run_cli(
        *("--root", str(repo), "station", "log", "pingyuan-mengzhan", "onsite", "--date", "2022-01-13"),
        *("--by", "段晓梅", "--as-of", "2022-01-31"),
    )
    assert result.exit_code == 0, result.stderr
    record = yaml.safe_load((repo / "data/operations/2022-01/pingyuan-mengzhan.yaml").read_text(encoding="utf-8"))
    assert record["reported"] is None and record["services"]["express"]["orders"] is None
    assert record["maintenance"] == {"onsite": [{"date": record["maintenance"]["onsite"][0]["date"], "by": "段晓梅"}]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("pingyuan-mengzhan", "onsite", "--date", "2021-12-15", "--issue", "x"), "不用 --issue"),
        (("pingyuan-mengzhan", "maintenance", "--date", "2021-12-15"), "请写出问题"),
        (("pingyuan-mengzhan", "onsite", "--date", "2021-12-15"), "维护内容"),
        (("pingyuan-mengzhan", "feedback", "--date", "2021-12-15", "--issue", "x", "--closed", "2021-12-01"), "办结"),
        (("pingyuan-mengzhan", "visit", "--date", "2021-12-15"), "visit"),
        (("nowhere", "onsite", "--date", "2021-12-15", "--by", "x"), "仓库中没有 data/stations/nowhere.yaml"),
        (("pingyuan-mengzhan", "onsite", "--date", "2019-12-15", "--by", "x"), "没有运营"),
    ],
)
def test_station_log_refuses_bad_input_and_writes_nothing(repo: Path, args: tuple[str, ...], message: str) -> None:
    before = snapshot(repo)
    result = run_cli("--root", str(repo), "station", "log", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("pingyuan-mengzhan", "2021-12-17", "--closed", "2021-12-20"), "已于 2021-12-18 办结"),
        (("pingyuan-mengzhan", "2021-12-02", "--closed", "2021-12-20"), "没有 2021-12-02 的问题反馈"),
        (("pingyuan-mengzhan", "2021-12-16", "--closed", "2021-12-01"), "早于"),
        (("pingyuan-mengzhan", "2021-12-16"), "请给出日期"),
        (("pingyuan-mengzhan", "2019-12-17", "--closed", "2019-12-20"), "找不到文件"),
    ],
)
def test_feedback_close_refuses_bad_input_and_writes_nothing(repo: Path, args: tuple[str, ...], message: str) -> None:
    def run(*more: str) -> None:
        done = run_cli("--root", str(repo), *more, "--as-of", "2021-12-31")
        assert done.exit_code == 0, done.stderr

    run(
        "station", "log", "pingyuan-mengzhan", "feedback", "--date", "2021-12-16", "--issue", "快递延误", "--by", "村民"
    )
    run("station", "log", "pingyuan-mengzhan", "feedback", "--date", "2021-12-17", "--issue", "缺货", "--by", "村民")
    run("feedback", "close", "pingyuan-mengzhan", "2021-12-17", "--closed", "2021-12-18")
    before = snapshot(repo)
    result = run_cli("--root", str(repo), "feedback", "close", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert snapshot(repo) == before


NEW_COMMANDS = [
    ("month", "open"),
    ("month", "status"),
    ("export", "month"),
    ("import", "month"),
    ("training", "add"),
    ("feedback", "close"),
    ("station", "log"),
    ("station", "replace-master"),
    ("station", "close"),
]


@pytest.mark.parametrize("command", NEW_COMMANDS, ids=" ".join)
def test_every_new_command_has_help_in_chinese_and_english_and_is_documented(command: tuple[str, ...]) -> None:
    chinese = run_cli(*command, "--help")
    english = run_cli("--lang", "en", *command, "--help")
    assert chinese.exit_code == 0 and english.exit_code == 0
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese.stdout)
    summary = english.stdout.split("\n\n")[1]
    assert summary.strip() and not any("\u4e00" <= ch <= "\u9fff" for ch in summary)
    assert f"\n## yjstation {' '.join(command)}\n" in (PROJECT / "docs/cli.md").read_text(encoding="utf-8")
    assert f"yjstation {' '.join(command)} " in (PROJECT / "README.md").read_text(encoding="utf-8")
