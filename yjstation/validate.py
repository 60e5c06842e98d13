"""`validate` as a library call: load a repository, check schemas and rules, return diagnostics."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, cast

from yjstation import waivers
from yjstation.diagnostics import Code, Diagnostic, Severity, format_path
from yjstation.loader import Document
from yjstation.repository import Repository, kind_of, load_repository
from yjstation.rules import RULES, Context, Rule
from yjstation.rules.base import FileCheck, RepositoryCheck
from yjstation.schemas import SchemaSet

UNKNOWN_FILE = Code(
    "FILE001",
    Severity.WARNING,
    "data/ 下有无法识别的文件",
    "数据约定：数据仓库的目录结构",
    "按约定放置：data/stations/<站点编号>.yaml、data/operations/<YYYY-MM>/<站点编号>.yaml，扩展名 .yaml",
)
RULE_CRASHED = Code(
    "RULE000",
    Severity.ERROR,
    "检查规则自身出错（yjstation 的缺陷）",
    "—",
    "请把这条信息和相关数据文件报告给 yjstation 的维护者",
)
ENGINE_CODES: tuple[Code, ...] = (UNKNOWN_FILE, RULE_CRASHED)


@dataclass
class Result:
    """What `validate` found: diagnostics in a stable order, and how many files were checked."""

    diagnostics: list[Diagnostic]
    files: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR and not d.waived for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING and not d.waived for d in self.diagnostics)

    @property
    def waived(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.waived]

    @property
    def ok(self) -> bool:
        return self.errors == 0


def validate(
    root: Path, as_of: date, only: Iterable[str] | None = None, overrides: dict[str, bytes] | None = None
) -> Result:
    """Check every data file of the repository at `root` as of `as_of`.

    `only` limits what is reported to those files (relative paths); the whole repository is still
    loaded, because cross-file rules (one station per village, counts, references) need all of it.
    `overrides` validates files as an edit would leave them, before anything is written.
    """
    schemas = SchemaSet.load(root)
    repo = load_repository(root, overrides)
    diagnostics = _waive(list(_check(repo, schemas, as_of)), repo, as_of)
    checked = [doc.file for doc in repo.documents()] + repo.unknown
    if only is not None:
        wanted = set(only)
        diagnostics = [d for d in diagnostics if d.file in wanted]
        checked = [f for f in checked if f in wanted]
    diagnostics.sort(key=Diagnostic.sort_key)
    kinds: dict[str, int] = {}
    for file in checked:
        kind = kind_of(file) or "unknown"
        kinds[kind] = kinds.get(kind, 0) + 1
    return Result(diagnostics, len(checked), kinds)


def _check(repo: Repository, schemas: SchemaSet, as_of: date) -> Iterator[Diagnostic]:
    for rel in repo.unknown:
        yield UNKNOWN_FILE.at(rel, 0, 0, "", f"{rel} 不在约定的位置，yjstation 不会检查它")
    for doc in repo.documents():
        yield from doc.diagnostics
        if isinstance(doc.data, dict) and repo.kind(doc) in schemas.by_kind:
            yield from schemas[repo.kind(doc)].check(doc)
    ctx = _context(repo, schemas, as_of)
    targets = {"station": repo.stations, "operations": repo.operations}
    for rule in RULES:
        if rule.scope == "repository":
            yield from _run(rule, None, ctx, schemas)
        else:
            for doc in targets[rule.scope]:
                if isinstance(doc.data, dict):
                    yield from _run(rule, doc, ctx, schemas)


def _waive(diagnostics: list[Diagnostic], repo: Repository, as_of: date) -> list[Diagnostic]:
    from yjstation.catalogue import all_codes

    stations = {PurePosixPath(doc.file).stem for doc in repo.stations}
    files = {doc.file for doc in repo.documents()}
    return waivers.apply(diagnostics, repo.waivers, as_of, {c.code for c in all_codes()}, stations, files)


def _context(repo: Repository, schemas: SchemaSet, as_of: date) -> Context:
    def data(doc: Document | None) -> dict[str, Any]:
        return doc.data if doc is not None and isinstance(doc.data, dict) else {}

    return Context(
        as_of=as_of,
        schemas=schemas,
        county=data(repo.county),
        policy={kind: data(doc) for kind, doc in repo.policy.items()},
        policy_docs=dict(repo.policy),
        county_doc=repo.county,
        stations=[d for d in repo.stations if isinstance(d.data, dict)],
        operations=[d for d in repo.operations if isinstance(d.data, dict)],
    )


def _run(rule: Rule, doc: Document | None, ctx: Context, schemas: SchemaSet) -> Iterator[Diagnostic]:
    try:
        if doc is None:
            findings = list(cast(RepositoryCheck, rule.check)(ctx))
        else:
            findings = list(cast(FileCheck, rule.check)(doc, doc.data, ctx))
    except Exception as exc:  # a broken rule must not hide the other findings, nor print a traceback
        where = doc.file if doc is not None else "data"
        yield RULE_CRASHED.at(where, 0, 0, "", f"规则 {rule.code.code} 运行出错：{type(exc).__name__}: {exc}")
        return
    for finding in findings:
        target = finding.doc or doc
        if target is None:
            continue
        line, col = target.position(finding.path)
        kind = kind_of(target.file)
        label = schemas[kind].label(finding.path) if kind else ""
        yield rule.code.at(
            target.file, line, col, format_path(finding.path), finding.message, hint=finding.hint, label=label
        )
