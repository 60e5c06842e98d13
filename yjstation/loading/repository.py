"""A data repository on disk: finding its root, knowing which file is which kind, and the shape of a
loaded one (`Repository`; loading goes through `yjstation.checking.engine.load_repository`, which
parses through the same cache and workers as `validate`)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from yjstation.foundation.errors import CannotRun, RootNotFound
from yjstation.foundation.i18n import tr
from yjstation.loading.loader import Document
from yjstation.loading.schemas import SchemaSet

MARKER = "data/county.yaml"
WAIVERS = "data/waivers.yaml"
ROOT_ENV = "YJSTATION_ROOT"
POLICY_KINDS = ("fees", "rollout", "training", "assessment", "reporting")
_MONTH_DIR = re.compile(r"[0-9]{4}-[0-9]{2}")
# A station id as DATA.md fixes it. An id from a command line or a spreadsheet builds a path only once
# it matches, so it can never reach outside data/stations/ (`../../x`, `/etc/x`, `a/b`).
STATION_ID = re.compile(r"[a-z][a-z0-9-]*")


def station_file(station_id: str) -> str:
    """`data/stations/<id>.yaml` for a valid station id; ValueError for anything else."""
    if STATION_ID.fullmatch(station_id) is None:
        raise ValueError(station_id)
    return f"data/stations/{station_id}.yaml"


def find_root(start: Path, override: Path | None = None) -> Path:
    """The repository root: `--root`, else $YJSTATION_ROOT, else the first folder upwards from `start`
    that holds data/county.yaml."""
    explicit = override or (Path(os.environ[ROOT_ENV]) if os.environ.get(ROOT_ENV) else None)
    if explicit is not None:
        if (explicit / MARKER).is_file():
            return explicit.resolve()
        raise RootNotFound(
            tr(
                "{path} 不是 yjstation 数据仓库：找不到 {marker}",
                "{path} is not a yjstation repository: no {marker}",
                path=explicit,
                marker=MARKER,
            )
        )
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    raise RootNotFound(
        tr(
            "从 {here} 向上找不到 {marker}；请在数据仓库中运行，或用 --root 指定仓库目录",
            "no {marker} in {here} or above; run inside a data repository, or give --root",
            here=here,
            marker=MARKER,
        )
    )


def kind_of(rel: str) -> str | None:
    """The kind of a data file from its path relative to the root, or None when it is not one."""
    parts = rel.split("/")
    if rel == MARKER:
        return "county"
    if rel == WAIVERS:
        return "waivers"
    if len(parts) == 3 and parts[:2] == ["data", "policy"] and parts[2].removesuffix(".yaml") in POLICY_KINDS:
        return parts[2].removesuffix(".yaml")
    if len(parts) == 3 and parts[:2] == ["data", "stations"] and parts[2].endswith(".yaml"):
        return "station"
    if len(parts) == 4 and parts[:2] == ["data", "operations"] and parts[3].endswith(".yaml"):
        return "operations"
    if len(parts) == 3 and parts[:2] == ["data", "events"] and parts[2].endswith(".yaml"):
        return "event"
    return None


def data_files(root: Path) -> list[str]:
    """Every YAML file under data/ (relative, sorted), whether or not its place is a known kind."""
    found = []
    top = os.path.join(root, "data")
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        # Plain string joins: a repository holds tens of thousands of files, and pathlib costs ~20 µs each.
        folder = "data" + dirpath[len(top) :].replace(os.sep, "/") + "/"
        found += [folder + name for name in filenames if name.endswith((".yaml", ".yml"))]
    return sorted(found)


@dataclass
class Repository:
    """Every data file of a repository, loaded; unknown files are kept so they can be reported."""

    root: Path
    county: Document | None = None
    policy: dict[str, Document] = field(default_factory=dict)
    waivers: Document | None = None
    stations: list[Document] = field(default_factory=list)
    operations: list[Document] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    events: list[Document] = field(default_factory=list)  # promotions, market days, 优秀 selections
    schemas: SchemaSet = field(default_factory=lambda: SchemaSet({}))

    def documents(self) -> Iterator[Document]:
        if self.county is not None:
            yield self.county
        yield from self.policy.values()
        if self.waivers is not None:
            yield self.waivers
        yield from self.events
        yield from self.stations
        yield from self.operations

    def kind(self, doc: Document) -> str:
        return kind_of(doc.file) or "unknown"


def month_dir_ok(rel: str) -> bool:
    parts = rel.split("/")
    return len(parts) == 4 and _MONTH_DIR.fullmatch(parts[2]) is not None


def select(root: Path, paths: list[Path]) -> list[str]:
    """The data files named on a command line (files, or folders meaning every data file in them), as
    paths relative to the root; CannotRun for a path that does not exist or lies outside the root."""
    every = data_files(root)
    chosen: set[str] = set()
    for given in paths:
        target = given.resolve()
        if not target.exists():
            raise CannotRun(tr("路径不存在：{path}", "no such path: {path}", path=given))
        try:
            rel = target.relative_to(root).as_posix()
        except ValueError:
            raise CannotRun(
                tr("{path} 不在数据仓库 {root} 中", "{path} is outside the repository {root}", path=given, root=root)
            ) from None
        if target.is_dir():
            prefix = "" if rel == "." else rel + "/"
            chosen.update(f for f in every if f.startswith(prefix))
        else:
            chosen.add(rel)
    return sorted(chosen)
