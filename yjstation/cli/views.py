"""Rich tables for the terminal. Only the CLI imports rich; the library computes, these only draw."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from yjstation.domain.fees import money
from yjstation.foundation.i18n import language, pick, tr
from yjstation.reports.checklist import Checklist, StationRow
from yjstation.reports.compliance import ComplianceReport, PlacedRow, in_county_order

STYLE = {"done": "green", "in_progress": "yellow", "todo": "dim"}


def status_label(status: str) -> str:
    return {"done": tr("已完成", "done"), "in_progress": tr("进行中", "in progress")}.get(status, tr("未开始", "to do"))


def step_name(step: Any) -> str:
    return pick(step.name, step.key)


def checklist_table(checklist: Checklist, level_labels: dict[str, str], console: Console) -> None:
    steps = checklist.policy.steps
    total = len(checklist.stations)
    grid = Table(
        title=tr("服务站建设进度（截至 {day}）", "Station rollout as of {day}", day=checklist.as_of), show_footer=True
    )
    grid.add_column(tr("乡镇", "township"), footer=tr("合计", "total"), overflow="fold")
    grid.add_column(tr("站点", "stations"), justify="right", footer=str(total))
    done_all = checklist.done_by_step()
    for step in steps:
        share = f"{done_all[step.key] * 100 / total:.0f}%" if total else "—"
        # two-line headers keep eight step columns inside an 80-column terminal
        name = step_name(step)
        header = name if len(name) <= 2 or language() == "en" else f"{name[:2]}\n{name[2:]}"
        grid.add_column(header, justify="right", footer=f"{done_all[step.key]}\n{share}")
    for tid, name, rows in checklist.by_township():
        done = checklist.done_by_step(rows)
        grid.add_row(
            pick(name, tid) if tid else tr("（未知乡镇）", "(unknown township)"),
            str(len(rows)),
            *(str(done[s.key]) for s in steps),
        )
    console.print(grid)

    table = Table(title=tr("各站点当前步骤", "Current step of each station"))
    for header in (
        tr("站点编号", "id"),
        tr("站点", "station"),
        tr("级别", "level"),
        tr("当前步骤", "current step"),
        tr("停留天数", "days"),
        tr("状态", "state"),
    ):
        table.add_column(header, overflow="fold")
    for row in checklist.stations:
        current = row.progress.current
        days = "" if row.progress.days_in_step is None else str(row.progress.days_in_step)
        mark = Text(tr("停滞", "stalled"), style="bold red") if row.progress.stalled else Text("")
        table.add_row(
            row.id,
            row.name,
            pick(level_labels.get(row.level, row.level), row.level),
            step_name(current) if current else tr("全部完成", "all done"),
            days,
            mark,
        )
    console.print(table)
    stalled = sum(r.progress.stalled for r in checklist.stations)
    console.print(
        tr(
            "共 {total} 个站点，全部完成 {done} 个，停滞 {stalled} 个。",
            "{total} station{total:|s}, {done} with every step done, {stalled} stalled.",
            total=total,
            done=sum(r.progress.current is None for r in checklist.stations),
            stalled=stalled,
        )
    )


def station_steps(row: StationRow, level_labels: dict[str, str], console: Console) -> None:
    current = row.progress.current
    console.print(Text(tr("{name}（{id}）", "{name} ({id})", name=row.name, id=row.id), style="bold"))
    console.print(
        tr(
            "{township} · {level} · 当前步骤：{step}",
            "{township} · {level} · current step: {step}",
            township=pick(row.township_name, row.township),
            level=pick(level_labels.get(row.level, row.level), row.level),
            step=step_name(current) if current else tr("全部完成", "all done"),
        )
        + (
            tr("，已停留 {days} 天", ", {days} day{days:|s}", days=row.progress.days_in_step)
            if row.progress.days_in_step is not None
            else ""
        )
        + (tr("（停滞）", " (stalled)") if row.progress.stalled else "")
    )
    table = Table()
    for header in (tr("步骤", "step"), tr("状态", "status"), tr("完成日期", "done"), tr("材料", "evidence")):
        table.add_column(header, overflow="fold")
    for state in row.progress.steps:
        label, style = status_label(state.status), STYLE[state.status]
        missing = {e.key for e in state.missing}
        items = Text()
        for index, item in enumerate(state.step.evidence):
            items.append("\n" if index else "")
            items.append("✗ " if item.key in missing else "✓ ", style="red" if item.key in missing else "green")
            items.append(pick(item.label, item.key))
        table.add_row(
            f"{state.step.order}. {step_name(state.step)}",
            Text(label, style=style),
            state.done.isoformat() if state.done else "",
            items,
        )
    console.print(table)


def _service(service: str) -> str:
    from yjstation.domain.fees import service_label

    return service_label(service)


def fee_table(
    report: ComplianceReport, shown: list[PlacedRow], violations: bool, townships: dict[str, str], console: Console
) -> None:
    months = (
        ", ".join(report.months)
        if len(report.months) <= 3
        else tr("{first} 至 {last}", "{first} to {last}", first=report.months[0], last=report.months[-1])
    )
    table = Table(
        title=tr(
            "资费红线检查（{months}；公示收费按 {day}）",
            "Fees against the red lines ({months}; posted fees as of {day})",
            months=months,
            day=report.as_of,
        )
    )
    headers = (
        tr("站点", "station"),
        tr("月份", "month"),
        tr("服务", "service"),
        tr("实测", "measured"),
        tr("红线", "cap"),
        tr("结果", "result"),
    )
    for header in (*headers, *((tr("位置", "where"),) if violations else ())):
        table.add_column(header, overflow="fold")
    for placed in shown:
        row = placed.row
        verdict = Text(tr("合规", "ok"), style="green") if row.ok else Text(tr("超标", "over"), style="bold red")
        cells: list[str | Text] = [
            row.station,
            row.month or tr("公示", "posted"),
            pick(_service(row.service), row.service),
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
        nothing = (
            tr("没有超过红线的项目", "nothing over the red lines")
            if violations
            else tr("没有可检查的记录", "no records")
        )
        console.print(f"{nothing} ({months})")
    by_township, county = report.totals()
    totals = Table(title=tr("合计", "Totals"))
    for index, header in enumerate(
        (tr("乡镇", "township"), tr("订单数", "orders"), tr("收费（元）", "fees (yuan)"), tr("超标项", "over"))
    ):
        totals.add_column(header, justify="right" if index else "left")
    for tid, t in in_county_order(by_township, townships):
        totals.add_row(pick(townships.get(tid, tid), tid), str(t.orders), money(t.fees), str(t.over))
    totals.add_row(tr("全县", "county"), str(county.orders), money(county.fees), str(county.over), style="bold")
    console.print(totals)
