"""Edits checked through the cache judge exactly what a full, uncached `validate` reports once the files
are written, including the findings the edit causes (or clears) in files it did not touch; and they
re-check only what the edit can change. (How fast that is lives in bench/, see docs/performance.md.)"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import AS_OF, Oracle, copy_repository, run_cli
from yjstation.checking import stages
from yjstation.checking.validate import validate
from yjstation.editing.checked_write import check_edit
from yjstation.loading.loader import Document

DAY = date.fromisoformat(AS_OF)
MAY = "2021-05"


@dataclass(frozen=True)
class Scene:
    """Found in the bundle: two village stations of one township (the one the tests edit, the other
    untouched by every edit here), their township's station and a station of another township."""

    edited: str
    other: str
    town: str
    elsewhere: str
    oracle: Oracle

    @property
    def edited_file(self) -> str:
        return f"data/stations/{self.edited}.yaml"

    @property
    def other_file(self) -> str:
        return f"data/stations/{self.other}.yaml"

    def village(self, station: str) -> tuple[str, str]:
        """The station's village as its file writes it: name and register code."""
        data = self.oracle.stations[station]
        return data["village"], data["village_code"]


def _operating_after_june(oracle: Oracle, station: str) -> bool:
    return any(station in oracle.operations(month) for month in oracle.months if "2021-07" <= month <= "2021-12")


@pytest.fixture(scope="module")
def scene(oracle: Oracle) -> Scene:
    stations = oracle.stations
    villages = [sid for sid, data in stations.items() if data["level"] == "village" and data.get("village_code")]
    edited = next(
        sid
        for sid in villages
        if oracle.operations(MAY).get(sid, {}).get("deposits_from_villagers") == 0
        and _operating_after_june(oracle, sid)
    )
    township = stations[edited]["township"]
    other = next(
        sid
        for sid in villages
        if sid != edited
        and stations[sid]["township"] == township
        and stations[sid]["village_code"] != stations[edited]["village_code"]
    )
    town = next(sid for sid, data in stations.items() if data["level"] == "township" and data["township"] == township)
    elsewhere = next(sid for sid in villages if stations[sid]["township"] != township)
    return Scene(edited, other, town, elsewhere, oracle)


@pytest.fixture
def repo(bundle: Path, scene: Scene, tmp_path: Path) -> Path:
    root = copy_repository(bundle, tmp_path / "repo", stations=[scene.edited, scene.other, scene.town, scene.elsewhere])
    validate(root, DAY, cache=True)  # a warm cache, as a clerk's repository has
    return root


