"""Git-native editing: fmt, station new/set, validate --changed, SARIF, waivers and atomic writes."""

from __future__ import annotations

import json
import random
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from tests.conftest import AS_OF, copy_repository, git, run_cli

MESSY = textwrap.dedent(
    """\
    # 平原镇允燕村电子商务服务站 —— 手工录入，键的顺序是乱的
    services: [publicity, purchase_agency]   # 先开两项
    name: 平原镇允燕村电子商务服务站
    id: pingyuan-yunyan
    township: pingyuan
    level: village
    village: 允燕村
    poverty_village: false
    stationmaster:
      phone: 13900000002        # 站长本人手机
      name: 李小明
      id_number: 533123199003030414
      gender: male
      birth_date: 1990/3/3      # 按身份证
    # 网点
    host: {name: 允燕便民超市, type: convenience_store}
    site: {broadband: true, area_m2: 25, address: 盈江县平原镇允燕村}
    logistics_point: {partner: 中国邮政, co_built: true}
    fees:
      notice_posted: false
    rollout: {layout: {}, market_survey: {}}
    """
)


@pytest.fixture
def scratch(bundle: Path, tmp_path: Path) -> Path:
    """A git repository holding a few bundled stations with their records, committed."""
    root = copy_repository(bundle, tmp_path / "repo", stations=["pingyuan-town", "pingyuan-mengzhan", "jiucheng-town"])
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "data")
    return root


def comments(text: str) -> list[str]:
    return sorted(line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line)


@pytest.mark.expensive
def test_fmt_makes_a_messy_file_canonical_and_keeps_every_comment(scratch: Path) -> None:
    target = scratch / "data/stations/pingyuan-yunyan.yaml"
    target.write_bytes(MESSY.replace("\n", "\r\n").encode("gb18030"))
    check = run_cli("--root", str(scratch), "fmt", "--check")
    assert check.exit_code == 1 and "data/stations/pingyuan-yunyan.yaml" in check.stdout
    assert run_cli("--root", str(scratch), "fmt").exit_code == 0
    once = target.read_bytes()
    text = once.decode("utf-8")
    assert b"\r\n" not in once and not once.startswith(b"\xef\xbb\xbf")
    assert comments(text) == comments(MESSY)
    assert '  phone: "13900000002"' in text and '  id_number: "533123199003030414"' in text
    assert "birth_date: 1990-03-03" in text
    keys = [line.split(":")[0] for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    assert keys == [
        "id",
        "name",
        "level",
        "township",
        "village",
        "poverty_village",
        "host",
        "site",
        "logistics_point",
        "stationmaster",
        "services",
        "fees",
        "rollout",
    ]
    assert run_cli("--root", str(scratch), "fmt").exit_code == 0
    assert target.read_bytes() == once  # idempotent
    assert run_cli("--root", str(scratch), "fmt", "--check").exit_code == 0
    assert run_cli("--root", str(scratch), "validate", "--as-of", AS_OF, str(target)).exit_code == 0


def test_fmt_never_rewrites_a_file_with_syntax_errors(scratch: Path) -> None:
    target = scratch / "data/stations/pingyuan-mengzhan.yaml"
    broken = re.sub(r"(roles: \[[^\]\n]*)\]", r"\1", target.read_text(encoding="utf-8"), count=1)  # unclosed
    target.write_text(broken, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "yjstation", "--root", str(scratch), "fmt"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1 and "YAML001" in result.stderr
    assert target.read_text(encoding="utf-8") == broken


SHARDS = 6


@pytest.mark.expensive
@pytest.mark.parametrize("shard", range(SHARDS))
def test_bundled_data_is_already_canonical(bundle: Path, shard: int) -> None:
    """`fmt --check` over every bundled data file, in shards so parallel workers share the round trips."""
    files = sorted((bundle / "data").rglob("*.yaml"))
    assert len(files) > SHARDS
    mine = [str(path) for path in files[shard::SHARDS]]
    result = run_cli("--root", str(bundle), "fmt", "--check", *mine)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "" and result.stderr.startswith("0 个文件需要格式化")


def test_station_set_changes_exactly_one_line(scratch: Path) -> None:
    result = run_cli("--root", str(scratch), "station", "set", "pingyuan-mengzhan", "stationmaster.phone=13900000000")
    assert result.exit_code == 0
    diff = git(scratch, "diff", "-U0", "--", "data/stations/pingyuan-mengzhan.yaml")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [changed[0], '+  phone: "13900000000"'] and changed[0].startswith("-  phone: ")


def test_station_set_types_values_by_the_schema(scratch: Path) -> None:
    path = scratch / "data/stations/jiucheng-town.yaml"
    result = run_cli(
        "--root",
        str(scratch),
        "station",
        "set",
        "jiucheng-town",
        "site.area_m2=45.5",
        "logistics_point.co_built=是",
        "host.type=便利店",
        "--as-of",
        AS_OF,
    )
    assert result.exit_code == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert "area_m2: 45.5" in text and "co_built: true" in text and "type: convenience_store" in text


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("stationmaster.phone=1390000", "ID008"),
        ("stationmaster.phon=13900000000", "是否应为 `phone`"),
        ("level=city", "不是允许的取值"),
        ("stationmaster.birth_date=yesterday", "不是日期"),
    ],
)
def test_station_set_refuses_bad_values_and_writes_nothing(scratch: Path, assignment: str, message: str) -> None:
    path = scratch / "data/stations/pingyuan-mengzhan.yaml"
    before = path.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "yjstation", "--root", str(scratch), "station", "set", "pingyuan-mengzhan", assignment],
        capture_output=True,
        text=True,
        check=False,
    )
    # a value validate refuses (ID008) is a finding: exit 1; a value that cannot be read at all: exit 2
    expected = 1 if message == "ID008" else 2
    assert result.returncode == expected and message in result.stderr and "Traceback" not in result.stderr
    assert path.read_bytes() == before


