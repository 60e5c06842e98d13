"""Rendering Markdown through Jinja: a strict environment and escaping for values taken from data.

Templates live in the data repository's templates/ folder so a county can reword its own documents by a
reviewed commit. StrictUndefined makes a missing field stop the render instead of printing a blank
into a contract.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")
_LINE_START = re.compile(r"^([-+=]|\d+[.)])(?=\s|$)")


def escape(value: Any) -> str:
    """A data value as literal Markdown text: no markup character in a name can start a table cell,
    emphasis, heading or HTML tag. Newlines become spaces so a value never breaks a table row."""
    text = " ".join(str(value).splitlines())
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(r"\\\1", text)


def environment(templates: Path) -> Any:
    """A Jinja environment over `templates` with the `md` escaping filter and StrictUndefined."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown, escaped value by value with the `md` filter
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = escape
    env.filters["yuan"] = yuan
    env.filters["percent"] = percent
    env.filters["signed"] = signed
    return env


def yuan(value: Any) -> str:
    """Money as printed in documents: thousands separated, two decimals."""
    return f"{Decimal(str(value)):,.2f}"


def percent(value: Any) -> str:
    """A share (`0.8621`) as a percentage (`86.2%`)."""
    return f"{Decimal(str(value)) * 100:.1f}%"


def signed(value: Any) -> str:
    """A change with its sign, money-formatted when it has decimals: `+12`, `-3.50`."""
    number = Decimal(str(value))
    text = f"{number:,.2f}" if number.as_tuple().exponent != 0 else f"{number:,}"
    return text if number < 0 else "+" + text
