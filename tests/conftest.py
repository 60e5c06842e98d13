"""Shared fixtures: copies of the project's bundled repository, an independent reading of its YAML, and a
CLI runner.

Tests never read or write the project's own data/: `bundle` is one copy of it made per session (and per
xdist worker), which tests only read; a test that writes takes its own copy (`copy_repository`,
`bundled_copy`, `mini_repo`). So a county that keeps its data in a clone of this repository can add a
station and the suite still passes, and no test leaves a `.yjstation-cache/` in the project.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from yjstation.checking.cache import CACHE_DIR
from yjstation.cli.app import main

PROJECT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
AS_OF = "2021-12-31"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(*args: str, stdin: str = "") -> Run:
    """Run the CLI in-process as an operator would type it: `main(argv)` with its exit status and what
    it printed. An internal error is a failed test, not an exit status (YJSTATION_DEBUG re-raises it)."""
    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.get("YJSTATION_DEBUG")
    os.environ["YJSTATION_DEBUG"] = "1"
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _stdin(stdin):
            code = main(list(args))
    finally:
        if saved is None:
            os.environ.pop("YJSTATION_DEBUG", None)
        else:
            os.environ["YJSTATION_DEBUG"] = saved
    return Run(code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _stdin(text: str) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved


def git(root: Path, *args: str) -> str:
    """`git` in `root` with a fixed identity (a test machine may have none), failing the test when git
    fails; what it printed."""
    done = subprocess.run(
        ["git", "-c", "user.name=测试", "-c", "user.email=test@example.org", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@functools.cache
def _cli_once(args: tuple[str, ...]) -> Run:
    return run_cli(*args)


def cli_once(*args: str) -> Run:
    """`run_cli` for a command that only reads a repository nobody writes (`bundle`): it runs once per
    session and tests that ask for the same command share its output (a full report takes seconds)."""
    return _cli_once(args)


# --- the bundled repository, copied ----------------------------------------------------------------


def copy_repository(source: Path, target: Path, stations: list[str] | None = None, *, cache: bool = True) -> Path:
    """A copy of `source`'s configuration, templates and (some of) its stations with their monthly records;
    a full copy (no `stations`) has the events too (a partial one would find them naming absent stations)
    and, unless `cache` is false, `source`'s cache: a test that edits one file of the bundle then checks
    that file and the rules that read it, as a clerk's run does, instead of parsing 750 unchanged files
    again (that the cache never changes a result is tested in test_performance; tests of the parsing
    and the rules themselves pass --no-cache)."""
    for part in ("data/county.yaml", "data/policy", "data/schemas", "templates"):
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / part, target / part)
    (target / "data/stations").mkdir(parents=True, exist_ok=True)
    for path in sorted((source / "data/stations").glob("*.yaml")):
        if stations is None or path.stem in stations:
            shutil.copy2(path, target / "data/stations" / path.name)
    for path in sorted((source / "data/operations").glob("*/*.yaml")):
        if stations is None or path.stem in stations:
            dest = target / "data/operations" / path.parent.name / path.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
    if stations is None and (source / "data/events").is_dir():
        shutil.copytree(source / "data/events", target / "data/events")
    if stations is None and cache and (source / CACHE_DIR).is_dir():
        shutil.copytree(source / CACHE_DIR, target / CACHE_DIR)
    return target


def source_tree(target: Path, bundle: Path) -> Path:
    """What the package is built from (the code, and the bundle's schemas, policy defaults, waivers file
    and templates for `init`), without the bundled stations and operations or caches."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(PROJECT / "yjstation", target / "yjstation", ignore=ignore)
    for part in ("data/schemas", "data/policy", "templates"):
        shutil.copytree(bundle / part, target / part, ignore=ignore)
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(PROJECT / name, target / name)
    shutil.copy2(bundle / "data/waivers.yaml", target / "data/waivers.yaml")
    return target


