"""The summaries at the terminal: the headline figures of each section in rich tables."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from yjstation.documents.markdown import percent, signed, yuan
from yjstation.foundation.i18n import pick, tr


def show(report: dict[str, Any], console: Console) -> None:
    if report["kind"] == "weekly":
        _weekly(report, console)
    else:
        _monthly(report, console)


def _monthly(r: dict[str, Any], console: Console) -> None:
    n, s, m = r["network"]["total"], r["services"]["total"], r["maintenance"]
    console.print(
        tr(
            "[bold]{county}服务站 {title} 运营分析[/]（名单截至 {day}）",
            "[bold]{county} stations, {period}[/] (lists as of {day})",
            county=r["county"],
            title=r["title"],
            period=r["period"],
            day=r["as_of"],
        )
    )
    reporting = r["reporting"]
    console.print(
        tr(
            "数据报送：应报 {expected} 个站点，已报送 {reported} 个，未报送 {missing} 个{names}",
            "Reporting: {reported} of {expected} expected stations reported, {missing} not reported{names}",
            expected=reporting["expected"],
            reported=reporting["reported"],
            missing=len(reporting["missing"]),
            names=(
                tr("：", ": ")
                + tr("、", ", ").join(pick(u["name"], u["station"]) for u in r["unreported"][:20])
                + ("…" if len(r["unreported"]) > 20 else "")
            )
            if r["unreported"]
            else "",
        )
    )
    console.print(
        tr(
            "站点 {all} 个（乡镇级 {town}，村级 {village}），月末运营 {operating} 个；行政村覆盖 {villages}，贫困村覆盖 {poor}",
            "{all} station{all:|s} ({town} township, {village} village), {operating} operating at month end; "
            "villages covered {villages}, poverty villages {poor}",
            all=n["township_stations"] + n["village_stations"],
            town=n["township_stations"],
            village=n["village_stations"],
            operating=n["operating"],
            villages=percent(n["village_coverage"]),
            poor=percent(n["poverty_coverage"]),
        )
    )
    services = Table(title=tr("各乡镇服务量（较上月）", "Services by township (change on last month)"))
    headers = (
        tr("乡镇", "township"),
        tr("订单", "orders"),
        tr("代购金额（元）", "purchases"),
        tr("代销金额（元）", "consignment"),
        tr("收费（元）", "fees"),
    )
    for index, header in enumerate(headers):
        services.add_column(header, justify="right" if index else "left")
    total = tr("合计", "total")
    for t in [*r["services"]["by_township"], {**s, "name": total, "township": total}]:
        services.add_row(
            pick(t["name"], t["township"]),
            f"{t['orders']}\n{signed(t['orders_change'])}",
            f"{yuan(t['purchase_amount'])}\n{signed(t['purchase_amount_change'])}",
            f"{yuan(t['consignment_sales'])}\n{signed(t['consignment_sales_change'])}",
            f"{yuan(t['fees'])}\n{signed(t['fees_change'])}",
        )
    console.print(services)
    console.print(_by_service(r["services"]))
    if r["services"]["not_compared"]:
        console.print(
            tr(
                "较上月只比较两个月都已报送的 {n} 个站点",
                "Changes on last month compare only the {n} stations that reported both months",
                n=r["services"]["compared"],
            )
        )
    steps = ", ".join(f"{pick(x['name'], x['key'])} {x['done']}" for x in r["rollout"]["steps"])
    console.print(
        tr(
            "建设进度：{steps}；本月推进 {advanced} 步，停滞 {stalled} 个站点",
            "Rollout: {steps}; {advanced} step{advanced:|s} this month, {stalled} station{stalled:|s} stalled",
            steps=steps,
            advanced=len(r["rollout"]["advanced"]),
            stalled=len(r["rollout"]["stalled"]),
        )
    )
    console.print(tr("资费红线：本月超标 {n} 项", "Fees: {n} over the red lines this month", n=r["fees"]["count"]))
    console.print(
        tr(
            "维护：在线 {online} 次，现场 {onsite} 次；反馈 收到 {opened}，办结 {closed}，仍在处理 {open}",
            "Maintenance: {online} online, {onsite} on site; feedback {opened} opened, {closed} closed, {open} open",
            online=m["online_visits"],
            onsite=m["onsite_visits"],
            opened=m["feedback_opened"],
            closed=m["feedback_closed"],
            open=m["feedback_open"],
        )
    )
    console.print(
        tr(
            "培训：已结束的培训期中未学完 {n} 人次",
            "Training: {n} phase{n:|s} not completed after {n:it|they} ended",
            n=len(r["training"]["incomplete"]),
        )
    )
    console.print(
        tr(
            "协议 90 天内到期 {ending} 个；无订单 30 天以上 {idle30} 个，90 天以上 {idle90} 个",
            "Agreements ending within 90 days: {ending}; no orders for 30 days: {idle30}, for 90 days: {idle90}",
            ending=len(r["agreements_ending"]),
            idle30=len(r["idle"]["30"]),
            idle90=len(r["idle"]["90"]),
        )
    )
    from yjstation.cli.assess_views import rule_text

    a = r["assessment"]
    verdicts = tr("；", "; ").join(
        tr(
            "{label} 合格 {passed}、不合格 {failed}",
            "{level}: {passed} passed, {failed} failed",
            label=level["label"],
            level=level["level"],
            passed=level["passed"],
            failed=level["failed"],
        )
        for level in a["levels"]
    )
    console.print(
        tr(
            "考核：{verdicts}（{rule}）",
            "Assessment: {verdicts} ({rule})",
            verdicts=verdicts,
            rule=rule_text(a["rule"]),
        )
    )
    names = pick("、".join(c["name"] for c in a["candidates"]), ", ".join(c["station"] for c in a["candidates"])) or "-"
    console.print(tr("提请县级中心研究：{names}", "For the centre to consider: {names}", names=names))
    console.print(
        tr(
            "本月活动 {n} 项（详见 yjstation assess 和月报）",
            "{n} events this month (see yjstation assess and the report)",
            n=len(r["events"]),
        )
    )


_AMOUNT = {"purchase_agency": "amount", "consignment": "sales", "cash": "amount"}


def _by_service(services: dict[str, Any]) -> Table:
    """Each service's orders, amount and fees (the rebate for consignment), with the change on last month."""
    table = Table(title=tr("分业务服务量（较上月）", "Services by kind (change on last month)"))
    headers = (
        tr("业务", "service"),
        tr("单数", "orders"),
        tr("交易金额（元）", "amount"),
        tr("收费（元）", "fees"),
    )
    for index, header in enumerate(headers):
        table.add_column(header, justify="right" if index else "left")
    for key, now in services["by_service"].items():
        change = services["by_service_change"][key]
        amount, fee = _AMOUNT.get(key), "rebate" if key == "consignment" else "fees"
        table.add_row(
            pick(services["service_names"][key], key),
            f"{now['orders']}\n{signed(change['orders'])}",
            f"{yuan(now[amount])}\n{signed(change[amount])}" if amount else "—",
            f"{yuan(now[fee])}{tr('（返利）', ' (rebate)') if fee == 'rebate' else ''}\n{signed(change[fee])}",
        )
    return table


def _weekly(r: dict[str, Any], console: Console) -> None:
    console.print(
        tr(
            "[bold]{county}服务站 {title} 工作周报[/]",
            "[bold]{county} stations, week {period}[/]",
            county=r["county"],
            title=r["title"],
            period=r["period"],
        )
    )
    console.print(
        tr(
            "完成建设步骤 {steps} 项，维护 {visits} 次，收到反馈 {opened} 件、办结 {closed} 件，培训 {training} 人次",
            "{steps} rollout steps done, {visits} maintenance visits, feedback {opened} opened and {closed} closed, "
            "{training} training sessions",
            steps=len(r["steps_completed"]),
            visits=len(r["maintenance"]),
            opened=len(r["feedback_opened"]),
            closed=len(r["feedback_closed"]),
            training=len(r["training"]),
        )
    )
    if r["steps_completed"]:
        table = Table(title=tr("完成的建设步骤", "Rollout steps done"))
        for header in (tr("日期", "date"), tr("站点", "station"), tr("步骤", "step")):
            table.add_column(header)
        for x in r["steps_completed"]:
            table.add_row(x["date"], pick(x["name"], x["station"]), pick(x["step_name"], x["step"]))
        console.print(table)
