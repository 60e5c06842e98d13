"""What every command shares: the global options' state, the clock, the repository root, the console,
and the parsing of the values a person types (days, months), each refused with a plain message."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from yjstation.foundation.i18n import tr

if TYPE_CHECKING:
    from rich.console import Console


@dataclass
class Globals:
    """The options given before the command name, for the commands of this invocation."""

    root: Path | None = None


GLOBALS = Globals()


def parse_as_of(value: str | None, option: str = "--as-of") -> date:
    """An ISO date from the command line; today when not given. Only the CLI ever asks the clock."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            tr("`{value}` 不是 YYYY-MM-DD 形式的日期", "`{value}` is not a YYYY-MM-DD date", value=value),
            param_hint=option,
        ) from None


def parse_month(value: str, option: str = "--month") -> str:
    """A `YYYY-MM` month from the command line, refused plainly when it is not one."""
    from yjstation.foundation.records import month_bounds

    if len(value) != 7 or month_bounds(value) is None:
        raise typer.BadParameter(
            tr("`{value}` 不是 YYYY-MM 形式的月份", "`{value}` is not a YYYY-MM month", value=value),
            param_hint=option,
        )
    return value


def repository_root() -> Path:
    from yjstation.loading.repository import find_root

    return find_root(Path.cwd(), GLOBALS.root)


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def write_json(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def warn(message: str) -> None:
    print(message, file=sys.stderr)