def _snapshot(root: Path, *, cache: bool = True) -> dict[str, tuple[int, int]]:
    """Every file under `root` with its size and time; without `cache`, the .yjstation-cache/ is left out."""
    return {
        p.relative_to(root).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if cache or ".yjstation-cache" not in p.relative_to(root).parts
    }


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bundled repository (all of data/ and templates/) as it is in this checkout, copied once per
    session, without the stations a county listed after the suite's day (see `_listed_after`).
    Read-only: tests that write make their own copy of it. Reading commands (report, checklist, export…)
    load it through the engine's cache like any repository; a test that means to exercise parsing and
    rules validates it with `--no-cache`."""
    root = tmp_path_factory.mktemp("bundle") / "repo"
    shutil.copytree(PROJECT / "data", root / "data")
    shutil.copytree(PROJECT / "templates", root / "templates")
    for path in _listed_after(root, date.fromisoformat(AS_OF)):
        path.unlink()
    # One validation fills the copy's cache, which full copies of it inherit (see copy_repository).
    run_cli("--root", str(root), "validate", "--as-of", AS_OF, "--format", "json")
    before = _snapshot(root, cache=False)
    yield root
    after = _snapshot(root, cache=False)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"a test wrote into the shared read-only bundle: {changed[:5]}"


def _listed_after(root: Path, day: date) -> list[Path]:
    """Station files a county added after the suite's day. The tests hold the bundled sample as of
    AS_OF (2021); a station listed later belongs to no view of that year, so leaving it out of the
    session's copy lets a county keep its own later stations in a clone and the suite still pass.
    Read independently of yjstation, as the oracle below reads: the station's earliest date (listed, a
    rollout step, the application, the agreement)."""
    later = []
    for path in sorted((root / "data/stations").glob("*.yaml")):
        try:
            data = read_yaml(path)
        except yaml.YAMLError:
            continue  # a broken file stays: the tests that read it say so
        if not isinstance(data, dict):
            continue
        rollout = data.get("rollout") if isinstance(data.get("rollout"), dict) else {}
        master = data.get("stationmaster") if isinstance(data.get("stationmaster"), dict) else {}
        agreement = data.get("agreement") if isinstance(data.get("agreement"), dict) else {}
        found = [data.get("listed"), agreement.get("signed"), (master.get("application") or {}).get("submitted")]
        found += [step.get("done") for step in rollout.values() if isinstance(step, dict)]
        dates = [d for d in found if isinstance(d, date)]
        if dates and min(dates) > day:
            later.append(path)
    return later


@pytest.fixture(scope="module")
def bundled_copy(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full writable copy of the bundle for one test module, whose tests corrupt a file and restore it.
    It starts with the bundle's cache, so each validation re-checks the file a test corrupted and what
    reads it (the cache's own guarantees are tested in test_performance)."""
    return copy_repository(bundle, tmp_path_factory.mktemp("bundled") / "repo")


@pytest.fixture
def mini_repo(bundle: Path, tmp_path: Path) -> Path:
    """Configuration from the bundle plus the hand-checked base station of the case files."""
    root = copy_repository(bundle, tmp_path / "repo", stations=[])
    for path in sorted((CASES / "base").rglob("*.yaml")):
        dest = root / "data" / path.relative_to(CASES / "base")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
    return root


@pytest.fixture(scope="session", autouse=True)
def project_cache_untouched() -> Iterator[None]:
    """No test validates the project's own repository with the cache on: that would leave
    .yjstation-cache/ in the checkout, and later runs would replay it instead of checking."""
    cache = PROJECT / ".yjstation-cache"
    before = _snapshot(cache) if cache.exists() else None
    yield
    after = _snapshot(cache) if cache.exists() else None
    assert after == before, "a test wrote .yjstation-cache/ into the project: validate copies, or pass --no-cache"


@pytest.fixture(scope="session", autouse=True)
def metaschema_checked_once() -> Iterator[None]:
    """Every command that loads a repository checks each of its schemas against the JSON Schema
    metaschema: a quarter of a second, most of the cost of validating a small repository, and the same
    schemas in nearly every test. Here each worker checks each distinct schema once; the check is a
    pure function of the schema, failures are never remembered, and a test that changes a schema has
    its new content checked. Commands run in a child process are not affected."""
    from jsonschema import Draft202012Validator

    original = Draft202012Validator.check_schema
    passed: set[str] = set()

    def check_schema(cls: type, schema: Any, *args: Any, **kwargs: Any) -> None:
        key = json.dumps([schema, repr(args), repr(kwargs)], sort_keys=True, default=repr)
        if key not in passed:
            original(schema, *args, **kwargs)
            passed.add(key)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Draft202012Validator, "check_schema", classmethod(check_schema))
        yield


# --- an independent reading of the YAML --------------------------------------------------------------


class _DecimalLoader(yaml.CSafeLoader):
    """PyYAML's safe loader, floats read as Decimal. What makes it independent of yjstation is the part
    that gives the text its meaning (PyYAML's resolver and constructors: which scalar is a date, a number,
    money, text), not the tokenizer: libyaml parses for both, as it does for most of the Python world.
    PyYAML's pure-Python parser gives the same values here five times slower."""


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: Decimal(node.value))


