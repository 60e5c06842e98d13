"""Training records: modules from the plan, in their phase, dated inside the phase's window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from yjstation.checking.rules.base import Context, Finding, Rule
from yjstation.domain.history import station_on
from yjstation.domain.stations import is_operating, opened_on
from yjstation.domain.training import Readiness, readiness
from yjstation.foundation.diagnostics import Code, Severity
from yjstation.foundation.i18n import tr
from yjstation.foundation.records import as_date, as_dict, as_list, as_str, dig, month_bounds
from yjstation.foundation.sourcemap import DataPath
from yjstation.loading.loader import Document

CLAUSE = "三（六）6.3 培训计划安排（data/policy/training.yaml）"
UNKNOWN_MODULE = Code(
    "TR001", Severity.ERROR, "培训模块不在培训计划中", CLAUSE, "使用 data/policy/training.yaml 中的模块编号"
)
WRONG_PHASE = Code("TR002", Severity.ERROR, "培训期次与模块不符", CLAUSE, "期次填写该模块所属的一期或二期")
OUTSIDE_WINDOW = Code(
    "TR003", Severity.WARNING, "培训日期不在该期培训时间内", CLAUSE, "核对日期；补训可保留，但请在备注中说明"
)


GATE = "三（六）6.3 每个站点要开展电商服务必须掌握网上代购、代卖服务技能；金融服务技能；快递物流收发技能"
UNTRAINED = Code(
    "TR004",
    Severity.ERROR,
    "站长未学完一期（基础）培训就为村民服务，且一期培训已经结束",
    GATE,
    "站长先补完一期培训的全部模块（点对点或在线补训），再开展服务；补训记录登记在 `training` 中",
)
UNTRAINED_EARLY = Code(
    "TR005",
    Severity.WARNING,
    "一期（基础）培训期间，站长尚未学完就为村民服务",
    GATE,
    "在一期培训结束前学完全部模块；结束后仍未学完即为错误",
)


def _records(station: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    yield from enumerate(map(as_dict, as_list(station.get("training"))))


def check_module(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    if not ctx.training.phases:
        return
    known = [m.id for p in ctx.training.phases for m in p.modules]
    for index, record in _records(station):
        module_id = as_str(record.get("module"))
        if module_id is not None and ctx.training.module(module_id) is None:
            yield Finding(
                ("training", index, "module"),
                tr("培训模块 `{id}` 不在培训计划中", "training module `{id}` is not in the plan", id=module_id),
                hint=tr("可用的模块：{ids}", "modules: {ids}", ids=", ".join(known)),
            )


def check_phase(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    for index, record in _records(station):
        module = ctx.training.module(as_str(record.get("module")) or "")
        phase = record.get("phase")
        if module is not None and isinstance(phase, int) and phase != module.phase:
            yield Finding(
                ("training", index, "phase"),
                tr(
                    "模块“{name}”属于第 {right} 期，记录为第 {given} 期",
                    "module {id} belongs to phase {right}, recorded as phase {given}",
                    name=module.name,
                    id=module.id,
                    right=module.phase,
                    given=phase,
                ),
            )


def check_window(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    # A stationmaster who took office after a phase had ended (合作协议第三条：甲方有权更换合作者) can only
    # be trained later: the plan's 后期跟踪辅导, not a session out of its window.
    took_office = as_date(dig(station, ("stationmaster", "from")))
    for index, record in _records(station):
        module = ctx.training.module(as_str(record.get("module")) or "")
        when = as_date(record.get("date"))
        phase = ctx.training.phase(module.phase) if module else None
        if phase is None or when is None:
            continue
        if took_office is not None and phase.end is not None and took_office > phase.end and when > phase.end:
            continue  # trained as a successor, before or after taking office
        if (phase.start and when < phase.start) or (phase.end and when > phase.end):
            yield Finding(
                ("training", index, "date"),
                tr(
                    "{when} 不在{name}的时间内（{start} 至 {end}）",
                    "{when} is outside phase {number} ({start} to {end})",
                    when=when,
                    name=phase.name,
                    number=phase.phase,
                    start=phase.start,
                    end=phase.end,
                ),
            )


def _untrained(station: dict[str, Any], ctx: Context, day: date) -> tuple[Code, Readiness] | None:
    """Whether serving on `day` was serving untrained, and how serious that is. The stationmaster is the
    one in office that day; one who took office after phase 1 had ended had no phase to finish it in, so
    must be trained before serving: serving untrained after the day of taking office is an error."""
    master_then = station_on(station, day)
    ready = readiness(master_then, ctx.training, day)
    if ready is None or ready.ready:
        return None
    deadline = ready.deadline
    took_office = as_date(dig(master_then, ("stationmaster", "from")))
    if deadline is not None and took_office is not None and took_office > deadline:
        deadline = took_office
    late = deadline is not None and day > deadline
    return (UNTRAINED if late else UNTRAINED_EARLY), ready


def _gap_text(ready: Readiness) -> str:
    return tr("、", ", ").join(m.name for m in ready.missing)


def _served_untrained_record(code: Code) -> Callable[[Document, dict[str, Any], Context], Iterator[Finding]]:
    """An operations record with orders, from a day its stationmaster had not completed phase 1."""

    def check(doc: Document, record: dict[str, Any], ctx: Context) -> Iterator[Finding]:
        bounds = month_bounds(as_str(record.get("month")) or "")
        services = as_dict(record.get("services"))
        orders = sum(
            n
            for entry in services.values()
            if isinstance(n := as_dict(entry).get("orders"), int) and not isinstance(n, bool)
        )
        found = ctx.stations_by_id.get(as_str(record.get("station")) or "")
        if bounds is None or orders <= 0 or found is None:
            return
        opened = opened_on(found[1])
        start = max(bounds[0], opened) if opened is not None and opened <= bounds[1] else bounds[0]
        verdict = _untrained(found[1], ctx, start)
        if verdict is None or verdict[0] is not code:
            return
        yield Finding(
            ("services",),
            tr(
                "{month} 有 {orders} 单服务，但站长到 {day} 仍未学完一期培训（缺：{missing}）",
                "{orders} orders in {month}, but by {day} the stationmaster had not completed phase 1 (missing: {missing})",
                month=record.get("month"),
                orders=orders,
                day=start,
                missing=_gap_text(verdict[1]),
            ),
        )

    check.__doc__ = code.summary
    return check


def _serving_untrained_station(code: Code) -> Callable[[Document, dict[str, Any], Context], Iterator[Finding]]:
    """A station open (fit-out done: services start) on --as-of whose stationmaster lacks phase 1."""

    def check(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
        if not is_operating(station, ctx.as_of):
            return
        verdict = _untrained(station, ctx, ctx.as_of)
        if verdict is None or verdict[0] is not code:
            return
        path: DataPath = ("rollout", "fit_out", "done")
        yield Finding(
            path,
            tr(
                "站点已于 {opened} 开业为村民服务，但截至 {day} 站长仍未学完一期培训（缺：{missing}）",
                "the station opened on {opened}, but as of {day} its stationmaster has not completed phase 1 "
                "(missing: {missing})",
                opened=opened_on(station),
                day=ctx.as_of,
                missing=_gap_text(verdict[1]),
            ),
        )

    check.__doc__ = code.summary
    return check


RULES: tuple[Rule, ...] = (
    Rule(UNKNOWN_MODULE, "station", check_module),
    Rule(WRONG_PHASE, "station", check_phase),
    Rule(OUTSIDE_WINDOW, "station", check_window),
    Rule(UNTRAINED, "station", _serving_untrained_station(UNTRAINED)),
    Rule(UNTRAINED, "operations", _served_untrained_record(UNTRAINED)),
    Rule(UNTRAINED_EARLY, "station", _serving_untrained_station(UNTRAINED_EARLY)),
    Rule(UNTRAINED_EARLY, "operations", _served_untrained_record(UNTRAINED_EARLY)),
)
