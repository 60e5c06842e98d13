"""validate's contract (DATA.md): formats, exit codes, root discovery, and the summary of files checked."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import AS_OF, Oracle, copy_repository, run_cli
from yjstation.foundation.errors import ConfigError
from yjstation.loading.schemas import SchemaSet


def yjstation(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real entry point in a child process, for behaviour that lives outside Typer (exit 2, stderr)."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("YJSTATION_ROOT", None) if env is None else None
    return subprocess.run(
        [sys.executable, "-m", "yjstation", *args], cwd=cwd, env=full_env, capture_output=True, text=True, check=False
    )


def test_bundled_data_validates_clean(bundle: Path, oracle: Oracle) -> None:
    """Today, as a county would run it: no errors, and every data file counted (whatever their number)."""
    result = run_cli("--root", str(bundle), "validate", "--no-cache", "--format", "json")
    payload = result.json()
    assert result.exit_code == 0, payload["diagnostics"][:5]
    assert payload["ok"] is True and payload["summary"]["errors"] == 0
    stations = len(oracle.stations)
    operations = len(list((bundle / "data/operations").glob("*/*.yaml")))
    others = len(list((bundle / "data/policy").glob("*.yaml"))) + len(list((bundle / "data").glob("*.yaml")))
    others += len(list((bundle / "data/events").glob("*.yaml")))
    assert payload["summary"]["files"] == stations + operations + others
    assert stations == len({s["id"] for s in oracle.stations.values()}) > 0


def test_text_summary_as_of_the_end_of_2021(bundle: Path, oracle: Oracle) -> None:
    cache = bundle / ".yjstation-cache"
    before = sorted((p.name, p.stat().st_mtime_ns) for p in cache.iterdir()) if cache.exists() else None
    result = run_cli("--root", str(bundle), "validate", "--no-cache", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stdout[-2000:]
    last = result.stdout.strip().splitlines()[-1]
    operations = len(list((bundle / "data/operations").glob("*/*.yaml")))
    assert last.startswith("通过：检查了 ") and "0 个错误" in last
    assert f"站点 {len(oracle.stations)}，" in last and f"月度运营记录 {operations}）" in last
    after = sorted((p.name, p.stat().st_mtime_ns) for p in cache.iterdir()) if cache.exists() else None
    assert after == before  # --no-cache neither reads nor writes it (other tests' reading commands may fill it)


def test_json_diagnostic_shape_and_exit_1(mini_repo: Path) -> None:
    station = mini_repo / "data/stations/pingyuan-mengzhan.yaml"
    station.write_text(
        station.read_text(encoding="utf-8").replace("township: pingyuan", "township: nowhere"), encoding="utf-8"
    )
    result = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1
    payload = result.json()
    assert payload["ok"] is False
    assert set(payload["summary"]) >= {"files", "errors", "warnings"}
    [diag] = [d for d in payload["diagnostics"] if d["code"] == "ST002"]
    assert {"code", "severity", "file", "line", "col", "path", "message"} <= set(diag)
    assert diag["file"] == "data/stations/pingyuan-mengzhan.yaml" and diag["path"] == "township"
    lines = station.read_text(encoding="utf-8").splitlines()
    assert lines[diag["line"] - 1].startswith("township: nowhere") and diag["col"] == 1


def test_github_format(mini_repo: Path) -> None:
    station = mini_repo / "data/stations/pingyuan-mengzhan.yaml"
    station.write_text(
        station.read_text(encoding="utf-8").replace("township: pingyuan", "township: nowhere"), encoding="utf-8"
    )
    result = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "github")
    assert result.exit_code == 1
    [line] = [x for x in result.stdout.splitlines() if "ST002" in x]
    assert line.startswith("::error file=data/stations/pingyuan-mengzhan.yaml,line=")
    assert ",col=1,title=ST002 所属乡镇::" in line


def test_paths_limit_what_is_reported(mini_repo: Path) -> None:
    broken = mini_repo / "data/stations/broken.yaml"
    broken.write_text("id: [\n", encoding="utf-8")
    only = run_cli(
        "--root",
        str(mini_repo),
        "validate",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        str(mini_repo / "data/stations/pingyuan-mengzhan.yaml"),
    )
    assert only.exit_code == 0 and only.json()["summary"]["files"] == 1
    everything = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "json")
    assert everything.exit_code == 1
    assert {d["file"] for d in everything.json()["diagnostics"] if d["severity"] == "error"} == {
        "data/stations/broken.yaml"
    }


def test_root_is_found_from_a_subfolder_and_by_environment(mini_repo: Path) -> None:
    found = yjstation("validate", "--as-of", AS_OF, cwd=mini_repo / "data/stations")
    assert found.returncode == 0, found.stderr
    by_env = yjstation("validate", "--as-of", AS_OF, cwd=mini_repo.parent, env={"YJSTATION_ROOT": str(mini_repo)})
    assert by_env.returncode == 0, by_env.stderr


def test_no_root_exits_2_with_a_message(tmp_path: Path) -> None:
    result = yjstation("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "data/county.yaml" in result.stderr and "Traceback" not in result.stderr


def test_bad_usage_exits_2(mini_repo: Path) -> None:
    assert run_cli("--root", str(mini_repo), "validate", "--as-of", "2021-13-01").exit_code == 2
    assert run_cli("--root", str(mini_repo), "validate", "--format", "xml").exit_code == 2
    missing = yjstation("--root", str(mini_repo), "validate", "no/such/file.yaml", cwd=mini_repo)
    assert missing.returncode == 2 and "路径不存在" in missing.stderr


def test_broken_schema_exits_2(bundle: Path, tmp_path: Path) -> None:
    root = copy_repository(bundle, tmp_path / "repo", stations=[])
    (root / "data/schemas/station.schema.json").write_text("{not json", encoding="utf-8")
    result = yjstation("--root", str(root), "validate", cwd=tmp_path)
    assert result.returncode == 2 and "station.schema.json" in result.stderr and "Traceback" not in result.stderr


def test_a_schema_that_is_json_but_not_json_schema_cannot_run(bundle: Path, tmp_path: Path) -> None:
    """Checked in this process after the bundle's schemas passed, so the suite's once-per-schema
    metaschema check (conftest) is seen to let a changed schema fail."""
    root = copy_repository(bundle, tmp_path / "repo", stations=[])
    SchemaSet.load(root)
    schema = root / "data/schemas/station.schema.json"
    document = json.loads(schema.read_text(encoding="utf-8"))
    document["properties"]["name"]["type"] = "text"
    schema.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"station\.schema\.json .*JSON Schema"):
        SchemaSet.load(root)


def test_help_for_every_command() -> None:
    for command in ("validate", "checklist", "fees", "rules"):
        result = run_cli(command, "--help")
        assert result.exit_code == 0 and "Usage" in result.stdout


def test_json_is_utf8_chinese_not_escapes(mini_repo: Path) -> None:
    station = mini_repo / "data/stations/pingyuan-mengzhan.yaml"
    station.write_text(station.read_text(encoding="utf-8").replace("gender: female", "gender: male"), encoding="utf-8")
    out = run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF, "--format", "json").stdout
    [diag] = [d for d in json.loads(out)["diagnostics"] if d["code"] == "ID006"]
    assert re.search(r"[\u4e00-\u9fff]", diag["message"])
    assert diag["message"] in out and "\\u" not in out  # UTF-8 text, not JSON escapes
