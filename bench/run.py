"""Time `yjstation` against its peers and its own floor, and check every speed target in one run.

    python bench/run.py                          # every measure and target (2,000 stations x 12 months)
    python bench/run.py --stations 500 --months 36 --repeat 1      # the held-out shape
    python bench/run.py --corpus DIR             # an existing repository (as_of from DIR/corpus.json)

Everything runs here, side by side, each measurement in a fresh process, the repeats interleaved
(so a busy machine slows every contender alike); each figure is the median. On the generated corpus:

- cold:     `yjstation validate` on the whole corpus, its cache deleted first;
- warm:     `yjstation validate` again with nothing changed;
- peer:     check-jsonschema with the project's schemas: station files against the station schema plus
            monthly records against the operations schema (two runs, times added);
- floor:    one Python process reading every station and operations file with yaml.CSafeLoader;
- help:     `yjstation --help`, against `python -c "import typer"`;
- scaling:  cold validate per file on corpora of --scaling station counts (--scaling-months each),
            net of the start-up cost (a cold validate of a one-station corpus);
- memory:   the peak RSS of the largest process of a cold validate, with --months and with
            --memory-months months of records.

The everyday commands, on a copy of the bundled repository (73 stations, 751 files):

- set:       `station set` of one field (a phone number, alternating between two values), the cache
             warm as a clerk's is; against a warm `validate` of the same repository;
- fmt warm / fmt cold: `fmt --check` of the whole repository with its cache, and with the cache deleted;
- bundled cold: `validate` with the cache deleted, against `import typer` plus the floor of these files.

A messy corpus (--messy-stations x --messy-months, a --messy fraction of stations with cross-file
mistakes: about that fraction of all files has findings, as a county's first import does): cold
`validate` with one and with two worker processes, against its floor. And the loader on 1 MiB of
nested brackets, which it must refuse quickly.

Corpora are generated (bench/corpus.py) in a temporary folder that is deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus as generator

PYTHON = sys.executable
BIN = Path(sys.executable).parent
ARG_BUDGET = 1_500_000  # bytes of file names per check-jsonschema call (the kernel allows about 2 MB)

TARGETS = (
    ("cold / check-jsonschema", "<=", 0.5),
    ("cold / parse floor", "<=", 1.5),
    ("warm / cold", "<=", 0.1),
    ("--help / import typer", "<=", 1.3),
    ("per-file time, largest / smallest corpus", "within", 0.2),
    ("peak memory, most / fewest months", "<=", 1.1),
    ("station set one field / warm validate", "<=", 1.5),
    ("fmt --check warm / warm validate", "<=", 1.5),
    ("fmt --check cold / parse floor", "<=", 3.0),
    ("bundled cold validate / (import typer + floor)", "<=", 2.0),
    ("messy cold validate / parse floor", "<=", 2.5),
    ("messy cold, 2 jobs / 1 job", "<=", 0.75),
    ("1 MiB of nesting refused, seconds", "<=", 0.25),
)
FLOOR = (
    "import os, yaml\n"
    "for top in ('data/stations', 'data/operations'):\n"
    "    for folder, _, names in os.walk(top):\n"
    "        for name in names:\n"
    "            with open(os.path.join(folder, name), 'rb') as f:\n"
    "                yaml.load(f, Loader=yaml.CSafeLoader)\n"
)


def yjstation() -> list[str]:
    script = BIN / "yjstation"
    return [str(script)] if script.exists() else [PYTHON, "-m", "yjstation"]


def timed(command: list[str], cwd: Path, check: bool = True) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if check and result.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} ... failed ({result.returncode}): {result.stderr.decode()[-2000:]}")
    return elapsed


def peak_rss(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time and the peak resident set (KiB) of the largest process `command` starts."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
    )
    out = subprocess.run([PYTHON, "-c", probe, *command], cwd=cwd, capture_output=True, text=True, check=True)
    elapsed, rss, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(command[:4])} ... exited {code}")
    return float(elapsed), int(rss)


class Corpus:
    def __init__(self, root: Path) -> None:
        self.root = root
        manifest = json.loads((root / "corpus.json").read_text(encoding="utf-8"))
        self.as_of = str(manifest["as_of"])
        self.stations = sorted(p.relative_to(root).as_posix() for p in (root / "data/stations").glob("*.yaml"))
        self.operations = sorted(p.relative_to(root).as_posix() for p in (root / "data/operations").glob("*/*.yaml"))

    @property
    def files(self) -> int:
        return len(self.stations) + len(self.operations)

    def validate(self) -> list[str]:
        return [*yjstation(), "validate", "--as-of", self.as_of, "--format", "json"]

    def clear_cache(self) -> None:
        shutil.rmtree(self.root / ".yjstation-cache", ignore_errors=True)

    def cold(self) -> float:
        self.clear_cache()
        return timed(self.validate(), self.root)

    def warm(self) -> float:
        return timed(self.validate(), self.root)

    def peer(self) -> float:
        total = 0.0
        for schema, files in (("station", self.stations), ("operations", self.operations)):
            for batch in _batches(files):
                command = [str(BIN / "check-jsonschema"), "--schemafile", f"data/schemas/{schema}.schema.json", *batch]
                total += timed(command, self.root)
        return total

    def floor(self) -> float:
        return timed([PYTHON, "-c", FLOOR], self.root)

    def cold_jobs(self, jobs: int) -> float:
        self.clear_cache()
        return timed([*self.validate(), "--jobs", str(jobs)], self.root, check=False)


def _batches(files: list[str]) -> list[list[str]]:
    batches: list[list[str]] = [[]]
    size = 0
    for name in files:
        if size + len(name) + 1 > ARG_BUDGET and batches[-1]:
            batches.append([])
            size = 0
        batches[-1].append(name)
        size += len(name) + 1
    return batches


def median_of(samples: dict[str, list[float]], name: str) -> float:
    return statistics.median(samples[name])


def measure(corpus: Corpus, repeat: int, help_repeat: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {k: [] for k in ("cold", "warm", "peer", "floor", "help", "typer")}
    runs: list[tuple[str, Callable[[], float]]] = [
        ("floor", corpus.floor),
        ("cold", corpus.cold),
        ("warm", corpus.warm),
        ("peer", corpus.peer),
    ]
    for round_ in range(repeat):
        for name, run in runs:
            samples[name].append(run())
            print(f"  round {round_ + 1}: {name:5} {samples[name][-1]:8.3f} s", flush=True)
    for _ in range(help_repeat):  # interleaved too: start-up time is what a busy machine disturbs most
        samples["help"].append(timed([*yjstation(), "--help"], corpus.root))
        samples["typer"].append(timed([PYTHON, "-c", "import typer"], corpus.root))
    return {name: median_of(samples, name) for name in samples}


def scaling(sizes: list[int], months: int, repeat: int, work: Path) -> dict[str, object]:
    """Cold validate per file, net of start-up (a one-station corpus), at each corpus size."""
    out: dict[str, object] = {}
    tiny = Corpus(_generated(work / "scale-1", 1, months))
    startup = statistics.median(tiny.cold() for _ in range(max(3, repeat)))
    out["startup_s"] = startup
    rows = []
    for size in sizes:
        corpus = Corpus(_generated(work / f"scale-{size}", size, months))
        wall = statistics.median(corpus.cold() for _ in range(repeat))
        rows.append(
            {
                "stations": size,
                "files": corpus.files,
                "cold_s": wall,
                "per_file_ms": wall / corpus.files * 1e3,
                "net_per_file_ms": (wall - startup) / corpus.files * 1e3,
            }
        )
        print(f"  scaling: {size} stations, {corpus.files} files: {wall:.2f} s", flush=True)
        shutil.rmtree(corpus.root)
    out["rows"] = rows
    return out


def memory(corpus: Corpus, stations: int, few: int, work: Path) -> dict[str, int]:
    small = Corpus(_generated(work / "memory", stations, few))
    small.clear_cache()
    _, small_rss = peak_rss(small.validate(), small.root)
    corpus.clear_cache()
    _, big_rss = peak_rss(corpus.validate(), corpus.root)
    shutil.rmtree(small.root)
    return {"few_months": few, "few_months_kib": small_rss, "all_months_kib": big_rss}


def _generated(path: Path, stations: int, months: int, messy: float = 0.0) -> Path:
    generator.generate(path, stations, months, messy=messy)
    return path


BUNDLED_AS_OF = "2021-12-31"
PHONES = ("13912345670", "13912345671")


def _a_village_station(root: Path) -> str:
    """The first village station of the bundle (found in the data: the sample is regenerated now and then)."""
    import yaml

    for path in sorted((root / "data/stations").glob("*.yaml")):
        if yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader).get("level") == "village":
            return path.stem
    raise SystemExit("the bundled repository has no village station to edit")


def everyday(work: Path, repeat: int) -> dict[str, float]:
    """The everyday commands on a copy of the bundled repository, interleaved round by round."""
    root = work / "bundled"
    shutil.copytree(generator.BUNDLE / "data", root / "data")
    validate = [*yjstation(), "validate", "--as-of", BUNDLED_AS_OF, "--format", "json"]
    fmt = [*yjstation(), "fmt", "--check"]

    def clear() -> None:
        shutil.rmtree(root / ".yjstation-cache", ignore_errors=True)

    def cold() -> float:
        clear()  # the whole cache: validate's rows and fmt's verdicts
        return timed(validate, root)

    rounds = max(repeat, 5)  # each command is quick: more rounds, steadier medians
    phone = iter(PHONES * rounds)

    station = _a_village_station(root)

    def station_set() -> float:
        assignment = f"stationmaster.phone={next(phone)}"
        return timed([*yjstation(), "station", "set", station, assignment, "--as-of", BUNDLED_AS_OF], root)

    runs: list[tuple[str, Callable[[], float]]] = [
        ("b_floor", lambda: timed([PYTHON, "-c", FLOOR], root)),
        ("b_typer", lambda: timed([PYTHON, "-c", "import typer"], root)),
        ("b_cold", cold),
        ("fmt_cold", lambda: timed(fmt, root)),  # its verdicts were cleared with the rest just before
        ("b_warm", lambda: timed(validate, root)),
        ("fmt_warm", lambda: timed(fmt, root)),
        ("set", station_set),
    ]
    return _interleaved(runs, rounds, "bundled")


def messy(work: Path, stations: int, months: int, fraction: float, repeat: int) -> dict[str, float]:
    """Cold validate of a first-import-like corpus with one and two workers, against its floor."""
    corpus = Corpus(_generated(work / "messy", stations, months, fraction))
    corpus.clear_cache()
    check = subprocess.run(corpus.validate(), cwd=corpus.root, capture_output=True, text=True, check=False)
    found = json.loads(check.stdout)["diagnostics"]
    share = len({d["file"] for d in found}) / corpus.files
    print(f"messy corpus: {corpus.files} files, {len(found)} findings in {share:.0%} of the files", flush=True)
    runs: list[tuple[str, Callable[[], float]]] = [
        ("m_floor", corpus.floor),
        ("m_cold_1", lambda: corpus.cold_jobs(1)),
        ("m_cold_2", lambda: corpus.cold_jobs(2)),
    ]
    out = _interleaved(runs, repeat, "messy")
    shutil.rmtree(corpus.root)
    return out | {"m_files": float(corpus.files), "m_share": share}


NESTING = (
    "import time\nfrom pathlib import Path\nfrom yjstation.loading.loader import load_bytes\n"
    "raw = b'[' * (1024 * 1024)\n"
    "start = time.perf_counter()\ndoc = load_bytes(raw, Path('deep.yaml'), 'deep.yaml')\n"
    "print(time.perf_counter() - start, doc.diagnostics[0].code)\n"
)


def nesting(repeat: int) -> float:
    """Seconds the loader takes to refuse 1 MiB of nested brackets (in a warm process: the load only)."""
    times = []
    for _ in range(max(repeat, 3)):
        out = subprocess.run([PYTHON, "-c", NESTING], capture_output=True, text=True, check=True).stdout.split()
        if out[1] != "YAML008":
            raise SystemExit(f"1 MiB of nesting gave {out[1]}, not YAML008")
        times.append(float(out[0]))
    return statistics.median(times)


def _interleaved(runs: list[tuple[str, Callable[[], float]]], rounds: int, what: str) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name, _ in runs}
    for round_ in range(rounds):
        for name, run in runs:
            samples[name].append(run())
        shown = ", ".join(f"{name} {values[-1]:.3f}" for name, values in samples.items())
        print(f"  {what} round {round_ + 1}: {shown}", flush=True)
    return {name: statistics.median(values) for name, values in samples.items()}


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load:.2f} at the start"
    )


def verdicts(
    result: dict[str, float], scale: dict[str, object] | None, mem: dict[str, int] | None
) -> list[tuple[str, float | None, str, float, bool | None]]:
    def ratio(top: str, *bottom: str) -> float | None:
        if top not in result or any(b not in result for b in bottom):
            return None
        return result[top] / sum(result[b] for b in bottom)

    ratios: dict[str, float | None] = {
        "cold / check-jsonschema": ratio("cold", "peer"),
        "cold / parse floor": ratio("cold", "floor"),
        "warm / cold": ratio("warm", "cold"),
        "--help / import typer": ratio("help", "typer"),
        "per-file time, largest / smallest corpus": None,
        "peak memory, most / fewest months": None,
        "station set one field / warm validate": ratio("set", "b_warm"),
        "fmt --check warm / warm validate": ratio("fmt_warm", "b_warm"),
        "fmt --check cold / parse floor": ratio("fmt_cold", "b_floor"),
        "bundled cold validate / (import typer + floor)": ratio("b_cold", "b_typer", "b_floor"),
        "messy cold validate / parse floor": ratio("m_cold_1", "m_floor"),
        "messy cold, 2 jobs / 1 job": ratio("m_cold_2", "m_cold_1"),
        "1 MiB of nesting refused, seconds": result.get("nesting"),
    }
    if scale is not None:
        rows = scale["rows"]
        assert isinstance(rows, list)
        ratios["per-file time, largest / smallest corpus"] = rows[-1]["net_per_file_ms"] / rows[0]["net_per_file_ms"]
    if mem is not None:
        ratios["peak memory, most / fewest months"] = mem["all_months_kib"] / mem["few_months_kib"]
    out = []
    for name, how, bound in TARGETS:
        value = ratios[name]
        met = None if value is None else (abs(value - 1) <= bound if how == "within" else value <= bound)
        out.append((name, value, how, bound, met))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stations", type=int, default=2000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of every measurement (median reported)")
    parser.add_argument("--help-repeat", type=int, default=15)
    parser.add_argument("--corpus", type=Path, help="use this generated repository instead of making one")
    parser.add_argument("--scaling", default="1000,20000", help="station counts for the per-file scaling check")
    parser.add_argument("--scaling-months", type=int, default=3)
    parser.add_argument("--memory-months", type=int, default=3, help="the fewer months for the memory check")
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-everyday", action="store_true", help="no station set / fmt / bundled measures")
    parser.add_argument("--skip-messy", action="store_true", help="no findings-heavy corpus")
    parser.add_argument("--messy-stations", type=int, default=1000)
    parser.add_argument("--messy-months", type=int, default=4)
    parser.add_argument("--messy", type=float, default=0.3, help="fraction of stations with cross-file mistakes")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args(argv)

    if shutil.which("check-jsonschema", path=str(BIN)) is None:
        raise SystemExit("check-jsonschema is not installed: pip install -e '.[bench]'")
    # An installed package has its bytecode compiled (pip does it), as Typer and check-jsonschema do
    # here; an editable checkout under PYTHONDONTWRITEBYTECODE would recompile yjstation on every run.
    import yjstation

    subprocess.run([PYTHON, "-m", "compileall", "-q", str(Path(yjstation.__file__).parent)], check=True)
    print(machine(), flush=True)
    print(f"uptime at the start: {_uptime()}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="yjstation-bench-"))
    try:
        if args.corpus is not None:
            corpus = Corpus(args.corpus.resolve())
        else:
            print(f"generating {args.stations} stations x {args.months} months ...", flush=True)
            corpus = Corpus(_generated(work / "corpus", args.stations, args.months))
        print(f"corpus: {len(corpus.stations)} station files, {len(corpus.operations)} monthly records", flush=True)
        corpus.clear_cache()
        check = subprocess.run(corpus.validate(), cwd=corpus.root, capture_output=True, text=True, check=False)
        summary = json.loads(check.stdout)["summary"]
        print(f"validate finds {summary['errors']} errors, {summary['warnings']} warnings", flush=True)
        if check.returncode != 0:
            raise SystemExit("the corpus does not validate clean; the comparison would be unfair")
        result = measure(corpus, args.repeat, args.help_repeat)
        if not args.skip_everyday:
            result |= everyday(work, args.repeat)
        if not args.skip_messy:
            result |= messy(work, args.messy_stations, args.messy_months, args.messy, args.repeat)
        result["nesting"] = nesting(args.repeat)
        sizes = [int(s) for s in args.scaling.split(",") if s]
        scale = None if args.skip_scaling else scaling(sizes, args.scaling_months, args.repeat, work)
        mem = None if args.skip_memory else memory(corpus, len(corpus.stations), args.memory_months, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nmedians of {args.repeat} rounds on {corpus.files} files ({len(corpus.stations)} stations):")
    labels = {
        "cold": "yjstation validate, cold (cache cleared)",
        "warm": "yjstation validate, warm (nothing changed)",
        "peer": "check-jsonschema, station + operations schemas",
        "floor": "parse-only floor (yaml.CSafeLoader, one process)",
        "help": "yjstation --help",
        "typer": 'python -c "import typer"',
    }
    for key, label in labels.items():
        extra = (
            f"  ({result[key] / corpus.files * 1e3:.3f} ms/file)" if key in ("cold", "warm", "peer", "floor") else ""
        )
        print(f"  {label:52} {result[key]:9.3f} s{extra}")
    everyday_labels = {
        "b_floor": "parse-only floor",
        "b_typer": 'python -c "import typer"',
        "b_cold": "yjstation validate, cold",
        "b_warm": "yjstation validate, warm",
        "set": "yjstation station set (one phone number)",
        "fmt_cold": "yjstation fmt --check, cold (cache cleared)",
        "fmt_warm": "yjstation fmt --check, warm",
    }
    if "set" in result:
        print("\nthe bundled repository (751 files), medians:")
        for key, label in everyday_labels.items():
            print(f"  {label:52} {result[key]:9.3f} s")
    if "m_floor" in result:
        print(
            f"\nthe messy corpus ({result['m_files']:.0f} files, findings in {result['m_share']:.0%} of them), medians:"
        )
        for key, label in (("m_floor", "parse-only floor"), ("m_cold_1", "cold, 1 job"), ("m_cold_2", "cold, 2 jobs")):
            print(f"  {label:52} {result[key]:9.3f} s")
    print(f"\n1 MiB of nested brackets refused by the loader in {result['nesting'] * 1e3:.1f} ms")
    if scale is not None:
        print(f"\nscaling ({args.scaling_months} months each; start-up {scale['startup_s']:.3f} s):")
        for row in scale["rows"]:  # type: ignore[attr-defined]
            print(
                f"  {row['stations']:6} stations {row['files']:7} files  cold {row['cold_s']:8.2f} s  "
                f"{row['per_file_ms']:.3f} ms/file, {row['net_per_file_ms']:.3f} ms/file net of start-up"
            )
    if mem is not None:
        print(
            f"\npeak memory (largest process): {mem['few_months']} months {mem['few_months_kib'] / 1024:.0f} MiB, "
            f"{args.months if args.corpus is None else 'all'} months {mem['all_months_kib'] / 1024:.0f} MiB"
        )
    print("\ntargets:")
    all_met = True
    for name, value, how, bound, met in verdicts(result, scale, mem):
        shown = "   n/a" if value is None else f"{value:6.3f}"
        goal = f"within {bound:.0%} of 1" if how == "within" else f"<= {bound}"
        mark = "skipped" if met is None else ("met" if met else "NOT MET")
        all_met = all_met and met is not False
        print(f"  {name:48} {shown}  (target {goal:14})  {mark}")
    if args.json is not None:
        payload = {"machine": machine(), "files": corpus.files, "medians_s": result, "scaling": scale, "memory": mem}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"\nuptime at the end: {_uptime()}")
    print("\nevery target met" if all_met else "\nSOME TARGETS NOT MET")
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
