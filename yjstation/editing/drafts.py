"""The draft monthly record `month open` writes for a station: its services with every figure empty and
a Chinese comment naming it, `reported` left empty. A clerk fills it in (by hand, or through
`export month` / `import month`) and sets `reported`; until then no report counts it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from yjstation.domain.reporting import FIGURE_NAMES, FIGURES, OPTIONAL_FIGURES, SERVICE_NAMES
from yjstation.loading import roundtrip

COLUMN = 32  # the comments line up, past the longest key with a figure written in


def month_title(month: str) -> str:
    """`2022年1月`."""
    return f"{int(month[:4])}年{int(month[5:7])}月"


def draft_document(station: dict[str, Any], month: str, services: list[str], today: date, made_by: str) -> CommentedMap:
    """The draft as a round-trip document, for `month open` to write or an editor to fill in."""
    doc = CommentedMap()
    doc["station"] = station.get("id")
    doc["month"] = DoubleQuotedScalarString(month)
    doc["reported"] = None
    doc.yaml_add_eol_comment("报送日期：数字录入后填写（YYYY-MM-DD）；留空表示尚未报送", "reported", column=COLUMN)
    block = CommentedMap()
    for service in services:
        entry = CommentedMap((figure, None) for figure in FIGURES[service])
        for figure in FIGURES[service]:
            note = FIGURE_NAMES[figure] + ("，可不填" if figure in OPTIONAL_FIGURES else "")
            entry.yaml_add_eol_comment(note, figure, column=COLUMN)
        block[service] = entry
        block.yaml_add_eol_comment(SERVICE_NAMES[service], service, column=COLUMN)
    doc["services"] = block
    doc["deposits_from_villagers"] = None
    doc.yaml_add_eol_comment("收取村民押金（元）：协议禁止收取，应为 0", "deposits_from_villagers", column=COLUMN)
    doc.yaml_set_start_comment(
        f"{station.get('name', station.get('id'))} {month_title(month)}运营记录（草稿，{today.isoformat()} 由 {made_by} 创建）\n"
        "留空的数字表示尚未报送，不是 0；数字录完后填写报送日期 reported，报表才计入"
    )
    return doc


def draft_text(station: dict[str, Any], month: str, services: list[str], today: date, made_by: str) -> str:
    return str(roundtrip.dump(draft_document(station, month, services, today, made_by)))
