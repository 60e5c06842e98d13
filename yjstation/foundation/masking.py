"""Masking of personal data for every output except the documents that must carry it in full."""

from __future__ import annotations


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
