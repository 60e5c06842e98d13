"""Writing a summary out: JSON (money as strings), Markdown with its charts, and DOCX from that Markdown."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from yjstation.documents.markdown import environment
from yjstation.foundation.atomic import replace_with, write_atomic
from yjstation.reports import charts


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


def write_markdown(report: dict[str, Any], templates: Path, out_dir: Path, provenance: str) -> Written:
    """The summary's Markdown and its PNG charts in `out_dir`; returns the files and any warnings."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = Written()
    images = _charts(report, out_dir, written)
    text = render(report, templates, {k: v.name for k, v in images.items()}, provenance)
    target = out_dir / f"{stem(report)}.md"
    write_atomic(target, text.encode("utf-8"))
    written.files[:0] = [target]
    return written


def write_docx(report: dict[str, Any], templates: Path, out_dir: Path, provenance: str) -> Written:
    """The same Markdown converted by pandoc with the repository's reference.docx, charts embedded."""
    from yjstation.documents.render import to_docx

    out_dir.mkdir(parents=True, exist_ok=True)
    written = Written()
    images = _charts(report, out_dir, written)
    # Charts by name, found through pandoc's resource path: an absolute path would end up in the DOCX
    # (as the pictures' description), naming a folder of this machine.
    text = render(report, templates, {k: v.name for k, v in images.items()}, provenance)
    target = out_dir / f"{stem(report)}.docx"
    replace_with(target, lambda path: to_docx(text, path, templates / "reference.docx", resources=out_dir))
    written.files[:0] = [target]
    return written


def render(report: dict[str, Any], templates: Path, images: dict[str, str], provenance: str) -> str:
    page = environment(templates).get_template(f"report-{report['kind']}.md.j2")
    return str(page.render(r=report, images=images, provenance=provenance))


def _charts(report: dict[str, Any], out_dir: Path, written: Written) -> dict[str, Path]:
    if report["kind"] != "monthly":
        return {}
    font = charts.cjk_font()
    if font is None:
        written.warnings.append(charts.no_font())
    images = {"orders": out_dir / f"{stem(report)}-orders.png", "funnel": out_dir / f"{stem(report)}-funnel.png"}
    charts.orders_by_township(report["services"]["by_township"], images["orders"], font)
    charts.rollout_funnel(report["rollout"]["steps"], report["rollout"]["stations"], images["funnel"], font)
    written.files.extend(images.values())
    return images
