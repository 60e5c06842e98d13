"""`yjstation site` and `yjstation pack`: what the county hands to the bureau and to inspectors."""

# No `from __future__ import annotations` in the command modules: Typer reads every command's
# signature when it builds the CLI, and string annotations would be evaluated there (twice per
# command) on every start, `--help` included. Evaluated once they cost less.

import sys
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
        today = date.today()
        site_data = gather(repo, chosen, day, today)
        levels = repo.schemas["station"].choices(("level",)) if "station" in repo.schemas.by_kind else {}
        pages = render_site(site_data, levels, data_version(root), today)
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

    @app.command(
        "pack",
        help=tr(
            "检查材料包（zip）：每个站点有效的合作协议、站长登记表和收费标准（DOCX，装有 LibreOffice 时另附 PDF），"
            "全县建设清单、最近的月报、花名册（打码）、培训记录、校验报告和静态网站，以及列出每个文件 SHA-256 的 "
            "MANIFEST。同一数据版本和参照日期生成的文件逐字节相同。",
            "The inspection pack (zip): each station's agreement in force, registration form and fee notice (DOCX, "
            "and PDF where LibreOffice is installed), the county's checklist, the latest monthly report, the roster "
            "(masked), the training record, the validate report and the site, with a MANIFEST of SHA-256 hashes. "
            "The same data commit and day give the same bytes.",
        ),
    )
    def pack(
        as_of: Annotated[
            str | None,
            options.as_of(
                tr("参照日期：有效的协议、资费红线和名单（默认：今天）", "The day the pack describes (default: today)")
            ),
        ] = None,
        out: Annotated[
            Path | None,
            typer.Option(
                "--out",
                dir_okay=False,
                help=tr(
                    "输出文件（默认：仓库下 out/pack-<参照日期>.zip）",
                    "Output file (default: out/pack-<day>.zip in the repository)",
                ),
            ),
        ] = None,
        pdf: Annotated[
            bool | None,
            typer.Option(
                "--pdf/--no-pdf",
                help=tr(
                    "是否附 PDF（默认：装有 LibreOffice 时附上）",
                    "Whether to add PDFs (default: when LibreOffice is installed)",
                ),
                show_default=False,
            ),
        ] = None,
    ) -> None:
        from yjstation.checking.engine import load_repository
        from yjstation.documents.station import DocumentError
        from yjstation.foundation.atomic import write_atomic
        from yjstation.publish.pack import build_pack, soffice, write_zip

        day = parse_as_of(as_of)
        root = repository_root()
        if pdf and soffice() is None:
            raise CannotRun(
                tr(
                    "没有找到 LibreOffice（soffice），无法生成 PDF；安装 libreoffice-writer，或去掉 --pdf",
                    "LibreOffice (soffice) is not installed, so no PDF can be made; install libreoffice-writer or drop --pdf",
                )
            )
        target = (out or root / "out" / f"pack-{day.isoformat()}.zip").resolve()
        try:
            made = build_pack(load_repository(root), day, pdf=pdf)
        except DocumentError as exc:
            raise CannotRun(str(exc)) from None
        try:
            write_atomic(target, write_zip(made, day))
        except OSError as exc:
            raise CannotRun(
                tr("无法写入 {target}：{why}", "cannot write {target}: {why}", target=target, why=exc.strerror or exc)
            ) from None
        for failure in made.failures:
            print(tr("未能生成：{what}", "not made: {what}", what=failure), file=sys.stderr)
        print(
            tr(
                "已生成检查材料包 {target}（{n} 个文件{pdf}）",
                "Wrote the inspection pack {target} ({n} files{pdf})",
                target=target,
                n=len(made.files),
                pdf=tr("，含 PDF", ", with PDFs") if made.pdf else "",
            )
        )
        raise typer.Exit(1 if made.failures else 0)