def test_station_new_writes_a_commented_file_that_validates(scratch: Path) -> None:
    result = run_cli(
        "--root",
        str(scratch),
        "station",
        "new",
        "--id",
        "pingyuan-gaoli",
        "--level",
        "village",
        "--township",
        "pingyuan",
        "--village",
        "高里村",
        "--host-type",
        "convenience_store",
        "--host-name",
        "高里便民超市",
        "--area",
        "25",
        "--stationmaster",
        "李小明",
        "--id-number",
        "533123199003030414",
        "--phone",
        "13900000002",
        "--partner",
        "中国邮政",
        "--address",
        "盈江县平原镇高里村",
        "--date",
        "2026-11-29",
        "--good-credit",
        "yes",
        "--credit-checked",
        "2026-11-20",
    )
    assert result.exit_code == 0, result.stderr
    text = (scratch / "data/stations/pingyuan-gaoli.yaml").read_text(encoding="utf-8")
    assert (
        text.startswith("# 平原镇高里村电子商务服务站") and "birth_date: 1990-03-03" in text and "gender: male" in text
    )
    check = run_cli(
        "--root", str(scratch), "validate", "--format", "json", str(scratch / "data/stations/pingyuan-gaoli.yaml")
    )
    assert check.exit_code == 0 and check.json()["diagnostics"] == []
    progress = run_cli("--root", str(scratch), "checklist", "pingyuan-gaoli", "--format", "json")
    assert all(step["status"] != "done" for step in progress.json()["stations"][0]["steps"])


def test_station_list_and_show_mask_personal_data(bundle: Path) -> None:
    listing = run_cli("--root", str(bundle), "station", "list", "--township", "pingyuan")
    shown = run_cli("--root", str(bundle), "station", "show", "pingyuan-mengzhan")
    number = next(
        line
        for line in (bundle / "data/stations/pingyuan-mengzhan.yaml").read_text(encoding="utf-8").splitlines()
        if "id_number" in line
    ).split('"')[1]
    for out in (listing.stdout, shown.stdout):
        assert number not in out and "****" in out
    assert number[:6] + "********" + number[-4:] in shown.stdout


def test_validate_changed_reports_only_changed_files(scratch: Path) -> None:
    unchanged = scratch / "data/stations/jiucheng-town.yaml"
    unchanged.write_text(
        unchanged.read_text(encoding="utf-8").replace("township: jiucheng", "township: nowhere"), encoding="utf-8"
    )
    git(scratch, "commit", "-qam", "an old mistake nobody touched since")
    changed = scratch / "data/stations/pingyuan-mengzhan.yaml"
    changed.write_text(changed.read_text(encoding="utf-8").replace("gender: female", "gender: male"), encoding="utf-8")
    result = run_cli("--root", str(scratch), "validate", "--as-of", AS_OF, "--format", "json", "--changed")
    assert result.exit_code == 1
    assert {d["file"] for d in result.json()["diagnostics"]} == {"data/stations/pingyuan-mengzhan.yaml"}
    since_first = run_cli(
        "--root", str(scratch), "validate", "--as-of", AS_OF, "--format", "json", "--changed", "HEAD~1"
    )
    assert {d["file"] for d in since_first.json()["diagnostics"]} == {
        "data/stations/pingyuan-mengzhan.yaml",
        "data/stations/jiucheng-town.yaml",
    }


