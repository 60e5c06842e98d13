"""The prefecture roll-up at the terminal: one column per county and the total."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

from yjstation.markdown import percent, signed, yuan

Row = tuple[str, Callable[[dict[str, Any]], Any]]
ROWS: tuple[Row, ...] = (
    ("服务站", lambda c: c["network"]["township_stations"] + c["network"]["village_stations"]),
    ("其中乡镇级", lambda c: c["network"]["township_stations"]),
    ("其中村级", lambda c: c["network"]["village_stations"]),
    ("月末运营", lambda c: c["network"]["operating"]),
    ("行政村覆盖", lambda c: percent(c["network"]["village_coverage"])),
    ("贫困村覆盖", lambda c: percent(c["network"]["poverty_coverage"])),
    ("订单数", lambda c: f"{c['services']['orders']}（{signed(c['services']['orders_change'])}）"),
    ("代购金额（元）", lambda c: yuan(c["services"]["purchase_amount"])),
    ("代销金额（元）", lambda c: yuan(c["services"]["consignment_sales"])),
    ("服务收费（元）", lambda c: yuan(c["services"]["fees"])),
    ("本月推进步骤", lambda c: c["rollout"]["advanced"]),
    ("停滞站点", lambda c: c["rollout"]["stalled"]),
    ("资费超标（项）", lambda c: c["fees"]["violations"]),
    ("维护（在线/现场）", lambda c: f"{c['maintenance']['online_visits']}/{c['maintenance']['onsite_visits']}"),
    ("反馈（收到/办结）", lambda c: f"{c['maintenance']['feedback_opened']}/{c['maintenance']['feedback_closed']}"),
    ("培训未学完（人次）", lambda c: c["training"]["incomplete"]),
    ("协议 90 天内到期", lambda c: c["agreements_ending"]),
    ("30 天以上无订单", lambda c: c["idle"]["30"]),
)


def show_rollup(report: dict[str, Any], console: Console) -> None:
    columns = [*report["by_county"], report["total"]]
    console.print(
        f"[bold]农村电子商务服务站 {report['title']} 运营汇总[/]（{report['total']['counties']} 个县，名单截至 {report['as_of']}）"
    )
    table = Table()
    table.add_column("项目")
    for column in columns:
        table.add_column(column["name"], justify="right")
    for label, value in ROWS:
        table.add_row(label, *(str(value(c)) for c in columns))
    for step in report["total"]["rollout"]["steps"]:
        table.add_row(
            f"完成“{step['name']}”", *(str(c["rollout"]["done_by_step"].get(step["key"], "—")) for c in columns)
        )
    console.print(table)
