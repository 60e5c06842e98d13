"""Rich tables for the terminal. Only the CLI imports rich; the library computes, these only draw."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from yjstation.checklist import Checklist, StationRow
from yjstation.compliance import ComplianceReport, PlacedRow, Totals
from yjstation.fees import money

STATUS_ZH = {"done": ("已完成", "green"), "in_progress": ("进行中", "yellow"), "todo": ("未开始", "dim")}


def checklist_table(checklist: Checklist, level_labels: dict[str, str], console: Console) -> None:
    steps = checklist.policy.steps
    total = len(checklist.stations)
    grid = Table(title=f"服务站建设进度（截至 {checklist.as_of}）", show_footer=True)
    grid.add_column("乡镇", footer="合计", overflow="fold")
    grid.add_column("站点", justify="right", footer=str(total))
    done_all = checklist.done_by_step()
    for step in steps:
        share = f"{done_all[step.key] * 100 / total:.0f}%" if total else "—"
        # two-line headers keep eight step columns inside an 80-column terminal
        header = step.name if len(step.name) <= 2 else f"{step.name[:2]}\n{step.name[2:]}"
        grid.add_column(header, justify="right", footer=f"{done_all[step.key]}\n{share}")
    for _, name, rows in checklist.by_township():
        done = checklist.done_by_step(rows)
        grid.add_row(name, str(len(rows)), *(str(done[s.key]) for s in steps))
    console.print(grid)

    table = Table(title="各站点当前步骤")
    for header in ("站点编号", "站点", "级别", "当前步骤", "停留天数", "状态"):
        table.add_column(header, overflow="fold")
    for row in checklist.stations:
        current = row.progress.current
        days = "" if row.progress.days_in_step is None else str(row.progress.days_in_step)
        mark = Text("停滞", style="bold red") if row.progress.stalled else Text("")
        table.add_row(
            row.id,
            row.name,
            level_labels.get(row.level, row.level),
            current.name if current else "全部完成",
            days,
            mark,
        )
    console.print(table)
    stalled = sum(r.progress.stalled for r in checklist.stations)
    console.print(
        f"共 {total} 个站点，全部完成 {sum(r.progress.current is None for r in checklist.stations)} 个，停滞 {stalled} 个。"
    )


def station_steps(row: StationRow, level_labels: dict[str, str], console: Console) -> None:
    current = row.progress.current
    console.print(Text(f"{row.name}（{row.id}）", style="bold"))
    console.print(
        f"{row.township_name} · {level_labels.get(row.level, row.level)} · 当前步骤："
        f"{current.name if current else '全部完成'}"
        + (f"，已停留 {row.progress.days_in_step} 天" if row.progress.days_in_step is not None else "")
        + ("（停滞）" if row.progress.stalled else "")
    )
    table = Table()
    for header in ("步骤", "状态", "完成日期", "材料"):
        table.add_column(header, overflow="fold")
    for state in row.progress.steps:
        label, style = STATUS_ZH[state.status]
        missing = {e.key for e in state.missing}
        items = Text()
        for index, item in enumerate(state.step.evidence):
            items.append("\n" if index else "")
            items.append("✗ " if item.key in missing else "✓ ", style="red" if item.key in missing else "green")
            items.append(item.label)
        table.add_row(
            f"{state.step.order}. {state.step.name}",
            Text(label, style=style),
            state.done.isoformat() if state.done else "",
            items,
        )
    console.print(table)


def _service(service: str) -> str:
    from yjstation.fees import service_label

    return service_label(service)


def fee_table(
    report: ComplianceReport, shown: list[PlacedRow], violations: bool, townships: dict[str, str], console: Console
) -> None:
    months = "、".join(report.months) if len(report.months) <= 3 else f"{report.months[0]} 至 {report.months[-1]}"
    table = Table(title=f"资费红线检查（{months}；公示收费按 {report.as_of}）")
    for header in ("站点", "月份", "服务", "实测", "红线", "结果", *(("位置",) if violations else ())):
        table.add_column(header, overflow="fold")
    for placed in shown:
        row = placed.row
        verdict = Text("合规", style="green") if row.ok else Text("超标", style="bold red")
        cells: list[str | Text] = [
            row.station,
            row.month or "公示",
            _service(row.service),
            row.value_text(),
            row.cap_text(),
            verdict,
        ]
        if violations:
            cells.append(f"{placed.file}:{placed.line}")
        table.add_row(*cells)
    if shown:
        console.print(table)
    else:
        console.print(f"{'没有超过红线的项目' if violations else '没有可检查的记录'}（{months}）。")
    by_township, county = report.totals()
    totals = Table(title="合计")
    for header in ("乡镇", "订单数", "收费（元）", "超标项"):
        totals.add_column(header, justify="right" if header != "乡镇" else "left")
    for tid, t in _in_county_order(by_township, townships):
        totals.add_row(townships.get(tid, tid), str(t.orders), money(t.fees), str(t.over))
    totals.add_row("全县", str(county.orders), money(county.fees), str(county.over), style="bold")
    console.print(totals)


def fee_markdown_context(
    report: ComplianceReport, shown: list[PlacedRow], county: str, violations: bool, townships: dict[str, str]
) -> dict[str, Any]:
    by_township, total = report.totals()
    rows = [
        {
            "station": p.row.station,
            "month": p.row.month or "公示",
            "service": _service(p.row.service),
            "value": p.row.value_text(),
            "cap": p.row.cap_text(),
            "ok": p.row.ok,
            "file": p.file,
            "line": p.line,
        }
        for p in shown
    ]
    totals = [
        {"name": townships.get(tid, tid), "orders": t.orders, "fees": money(t.fees), "over": t.over}
        for tid, t in _in_county_order(by_township, townships)
    ]
    totals.append({"name": "全县", "orders": total.orders, "fees": money(total.fees), "over": total.over})
    return {
        "county": county,
        "months": "、".join(report.months),
        "as_of": report.as_of.isoformat(),
        "rows": rows,
        "over": total.over,
        "violations_only": violations,
        "totals": totals,
    }


def _in_county_order(by_township: dict[str, Totals], townships: dict[str, str]) -> list[tuple[str, Totals]]:
    order = {tid: i for i, tid in enumerate(townships)}
    return sorted(by_township.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
