"""The command line as a function: `main(argv) -> int`, the language chosen from the arguments it is
given, and one loading path under every command that reads the repository."""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import AS_OF, run_cli
from yjstation.cli.app import main
from yjstation.domain.county import County


def test_exit_statuses_in_process(mini_repo: Path) -> None:
    assert run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF).exit_code == 0
    station = mini_repo / "data/stations/pingyuan-mengzhan.yaml"
    station.write_text(station.read_text(encoding="utf-8").replace("gender: female", "gender: male"), encoding="utf-8")
    assert run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF).exit_code == 1
    assert run_cli("--root", str(mini_repo), "validate", "--as-of", "yesterday").exit_code == 2
    assert run_cli("--root", str(mini_repo), "no-such-command").exit_code == 2
    assert run_cli("--version").exit_code == 0


def test_help_follows_lang_given_to_main_in_one_process() -> None:
    english = run_cli("--lang", "en", "validate", "--help")
    chinese = run_cli("--lang", "zh", "validate", "--help")
    again = run_cli("--lang", "en", "validate", "--help")
    assert english.exit_code == chinese.exit_code == 0
    assert "Validate the data repository" in english.stdout and "校验数据仓库" not in english.stdout
    assert "校验数据仓库" in chinese.stdout
    assert again.stdout == english.stdout


@pytest.mark.parametrize("command", [["validate"], ["checklist"], ["report", "monthly", "2021-06"], ["rules"]])
def test_an_unknown_lang_is_refused_the_same_way_everywhere(command: list[str]) -> None:
    refused = run_cli("--lang", "fr", *command)
    assert refused.exit_code == 2
    assert "`fr` 不是 zh 或 en" in refused.stderr and "--lang" in refused.stderr


def test_main_reads_the_arguments_it_is_given_not_the_process_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.argv", ["yjstation", "--lang", "en", "validate", "--help"])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--lang", "zh", "rules", "--help"]) == 0
    assert "列出全部诊断代码" in out.getvalue()


@contextlib.contextmanager
def parses_counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every file the YAML loader parses while the block runs."""
    from yjstation.loading import loader

    seen: list[str] = []
    real = loader.load_text  # every parse, from disk or from bytes, comes through here

    def counting(text: str, path: Path, file: str) -> loader.Document:
        seen.append(file)
        return real(text, path, file)

    monkeypatch.setattr(loader, "load_text", counting)
    yield seen


@pytest.mark.parametrize(
    "command",
    [
        ["checklist", "--as-of", AS_OF],
        ["fees", "--month", "2021-03", "--as-of", AS_OF],
        ["report", "monthly", "2021-03", "--format", "json"],
        ["export", "roster", "--month", "2021-03", "--as-of", AS_OF, "--format", "csv", "--out", "{tmp}/r.csv"],
        ["render", "agreement", "pingyuan-mengzhan", "--date", AS_OF, "--out-dir", "{tmp}/out"],
        ["station", "show", "pingyuan-mengzhan"],
    ],
)
def test_reading_commands_read_through_validates_cache(
    command: list[str], mini_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a validate, nothing that reads the repository parses a file again: they all load through
    the engine that validate uses, with its cache."""
    assert run_cli("--root", str(mini_repo), "validate", "--as-of", AS_OF).exit_code == 0
    args = [part.replace("{tmp}", str(tmp_path)) for part in command]
    with parses_counted(monkeypatch) as seen:
        done = run_cli("--root", str(mini_repo), *args)
    assert done.exit_code in (0, 1), done.stderr
    assert seen == []
    shutil.rmtree(mini_repo / ".yjstation-cache")
    with parses_counted(monkeypatch) as seen:
        run_cli("--root", str(mini_repo), *args)
    assert "data/stations/pingyuan-mengzhan.yaml" in seen  # without a cache the files are parsed


def test_the_county_view() -> None:
    county = County.from_data(
        {
            "county": {"name": "盈江县", "division_code": "533123"},
            "operator": {"name": "中心"},
            "targets": {"township_stations": 2, "village_stations": True},
            "townships": [
                {"id": "pingyuan", "name": "平原镇", "villages": [{"name": "勐展村", "poverty": True}, {"x": 1}]},
                {"id": "sudian", "name": "苏典傈僳族乡", "kind": "ethnic_township"},
                {"id": "zhina", "name": "支那乡"},
                {"name": "no id"},
                "not a mapping",
            ],
        }
    )
    assert county.name == "盈江县" and county.operator_name == "中心"
    assert county.targets.township_stations == 2 and county.targets.village_stations is None
    assert [t.kind_label for t in county.townships] == ["镇", "民族乡", "乡"]
    assert county.township_names == {"pingyuan": "平原镇", "sudian": "苏典傈僳族乡", "zhina": "支那乡"}
    pingyuan = county.township("pingyuan")
    assert pingyuan is not None and pingyuan.village("勐展村") is not None and len(pingyuan.villages) == 1
    assert county.find_township("平原镇") is pingyuan and county.find_township("zhina") is county.townships[2]
    assert county.find_township("旧城镇") is None
