"""Speed without a change in what is found: the cache, the worker processes and the schema gate are
invisible in validate's output, the cache never hides a finding, and heavy modules load only when used.

These are behaviour tests; the timings live in bench/ (see docs/performance.md).
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import AS_OF, CASES, PROJECT, copy_repository, run_cli
from yjstation.checking.cache import CACHE_DIR
from yjstation.checking.validate import validate


def _json(root: Path, *args: str, as_of: str = AS_OF) -> tuple[int, Any]:
    result = run_cli("--root", str(root), "validate", "--as-of", as_of, "--format", "json", *args)
    return result.exit_code, result.json()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def flawed(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole bundled repository (over 500 files, so two jobs really use workers) with findings of
    every stage: schema, per-file rules, rules that look up other files, and repository-wide rules."""
    root = copy_repository(bundle, tmp_path_factory.mktemp("perf") / "repo")
    stations, operations = root / "data/stations", root / "data/operations"
    _edit(stations / "pingyuan-mengzhan.yaml", "village: 勐盏村", "village: 勐町村")  # ST005 on two files
    _edit(stations / "pingyuan-mengzhan.yaml", '"533123101202"', '"533123101201"')  # (勐町村's code)
    _edit(stations / "pingyuan-xinghe.yaml", "broadband: true", "broadband: false")  # ST008
    _edit(stations / "jiucheng-jiucheng.yaml", "level: village", "level: hamlet")  # SCH003
    _edit(operations / "2021-03/pingyuan-mengzhan.yaml", "station: pingyuan-mengzhan", "station: pingyuan-nowhere")
    _edit(operations / "2021-05/pingyuan-xinghe.yaml", "deposits_from_villagers: 0", "deposits_from_villagers: 5")
    (root / "data/stations/broken.yaml").write_text("id: [\n", encoding="utf-8")  # YAML001
    return root


