"""Monthly operations records: which station and month they belong to, and dates inside that month."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from yjstation.checking.rules.base import Context, Finding, Rule
from yjstation.domain.reporting import OPTIONAL_FIGURES, empty_figures, has_figures, is_draft
from yjstation.domain.stations import operates_during
from yjstation.foundation.diagnostics import Code, Severity
from yjstation.foundation.i18n import tr
from yjstation.foundation.records import as_date, as_dict, as_list, as_str, month_bounds
from yjstation.loading.loader import Document

UNKNOWN_STATION = Code(
    "OP001",
    Severity.ERROR,
    "运营记录指向不存在的站点",
    "数据约定：运营记录属于某个站点",
    "`station` 应为 data/stations/ 中某个文件的站点编号",
)
MONTH_MISMATCH = Code(
    "OP002",
    Severity.ERROR,
    "月份与所在文件夹不一致",
    "数据约定：data/operations/<YYYY-MM>/",
    "把 `month` 改成文件夹名，或把文件移到对应月份的文件夹",
)
STATION_NOT_STEM = Code(
    "OP003",
    Severity.ERROR,
    "站点编号与文件名不一致",
    "数据约定：data/operations/<YYYY-MM>/<站点编号>.yaml",
    "把 `station` 改成文件名，或把文件改名",
)
NOT_OPERATING = Code(
    "OP004",
    Severity.WARNING,
    "该月站点尚未运营或已停止运营",
    "装修改造完成后开展相关服务",
    "核对站点的进场装修完成日期和停止运营日期",
)
DATE_OUTSIDE_MONTH = Code(
    "OP005", Severity.WARNING, "记录日期不在该月内", "运营维护：周/月总结分析档案", "每条记录登记在它发生的月份里"
)
FEEDBACK_STATE = Code(
    "OP006",
    Severity.ERROR,
    "问题反馈的状态与办结日期矛盾",
    "运营维护：建立问题反馈意见档案簿",
    "已办结（closed）须有办结日期且不早于反馈日期；处理中（open）不填办结日期",
)
LATE = Code(
    "OP007",
    Severity.WARNING,
    "月度数据逾期未报送",
    "第七步 运营维护：形成总结分析报告，建立周/月总结分析档案（报送期限见 data/policy/reporting.yaml）",
    "向站长催报，录入数字并填写报送日期 `reported`（yjstation export month / import month）",
)
EMPTY_FIGURE = Code(
    "OP008",
    Severity.ERROR,
    "已报送的记录中有空缺的数字",
    "数据约定：月度运营记录；草稿留空的数字不是 0",
    "填写数字（没有业务就填 0）；尚未报送的，把报送日期 `reported` 留空",
)
UNREPORTED_FIGURES = Code(
    "OP009",
    Severity.WARNING,
    "草稿中已填了数字，但没有报送日期",
    "数据约定：月度运营记录；草稿不计入报表",
    "数字录完后填写报送日期 `reported`；在此之前报表不计入这些数字",
)


def check_station_exists(doc: Document, record: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    station = as_str(record.get("station"))
    known = ctx.stations_by_id
    if station is not None and known and station not in known:
        close = difflib.get_close_matches(station, list(known), n=1)
        yield Finding(
            ("station",),
            tr(
                "站点 `{id}` 没有对应的 data/stations/{id}.yaml",
                "station `{id}` has no data/stations/{id}.yaml",
                id=station,
            ),
            hint=tr("是否应为 `{id}`？", "did you mean `{id}`?", id=close[0]) if close else None,
        )


def check_month_folder(doc: Document, record: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    folder = PurePosixPath(doc.file).parent.name
    month = record.get("month")
    if month_bounds(folder) is None:
        yield Finding(
            ("month",) if "month" in record else (),
            tr(
                "文件夹名 `{folder}` 不是 YYYY-MM 形式的月份", "folder `{folder}` is not a YYYY-MM month", folder=folder
            ),
        )
    elif isinstance(month, str) and month != folder:
        yield Finding(
            ("month",),
            tr(
                "月份 {month} 与所在文件夹 {folder} 不一致",
                "month {month} differs from its folder {folder}",
                month=month,
                folder=folder,
            ),
        )


def check_station_matches_file(doc: Document, record: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    stem = PurePosixPath(doc.file).stem
    station = as_str(record.get("station"))
    if station is not None and station != stem:
        yield Finding(
            ("station",),
            tr(
                "站点编号 `{id}` 与文件名 `{stem}` 不一致",
                "station `{id}` differs from the file name `{stem}`",
                id=station,
                stem=stem,
            ),
        )


def check_operating(doc: Document, record: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    found = ctx.stations_by_id.get(as_str(record.get("station")) or "")
    bounds = month_bounds(as_str(record.get("month")) or "")
    if found is None or bounds is None:
        return
    if not operates_during(found[1], *bounds):
        yield Finding(
            ("month",),
            tr(
                "站点 {id} 在 {month} 没有运营（未完成进场装修或已停止运营）",
                "station {id} was not operating in {month} (not fitted out yet, or closed)",
                id=record.get("station"),
                month=record.get("month"),
            ),
        )


def check_dates_in_month(doc: Document, record: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    bounds = month_bounds(as_str(record.get("month")) or "")
    if bounds is None:
        return
    maintenance = as_dict(record.get("maintenance"))
    lists = [
        (("maintenance", "online"), maintenance.get("online")),
        (("maintenance", "onsite"), maintenance.get("onsite")),
        (("feedback",), record.get("feedback")),
    ]
    for path, items in lists:
        for index, item in enumerate(as_list(items)):
            when = as_date(as_dict(item).get("date"))
            if when is not None and not bounds[0] <= when <= bounds[1]:
                yield Finding(
                    (*path, index, "date"),
                    tr(
                        "日期 {when} 不在 {month} 内",
                        "date {when} is not in {month}",
                        when=when,
                        month=record.get("month"),
                    ),
                )


def check_feedback_state(doc: Document, record: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    for index, item in enumerate(as_list(record.get("feedback"))):
        item = as_dict(item)
        opened, closed, status = as_date(item.get("date")), as_date(item.get("closed")), item.get("status")
        path = ("feedback", index)
        if status == "closed" and "closed" not in item:
            yield Finding(
                (*path, "status"), tr("状态为已办结，但没有办结日期 `closed`", "status closed without a `closed` date")
            )
        elif status == "open" and "closed" in item:
            yield Finding(
                (*path, "closed"),
                tr(
                    "状态为处理中，却填了办结日期；已办结请把状态改为 closed",
                    "status open but a closing date is given; set status closed",
                ),
            )
        elif opened and closed and closed < opened:
            yield Finding(
                (*path, "closed"),
                tr(
                    "办结日期 {closed} 早于反馈日期 {opened}",
                    "closed {closed} before it was reported {opened}",
                    closed=closed,
                    opened=opened,
                ),
            )


def check_late(doc: Document, record: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    if not is_draft(record) or has_figures(record):
        return
    deadline = ctx.reporting.deadline(as_str(record.get("month")) or "")
    if deadline is not None and ctx.as_of > deadline:
        yield Finding(
            ("reported",),
            tr(
                "{month} 的数字还没有报送，截止日 {deadline} 已过（截至 {day}）",
                "the figures of {month} are not reported; the deadline {deadline} has passed (as of {day})",
                month=record.get("month"),
                deadline=deadline,
                day=ctx.as_of,
            ),
        )


def check_empty_figures(doc: Document, record: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    if is_draft(record):
        return
    for service, figure in empty_figures(record):
        if figure not in OPTIONAL_FIGURES:
            yield Finding(
                ("services", service, figure), tr("已报送，但这个数字是空的", "reported, but this figure is empty")
            )
    if "deposits_from_villagers" in record and record.get("deposits_from_villagers") is None:
        yield Finding(
            ("deposits_from_villagers",), tr("已报送，但这个数字是空的", "reported, but this figure is empty")
        )


def check_unreported_figures(doc: Document, record: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    if is_draft(record) and has_figures(record):
        yield Finding(
            ("reported",),
            tr(
                "已填写了数字，但报送日期为空：报表不会计入这些数字",
                "figures are filled in but the reported date is empty: reports leave them out",
            ),
        )


RULES: tuple[Rule, ...] = (
    Rule(UNKNOWN_STATION, "operations", check_station_exists),
    Rule(MONTH_MISMATCH, "operations", check_month_folder),
    Rule(STATION_NOT_STEM, "operations", check_station_matches_file),
    Rule(NOT_OPERATING, "operations", check_operating),
    Rule(DATE_OUTSIDE_MONTH, "operations", check_dates_in_month),
    Rule(FEEDBACK_STATE, "operations", check_feedback_state),
    Rule(LATE, "operations", check_late),
    Rule(EMPTY_FIGURE, "operations", check_empty_figures),
    Rule(UNREPORTED_FIGURES, "operations", check_unreported_figures),
)
