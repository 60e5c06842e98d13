"""A roster re-imported after the repository moved on: fields changed since the export are not reverted.

The roster's notes sheet records the commit it was exported from; the import compares each cell that
differs from the station file with the file at that commit.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import copy_repository, git, run_cli

STATION = "pingyuan-mengzhan"


@pytest.fixture
def repo(bundle: Path, tmp_path: Path) -> Path:
    root = copy_repository(bundle, tmp_path / "repo", stations=[STATION, "pingyuan-town", "pingyuan-fulian"])
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "bundle")
    return root


def export(root: Path, target: Path) -> tuple[Any, Any, dict[str, int], dict[str, int]]:
    from openpyxl import load_workbook

    result = run_cli("--root", str(root), "export", "roster", "--as-of", "2021-12-31", "--out", str(target))
    assert result.exit_code == 0, result.stderr
    book = load_workbook(io.BytesIO(target.read_bytes()))
    page = book["花名册"]
    header = {cell.value: cell.column for cell in page[1]}
    rows = {page.cell(r, 1).value: r for r in range(2, page.max_row + 1)}
    return book, page, header, rows


def host_name(root: Path, sid: str = STATION) -> str:
    return str(yaml.safe_load((root / f"data/stations/{sid}.yaml").read_text(encoding="utf-8"))["host"]["name"])


def rename_host(root: Path, name: str) -> None:
    result = run_cli("--root", str(root), "station", "set", STATION, f"host.name={name}", "--as-of", "2021-12-31")
    assert result.exit_code == 0, result.stderr
    git(root, "commit", "-qam", f"host {name}")


def test_the_notes_sheet_records_the_commit(repo: Path, tmp_path: Path) -> None:
    book, *_ = export(repo, tmp_path / "roster.xlsx")
    notes = dict(book["说明"].iter_rows(min_col=1, max_col=2, values_only=True))
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    assert notes["数据提交"] == head


def test_an_unedited_cell_never_reverts_a_later_edit(repo: Path, tmp_path: Path) -> None:
    exported = host_name(repo)
    book, page, header, rows = export(repo, tmp_path / "roster.xlsx")
    rename_host(repo, "勐展供销便民店")
    page.cell(rows["pingyuan-town"], header["站点地址"]).value = "盈江县平原镇新街1号"  # another edit, elsewhere
    book.save(tmp_path / "roster.xlsx")
    before = (repo / f"data/stations/{STATION}.yaml").read_bytes()
    result = run_cli("--root", str(repo), "import", "roster", str(tmp_path / "roster.xlsx"), "--apply")
    assert result.exit_code == 0, result.stderr
    assert host_name(repo) == "勐展供销便民店"  # not reverted to the exported name
    assert (repo / f"data/stations/{STATION}.yaml").read_bytes() == before  # nothing written to it at all
    assert (
        f"{STATION}：依托网点 › 网点名称 在导出后已在仓库中改为“勐展供销便民店”（导出时为“{exported}”）"
        in result.stdout
    )
    assert "保留仓库中的值" in result.stdout
    town = yaml.safe_load((repo / "data/stations/pingyuan-town.yaml").read_text(encoding="utf-8"))
    assert town["site"]["address"] == "盈江县平原镇新街1号"


def test_a_field_changed_on_both_sides_is_a_conflict_until_settled(repo: Path, tmp_path: Path) -> None:
    exported = host_name(repo)
    target = tmp_path / "roster.xlsx"
    book, page, header, rows = export(repo, target)
    rename_host(repo, "勐展供销便民店")
    page.cell(rows[STATION], header["依托网点名称"]).value = "勐展电商便民店"
    page.cell(rows["pingyuan-town"], header["站点地址"]).value = "盈江县平原镇新街1号"
    book.save(target)
    files = [repo / f"data/stations/{sid}.yaml" for sid in (STATION, "pingyuan-town")]
    before = [path.read_bytes() for path in files]
    result = run_cli("--root", str(repo), "import", "roster", str(target), "--apply")
    assert result.exit_code == 1
    column = page.cell(1, header["依托网点名称"]).column_letter
    assert f"冲突 花名册!{column}{rows[STATION]}" in result.stderr
    assert f"导出时为“{exported}”，之后仓库改为“勐展供销便民店”，表中改为“勐展电商便民店”" in result.stderr
    assert "没有写入任何文件" in result.stderr and "--take-sheet" in result.stderr
    assert [path.read_bytes() for path in files] == before
    kept = run_cli("--root", str(repo), "import", "roster", str(target), "--keep-repo", "--apply")
    assert kept.exit_code == 0, kept.stderr
    assert host_name(repo) == "勐展供销便民店" and files[1].read_bytes() != before[1]
    taken = run_cli("--root", str(repo), "import", "roster", str(target), "--take-sheet", "host_name", "--apply")
    assert taken.exit_code == 0, taken.stderr
    assert host_name(repo) == "勐展电商便民店"
    both = run_cli("--root", str(repo), "import", "roster", str(target), "--take-sheet", "依托网点名称", "--keep-repo")
    assert both.exit_code == 2


def test_a_fresh_export_imports_as_no_change(repo: Path, tmp_path: Path) -> None:
    rename_host(repo, "勐展供销便民店")
    export(repo, tmp_path / "roster.xlsx")
    result = run_cli("--root", str(repo), "import", "roster", str(tmp_path / "roster.xlsx"))
    assert result.exit_code == 0 and "0 个站点有改动" in result.stdout and "冲突" not in result.stderr


def test_a_sheet_from_another_copy_is_refused(repo: Path, tmp_path: Path) -> None:
    book, *_ = export(repo, tmp_path / "roster.xlsx")
    notes = book["说明"]
    for row in notes.iter_rows(min_col=1, max_col=2):
        if row[0].value == "数据提交":
            row[1].value = "0" * 40
    book.save(tmp_path / "roster.xlsx")
    result = run_cli("--root", str(repo), "import", "roster", str(tmp_path / "roster.xlsx"))
    assert result.exit_code == 2 and "不在本仓库中" in result.stderr


def test_a_sheet_without_a_commit_still_imports_with_a_warning(bundle: Path, tmp_path: Path) -> None:
    root = copy_repository(bundle, tmp_path / "plain", stations=[STATION])  # not a git repository
    book, page, header, rows = export(root, tmp_path / "roster.xlsx")
    page.cell(rows[STATION], header["依托网点名称"]).value = "勐展电商便民店"
    book.save(tmp_path / "roster.xlsx")
    result = run_cli("--root", str(root), "import", "roster", str(tmp_path / "roster.xlsx"), "--apply")
    assert result.exit_code == 0, result.stderr
    assert "没有记录导出时的数据提交" in result.stderr and host_name(root) == "勐展电商便民店"
