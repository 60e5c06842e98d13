"""The prefecture roll-up at the terminal: one column per county and the total."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

from yjstation.documents.markdown import percent, signed, yuan
from yjstation.foundation.i18n import pick, tr

Row = tuple[str, Callable[[dict[str, Any]], Any]]


def rows() -> tuple[Row, ...]:
    """The table's rows: a label in the current language and how to read the figure from a county."""
    return (
        (tr("服务站", "stations"), lambda c: c["network"]["township_stations"] + c["network"]["village_stations"]),
        (tr("其中乡镇级", "of which township level"), lambda c: c["network"]["township_stations"]),
        (tr("其中村级", "of which village level"), lambda c: c["network"]["village_stations"]),
        (tr("月末运营", "operating at month end"), lambda c: c["network"]["operating"]),
        (tr("行政村覆盖", "village coverage"), lambda c: percent(c["network"]["village_coverage"])),
        (tr("贫困村覆盖", "poor-village coverage"), lambda c: percent(c["network"]["poverty_coverage"])),
        (
            tr("订单数", "orders"),
            lambda c: tr(
                "{n}（{change}）",
                "{n} ({change})",
                n=c["services"]["orders"],
                change=signed(c["services"]["orders_change"]),
            ),
        ),
        (tr("代购金额（元）", "purchases (yuan)"), lambda c: yuan(c["services"]["purchase_amount"])),
        (tr("代销金额（元）", "consignment sales (yuan)"), lambda c: yuan(c["services"]["consignment_sales"])),
        (tr("服务收费（元）", "service fees (yuan)"), lambda c: yuan(c["services"]["fees"])),
        (tr("本月推进步骤", "steps advanced this month"), lambda c: c["rollout"]["advanced"]),
        (tr("停滞站点", "stalled stations"), lambda c: c["rollout"]["stalled"]),
        (tr("资费超标（项）", "fees over the cap (items)"), lambda c: c["fees"]["violations"]),
        (
            tr("维护（在线/现场）", "maintenance (online/on site)"),
            lambda c: f"{c['maintenance']['online_visits']}/{c['maintenance']['onsite_visits']}",
        ),
        (
            tr("反馈（收到/办结）", "feedback (received/closed)"),
            lambda c: f"{c['maintenance']['feedback_opened']}/{c['maintenance']['feedback_closed']}",
        ),
        (tr("培训未学完（人次）", "training not finished (people)"), lambda c: c["training"]["incomplete"]),
        (tr("协议 90 天内到期", "agreements ending within 90 days"), lambda c: c["agreements_ending"]),
        (tr("30 天以上无订单", "no orders for 30+ days"), lambda c: c["idle"]["30"]),
    )


def show_rollup(report: dict[str, Any], console: Console) -> None:
    columns = [*report["by_county"], report["total"]]
    console.print(
        tr(
            "[bold]农村电子商务服务站 {title} 运营汇总[/]（{n} 个县，名单截至 {day}）",
            "[bold]Rural e-commerce service stations: operations roll-up {title}[/] ({n} count{n:y|ies}, stations as of {day})",
            title=pick(report["title"], report["period"]),
            n=report["total"]["counties"],
            day=report["as_of"],
        )
    )
    table = Table()
    table.add_column(tr("项目", "item"))
    for column in columns:
        name = tr("合计", "total") if column is report["total"] else column["name"]
        table.add_column(name, justify="right")
    for label, value in rows():
        table.add_row(label, *(str(value(c)) for c in columns))
    for step in report["total"]["rollout"]["steps"]:
        table.add_row(
            tr("完成“{step}”", "done: {step}", step=pick(step["name"], step["key"])),
            *(str(c["rollout"]["done_by_step"].get(step["key"], "—")) for c in columns),
        )
    console.print(table)
