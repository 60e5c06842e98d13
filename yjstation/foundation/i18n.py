"""Chinese and English for every message, hint, table header and help text.

Each text is written once where it is used, as a pair: `tr("站点编号", "Station id")`, or with fields
`tr("{n} 个错误", "{n} error{n:|s}", n=3)`: in English a count's word agrees with it through the format
spec `one|many` (`{n:|s}` gives "" for 1 and "s" otherwise, `{n:y|ies}` "y" or "ies"). Keeping both languages side by side keeps them in step; a test
reads every `tr(...)` call in the package and checks both halves are there and use the same fields.
Documents (agreements, forms, reports) stay in Chinese: they are official texts.

The language is a value, chosen once by the caller and held for the duration of a call: the CLI's
`main(argv)` reads `--lang` from the arguments it is given (or the locale) and runs the command inside
`using_language(...)`; worker processes are started with the caller's language. Nothing reads
`sys.argv`. Without a choice, the locale decides: English when LC_ALL, LC_MESSAGES or LANG says so.
"""

from __future__ import annotations

import os
import string
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
_chosen: ContextVar[Language | None] = ContextVar("yjstation_language", default=None)


def detect(argv: list[str], environ: Mapping[str, str]) -> Language:
    """`--lang zh|en` among the global options of `argv` wins; else the first locale variable set.
    An unknown value is left to the command line to refuse, and the locale decides meanwhile."""
    value = lang_option(argv)
    if value in LANGUAGES:
        return value
    return from_locale(environ)


def lang_option(argv: list[str]) -> str | None:
    """The value of `--lang` among the options before the command name, if given."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang":
            return argv[index + 1] if index + 1 < len(argv) else None
        if arg == "--root":
            index += 2
            continue
        if not arg.startswith("-"):
            return None  # the command name: what follows are its own options
        index += 1
    return None


def from_locale(environ: Mapping[str, str]) -> Language:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


def language() -> Language:
    chosen = _chosen.get()
    return chosen if chosen is not None else from_locale(os.environ)


def set_language(value: Language) -> None:
    """Choose the language for the rest of this process (a worker, started for one caller)."""
    _chosen.set(value)


@contextmanager
def using_language(value: Language) -> Iterator[None]:
    """Choose the language for the duration of a block, then restore the previous choice."""
    token = _chosen.set(value)
    try:
        yield
    finally:
        _chosen.reset(token)


def tr(zh: str, en: str, **fields: Any) -> str:
    """The text in the current language, with `fields` filled in."""
    text = en if language() == "en" else zh
    if not fields:
        return text
    if "|" in text:
        return _COUNTED.format(text, **fields)
    return text.format(**fields)


class _Counted(string.Formatter):
    """`{n:one|many}`: the singular or plural ending for the count n; any other spec as str.format."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return one if value == 1 and not isinstance(value, bool) else many
        return str(super().format_field(value, format_spec))


_COUNTED = _Counted()


def pick(zh: str, en: str) -> str:
    """Choose between two texts that are held in variables (the code tables); `tr` is for literals."""
    return en if language() == "en" else zh
