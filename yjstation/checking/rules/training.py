"""Training records: modules from the plan, in their phase, dated inside the phase's window."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from yjstation.checking.rules.base import Context, Finding, Rule
from yjstation.foundation.diagnostics import Code, Severity
from yjstation.foundation.i18n import tr
from yjstation.foundation.records import as_date, as_dict, as_list, as_str, dig
from yjstation.loading.loader import Document

CLAUSE = "三（六）6.3 培训计划安排（data/policy/training.yaml）"
UNKNOWN_MODULE = Code(
    "TR001", Severity.ERROR, "培训模块不在培训计划中", CLAUSE, "使用 data/policy/training.yaml 中的模块编号"
)
WRONG_PHASE = Code("TR002", Severity.ERROR, "培训期次与模块不符", CLAUSE, "期次填写该模块所属的一期或二期")
OUTSIDE_WINDOW = Code(
    "TR003", Severity.WARNING, "培训日期不在该期培训时间内", CLAUSE, "核对日期；补训可保留，但请在备注中说明"
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
        if took_office is not None and phase.end is not None and took_office > phase.end and when >= took_office:
            continue
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


RULES: tuple[Rule, ...] = (
    Rule(UNKNOWN_MODULE, "station", check_module),
    Rule(WRONG_PHASE, "station", check_phase),
    Rule(OUTSIDE_WINDOW, "station", check_window),
)
