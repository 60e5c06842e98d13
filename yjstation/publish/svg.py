"""Charts for the site as inline SVG: no script, no library, Chinese labels in the reader's own fonts.

Each function takes the figures already computed by the reports and returns one `<svg>` element as
text; values are drawn, not recomputed. Sizes are in user units with a viewBox, drawn at their own size on a
screen and scaled down to the width of a phone (about 400 units wide, so the text stays readable there)."""

from __future__ import annotations

from decimal import Decimal
from html import escape

FONTS = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','WenQuanYi Micro Hei',sans-serif"
INK, BAR, GRID = "#1f2933", "#2f6f9f", "#d8dee4"


def bars(rows: list[tuple[str, Decimal | int]], title: str, unit: str = "") -> str:
    """A horizontal bar chart: one labelled bar per row, the value printed at its end."""
    label_width, bar_width, row_height = 100, 200, 22
    height = 30 + row_height * len(rows)
    top = max((value for _, value in rows), default=0) or 1
    parts = [_open(label_width + bar_width + 86, height, title), _text(8, 18, title, weight="bold")]
    for index, (label, value) in enumerate(rows):
        y = 30 + index * row_height
        width = bar_width * float(value) / float(top) if value > 0 else 0
        parts.append(_text(label_width - 6, y + 15, label, anchor="end"))
        parts.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{width:.1f}" height="{row_height - 7}" fill="{BAR}"/>'
        )
        parts.append(_text(label_width + width + 6, y + 15, f"{_number(value)}{unit}"))
    parts.append("</svg>")
    return "".join(parts)


def trend(points: list[tuple[str, Decimal | int | None]], title: str, unit: str = "") -> str:
    """A line over months; a month without figures (None) breaks the line instead of falling to zero.
    A label may have a second line after a newline (the year under its first month)."""
    width, height, left, right, top_margin, bottom = 400, 210, 62, 16, 30, 40
    values = [v for _, v in points if v is not None]
    top = max(values, default=0) or 1
    plot_w, plot_h = width - left - right, height - top_margin - bottom
    step = plot_w / max(len(points) - 1, 1)
    parts = [_open(width, height, title), _text(8, 18, title, weight="bold")]
    for fraction in (0, 0.5, 1):
        y = top_margin + plot_h * (1 - fraction)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 6, y + 4, f"{round(float(top) * fraction):,}", anchor="end"))
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, (label, value) in enumerate(points):
        x = left + step * index
        lines = label.split("\n")  # the month, and under it the year where one starts
        for row, text in enumerate(lines):
            parts.append(_text(x, height - bottom + 16 + 14 * row, text, anchor="middle", size=11))
        label = "".join(reversed(lines))
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        y = top_margin + plot_h * (1 - float(value) / float(top))
        segment.append(f"{x:.1f},{y:.1f}")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{BAR}"><title>{escape(label)}：{_number(value)}{escape(unit)}</title></circle>'
        )
    if segment:
        segments.append(segment)
    for run in segments:
        parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{BAR}" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" style="max-width:100%;height:auto" font-family="{FONTS}" '
        'font-size="13">'
    )


def _text(x: float, y: float, text: str, anchor: str = "start", weight: str = "normal", size: int = 13) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-weight="{weight}" font-size="{size}" '
        f'fill="{INK}">{escape(text)}</text>'
    )


def _number(value: Decimal | int) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"
