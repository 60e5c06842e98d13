"""The `yjstation` command: `main(argv) -> int` chooses the interface language from the arguments it is
given, builds the command tree in that language, runs it and maps every outcome to an exit status in
one place: 0 done (warnings allowed), 1 findings, 2 the command could not run."""

# No `from __future__ import annotations` in the command modules: Typer reads every command's
# signature when it builds the CLI, and string annotations would be evaluated there (twice per
# command) on every start, `--help` included. Evaluated once they cost less.

import functools
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from yjstation import __version__
from yjstation.cli.common import GLOBALS, ConsoleGuard
from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import LANGUAGES, Language, detect, tr, using_language


def build_app() -> typer.Typer:
    """The command tree, its help in the current language."""
    from yjstation.cli import (
        assess_command,
        check_commands,
        edit_commands,
        init_command,
        log_commands,
        month_command,
        publish_commands,
        render_command,
        report_command,
        roster_command,
    )

    app = typer.Typer(
        name="yjstation",
        help=tr(
            "农村电子商务服务站运营工具：校验站点数据、检查建设进度与资费红线、生成协议和报表。",
            "Operators' toolkit for rural e-commerce service stations: validate the data, follow the rollout and the "
            "fee red lines, render agreements and reports.",
        ),
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def main_options(
        root: Annotated[
            Path | None,
            typer.Option(
                "--root",
                help=tr(
                    "数据仓库根目录（默认：从当前目录向上查找 data/county.yaml；也可用环境变量 YJSTATION_ROOT）",
                    "the data repository's root (default: the first folder upwards holding data/county.yaml; or "
                    "YJSTATION_ROOT)",
                ),
                file_okay=False,
            ),
        ] = None,
        version: Annotated[
            bool,
            typer.Option("--version", callback=_version, is_eager=True, help=tr("显示版本号", "show the version")),
        ] = False,
        lang: Annotated[
            str | None,
            typer.Option(
                "--lang",
                metavar="zh|en",
                help=tr(
                    "界面语言：zh（中文）或 en（English）；默认按 LANG 等区域设置，其余情况为中文",
                    "language: zh (Chinese) or en (English); default from the locale (LANG), else Chinese",
                ),
            ),
        ] = None,
    ) -> None:
        """农村电子商务服务站运营工具。"""
        GLOBALS.root = root
        if lang is not None and lang not in LANGUAGES:  # main() chose the language before this ran
            raise typer.BadParameter(
                tr("`{lang}` 不是 zh 或 en", "`{lang}` is neither zh nor en", lang=lang), param_hint="--lang"
            )

    for module in (
        check_commands,
        edit_commands,
        month_command,
        log_commands,
        report_command,
        assess_command,
        render_command,
        roster_command,
        publish_commands,
        init_command,
    ):
        module.register(app)
    return app


def _version(value: bool) -> None:
    if value:
        print(f"yjstation {__version__}")
        raise typer.Exit()


def main(argv: list[str] | None = None) -> int:
    """Run `yjstation` with `argv` (the process's arguments when None) and return the exit status.

    Whatever it prints goes through a guard: an ID or phone number is masked in any message, whatever
    input it came from (a typo on the command line echoed by a usage error, a cell of a spreadsheet),
    and a console that cannot show a character (the GBK code page of a Chinese Windows) gets a
    replacement instead of ending the command."""
    args = sys.argv[1:] if argv is None else list(argv)
    GLOBALS.root = None
    from yjstation.cli.fastparams import install

    install()  # command-line values converted without Pydantic: see fastparams
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = ConsoleGuard(sys.stdout), ConsoleGuard(sys.stderr)
    try:
        return _run(args)
    finally:
        sys.stdout, sys.stderr = saved


@functools.cache
def _command(language: Language) -> typer.core.TyperGroup:
    """The command tree in `language`, built once per process: Click commands hold no state between
    runs, and a caller that runs many commands in one process (the tests, a script) pays for it once."""
    with using_language(language):
        command = typer.main.get_command(build_app())
    assert isinstance(command, typer.core.TyperGroup)
    return command


def _run(args: list[str]) -> int:
    language = detect(args, os.environ)
    with using_language(language):
        try:
            # Standalone mode: Click prints usage errors and help itself and ends with SystemExit.
            _command(language).main(args=args, prog_name="yjstation", standalone_mode=True)
        except SystemExit as done:
            return _status(done.code)
        except CannotRun as exc:
            print(tr("yjstation：{exc}", "yjstation: {exc}", exc=exc), file=sys.stderr)
            return 2
        except OSError as exc:  # the machine, not yjstation: a full disk, a read-only folder, a vanished file
            if os.environ.get("YJSTATION_DEBUG"):
                raise
            print(
                tr(
                    "yjstation：无法读写 {file}：{why}",
                    "yjstation: cannot read or write {file}: {why}",
                    file=exc.filename or "",
                    why=exc.strerror or exc,
                ),
                file=sys.stderr,
            )
            return 2
        except Exception as exc:  # a defect in yjstation; the operator gets one line, a developer can opt in
            if os.environ.get("YJSTATION_DEBUG"):
                raise
            print(
                tr(
                    "yjstation 内部错误：{kind}: {exc}（设置 YJSTATION_DEBUG=1 可查看详情）",
                    "yjstation internal error: {kind}: {exc} (set YJSTATION_DEBUG=1 for details)",
                    kind=type(exc).__name__,
                    exc=exc,
                ),
                file=sys.stderr,
            )
            return 2
    return 0  # not reached: standalone Click always ends with SystemExit


def _status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def run() -> None:
    """The console script's entry point: one command in a process of its own, so the collector is set
    up for a process that loads a repository and ends (see foundation.workers)."""
    from yjstation.foundation.workers import tune_collector

    tune_collector()
    sys.exit(main())
