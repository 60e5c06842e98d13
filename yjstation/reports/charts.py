"""Charts for the summaries: orders by township and the rollout funnel, with Chinese labels.

Chinese needs a CJK font; yjstation looks for one among the fonts matplotlib knows (or takes
YJSTATION_CJK_FONT, a font file or family). Without one, the charts label townships and steps by their
codes and say so, rather than printing boxes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from yjstation.foundation.i18n import tr

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Serif SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Sarasa Gothic SC",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)


def no_font() -> str:
    """The warning printed when no CJK font is found."""
    return tr(
        "未找到中文字体（如 Noto Sans CJK SC），图表改用编号标注；安装 fonts-noto-cjk 或设置 YJSTATION_CJK_FONT",
        "No Chinese font found (such as Noto Sans CJK SC); the charts are labelled with codes instead."
        " Install fonts-noto-cjk or set YJSTATION_CJK_FONT",
    )


def _matplotlib() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def cjk_font() -> Any:
    """A FontProperties for Chinese text, or None when this machine has no CJK font."""
    from matplotlib import font_manager

    chosen = os.environ.get("YJSTATION_CJK_FONT")
    if chosen is not None:
        if chosen.lower() == "none":
            return None
        if Path(chosen).is_file():
            return font_manager.FontProperties(fname=chosen)
        families: tuple[str, ...] = (chosen,)
    else:
        families = CJK_FAMILIES
    available: dict[str, str] = {}
    for font in sorted(font_manager.fontManager.ttflist, key=lambda f: f.weight in (400, "normal", "regular")):
        available[font.name] = font.fname  # regular weights sort last, so they win
    for family in families:
        if family in available:
            return font_manager.FontProperties(fname=available[family])
    return None


def orders_by_township(rows: list[dict[str, Any]], target: Path, font: Any) -> None:
    """Horizontal bars of this month's orders per township, with last month's beside them."""
    plt = _matplotlib()
    names = [r["name"] if font is not None else r["township"] for r in rows]
    figure, axes = plt.subplots(figsize=(7.5, 0.42 * len(rows) + 1.4), dpi=150)
    positions = list(range(len(rows)))
    axes.barh(
        [p + 0.2 for p in positions],
        [r["orders_previous"] for r in rows],
        height=0.4,
        color="#c9d6e3",
        label="上月" if font is not None else "previous month",
    )
    axes.barh(
        [p - 0.2 for p in positions],
        [r["orders"] for r in rows],
        height=0.4,
        color="#2f6690",
        label="本月" if font is not None else "this month",
    )
    axes.set_yticks(positions, names, fontproperties=font)
    axes.invert_yaxis()
    axes.set_xlabel("订单数（单）" if font is not None else "orders", fontproperties=font)
    axes.set_title("各乡镇订单数" if font is not None else "Orders by township", fontproperties=font)
    axes.legend(prop=font, loc="lower right")
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    figure.savefig(target)
    plt.close(figure)


def rollout_funnel(steps: list[dict[str, Any]], total: int, target: Path, font: Any) -> None:
    """The eight steps as a funnel: how many stations have completed each."""
    plt = _matplotlib()
    labels = [f"{i}. {s['name']}" if font is not None else f"{i}. {s['key']}" for i, s in enumerate(steps, 1)]
    figure, axes = plt.subplots(figsize=(7.5, 4.2), dpi=150)
    widths = [s["done"] for s in steps]
    lefts = [(total - w) / 2 for w in widths]
    axes.barh(range(len(steps)), widths, left=lefts, color="#3a7d44", height=0.7)
    for index, (left, width) in enumerate(zip(lefts, widths, strict=True)):
        axes.text(left + width / 2, index, str(width), ha="center", va="center", color="white", fontsize=9)
    axes.set_yticks(range(len(steps)), labels, fontproperties=font)
    axes.invert_yaxis()
    axes.set_xticks([])
    axes.set_xlim(0, max(total, 1))
    axes.set_title(
        ("建设进度漏斗（共 %d 个站点）" if font is not None else "Rollout funnel (%d stations)") % total,
        fontproperties=font,
    )
    axes.spines[["top", "right", "bottom"]].set_visible(False)
    figure.tight_layout()
    figure.savefig(target)
    plt.close(figure)
