"""Every message has Chinese and English; --lang and the locale choose between them."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from tests.conftest import AS_OF, PROJECT, run_cli
from yjstation.checking.catalogue import all_codes
from yjstation.foundation.codes_en import EN
from yjstation.foundation.i18n import detect

CJK = re.compile(r"[\u4e00-\u9fff]")
SOURCES = sorted((PROJECT / "yjstation").rglob("*.py"))


def tr_calls() -> list[tuple[str, int, str, str, set[str]]]:
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr":
                zh, en = node.args[:2]
                assert isinstance(zh, ast.Constant) and isinstance(en, ast.Constant), f"{path}:{node.lineno}"
                found.append((path.name, node.lineno, zh.value, en.value, {k.arg for k in node.keywords if k.arg}))
    return found


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_both_languages_and_all_its_fields() -> None:
    calls = tr_calls()
    assert len(calls) > 100
    for where, line, zh, en, given in calls:
        assert zh and en, f"{where}:{line}"
        assert not CJK.search(en), f"{where}:{line}: English half contains Chinese"
        assert fields(zh) | fields(en) <= given, f"{where}:{line}: a field is not supplied"
        assert (fields(zh) and fields(en)) or not given, f"{where}:{line}: fields supplied but not used"


def test_every_code_has_english() -> None:
    for code in all_codes():
        assert code.code in EN and EN[code.code][0], code.code
        assert not CJK.search(" ".join(EN[code.code])), code.code
    assert set(EN) >= {c.code for c in all_codes()}


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["--lang", "en", "validate"], {"LANG": "zh_CN.UTF-8"}, "en"),
        (["--lang=zh"], {"LANG": "en_US.UTF-8"}, "zh"),
        ([], {"LANG": "en_US.UTF-8"}, "en"),
        ([], {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ([], {"LANG": "C.UTF-8"}, "zh"),
        ([], {}, "zh"),
    ],
)
def test_language_detection(argv: list[str], environ: dict[str, str], expected: str) -> None:
    assert detect(argv, environ) == expected


def broken(bundle: Path, tmp: Path) -> Path:
    from tests.conftest import copy_repository

    root = copy_repository(bundle, tmp / "repo", stations=["pingyuan-mengzhan", "pingyuan-town"])
    station = root / "data/stations/pingyuan-mengzhan.yaml"
    text = station.read_text(encoding="utf-8").replace("gender: female", "gender: male")
    station.write_text(text.replace("broadband: true", "broadband: false"), encoding="utf-8")
    return root


def test_same_diagnostics_in_two_languages(bundle: Path, tmp_path: Path) -> None:
    root = broken(bundle, tmp_path)
    zh = run_cli("--lang", "zh", "--root", str(root), "validate", "--as-of", AS_OF, "--format", "json").json()
    en = run_cli("--lang", "en", "--root", str(root), "validate", "--as-of", AS_OF, "--format", "json").json()
    key = lambda d: (d["code"], d["file"], d["line"], d["col"], d["path"], d["severity"])  # noqa: E731
    assert [key(d) for d in zh["diagnostics"]] == [key(d) for d in en["diagnostics"]]
    assert zh["diagnostics"] and all(CJK.search(d["message"]) for d in zh["diagnostics"])
    assert all(not CJK.search(d["message"] + d.get("hint", "")) for d in en["diagnostics"])
    text = run_cli("--lang", "en", "--root", str(root), "validate", "--as-of", AS_OF)
    assert "error" in text.stdout and not CJK.search(text.stdout), text.stdout
