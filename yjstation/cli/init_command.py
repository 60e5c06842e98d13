"""`yjstation init`: a new county's data repository, ready to validate and commit."""

# No `from __future__ import annotations` in the command modules: Typer reads every command's
# signature when it builds the CLI, and string annotations would be evaluated there (twice per
# command) on every start, `--help` included. Evaluated once they cost less.

from pathlib import Path
from typing import Annotated

import typer

from yjstation.foundation.i18n import tr


def register(app: typer.Typer) -> None:
    @app.command(
        "init",
        help=tr(
            "新建一个县的数据仓库：县情、政策默认值、数据结构、模板、豁免清单、说明和 pre-commit 配置，建成即可通过校验。",
            "Create a county's data repository: county facts, policy defaults, schemas, templates, waivers, README and "
            "pre-commit configuration; it validates as soon as it is made.",
        ),
    )
    def init(
        directory: Annotated[
            Path,
            typer.Argument(
                help=tr("新仓库的目录（不存在或为空）", "Folder for the new repository (absent or empty)"),
                file_okay=False,
            ),
        ],
        county: Annotated[str, typer.Option("--county", help=tr("县名，如 盈江县", "County name, in Chinese"))],
        division_code: Annotated[
            str,
            typer.Option(
                "--division-code",
                help=tr("6 位行政区划代码，如 533123", "6-digit administrative division code, e.g. 533123"),
            ),
        ],
        operator: Annotated[
            str | None,
            typer.Option(
                "--operator",
                help=tr(
                    "甲方（县级电子商务公共服务中心）名称（默认：县名 + 电子商务公共服务中心）",
                    "Name of party A, the county e-commerce public service centre "
                    "(default: the county name + the Chinese for e-commerce public service centre)",
                ),
            ),
        ] = None,
    ) -> None:
        from datetime import date

        from yjstation.editing.skeleton import init_repository

        files = init_repository(directory, county, division_code, operator, date.today())
        print(
            tr(
                "已在 {directory} 创建{county}的数据仓库（{n} 个文件）。下一步：",
                "Created the data repository of {county} in {directory} ({n} file{n:|s}). Next:",
                directory=directory,
                county=county,
                n=len(files),
            )
        )
        print(
            tr(
                "  1. 在 data/county.yaml 中补全甲方信息、建设目标和乡镇名单；按本县方案修改 data/policy/ 下的文件",
                "  1. complete party A, the targets and the townships in data/county.yaml; adapt the files under "
                "data/policy/ to the county's plan",
            )
        )
        print(f"  2. cd {directory} && yjstation validate")
        print(
            tr(
                '  3. git init && git add . && git commit -m "数据仓库" && pre-commit install',
                '  3. git init && git add . && git commit -m "Data repository" && pre-commit install',
            )
        )
