"""Hostile input: whatever the bytes, a finding at the file (or a plain message), never a crash."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from yjstation.loading.loader import MAX_DEPTH, load_bytes

NESTED = {
    "flow sequences": b"a: " + b"[" * 1_000_000,
    "flow mappings": b"a: " + b"{a: " * 250_000,
    "block sequences on one line": b"a:\n  " + b"- " * 500_000,
    "block mappings by indentation": b"".join(b" " * i + b"k:\n" for i in range(1_400)),
    "flow inside block": b"a:\n" + b"".join(b" " * (2 * i + 2) + b"-\n" for i in range(40)) + b" " * 82 + b"[" * 1000,
}


@pytest.mark.parametrize("name", sorted(NESTED))
def test_deep_nesting_is_refused_before_it_is_composed(name: str, tmp_path: Path) -> None:
    # in a child process: libyaml's composer overflows the C stack on such files (a segfault, not an
    # exception), and the parent must see the finding, not the crash
    (tmp_path / "x.yaml").write_bytes(NESTED[name])
    probe = (
        "import sys; from pathlib import Path; from yjstation.loading.loader import load_bytes\n"
        "d = load_bytes(Path(sys.argv[1]).read_bytes(), Path(sys.argv[1]), 'x.yaml')\n"
        "print(d.data is None, *[f'{x.code}@{x.line}' for x in d.diagnostics])"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "x.yaml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    refused, *codes = done.stdout.split()
    assert refused == "True" and len(codes) == 1 and codes[0].startswith("YAML008@"), done.stdout


def test_nesting_at_the_limit_still_loads() -> None:
    text = "a: " + "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1) + "\n"
    doc = load_bytes(text.encode(), Path("x.yaml"), "x.yaml")
    assert doc.diagnostics == [] and isinstance(doc.data, dict)
