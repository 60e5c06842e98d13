"""Printing validate's result for people (text), programs (json) and GitHub Actions (github)."""

from __future__ import annotations

import json
from itertools import groupby
from typing import TextIO

from rich.console import Console
from rich.text import Text

from yjstation.diagnostics import Diagnostic, Severity
from yjstation.validate import Result

SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
KIND_ZH = {
    "waivers": "豁免清单",
    "county": "县情",
    "fees": "资费红线",
    "rollout": "建设步骤",
    "training": "培训计划",
    "assessment": "考核办法",
    "station": "站点",
    "operations": "月度运营记录",
    "unknown": "无法识别",
}


def report_text(result: Result, console: Console) -> None:
    shown = [d for d in result.diagnostics if not d.waived]
    for file, group in groupby(shown, key=lambda d: d.file):
        console.print(Text(file, style="bold underline"))
        for diag in group:
            where = f"{diag.file}:{diag.line}:{diag.col}" if diag.line else diag.file
            line = Text("  ")
            line.append(where, style="dim")
            line.append("  ")
            line.append(SEVERITY_ZH[diag.severity], style=SEVERITY_STYLE[diag.severity])
            line.append(f" {diag.code}  ", style="bold")
            if diag.label:
                line.append(f"{diag.label}：", style="bold")
            line.append(diag.message)
            console.print(line)
            if diag.hint:
                console.print(Text(f"      提示：{diag.hint}", style="dim"))
        console.print()
    if result.waived:
        console.print(Text(f"已豁免（{len(result.waived)} 项，不算失败；见 data/waivers.yaml）", style="bold"))
        for diag in result.waived:
            console.print(f"  {diag.file}:{diag.line}:{diag.col}  {diag.code}  {diag.message}", markup=False)
            console.print(Text(f"      豁免理由：{diag.waived}", style="dim"))
        console.print()
    console.print(summary_line(result), markup=False, highlight=False)


def summary_line(result: Result) -> str:
    kinds = "，".join(
        f"{KIND_ZH.get(k, k)} {n}" for k, n in sorted(result.counts.items(), key=lambda kv: _kind_order(kv[0]))
    )
    verdict = "通过" if result.ok else "未通过"
    waived = f"，{len(result.waived)} 项已豁免" if result.waived else ""
    kinds = f"（{kinds}）" if kinds else ""
    return f"{verdict}：检查了 {result.files} 个文件{kinds}，{result.errors} 个错误，{result.warnings} 个警告{waived}"


def _kind_order(kind: str) -> int:
    order = list(KIND_ZH)
    return order.index(kind) if kind in order else len(order)


def report_json(result: Result, out: TextIO, as_of: str) -> None:
    infos = sum(d.severity is Severity.INFO for d in result.diagnostics)
    payload = {
        "ok": result.ok,
        "summary": {
            "files": result.files,
            "errors": result.errors,
            "warnings": result.warnings,
            "infos": infos,
            "waived": len(result.waived),
            "as_of": as_of,
            "files_by_kind": result.counts,
        },
        "diagnostics": [d.to_json() for d in result.diagnostics],
    }
    out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


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
    return diag.message + (f"\n提示：{diag.hint}" if diag.hint else "")


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def report_sarif(result: Result, out: TextIO, version: str) -> None:
    """SARIF 2.1.0, which code hosts and editors read: every rule with its catalogue text, every result
    with file, line and column; waived findings carry an external suppression with its justification."""
    from yjstation.catalogue import all_codes

    codes = all_codes()
    index = {code.code: i for i, code in enumerate(codes)}
    level = {"error": "error", "warning": "warning", "info": "note"}
    rules = [
        {
            "id": code.code,
            "name": code.code,
            "shortDescription": {"text": code.summary},
            "fullDescription": {"text": f"{code.summary}（依据：{code.clause}）"},
            "help": {"text": code.hint or code.summary},
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
                + (f"\n提示：{diag.hint}" if diag.hint else "")
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
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "数据仓库根目录"}}},
                "results": results,
            }
        ],
    }
    out.write(json.dumps(log, ensure_ascii=False, indent=2) + "\n")
