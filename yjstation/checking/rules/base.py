"""What a rule is, what it sees, and what it returns.

A rule is a plain function with a stable code. It reads loaded records through a `Context` and yields
`Finding`s (a data path and a message); the engine turns those into positioned diagnostics, so no rule
deals with lines and columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Literal

from yjstation.domain.county import Township
from yjstation.domain.fees import FeeRow
from yjstation.domain.policy import PolicyViews
from yjstation.foundation.diagnostics import Code
from yjstation.foundation.i18n import language
from yjstation.foundation.sourcemap import DataPath
from yjstation.loading.loader import Document
from yjstation.loading.schemas import SchemaSet


@dataclass(frozen=True)
class Finding:
    """A rule's verdict on one value. `doc` is given by repository-wide rules, which see many files."""

    path: DataPath
    message: str
    hint: str | None = None
    doc: Document | None = None


@dataclass
class Context(PolicyViews):
    """Everything a rule may consult besides the record it checks. `as_of` is "today" for every
    time-based rule: nothing below the CLI asks the clock."""

    as_of: date
    schemas: SchemaSet
    county: dict[str, Any]
    policy: dict[str, dict[str, Any]]
    county_doc: Document | None = None
    policy_docs: dict[str, Document] = field(default_factory=dict)
    fee_rows: dict[str, list[FeeRow]] = field(default_factory=dict)  # per file, shared by the FE rules
    stations: list[Document] = field(default_factory=list)
    operations: list[Document] = field(default_factory=list)
    events: list[Document] = field(default_factory=list)

    @cached_property
    def townships(self) -> dict[str, Township]:
        return {t.id: t for t in self.county_view.townships}

    @cached_property
    def stations_by_id(self) -> dict[str, tuple[Document, dict[str, Any]]]:
        """Stations by id, first file wins (duplicates are a finding of their own)."""
        out: dict[str, tuple[Document, dict[str, Any]]] = {}
        for doc in self.stations:
            if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
                out.setdefault(doc.data["id"], (doc, doc.data))
        return out

    def label(self, kind: str, path: DataPath, value: Any) -> str:
        """The label of an enum value: 村级服务站 for level `village` in Chinese, the code itself in English."""
        return str(value) if language() == "en" else self.schemas[kind].value_label(path, value)


Scope = Literal["station", "operations", "repository"]
FileCheck = Callable[[Document, dict[str, Any], Context], Iterable[Finding]]
RepositoryCheck = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A registered check. `scope` says what it is called with: one station file, one operations file
    (each with its data, which is a mapping), or the whole repository."""

    code: Code
    scope: Scope
    check: FileCheck | RepositoryCheck


@dataclass(frozen=True)
class Claim:
    """One station's claim on something that must be unique: a village, an agreement number, a person."""

    key: object
    doc: Document
    path: DataPath
    owner: str


def clashes(claims: Iterable[Claim]) -> Iterator[tuple[Claim, list[str]]]:
    """Every claim that another station also makes, with the other claimants. Each side of a clash is
    reported, because which of two files is the mistake is the reviewer's call, not the file order's."""
    groups: dict[object, list[Claim]] = {}
    for claim in claims:
        try:
            groups.setdefault(claim.key, []).append(claim)
        except TypeError:  # a key written as a list or mapping: its schema finding says so, it claims nothing
            continue
    for group in groups.values():
        for claim in group if len(group) > 1 else ():
            yield claim, [other.owner for other in group if other is not claim]
