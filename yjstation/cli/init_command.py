"""`yjstation init`: a new county's data repository, ready to validate and commit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def init(
    directory: Annotated[Path, typer.Argument(help="新仓库的目录（不存在或为空）", file_okay=False)],
    county: Annotated[str, typer.Option("--county", help="县名，如 盈江县")],
    division_code: Annotated[str, typer.Option("--division-code", help="6 位行政区划代码，如 533123")],
    operator: Annotated[
        str | None,
        typer.Option("--operator", help="甲方（县级电子商务公共服务中心）名称（默认：县名 + 电子商务公共服务中心）"),
    ] = None,
) -> None:
    """新建一个县的数据仓库：县情、政策默认值、数据结构、模板、豁免清单、说明和 pre-commit 配置，建成即可通过校验。"""
    from datetime import date

    from yjstation.skeleton import init_repository

    files = init_repository(directory, county, division_code, operator, date.today())
    print(f"已在 {directory} 创建{county}的数据仓库（{len(files)} 个文件）。下一步：")
    print("  1. 在 data/county.yaml 中补全甲方信息、建设目标和乡镇名单；按本县方案修改 data/policy/ 下的文件")
    print(f"  2. cd {directory} && yjstation validate")
    print('  3. git init && git add . && git commit -m "数据仓库" && pre-commit install')
