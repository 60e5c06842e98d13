"""The rules catalogue: every diagnostic code yjstation can emit, generated from the code itself.

docs/rules.md is this module's Markdown output; a test keeps the two equal, so the catalogue can never
drift from what `validate` really checks.
"""

from __future__ import annotations

from yjstation.checking.leftovers import LEFTOVER
from yjstation.checking.rules import RULES
from yjstation.checking.stages import ENGINE_CODES
from yjstation.checking.waivers import WAIVER_CODES
from yjstation.domain.documents import DOCUMENTS
from yjstation.foundation.diagnostics import Code
from yjstation.loading.loader import LOADER_CODES
from yjstation.loading.schemas import SCHEMA_CODES

SECTIONS: tuple[tuple[str, tuple[Code, ...]], ...] = (
    ("读取文件（YAML）", LOADER_CODES),
    ("数据结构（JSON Schema）", SCHEMA_CODES),
    ("方案规则", tuple(dict.fromkeys(rule.code for rule in RULES))),
    ("豁免", WAIVER_CODES),
    ("其他", (*ENGINE_CODES, LEFTOVER)),
)
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def all_codes() -> list[Code]:
    return [code for _, codes in SECTIONS for code in codes]


def find(code: str) -> Code | None:
    return next((c for c in all_codes() if c.code == code.upper()), None)


def render_markdown() -> str:
    """The catalogue as the Markdown page committed at docs/rules.md."""
    lines = [
        "# yjstation 规则目录",
        "",
        "由 `yjstation rules --format md` 从代码生成；请勿手工编辑（测试会检查它与代码一致）。",
        "",
        "每条诊断都有稳定的代码和严重程度：**错误**使 `yjstation validate` 以退出码 1 结束，"
        "**警告**和**提示**不影响退出码。",
        "",
    ]
    for title, codes in SECTIONS:
        lines += [
            f"## {title}",
            "",
            "| 代码 | 严重程度 | 含义 | 依据（方案条款） | 修改提示 |",
            "|---|---|---|---|---|",
        ]
        for code in codes:
            cells = [f"`{code.code}`", SEVERITY_ZH[code.severity.value], code.summary, code.clause, code.hint]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines + document_lines())


def document_lines() -> list[str]:
    """Which document needs which field, and from which step (the list behind DOC001 and `render`)."""
    lines = [
        "## 文件所需字段",
        "",
        "`yjstation render` 生成的文件需要站点文件中的这些字段。到了出具该文件的步骤，缺少其中任何一项，"
        "`validate` 报 `DOC001`；这些字段有任何错误时，`render` 不生成该文件（退出码 1，不写文件）并列出错误。",
        "",
    ]
    for needs in DOCUMENTS:
        due = ".".join(map(str, needs.due))
        lines += [
            f"### {needs.name}（`render {needs.kind}`）",
            "",
            f"依据：{needs.clause}。自“{needs.due_label}”（`{due}` 填有日期）起必须齐全。",
            "",
            "| 栏目 | 数据键 | 适用 |",
            "|---|---|---|",
            *(
                f"| {f.label} | `{f.dotted}` | {'村级服务站' if f.level == 'village' else '全部'} |"
                for f in needs.fields
            ),
            "",
        ]
    return lines
