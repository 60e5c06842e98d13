"""What a clerk types, read forgivingly but never guessed at.

Full-width digits and letters (`５０`, an input method's default) become ASCII; lists may be separated by
Chinese commas and 、 as well as ASCII commas; an enum value may be given by its Chinese title. What is
refused is refused with the exact correction: a unit, a currency sign or a thousands separator in a
number is named and the number shown as it should be written (`200单` -> "remove 单: 200").
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from yjstation.foundation.i18n import tr

# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space, as Chinese input methods type them.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_LIST_SEPARATORS = re.compile(r"\s*[,，、;；]\s*")
_CURRENCY = ("¥", "￥", "元", "RMB", "CNY", "人民币")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_GROUPED = re.compile(r"[-+]?[0-9]{1,3}(?:[,，][0-9]{3})+(?:\.[0-9]*)?")


class EntryError(ValueError):
    """A typed value that cannot be used; the message says what to change."""


def half_width(text: str) -> str:
    """`５０` -> `50`, `１３８００００００００` -> `13800000000`: full-width letters, digits and signs as ASCII.
    Only for values that are codes or numbers: Chinese text keeps its full-width punctuation."""
    return text.translate(_FULL_WIDTH)


def split_list(text: str) -> list[str]:
    """`日用百货，烟酒饮料、粮油` -> three items; empty items dropped."""
    return [item for item in _LIST_SEPARATORS.split(text.strip()) if item]


def parse_number(text: str, *, integer: bool = False) -> Decimal:
    """The number `text` writes, or EntryError saying exactly what to remove."""
    raw = text.strip()
    plain = half_width(raw).replace(" ", "")
    if _NUMBER.fullmatch(plain):
        number = Decimal(plain)
        if integer and number != number.to_integral_value():
            raise EntryError(tr("“{raw}”应为整数", "“{raw}” should be a whole number", raw=raw))
        return number
    signs = [sign for sign in _CURRENCY if sign in plain]
    rest = plain
    for sign in signs:
        rest = rest.replace(sign, "")
    if signs and _is_number(rest):
        raise EntryError(
            tr(
                "“{raw}”：去掉“{sign}”，金额以元为单位，只写数字：{rest}",
                "“{raw}”: remove “{sign}”; amounts are in yuan, write only the number: {rest}",
                raw=raw,
                sign="”“".join(signs),
                rest=rest,
            )
        )
    if _GROUPED.fullmatch(plain):
        separator = "，" if "，" in raw else ","
        raise EntryError(
            tr(
                "“{raw}”：去掉千位分隔符“{sep}”，写成 {rest}",
                "“{raw}”: remove the thousands separator “{sep}” and write {rest}",
                raw=raw,
                sep=separator,
                rest=plain.replace(",", "").replace("，", ""),
            )
        )
    if plain.endswith("%") and _is_number(plain[:-1]):
        value = Decimal(plain[:-1]) / 100
        raise EntryError(
            tr(
                "“{raw}”：比例写成小数，{raw} 写成 {value}",
                "“{raw}”: write a rate as a fraction: {value} for {raw}",
                raw=raw,
                value=f"{value.normalize():f}",
            )
        )
    match = _NUMBER.match(plain)
    if match is not None and match.end() < len(plain) and not plain[match.end()].isdigit():
        unit = plain[match.end() :]
        raise EntryError(
            tr(
                "“{raw}”：去掉单位“{unit}”，只写数字：{number}",
                "“{raw}”: remove the unit “{unit}” and write only the number: {number}",
                raw=raw,
                unit=unit,
                number=match[0],
            )
        )
    raise EntryError(tr("“{raw}”不是数字", "“{raw}” is not a number", raw=raw))


def _is_number(text: str) -> bool:
    return _NUMBER.fullmatch(text) is not None


def number_hint(value: Any, integer: bool) -> str | None:
    """For text where a number belongs: what to change to make it one, or None when that is not clear."""
    if not isinstance(value, str):
        return None
    try:
        number = parse_number(value, integer=integer)
    except EntryError as exc:
        return str(exc)
    return tr(
        "去掉引号，写成数字 {number}",
        "write it as the number {number}, without quotes",
        number=f"{number:f}",
    )


def match_choice(text: str, choices: dict[Any, str]) -> Any:
    """The code of an enum value typed as its code, its Chinese title, or the start of just one title
    (村级 for 村级服务站); None when it is none of these."""
    given = half_width(text.strip())
    for code, title in choices.items():
        if given == str(code) or text.strip() == title or given.lower() == str(code).lower():
            return code
    starting = [code for code, title in choices.items() if len(text.strip()) >= 2 and title.startswith(text.strip())]
    return starting[0] if len(starting) == 1 else None
