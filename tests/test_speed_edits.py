"""Edits checked through the cache judge exactly what a full, uncached `validate` reports once the files
are written, including the findings the edit causes (or clears) in files it did not touch; and they
re-check only what the edit can change. (How fast that is lives in bench/, see docs/performance.md.)"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import AS_OF, copy_repository, run_cli
from yjstation.checking import stages
from yjstation.checking.validate import validate
from yjstation.editing.checked_write import check_edit
from yjstation.loading.loader import Document

DAY = date.fromisoformat(AS_OF)
EDITED = "data/stations/pingyuan-mengzhan.yaml"
OTHER = "data/stations/pingyuan-mangyun.yaml"  # stands in 芒允村, untouched by every edit here


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = copy_repository(
        tmp_path / "repo", stations=["pingyuan-mengzhan", "pingyuan-mangyun", "pingyuan-town", "jiucheng-hongyan"]
    )
    validate(root, DAY, cache=True)  # a warm cache, as a clerk's repository has
    return root


def _uncached(root: Path) -> list[tuple[object, ...]]:
    return [_row(d) for d in validate(root, DAY, cache=False).diagnostics]


def _row(d: object) -> tuple[object, ...]:
    return tuple(getattr(d, name) for name in ("code", "file", "line", "col", "path", "message", "hint", "label"))


def _text(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


def test_a_station_edit_that_makes_a_village_clash_with_an_untouched_station(repo: Path) -> None:
    original = _text(repo, EDITED)
    clash = original.replace("village: 勐展村", "village: 芒允村")
    check = check_edit(repo, {EDITED: clash.encode("utf-8")}, DAY)
    (repo / EDITED).write_text(clash, encoding="utf-8")
    full = _uncached(repo)
    assert [_row(d) for d in check.after.diagnostics] == full
    assert {("ST005", EDITED), ("ST005", OTHER)} <= {(d.code, d.file) for d in check.after.diagnostics}
    assert ("ST005", EDITED) in {(d.code, d.file) for d in check.added}  # so the edit is refused

    resolved = check_edit(repo, {EDITED: original.encode("utf-8")}, DAY)  # the edit that clears it again
    (repo / EDITED).write_text(original, encoding="utf-8")
    assert [_row(d) for d in resolved.after.diagnostics] == _uncached(repo)
    assert not any(d.code == "ST005" for d in resolved.after.diagnostics)
    assert not resolved.added


def test_station_set_refuses_the_clash_and_then_clears_one_it_finds(repo: Path) -> None:
    refused = run_cli("--root", str(repo), "station", "set", "pingyuan-mengzhan", "village=芒允村", "--as-of", AS_OF)
    assert refused.exit_code == 2 and "ST005" in refused.stderr
    assert "勐展村" in _text(repo, EDITED)
    # the clash made by hand, seen by a warm validate; then fixed with station set
    (repo / EDITED).write_text(_text(repo, EDITED).replace("village: 勐展村", "village: 芒允村"), encoding="utf-8")
    clashing = run_cli("--root", str(repo), "validate", "--as-of", AS_OF, "--format", "json")
    assert {d["file"] for d in clashing.json()["diagnostics"] if d["code"] == "ST005"} == {EDITED, OTHER}
    fixed = run_cli("--root", str(repo), "station", "set", "pingyuan-mengzhan", "village=勐展村", "--as-of", AS_OF)
    assert fixed.exit_code == 0, fixed.stderr
    cached = run_cli("--root", str(repo), "validate", "--as-of", AS_OF, "--format", "json")
    uncached = run_cli("--root", str(repo), "validate", "--as-of", AS_OF, "--format", "json", "--no-cache")
    assert cached.stdout == uncached.stdout
    assert not any(d["code"] == "ST005" for d in cached.json()["diagnostics"])


def test_closing_a_station_rechecks_only_its_own_records(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str] = []
    real = stages.check

    def counting(doc: Document, kind: str, *args: object) -> object:
        checked.append(doc.file)
        return real(doc, kind, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(stages, "check", counting)
    closed = _text(repo, EDITED).rstrip("\n") + "\nclosed: 2021-06-30\n"
    check = check_edit(repo, {EDITED: closed.encode("utf-8")}, DAY, jobs=1)
    records = {d.file for d in check.after.diagnostics if d.code == "OP004"}
    assert records and all("pingyuan-mengzhan" in rel for rel in records)  # July to December, not operating
    # the edited station and its own records: no other station's records, nothing else
    assert set(checked) == {EDITED} | {rel for rel in checked if rel.endswith("/pingyuan-mengzhan.yaml")}
    assert records <= set(checked)
    (repo / EDITED).write_text(closed, encoding="utf-8")
    assert [_row(d) for d in check.after.diagnostics] == _uncached(repo)


def test_an_operations_edit_and_a_new_station_through_the_cache(repo: Path) -> None:
    record = "data/operations/2021-05/pingyuan-mengzhan.yaml"
    text = _text(repo, record)
    assert "deposits_from_villagers: 0" in text
    changed = text.replace("deposits_from_villagers: 0", "deposits_from_villagers: 5", 1)
    new = "data/stations/pingyuan-extra.yaml"
    copy = _text(repo, OTHER).replace("id: pingyuan-mangyun", "id: pingyuan-extra")
    check = check_edit(repo, {record: changed.encode("utf-8"), new: copy.encode("utf-8")}, DAY)
    (repo / record).write_text(changed, encoding="utf-8")
    (repo / new).write_text(copy, encoding="utf-8")
    assert [_row(d) for d in check.after.diagnostics] == _uncached(repo)
    codes = {(d.code, d.file) for d in check.after.diagnostics}
    assert ("FE007", record) in codes and ("ST005", OTHER) in codes and ("ST005", new) in codes


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
