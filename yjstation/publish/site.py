"""The bureau's view: a static HTML site of the network, rendered from `views.SiteData`.

Pages: `index.html` (the county), `townships/<id>.html`, `stations/<id>.html` and `findings.html`. Every
page stands alone: styles inline, a few lines of plain JavaScript on the findings page, charts as inline
SVG, nothing fetched from anywhere, so `index.html` opens from a folder, a USB stick or any static host.
The pages are Chinese documents: names, not ids, dates and months the Chinese way, codes with their
Chinese labels; ids stay in file names and in the findings' file and line, which operators need.
ID and phone numbers are masked on every page, and every page passes through `redact` as well, so a
number that turned up in a field of free text is masked too. The site is written into a fresh folder
beside the target and swapped in whole, so a reader never sees half of an old site and half of a new one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from yjstation.documents.markdown import yuan
from yjstation.domain.fees import service_label
from yjstation.domain.history import is_operating, opened_on, suspended_on
from yjstation.foundation.masking import mask_phone, redact
from yjstation.foundation.records import as_dict, as_str, dig
from yjstation.foundation.zh import date_zh
from yjstation.publish import svg
from yjstation.publish.views import SiteData

TEMPLATES = Path(__file__).resolve().parent / "templates"
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
MONTH_STATE = {"reported": "已报送", "draft": "草稿未填", "missing": "未报送", "not_expected": "本月不需报送"}
NOT_ASSESSED = {"part_month": "不足整月，不考核", "not_reported": "未报送，不考核"}


def render_site(site: SiteData, level_labels: dict[str, str], version: str, generated: date) -> dict[str, str]:
    """Every page of the site: relative path -> HTML text."""
    env = _environment(site, level_labels)
    townships = site.checklist.by_township()
    common = {
        "county": site.report["county"],
        "month": site.month,
        "month_title": site.report["title"],
        "as_of": site.as_of,
        "version": version,
        "generated": generated,
        "steps": site.checklist.policy.steps,
        "townships": townships,
        "report": site.report,
        "site": site,
    }
    pages: dict[str, str] = {}
    pages["index.html"] = env.get_template("county.html.j2").render(
        **common,
        base="",
        page="county",
        done_by_township=[(tid, name, rows, site.checklist.done_by_step(rows)) for tid, name, rows in townships],
        done=site.checklist.done_by_step(),
        charts=_county_charts(site),
        training_done=_training_done(site.report),
    )
    for tid, name, rows in townships:
        if not tid:
            continue
        ids = {r.id for r in rows}
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
            assessment=[
                {**level, "stations": [s for s in level["stations"] if s["station"] in ids]}
                for level in site.report["assessment"]["levels"]
            ],
            events=[e for e in site.report["events"] if _event_touches(site, e["id"], ids)],
        )
    for sid, view in site.stations.items():
        pages[f"stations/{sid}.html"] = env.get_template("station.html.j2").render(
            **common, base="../", page="station", view=view, station=view.data, status=_status(view.data, site.as_of)
        )
    from yjstation.checking.catalogue import find

    codes = sorted({d.code for d in site.validation.diagnostics})
    pages["findings.html"] = env.get_template("findings.html.j2").render(
        **common,
        base="",
        page="findings",
        result=site.validation,
        township_of={sid: view.row.township for sid, view in site.stations.items()},
        codes=[(code, found.summary if (found := find(code)) else "") for code in codes],
    )
    return {rel: redact(html) for rel, html in pages.items()}


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


def _county_charts(site: SiteData) -> dict[str, str]:
    """The county page's charts, drawn from the report's figures and the trend (each month's report)."""
    labels = _axis_labels([m for m, _, _ in site.trend])
    return {
        "orders": svg.bars(
            [(r["name"], r["orders"]) for r in site.report["services"]["by_township"]], "本月各乡镇订单数", " 单"
        ),
        "trend": svg.trend(
            [(label, t["orders"] if t else None) for label, (_, t, _) in zip(labels, site.trend, strict=True)],
            "各月订单数（只计已报送的站点）",
            " 单",
        ),
        "amount": svg.trend(
            [(label, t["purchase_amount"] if t else None) for label, (_, t, _) in zip(labels, site.trend, strict=True)],
            "各月网货下乡代购金额",
            " 元",
        ),
    }


def _axis_labels(months: list[str]) -> list[str]:
    """Month labels for a chart's axis: the month (2月), with the year under the first month and under
    each January."""
    out = []
    for index, month in enumerate(months):
        year, number = int(month[:4]), int(month[5:7])
        out.append(f"{number}月" + (f"\n{year}年" if index == 0 or number == 1 else ""))
    return out


def _training_done(report: dict[str, Any]) -> dict[int, int]:
    """Per phase of the plan, how many of the report's stationmasters have completed it."""
    return {
        plan["phase"]: sum(
            1
            for row in report["training"]["stationmasters"]
            for phase in row["phases"]
            if phase["phase"] == plan["phase"] and phase["complete"]
        )
        for plan in report["training"]["plan"]
    }


def _event_touches(site: SiteData, event_id: str, ids: set[str]) -> bool:
    return any(e.id == event_id and ids.intersection(e.stations) for e in site.events)


def _status(station: dict[str, Any], day: date) -> str:
    """运营中, 暂停运营 or 尚未开始运营 on `day` (closed stations are not on the site's list that day)."""
    if is_operating(station, day):
        return "运营中"
    if suspended_on(station, day) is not None:
        return "暂停运营"
    opened = opened_on(station)
    return "尚未开始运营" if opened is None or opened > day else "未运营"


def _environment(site: SiteData, level_labels: dict[str, str]) -> Any:
    import jinja2
    from markupsafe import Markup, escape

    from yjstation.documents.markdown import percent, signed
    from yjstation.reports.printing import zh_month

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    names = site.names.stations

    def station_link(context: Any, sid: str, label: str | None = None) -> Markup:
        """The station's name linked to its page, or the name alone for a station the site has no page
        for (one in a list of the month's end that was not yet, or no longer, in force on the site's day)."""
        text = escape(label if label is not None else _short(names.get(sid, sid)))
        if sid not in site.stations:
            return text
        return Markup('<a href="{}stations/{}.html">{}</a>').format(context["base"], sid, text)

    townships = {tid for tid, _, _ in site.checklist.by_township() if tid}

    def township_link(context: Any, tid: str, name: str) -> Markup:
        """The township's name linked to its page, where it has one (a page lists stations in force)."""
        if tid not in townships:
            return escape(name)
        return Markup('<a href="{}townships/{}.html">{}</a>').format(context["base"], tid, name)

    env.globals["station_link"] = jinja2.pass_context(station_link)
    env.globals["township_link"] = jinja2.pass_context(township_link)
    env.filters.update(
        count=lambda v: "—" if v is None else f"{int(v):,}",
        yuan=lambda v: "—" if v is None else yuan(v),
        signed=lambda v: "—" if v is None else signed(v),
        share=lambda v: "—" if v in (None, "") else percent(v),
        zhdate=_zh_date,
        zhmonth=lambda v: zh_month(v) if v else "",
        phone=lambda v: mask_phone(str(v)) if v else "",
        get=lambda data, dotted: dig(as_dict(data), tuple(dotted.split("."))),
        text=lambda v: as_str(v) or "",
        station_name=lambda sid: names.get(str(sid), str(sid)),
        short=lambda sid: _short(names.get(str(sid), str(sid))),
        figure=_figure,
        service_name=lambda key: service_label(str(key)),
        level_name=lambda key: level_labels.get(str(key), str(key)),
        severity=lambda v: SEVERITY.get(str(v), str(v)),
        month_state=lambda v: MONTH_STATE.get(str(v), str(v)),
        not_assessed=lambda v: NOT_ASSESSED.get(str(v), str(v)),
    )
    return env


def _figure(value: Any, unit: str) -> str:
    """An assessment figure as the report states it (`1100.00`, `150`, `80.0%`), with thousands
    separators for money and counts."""
    text = str(value)
    if unit == "元":
        return yuan(text)
    if unit == "单" and text.isdigit():
        return f"{int(text):,}"
    return text


def _short(name: str) -> str:
    """A station's name for a table cell on a phone: 旧城镇东山村电子商务服务站 -> 旧城镇东山村服务站."""
    return name.removesuffix("电子商务服务站") + "服务站" if name.endswith("电子商务服务站") else name


def _zh_date(value: Any) -> str:
    """A date the Chinese way; nothing for no date (the pages have no blanks to fill in by hand)."""
    if value in (None, ""):
        return ""
    return date_zh(value if isinstance(value, date) else date.fromisoformat(str(value)))
