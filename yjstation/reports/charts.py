"""Charts for the summaries: orders by township and the rollout funnel, with Chinese labels.

Chinese needs a CJK font. yjstation asks matplotlib's font manager for one by name, in a fixed order of
preference (CJK_FAMILIES), so the same machine always draws with the same font; YJSTATION_CJK_FONT (a
font file or a family name) overrides the choice. matplotlib keeps its list of fonts in a cache made
the first time it ran: a font installed later is missing from it, so when no CJK family is listed the
system's font folders are scanned again, new fonts added and the cache saved. Only when the machine has
no CJK font at all do the charts fall back to codes, with a warning naming the package to install.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from yjstation.foundation.i18n import tr

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Sarasa Gothic SC",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "SimSun",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)
PROBE = "盈江县乡镇订单"  # characters every chart label uses; a font without them cannot label a chart


def no_font() -> str:
    """The warning printed when this machine has no CJK font at all."""
    return tr(
        "本机没有中文字体，图表改用编号标注。请安装中文字体后重新生成：Debian/Ubuntu 运行"
        " sudo apt-get install fonts-noto-cjk，Fedora 运行 sudo dnf install google-noto-sans-cjk-fonts；"
        "或把 YJSTATION_CJK_FONT 设为一个中文字体文件（如 C:\\Windows\\Fonts\\simhei.ttf）",
        "This machine has no Chinese font; the charts are labelled with codes instead. Install one and make the"
        " report again: on Debian/Ubuntu sudo apt-get install fonts-noto-cjk, on Fedora sudo dnf install"
        " google-noto-sans-cjk-fonts; or set YJSTATION_CJK_FONT to a Chinese font file"
        " (such as C:\\Windows\\Fonts\\simhei.ttf)",
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
        return _by_name((chosen,)) or (_by_name((chosen,)) if _refresh() else None)
    found = _by_name(CJK_FAMILIES) or (_by_name(CJK_FAMILIES) if _refresh() else None)
    return found or _covering()


def _by_name(families: tuple[str, ...]) -> Any:
    """The first of `families` the font manager lists. By family, not by file: a .ttc file holds the
    Japanese, Korean and Chinese faces, and the family picks the Chinese one."""
    from matplotlib import font_manager

    listed = {font.name for font in font_manager.fontManager.ttflist}
    family = next((f for f in families if f in listed), None)
    return font_manager.FontProperties(family=[family]) if family else None  # a list: never read as a pattern


def _covering() -> Any:
    """Any listed font that has the characters the charts print, the first by name: a Chinese font whose
    name yjstation does not know. matplotlib's own fonts are left out: its Last Resort font claims every
    character and draws a box for each."""
    import matplotlib
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    own = str(Path(matplotlib.get_data_path()).resolve())
    for font in sorted(font_manager.fontManager.ttflist, key=lambda f: (f.name, f.fname)):
        if str(Path(font.fname).resolve()).startswith(own):
            continue
        try:
            face = FT2Font(font.fname)
        except (OSError, RuntimeError):
            continue
        if all(face.get_char_index(ord(char)) for char in PROBE):
            return font_manager.FontProperties(family=[font.name])
    return None


def _refresh() -> bool:
    """Add the fonts installed since matplotlib made its font cache, and save the cache; True when any
    font was added."""
    import matplotlib
    from matplotlib import font_manager

    manager = font_manager.fontManager
    known = {font.fname for font in manager.ttflist}
    added = False
    for path in sorted(set(font_manager.findSystemFonts()) - known):
        try:
            manager.addfont(path)
            added = True
        except (OSError, RuntimeError, ValueError):
            continue  # a file that is not a font
    if added:
        cache = Path(matplotlib.get_cachedir()) / f"fontlist-v{font_manager.FontManager.__version__}.json"
        font_manager.json_dump(manager, cache)  # logs and goes on when the cache folder is read-only
    return added


def orders_by_township(rows: list[dict[str, Any]], target: Path, font: Any) -> None:
    """Horizontal bars of this month's orders per township, with last month's beside them."""
    plt = _matplotlib()
    names = [r["name"] if font is not None else r["township"] for r in rows]
    figure, axes = plt.subplots(figsize=(7.5, 0.32 * len(rows) + 1.0), dpi=150)
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
    if font is None:  # a Chinese document captions the chart itself
        axes.set_title("Orders by township")
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
    if font is None:  # a Chinese document captions the chart itself
        axes.set_title(f"Rollout funnel ({total} stations)")
    axes.spines[["top", "right", "bottom"]].set_visible(False)
    figure.tight_layout()
    figure.savefig(target)
    plt.close(figure)
