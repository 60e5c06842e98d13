"""Writing a summary out: JSON (money as strings), Markdown with its charts, and DOCX from that Markdown.

Every file of one summary is made in a hidden folder inside the output folder and moved into place
together, so a full disk, a read-only folder or a failing converter leaves no half-written set; a
template error stops the run before anything is written.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from yjstation.documents.markdown import render_page
from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import tr
from yjstation.foundation.provenance import Provenance
from yjstation.reports import charts
from yjstation.reports.printing import PrintNames, filters


def to_json(report: dict[str, Any]) -> str:
    """Decimals become strings (money keeps its two decimals), never floats."""
    return json.dumps(report, ensure_ascii=False, indent=2, default=_plain) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


@dataclass
class Written:
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def stem(report: dict[str, Any]) -> str:
    suffix = f"-{report['township']}" if report.get("township") else ""
    return f"{report['kind']}-{report['period']}{suffix}"


def write_markdown(
    report: dict[str, Any], templates: Path, out_dir: Path, provenance: Provenance, names: PrintNames
) -> Written:
    """The summary's Markdown and its PNG charts in `out_dir`; returns the files and any warnings."""
    images = _chart_names(report)
    text = render(report, templates, images, provenance, names)  # a template error stops here, before any write

    def make(staging: Path, written: Written) -> list[str]:
        _charts(report, staging, images, written)
        (staging / f"{stem(report)}.md").write_bytes(text.encode("utf-8"))
        return [f"{stem(report)}.md", *images.values()]

    return _publish(out_dir, make)


def write_docx(
    report: dict[str, Any], templates: Path, out_dir: Path, provenance: Provenance, names: PrintNames
) -> Written:
    """The same Markdown converted by pandoc with the repository's reference.docx, charts embedded."""
    from yjstation.documents.render import to_docx
    from yjstation.documents.station import DocumentError

    images = _chart_names(report)
    text = render(report, templates, images, provenance, names)  # a template error stops here, before any write

    def make(staging: Path, written: Written) -> list[str]:
        _charts(report, staging, images, written)
        try:
            # Charts by name, found through pandoc's resource path: an absolute path would end up in the
            # DOCX (as the pictures' description), naming a folder of this machine.
            to_docx(text, staging / f"{stem(report)}.docx", templates / "reference.docx", provenance, staging)
        except (DocumentError, RuntimeError) as exc:  # no reference.docx; pandoc's own failure
            raise CannotRun(str(exc)) from None
        return [f"{stem(report)}.docx", *images.values()]

    return _publish(out_dir, make)


def _publish(out_dir: Path, make: Callable[[Path, Written], list[str]]) -> Written:
    """Make every file in a hidden folder inside `out_dir`, then move them into place together.
    CannotRun (exit 2) with a plain message when the folder cannot be written."""
    written = Written()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".yjstation-", suffix=".tmp", dir=out_dir))
    except OSError as exc:
        raise CannotRun(_cannot_write(out_dir, exc)) from None
    try:
        made = make(staging, written)
        for name in made:
            os.replace(staging / name, out_dir / name)
    except OSError as exc:
        raise CannotRun(_cannot_write(out_dir, exc)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    written.files = [out_dir / name for name in made]
    return written


def _cannot_write(folder: Path, exc: OSError) -> str:
    return tr(
        "无法写入 {folder}：{why}；没有写出任何文件",
        "cannot write to {folder}: {why}; no file was written",
        folder=folder,
        why=exc.strerror or exc,
    )


def render(
    report: dict[str, Any], templates: Path, images: dict[str, str], provenance: Provenance, names: PrintNames
) -> str:
    """The report's Markdown. Templates get the report as `r`, `names` for ids and titles, Chinese date
    and number filters, and the provenance as the small print under the report and as a comment."""
    page = render_page(
        templates,
        f"report-{report['kind']}.md.j2",
        jinja_filters=filters(names),
        r=report,
        images=images,
        provenance=provenance.line,
        names=names,
    )
    return page + provenance.comment + "\n"


def _chart_names(report: dict[str, Any]) -> dict[str, str]:
    if report["kind"] != "monthly":
        return {}
    return {"orders": f"{stem(report)}-orders.png", "funnel": f"{stem(report)}-funnel.png"}


def _charts(report: dict[str, Any], folder: Path, names: dict[str, str], written: Written) -> None:
    if not names:
        return
    font = charts.cjk_font()
    if font is None:
        written.warnings.append(charts.no_font())
    charts.orders_by_township(report["services"]["by_township"], folder / names["orders"], font)
    charts.rollout_funnel(report["rollout"]["steps"], report["rollout"]["stations"], folder / names["funnel"], font)
