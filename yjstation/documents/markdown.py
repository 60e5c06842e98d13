"""Rendering Markdown through Jinja: a strict environment and escaping for values taken from data.

Templates live in the data repository's templates/ folder so a county can reword its own documents by a
reviewed commit. StrictUndefined makes a missing field stop the render instead of printing a blank
into a contract.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
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
        bytecode_cache=_compiled(),
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
    env.globals["cell"] = cell
    env.globals["grid_table"] = grid_table
    return env


_COMPILED: list[Any] = []


def _compiled() -> Any:
    """One in-memory cache of compiled templates for every environment this module makes: a process
    that renders many documents (a batch of agreements, the site) compiles each template once. Jinja
    keys it by the template's file and checks the source's hash, so an edited template is recompiled;
    every environment here has the same settings, so the compiled code is the same."""
    if not _COMPILED:
        import jinja2

        class InMemory(jinja2.BytecodeCache):
            def __init__(self) -> None:
                self.store: dict[str, bytes] = {}

            def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
                if bucket.key in self.store:
                    bucket.bytecode_from_string(self.store[bucket.key])

            def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
                self.store[bucket.key] = bucket.bytecode_to_string()

        _COMPILED.append(InMemory())
    return _COMPILED[0]


class TemplateFailed(CannotRun):
    """A report's template cannot be rendered (a name it uses is not there, a syntax error): the command
    stops with this plain message (exit 2) before anything is written."""


def render_page(templates: Path, name: str, jinja_filters: dict[str, Any] | None = None, **context: Any) -> str:
    """The template `name` of the folder `templates` rendered with `context` (and extra `jinja_filters`, named so
    that a template variable may be called `filters`);
    TemplateFailed naming the template file and line on any template error."""
    import jinja2

    try:
        env = environment(templates)
        env.filters.update(jinja_filters or {})
        return str(env.get_template(name).render(**context))
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
    """A change with its sign, money-formatted when it has decimals: `+12`, `−3.50`. The minus is the
    minus sign U+2212, not the hyphen: Word and LibreOffice may break a line after a hyphen, which
    would print （− on one line and the amount on the next."""
    number = Decimal(str(value))
    text = f"{abs(number):,.2f}" if number.as_tuple().exponent != 0 else f"{abs(number):,}"
    return ("\u2212" if number < 0 else "+") + text


@dataclass(frozen=True)
class Cell:
    """One cell of a grid table: Markdown text (already escaped), the columns and rows it spans. A
    newline in the text is a line break in the cell, a blank line starts a new paragraph."""

    text: str
    cols: int = 1
    rows: int = 1


def cell(text: Any = "", cols: int = 1, rows: int = 1) -> Cell:
    return Cell(str(text), cols, rows)


Position = tuple[int, int]


def grid_table(rows: list[list[Cell]], widths: list[int]) -> str:
    """A pandoc grid table without a header row, with cells spanning columns and rows, the way a form is
    drawn. `widths` are the columns' widths in characters of Markdown source, an East Asian character
    counting two as pandoc counts it; pandoc turns their proportions into the DOCX's column widths. Text
    is wrapped inside its cell only where a break costs nothing: between two Chinese characters (the
    east_asian_line_breaks extension drops such a newline) or at a space. A word too long for its cell
    widens the cell's last column."""
    starts, owner = _place(rows, len(widths))
    widths = list(widths)

    def inner(pos: Position) -> int:  # the text width of the cell starting at `pos`, without padding
        first, span = pos[1], starts[pos].cols
        return sum(widths[first : first + span]) + span - 1 - 2

    for pos, each in starts.items():
        need = max((_width(word) for line in each.text.split("\n") for word, _ in _words(line)), default=0)
        if need > inner(pos):
            widths[pos[1] + each.cols - 1] += need - inner(pos)
    lines = {pos: _wrap(each.text, inner(pos)) for pos, each in starts.items()}
    heights = [1] * len(rows)
    for (top, left), each in sorted(starts.items()):
        below = sum(heights[top + 1 : top + each.rows])  # the lines of the later rows it spans
        heights[top] = max(heights[top], len(lines[(top, left)]) - below)
    out = [_rule(owner, widths, 0)]
    for r in range(len(rows)):
        for line in range(heights[r]):
            out.append(_content(owner, starts, widths, heights, lines, r, line))
        out.append(_rule(owner, widths, r + 1))
    return "\n".join(out) + "\n"


