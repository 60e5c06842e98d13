"""How dates and sums of money are written in Chinese documents: `2020年11月1日`, and the upper-case
amount (大写金额) that a contract states beside the figures so that a digit cannot be altered by hand."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

# A line to write on: the full-width low line (＿) is drawn as one unbroken rule in every Chinese font and
# needs no Markdown escaping, unlike the ASCII underscore.
LINE = "\uff3f"
BLANK_DATE = f"{LINE * 4}年{LINE * 2}月{LINE * 2}日"

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ("", "拾", "佰", "仟")
_LARGE = ("", "万", "亿", "万亿")


def date_zh(day: date | None) -> str:
    """`2020年11月1日`; a blank to fill in by hand when there is no date yet."""
    return BLANK_DATE if day is None else f"{day.year}年{day.month}月{day.day}日"


def month_zh(day: date | None) -> str:
    """`1986年11月`, as forms ask for 出生年月."""
    return f"{LINE * 4}年{LINE * 2}月" if day is None else f"{day.year}年{day.month}月"


def rmb_upper(amount: Decimal) -> str:
    """The amount in capital numerals, as banks and contracts write it: `1000.00` -> `壹仟元整`,
    `10100.50` -> `壹万零壹佰元伍角`. Rounded to the fen; negative amounts have no such form."""
    fen_total = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if fen_total < 0:
        raise ValueError(f"negative amount {amount}")
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    text = _integer(yuan) + "元" if yuan else ""
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan and fen:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    return text + ("整" if not fen and not jiao else "") if text else "零元整"


def _integer(number: int) -> str:
    digits = str(number)
    if len(digits) > 16:
        raise ValueError(f"amount too large: {number}")
    text, zero, group_has_digit = "", False, False
    for index, char in enumerate(digits):
        place = len(digits) - 1 - index
        digit = int(char)
        if digit == 0:
            zero = bool(text)  # one 零 stands for any run of zeros between two digits
        else:
            text += ("零" if zero else "") + _DIGITS[digit] + _SMALL[place % 4]
            zero, group_has_digit = False, True
        if place % 4 == 0 and place > 0:
            if group_has_digit:
                text += _LARGE[place // 4]
            group_has_digit = False
    return text
