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

from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import tr

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


class TemplateFailed(CannotRun):
    """A report's template cannot be rendered (a name it uses is not there, a syntax error): the command
    stops with this plain message (exit 2) before anything is written."""


def render_page(templates: Path, name: str, **context: Any) -> str:
    """The template `name` of the folder `templates` rendered with `context`; TemplateFailed naming the
    template file and line on any template error."""
    import jinja2

    try:
        return str(environment(templates).get_template(name).render(**context))
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None) or _template_line(exc, name)
        where = f"templates/{name}" + (f":{line}" if line else "")
        message = getattr(exc, "message", None) or str(exc)
        raise TemplateFailed(
            tr(
                "模板 {where} 有错误：{error}（模板由本县维护，请改正模板）",
                "template {where} has an error: {error} (the county keeps its templates: correct it there)",
                where=where,
                error=message,
            )
        ) from None


def _template_line(exc: BaseException, name: str) -> int | None:
    # an error while rendering carries the template's line in the frame jinja compiled from it
    line = None
    trace = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename.endswith(name):
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


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
