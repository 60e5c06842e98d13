"""The inspection pack: before a provincial inspection, the whole file of every station in one zip.

For each station its agreement in force, registration form and fee notice (DOCX, and PDF where
LibreOffice is installed); for the county the checklist, the latest monthly report, the roster (masked),
the training record, the validate report and the site; and a MANIFEST with every file's SHA-256, the
data commit and whether the working tree had uncommitted changes.

The pack is reproducible: the same commit and `as_of` give the same bytes. Everything is dated `as_of`
(documents, the site's footer, zip entries), pandoc is run with SOURCE_DATE_EPOCH, and the parts that
carry a clock or a random id anyway (the timestamps inside DOCX and XLSX, LibreOffice's PDF dates and
document id) are set from `as_of` and the content before they are packed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from yjstation import __version__
from yjstation.checking.validate import Result
from yjstation.documents.render import REFERENCE, Job, run_all, to_docx
from yjstation.documents.station import Setting, refusals, station_files
from yjstation.domain.history import station_in_force
from yjstation.foundation.i18n import using_language
from yjstation.foundation.provenance import Provenance, commit_state, data_version
from yjstation.loading.repository import Repository
from yjstation.publish.site import render_site
from yjstation.publish.views import SiteData, gather, latest_month
from yjstation.reports.checklist import Checklist, markdown_page
from yjstation.reports.output import write_docx
from yjstation.roster.export import build as build_roster
from yjstation.roster.export import to_xlsx

STATION_DOCUMENTS = ("agreement", "registration", "fee-notice")


@dataclass
class Pack:
    """The pack's files (path in the zip -> bytes), and what could not be made."""

    files: dict[str, bytes] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    pdf: bool = False


def soffice() -> str | None:
    """LibreOffice's command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def build_pack(repo: Repository, as_of: date, *, pdf: bool | None = None) -> Pack:
    """Every file of the pack for `repo` as of `as_of`. `pdf` None: PDFs when LibreOffice is installed.

    Each document is made by the library call its command makes, with `as_of` as the command's date:
    `render KIND --date AS_OF --format docx` for the stations in force that day (refusing, as render
    does, a document whose fields have errors), `checklist --as-of AS_OF --format docx`, `report monthly
    MONTH --as-of AS_OF --format docx` for the latest month with records, `export roster` (masked) and
    `site --month MONTH --as-of AS_OF`. The pack is a Chinese document whatever the interface language."""
    with using_language("zh"):
        return _build(repo, as_of, pdf)


def _build(repo: Repository, as_of: date, pdf: bool | None) -> Pack:
    root = repo.root
    pack = Pack(pdf=soffice() is not None if pdf is None else pdf)
    commit, dirty = commit_state(root)
    version = data_version(root)
    provenance = Provenance(version, as_of)
    month = latest_month(repo, as_of)
    with tempfile.TemporaryDirectory(prefix="yjstation-pack-") as scratch, _epoch(as_of):
        work = Path(scratch)
        docx: dict[str, Path] = {}
        for name, path in _station_documents(repo, as_of, version, work / "stations", pack):
            docx[name] = path
        county = work / "county"
        county.mkdir()
        site: SiteData | None = gather(repo, month, as_of, as_of) if month else None
        checklist = site.checklist if site else _checklist(repo, as_of)
        labels = repo.schemas["station"].choices(("level",))
        page = markdown_page(
            root / "templates", checklist, site.names.place if site else _county_name(repo), labels, {}
        )
        to_docx(page, county / "checklist.docx", root / REFERENCE, provenance)
        docx["county/checklist.docx"] = county / "checklist.docx"
        if site is not None:
            written = write_docx(site.report, root / "templates", county / "monthly", provenance, site.names)
            pack.failures += written.warnings
            docx[f"county/{written.files[0].name}"] = written.files[0]
        if pack.pdf:
            _add_pdfs(docx, work / "pdf", pack)
        stamp = _stamp(as_of)
        for name, path in docx.items():
            pack.files[name] = normalise_ooxml(path.read_bytes(), stamp)
        roster = build_roster(repo, repo.schemas["station"], as_of, month, reveal=False, version=version, commit=commit)
        pack.files["county/roster.xlsx"] = normalise_ooxml(to_xlsx(roster), stamp)
        pack.files["county/training.xlsx"] = normalise_ooxml(training_record(repo, as_of), stamp)
        validation = site.validation if site else _validate(repo, as_of)
        pack.files["county/validate.json"] = _validate_json(validation, as_of)
        pack.files["county/validate.txt"] = _validate_text(validation)
        if site is not None:
            levels = repo.schemas["station"].choices(("level",))
            for rel, html in render_site(site, levels, version, as_of).items():
                pack.files[f"site/{rel}"] = html.encode("utf-8")
    pack.files["MANIFEST.txt"] = manifest(pack, repo, as_of, commit, dirty)
    return pack


def _station_documents(
    repo: Repository, as_of: date, version: str, folder: Path, pack: Pack
) -> Iterator[tuple[str, Path]]:
    """Each station's three documents as `render KIND --date AS_OF --format docx` makes them, for the
    stations in force on `as_of`; a refusal or a failure is recorded in the pack, not raised."""
    known = station_files(repo)
    chosen = [f for f in known.values() if f.data is None or station_in_force(f.data, as_of)]
    setting = Setting.of(repo, repo.schemas)
    jobs = []
    for kind in STATION_DOCUMENTS:
        refused = refusals(repo, kind, chosen, as_of)
        pack.failures += [f"{sid}：{why}" for sid, why in sorted(refused.items())]
        jobs += [Job(kind, f, "docx", folder / f.id, as_of, version) for f in chosen if f.id not in refused]
    made = []
    for outcome in run_all(setting, jobs):
        if outcome.ok:
            made.append((f"stations/{outcome.job.station.id}/{outcome.job.target.name}", outcome.job.target))
        else:
            pack.failures.append(str(outcome.error))
    yield from sorted(made)


def write_zip(pack: Pack, as_of: date) -> bytes:
    """The zip's bytes: entries sorted, every timestamp `as_of`, the same bytes for the same files."""
    out = io.BytesIO()
    stamp = _stamp(as_of)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(pack.files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, pack.files[name])
    return out.getvalue()


