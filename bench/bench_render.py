"""How long `yjstation render agreement --all --format docx` takes, against the floor it stands on:
pandoc run directly on the same Markdown, one process per file, one after another.

pandoc's own start-up and DOCX writing dominate the cost of a document, so the direct loop is what
a shell script would do and the number to beat; the ratio shows what the worker pool (and yjstation's
own overhead: loading YAML, Jinja, atomic writes, Python start-up) adds or saves. A plain script, not a
test: `python bench/bench_render.py [--repeat N] [--root DIR]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypandoc

from yjstation.documents.render import PANDOC_FROM, REFERENCE

ROOT = Path(__file__).resolve().parent.parent
DATE = "2026-11-29"


def yjstation(root: Path, *args: str) -> None:
    command = [sys.executable, "-m", "yjstation", "--root", str(root), "render", "agreement", "--all", *args]
    subprocess.run([*command, "--date", DATE], check=True, capture_output=True)


def ours(root: Path, out: Path) -> float:
    start = time.perf_counter()
    yjstation(root, "--format", "docx", "--out-dir", str(out))
    return time.perf_counter() - start


def direct(root: Path, markdown: list[Path], out: Path) -> float:
    pandoc, reference = pypandoc.get_pandoc_path(), root / REFERENCE
    start = time.perf_counter()
    for source in markdown:
        target = out / source.with_suffix(".docx").name
        subprocess.run(
            [
                pandoc,
                "-f",
                PANDOC_FROM,
                "-t",
                "docx",
                "--reference-doc",
                str(reference),
                "-o",
                str(target),
                str(source),
            ],
            check=True,
        )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (default 5)")
    parser.add_argument("--root", type=Path, default=ROOT, help="data repository (default: this project's)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        yjstation(args.root, "--format", "md", "--out-dir", str(work / "md"))
        markdown = sorted((work / "md").glob("*.md"))
        mine, theirs = [], []
        for run in range(args.repeat):
            for name, times, measure in (
                ("yjstation", mine, lambda out: ours(args.root, out)),
                ("pandoc", theirs, lambda out: direct(args.root, markdown, out)),
            ):
                out = work / f"{name}-{run}"
                out.mkdir()
                times.append(measure(out))
                assert len(list(out.glob("*.docx"))) == len(markdown)
    ours_median, direct_median = statistics.median(mine), statistics.median(theirs)
    print(f"{len(markdown)} agreements as DOCX, {args.repeat} runs each, {os.cpu_count()} cores")
    print(f"yjstation render agreement --all --format docx: median {ours_median:.2f} s ({_runs(mine)})")
    print(f"pandoc directly, one process per file:          median {direct_median:.2f} s ({_runs(theirs)})")
    print(f"ratio yjstation / direct pandoc: {ours_median / direct_median:.2f}")


def _runs(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times)


if __name__ == "__main__":
    main()
