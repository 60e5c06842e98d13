"""The summaries at the terminal: the headline figures of each section in rich tables."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from yjstation.markdown import percent, signed, yuan


def show(report: dict[str, Any], console: Console) -> None:
    if report["kind"] == "weekly":
        _weekly(report, console)
    else:
        _monthly(report, console)


def _monthly(r: dict[str, Any], console: Console) -> None:
    n, s = r["network"]["total"], r["services"]["total"]
    console.print(f"[bold]{r['county']}服务站 {r['title']} 运营分析[/]（名单截至 {r['as_of']}）")
    console.print(
        f"站点 {n['township_stations'] + n['village_stations']} 个（乡镇级 {n['township_stations']}，"
        f"村级 {n['village_stations']}），月末运营 {n['operating']} 个；行政村覆盖 {percent(n['village_coverage'])}，"
        f"贫困村覆盖 {percent(n['poverty_coverage'])}"
    )
    services = Table(title="各乡镇服务量（较上月）")
    for header in ("乡镇", "订单", "代购金额（元）", "代销金额（元）", "收费（元）"):
        services.add_column(header, justify="left" if header == "乡镇" else "right")
    for t in [*r["services"]["by_township"], {"name": "合计", **s}]:
        services.add_row(
            t["name"],
            f"{t['orders']}\n{signed(t['orders_change'])}",
            f"{yuan(t['purchase_amount'])}\n{signed(t['purchase_amount_change'])}",
            f"{yuan(t['consignment_sales'])}\n{signed(t['consignment_sales_change'])}",
            f"{yuan(t['fees'])}\n{signed(t['fees_change'])}",
        )
    console.print(services)
    steps = "，".join(f"{x['name']} {x['done']}" for x in r["rollout"]["steps"])
    console.print(
        f"建设进度：{steps}；本月推进 {len(r['rollout']['advanced'])} 步，停滞 {len(r['rollout']['stalled'])} 个站点"
    )
    console.print(f"资费红线：本月超标 {r['fees']['count']} 项")
    m = r["maintenance"]
    console.print(
        f"维护：在线 {m['online_visits']} 次，现场 {m['onsite_visits']} 次；反馈 收到 {m['feedback_opened']}，"
        f"办结 {m['feedback_closed']}，仍在处理 {m['feedback_open']}"
    )
    console.print(f"培训：已结束的培训期中未学完 {len(r['training']['incomplete'])} 人次")
    console.print(
        f"协议 90 天内到期 {len(r['agreements_ending'])} 个；无订单 30 天以上 {len(r['idle']['30'])} 个，"
        f"90 天以上 {len(r['idle']['90'])} 个"
    )
    ranking = Table(title="站点考核（前 10 名）")
    for header in ("名次", "站点", "得分"):
        ranking.add_column(header)
    for x in r["assessment"]["ranking"][:10]:
        ranking.add_row(str(x["rank"]), x["name"], str(x["score"]))
    console.print(ranking)
    console.print(f"提请复核：{'、'.join(r['assessment']['review_names']) or '无'}")


def _weekly(r: dict[str, Any], console: Console) -> None:
    console.print(f"[bold]{r['county']}服务站 {r['title']} 工作周报[/]")
    console.print(
        f"完成建设步骤 {len(r['steps_completed'])} 项，维护 {len(r['maintenance'])} 次，"
        f"收到反馈 {len(r['feedback_opened'])} 件、办结 {len(r['feedback_closed'])} 件，培训 {len(r['training'])} 人次"
    )
    if r["steps_completed"]:
        table = Table(title="完成的建设步骤")
        for header in ("日期", "站点", "步骤"):
            table.add_column(header)
        for x in r["steps_completed"]:
            table.add_row(x["date"], x["name"], x["step_name"])
        console.print(table)