def manifest(pack: Pack, repo: Repository, as_of: date, commit: str | None, dirty: bool) -> bytes:
    lines = [
        f"# {_county_name(repo)}农村电子商务服务站检查材料",
        f"数据提交（commit）：{commit or '无（数据不在 git 仓库中或尚未提交）'}",
        f"工作区有未提交的修改：{'是' if dirty else '否'}",
        f"参照日期：{as_of.isoformat()}",
        f"PDF：{'有（LibreOffice 转换）' if pack.pdf else '无'}",
        f"生成工具：yjstation {__version__}",
        "",
    ]
    if pack.failures:
        lines += ["未能生成：", *(f"- {failure}" for failure in pack.failures), ""]
    lines.append("SHA-256  文件")
    lines += [f"{hashlib.sha256(data).hexdigest()}  {name}" for name, data in sorted(pack.files.items())]
    return ("\n".join(lines) + "\n").encode("utf-8")


def training_record(repo: Repository, as_of: date) -> bytes:
    """Every training session each stationmaster attended by `as_of`, one row each, former stationmasters
    included (their sessions are kept with their tenure), for the stations in force that day."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from yjstation.domain.history import tenures
    from yjstation.domain.training import TrainingPlan
    from yjstation.foundation.records import as_date, as_dict, as_list, as_str

    plan = TrainingPlan.from_data(as_dict(repo.policy["training"].data) if "training" in repo.policy else {})
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "培训记录"
    sheet.append(["站点", "站长", "日期", "期次", "培训内容", "学时（分钟）", "方式", "站点编号"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    modes = repo.schemas["station"].choices(("training", 0, "mode"))
    for doc in sorted(repo.stations, key=lambda d: d.file):
        station = as_dict(doc.data)
        if not station_in_force(station, as_of):
            continue
        for tenure in tenures(station):
            for entry in map(as_dict, as_list(tenure.training)):
                day = as_date(entry.get("date"))
                if day is None or day > as_of:
                    continue
                module = plan.module(as_str(entry.get("module")) or "")
                sheet.append(
                    [
                        as_str(station.get("name")),
                        as_str(tenure.person.get("name")),
                        day,
                        entry.get("phase"),
                        module.name if module else as_str(entry.get("module")),
                        entry.get("minutes"),
                        modes.get(as_str(entry.get("mode")) or "", as_str(entry.get("mode"))),
                        as_str(station.get("id")),
                    ]
                )
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = 'yyyy"年"m"月"d"日"'
    for column, width in zip("ABCDEFGH", (34, 10, 16, 6, 30, 12, 12, 22), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reproducible bytes -----------------------------------------------------------------------------


def _stamp(as_of: date) -> tuple[int, int, int, int, int, int]:
    return (max(as_of.year, 1980), as_of.month, as_of.day, 0, 0, 0)


@contextmanager
def _epoch(as_of: date) -> Iterator[None]:
    """pandoc dates what it writes from SOURCE_DATE_EPOCH when it is set."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC).timestamp()))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def normalise_ooxml(data: bytes, stamp: tuple[int, int, int, int, int, int]) -> bytes:
    """A DOCX or XLSX rewritten with every zip timestamp and the core properties' dates set to `stamp`.
    Anything that is not a zip (a PDF) goes to `normalise_pdf`."""
    if not data.startswith(b"PK"):
        return normalise_pdf(data, stamp)
    moment = "{:04d}-{:02d}-{:02d}T00:00:00Z".format(*stamp[:3]).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(rb"\g<1>" + moment + rb"\g<2>", content)
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            target.writestr(info, content)
    return out.getvalue()