def test_validate_changed_still_applies_cross_file_rules(scratch: Path) -> None:
    twin = scratch / "data/stations/pingyuan-mengzhan-b.yaml"
    original = (scratch / "data/stations/pingyuan-mengzhan.yaml").read_text(encoding="utf-8")
    twin.write_text(original.replace("id: pingyuan-mengzhan", "id: pingyuan-mengzhan-b"), encoding="utf-8")
    result = run_cli("--root", str(scratch), "validate", "--as-of", AS_OF, "--format", "json", "--changed")
    codes = {(d["file"], d["code"]) for d in result.json()["diagnostics"]}
    # the new twin claims the village of an unchanged station: both sides of the clash are reported,
    # because the unchanged file's findings changed with the new one; nothing else is
    assert ("data/stations/pingyuan-mengzhan-b.yaml", "ST005") in codes
    assert ("data/stations/pingyuan-mengzhan.yaml", "ST005") in codes
    assert {file for file, _ in codes} <= {
        "data/stations/pingyuan-mengzhan-b.yaml",
        "data/stations/pingyuan-mengzhan.yaml",
        "data/county.yaml",  # one village station more than the target
    }


def test_sarif_is_valid_sarif_2_1_0(mini_repo: Path) -> None:
    station = mini_repo / "data/stations/pingyuan-mengzhan.yaml"
    station.write_text(station.read_text(encoding="utf-8").replace("gender: female", "gender: male"), encoding="utf-8")
    result = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    schema = json.loads((Path(__file__).parent / "fixtures/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    Draft7Validator(schema).validate(log)
    [hit] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "ID006"]
    region = hit["locations"][0]["physicalLocation"]["region"]
    assert hit["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "data/stations/pingyuan-mengzhan.yaml"
    assert station.read_text(encoding="utf-8").splitlines()[region["startLine"] - 1].startswith("  gender:")
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[hit["ruleIndex"]]["id"] == "ID006" and rules[hit["ruleIndex"]]["properties"]["clause"]


WAIVER = """\
waivers:
  - code: {code}
    station: {station}
    reason: 村里光缆未通，电信承诺 2022 年 3 月开通
    approved_by: 杨建华
    approved_on: 2021-06-01
    expires: {expires}
"""


def _waive(root: Path, code: str = "ST008", station: str = "pingyuan-mengzhan", expires: str = "2022-03-31") -> None:
    (root / "data/waivers.yaml").write_text(
        WAIVER.format(code=code, station=station, expires=expires), encoding="utf-8"
    )
    assert (root / "data/schemas/waivers.schema.json").is_file()


def _no_broadband(root: Path) -> None:
    path = root / "data/stations/pingyuan-mengzhan.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("broadband: true", "broadband: false"), encoding="utf-8")


def test_a_waived_finding_is_counted_but_not_a_failure(mini_repo: Path) -> None:
    _no_broadband(mini_repo)
    _waive(mini_repo)
    result = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0
    payload = result.json()
    assert payload["summary"]["waived"] == 1 and payload["summary"]["errors"] == 0
    [waived] = [d for d in payload["diagnostics"] if d.get("waived")]
    assert waived["code"] == "ST008" and "杨建华" in waived["waived"]
    text = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF)
    assert "已豁免" in text.stdout and "1 项已豁免" in text.stdout


def test_an_expired_waiver_warns_and_no_longer_waives(mini_repo: Path) -> None:
    _no_broadband(mini_repo)
    _waive(mini_repo, expires="2021-06-30")
    result = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1
    codes = {(d["code"], d["severity"]) for d in result.json()["diagnostics"]}
    assert ("WV001", "warning") in codes and ("ST008", "error") in codes


@pytest.mark.parametrize(
    ("code", "station", "expected"), [("XX999", "pingyuan-mengzhan", "WV002"), ("ST008", "pingyuan-nowhere", "WV003")]
)
def test_a_waiver_for_an_unknown_code_or_station_is_an_error(
    mini_repo: Path, code: str, station: str, expected: str
) -> None:
    _waive(mini_repo, code=code, station=station)
    result = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1
    [diag] = [d for d in result.json()["diagnostics"] if d["code"] == expected]
    assert diag["file"] == "data/waivers.yaml" and diag["severity"] == "error"


WRITER = """
import sys
from pathlib import Path
from yjstation.foundation.atomic import write_atomic
target = Path(sys.argv[1])
contents = [b"A" * 300_000 + b"\\n", b"B" * 500_000 + b"\\n"]
i = 0
while True:
    write_atomic(target, contents[i % 2])
    i += 1
"""


def test_a_write_loop_killed_at_random_moments_never_leaves_a_mix(tmp_path: Path) -> None:
    target = tmp_path / "station.yaml"
    target.write_bytes(b"A" * 300_000 + b"\n")
    rng = random.Random(7)
    for _ in range(12):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(target)])
        time.sleep(rng.uniform(0.05, 0.4))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        data = target.read_bytes()
        assert data in (b"A" * 300_000 + b"\n", b"B" * 500_000 + b"\n")