@pytest.mark.expensive
def test_output_is_the_same_with_or_without_cache_and_workers(flawed: Path) -> None:
    shutil.rmtree(flawed / CACHE_DIR, ignore_errors=True)
    code, plain = _json(flawed, "--no-cache", "--jobs", "1")
    assert code == 1
    assert {d["code"] for d in plain["diagnostics"]} >= {"ST005", "ST008", "SCH003", "OP001", "FE007", "YAML001"}
    assert not (flawed / CACHE_DIR).exists(), "--no-cache must not write a cache"
    assert _json(flawed, "--no-cache", "--jobs", "2") == (code, plain)  # workers, no cache
    assert _json(flawed, "--jobs", "2") == (code, plain)  # workers filling the cache
    assert (flawed / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")
    assert _json(flawed, "--jobs", "2") == (code, plain)  # served from the cache
    assert _json(flawed, "--jobs", "1") == (code, plain)
    text = [
        run_cli("--root", str(flawed), "validate", "--as-of", AS_OF, *extra).stdout for extra in ([], ["--no-cache"])
    ]
    assert text[0] == text[1]


def test_a_new_as_of_rechecks_what_depends_on_the_date(flawed: Path) -> None:
    _json(flawed)  # fill the cache as of AS_OF
    assert _json(flawed, as_of="2020-09-01") == _json(flawed, "--no-cache", as_of="2020-09-01")


@pytest.fixture
def mini(bundle: Path, tmp_path: Path) -> Path:
    return copy_repository(
        bundle, tmp_path / "repo", stations=["pingyuan-mengzhan", "pingyuan-town", "jiucheng-jiucheng"]
    )


def _codes(root: Path) -> list[tuple[str, str]]:
    result = validate(root, date.fromisoformat(AS_OF), cache=True)
    return [(d.code, d.file) for d in result.diagnostics]


def test_an_edit_invalidates_the_cache(mini: Path) -> None:
    root = mini
    station = root / "data/stations/pingyuan-mengzhan.yaml"
    clean = _codes(root)
    assert _codes(root) == clean
    number = re.search(r'id_number: "([0-9X]+)"', station.read_text(encoding="utf-8"))[1]  # type: ignore[index]
    wrong = number[:-1] + ("1" if number[-1] == "0" else "0")
    _edit(station, f'id_number: "{number}"', f'id_number: "{wrong}"')
    assert ("ID002", "data/stations/pingyuan-mengzhan.yaml") in _codes(root)
    _edit(station, f'id_number: "{wrong}"', f'id_number: "{number}"')
    assert _codes(root) == clean


def test_a_station_edit_rechecks_the_records_that_look_it_up(mini: Path) -> None:
    root = mini
    assert not any(code == "OP001" for code, _ in _codes(root))
    (root / "data/stations/jiucheng-jiucheng.yaml").rename(root / "data/stations/jiucheng-jiucheng.yaml.bak")
    assert ("OP001", "data/operations/2021-03/jiucheng-jiucheng.yaml") in _codes(root)


def test_a_schema_change_invalidates_the_cache(mini: Path, bundle: Path) -> None:
    root = mini
    clean = _codes(root)
    schema = root / "data/schemas/station.schema.json"
    document = json.loads(schema.read_text(encoding="utf-8"))
    document["properties"]["name"]["maxLength"] = 3
    schema.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert len([c for c in _codes(root) if c[0] == "SCH009"]) == 3
    shutil.copy2(bundle / "data/schemas/station.schema.json", schema)
    assert _codes(root) == clean


def test_a_policy_change_invalidates_the_cache(mini: Path, bundle: Path) -> None:
    root = mini
    clean = _codes(root)
    _edit(root / "data/policy/fees.yaml", "per_order_max: 2.00", "per_order_max: 0.50")
    changed = _codes(root)
    assert {"FE001", "FE003"} <= {code for code, _ in changed}
    assert changed == [(d.code, d.file) for d in validate(root, date.fromisoformat(AS_OF)).diagnostics]
    shutil.copy2(bundle / "data/policy/fees.yaml", root / "data/policy/fees.yaml")
    assert _codes(root) == clean


def test_progress_is_reported_up_to_every_file(mini_repo: Path) -> None:
    seen: list[tuple[int, int]] = []
    validate(mini_repo, date.fromisoformat(AS_OF), progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1] and all(a[0] <= b[0] for a, b in itertools.pairwise(seen))


def _modules_after(code: str, cwd: Path) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


HEAVY = {"jsonschema", "ruamel", "jinja2", "rich", "openpyxl", "docx", "pypandoc"}


def test_help_costs_little_more_than_typer() -> None:
    typer_alone = _modules_after("import typer", PROJECT)
    helped = _modules_after("from yjstation.cli.app import main\nassert main(['--help']) == 0", PROJECT)
    assert not (helped - typer_alone) & HEAVY


def test_a_warm_run_needs_no_schema_library_no_yaml_fallback_and_no_rules(mini: Path, tmp_path: Path) -> None:
    root = mini
    call = f"from datetime import date\nfrom pathlib import Path\nfrom yjstation.checking.validate import validate\nvalidate(Path({str(root)!r}), date(2021, 12, 31), cache=True)"
    cold = _modules_after(call, tmp_path)
    assert "ruamel" not in cold  # valid files never need ruamel.yaml (nor jsonschema: test_speed_startup)
    warm = _modules_after(call, tmp_path)
    assert not warm & {"jsonschema", "ruamel", "stdnum"}  # stdnum comes with the rules


def test_the_yaml12_table_is_ruamel_yamls() -> None:
    from ruamel.yaml.resolver import implicit_resolvers

    from yjstation.loading.loader import YAML12_RESOLVERS

    theirs = [
        (tag, regexp.pattern, tuple(first)) for versions, tag, regexp, first in implicit_resolvers if (1, 2) in versions
    ]
    assert list(YAML12_RESOLVERS) == theirs


def _documents(bundle: Path) -> list[tuple[str, Any]]:
    """Every bundled and test-case file, loaded, with its kind."""
    from yjstation.loading.loader import load_file
    from yjstation.loading.repository import data_files, kind_of

    out = []
    for rel in data_files(bundle):
        kind = kind_of(rel)
        if kind is not None:
            out.append((kind, load_file(bundle / rel, rel).data))
    for path in sorted(CASES.rglob("*.yaml")):
        data = load_file(path, path.name).data
        if isinstance(data, dict):
            out.append(("operations" if "station" in data else "station", data))
    return out


@pytest.mark.expensive
def test_the_schema_gate_agrees_with_jsonschema_on_every_file(bundle: Path) -> None:
    from yjstation.foundation.sourcemap import SourceMap
    from yjstation.loading.loader import Document
    from yjstation.loading.schemas import SchemaSet

    schemas = SchemaSet.load(bundle)
    for schema in schemas.by_kind.values():
        list(schema.check(Document("x", Path("x"), {}, SourceMap())))  # builds the gate
    rejected = 0
    for kind, data in _documents(bundle):
        schema = schemas[kind]
        assert schema.gate is not None, f"the {kind} schema has no gate"
        valid = not list(schema.full_validator().iter_errors(data))
        assert schema.gate(data) == valid, (kind, data)
        rejected += not valid
    assert rejected >= 5  # the case files do exercise the rejecting side
