"""The bureau's view: a static HTML site of the network, rendered from `views.SiteData`.

Pages: `index.html` (the county), `townships/<id>.html`, `stations/<id>.html` and `findings.html`. Every
page stands alone: styles inline, a few lines of plain JavaScript on the findings page, charts as inline
SVG, nothing fetched from anywhere, so `index.html` opens from a folder, a USB stick or any static host.
ID and phone numbers are masked on every page. The site is written into a fresh folder beside the
target and swapped in whole, so a reader never sees half of an old site and half of a new one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from yjstation.foundation.masking import mask_phone
from yjstation.foundation.records import as_dict, as_str, dig
from yjstation.foundation.zh import date_zh
from yjstation.publish import svg
from yjstation.publish.views import SiteData

TEMPLATES = Path(__file__).resolve().parent / "templates"


def render_site(site: SiteData, level_labels: dict[str, str], version: str, generated: date) -> dict[str, str]:
    """Every page of the site: relative path -> HTML text."""
    env = _environment()
    common = {
        "county": site.report["county"],
        "month": site.month,
        "month_title": site.report["title"],
        "as_of": site.as_of,
        "version": version,
        "generated": generated,
        "steps": site.checklist.policy.steps,
        "levels": level_labels,
        "townships": site.checklist.by_township(),
    }
    pages: dict[str, str] = {}
    names = {sid: view.row.name for sid, view in site.stations.items()}
    pages["index.html"] = env.get_template("county.html.j2").render(
        **common,
        base="",
        page="county",
        report=site.report,
        checklist=site.checklist,
        done_by_township=[
            (tid, name, rows, site.checklist.done_by_step(rows)) for tid, name, rows in site.checklist.by_township()
        ],
        done=site.checklist.done_by_step(),
        names=names,
        orders_chart=svg.bars(
            [(r["name"], r["orders"]) for r in site.report["services"]["by_township"]], "本月各乡镇订单数", " 单"
        ),
        trend_chart=svg.trend(
            [(m, totals["orders"] if totals else None) for m, totals in site.trend], "近十二个月订单数", " 单"
        ),
        amount_chart=svg.trend(
            [(m, totals["purchase_amount"] if totals else None) for m, totals in site.trend],
            "近十二个月代购金额",
            " 元",
        ),
        trend=site.trend,
        training_done={
            plan["phase"]: sum(
                1
                for row in site.report["training"]["stationmasters"]
                for phase in row["phases"]
                if phase["phase"] == plan["phase"] and phase["complete"]
            )
            for plan in site.report["training"]["plan"]
        },
        compliance=site.compliance,
        findings=site.validation,
    )
    for tid, name, rows in site.checklist.by_township():
        if not tid:
            continue
        pages[f"townships/{tid}.html"] = env.get_template("township.html.j2").render(
            **common,
            base="../",
            page="township",
            tid=tid,
            name=name,
            rows=rows,
            done=site.checklist.done_by_step(rows),
            figures=site.township_report(tid),
            stations={r.id: site.stations[r.id] for r in rows},
        )
    for sid, view in site.stations.items():
        pages[f"stations/{sid}.html"] = env.get_template("station.html.j2").render(
            **common, base="../", page="station", view=view, station=view.data
        )
    township_of = {sid: view.row.township for sid, view in site.stations.items()}
    pages["findings.html"] = env.get_template("findings.html.j2").render(
        **common,
        base="",
        page="findings",
        result=site.validation,
        township_of=township_of,
        names=names,
    )
    return pages


def write_site(pages: dict[str, str], target: Path) -> None:
    """Write the pages into a fresh folder beside `target`, then put it in `target`'s place."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for rel, html in sorted(pages.items()):
            path = fresh / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
        os.chmod(fresh, 0o755)
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
        fresh.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise


def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        count=lambda v: "—" if v is None else f"{int(v):,}",
        yuan=lambda v: "—" if v is None else f"{Decimal(str(v)):,.2f}",
        signed=_signed,
        share=lambda v: "—" if v in (None, "") else f"{Decimal(str(v)) * 100:.1f}%",
        zhdate=lambda v: "" if v is None else date_zh(v if isinstance(v, date) else date.fromisoformat(str(v))),
        phone=lambda v: mask_phone(str(v)) if v else "",
        get=lambda data, dotted: dig(as_dict(data), tuple(dotted.split("."))),
        text=lambda v: as_str(v) or "",
    )
    return env


def _signed(value: Any) -> str:
    number = Decimal(str(value))
    text = f"{number:,}" if number == number.to_integral_value() and "." not in str(value) else f"{number:,.2f}"
    return f"+{text}" if number > 0 else text