_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\(D:)([0-9]{4,14})")
_PDF_IDS = re.compile(rb"/ID \[ ?<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)> ?\]|/DocChecksum /([0-9A-Fa-f]+)")


def normalise_pdf(data: bytes, stamp: tuple[int, int, int, int, int, int]) -> bytes:
    """LibreOffice's PDF with its creation date set to `stamp` and its document id and checksum taken
    from the content. Every replacement keeps its length, so the cross-reference offsets stay right."""

    digits = "{:04d}{:02d}{:02d}000000".format(*stamp[:3]).encode()

    def date_of(match: re.Match[bytes]) -> bytes:
        return match.group(1) + digits[: len(match.group(2))]

    dated = _PDF_DATE.sub(date_of, data)
    digest = hashlib.sha256(_PDF_IDS.sub(b"", dated)).hexdigest().upper().encode()

    def id_of(match: re.Match[bytes]) -> bytes:
        old = match.group(0)
        for group in (1, 2, 3):
            value = match.group(group)
            if value:
                old = old.replace(value, (digest * 2)[: len(value)])
        return old

    return _PDF_IDS.sub(id_of, dated)


def _add_pdfs(docx: dict[str, Path], folder: Path, pack: Pack) -> None:
    """Convert every DOCX to PDF in one LibreOffice run (starting it costs more than converting)."""
    command = soffice()
    if command is None:
        pack.pdf = False
        return
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "profile"
    sources = {}
    for index, (name, path) in enumerate(sorted(docx.items())):
        copy = folder / f"{index:04d}.docx"  # unique names: stations' files share kinds, not names
        shutil.copyfile(path, copy)
        sources[name] = copy
    done = subprocess.run(
        [
            command,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, sources.values()),
        ],
        capture_output=True,
        check=False,
        timeout=1800,
    )
    for name, copy in sources.items():
        pdf = copy.with_suffix(".pdf")
        if pdf.is_file():
            docx[name.removesuffix(".docx") + ".pdf"] = pdf
        else:
            pack.failures.append(f"{name}：LibreOffice 未能转换为 PDF（{done.returncode}）")


def _validate(repo: Repository, as_of: date) -> Result:
    from yjstation.checking.validate import validate

    return validate(repo.root, as_of, cache=True)


def _checklist(repo: Repository, as_of: date) -> Checklist:
    from yjstation.reports.checklist import build

    return build(repo, as_of)


def _validate_json(result: Result, as_of: date) -> bytes:
    return (json.dumps(result.to_json(as_of), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _validate_text(result: Result) -> bytes:
    severity = {"error": "错误", "warning": "警告", "info": "提示"}
    lines = [
        f"{d.file}:{d.line}:{d.col}  {severity[d.severity.value]} {d.code}  {d.label + '：' if d.label else ''}{d.message}"
        + (f"（已豁免：{d.waived}）" if d.waived else "")
        for d in result.diagnostics
    ]
    lines.append(
        f"{'通过' if result.ok else '未通过'}：检查了 {result.files} 个文件，{result.errors} 个错误，{result.warnings} 个警告"
    )
    return ("\n".join(lines) + "\n").encode("utf-8")


def _county_name(repo: Repository) -> str:
    from yjstation.domain.county import County

    return County.from_data(repo.county.data if repo.county else None).name
