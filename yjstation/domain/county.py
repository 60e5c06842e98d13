"""The county as `data/county.yaml` describes it: its name and division code, the operator (party A of
every agreement), the targets and the townships with their villages. One typed view, read forgivingly
(a malformed entry is skipped here and reported by `validate`), used by every command and rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from yjstation.foundation.records import as_dict, as_list, as_str

# The kind of a township-level division, as the schema names it, and how Chinese text calls it.
KIND_LABELS = {"town": "镇", "township": "乡", "ethnic_township": "民族乡"}


@dataclass(frozen=True)
class Village:
    name: str
    poverty: bool | None = None  # 建档立卡贫困村; None when the register does not say


@dataclass(frozen=True)
class Township:
    id: str
    name: str
    kind: str  # town | township | ethnic_township
    villages: tuple[Village, ...] = ()

    @property
    def kind_label(self) -> str:
        """镇, 乡 or 民族乡: what the township calls itself in running text (全镇, 全乡)."""
        return KIND_LABELS.get(self.kind, "乡镇")

    def village(self, name: str) -> Village | None:
        return next((v for v in self.villages if v.name == name), None)


@dataclass(frozen=True)
class Targets:
    township_stations: int | None = None
    village_stations: int | None = None
    plan: str = ""


@dataclass(frozen=True)
class County:
    name: str = ""
    division_code: str = ""
    prefecture: str = ""
    province: str = ""
    operator: Mapping[str, Any] = field(default_factory=dict)
    targets: Targets = Targets()
    townships: tuple[Township, ...] = ()

    @classmethod
    def from_data(cls, data: Any) -> County:
        top = as_dict(data)
        county = as_dict(top.get("county"))
        targets = as_dict(top.get("targets"))
        townships = []
        seen: set[str] = set()
        for entry in map(as_dict, as_list(top.get("townships"))):
            tid, name = as_str(entry.get("id")), as_str(entry.get("name"))
            if tid is None or tid in seen:
                continue
            seen.add(tid)
            name = name or tid
            villages = tuple(
                Village(v["name"], v["poverty"] if isinstance(v.get("poverty"), bool) else None)
                for v in map(as_dict, as_list(entry.get("villages")))
                if isinstance(v.get("name"), str)
            )
            townships.append(Township(tid, name, as_str(entry.get("kind")) or _kind_from_name(name), villages))
        return cls(
            name=as_str(county.get("name")) or "",
            division_code=as_str(county.get("division_code")) or "",
            prefecture=as_str(county.get("prefecture")) or "",
            province=as_str(county.get("province")) or "",
            operator=as_dict(top.get("operator")),
            targets=Targets(
                _count(targets.get("township_stations")),
                _count(targets.get("village_stations")),
                as_str(targets.get("plan")) or "",
            ),
            townships=tuple(townships),
        )

    @property
    def operator_name(self) -> str:
        return as_str(self.operator.get("name")) or ""

    @property
    def township_names(self) -> dict[str, str]:
        """Township id -> name, in county order."""
        return {t.id: t.name for t in self.townships}

    def township(self, tid: str | None) -> Township | None:
        return next((t for t in self.townships if t.id == tid), None) if tid else None

    def find_township(self, given: str) -> Township | None:
        """A township by its id or its Chinese name (平原镇, or 平原 without the 镇)."""
        given = given.strip()
        if not given:
            return None
        for township in self.townships:
            if given.lower() == township.id or given == township.name or given == _bare(township.name):
                return township
        return None

    def closest_townships(self, given: str, n: int = 3) -> list[Township]:
        """The townships whose id or name come nearest to `given`, for a "did you mean"."""
        import difflib

        by_word = {word: t for t in self.townships for word in (t.id, t.name, _bare(t.name))}
        close = difflib.get_close_matches(given.strip(), list(by_word), n=n * 3, cutoff=0.4)
        return list(dict.fromkeys(by_word[word] for word in close))[:n]


def _bare(name: str) -> str:
    """平原镇 -> 平原, 苏典傈僳族乡 -> 苏典傈僳族: the name as people say it without the kind."""
    for suffix in ("民族乡", "镇", "乡", "街道"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name.removesuffix(suffix)
    return name


def _kind_from_name(name: str) -> str:
    if name.endswith("民族乡"):
        return "ethnic_township"
    return "town" if name.endswith("镇") else "township" if name.endswith("乡") else ""


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
