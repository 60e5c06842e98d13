"""`yjstation pack`: the inspection pack is complete, its documents are the ones the commands make, its
MANIFEST is true, and the same commit and day give the same bytes."""

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
import yaml

from tests.conftest import copy_repository, git, run_cli
from yjstation.publish.pack import normalise_pdf, soffice

pytestmark = pytest.mark.slow  # some 220 documents through pandoc, twice

AS_OF = "2021-12-31"
KINDS = ("agreement", "registration", "fee-notice")


def unsigned(bundle: Path) -> str:
    """A station of the bundle that has no signed agreement yet: its agreement prints with blanks."""
    for path in sorted((bundle / "data/stations").glob("*.yaml")):
        if not (yaml.safe_load(path.read_text(encoding="utf-8")).get("agreement") or {}).get("signed"):
            return path.stem
    raise AssertionError("the bundle has no unsigned station")


@pytest.fixture(scope="module")
def committed(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A git repository of three stations of the bundle (a township's own, a village's, an unsigned one)."""
    stations = ["pingyuan-town", "pingyuan-mengzhan", unsigned(bundle)]
    root = copy_repository(bundle, tmp_path_factory.mktemp("pack") / "repo", stations=stations)
    (root / ".gitignore").write_text("out/\n.yjstation-cache/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "data")
    return root, stations


@pytest.fixture(scope="module")
def packed(committed: tuple[Path, list[str]], tmp_path_factory: pytest.TempPathFactory) -> bytes:
    root, _ = committed
    return pack(root, tmp_path_factory.mktemp("zips") / "a.zip")


def pack(root: Path, target: Path, *extra: str, exit_code: int = 0) -> bytes:
    done = run_cli("--root", str(root), "pack", "--as-of", AS_OF, "--out", str(target), "--no-pdf", *extra)
    assert done.exit_code == exit_code, done.stderr
    return target.read_bytes()


def test_the_pack_is_the_same_bytes_twice_and_its_manifest_is_true(
    committed: tuple[Path, list[str]], packed: bytes, tmp_path: Path
) -> None:
    root, stations = committed
    shutil.rmtree(root / ".yjstation-cache", ignore_errors=True)  # a cold run too
    assert pack(root, tmp_path / "b.zip") == packed
    archive = zipfile.ZipFile(io.BytesIO(packed))
    names = set(archive.namelist())
    assert {n for n in names if n.startswith("stations/")} == {
        f"stations/{station}/{station}-{kind}.docx" for station in stations for kind in KINDS
    }
    for name in ("county/checklist.docx", "county/roster.xlsx", "county/training.xlsx", "county/validate.json",
                 "county/validate.txt", "county/monthly-2021-12.docx", "site/index.html", "site/findings.html"):  # fmt: skip
        assert name in names, name
    assert {f"site/stations/{station}.html" for station in stations} <= names
    assert {info.date_time for info in archive.infolist()} == {(2021, 12, 31, 0, 0, 0)}
    manifest = archive.read("MANIFEST.txt").decode("utf-8")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
    assert f"数据提交（commit）：{head}" in manifest and "工作区有未提交的修改：否" in manifest
    assert "未能生成" not in manifest
    listed = dict(line.split("  ", 1)[::-1] for line in manifest.splitlines() if re.match(r"[0-9a-f]{64}  ", line))
    assert set(listed) == names - {"MANIFEST.txt"}
    for name, digest in listed.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name


def docx_text(data: bytes) -> str:
    """A DOCX's body, with the generation date of the small print (reports carry one) left out."""
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    return re.sub(r"生成日期：\d{4}-\d{2}-\d{2}", "生成日期：…", body)


def test_the_documents_are_the_ones_the_commands_make(
    committed: tuple[Path, list[str]], packed: bytes, tmp_path: Path
) -> None:
    root, stations = committed
    archive = zipfile.ZipFile(io.BytesIO(packed))
    for kind in KINDS:
        done = run_cli("--root", str(root), "render", kind, *stations, "--format", "docx", "--date", AS_OF,
                       "--out-dir", str(tmp_path))  # fmt: skip
        assert done.exit_code == 0, done.stderr
        for station in stations:
            made = (tmp_path / f"{station}-{kind}.docx").read_bytes()
            assert docx_text(archive.read(f"stations/{station}/{station}-{kind}.docx")) == docx_text(made)
    done = run_cli("--root", str(root), "checklist", "--as-of", AS_OF, "--format", "docx", "--out-dir", str(tmp_path))
    assert done.exit_code == 0, done.stderr
    made = (tmp_path / f"checklist-{AS_OF}.docx").read_bytes()
    assert docx_text(archive.read("county/checklist.docx")) == docx_text(made)
    done = run_cli("--root", str(root), "report", "monthly", "2021-12", "--as-of", AS_OF, "--format", "docx",
                   "--out-dir", str(tmp_path))  # fmt: skip
    assert done.exit_code == 0, done.stderr
    made = (tmp_path / "monthly-2021-12.docx").read_bytes()
    assert docx_text(archive.read("county/monthly-2021-12.docx")) == docx_text(made)
    # The agreement in force on the day: the renewal signed after it is not printed.
    agreement = docx_text(archive.read("stations/pingyuan-mengzhan/pingyuan-mengzhan-agreement.docx"))
    data = yaml.safe_load((root / "data/stations/pingyuan-mengzhan.yaml").read_text(encoding="utf-8"))
    assert data["agreement"]["number"] in agreement
    assert all(r["number"] not in agreement for r in data["agreement"].get("renewals", []))


def test_the_pack_masks_the_roster_refuses_a_broken_document_and_says_the_tree_was_dirty(
    committed: tuple[Path, list[str]], tmp_path: Path
) -> None:
    root, _ = committed
    station = root / "data/stations/pingyuan-mengzhan.yaml"
    original = station.read_text(encoding="utf-8")
    try:  # the registration form needs the education of a stationmaster whose application is in
        station.write_text(re.sub(r"\n  education: .*", "", original, count=1), encoding="utf-8")
        archive = zipfile.ZipFile(io.BytesIO(pack(root, tmp_path / "dirty.zip", exit_code=1)))
    finally:
        station.write_text(original, encoding="utf-8")
    manifest = archive.read("MANIFEST.txt").decode("utf-8")
    assert "工作区有未提交的修改：是" in manifest
    assert "未能生成：" in manifest and "pingyuan-mengzhan" in manifest and "education" in manifest
    names = set(archive.namelist())
    assert "stations/pingyuan-mengzhan/pingyuan-mengzhan-registration.docx" not in names
    assert "stations/pingyuan-mengzhan/pingyuan-mengzhan-agreement.docx" in names
    full = re.findall(r'(?:id_number|phone): "(\d{17}[\dX]|\d{11})"', original)
    assert full
    for name in ("county/roster.xlsx", "county/training.xlsx", "county/validate.json", "county/validate.txt"):
        data = archive.read(name)
        texts = [data.decode("utf-8", "replace")]
        if name.endswith(".xlsx"):
            sheets = zipfile.ZipFile(io.BytesIO(data))
            texts = [sheets.read(n).decode("utf-8", "replace") for n in sheets.namelist()]
        assert not any(number in text for text in texts for number in full), name


@pytest.mark.skipif(soffice() is None and not os.environ.get("CI"), reason="LibreOffice is not installed")
def test_two_libreoffice_pdfs_of_one_document_become_the_same_bytes(
    committed: tuple[Path, list[str]], tmp_path: Path
) -> None:
    root, _ = committed
    done = run_cli(
        "--root", str(root), "render", "fee-notice", "pingyuan-mengzhan", "--format", "docx",
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
