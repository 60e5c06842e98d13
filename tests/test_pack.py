"""`yjstation pack`: the inspection pack is complete, its MANIFEST is true, and the same commit and day
give the same bytes."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.conftest import copy_repository, run_cli
from yjstation.publish.pack import normalise_pdf, soffice

AS_OF = "2021-12-31"
STATIONS = ["pingyuan-town", "pingyuan-mengzhan", "zhanxi-zhanxi"]


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@x"
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def committed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repository(tmp_path_factory.mktemp("pack") / "repo", stations=STATIONS)
    (root / ".gitignore").write_text("out/\n.yjstation-cache/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "data")
    return root


def pack(root: Path, target: Path, *extra: str) -> bytes:
    done = run_cli("--root", str(root), "pack", "--as-of", AS_OF, "--out", str(target), "--no-pdf", *extra)
    assert done.exit_code == 0, done.stderr
    return target.read_bytes()


def test_the_pack_is_the_same_bytes_twice_and_its_manifest_is_true(committed: Path, tmp_path: Path) -> None:
    first = pack(committed, tmp_path / "a.zip")
    shutil.rmtree(committed / ".yjstation-cache", ignore_errors=True)  # a cold run too
    second = pack(committed, tmp_path / "b.zip")
    assert first == second
    archive = zipfile.ZipFile(io.BytesIO(first))
    names = set(archive.namelist())
    for station in STATIONS:
        for kind in ("agreement", "registration", "fee-notice"):
            assert f"stations/{station}/{station}-{kind}.docx" in names
    for name in ("county/checklist.docx", "county/roster.xlsx", "county/training.xlsx", "county/validate.json"):
        assert name in names
    assert any(re.fullmatch(r"county/monthly-\d{4}-\d{2}\.docx", n) for n in names)
    assert "site/index.html" in names and f"site/stations/{STATIONS[1]}.html" in names
    assert {info.date_time for info in archive.infolist()} == {(2021, 12, 31, 0, 0, 0)}
    manifest = archive.read("MANIFEST.txt").decode("utf-8")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=committed, capture_output=True, text=True).stdout.strip()
    assert f"数据提交（commit）：{head}" in manifest and "工作区有未提交的修改：否" in manifest
    listed = dict(line.split("  ", 1)[::-1] for line in manifest.splitlines() if re.match(r"[0-9a-f]{64}  ", line))
    assert set(listed) == names - {"MANIFEST.txt"}
    for name, digest in listed.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name


def test_the_pack_masks_the_roster_and_says_when_the_tree_was_dirty(committed: Path, tmp_path: Path) -> None:
    station = committed / "data/stations/pingyuan-mengzhan.yaml"
    original = station.read_text(encoding="utf-8")
    try:
        station.write_text(original + "# a note\n", encoding="utf-8")
        archive = zipfile.ZipFile(io.BytesIO(pack(committed, tmp_path / "dirty.zip")))
    finally:
        station.write_text(original, encoding="utf-8")
    assert "工作区有未提交的修改：是" in archive.read("MANIFEST.txt").decode("utf-8")
    full = re.findall(r'id_number: "(\d{17}[\dX])"', original)
    roster = archive.read("county/roster.xlsx")
    assert full and not any(number.encode() in roster for number in full)
    sheets = zipfile.ZipFile(io.BytesIO(roster))
    assert not any(number in sheets.read(n).decode("utf-8", "replace") for n in sheets.namelist() for number in full)


@pytest.mark.skipif(soffice() is None and not os.environ.get("CI"), reason="LibreOffice is not installed")
def test_two_libreoffice_pdfs_of_one_document_become_the_same_bytes(committed: Path, tmp_path: Path) -> None:
    done = run_cli(
        "--root", str(committed), "render", "fee-notice", "pingyuan-mengzhan", "--format", "docx",
        "--out-dir", str(tmp_path), "--date", AS_OF,
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    command = soffice()
    assert command is not None, "CI must have LibreOffice"
    source = tmp_path / "pingyuan-mengzhan-fee-notice.docx"
    pdfs = []
    for run in ("one", "two"):
        folder = tmp_path / run
        folder.mkdir()
        shutil.copyfile(source, folder / "x.docx")
        subprocess.run(
            [command, f"-env:UserInstallation={(tmp_path / run / 'p').as_uri()}", "--headless",
             "--convert-to", "pdf", "--outdir", str(folder), str(folder / "x.docx")],
            capture_output=True, check=True, timeout=300,
        )  # fmt: skip
        pdfs.append((folder / "x.pdf").read_bytes())
    stamp = (2021, 12, 31, 0, 0, 0)
    one, two = (normalise_pdf(pdf, stamp) for pdf in pdfs)
    assert one == two and len(one) == len(pdfs[0])
    assert b"(D:20211231" in one
    assert normalise_pdf(one, stamp) == one
