"""The assessment at the terminal: per level, every station's targets with the figures behind the verdict."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from yjstation.foundation.i18n import pick, tr


def rule_text(rule: dict[str, Any]) -> str:
    """The policy's pass rule and review line, as the county set them."""
    needed = (
        tr("全部适用指标达到", "every applicable target met")
        if rule["pass_at_least"] is None
        else tr("至少 {n} 项指标达到", "at least {n} targets met", n=rule["pass_at_least"])
    )
    review = (
        tr(
            "连续 {n} 个月不合格的站点提请县级中心研究",
            "stations failing {n} months in a row go to the centre",
            n=rule["review_after"],
        )
        if rule["review_after"]
        else tr("不设连续不合格名单", "no list of repeated failures")
    )
    return tr("合格：{needed}；{review}", "pass: {needed}; {review}", needed=needed, review=review)


def show(result: dict[str, Any], console: Console) -> None:
    issue = result["issue"]
    console.print(
        tr(
            "[bold]{period} 业务考核[/]（指标：{source}）",
            "[bold]Assessment {period}[/] (targets: {source})",
            period=result["period"],
            source=tr(
                "{start} 起执行，{by} {issued} 下达",
                "from {start}, issued by {by} on {issued}",
                start=issue["from"],
                by=issue["by"],
                issued=issue["issued"],
            )
            if issue
            else tr("未下达", "none issued"),
        )
    )
    console.print(rule_text(result["rule"]))
    for level in result["levels"]:
        table = Table(
            title=tr(
                "{label}：合格 {passed}，不合格 {failed}",
                "{level} stations: {passed} passed, {failed} failed",
                label=level["label"],
                level=level["level"],
                passed=level["passed"],
                failed=level["failed"],
            )
        )
        metrics = level["metrics"]
        table.add_column(tr("站点", "station"))
        for metric in metrics:
            table.add_column(pick(metric["short"], metric["metric"]), justify="right")
        table.add_column(tr("结论", "verdict"))
        table.add_column(tr("连续不合格（月）", "failed in a row"), justify="right")
        for row in level["stations"]:
            cells = []
            by_metric = {t["metric"]: t for t in row["targets"]}
            for metric in metrics:
                t = by_metric.get(metric["metric"])
                if t is None:
                    cells.append("")  # the station does not offer the service this target measures
                    continue
                shown = f"{t['actual'] if t['actual'] is not None else '—'}/{t['target']}"
                cells.append(shown if t["met"] else f"[red]✗ {shown}[/]")
            verdict = pick(row["verdict"], "pass" if row["passed"] else "fail") + f" {row['met']}/{row['applicable']}"
            if row["no_record"]:
                verdict += tr("（无运营记录）", " (no record)")
            table.add_row(
                pick(row["short"], row["station"]),
                *cells,
                verdict if row["passed"] else f"[bold red]{verdict}[/]",
                str(row["failed_in_a_row"] or ""),
            )
        console.print(table)
        for skipped in level["not_assessed"]:
            name = pick(skipped["name"], skipped["station"])
            if skipped["reason"] == "not_reported":
                line = tr(
                    "  {name}：本月未报送运营数据，不予考核", "  {name}: no figures reported; not assessed", name=name
                )
            else:
                line = tr(
                    "  {name}：本月开业或停止运营，不足整月，本月不考核",
                    "  {name}: opened or closed during the month; not assessed",
                    name=name,
                )
            console.print(line)
    names = tr("、", ", ").join(
        tr("{name}（连续 {n} 个月）", "{name} ({n} months)", name=pick(c["name"], c["station"]), n=c["months"])
        for c in result["candidates"]
    )
    console.print(
        tr(
            "提请县级中心研究（是否更换合作者由县级中心决定）：{names}",
            "For the centre to consider (replacing a partner is its decision): {names}",
            names=names or tr("无", "none"),
        )
    )
    for selection in result["selections"]:
        awards = tr("、", ", ").join(
            f"{a['label']} {pick(a['name'], a['station'])}"
            + (f"（{a['stationmaster']}）" if a["stationmaster"] else "")
            for a in selection["awards"]
        )
        console.print(
            tr(
                "{date} {name}（{by}决定）：{awards}",
                "{date} {name} (decided by {by}): {awards}",
                date=selection["date"],
                name=selection["name"],
                by=selection["decided_by"],
                awards=awards,
            )
        )
