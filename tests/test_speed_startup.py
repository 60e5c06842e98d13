"""A command imports what it uses: a warm validate and an edit load no schema library, no Rich for
machine-readable output, no Pydantic, no importlib.metadata; a cold validate of a small repository
adds only what checking needs. (Timings in bench/, see docs/performance.md.)"""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from tests.conftest import AS_OF, Oracle, copy_repository
from yjstation.checking.cache import VERDICT_LIBRARIES, installed_version

NEVER = {"pydantic", "rich", "importlib.metadata", "ruamel", "openpyxl", "jinja2", "docx"}


def _modules(root: Path, *args: str) -> set[str]:
    probe = (
        "import sys\nfrom yjstation.cli.app import main\n"
        f"code = main(['--root', {str(root)!r}, *{list(args)!r}])\n"
        "print(code, ' '.join(sorted(sys.modules)))"
    )
    last = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    out = last.splitlines()[-1].split()
    assert out[0] in ("0", "1"), out[:1]
    return set(out[1:])


@pytest.fixture(scope="module")
def village(oracle: Oracle) -> str:
    """A village station of the bundle with a stationmaster's phone number."""
    return next(
        sid
        for sid, data in oracle.stations.items()
        if data["level"] == "village" and data["stationmaster"].get("phone")
    )


@pytest.fixture
def small(bundle: Path, oracle: Oracle, village: str, tmp_path: Path) -> Path:
    """The village station and its township's station: a small repository."""
    township = oracle.stations[village]["township"]
    town = next(sid for sid, d in oracle.stations.items() if d["level"] == "township" and d["township"] == township)
    return copy_repository(bundle, tmp_path / "repo", stations=[village, town])


def test_a_cold_validate_of_a_small_repository_loads_only_what_checking_needs(small: Path) -> None:
    loaded = _modules(small, "validate", "--as-of", AS_OF, "--format", "json")
    assert not loaded & NEVER
    assert "multiprocessing" not in loaded  # a handful of files is checked in this process
    assert "jsonschema" not in loaded  # the shipped schemas need no metaschema check, valid files no jsonschema
    assert "stdnum" not in loaded  # ID numbers are checked with its table, not its code (domain.cnid)


def test_a_changed_schema_is_still_checked_against_the_metaschema(small: Path) -> None:
    import json

    path = small / "data/schemas/station.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["name"]["maxLength"] = 200  # still a valid schema, but not the shipped bytes
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    assert "jsonschema" in _modules(small, "validate", "--as-of", AS_OF, "--format", "json")
    schema["properties"]["name"]["maxLength"] = "long"
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    probe = f"from yjstation.cli.app import main\nraise SystemExit(main(['--root', {str(small)!r}, 'validate']))"
    refused = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert refused.returncode == 2 and "station.schema.json" in refused.stderr


def test_a_warm_validate_loads_neither_schemas_nor_rules(small: Path) -> None:
    _modules(small, "validate", "--as-of", AS_OF, "--format", "json")
    loaded = _modules(small, "validate", "--as-of", AS_OF, "--format", "json")
    assert not loaded & (NEVER | {"jsonschema", "stdnum", "multiprocessing"})


def test_the_tool_fingerprint_reads_library_versions_as_importlib_metadata_does() -> None:
    for name in (*VERDICT_LIBRARIES, "typer"):
        assert installed_version(name) == metadata.version(name)
    assert installed_version("no-such-distribution-anywhere") == "absent"


def test_an_edit_of_a_phone_number_loads_no_round_trip_no_schema_library(small: Path, village: str) -> None:
    _modules(small, "validate", "--as-of", AS_OF, "--format", "json")  # the cache, as a clerk's repository has
    loaded = _modules(small, "station", "set", village, "stationmaster.phone=13900000009", "--as-of", AS_OF)
    assert not loaded & (NEVER | {"jsonschema", "stdnum", "multiprocessing"})
    assert '"13900000009"' in (small / f"data/stations/{village}.yaml").read_text(encoding="utf-8")
