"""The loader turns every kind of bad input into a positioned diagnostic and never raises."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from yjstation.loading.loader import MAX_BYTES, load_bytes


def load(raw: bytes) -> tuple[object, list[tuple[str, int, int]]]:
    doc = load_bytes(raw, Path("x.yaml"), "x.yaml")
    return doc.data, [(d.code, d.line, d.col) for d in doc.diagnostics]


def test_positions_of_keys_and_items() -> None:
    doc = load_bytes(b"a: 1\nb:\n  c: [x, y]\n  d:\n    - e: 2\n", Path("x"), "x")
    assert doc.source.locate(("b", "c")) == (3, 3)
    assert doc.source.locate(("b", "d", 0)) == (5, 7)
    assert doc.source.locate(("b", "d", 0, "e")) == (5, 7)
    assert doc.source.locate(("b", "missing")) == (2, 1)  # a missing key is reported where its parent is


def test_scalars_are_normalised() -> None:
    data, found = load(b"d: 2021-03-05\nm: 2021-03\nf: 1.50\ni: 0533\nb: true\nn: ~\ns: yes\nid: '533123'\n")
    assert found == []
    assert data == {
        "d": "2021-03-05",
        "m": "2021-03",
        "f": Decimal("1.50"),
        "i": 533,
        "b": True,
        "n": None,
        "s": "yes",
        "id": "533123",
    }


def test_money_is_decimal_not_float() -> None:
    data, _ = load(b"fees: 0.1\ntotal: 480.00\n")
    assert isinstance(data, dict)
    assert data["fees"] + data["fees"] + data["fees"] == Decimal("0.3")
    assert str(data["total"]) == "480.00"


def test_duplicate_key_names_both_lines() -> None:
    doc = load_bytes(b"a: 1\nb: 2\na: 3\n", Path("x"), "x")
    [diag] = doc.diagnostics
    assert (diag.code, diag.line, diag.col) == ("YAML002", 3, 1)
    assert "第 1 行" in diag.message and "第 3 行" in diag.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"a: 1\nb: [1, 2\nc: 3\n", ("YAML001", 2, 4)),  # unclosed bracket: where it was opened
        (b'a: "abc\nb: 1\n', ("YAML001", 1, 4)),  # unclosed quote
        (b"a: b: c\n", ("YAML001", 1, 5)),
        (b"a:\n\tb: 1\n", ("YAML001", 2, 1)),  # a tab used for indentation
        (b"", ("YAML005", 1, 1)),
        (b"# only a comment\n", ("YAML005", 1, 1)),
        (b"- 1\n- 2\n", ("YAML006", 1, 1)),
        (b"just text\n", ("YAML006", 1, 1)),
        (b"a: 1\n---\nb: 2\n", ("YAML001", 3, 1)),
        (b"a: &x [1, *x]\n", ("YAML008", 1, 4)),
        (b"a: .nan\n", ("YAML009", 1, 4)),
        (b"a: !custom x\n", ("YAML009", 1, 4)),
        (b"a: \x01\n", ("YAML001", 1, 4)),
        (b"\xff\xfea\x00:\x00", ("YAML004", 1, 1)),  # UTF-16
        (b"a: \x80\x80\xff\n", ("YAML004", 1, 4)),  # neither UTF-8 nor GB18030
    ],
)
def test_bad_input_is_a_diagnostic(raw: bytes, expected: tuple[str, int, int]) -> None:
    _, found = load(raw)
    assert expected in found


def test_utf8_bom_is_accepted_silently() -> None:
    data, found = load("\ufeff名字: 张三\n".encode())
    assert data == {"名字": "张三"} and found == []


def test_gb18030_is_read_with_a_warning() -> None:
    doc = load_bytes("名字: 张三\n村: 勐展村\n".encode("gb18030"), Path("x"), "x")
    assert doc.data == {"名字": "张三", "村": "勐展村"}
    [diag] = doc.diagnostics
    assert diag.code == "YAML003" and diag.severity.value == "warning"
    assert "GB18030" in diag.message and doc.encoding == "gb18030"


def test_alias_bomb_is_bounded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    data, found = load(("\n".join(lines) + "\n").encode())
    assert data is None and found[0][0] == "YAML008"


def test_oversized_file_is_refused() -> None:
    data, found = load(b"a: " + b"x" * (MAX_BYTES + 1) + b"\n")
    assert data is None and found[0][0] == "YAML007"


def test_deep_nesting_is_refused() -> None:
    data, found = load(b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n")
    assert data is None and found[0][0] == "YAML008"