def _moved(text: str, frm: tuple[str, str], to: tuple[str, str]) -> str:
    """A station file's text with its village (name and code) changed from `frm` to `to`."""
    for old, new in (
        (f"village: {frm[0]}\n", f"village: {to[0]}\n"),
        (f'village_code: "{frm[1]}"', f'village_code: "{to[1]}"'),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _uncached(root: Path) -> list[tuple[object, ...]]:
    return [_row(d) for d in validate(root, DAY, cache=False).diagnostics]


def _row(d: object) -> tuple[object, ...]:
    return tuple(getattr(d, name) for name in ("code", "file", "line", "col", "path", "message", "hint", "label"))


def _text(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


def test_a_station_edit_that_makes_a_village_clash_with_an_untouched_station(repo: Path, scene: Scene) -> None:
    edited, other = scene.edited_file, scene.other_file
    original = _text(repo, edited)
    clash = _moved(original, scene.village(scene.edited), scene.village(scene.other))
    check = check_edit(repo, {edited: clash.encode("utf-8")}, DAY)
    (repo / edited).write_text(clash, encoding="utf-8")
    full = _uncached(repo)
    assert [_row(d) for d in check.after.diagnostics] == full
    assert {("ST005", edited), ("ST005", other)} <= {(d.code, d.file) for d in check.after.diagnostics}
    assert ("ST005", edited) in {(d.code, d.file) for d in check.added}  # so the edit is refused

    resolved = check_edit(repo, {edited: original.encode("utf-8")}, DAY)  # the edit that clears it again
    (repo / edited).write_text(original, encoding="utf-8")
    assert [_row(d) for d in resolved.after.diagnostics] == _uncached(repo)
    assert not any(d.code == "ST005" for d in resolved.after.diagnostics)
    assert not resolved.added


def test_station_set_refuses_the_clash_and_then_clears_one_it_finds(repo: Path, scene: Scene) -> None:
    edited, other = scene.edited_file, scene.other_file
    (own, own_code), (theirs, their_code) = scene.village(scene.edited), scene.village(scene.other)
    original = _text(repo, edited)
    refused = run_cli(
        "--root", str(repo), "station", "set", scene.edited, f"village={theirs}", f"village_code={their_code}",
        "--as-of", AS_OF,
    )  # fmt: skip
    assert refused.exit_code == 1 and "ST005" in refused.stderr  # findings, as validate (#17)
    assert _text(repo, edited) == original
    # the clash made by hand, seen by a warm validate; then fixed with station set
    (repo / edited).write_text(_moved(original, (own, own_code), (theirs, their_code)), encoding="utf-8")
    clashing = run_cli("--root", str(repo), "validate", "--as-of", AS_OF, "--format", "json")
    assert {d["file"] for d in clashing.json()["diagnostics"] if d["code"] == "ST005"} == {edited, other}
    fixed = run_cli(
        "--root", str(repo), "station", "set", scene.edited, f"village={own}", f"village_code={own_code}",
        "--as-of", AS_OF,
    )  # fmt: skip
    assert fixed.exit_code == 0, fixed.stderr
    cached = run_cli("--root", str(repo), "validate", "--as-of", AS_OF, "--format", "json")
    uncached = run_cli("--root", str(repo), "validate", "--as-of", AS_OF, "--format", "json", "--no-cache")
    assert cached.stdout == uncached.stdout
    assert not any(d["code"] == "ST005" for d in cached.json()["diagnostics"])
    assert _text(repo, edited) == original  # back as it was: only the two lines changed, and changed back


def test_closing_a_station_rechecks_only_its_own_records(
    repo: Path, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    edited = scene.edited_file
    checked: list[str] = []
    real = stages.check

    def counting(doc: Document, kind: str, *args: object) -> object:
        checked.append(doc.file)
        return real(doc, kind, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(stages, "check", counting)
    closed = _text(repo, edited).rstrip("\n") + "\nclosed: 2021-06-30\n"
    check = check_edit(repo, {edited: closed.encode("utf-8")}, DAY, jobs=1)
    records = {d.file for d in check.after.diagnostics if d.code == "OP004"}
    assert records and all(rel.endswith(f"/{scene.edited}.yaml") for rel in records)  # July on, not operating
    assert all(rel.split("/")[2] >= "2021-07" for rel in records)
    # the edited station and its own records: no other station's records, nothing else
    assert set(checked) == {edited} | {rel for rel in checked if rel.endswith(f"/{scene.edited}.yaml")}
    assert records <= set(checked)
    (repo / edited).write_text(closed, encoding="utf-8")
    assert [_row(d) for d in check.after.diagnostics] == _uncached(repo)


def test_an_operations_edit_and_a_new_station_through_the_cache(repo: Path, scene: Scene) -> None:
    other = scene.other_file
    record = f"data/operations/{MAY}/{scene.edited}.yaml"
    text = _text(repo, record)
    changed, count = re.subn(r"(?m)^deposits_from_villagers: 0(\.00?)?$", "deposits_from_villagers: 5.00", text)
    assert count == 1
    extra = f"{scene.other}-extra"
    new = f"data/stations/{extra}.yaml"
    copy = _text(repo, other).replace(f"id: {scene.other}\n", f"id: {extra}\n")
    assert copy != _text(repo, other)
    check = check_edit(repo, {record: changed.encode("utf-8"), new: copy.encode("utf-8")}, DAY)
    (repo / record).write_text(changed, encoding="utf-8")
    (repo / new).write_text(copy, encoding="utf-8")
    assert [_row(d) for d in check.after.diagnostics] == _uncached(repo)
    codes = {(d.code, d.file) for d in check.after.diagnostics}
    assert ("FE007", record) in codes and ("ST005", other) in codes and ("ST005", new) in codes


RAWS = [
    "13900000001", "１３９００００００１", "533123198611160568", "张三", "新的 名字", "a: b", "-x", "x #y", "123", "1.5",
    "true", "是", "no", "2021/1/5", "2021-02-30", "2022-03-04", "village", "村级服务站", "shop_owner", "'q'", '"q"',
    "", "  spaced ", "yes", "null", "中文，逗号", "2021-01-05T10:00:00", "[a, b]", "{a: 1}", "@x",
]  # fmt: skip


def _leaves(value: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, (*path, key))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in _leaves(item, (*path, index))]
    return [path]


@pytest.mark.slow  # some 1,350 edits each way, the round trip's at about 0.1 s each
def test_station_set_in_place_writes_what_the_round_trip_writes(bundle: Path) -> None:
    """Every value of a few bundled stations set to values of every kind: where the in-place edit
    answers, its bytes are the round trip's; where the round trip refuses a value, so does it."""
    import random

    import yaml

    from yjstation.editing.edits import edit_text
    from yjstation.editing.inplace import edit_in_place
    from yjstation.loading.schemas import SchemaSet

    schema = SchemaSet.load(bundle)["station"]
    rng = random.Random(18)
    answered = 0
    for path in sorted((bundle / "data/stations").glob("*.yaml"))[::9]:
        text = path.read_text(encoding="utf-8")
        leaves = _leaves(yaml.safe_load(text))
        for leaf in rng.sample(leaves, min(25, len(leaves))):
            for raw in rng.sample(RAWS, 6):
                try:
                    expected: str | Exception = edit_text(text, schema, [(leaf, raw)], [])
                except Exception as exc:  # EditError; and ruamel.yaml's own errors on some raw numbers (#17)
                    expected = exc
                try:
                    got: str | Exception | None = edit_in_place(text, schema, [(leaf, raw)], [])
                except Exception as exc:
                    got = exc
                if isinstance(expected, Exception):
                    assert got is None or repr(got) == repr(expected), (path.name, leaf, raw)
                elif got is not None:
                    answered += 1
                    assert got == expected, (path.name, leaf, raw)
    assert answered > 100


# Values YAML cannot read where one value goes (a `: `, a tab, an unclosed bracket or quote, a day that does
# not exist): refused in words naming the field, exit 2, the file untouched (ruamel.yaml's errors once
# escaped as internal errors).
UNREADABLE = [
    ("host", "a: b", "{键: 值, ...}"),
    ("host", "x\ty", "{键: 值, ...}"),
    ("site", "{area_m2: 2\t2}", "{键: 值, ...}"),
    ("host", "{opened: 2021-13-05}", "2021-13-05 不是真实存在的日期"),
    ("host.categories", "[a: b", "[值, 值]"),
    ("host.categories", "[2021-02-30]", "2021-02-30 不是真实存在的日期"),
    ("site.area_m2", "2\t2", "只写数字"),
    ("site.area_m2", "a: b", "不是数字"),
]


def test_station_set_refuses_what_yaml_cannot_read_in_words(bundle: Path, repo: Path, scene: Scene) -> None:
    from yjstation.editing.edits import parse_path
    from yjstation.loading.schemas import SchemaSet

    schema = SchemaSet.load(bundle)["station"]
    original = _text(repo, scene.edited_file)
    for field, raw, says in UNREADABLE:
        result = run_cli("--root", str(repo), "station", "set", scene.edited, f"{field}={raw}", "--as-of", AS_OF)
        assert result.exit_code == 2, (field, raw, result.stderr)
        assert says in result.stderr, (field, raw, result.stderr)
        assert f"{schema.label(parse_path(field))}：" in result.stderr  # the field, by its Chinese label
        assert _text(repo, scene.edited_file) == original


def test_station_set_on_a_file_holding_a_day_that_does_not_exist_names_its_line(repo: Path, scene: Scene) -> None:
    """libyaml reads a plain 2021-13-05 as text (validate: SCH006); the round trip cannot read it at all."""
    lines = _text(repo, scene.edited_file).split("\n")
    number = next(i for i, s in enumerate(lines, 1) if re.fullmatch(r"  opened: \d{4}-\d\d-\d\d", s))
    lines[number - 1] = "  opened: 2021-13-05"
    broken = "\n".join(lines)
    (repo / scene.edited_file).write_text(broken, encoding="utf-8")
    result = run_cli("--root", str(repo), "station", "set", scene.edited, "stationmaster.phone=13900000009")
    assert result.exit_code == 2
    assert f"{scene.edited_file}:{number}:11: `2021-13-05` 不是真实存在的日期" in result.stderr
    assert "提示：改成真实存在的日期 YYYY-MM-DD" in result.stderr
    assert _text(repo, scene.edited_file) == broken
    validated = run_cli("--root", str(repo), "validate", "--as-of", AS_OF, "--format", "json")
    assert ("SCH006", scene.edited_file, number) in {
        (d["code"], d["file"], d["line"]) for d in validated.json()["diagnostics"]
    }
