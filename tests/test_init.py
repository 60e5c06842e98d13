"""`yjstation init`: a new county repository that validates at once, and a wheel that carries what init
needs (built here and used from outside the source tree, so the checkout cannot stand in for it)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT, run_cli, source_tree


def init(target: Path, *extra: str) -> None:
    result = run_cli("init", str(target), "--county", "陇川县", "--division-code", "533124", *extra)
    assert result.exit_code == 0, result.stdout + result.stderr


def test_a_new_repository_validates_at_once(bundle: Path, tmp_path: Path) -> None:
    root = tmp_path / "longchuan"
    init(root, "--operator", "陇川县电商服务中心")
    checked = run_cli("--root", str(root), "validate")
    assert checked.exit_code == 0, checked.stdout
    assert run_cli("--root", str(root), "fmt", "--check").exit_code == 0
    county = yaml.safe_load((root / "data/county.yaml").read_text(encoding="utf-8"))
    assert county["county"] == {"name": "陇川县", "division_code": "533124"}
    assert county["operator"] == {"name": "陇川县电商服务中心"} and county["townships"] == []
    assert "id: pingyuan" in (root / "data/county.yaml").read_text(encoding="utf-8")  # the commented example
    assert yaml.safe_load((root / "data/waivers.yaml").read_text(encoding="utf-8")) == {"waivers": []}
    assert (
        yaml.safe_load((root / "data/policy/training.yaml").read_text(encoding="utf-8"))["venue"]
        == "陇川县电商服务中心"
    )
    for folder in ("data/schemas", "templates"):
        shipped = sorted(p.name for p in (bundle / folder).iterdir() if p.is_file())
        assert sorted(p.name for p in (root / folder).iterdir()) == shipped
        assert all((root / folder / name).read_bytes() == (bundle / folder / name).read_bytes() for name in shipped)
    assert sorted(p.name for p in (root / "data/policy").iterdir()) == sorted(
        p.name for p in (bundle / "data/policy").iterdir()
    )
    assert [p.name for p in (root / "data/stations").iterdir()] == [".gitkeep"]
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# 陇川县") and "yjstation validate" in readme


def test_the_precommit_configuration_runs_this_projects_hooks(tmp_path: Path) -> None:
    init(tmp_path / "county")
    config = yaml.safe_load((tmp_path / "county/.pre-commit-config.yaml").read_text(encoding="utf-8"))
    offered = {h["id"]: h for h in yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    hooks = config["repos"][0]["hooks"]
    assert {h["id"] for h in hooks} == set(offered)
    for hook in hooks:
        for key in ("name", "entry", "files", "require_serial"):
            assert hook[key] == offered[hook["id"]][key], (hook["id"], key)


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy/notes.txt").write_text("keep me", encoding="utf-8")
    refused = run_cli("init", str(tmp_path / "busy"), "--county", "陇川县", "--division-code", "533124")
    assert refused.exit_code == 2 and re.search("不是空目录", refused.stderr), refused.stderr
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["notes.txt"]
    refused = run_cli("init", str(tmp_path / "new"), "--county", "陇川县", "--division-code", "5331")
    assert refused.exit_code == 2 and re.search("6 位数字", refused.stderr), refused.stderr
    assert not (tmp_path / "new").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["busy"]
    (tmp_path / "empty").mkdir()
    init(tmp_path / "empty")
    assert (tmp_path / "empty/data/county.yaml").is_file()


@pytest.mark.expensive
def test_the_wheel_carries_what_init_needs_and_init_works_from_it(bundle: Path, tmp_path: Path) -> None:
    source = source_tree(tmp_path / "src", bundle)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(tmp_path / "dist")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp_path / "dist").glob("yjstation-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(PROJECT).as_posix() for p in (PROJECT / "yjstation").rglob("*.py")}
    assert modules <= names, f"modules missing from the wheel (add their package to pyproject.toml): {modules - names}"
    for folder, pattern in (("data/schemas", "*.schema.json"), ("data/policy", "*.yaml"), ("templates", "*")):
        for path in (bundle / folder).glob(pattern):
            assert f"yjstation/_skeleton/{folder}/{path.name}" in names
    assert "yjstation/_skeleton/data/waivers.yaml" in names
    assert not any("/stations/" in n or "/operations/" in n for n in names)

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = textwrap.dedent(
        """
        import sys
        from datetime import date
        from pathlib import Path
        import yjstation
        from yjstation.editing.skeleton import bundled, init_repository
        from yjstation.checking.validate import validate
        assert Path(yjstation.__file__).is_relative_to(sys.argv[1]), yjstation.__file__
        assert Path(str(bundled())).is_relative_to(sys.argv[1]), bundled()
        init_repository(Path(sys.argv[2]), "陇川县", "533124", None, date(2026, 1, 1))
        result = validate(Path(sys.argv[2]), date(2026, 1, 1))
        print(result.ok, result.files)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run(
        [sys.executable, "-c", script, str(site), str(tmp_path / "county")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "7"]
