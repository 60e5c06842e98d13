"""The cache's plain-JSON data: decimals come back exact and as Decimal, texts as they were (also those
that look like the encoding's own tags), and anything else is a miss, never an error or a wrong value."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yjstation.checking.cache import Undecodable, decode_data, encode_data

DATA = {
    "money": [Decimal("1.50"), Decimal("5"), Decimal("-0"), Decimal("1E+2"), Decimal("1E-7"), Decimal("0.00")],
    "counts": [0, -3, 2**64],
    "texts": [
        "",
        "1.50",
        "\ue000",
        "\ue0001.5",
        "\ue001x",
        "中文",
        '"quoted"',
        "a\\ue000b",
        'x"\ue0001.5',
        "\ue001\ue002",
    ],
    "nested": {"\ue000key": [{"x": None, "y": True}], "d": Decimal("12.345"), "\ue0001.5": 1, "k\ue001": 2},
}


def test_data_comes_back_exactly() -> None:
    data, encoding = decode_data(encode_data(DATA, "gb18030"))
    assert encoding == "gb18030"
    assert data == DATA
    assert all(type(a) is type(b) and str(a) == str(b) for a, b in zip(data["money"], DATA["money"], strict=True))
    assert type(data["counts"][0]) is int


@pytest.mark.parametrize(
    "blob",
    [b"", b"[", b'["utf-8"]', b"[1, {}]", b'["utf-8", "\\ue0001.5"]', '["utf-8", "中"]'.encode(), b"\xff"],
)
def test_what_this_version_did_not_write_is_a_miss(blob: bytes) -> None:
    with pytest.raises(Undecodable):
        decode_data(blob)
