"""Write docs/cli.md: the `--help` of every yjstation command and subcommand, as a terminal 80 columns
wide prints it in Chinese.

The page is generated, never edited by hand, so it cannot drift from the commands: tests/test_cli_docs.py
regenerates it and fails when the committed page differs. Run this after changing a command's options
or help text:

    python scripts/make_cli_docs.py          # rewrite docs/cli.md
    python scripts/make_cli_docs.py --check  # exit 1 when docs/cli.md is out of date
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
PAGE = PROJECT / "docs" / "cli.md"
# Help is wrapped to the terminal's width: fix it so every machine writes the same page.
COLUMNS = "80"
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


@contextlib.contextmanager
def _columns() -> Iterator[None]:
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = COLUMNS
    try:
        yield
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved


def render() -> str:
    """The whole page: one section per command with its Chinese help in a text block."""
    import typer

    from yjstation.cli.app import build_app, main
    from yjstation.foundation.i18n import using_language

    with using_language("zh"):
        tree = typer.main.get_command(build_app())
    sections = [HEADER]
    with _columns():
        for path in command_paths(tree):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                status = main(["--lang", "zh", *path, "--help"])
            if status != 0:
                raise RuntimeError(f"yjstation {' '.join(path)} --help exited {status}")
            title = " ".join(("yjstation", *path))
            sections.append(f"## {title}\n\n```text\n{out.getvalue().rstrip()}\n```\n")
    return "\n".join(sections)


def main(argv: list[str]) -> int:
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
