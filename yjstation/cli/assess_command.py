"""`yjstation assess`: each station's month against the targets the centre issued to it."""

# No `from __future__ import annotations` in the command modules: Typer reads every command's
# signature when it builds the CLI, and string annotations would be evaluated there (twice per
# command) on every start, `--help` included. Evaluated once they cost less.

import sys
from enum import StrEnum
from typing import Annotated

import typer

from yjstation.cli import options
from yjstation.cli.common import console, repository_root
from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import tr


class Format(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    @app.command(
        "assess",
        help=tr(
            "月度业务考核：每个站点对照县级中心下达给它的业务指标（data/policy/assessment.yaml），"
            "乡镇级和村级分开，列出每项指标的目标值和实际值、合格或不合格，以及连续不合格、提请县级中心研究的站点"
            "（是否更换合作者由县级中心决定）和本月记录的优秀评选。",
            "Monthly business assessment: each station against the targets the centre issued to it "
            "(data/policy/assessment.yaml), township and village stations apart, with every target's goal and actual "
            "figure, the verdict, the stations failing month after month for the centre to consider (replacing a "
            "partner is the centre's decision) and the selections of excellent stations and stationmasters recorded in the month.",
        ),
    )
    def assess_command(
        period: Annotated[str, typer.Argument(metavar="YYYY-MM", help=tr("考核的月份", "The month to assess"))],
        township: Annotated[str | None, options.township()] = None,
        output: Annotated[
            Format, options.output_format(tr("text（终端）或 json", "text (terminal) or json"))
        ] = Format.text,
    ) -> None:
        from yjstation.checking.engine import load_repository
        from yjstation.reports import output as out
        from yjstation.reports.assessment import assess
        from yjstation.reports.data import ReportData
        from yjstation.reports.period import month

        try:
            chosen = month(period)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
        data = ReportData.load(load_repository(repository_root()), township)
        if township is not None and not data.townships:
            raise CannotRun(
                tr("乡镇编号 {id} 不在 data/county.yaml 中", "township {id} is not in data/county.yaml", id=township)
            )
        result = assess(data, chosen)
        if output is Format.json:
            sys.stdout.write(out.to_json(result))
            return
        from yjstation.cli.assess_views import show

        show(result, console())
