"""The county as `data/county.yaml` describes it: its name and division code, the operator (party A of
every agreement), the targets and the townships with their villages. One typed view, read forgivingly
(a malformed entry is skipped here and reported by `validate`), used by every command and rule.

The village lists are the statistical register (统计用区划代码): each village committee (村民委员会) and
community (居民委员会) with its 12-digit code. A station file names its village as people write it
(`勐盏村`) and may add the code; `Township.find_village` accepts the short name, the register's full name
(`勐盏村民委员会`) or the code, so the two spellings never disagree about which village is meant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from yjstation.foundation.records import as_dict, as_list, as_str

# The kind of a township-level division, as the schema names it, and how Chinese text calls it.
KIND_LABELS = {"town": "镇", "township": "乡", "ethnic_township": "民族乡"}


# The kinds of village-level unit in the register: codes 200+ are village committees, 001–199 communities.
VILLAGE_KINDS = {"village_committee": "村民委员会", "residents_committee": "居民委员会"}


@dataclass(frozen=True)
class Village:
    name: str  # as people write it: 勐盏村, 新建社区
    poverty: bool | None = None  # 建档立卡贫困村; None when the register does not say
    code: str = ""  # 12-digit statistical code, e.g. 533123101202
    full_name: str = ""  # as the register writes it: 勐盏村民委员会
    kind: str = "village_committee"  # village_committee (村民委员会, an administrative village) | residents_committee

    @property
    def is_village_committee(self) -> bool:
        """An administrative village (行政村): what the plan's village stations and coverage count."""
        return self.kind == "village_committee"

    def answers_to(self, given: str) -> bool:
        """True when `given` names this village: its short name, the register's full name or its code."""
        given = given.strip()
        return bool(given) and given in (self.name, self.full_name, self.code)


@dataclass(frozen=True)
class Township:
    id: str
    name: str
    kind: str  # town | township | ethnic_township
    villages: tuple[Village, ...] = ()
    code: str = ""  # 9-digit statistical code of the township, e.g. 533123101

    @property
    def kind_label(self) -> str:
        """镇, 乡 or 民族乡: what the township calls itself in running text (全镇, 全乡)."""
        return KIND_LABELS.get(self.kind, "乡镇")

    def village(self, name: str) -> Village | None:
        return next((v for v in self.villages if v.name == name), None)

    def find_village(self, name: str | None = None, code: str | None = None) -> Village | None:
        """The register entry a station means: by code when it gives one, else by name (short or full)."""
        if code:
            return self._by_code.get(code.strip())
        return next((v for v in self.villages if name and v.answers_to(name)), None)

    @cached_property
    def _by_code(self) -> dict[str, Village]:
        """Code -> the first village listing it: every station's code is looked up, by several rules."""
        index: dict[str, Village] = {}
        for village in self.villages:
            index.setdefault(village.code, village)
        return index

    @property
    def village_committees(self) -> tuple[Village, ...]:
        return tuple(v for v in self.villages if v.is_village_committee)


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
    other_units: tuple[Township, ...] = ()  # units that are not townships, e.g. 盈江农场 and its communities

    def township_listing(self, code: str) -> Township | None:
        """The first township whose register lists the village code `code` (None: none does)."""
        return self._township_by_code.get(code.strip()) if code else None

    @cached_property
    def _township_by_code(self) -> dict[str, Township]:
        # A station whose code is not its own township's is looked for in all the others: with an index,
        # not a walk over every township's villages per station (which grew with the county's size).
        index: dict[str, Township] = {}
        for township in self.townships:
            for village in township.villages:
                index.setdefault(village.code, township)
        return index

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
            townships.append(_township(entry, tid, name or tid))
        others = [
            _township(entry, as_str(entry.get("id")) or "", name)
            for entry in map(as_dict, as_list(top.get("other_units")))
            if (name := as_str(entry.get("name")))
        ]
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
            other_units=tuple(others),
        )

    @property
    def operator_name(self) -> str:
        return as_str(self.operator.get("name")) or ""

    @property
    def township_names(self) -> dict[str, str]:
        """Township id -> name, in county order."""
        return {t.id: t.name for t in self.townships}

    @property
    def village_committees(self) -> int:
        """How many administrative villages (村民委员会) the townships hold: the coverage denominator."""
        return sum(len(t.village_committees) for t in self.townships)

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


def _township(entry: dict[str, Any], tid: str, name: str) -> Township:
    villages = tuple(
        Village(
            v["name"],
            v["poverty"] if isinstance(v.get("poverty"), bool) else None,
            as_str(v.get("code")) or "",
            as_str(v.get("full_name")) or "",
            as_str(v.get("kind")) or _village_kind(as_str(v.get("code")) or "", v["name"]),
        )
        for v in map(as_dict, as_list(entry.get("villages")))
        if isinstance(v.get("name"), str)
    )
    kind = as_str(entry.get("kind")) or _kind_from_name(name)
    return Township(tid, name, kind, villages, as_str(entry.get("code")) or "")


def _village_kind(code: str, name: str) -> str:
    """From the code when there is one (the register numbers communities 001–199), else from the name."""
    if len(code) == 12 and code.isdigit():
        return "residents_committee" if int(code[9:]) < 200 else "village_committee"
    return "residents_committee" if name.endswith(("社区", "居民委员会")) else "village_committee"


def _kind_from_name(name: str) -> str:
    if name.endswith("民族乡"):
        return "ethnic_township"
    return "town" if name.endswith("镇") else "township" if name.endswith("乡") else ""


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
