"""Masking of personal data for every output except the documents that must carry it in full."""

from __future__ import annotations

import re

# A run of 11 or more digits (an 18-character ID may end in X): a mobile or landline number or an ID
# number, whatever field it came from and whatever stands around it. Only the decimals and the whole
# part of a decimal number (`12345678901.25`) are left alone: that is an amount, not a person.
_D = "0-9０-９"
_LONG_NUMBER = re.compile(rf"(?<![{_D}])(?<![{_D}]\.)[{_D}]{{11,}}(?:(?<=[{_D}]{{17}})[xXｘＸ])?(?![{_D}]|\.[{_D}])")


# The numbers yjstation's own help and hints write as examples (`stationmaster.phone=13900000000`,
# quote it like "13800000000"): no one's, and a hint is useless with them masked.
EXAMPLES = frozenset({"13800000000", "13900000000"})


def mask_id(number: str) -> str:
    """`533123198805120011` -> `533123********0011`: area code and last four stay, birth date hidden."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    """`13800000000` -> `138****0000`."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def redact(text: str) -> str:
    """`text` with every ID or phone number in it masked, whatever the message it is part of: input that
    was meant for one field can turn up in another's message (an unquoted ID number echoed as "is an
    integer `533123…`", a parse error quoting its line, a typo on the command line)."""
    if not isinstance(text, str) or len(text) < 11:
        return text
    return _LONG_NUMBER.sub(_mask, text)


def _mask(match: re.Match[str]) -> str:
    number = match[0]
    if number in EXAMPLES:
        return number
    return mask_id(number) if len(number) in (15, 18) else mask_phone(number)
