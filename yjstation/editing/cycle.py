"""The edits of the monthly cycle and of a station's history, as new file texts for `write_checked`:
opening a month's drafts, appending a training session, a maintenance visit or a feedback item, closing
a feedback item, replacing a stationmaster and closing a station.

Every edit goes through the round-trip document, so comments stay and an appended entry is one line of
diff; none writes anything itself (the commands pass the texts to the checked write).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from yjstation.domain.history import serving_in, source_path, tenure_on
from yjstation.domain.reporting import ReportingPolicy
from yjstation.editing.drafts import draft_text
from yjstation.editing.edits import EditError
from yjstation.editing.formatting import QUOTED_KEYS, _canonicalise
from yjstation.foundation.i18n import tr
from yjstation.foundation.records import as_date, as_dict, as_list, as_str, dig
from yjstation.foundation.sourcemap import DataPath
from yjstation.loading import roundtrip
from yjstation.loading.schemas import Schema


def record_file(station: str, month: str) -> str:
    return f"data/operations/{month}/{station}.yaml"


@dataclass
class MonthOpening:
    """What `month open` would do: the drafts to write, and the stations that already have a record."""

    month: str
    drafts: dict[str, str] = field(default_factory=dict)  # relative path -> text
    existing: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)


def open_month(
    stations: dict[str, dict[str, Any]], have: set[str], month: str, policy: ReportingPolicy, today: date
) -> MonthOpening:
    """A draft for every station serving in `month` (id -> data) that has no record yet (`have`)."""
    opening = MonthOpening(month)
    for sid, station in sorted(stations.items()):
        if not serving_in(station, month):
            continue
        opening.expected.append(sid)
        if sid in have:
            opening.existing.append(sid)
            continue
        services = policy.services_for(station)
        opening.drafts[record_file(sid, month)] = draft_text(
            station, month, services, today, f"yjstation month open {month}"
        )
    return opening


def _document(text: str) -> CommentedMap:
    document = roundtrip.load(text)
    if not isinstance(document, CommentedMap):
        raise EditError(
            tr("文件顶层不是“键: 值”映射，无法修改", "the file's top level is not a key: value mapping; cannot edit it")
        )
    return document


def _dump(document: CommentedMap, schema: Schema) -> str:
    _canonicalise(document, schema, (), [])
    return str(roundtrip.dump(document))


def _entry(values: dict[str, Any]) -> CommentedMap:
    """A list entry written on one line (`- {date: ..., issue: ...}`): one appended line of diff."""
    entry = CommentedMap((k, v) for k, v in values.items() if v is not None)
    entry.fa.set_flow_style()
    return entry


def _append(document: CommentedMap, path: DataPath, values: dict[str, Any]) -> int:
    """Append an entry to the list at `path`, creating the mappings and the list on the way in block
    style (a new `maintenance:` reads as the records the generator and the clerks write); returns its index."""
    node: Any = document
    for position, part in enumerate(path):
        last = position == len(path) - 1
        if isinstance(part, int):
            if not isinstance(node, list) or not 0 <= part < len(node):
                raise EditError(tr("`{path}` 没有第 {index} 项", "`{path}` has no item {index}", path=path, index=part))
            node = node[part]
            continue
        if not isinstance(node, dict):
            raise EditError(tr("`{path}` 不是“键: 值”映射", "`{path}` is not a key: value mapping", path=path))
        child = node.get(part)
        if child is None:
            child = CommentedSeq() if last else CommentedMap()
            node[part] = child
        node = child
    if not isinstance(node, list):
        raise EditError(tr("`{path}` 不是列表", "`{path}` is not a list", path=path))
    node.append(_entry(values))
    return len(node) - 1


def add_training(text: str, schema: Schema, station: dict[str, Any], session: dict[str, Any]) -> str:
    """Append a training session to the stationmaster in office on its day (a former one's entry when
    the session predates their replacement)."""
    day = session["date"]
    document = _document(text)
    _append(document, source_path(station, day, ("training",)), session)
    return _dump(document, schema)


LOG_PATHS: dict[str, DataPath] = {
    "maintenance": ("maintenance", "online"),
    "onsite": ("maintenance", "onsite"),
    "feedback": ("feedback",),
}


def add_log(text: str, schema: Schema, kind: str, values: dict[str, Any]) -> str:
    """Append a maintenance visit (online or on site) or a feedback item to a monthly record."""
    document = _document(text)
    _append(document, LOG_PATHS[kind], values)
    return _dump(document, schema)


@dataclass(frozen=True)
class FeedbackItem:
    index: int
    issue: str
    status: str
    closed: str | None


def feedback_on(record: dict[str, Any], raised: date) -> list[FeedbackItem]:
    """The feedback items of a record raised on `raised`."""
    found = []
    for index, item in enumerate(map(as_dict, as_list(record.get("feedback")))):
        if str(item.get("date")) == raised.isoformat():  # a date as loaded, or as the round-trip reads it
            closed = item.get("closed")
            found.append(
                FeedbackItem(
                    index,
                    as_str(item.get("issue")) or "",
                    as_str(item.get("status")) or "",
                    None if closed is None else str(closed),
                )
            )
    return found


def close_feedback(text: str, schema: Schema, index: int, closed: date) -> str:
    document = _document(text)
    item = document["feedback"][index]
    item["status"] = "closed"
    item["closed"] = closed
    return _dump(document, schema)


@dataclass(frozen=True)
class Successor:
    """The new stationmaster and the agreement signed with them."""

    person: dict[str, Any]  # name, gender, birth_date, id_number, phone and any other stationmaster field
    agreement: dict[str, Any] | None  # number, signed, start, end, deposit; None when not signed yet
    training: list[dict[str, Any]] = field(default_factory=list)  # sessions they attended before taking office


def replace_master(
    text: str, schema: Schema, station: dict[str, Any], day: date, reason: str, successor: Successor
) -> str:
    """Move the stationmaster in office, with their agreement and training, into former_stationmasters
    (their last day the day before `day`) and put the successor in office from `day`."""
    tenure = tenure_on(station, day)
    if tenure is None or tenure.index is not None:
        raise EditError(
            tr(
                "{day} 在任的不是现任站长；只能从现任站长任内的日期起更换",
                "the stationmaster in office on {day} is not the current one; a replacement starts in the current"
                " stationmaster's term",
                day=day,
            )
        )
    # When the stationmaster in office began: their `from`, else their application or their agreement.
    began = tenure.first or min(
        (
            d
            for d in (
                as_date(dig(tenure.person, ("application", "submitted"))),
                as_date(dig(tenure.agreement, ("signed",))),
            )
            if d is not None
        ),
        default=None,
    )
    if began is not None and day <= began:
        raise EditError(
            tr(
                "现任站长 {first} 才开始任职（或申请、签约），更换日期 {day} 应晚于此",
                "the current stationmaster began on {first} (took office, applied or signed); the replacement must"
                " come after it",
                first=began,
                day=day,
            )
        )
    document = _document(text)
    held = CommentedMap()
    person = document.get("stationmaster")
    if isinstance(person, CommentedMap) and "from" in person:
        held["from"] = person.pop("from")
    held.insert(0, "stationmaster", person)
    held["to"] = day - timedelta(days=1)
    held["reason"] = reason
    for key in ("agreement", "training"):
        if key in document:
            held[key] = document.pop(key)
    former = document.get("former_stationmasters")
    if not isinstance(former, CommentedSeq):
        former = document["former_stationmasters"] = CommentedSeq()
    former.append(held)
    new = CommentedMap()
    for key, value in successor.person.items():
        new[key] = DoubleQuotedScalarString(value) if key in QUOTED_KEYS else _own(value)
    new["from"] = _own(day)
    document["stationmaster"] = new
    if successor.training:
        sessions = CommentedSeq()
        for session in successor.training:
            entry = CommentedMap((k, _own(v)) for k, v in session.items())
            entry.fa.set_flow_style()
            sessions.append(entry)
        document["training"] = sessions
    if successor.agreement is not None:
        document["agreement"] = CommentedMap(
            (k, _money(v) if k == "deposit" else _own(v)) for k, v in successor.agreement.items() if v is not None
        )
    return _dump(document, schema)


def _own(value: Any) -> Any:
    """A date object of its own: the dumper writes one object met twice as an anchor and an alias."""
    return date.fromordinal(value.toordinal()) if isinstance(value, date) else value


def _money(value: Any) -> Any:
    """Yuan as the data files write them, with two decimals (`1000.00`)."""
    return roundtrip.load(f"v: {Decimal(str(value)):.2f}\n")["v"]


def close_station(text: str, schema: Schema, closed: date, reason: str, notice: date | None) -> str:
    """Record the day the station stops operating, why, and when notice was given."""
    document = _document(text)
    document["closed"] = _own(closed)
    closure = CommentedMap([("reason", reason)])
    if notice is not None:
        closure["notice_date"] = _own(notice)
    closure.fa.set_flow_style()
    document["closure"] = closure
    return _dump(document, schema)
