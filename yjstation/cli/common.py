"""What every command shares: the global options' state, the clock, the repository root, the console,
and the parsing of the values a person types (days, months), each refused with a plain message."""

from __future__ import annotations

import contextlib
import io
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from yjstation.foundation.i18n import tr
from yjstation.foundation.masking import redact

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.console import Console

    from yjstation.domain.county import County
    from yjstation.loading.repository import Repository


@dataclass
class Globals:
    """The options given before the command name, for the commands of this invocation."""

    root: Path | None = None


GLOBALS = Globals()


def parse_as_of(value: str | None, option: str = "--as-of") -> date:
    """An ISO date from the command line; today when not given. Only the CLI ever asks the clock."""
    if value is None:
        return date.today()
    from yjstation.foundation.records import FIRST_DAY, LAST_DAY

    try:
        day = date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise typer.BadParameter(
            tr("`{value}` 不是 YYYY-MM-DD 形式的日期", "`{value}` is not a YYYY-MM-DD date", value=value),
            param_hint=option,
        )
    if not FIRST_DAY <= day <= LAST_DAY:
        raise typer.BadParameter(
            tr(
                "{value} 不在 yjstation 能处理的 {first} 至 {last} 之间",
                "{value} is outside the days yjstation handles, {first} to {last}",
                value=value,
                first=FIRST_DAY.isoformat(),
                last=LAST_DAY.isoformat(),
            ),
            param_hint=option,
        )
    return day


def parse_month(value: str, option: str = "--month") -> str:
    """A `YYYY-MM` month from the command line, refused plainly when it is not one."""
    from yjstation.foundation.records import FIRST_DAY, LAST_DAY, month_bounds

    if month_bounds(value) is None:
        raise typer.BadParameter(
            tr(
                "`{value}` 不是 {first} 至 {last} 之间 YYYY-MM 形式的月份",
                "`{value}` is not a YYYY-MM month between {first} and {last}",
                value=value,
                first=FIRST_DAY.isoformat()[:7],
                last=LAST_DAY.isoformat()[:7],
            ),
            param_hint=option,
        )
    return value


def interactive() -> bool:
    """Whether a person is at the keyboard to answer questions (stdin is a terminal)."""
    return sys.stdin.isatty()


def repository_root() -> Path:
    from yjstation.loading.repository import find_root

    return find_root(Path.cwd(), GLOBALS.root)


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def write_json(payload: object) -> None:
    import json  # only a command that writes JSON needs it, `--help` never

    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def warn(message: str) -> None:
    print(message, file=sys.stderr)


class ConsoleGuard(io.TextIOBase):
    """stdout or stderr as the commands write to it: every text is redacted (no full ID or phone number
    leaves the process, whatever it was part of), and characters the console's encoding lacks are
    replaced rather than raising UnicodeEncodeError. No `buffer` is exposed, so nothing writes around it."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        if callable(getattr(inner, "reconfigure", None)):
            # a closed or detached stream cannot be reconfigured: writing to it will say so
            with contextlib.suppress(ValueError, OSError):
                inner.reconfigure(errors="replace")

    def write(self, text: str) -> int:
        self._inner.write(redact(text))
        return len(text)

    def flush(self) -> None:
        self._inner.flush()

    def isatty(self) -> bool:
        return bool(self._inner.isatty())

    def fileno(self) -> int:
        return int(self._inner.fileno())

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self._inner, "encoding", None) or "utf-8")

    @property
    def errors(self) -> str:  # type: ignore[override]
        return "replace"


def choose_township(county: County, given: str | None, option: str = "--township") -> str | None:
    """The id of the township `given` names (its id, 平原镇 or 平原); a usage error (exit 2) with the
    closest townships when it names none."""
    if given is None:
        return None
    found = county.find_township(given)
    if found is not None:
        return found.id
    close = county.closest_townships(given) or list(county.townships[:3])
    raise typer.BadParameter(
        tr(
            "`{given}` 不是 data/county.yaml 中的乡镇；是否应为：{close}",
            "`{given}` is not a township of data/county.yaml; did you mean: {close}",
            given=given,
            close=tr("、", ", ").join(f"{t.name}（{t.id}）" for t in close),
        ),
        param_hint=option,
    )


def choose_station(known: Iterable[str], given: str, option: str = "STATION") -> str:
    """`given` when it is a station of the repository; a usage error (exit 2) otherwise, naming the
    closest station ids. An id that is no slug (`../x`) is refused before it can make a path."""
    import difflib

    from yjstation.loading.repository import STATION_ID

    ids = sorted(known)
    if given in ids:
        return given
    close = difflib.get_close_matches(given, ids, n=3, cutoff=0.5)
    if STATION_ID.fullmatch(given) is None:
        why = tr(
            "站点编号只能用小写字母、数字和连字符，并以字母开头",
            "a station id holds only lower-case letters, digits and hyphens, and starts with a letter",
        )
    else:
        why = tr("仓库中没有 data/stations/{id}.yaml", "the repository has no data/stations/{id}.yaml", id=given)
    hint = tr("；是否应为：{close}", "; did you mean: {close}", close=tr("、", ", ").join(close)) if close else ""
    raise typer.BadParameter(
        tr("`{given}`：{why}{hint}", "`{given}`: {why}{hint}", given=given, why=why, hint=hint), param_hint=option
    )


def choose_value(given: str | None, choices: dict[str, str], option: str) -> str | None:
    """An enum value given by its code or its Chinese title (村级 for village); a usage error listing
    both when it is neither."""
    from yjstation.foundation.entry import match_choice

    if given is None:
        return None
    code = match_choice(given, choices)
    if code is not None:
        return str(code)
    raise typer.BadParameter(
        tr(
            "`{given}` 不是可选的值；可选：{options}",
            "`{given}` is not one of the values; choose: {options}",
            given=given,
            options=tr("、", ", ").join(f"{code}（{title}）" if title else code for code, title in choices.items()),
        ),
        param_hint=option,
    )


def station_ids(repo: Repository) -> list[str]:
    """The ids of the repository's station files (their file names), readable or not."""
    return sorted(doc.file.removeprefix("data/stations/").removesuffix(".yaml") for doc in repo.stations)


def read_workbook_file(file: Path) -> bytes:
    """The bytes of a workbook named on the command line (the roster, a month's entry sheet): a regular
    file, at most the size a workbook may have, or CannotRun with a plain message."""
    from yjstation.foundation.errors import CannotRun
    from yjstation.loading.loader import read_regular
    from yjstation.roster.cells import MAX_WORKBOOK_BYTES

    if not file.is_file():
        raise CannotRun(tr("找不到文件 {file}", "file not found: {file}", file=file))
    try:
        return read_regular(file, MAX_WORKBOOK_BYTES)
    except OSError as exc:
        raise CannotRun(
            tr("无法读取 {file}：{why}", "cannot read {file}: {why}", file=file, why=exc.strerror)
        ) from None
