"""The eight rollout steps: a step marked done has all its evidence, follows its predecessors, and is
not dated in the future; evidence is not dated after the step it proves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from yjstation.checking.rules.base import Context, Finding, Rule
from yjstation.domain.history import source_path, station_on
from yjstation.domain.stations import STEP_KEYS
from yjstation.foundation.diagnostics import Code, Severity
from yjstation.foundation.i18n import tr
from yjstation.foundation.records import as_date, dig
from yjstation.loading.loader import Document

EVIDENCE_MISSING = Code(
    "RO001",
    Severity.ERROR,
    "已完成的步骤缺少所需材料",
    "二（一）站点规划及运营：八个步骤各自要求的材料（data/policy/rollout.yaml）",
    "补齐该材料，或删去该步骤的 `done` 日期",
)
OUT_OF_ORDER = Code(
    "RO002",
    Severity.ERROR,
    "步骤完成时前面的步骤尚未完成",
    "二（一）第一步至第八步依次进行",
    "前面每一步都须在本步骤之前（或同一天）完成",
)
DONE_IN_FUTURE = Code(
    "RO003", Severity.ERROR, "完成日期晚于今天（--as-of）", "二（一）站点规划及运营", "完成日期不能是将来的日期"
)
EVIDENCE_LATE = Code(
    "RO004",
    Severity.ERROR,
    "材料日期晚于步骤完成日期",
    "二（一）站点规划及运营：先有材料，后完成步骤",
    "材料日期应不晚于步骤的完成日期",
)
EVIDENCE_THIN = Code(
    "RO006",
    Severity.ERROR,
    "已完成步骤的材料内容不全",
    "二（一）2 市场调查七项各自记录的内容；6 培训指标实现可量化（data/policy/rollout.yaml 的 requires）",
    "按方案补齐该项材料的内容（如线路点位和距离、每家快递企业的七项情况、培训指标的目标值和实际值）",
)
POLICY_STEPS = Code(
    "RO005",
    Severity.ERROR,
    "建设步骤政策不是规定的八个步骤",
    "二（一）第一步站点布局……第八步叠加提升",
    "data/policy/rollout.yaml 须按顺序列出 layout、market_survey、confirmation、agreement、fit_out、training、maintenance、upgrade",
)


def check_evidence(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    for step in ctx.rollout.steps:
        done = as_date(dig(station, ("rollout", step.key, "done")))
        if done is None:
            continue
        then = station_on(station, done)  # the agreement signed then, even if its stationmaster has since left
        for item in step.evidence:
            if not item.present(then):
                yield Finding(
                    ("rollout", step.key),
                    tr(
                        "“{step}”已标为完成，但缺少材料：{label}（`{path}`）",
                        "{key} is marked done but lacks evidence `{path}`",
                        step=step.name,
                        key=step.key,
                        label=item.label,
                        path=".".join(map(str, item.path)),
                    ),
                )


def check_evidence_content(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    for step in ctx.rollout.steps:
        if as_date(dig(station, ("rollout", step.key, "done"))) is None:
            continue
        for item in step.evidence:
            for gap in item.gaps(station):
                if gap.need is not None:
                    message = tr(
                        "“{step}”已标为完成，但{label}只有 {have} 条，至少应有 {need} 条",
                        "{key} is marked done but {path} has {have} entries; it needs at least {need}",
                        step=step.name,
                        key=step.key,
                        label=gap.label,
                        path=".".join(map(str, gap.path)),
                        have=gap.have,
                        need=gap.need,
                    )
                else:
                    names = [ctx.schemas["station"].title((*gap.path, f)) or f for f in gap.missing]
                    message = tr(
                        "“{step}”已标为完成，但{label}{where}缺少：{names}",
                        "{key} is marked done but {path} lacks {fields}",
                        step=step.name,
                        key=step.key,
                        label=gap.label,
                        where=f"第 {gap.path[-1] + 1} 条" if isinstance(gap.path[-1], int) else "",
                        names="、".join(names),
                        path=".".join(map(str, gap.path)),
                        fields=", ".join(gap.missing),
                    )
                yield Finding(gap.path, message)


def check_order(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    earlier: list[tuple[str, str, Any]] = []
    for step in ctx.rollout.steps:
        done = as_date(dig(station, ("rollout", step.key, "done")))
        if done is not None:
            for name, key, before in earlier:
                if before is None:
                    yield Finding(
                        ("rollout", step.key),
                        tr(
                            "“{step}”已于 {done} 完成，但前面的“{name}”尚未完成",
                            "{key} done on {done} but the earlier {earlier} is not done",
                            step=step.name,
                            key=step.key,
                            done=done,
                            name=name,
                            earlier=key,
                        ),
                    )
                elif before > done:
                    yield Finding(
                        ("rollout", step.key),
                        tr(
                            "“{step}”于 {done} 完成，早于前面的“{name}”（{before}）",
                            "{key} done on {done}, before the earlier {earlier} ({before})",
                            step=step.name,
                            key=step.key,
                            done=done,
                            name=name,
                            earlier=key,
                            before=before,
                        ),
                    )
        earlier.append((step.name, step.key, done))


def check_not_future(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    for step in ctx.rollout.steps:
        done = as_date(dig(station, ("rollout", step.key, "done")))
        if done is not None and done > ctx.as_of:
            yield Finding(
                ("rollout", step.key),
                tr(
                    "“{step}”的完成日期 {done} 晚于今天（{day}）",
                    "{key} done on {done}, after today ({day})",
                    step=step.name,
                    key=step.key,
                    done=done,
                    day=ctx.as_of,
                ),
            )


def check_evidence_dates(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    for step in ctx.rollout.steps:
        done = as_date(dig(station, ("rollout", step.key, "done")))
        if done is None:
            continue
        then = station_on(station, done)
        for item in step.evidence:
            when = as_date(dig(then, item.path)) if item.check == "date" else None
            if when is not None and when > done:
                yield Finding(
                    source_path(station, done, item.path),
                    tr(
                        "{label}日期 {when} 晚于“{step}”的完成日期 {done}",
                        "{evidence} dated {when}, after {key} was done on {done}",
                        label=item.label,
                        evidence=item.key,
                        when=when,
                        step=step.name,
                        key=step.key,
                        done=done,
                    ),
                )


def check_policy_steps(ctx: Context) -> Iterator[Finding]:
    keys = tuple(step.key for step in ctx.rollout.steps)
    doc = ctx.policy_docs.get("rollout")
    if doc is not None and isinstance(doc.data, dict) and keys != STEP_KEYS:
        yield Finding(
            ("steps",),
            tr(
                "步骤为 {keys}，应依次为 {want}",
                "steps are {keys}; they must be {want}",
                keys=", ".join(keys) or "-",
                want=", ".join(STEP_KEYS),
            ),
            doc=doc,
        )


RULES: tuple[Rule, ...] = (
    Rule(EVIDENCE_MISSING, "station", check_evidence),
    Rule(EVIDENCE_THIN, "station", check_evidence_content),
    Rule(OUT_OF_ORDER, "station", check_order),
    Rule(DONE_IN_FUTURE, "station", check_not_future),
    Rule(EVIDENCE_LATE, "station", check_evidence_dates),
    Rule(POLICY_STEPS, "repository", check_policy_steps),
)
