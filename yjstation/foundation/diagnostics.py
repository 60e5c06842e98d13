"""Diagnostics are values: every finding of every stage is one of these, never an exception."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from yjstation.foundation.i18n import pick
from yjstation.foundation.masking import redact


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, order=False)
class Diagnostic:
    """One finding: what (code, message), how bad (severity) and where (file, line, col, data path).

    `file` is relative to the repository root and uses forward slashes; `line` and `col` are 1-based
    (0 when a finding concerns the file as a whole and has no position). `hint` tells the operator how
    to fix it and `label` is the Chinese label of the field the finding is about.
    """

    code: str
    severity: Severity
    file: str
    line: int
    col: int
    path: str
    message: str
    hint: str = ""
    label: str = ""
    waived: str = ""  # why an approved waiver (data/waivers.yaml) excuses this finding; empty when not waived

    def __post_init__(self) -> None:
        # A message quotes values from the file, and a value can be an ID or phone number in the wrong
        # place (unquoted, in another field, on a line a parse error shows): no finding carries one in
        # full, in any output format.
        object.__setattr__(self, "message", redact(self.message))
        object.__setattr__(self, "hint", redact(self.hint))

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.col, self.code, self.message)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "path": self.path,
            "message": self.message,
        }
        if self.hint:
            out["hint"] = self.hint
        if self.label:
            out["label"] = self.label
        if self.waived:
            out["waived"] = self.waived
        return out


def format_path(path: tuple[str | int, ...]) -> str:
    """Render a data path the way DATA.md writes it: `stationmaster.id_number`, `training[2].minutes`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


@dataclass(frozen=True)
class Code:
    """A stable diagnostic code: its default severity, one-line meaning, the plan clause it enforces and
    the default fix hint. Every code yjstation can emit is one of these, listed in docs/rules.md."""

    code: str
    severity: Severity
    summary: str
    clause: str
    hint: str = ""

    @property
    def summary_text(self) -> str:
        """The summary in the current language."""
        return pick(self.summary, _english(self.code)[0])

    @property
    def hint_text(self) -> str:
        """The default fix hint in the current language."""
        return pick(self.hint, _english(self.code)[1])

    def at(
        self,
        file: str,
        line: int,
        col: int,
        path: str,
        message: str,
        *,
        hint: str | None = None,
        label: str = "",
        severity: Severity | None = None,
    ) -> Diagnostic:
        return Diagnostic(
            self.code,
            severity or self.severity,
            file,
            line,
            col,
            path,
            message,
            self.hint_text if hint is None else hint,
            label,
        )


def _english(code: str) -> tuple[str, str]:
    from yjstation.foundation.codes_en import EN

    return EN.get(code, ("", ""))
