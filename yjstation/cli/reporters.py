"""Printing validate's result for people (text), programs (json) and GitHub Actions (github)."""

from __future__ import annotations

import json
from datetime import date
from itertools import groupby
from typing import TYPE_CHECKING, TextIO

from yjstation.checking.validate import Result
from yjstation.foundation.diagnostics import Diagnostic, Severity
from yjstation.foundation.i18n import pick, tr

if TYPE_CHECKING:  # Rich loads only for the text report: json, github and sarif output start quicker
    from rich.console import Console

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
KINDS = (
    "waivers",
    "county",
    "fees",
    "rollout",
    "training",
    "assessment",
    "reporting",
    "event",
    "station",
    "operations",
    "unknown",
)


def severity_label(severity: Severity) -> str:
    return {
        Severity.ERROR: tr("错误", "error"),
        Severity.WARNING: tr("警告", "warning"),
        Severity.INFO: tr("提示", "info"),
    }[severity]


def kind_label(kind: str) -> str:
    labels = {
        "waivers": tr("豁免清单", "waivers"),
        "county": tr("县情", "county"),
        "fees": tr("资费红线", "fee policy"),
        "rollout": tr("建设步骤", "rollout policy"),
        "training": tr("培训计划", "training plan"),
        "assessment": tr("考核办法", "assessment policy"),
        "reporting": tr("报送规则", "reporting policy"),
        "event": tr("活动与评选", "events"),
        "station": tr("站点", "stations"),
        "operations": tr("月度运营记录", "monthly records"),
    }
    return labels.get(kind, tr("无法识别", "unrecognised"))


def report_text(result: Result, console: Console) -> None:
    from rich.text import Text

    shown = [d for d in result.diagnostics if not d.waived]
    for file, group in groupby(shown, key=lambda d: d.file):
        console.print(Text(file, style="bold underline"))
        for diag in group:
            where = f"{diag.file}:{diag.line}:{diag.col}" if diag.line else diag.file
            line = Text("  ")
            line.append(where, style="dim")
            line.append("  ")
            line.append(severity_label(diag.severity), style=SEVERITY_STYLE[diag.severity])
            line.append(f" {diag.code}  ", style="bold")
            label = pick(diag.label, diag.path)  # the Chinese field label, or the data path in English
            if label:
                line.append(tr("{label}：", "{label}: ", label=label), style="bold")
            line.append(diag.message)
            console.print(line)
            if diag.hint:
                console.print(Text(tr("      提示：{hint}", "      hint: {hint}", hint=diag.hint), style="dim"))
        console.print()
    if result.waived:
        console.print(
            Text(
                tr(
                    "已豁免（{n} 项，不算失败；见 data/waivers.yaml）",
                    "Waived ({n}, not failures; see data/waivers.yaml)",
                    n=len(result.waived),
                ),
                style="bold",
            )
        )
        for diag in result.waived:
            console.print(f"  {diag.file}:{diag.line}:{diag.col}  {diag.code}  {diag.message}", markup=False)
            console.print(Text(tr("      豁免理由：{why}", "      waived: {why}", why=diag.waived), style="dim"))
        console.print()
    console.print(summary_line(result), markup=False, highlight=False)


def summary_line(result: Result) -> str:
    counts = sorted(result.counts.items(), key=lambda kv: _kind_order(kv[0]))
    kinds = tr("，", ", ").join(f"{kind_label(k)} {n}" for k, n in counts)
    kinds = tr("（{kinds}）", " ({kinds})", kinds=kinds) if kinds else ""
    waived = tr("，{n} 项已豁免", ", {n} waived", n=len(result.waived)) if result.waived else ""
    return tr(
        "{verdict}：检查了 {files} 个文件{kinds}，{errors} 个错误，{warnings} 个警告{waived}",
        "{verdict}: checked {files} file{files:|s}{kinds}, {errors} error{errors:|s}, {warnings} warning{warnings:|s}{waived}",
        verdict=tr("通过", "passed") if result.ok else tr("未通过", "failed"),
        files=result.files,
        kinds=kinds,
        errors=result.errors,
        warnings=result.warnings,
        waived=waived,
    )


def _kind_order(kind: str) -> int:
    return KINDS.index(kind) if kind in KINDS else len(KINDS)


def report_json(result: Result, out: TextIO, as_of: date) -> None:
    out.write(json.dumps(result.to_json(as_of), ensure_ascii=False, indent=2) + "\n")


def report_github(result: Result, out: TextIO) -> None:
    command = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    for diag in result.diagnostics:
        if diag.waived:
            continue
        props = [f"file={_prop(diag.file)}"]
        if diag.line:
            props += [f"line={diag.line}", f"col={diag.col}"]
        props.append(f"title={_prop(_title(diag))}")
        out.write(f"::{command[diag.severity]} {','.join(props)}::{_data(_message(diag))}\n")
    out.write(summary_line(result) + "\n")


def _title(diag: Diagnostic) -> str:
    return f"{diag.code} {diag.label}".strip()


def _message(diag: Diagnostic) -> str:
    return diag.message + (tr("\n提示：{hint}", "\nhint: {hint}", hint=diag.hint) if diag.hint else "")


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def report_sarif(result: Result, out: TextIO, version: str) -> None:
    """SARIF 2.1.0, which code hosts and editors read: every rule with its catalogue text, every result
    with file, line and column; waived findings carry an external suppression with its justification."""
    from yjstation.checking.catalogue import all_codes

    codes = all_codes()
    index = {code.code: i for i, code in enumerate(codes)}
    level = {"error": "error", "warning": "warning", "info": "note"}
    rules = [
        {
            "id": code.code,
            "name": code.code,
            "shortDescription": {"text": code.summary_text},
            "fullDescription": {
                "text": tr(
                    "{summary}（依据：{clause}）",
                    "{summary} (plan: {clause})",
                    summary=code.summary_text,
                    clause=code.clause,
                )
            },
            "help": {"text": code.hint_text or code.summary_text},
            "defaultConfiguration": {"level": level[code.severity.value]},
            "properties": {"clause": code.clause},
        }
        for code in codes
    ]
    results = []
    for diag in result.diagnostics:
        location: dict[str, object] = {"artifactLocation": {"uri": diag.file, "uriBaseId": "%SRCROOT%"}}
        if diag.line:
            location["region"] = {"startLine": diag.line, "startColumn": max(diag.col, 1)}
        entry: dict[str, object] = {
            "ruleId": diag.code,
            "level": level[diag.severity.value],
            "message": {
                "text": (f"{diag.label}：" if diag.label else "")
                + diag.message
                + (tr("\n提示：{hint}", "\nhint: {hint}", hint=diag.hint) if diag.hint else "")
            },
            "locations": [{"physicalLocation": location}],
        }
        if diag.code in index:
            entry["ruleIndex"] = index[diag.code]
        if diag.path:
            entry["properties"] = {"path": diag.path}
        if diag.waived:
            entry["suppressions"] = [{"kind": "external", "justification": diag.waived}]
        results.append(entry)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "yjstation",
                        "version": version,
                        "informationUri": "https://example.invalid/yjstation",
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {
                    "%SRCROOT%": {"description": {"text": tr("数据仓库根目录", "the data repository's root")}}
                },
                "results": results,
            }
        ],
    }
    out.write(json.dumps(log, ensure_ascii=False, indent=2) + "\n")
