"""Chinese and English for every message, hint, table header and help text.

Each text is written once where it is used, as a pair: `tr("站点编号", "Station id")`, or with fields
`tr("{n} 个错误", "{n} errors", n=3)`. Keeping both languages side by side keeps them in step; a test
reads every `tr(...)` call in the package and checks both halves are there and use the same fields.
Documents (agreements, forms, reports) stay in Chinese: they are official texts.

The language is Chinese unless `--lang en`, or the locale (LC_ALL, LC_MESSAGES, LANG) is English.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Literal

Language = Literal["zh", "en"]
_current: list[Language] = []


def detect(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> Language:
    """`--lang zh|en` on the command line wins; else the first locale variable that is set."""
    args = sys.argv[1:] if argv is None else argv
    for index, arg in enumerate(args):
        if arg.startswith("--lang="):
            return _language(arg.split("=", 1)[1])
        if arg == "--lang" and index + 1 < len(args):
            return _language(args[index + 1])
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


def _language(value: str) -> Language:
    return "en" if value.lower().startswith("en") else "zh"


def language() -> Language:
    if not _current:
        _current.append(detect())
    return _current[0]


def set_language(value: Language) -> None:
    _current[:] = [value]


def tr(zh: str, en: str, **fields: Any) -> str:
    """The text in the current language, with `fields` filled in."""
    text = en if language() == "en" else zh
    return text.format(**fields) if fields else text


def pick(zh: str, en: str) -> str:
    """Choose between two texts that are held in variables (the code tables); `tr` is for literals."""
    return en if language() == "en" else zh
