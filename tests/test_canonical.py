"""`fmt --check` without the round trip where it can: the fast canonical test never says "canonical" for
a file the ruamel.yaml round trip would change (held to it on every bundled and case file and on
mutated ones), recognises every bundled file, and a file seen canonical is not looked at again."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CASES, Oracle, copy_repository, run_cli
from yjstation.editing import formatting
from yjstation.editing.canonical import CanonicalTest
from yjstation.editing.formatting import format_bytes, format_files
from yjstation.loading.repository import data_files, kind_of
from yjstation.loading.schemas import Schema, SchemaSet

MUTATIONS = 400  # each accepted one costs a round trip; thousands were run while writing the test


@pytest.fixture(scope="module")
def schemas(bundle: Path) -> SchemaSet:
    return SchemaSet.load(bundle)


@pytest.fixture(scope="module")
def bundled(bundle: Path) -> list[str]:
    return [rel for rel in data_files(bundle) if kind_of(rel)]


def _unchanged(raw: bytes, rel: str, schema: Schema | None) -> bool:
    result = format_bytes(raw, rel, schema)
    return result.result == raw and not result.diagnostics


def test_every_bundled_file_is_recognised_without_the_round_trip(
    bundle: Path, bundled: list[str], schemas: SchemaSet
) -> None:
    tests: dict[str, CanonicalTest] = {}
    missed = [
        rel
        for rel in bundled
        if not tests.setdefault(kind_of(rel) or "", CanonicalTest(schemas.by_kind.get(kind_of(rel) or "")))(
            (bundle / rel).read_bytes()
        )
    ]
    assert missed == []


def _place(path: Path) -> str:
    """Where a case file goes in a repository: its `# place:` line, or its place under cases/base/."""
    found = re.search(rb"^# place: (\S+?)\r?$", path.read_bytes(), re.MULTILINE)
    return found[1].decode("utf-8") if found else "data/" + path.relative_to(CASES / "base").as_posix()


@pytest.mark.parametrize("by_place", [True, False], ids=["its-schema", "no-schema"])
def test_on_every_case_file_what_it_accepts_the_round_trip_leaves_alone(by_place: bool, schemas: SchemaSet) -> None:
    """Each case file as fmt meets it, with the schema of its place, and with none (a file fmt knows no
    kind for)."""
    for path in sorted(CASES.rglob("*.yaml")):
        schema = schemas.by_kind.get(kind_of(_place(path)) or "") if by_place else None
        raw = path.read_bytes()
        if CanonicalTest(schema)(raw):
            assert _unchanged(raw, path.name, schema), path


# Spellings the round trip changes (found by experiment): the fast test must not call any canonical.
RESPELLED = [
    "\na: 1\n",
    "a:\n- 1\n- 2\n",
    "a: {x: 1,y: 2}\n",
    "a: { x: 1, y: 2 }\n",
    "a: [ 1, 2 ]\n",
    "a:\nb: null\nc: ~\n",
    "e: +5\n",
    "a: True\n",
    "a: one\n  two\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    "a:   1\n",
    "a: 1\r\nb: 2\r\n",
    "a: 1",
    "a: 1\n  \nb: 2\n",
    "a: {b: }\n",
    "a: {b: [1, {c: d}]}\n",
    "a:\n  - - 1\n",
    "t:\n  - {a: 1}\n    # note\n  - {a: 2}  # c\n",
    "t:\n  - [1]\n\n  - {a: 2}  # c\n",
    "t: {issue: -, b: 1}\n",
]


@pytest.mark.parametrize("text", RESPELLED)
def test_what_the_round_trip_would_respell_is_not_called_canonical(text: str) -> None:
    raw = text.encode("utf-8")
    assert not _unchanged(raw, "x.yaml", None)
    assert not CanonicalTest(None)(raw)


def _entries(value: object, path: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], object]]:
    """Every mapping entry with a scalar value, by path."""
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            out += _entries(item, (*path, key)) if isinstance(item, (dict, list)) else [((*path, key), item)]
        return out
    if isinstance(value, list):
        return [entry for index, item in enumerate(value) for entry in _entries(item, (*path, index))]
    return []


def test_an_enum_value_written_by_its_title_is_left_to_the_round_trip(
    bundle: Path, bundled: list[str], schemas: SchemaSet, oracle: Oracle
) -> None:
    """fmt writes an enum value's code for its Chinese title (已办结 -> closed): a file holding a title is
    not canonical, for every kind of enum field the bundle fills in."""
    tried: set[tuple[str, str]] = set()
    for rel in bundled:
        kind = kind_of(rel) or ""
        schema = schemas.by_kind.get(kind)
        text = (bundle / rel).read_text(encoding="utf-8")
        for path, value in _entries(oracle[rel]):
            # (fmt replaces titles of text codes only: phase 1 stays a number however it is written)
            title = schema.choices(path).get(value) if schema is not None and isinstance(value, str) else None
            written = f"{path[-1]}: {value}"
            if not title or (kind, str(path[-1])) in tried or text.count(written) != 1:
                continue
            raw = text.replace(written, f"{path[-1]}: {title}").encode("utf-8")
            assert not CanonicalTest(schema)(raw), (rel, path, title)
            assert not _unchanged(raw, rel, schema), (rel, path, title)
            tried.add((kind, str(path[-1])))
    assert len(tried) >= 3, tried


def test_a_date_that_does_not_exist_is_left_to_the_round_trip() -> None:
    assert CanonicalTest(None)(b"a: 2021-12-05\n")
    assert not CanonicalTest(None)(b"a: 2021-13-05\n")  # the round trip cannot read it: its verdict stands


@pytest.mark.parametrize("day", ["2021-13-05", "2021-02-30", "0000-01-01"])
def test_fmt_names_the_line_of_a_day_that_does_not_exist_and_leaves_the_file(
    bundle: Path, oracle: Oracle, tmp_path: Path, day: str
) -> None:
    """libyaml reads a plain impossible date as text (validate: SCH006 at its line); ruamel.yaml cannot
    read it at all, which once escaped `fmt` as an internal error."""
    village, town = oracle.village_and_its_township()
    root = copy_repository(bundle, tmp_path / "repo", stations=[village, town])
    rel = f"data/stations/{village}.yaml"
    lines = (root / rel).read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("  opened: "))
    lines[number - 1] = f"  opened: {day}"
    broken = "\n".join(lines).replace("name: ", "name:  ", 1)  # and not canonical otherwise either
    (root / rel).write_text(broken, encoding="utf-8")
    for args in (["fmt", "--check"], ["fmt"]):
        result = run_cli("--root", str(root), *args)
        assert result.exit_code == 1, result.stderr
        assert f"{rel}:{number}:11: FMT003 `{day}` 不是真实存在的日期" in result.stderr
        assert "提示：改成真实存在的日期 YYYY-MM-DD" in result.stderr
        assert (root / rel).read_text(encoding="utf-8") == broken
    validated = run_cli("--root", str(root), "validate", "--as-of", "2021-12-31", "--format", "json")
    assert ("SCH006", rel, number) in {(d["code"], d["file"], d["line"]) for d in validated.json()["diagnostics"]}


VALUES = [
    "null", "~", "True", "1e3", "+5", "0o17", "2021/1/5", "2021-1-5", "yes", "x: y", "'a'", "&a x", "*a", "!!str x",
    "|", "- x", "{}", "[]", "[{a: 1}]", "", '"a\\tb"', '"x"', "'x'", "1.50", "007", "-0.5", ".5", "2021-01-05",
    '"2021/1/5"', "true", "0", "x #y", "中文", "a,b", "{a: 1}", "[1, 2]", "{a: [1, {b: 2}]}", "[a, [b]]", "{ a: 1 }",
    "{a: 1,b: 2}", '"13900000000"', "13900000000", "'13900000000'", "x\u3000y", "1_000", "0x1F", ".inf",
    "2021-01-05T10:00:00", "@x", "? x", "<<", "-", ":x", "a  b", '""', "''", "'say \"hi\"'", "2021-02-30",
]  # fmt: skip


def _mutate(text: str, rng: random.Random) -> str:
    """One small edit of the kind people make: a space, a quote, a line moved, a comment, a value."""
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    line = lines[i]
    kind = rng.randrange(12)
    if kind == 0:
        at = rng.randrange(len(text))
        return text[:at] + rng.choice([" ", "", "\n", "#", '"', "'"]) + text[at + rng.choice([0, 1]) :]
    if kind == 1:
        lines.insert(i, rng.choice(["", " ", "# x", "  # x", "      # 中文", line]))
    elif kind == 2 and i + 1 < len(lines):
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    elif kind == 3:
        lines[i] = line + rng.choice([" # c", "  #c  ", "#", " "])
    elif kind == 4 and '"' in line:
        lines[i] = line.replace('"', rng.choice(["'", ""]), rng.choice([1, 2]))
    elif kind in (5, 6) and ": " in line:
        key, _, rest = line.partition(": ")
        parts = rest.split(", ")
        if kind == 6 and len(parts) > 1:
            j = rng.randrange(len(parts))
            name = parts[j].split(": ")[0]
            parts[j] = f"{name}: {rng.choice(VALUES)}" if ": " in parts[j] else rng.choice(VALUES)
            lines[i] = f"{key}: {', '.join(parts)}"
        else:
            lines[i] = f"{key}:{rng.choice([' ', '', '  '])}{rng.choice(VALUES) if kind == 5 else rest}"
    elif kind == 7:
        lines[i] = rng.choice([" ", "  ", ""]) + line if rng.random() < 0.5 else line[1:]
    elif kind == 8:
        same = [j for j, other in enumerate(lines) if other[:1] == line[:1] and other.strip()]
        j = rng.choice(same or [i])
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == 9:
        lines[i] = line.replace("- ", rng.choice(["-  ", "-", "- - "]), 1)
    elif kind == 10:
        lines[i] = line.replace("{", rng.choice(["{ ", "["]), 1).replace(", ", rng.choice([",", " , "]), 1)
    else:
        return rng.choice(["---\n" + text, text + "...\n", "\n" + text, text + "\n# end\n", text.rstrip("\n")])
    return "\n".join(lines)


def test_on_mutated_files_what_it_accepts_the_round_trip_leaves_alone(
    bundle: Path, bundled: list[str], schemas: SchemaSet
) -> None:
    rng = random.Random(18)
    tests: dict[str, CanonicalTest] = {}
    accepted = 0
    for _ in range(MUTATIONS):
        rel = rng.choice(bundled)
        text = (bundle / rel).read_text(encoding="utf-8")
        for _ in range(rng.choice([1, 1, 2, 3])):
            text = _mutate(text, rng)
        kind = kind_of(rel) or ""
        raw = text.encode("utf-8")
        if tests.setdefault(kind, CanonicalTest(schemas.by_kind.get(kind)))(raw):
            accepted += 1
            assert _unchanged(raw, rel, schemas.by_kind.get(kind)), text
    assert accepted > MUTATIONS // 10  # it does say "canonical" for harmless edits (comments, blank lines...)


def test_a_file_seen_canonical_is_not_looked_at_again(
    bundle: Path, oracle: Oracle, schemas: SchemaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    village, town = oracle.village_and_its_township()
    root = copy_repository(bundle, tmp_path / "repo", stations=[village, town])
    files = data_files(root)
    looked: list[int] = []
    real = CanonicalTest.__call__

    def counting(self: CanonicalTest, raw: bytes) -> bool:
        looked.append(len(raw))
        return real(self, raw)

    monkeypatch.setattr(CanonicalTest, "__call__", counting)
    assert format_files(root, files, schemas, write=False).pending == []
    assert len(looked) == len(files)
    looked.clear()
    assert format_files(root, files, schemas, write=False).pending == []
    assert looked == []  # warm: nothing parsed
    record = root / f"data/operations/2021-03/{village}.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("station: ", "station:   ", 1), encoding="utf-8")
    assert format_files(root, files, schemas, write=False).pending == [f"data/operations/2021-03/{village}.yaml"]
    assert len(looked) == 1
    # a schema that orders keys differently makes every station file worth a look again
    schema = json.loads((root / "data/schemas/station.schema.json").read_text(encoding="utf-8"))
    schema["properties"] = dict(reversed(list(schema["properties"].items())))
    (root / "data/schemas/station.schema.json").write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    pending = format_files(root, files, SchemaSet.load(root), write=False).pending
    assert f"data/stations/{village}.yaml" in pending


def test_a_cold_check_of_canonical_files_needs_no_ruamel(bundle: Path, oracle: Oracle, tmp_path: Path) -> None:
    root = copy_repository(bundle, tmp_path / "repo", stations=list(oracle.village_and_its_township()))
    probe = (
        "import sys\nfrom yjstation.cli.app import main\n"
        f"code = main(['--root', {str(root)!r}, 'fmt', '--check'])\n"
        "print(code, 'ruamel' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "False"]


def test_fmt_writes_every_file_or_none(
    bundle: Path, oracle: Oracle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    village, town = oracle.village_and_its_township()
    root = copy_repository(bundle, tmp_path / "repo", stations=[village, town])
    messy = [f"data/stations/{village}.yaml", f"data/stations/{town}.yaml"]
    before = {}
    for rel in messy:
        text = (root / rel).read_text(encoding="utf-8").replace("name: ", "name:  ", 1)
        (root / rel).write_text(text, encoding="utf-8")
        before[rel] = text
    real = formatting.format_bytes

    def racing(raw: bytes, file: str, schema: object) -> object:
        if file == messy[1]:  # someone saves the first file while fmt works on the second
            (root / messy[0]).write_text(before[messy[0]] + "# saved\n", encoding="utf-8")
        return real(raw, file, schema)  # type: ignore[arg-type]

    monkeypatch.setattr(formatting, "format_bytes", racing)
    result = run_cli("--root", str(root), "fmt")
    assert result.exit_code == 1 and messy[0] in result.stderr
    assert (root / messy[1]).read_text(encoding="utf-8") == before[messy[1]]  # not written either
