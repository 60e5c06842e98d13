"""Waivers: approved, dated exceptions to a rule (a station waiting for its broadband line).

A waived finding is not a failure, but it is counted and listed so it is not forgotten; a waiver past
its expiry date stops waiving and is itself a warning; a waiver naming an unknown code or station is
an error, so a typo cannot silently waive nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import PurePosixPath

from yjstation.foundation.diagnostics import Code, Diagnostic, Severity, format_path
from yjstation.foundation.i18n import tr
from yjstation.foundation.records import as_date, as_dict, as_list, as_str
from yjstation.loading.loader import Document

EXPIRED = Code(
    "WV001",
    Severity.WARNING,
    "豁免已过期",
    "豁免须经批准并有到期日期",
    "续批（更新 expires）或删除这条豁免；过期后相关发现重新算作失败",
)
UNKNOWN_CODE = Code(
    "WV002", Severity.ERROR, "豁免的诊断代码不存在", "豁免须指向具体的规则", "使用 docs/rules.md 中的代码"
)
UNKNOWN_TARGET = Code(
    "WV003", Severity.ERROR, "豁免的站点或文件不存在", "豁免须指向具体的站点或文件", "核对站点编号或文件路径"
)
UNUSED = Code("WV004", Severity.INFO, "豁免没有匹配到任何发现", "豁免清单应保持最新", "问题已解决时删除这条豁免")
WAIVER_CODES: tuple[Code, ...] = (EXPIRED, UNKNOWN_CODE, UNKNOWN_TARGET, UNUSED)
NOT_WAIVABLE_PREFIXES = ("WV", "RULE", "YAML")


@dataclass(frozen=True)
class Waiver:
    index: int
    code: str
    station: str | None
    file: str | None
    reason: str
    approved_by: str
    expires: date | None

    def covers(self, diag: Diagnostic) -> bool:
        if diag.code != self.code:
            return False
        if self.file is not None:
            return diag.file == self.file
        parts = PurePosixPath(diag.file).parts
        in_station_files = len(parts) >= 3 and parts[0] == "data" and parts[1] in ("stations", "operations")
        return in_station_files and PurePosixPath(diag.file).stem == self.station


def read_waivers(doc: Document | None) -> list[Waiver]:
    if doc is None:
        return []
    found = []
    for index, raw in enumerate(as_list(as_dict(doc.data).get("waivers"))):
        entry = as_dict(raw)
        code = as_str(entry.get("code"))
        if code is None:
            continue
        found.append(
            Waiver(
                index,
                code,
                as_str(entry.get("station")),
                as_str(entry.get("file")),
                as_str(entry.get("reason")) or "",
                as_str(entry.get("approved_by")) or "",
                as_date(entry.get("expires")),
            )
        )
    return found


def apply(
    diagnostics: list[Diagnostic],
    doc: Document | None,
    as_of: date,
    known_codes: set[str],
    stations: set[str],
    files: set[str],
) -> list[Diagnostic]:
    """The diagnostics with waived ones marked, plus the waiver file's own findings."""
    waivers = read_waivers(doc)
    if doc is None or not waivers:
        return diagnostics
    own: list[Diagnostic] = []
    live: list[Waiver] = []
    for waiver in waivers:
        base = ("waivers", waiver.index)

        def at(code: Code, key: str, message: str, waiver_path: tuple[str | int, ...] = base) -> Diagnostic:
            path = (*waiver_path, key)
            line, col = doc.position(path)
            return code.at(doc.file, line, col, format_path(path), message)

        if waiver.code not in known_codes or waiver.code.startswith(NOT_WAIVABLE_PREFIXES):
            own.append(
                at(
                    UNKNOWN_CODE,
                    "code",
                    tr(
                        "诊断代码 {code} 不存在或不能豁免",
                        "code {code} does not exist or cannot be waived",
                        code=waiver.code,
                    ),
                )
            )
        elif waiver.station is not None and waiver.station not in stations:
            own.append(
                at(UNKNOWN_TARGET, "station", tr("站点 {id} 不存在", "station {id} does not exist", id=waiver.station))
            )
        elif waiver.file is not None and waiver.file not in files:
            own.append(
                at(UNKNOWN_TARGET, "file", tr("文件 {file} 不存在", "file {file} does not exist", file=waiver.file))
            )
        elif waiver.expires is not None and waiver.expires < as_of:
            own.append(
                at(
                    EXPIRED,
                    "expires",
                    tr(
                        "{code} 的豁免已于 {expires} 到期（批准人：{by}）",
                        "the waiver of {code} expired on {expires} (approved by {by})",
                        code=waiver.code,
                        expires=waiver.expires,
                        by=waiver.approved_by,
                    ),
                )
            )
        else:
            live.append(waiver)
    used: set[int] = set()
    marked = []
    for diag in diagnostics:
        match = next((w for w in live if w.covers(diag)), None)
        if match is not None and diag.severity is not Severity.INFO:
            used.add(match.index)
            diag = replace(
                diag,
                waived=tr(
                    "{reason}（批准人：{by}，到期：{expires}）",
                    "{reason} (approved by {by}, expires {expires})",
                    reason=match.reason,
                    by=match.approved_by,
                    expires=match.expires,
                ),
            )
        marked.append(diag)
    for waiver in live:
        if waiver.index not in used:
            path = ("waivers", waiver.index, "code")
            line, col = doc.position(path)
            target = waiver.station or waiver.file
            own.append(
                UNUSED.at(
                    doc.file,
                    line,
                    col,
                    format_path(path),
                    tr(
                        "{code}（{target}）没有需要豁免的发现",
                        "nothing to waive for {code} ({target})",
                        code=waiver.code,
                        target=target,
                    ),
                )
            )
    return marked + own
