"""Write docs/cli.md: the `--help` of every yjstation command and subcommand, as a terminal 80 columns
wide prints it in Chinese.

The page is generated, never edited by hand, so it cannot drift from the commands: tests/test_cli_docs.py
regenerates it and fails when the committed page differs. Run this after changing a command's options
or help text:

    python scripts/make_cli_docs.py          # rewrite docs/cli.md
    python scripts/make_cli_docs.py --check  # exit 1 when docs/cli.md is out of date
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
PAGE = PROJECT / "docs" / "cli.md"
# Help is wrapped to the terminal and may follow the locale: fix both so every machine writes the same page.
ENV = {"COLUMNS": "80", "LINES": "24", "LANG": "zh_CN.UTF-8", "LC_ALL": None, "LC_MESSAGES": None, "LANGUAGE": None}
# Help texts take their language (Chinese or English) when yjstation is imported, from --lang or the locale;
# so the page is rendered by a fresh Python with this locale, whatever language this process imported.
RENDER_HERE = "--render-here"
HEADER = """# yjstation 命令参考

每个命令和子命令的 `--help` 输出。本页由 `python scripts/make_cli_docs.py` 生成，请勿手工修改；
`tests/test_cli_docs.py` 检查它与命令的帮助一致。Shell 补全见 README。
"""


def command_paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every visible command under `command` (a click group or command), depth first, in the order
    `--help` lists them."""
    yield path
    if not hasattr(command, "list_commands"):
        return
    context = command.context_class(command, info_name="yjstation")
    for name in command.list_commands(context):
        child = command.get_command(context, name)
        if child is not None and not child.hidden:
            yield from command_paths(child, (*path, name))


def render() -> str:
    """The whole page, rendered in Chinese by a fresh Python (see RENDER_HERE)."""
    env = {k: v for k, v in os.environ.items() if k not in ENV} | {k: v for k, v in ENV.items() if v is not None}
    done = subprocess.run(
        [sys.executable, __file__, RENDER_HERE],
        env=env | {"PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"rendering the help failed: {done.stderr.decode('utf-8', 'replace')}")
    return done.stdout.decode("utf-8")


def render_here() -> str:
    """The whole page: one section per command with its help in a text block."""
    import typer
    from typer.testing import CliRunner

    from yjstation.foundation.i18n import set_language

    set_language("zh")  # before the import below evaluates the help texts
    from yjstation.cli.app import app

    sections = [HEADER]
    for path in command_paths(typer.main.get_command(app)):
        result = CliRunner().invoke(app, [*path, "--help"], prog_name="yjstation", env=ENV, catch_exceptions=False)
        if result.exit_code != 0:
            raise RuntimeError(f"yjstation {' '.join(path)} --help exited {result.exit_code}: {result.output}")
        title = " ".join(("yjstation", *path))
        sections.append(f"## {title}\n\n```text\n{result.stdout.rstrip()}\n```\n")
    return "\n".join(sections)


def main(argv: list[str]) -> int:
    if RENDER_HERE in argv:
        sys.stdout.buffer.write(render_here().encode("utf-8"))
        return 0
    text = render()
    if "--check" in argv:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print(f"{PAGE.relative_to(PROJECT)} is out of date; run python scripts/make_cli_docs.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(PROJECT)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT))  # document this checkout's commands, whichever yjstation is installed
    sys.exit(main(sys.argv[1:]))
