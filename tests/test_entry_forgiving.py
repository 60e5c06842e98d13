"""A clerk's typing: Chinese names where ids are asked, full-width digits, Chinese commas, and a precise
word on what to change when a value cannot be used; unknown names exit 2 naming the closest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import AS_OF, read_yaml, run_cli
from yjstation.foundation.entry import EntryError, half_width, match_choice, parse_number, split_list

STATION = "data/stations/pingyuan-mengzhan.yaml"
NEW_ID = "pingyuan-newstation"
NEW = {
    "--id": NEW_ID,
    "--level": "village",
    "--township": "pingyuan",
    "--host-type": "village_store",
    "--host-name": "新站农家店",
    "--area": "25",
    "--stationmaster": "张三",
    "--id-number": "533123198805120011",
    "--phone": "13800000000",
    "--good-credit": "yes",
    "--credit-checked": "2021-11-20",
    "--date": "2021-12-01",
}


def villages(root: Path) -> tuple[str, str]:
    """From the repository's own files, read with PyYAML: a village committee (行政村) of 平原镇 with no
    station yet, and the village of a station that is there."""
    (pingyuan,) = [t for t in read_yaml(root / "data/county.yaml")["townships"] if t["id"] == "pingyuan"]
    taken = {read_yaml(p).get("village") for p in (root / "data/stations").glob("*.yaml")}
    free = [v["name"] for v in pingyuan["villages"] if v["kind"] == "village_committee" and v["name"] not in taken]
    stationed = [v["name"] for v in pingyuan["villages"] if v["name"] in taken]
    assert free and stationed
    return free[0], stationed[0]


@pytest.fixture
def new(mini_repo: Path) -> dict[str, str]:
    """Every option of `station new` for a usable village station."""
    return NEW | {"--village": villages(mini_repo)[0]}


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("200单", "去掉单位“单”，只写数字：200"),
        ("25平方", "去掉单位“平方”，只写数字：25"),
        ("¥6000", "去掉“¥”，金额以元为单位，只写数字：6000"),
        ("6000元", "去掉“元”"),
        ("8，120.50", "去掉千位分隔符“，”，写成 8120.50"),
        ("1%", "1% 写成 0.01"),
        ("abc", "不是数字"),
    ],
)
def test_a_number_that_cannot_be_used_says_what_to_remove(typed: str, says: str) -> None:
    with pytest.raises(EntryError, match=says):
        parse_number(typed)


def test_full_width_digits_lists_and_titles() -> None:
    assert parse_number("５０") == 50 and parse_number(" 12.5 ") == parse_number("12.5")
    assert half_width("１３８００００００００") == "13800000000"
    assert split_list("日用百货，烟酒饮料、粮油, 农资；其他") == ["日用百货", "烟酒饮料", "粮油", "农资", "其他"]
    choices = {"township": "乡镇级服务站", "village": "村级服务站"}
    assert match_choice("村级服务站", choices) == "village" and match_choice("村级", choices) == "village"
    assert match_choice("Village", choices) == "village" and match_choice("级", choices) is None


def test_station_set_reads_chinese(mini_repo: Path) -> None:
    done = run_cli(
        "--root",
        str(mini_repo),
        "station",
        "set",
        "pingyuan-mengzhan",
        "township=平原镇",
        "host.categories=日用百货，烟酒饮料、粮油",
        "site.area_m2=２６",
        "stationmaster.phone=１５００７６０４８７４",
        "site.broadband=是",
    )
    assert done.exit_code == 0, done.stderr
    text = (mini_repo / STATION).read_text(encoding="utf-8")
    assert "categories: [日用百货, 烟酒饮料, 粮油]" in text and "township: pingyuan" in text
    assert 'phone: "15007604874"' in text and "area_m2: 26" in text


@pytest.mark.parametrize(("value", "says"), [("¥2", "去掉“¥”"), ("2元", "去掉“元”"), ("8，120.50", "千位分隔符")])
def test_station_set_says_what_to_remove(mini_repo: Path, value: str, says: str) -> None:
    done = run_cli("--root", str(mini_repo), "station", "set", "pingyuan-mengzhan", f"fees.express_per_order={value}")
    assert done.exit_code == 2 and says in done.stderr


def test_validate_hints_what_to_remove(mini_repo: Path) -> None:
    path = mini_repo / "data/operations/2021-03/pingyuan-mengzhan.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{orders: 7,", "{orders: 7单,"), encoding="utf-8")
    done = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "json")
    (finding,) = [d for d in done.json()["diagnostics"] if d["code"] == "SCH002"]
    assert "去掉单位“单”" in finding["hint"]


def test_a_date_with_slashes_is_reported_once_and_fmt_is_named(mini_repo: Path) -> None:
    path = mini_repo / STATION
    path.write_text(path.read_text(encoding="utf-8").replace("opened: 2006-11-04", "opened: 2022/1/5"), "utf-8")
    done = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "json")
    found = [d for d in done.json()["diagnostics"] if d["path"] == "host.opened"]
    assert [d["code"] for d in found] == ["SCH006"] and "2022-01-05" in found[0]["hint"] and "fmt" in found[0]["hint"]


def test_station_new_lists_every_missing_option_at_once(mini_repo: Path) -> None:
    done = run_cli("--root", str(mini_repo), "station", "new", "--id", NEW_ID, "--township", "平原")
    assert done.exit_code == 2
    for option in ("--level", "--village", "--id-number", "--host-type", "--host-name", "--area", "--phone"):
        assert option in done.stderr, option
    assert "--good-credit" in done.stderr and "--credit-checked" in done.stderr  # asked, never assumed
    assert "--township" not in done.stderr and "--address" not in done.stderr  # given; has a default


def test_station_new_lists_every_unusable_option_with_validates_words(mini_repo: Path, new: dict[str, str]) -> None:
    given = new | {"--id-number": "533123198805120012", "--area": "25平方", "--phone": "1380000000", "--level": "村"}
    done = run_cli("--root", str(mini_repo), "station", "new", *[x for pair in given.items() for x in pair])
    assert done.exit_code == 2
    assert "校验位应为 1，实为 2" in done.stderr and "去掉单位“平方”" in done.stderr
    assert "--phone" in done.stderr and "--level" in done.stderr
    assert "缺少选项" not in done.stderr  # nothing is missing, four answers are unusable
    assert not (mini_repo / f"data/stations/{NEW_ID}.yaml").exists()


def test_station_new_accepts_chinese_and_full_width(mini_repo: Path, new: dict[str, str]) -> None:
    given = new | {"--level": "村级", "--township": "平原镇", "--area": "２５", "--services": "代买，代卖、publicity"}
    given |= {"--good-credit": "是", "--credit-checked": "２０２１-１１-２０"}
    done = run_cli("--root", str(mini_repo), "station", "new", *[x for pair in given.items() for x in pair])
    assert done.exit_code == 0, done.stderr
    text = (mini_repo / f"data/stations/{NEW_ID}.yaml").read_text(encoding="utf-8")
    assert "services: [purchase_agency, consignment, publicity]" in text and "area_m2: 25" in text


def test_a_new_station_refused_for_its_findings_exits_1(mini_repo: Path, new: dict[str, str]) -> None:
    given = new | {"--village": villages(mini_repo)[1]}  # the village has a station already (ST005)
    done = run_cli("--root", str(mini_repo), "station", "new", *[x for pair in given.items() for x in pair])
    assert done.exit_code == 1 and "ST005" in done.stderr
    assert not (mini_repo / f"data/stations/{NEW_ID}.yaml").exists()


def test_interactive_station_new_asks_again_only_for_the_bad_answer(
    mini_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    village = villages(mini_repo)[0]
    answers = ["村级", "平原", village[:-1], village, "../x", NEW_ID, "533123198805120012",
               "533123198805120011", "便民", "convenience_store", "新站店", "", "25平方", "25", "", "张三",
               "1380000000", "13800000000", "不知道", "是", "2021-11-20", ""]  # fmt: skip
    from yjstation.cli import common

    monkeypatch.setattr(common, "interactive", lambda: True)
    done = run_cli("--root", str(mini_repo), "station", "new", "--date", "2021-12-01", stdin="\n".join(answers) + "\n")
    assert done.exit_code == 0, done.stderr
    assert done.stdout.count("行政村") == 2 and done.stdout.count("站长身份证号码") == 2
    assert done.stdout.count("经营面积") == 2 and done.stdout.count("站点级别") == 1
    assert done.stdout.count("无不良信用记录") == 2 and done.stdout.count("信用记录核查日期") == 1
    for says in (
        f"是否应为：{village}",
        "校验位应为 1，实为 2",
        "去掉单位“平方”",
        "不是 11 位手机号码",
        "应为 yes（是）或 no（否）",
    ):
        assert says in done.stderr, says
    written = read_yaml(mini_repo / f"data/stations/{NEW_ID}.yaml")
    assert written["village"] == village and written["site"]["area_m2"] == 25
    assert written["stationmaster"]["good_credit"] is True
    assert written["stationmaster"]["credit_checked"] == date(2021, 11, 20)


@pytest.mark.parametrize(
    ("args", "closest"),
    [
        (["checklist", "--township", "nowhere"], None),
        (["checklist", "--township", "平原县"], "平原镇（pingyuan）"),
        (["fees", "pingyuan-mengzan"], "pingyuan-mengzhan"),
        (["render", "agreement", "pingyuan-mengzan"], "pingyuan-mengzhan"),
        (["report", "monthly", "2021-03", "--township", "pingyan"], "pingyuan"),
        (["station", "show", "pingyuan-mengzan"], "pingyuan-mengzhan"),
        (["checklist", "pingyuan-mengzan"], "pingyuan-mengzhan"),
        (["station", "list", "--level", "county"], "village"),
    ],
)
def test_unknown_names_exit_2_with_the_closest(mini_repo: Path, args: list[str], closest: str | None) -> None:
    done = run_cli("--root", str(mini_repo), *args)
    assert done.exit_code == 2 and not done.stdout
    if closest:
        assert closest in done.stderr


def test_townships_by_name(mini_repo: Path) -> None:
    by_id = run_cli("--root", str(mini_repo), "station", "list", "--township", "pingyuan")
    for name in ("平原镇", "平原"):
        assert run_cli("--root", str(mini_repo), "station", "list", "--township", name).stdout == by_id.stdout
    assert "站点（2 个）" in by_id.stdout  # both bundled stations of 平原镇


def test_a_status_by_its_title_is_explained_and_fmt_writes_the_code(mini_repo: Path) -> None:
    path = mini_repo / "data/operations/2021-03/pingyuan-mengzhan.yaml"
    text = path.read_text(encoding="utf-8")
    assert "status: closed" in text
    for typed, says in (("已解决", "是否应为 closed（已办结）"), ("已办结", "yjstation fmt")):
        path.write_text(text.replace("status: closed", f"status: {typed}"), encoding="utf-8")
        done = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "json")
        found = [d for d in done.json()["diagnostics"] if d["code"] == "SCH003"]
        assert found and all(says in d["hint"] for d in found), found
    assert run_cli("--root", str(mini_repo), "fmt", str(path)).exit_code == 0
    assert "status: closed" in path.read_text(encoding="utf-8")