def read_yaml(path: Path) -> Any:
    """One file read independently of yjstation's loader: dates as datetime.date, money as Decimal."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_DecimalLoader)


class Oracle:
    """The bundle read independently of yjstation (see `read_yaml`), each file once per session."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._files: dict[str, Any] = {}

    def __getitem__(self, rel: str) -> Any:
        if rel not in self._files:
            self._files[rel] = read_yaml(self.root / rel)
        return self._files[rel]

    @functools.cached_property
    def county(self) -> Any:
        return self["data/county.yaml"]

    @functools.cached_property
    def stations(self) -> dict[str, Any]:
        """Every station file's data by file name (without .yaml), in file-name order."""
        return {p.stem: self[f"data/stations/{p.name}"] for p in sorted((self.root / "data/stations").glob("*.yaml"))}

    @functools.cached_property
    def months(self) -> list[str]:
        return sorted(p.name for p in (self.root / "data/operations").iterdir() if p.is_dir())

    def operations(self, month: str) -> dict[str, Any]:
        """That month's records by file name (without .yaml)."""
        folder = self.root / "data/operations" / month
        return {p.stem: self[f"data/operations/{month}/{p.name}"] for p in sorted(folder.glob("*.yaml"))}

    def township_names(self) -> dict[str, str]:
        return {t["id"]: t["name"] for t in self.county["townships"]}

    def village_and_its_township(self) -> tuple[str, str]:
        """A village station with records in 2021-03 and its township's station: a copy with just these two
        is a small valid repository."""
        village = next(
            sid
            for sid, data in self.stations.items()
            if data["level"] == "village" and sid in self.operations("2021-03")
        )
        township = self.stations[village]["township"]
        town = next(sid for sid, d in self.stations.items() if d["level"] == "township" and d["township"] == township)
        return village, town


@pytest.fixture(scope="session")
def oracle(bundle: Path) -> Oracle:
    return Oracle(bundle)


# --- running validate, golden files, the locale -------------------------------------------------------


@pytest.fixture
def validate_json() -> Callable[..., Run]:
    def call(root: Path, *args: str) -> Run:
        return run_cli("--root", str(root), "validate", "--as-of", AS_OF, "--format", "json", *args)

    return call


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from current output")
    parser.addoption(
        "--slow",
        action="store_true",
        help="also run the tests marked slow (printing with LibreOffice, a browser, pre-commit, a wheel build); "
        ".ci/run runs them",
    )


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # once, in the process that starts the workers
        _compile_package()
    config.addinivalue_line("markers", "expensive: takes seconds; runs first, so parallel workers finish together")
    config.addinivalue_line(
        "markers",
        "slow: drives an outside program or builds something big (tens of seconds); runs with --slow, as .ci/run does",
    )


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (set in pyproject.toml): one worker more than this process may use cores. A good part
    of the suite waits rather than computes (on git, pandoc and the yjstation processes tests start, on
    the disk syncs of atomic writes, on the kill tests' sleeps), and the spare worker uses those waits.
    Measured on 2 cores: 78 s with 3 workers, 85-91 s with 2, 93 s with 4."""
    from yjstation.foundation.workers import default_jobs

    return default_jobs() + 1


def _compile_package() -> None:
    """yjstation's bytecode, written as pip writes it for an installed package. Under
    PYTHONDONTWRITEBYTECODE (set on many machines, this one and CI's among them) an editable checkout
    would otherwise be compiled again by every worker and every `python -m yjstation` a test starts;
    an unchanged module is skipped, so this costs nothing after the first run."""
    import compileall

    compileall.compile_dir(PROJECT / "yjstation", quiet=2)


# For the same reason the test modules pytest rewrites (to explain failed asserts) keep their compiled
# form in tests/__pycache__/ (ignored by git), instead of being rewritten by every worker on every run.
sys.dont_write_bytecode = False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The few tests that take several seconds start first: left to the end, one of them would keep a
    worker busy while the others idle. The slow ones are skipped, with the way to run them, unless
    --slow is given: the everyday command stays short, and CI runs them all."""
    items.sort(key=lambda item: item.get_closest_marker("expensive") is None)
    if config.getoption("--slow"):
        return
    later = pytest.mark.skip(reason="slow: run with python -m pytest --slow (.ci/run does)")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(later)


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with tests/golden/<name> byte for byte (or rewrite it with --update-golden). A golden
    file only guards against change: each test also checks what matters in the text on its own."""

    def check(name: str, text: str) -> None:
        path = Path(__file__).resolve().parent / "golden" / name
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.read_text(encoding="utf-8") == text, f"differs from {path}; rerun with --update-golden if intended"

    return check


@pytest.fixture(autouse=True)
def chinese_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read Chinese output unless they ask for English, whatever the machine's locale."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    from yjstation.foundation.i18n import set_language

    set_language("zh")


# --- property tests ------------------------------------------------------------------------------------

# The property tests explore the same examples on every run: the suite that gates a commit must not pass or
# fail by chance. Known disagreements they once found are pinned as `@example`s; to explore anew, run
# `pytest --hypothesis-seed=<n>` or HYPOTHESIS_PROFILE=explore.
from hypothesis import settings as _hypothesis  # noqa: E402

_hypothesis.register_profile("suite", derandomize=True, database=None)
_hypothesis.register_profile("explore", derandomize=False)
_hypothesis.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))
