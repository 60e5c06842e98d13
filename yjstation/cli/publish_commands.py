"""`yjstation site` and `yjstation pack`: what the county hands to the bureau and to inspectors."""

# No `from __future__ import annotations` in the command modules: Typer reads every command's
# signature when it builds the CLI, and string annotations would be evaluated there (twice per
# command) on every start, `--help` included. Evaluated once they cost less.

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from yjstation.cli import options
from yjstation.cli.common import parse_as_of, parse_month, repository_root
from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import tr


def register(app: typer.Typer) -> None:
    @app.command(
        "site",
        help=tr(
            "生成站点网络的静态网站（给商务局、县领导和检查组看）：全县概况、各乡镇、各站点和数据问题清单；"
            "直接打开 index.html 即可，无需联网。",
            "Write a static website of the network for the bureau, the county leadership and inspectors: the "
            "county, each township, each station and the findings; open index.html, no server or network needed.",
        ),
    )
    def site(
        out_dir: Annotated[
            Path | None,
            options.out_dir(
                tr("输出目录（默认：仓库下 out/site）", "Output folder (default: out/site in the repository)")
            ),
        ] = None,
        as_of: Annotated[
            str | None,
            options.as_of(
                tr(
                    "参照日期（默认：给出 --month 时为该月最后一天，否则为今天）",
                    "Reference day (default: the month's last day with --month, else today)",
                )
            ),
        ] = None,
        month: Annotated[
            str | None,
            options.month(
                tr("统计月份（默认：有记录的最近一个月）", "The month shown (default: the latest month with records)")
            ),
        ] = None,
    ) -> None:
        from yjstation.checking.engine import load_repository
        from yjstation.foundation.provenance import data_version
        from yjstation.publish.site import render_site, write_site
        from yjstation.publish.views import gather, latest_month
        from yjstation.reports.period import month as period_of

        root = repository_root()
        repo = load_repository(root)
        chosen = parse_month(month) if month is not None else None
        day = parse_as_of(as_of) if as_of is not None or chosen is None else period_of(chosen).last
        chosen = chosen or latest_month(repo, day)
        if chosen is None:
            raise CannotRun(tr("仓库中还没有月度运营记录", "the repository has no monthly records yet"))
        site_data = gather(repo, chosen, day)
        levels = repo.schemas["station"].choices(("level",)) if "station" in repo.schemas.by_kind else {}
        pages = render_site(site_data, levels, data_version(root), date.today())
        target = (out_dir or root / "out" / "site").resolve()
        try:
            write_site(pages, target)
        except OSError as exc:
            raise CannotRun(
                tr("无法写入 {target}：{why}", "cannot write {target}: {why}", target=target, why=exc.strerror or exc)
            ) from None
        print(
            tr(
                "已生成 {n} 个页面到 {target}；打开 {target}/index.html 查看",
                "Wrote {n} pages to {target}; open {target}/index.html",
                n=len(pages),
                target=target,
            )
        )
