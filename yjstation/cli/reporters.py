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
    "county": "县情",
    "fees": "资费红线",
    "rollout": "建设步骤",
    "training": "培训计划",
    "station": "站点",
    "operations": "月度运营记录",
    "unknown": "无法识别",
}


def report_text(result: Result, console: Console) -> None:
    for file, group in groupby(result.diagnostics, key=lambda d: d.file):
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
    console.print(summary_line(result), markup=False, highlight=False)


def summary_line(result: Result) -> str:
    kinds = "，".join(
        f"{KIND_ZH.get(k, k)} {n}" for k, n in sorted(result.counts.items(), key=lambda kv: _kind_order(kv[0]))
    )
    verdict = "通过" if result.ok else "未通过"
    return f"{verdict}：检查了 {result.files} 个文件（{kinds}），{result.errors} 个错误，{result.warnings} 个警告"


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
            "as_of": as_of,
            "files_by_kind": result.counts,
        },
        "diagnostics": [d.to_json() for d in result.diagnostics],
    }
    out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def report_github(result: Result, out: TextIO) -> None:
    command = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    for diag in result.diagnostics:
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
