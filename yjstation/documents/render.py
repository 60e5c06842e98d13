"""Turning documents into files: Markdown as rendered, DOCX through pandoc with the repository's
templates/reference.docx, every file replaced atomically, many stations across worker processes.

A document either appears whole or not at all: each is written to a temporary file in the output folder,
flushed and synced, then renamed over the old one, so a crash or a full disk never leaves a half-written
contract where a good one stood. One station's failure is that station's outcome, never the run's.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
from multiprocessing import get_context
from pathlib import Path

from yjstation.documents.station import DocumentError, Setting, StationFile, render_markdown
from yjstation.foundation.atomic import replace_with
from yjstation.foundation.i18n import Language, language, set_language, tr
from yjstation.foundation.provenance import Provenance

FORMATS = ("md", "docx")
REFERENCE = "templates/reference.docx"
# east_asian_line_breaks: a line break between two Chinese characters is not a space;
# no smart quotes: the plan's own “” are already typographic and ASCII quotes in data stay as typed.
PANDOC_FROM = "markdown+east_asian_line_breaks-smart"
# Pandoc takes a pipe table's column widths from its dashes (three each, as templates write them) once
# any of its lines is longer than --columns; docx_layout sizes such columns from their contents instead,
# so the limit is set far beyond any table row. Grid tables, whose widths a form states on purpose, are
# measured against the same number: at 1000 their proportions still come through to the twip.
PANDOC_COLUMNS = "--columns=1000"


@dataclass(frozen=True)
class Job:
    """One document to make. Plain values only, so it crosses to a worker process."""

    kind: str
    station: StationFile
    fmt: str
    out_dir: Path
    on: date
    version: str  # the data's commit, recorded in the document's properties and a Markdown comment

    @property
    def target(self) -> Path:
        return self.out_dir / f"{self.station.id}-{self.kind}.{self.fmt}"


@dataclass(frozen=True)
class Outcome:
    job: Job
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


_SETTING: list[Setting] = []  # the run's setting, in this process or in each worker


def _start(setting: Setting, lang: Language) -> None:
    """Worker initialiser: the shared setting and the caller's language, once per process."""
    set_language(lang)
    _SETTING[:] = [setting]


def run(job: Job) -> Outcome:
    """Make one document; any failure becomes the outcome's error and leaves no file behind."""
    setting = _SETTING[0]
    try:
        provenance = Provenance(job.version, job.on)
        text = render_markdown(setting, job.kind, job.station, job.on, provenance.line)
        job.out_dir.mkdir(parents=True, exist_ok=True)
        if job.fmt == "md":
            replace_with(job.target, lambda tmp: tmp.write_bytes(text.encode("utf-8")))
        else:
            reference = setting.root / REFERENCE
            replace_with(job.target, lambda tmp: to_docx(text, tmp, reference, provenance))
    except DocumentError as exc:
        return Outcome(job, tr("{station}：{error}", "{station}: {error}", station=job.station.id, error=exc))
    except (OSError, RuntimeError) as exc:  # pypandoc reports pandoc's own failures as RuntimeError
        return Outcome(
            job,
            tr(
                "{station}：无法写出 {name}：{error}",
                "{station}: cannot write {name}: {error}",
                station=job.station.id,
                name=job.target.name,
                error=exc,
            ),
        )
    except Exception as exc:  # a defect must cost one document, not the other seventy-two
        return Outcome(
            job,
            tr(
                "{station}：内部错误 {kind}: {error}",
                "{station}: internal error {kind}: {error}",
                station=job.station.id,
                kind=type(exc).__name__,
                error=exc,
            ),
        )
    return Outcome(job)


def run_all(setting: Setting, jobs: list[Job], workers: int | None = None) -> Iterator[Outcome]:
    """Outcomes in the order they finish. DOCX jobs go to a pool of worker processes, one per core by
    default: pandoc costs about 0.1 s a document, so this is what makes `--all` fast. Markdown stays in
    this process, where all 73 documents take under a second, less than starting the workers would."""
    workers = workers or os.cpu_count() or 1
    if len(jobs) <= 2 or workers == 1 or all(job.fmt == "md" for job in jobs):
        _SETTING[:] = [setting]
        yield from map(run, jobs)
        return
    # spawn, not fork: the caller may run threads (a progress bar), and forking those is unsafe.
    with ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)),
        mp_context=get_context("spawn"),
        initializer=_start,
        initargs=(setting, language()),
    ) as pool:
        futures = [pool.submit(run, job) for job in jobs]
        for future in as_completed(futures):
            yield future.result()


def to_docx(
    markdown: str,
    target: Path,
    reference: Path,
    provenance: Provenance | None = None,
    resources: Path | None = None,
) -> None:
    """Convert Markdown to DOCX at `target` with the reference document's styles and page setup, lay it
    out for print (docx_layout) and record `provenance` in its document properties. Images named
    relatively are looked up in `resources` (an absolute path would be written into the DOCX)."""
    import pypandoc

    from yjstation.documents.docx_layout import finish

    if not reference.is_file():
        raise DocumentError(
            tr(
                "缺少 {reference}；运行 python scripts/make_reference_docx.py 生成",
                "{reference} is missing; run python scripts/make_reference_docx.py to make it",
                reference=REFERENCE,
            )
        )
    properties = provenance.properties if provenance is not None else {}
    pypandoc.convert_text(
        markdown,
        "docx",
        format=PANDOC_FROM,
        outputfile=str(target),
        extra_args=["--reference-doc", str(reference), PANDOC_COLUMNS]
        + (["--resource-path", str(resources)] if resources is not None else [])
        + [f"--metadata={name}={value}" for name, value in properties.items()],
        verify_format=False,  # the check runs pandoc twice more per document to list its formats
    )
    finish(target, provenance.on if provenance else None, provenance.line if provenance else "")