def _place(rows: list[list[Cell]], count: int) -> tuple[dict[Position, Cell], list[list[Position]]]:
    """The cells by the position they start at, and for every grid position the start of its cell."""
    grid: list[list[Position | None]] = [[None] * count for _ in rows]
    starts: dict[Position, Cell] = {}
    for r, row in enumerate(rows):
        c = 0
        for each in row:
            while c < count and grid[r][c] is not None:
                c += 1
            if c + each.cols > count or r + each.rows > len(rows):
                raise ValueError(f"grid table row {r + 1}: a cell reaches past the table")
            for rr in range(r, r + each.rows):
                for cc in range(c, c + each.cols):
                    grid[rr][cc] = (r, c)
            starts[(r, c)] = each
            c += each.cols
    owner = [[pos for pos in row if pos is not None] for row in grid]
    if any(len(row) != count for row in owner):
        raise ValueError("grid table: a row leaves a column without a cell")
    return starts, owner


def _rule(owner: list[list[Position]], widths: list[int], r: int) -> str:
    """The line above grid row `r` (or the bottom line): dashes where a cell begins or ends, spaces
    where a cell spanning rows goes on, and a `+`, `-` or `|` at each column boundary as its
    neighbours require."""
    count = len(widths)

    def horizontal(c: int) -> bool:
        return r == 0 or r == len(owner) or owner[r][c] != owner[r - 1][c]

    def vertical(row: int, b: int) -> bool:
        return 0 <= row < len(owner) and (b in (0, count) or owner[row][b - 1] != owner[row][b])

    text = ""
    for b in range(count + 1):
        across = (b > 0 and horizontal(b - 1)) or (b < count and horizontal(b))
        upright = vertical(r - 1, b) or vertical(r, b)
        text += "+" if across and upright else "-" if across else "|" if upright else " "
        if b < count:
            text += ("-" if horizontal(b) else " ") * widths[b]
    return text


def _content(
    owner: list[list[Position]],
    starts: dict[Position, Cell],
    widths: list[int],
    heights: list[int],
    lines: dict[Position, list[str]],
    r: int,
    line: int,
) -> str:
    """Line `line` of grid row `r`: each cell's text for that line, padded to its span."""
    text, c = "", 0
    while c < len(widths):
        pos = owner[r][c]
        each = starts[pos]
        offset = sum(heights[pos[0] : r]) + line  # lines of this cell above this one
        shown = lines[pos][offset] if offset < len(lines[pos]) else ""
        span = sum(widths[c : c + each.cols]) + each.cols - 1
        text += "| " + shown + " " * (span - 1 - _width(shown))
        c += each.cols
    return text + "|"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


_ATOM = re.compile(r"\[[^\]]*\]\{[^}]*\}")  # a bracketed span with attributes: never broken


def _words(line: str) -> list[tuple[str, str]]:
    """`line` cut at every free break, each piece with what joins it to the one before ("" or " "):
    breaks are at spaces and between two East Asian wide characters (not after an escaping backslash,
    and never inside a `[text]{attributes}` span)."""
    words: list[tuple[str, str]] = []
    current, joint = "", ""
    atoms = [range(m.start(), m.end()) for m in _ATOM.finditer(line)]
    for index, char in enumerate(line):
        inside = any(index in atom and index != atom.start for atom in atoms)
        if char == " " and not inside:
            if current:
                words.append((current, joint))
            current, joint = "", " "
            continue
        if current and not inside and _wide(current[-1]) and _wide(char) and line[index - 2 : index - 1] != "\\":
            words.append((current, joint))
            current, joint = "", ""
        current += char
    if current:
        words.append((current, joint))
    return words


def _wrap(text: str, width: int) -> list[str]:
    """The cell text as lines of at most `width`, filled word by word; a newline in the text is a hard
    line break (a backslash ending the Markdown line), an empty line a paragraph break."""
    out: list[str] = []
    paragraphs = text.split("\n")
    for number, paragraph in enumerate(paragraphs):
        current = ""
        for word, joint in _words(paragraph):
            if current and _width(current + joint + word) > width:
                out.append(current)
                current = word
            else:
                current += (joint if current else "") + word
        hard = number < len(paragraphs) - 1 and paragraph and paragraphs[number + 1]
        out.append(current + ("\\" if hard else ""))
    return out
