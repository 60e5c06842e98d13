"""The documents of a station, as Markdown: the cooperation agreement, the stationmaster registration
form and application, and the fee notice to post on the wall.

The wording lives in the data repository's templates/ (taken from the county's plan); this module only
hands each template the station, the county and the policy. Data reaches the templates through
`Record`, a read-only view that raises `MissingField` naming the station, the field and its Chinese
label the moment a template reads a value that is not there: a contract must never go out with a blank
where a name belongs. Blanks that belong to the workflow (no agreement signed yet, so no number, dates
or deposit) are different: the context states them explicitly as None and the templates print lines to
fill in by hand, so `render agreement --all` prints an agreement for every station.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from yjstation.documents.markdown import environment, escape, yuan
from yjstation.domain.county import County, Township
from yjstation.domain.documents import document
from yjstation.domain.fees import PER_ORDER, FeeSchedule, posted_rows, schedule_on, schedules_from, service_label
from yjstation.domain.history import station_on
from yjstation.domain.stations import agreement_in_force
from yjstation.foundation.i18n import pick, tr
from yjstation.foundation.masking import mask_id, mask_phone
from yjstation.foundation.records import as_date, as_dict, as_list, as_number
from yjstation.foundation.sourcemap import DataPath
from yjstation.foundation.zh import LINE, date_zh, month_zh, rmb_upper
from yjstation.loading.loader import Document
from yjstation.loading.repository import Repository
from yjstation.loading.schemas import Schema, SchemaSet

KINDS = {"agreement": "合作协议", "registration": "站长登记表", "application": "站长申请表", "fee-notice": "收费标准"}


class DocumentError(Exception):
    """This station's document cannot be produced; the others can."""


class MissingField(DocumentError):
    def __init__(self, file: str, path: DataPath, label: str) -> None:
        dotted = ".".join(str(p) for p in path)
        shown = pick(label, "")  # the schema's Chinese label; English has the dotted path only
        named = tr("（{label}）", " ({label})", label=shown) if shown else ""
        super().__init__(
            tr("{file} 缺少必填项 {dotted}", "{file} is missing the required field {dotted}", file=file, dotted=dotted)
            + named
        )
        self.file, self.path = file, path


class Record:
    """A YAML mapping as templates see it: `record.key` or `record["key"]` gives the value (mappings
    wrapped again), and a missing, null or empty value raises MissingField instead of printing nothing."""

    __slots__ = ("_data", "_file", "_label", "_path")

    def __init__(self, data: dict[str, Any], file: str, label: Callable[[DataPath], str], path: DataPath = ()) -> None:
        self._data, self._file, self._label, self._path = data, file, label, path

    def __getitem__(self, key: str) -> Any:
        value = self._data.get(key)
        path = (*self._path, key)
        if value is None or value == "" or value == [] or value == {}:
            raise MissingField(self._file, path, self._label(path))
        return self._wrap(value, path)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._data.get(key) not in (None, "", [], {})

    def _wrap(self, value: Any, path: DataPath) -> Any:
        if isinstance(value, dict):
            return Record(value, self._file, self._label, path)
        if isinstance(value, list):
            return [self._wrap(item, (*path, index)) for index, item in enumerate(value)]
        return value


@dataclass(frozen=True)
class Setting:
    """What every document of one run shares: the county, the fee schedules and the station schema.
    Plain values, so it crosses once to each worker process."""

    root: Path
    county: dict[str, Any]
    schedules: list[FeeSchedule]
    station_schema: Schema
    county_schema: Schema

    @classmethod
    def of(cls, repo: Repository, schemas: SchemaSet) -> Setting:
        """The setting of a loaded repository; DocumentError when its county or fee policy is unusable."""
        county = _mapping(repo.county, "data/county.yaml")
        fees = _mapping(repo.policy.get("fees"), "data/policy/fees.yaml")
        station, county_schema = schemas["station"].labels_only(), schemas["county"].labels_only()
        return cls(repo.root, county, schedules_from(fees), station, county_schema)


def _mapping(doc: Document | None, rel: str) -> dict[str, Any]:
    if doc is None or not isinstance(doc.data, dict):
        reason = (
            doc.diagnostics[0].message
            if doc is not None and doc.diagnostics
            else tr("不是“键: 值”映射", "not a “key: value” mapping")
        )
        raise DocumentError(tr("无法读取 {rel}：{reason}", "cannot read {rel}: {reason}", rel=rel, reason=reason))
    return doc.data


@dataclass(frozen=True)
class StationFile:
    """One station's data as loaded, with the file it came from (named in every missing-field error)."""

    id: str
    file: str
    data: dict[str, Any] | None
    problem: str = ""  # why the file could not be read, when data is None


def station_files(repo: Repository) -> dict[str, StationFile]:
    """Every station of the repository by id (the file stem), sorted."""
    out = {}
    for doc in sorted(repo.stations, key=lambda d: d.file):
        sid = Path(doc.file).stem
        problem = (
            doc.diagnostics[0].message if doc.diagnostics else tr("不是“键: 值”映射", "not a “key: value” mapping")
        )
        data = doc.data if isinstance(doc.data, dict) else None
        out[sid] = StationFile(sid, doc.file, data, "" if data is not None else problem)
    return out


def refusals(repo: Repository, kind: str, stations: list[StationFile], on: date) -> dict[str, str]:
    """Why a station's document of `kind` must not be written, by station id: the errors `validate`
    finds (as of `on`) in the fields the document needs (`yjstation.domain.documents`), each named. A
    contract is never printed over a known error in what it states."""
    needs = document(kind)
    if needs is None or not stations:
        return {}
    from yjstation.checking.catalogue import find
    from yjstation.checking.validate import check_stations
    from yjstation.foundation.diagnostics import Severity

    files = {s.file: s.id for s in stations}
    errors: dict[str, list[str]] = {}
    for found in check_stations(repo, on, files):
        if found.file in files and found.severity is Severity.ERROR and not found.waived and needs.covers(found.path):
            label = pick(found.label, "")
            named = tr("`{path}`（{label}）", "`{path}`", path=found.path, label=label) if label else f"`{found.path}`"
            known = find(found.code)
            errors.setdefault(files[found.file], []).append(
                tr(
                    "{named}：{message}（{code} {summary}）",
                    "{named}: {message} ({code} {summary})",
                    named=named,
                    message=found.message,
                    code=found.code,
                    summary=known.summary_text if known else "",
                )
            )
    return {
        sid: tr(
            "{kind}需要的字段有错误，未生成：{errors}",
            "the {kind_en} was not made: the fields it needs have errors: {errors}",
            kind=needs.name,
            kind_en=kind,
            errors=tr("；", "; ").join(listed),
        )
        for sid, listed in errors.items()
    }


def render_markdown(setting: Setting, kind: str, station: StationFile, on: date, provenance: str) -> str:
    """One document as Markdown. `on` is the generation date (it picks the agreement and the fee schedule
    in force); `provenance` goes into a comment at the end, never into the printed text. Raises
    DocumentError (MissingField among them)."""
    import jinja2

    if station.data is None:
        raise DocumentError(
            tr("无法读取 {rel}：{reason}", "cannot read {rel}: {reason}", rel=station.file, reason=station.problem)
        )
    env = _environment(setting.root)
    try:
        template = env.get_template(f"{kind}.md.j2")
        # The station as it stood on `on`: a replaced stationmaster's documents show them and their agreement.
        then = station_on(station.data, on)
        return str(template.render(_context(kind, then, station.file, setting, on, provenance)))
    except jinja2.UndefinedError as exc:  # a template names something the context does not have
        raise DocumentError(
            tr(
                "模板 templates/{kind}.md.j2 引用了不存在的变量：{error}",
                "template templates/{kind}.md.j2 refers to a variable that does not exist: {error}",
                kind=kind,
                error=exc.message,
            )
        ) from None
    except jinja2.TemplateError as exc:
        raise DocumentError(
            tr(
                "模板 templates/{kind}.md.j2 有错误：{error}",
                "template templates/{kind}.md.j2 has an error: {error}",
                kind=kind,
                error=exc,
            )
        ) from None


@lru_cache(maxsize=4)
def _environment(root: Path) -> Any:
    env = environment(root / "templates")
    env.filters.update(
        date=lambda value: date_zh(_day(value)),
        month=lambda value: month_zh(_day(value)),
        blank=lambda value, size=8: LINE * size if value is None else escape(value),
        yuan=lambda value: yuan(_amount(value)),
        rmb=lambda value: rmb_upper(_amount(value)),
        mask_phone=lambda value: escape(mask_phone(str(value))),
        mask_id=lambda value: escape(mask_id(str(value))),
    )
    return env


def _amount(value: Any) -> Decimal:
    amount = as_number(value)
    if amount is None or amount < 0:
        raise DocumentError(tr("`{value}` 不是以元为单位的金额", "`{value}` is not an amount in yuan", value=value))
    return amount


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    day = as_date(value)
    if day is None:
        raise DocumentError(
            tr("`{value}` 不是 YYYY-MM-DD 形式的日期", "`{value}` is not a date in the form YYYY-MM-DD", value=value)
        )
    return day


def _context(kind: str, data: dict[str, Any], rel: str, shared: Setting, on: date, provenance: str) -> dict[str, Any]:
    station = Record(data, rel, shared.station_schema.label)
    county = Record(shared.county, "data/county.yaml", shared.county_schema.label)
    schema = shared.station_schema
    context: dict[str, Any] = {
        "county": county,
        "station": station,
        "township": lambda: _township(station, shared.county).name,
        "level_name": lambda: _level_name(station, shared.county),
        "choice": lambda dotted: schema.value_label(_path(dotted), _value(station, _path(dotted))),
        "choices": lambda dotted: [schema.value_label((*_path(dotted), 0), v) for v in _value(station, _path(dotted))],
        "agreement": _agreement(data, on),
        "application": _optional(
            as_dict(data.get("stationmaster")), "application", ("submitted", "village_committee_endorsed", "approved")
        ),
        "generated": on,
        "provenance": provenance,
    }
    if kind == "fee-notice":
        context["notice"] = _fee_notice(data, rel, shared, on)
    return context


def _path(dotted: str) -> DataPath:
    return tuple(int(p) if p.isdigit() else p for p in dotted.split("."))


def _value(record: Record, path: DataPath) -> Any:
    node: Any = record
    for part in path:
        node = node[part]
    return node


def _township(station: Record, county: dict[str, Any]) -> Township:
    township = County.from_data(county).township(str(station["township"]))
    if township is None:
        raise DocumentError(
            tr(
                "乡镇编号 {township} 不在 data/county.yaml 的 townships 中",
                "township {township} is not among the townships of data/county.yaml",
                township=station["township"],
            )
        )
    return township


def _level_name(station: Record, county: dict[str, Any]) -> str:
    """村级 for a village station; for a township station 镇级 or 乡级, as its township is a 镇 or a 乡."""
    if station["level"] == "village":
        return "村级"
    return "镇级" if _township(station, county).kind == "town" else "乡级"


def _agreement(data: dict[str, Any], on: date) -> dict[str, Any]:
    """The agreement in force on `on`: the original or the renewal that extends it, with the renewal's
    own number, signing day and term. Every field is None (a line to fill in) until it is signed."""
    term = agreement_in_force(data, on)
    original = as_dict(data.get("agreement")).get("number")
    if term is None:
        return {"number": None, "signed": None, "start": None, "end": None, "deposit": None, "renewal_of": None}
    return {
        "number": term.number,
        "signed": term.signed,
        "start": term.start,
        "end": term.end,
        "deposit": term.deposit,
        "renewal_of": original if term.renewal else None,
    }


def _optional(data: dict[str, Any], key: str, fields: tuple[str, ...]) -> dict[str, Any]:
    """Fields that exist only once a workflow step is done: None (printed as a blank) until then."""
    section = as_dict(data.get(key))
    return {name: section.get(name) for name in fields}


# Which of the station's services (the plan's 一（一）–（八）, `services` in its file) each priced line
# belongs to: 代收代发快递、车票代购 and the free 便民服务 are part of 生活缴费服务 (一（四）), 小额取现 of 金融服务
# (一（五）). A line is posted only when the station offers its service.
SERVICE_OF = {
    "express": "bill_payment",
    "purchase_agency": "purchase_agency",
    "consignment": "consignment",
    "topup": "bill_payment",
    "ticketing": "bill_payment",
    "cash": "finance",
    "convenience": "bill_payment",
}


@dataclass(frozen=True)
class FeeLine:
    """One priced service of the notice. `posted` is None while the station has set no price for it."""

    service: str  # the name villagers read
    belongs_to: str  # the station service it is part of (a `services` value)
    posted: str | None
    cap: str


def _fee_notice(data: dict[str, Any], rel: str, shared: Setting, on: date) -> dict[str, Any]:
    """The rows of the wall notice: each service the station offers and prices, its price beside the red
    line in force on `on`. The notice's text names exactly these services. A price over the line stops
    the notice: posting it would publish the violation."""
    schedule = schedule_on(shared.schedules, on)
    if schedule is None:
        raise DocumentError(
            tr(
                "data/policy/fees.yaml 中没有 {day} 已生效的资费红线",
                "data/policy/fees.yaml has no fee caps in force on {day}",
                day=on.isoformat(),
            )
        )
    station_id = str(data.get("id", Path(rel).stem))
    over = [row for row in posted_rows(station_id, data, schedule) if not row.ok]
    if over:
        where = tr("、", ", ").join(".".join(str(p) for p in row.path) for row in over)
        raise DocumentError(
            tr(
                "{rel} 公示的收费超过红线（{where}）：{message}；修正后再生成收费标准",
                "{rel} posts fees over the cap ({where}): {message}; correct them before making the fee notice",
                rel=rel,
                where=where,
                message=over[0].message,
            )
        )
    offered = {str(s) for s in as_list(data.get("services"))}
    lines = [
        line
        for line in _fee_lines(as_dict(data.get("fees")), schedule)
        if line.posted is not None and line.belongs_to in offered
    ]
    return {
        "lines": lines,
        # 小站大集活动: a sentence under the table, unless the station prices it as a line of its own
        "market_day": bool(schedule.caps.get("market_day")) and not any(x.service == "小站大集活动" for x in lines),
        "schedule": schedule.name,
        "effective_from": schedule.effective_from,
        "deposits_allowed": schedule.deposits_allowed,
    }


def _fee_lines(posted: dict[str, Any], schedule: FeeSchedule) -> Iterator[FeeLine]:
    """Every line the schedule prices, with the station's posted price where it has one."""
    yield _per_order_line("express", posted, schedule)
    rate, cap = as_number(posted.get("purchase_agency_rate")), schedule.rate_max()
    yield FeeLine(
        service_label("purchase_agency"),
        SERVICE_OF["purchase_agency"],
        None if rate is None else ("免费" if rate == 0 else f"代购金额的 {_percent(rate)}"),
        "—" if cap is None else f"不超过代购金额的 {_percent(cap)}",
    )
    rebate = schedule.rebate_rate()
    if rebate is not None:  # the rebate is paid to the station; villagers pay nothing for consignment
        yield FeeLine(
            service_label("consignment"),
            SERVICE_OF["consignment"],
            "不向村民收费",
            f"站长获取销售额 {_percent(rebate)} 的返利",
        )
    for service in ("topup", "ticketing", "cash", "convenience"):
        yield _per_order_line(service, posted, schedule)
    # 一（八）增值服务：收费标准应在服务场所明显位置张贴. The plan sets no red line for them.
    for line in map(as_dict, as_list(posted.get("value_added"))):
        limit = "根据具体活动方案而定" if line.get("service") == "小站大集活动" else "方案未设红线，按本站公示收费"
        yield FeeLine(str(line.get("service", "")), "value_added", _value_added_price(line), limit)


def _value_added_price(line: dict[str, Any]) -> str | None:
    """A value-added service's posted price or rate as villagers read it; None while it has none (validate
    reports that, FE011, and render refuses the notice before it gets here)."""
    price, rate, unit = as_number(line.get("price")), as_number(line.get("rate")), line.get("unit")
    if rate is not None:
        shown = (
            f"{unit}的 {_percent(rate)}"
            if isinstance(unit, str) and unit.startswith("按")
            else f"金额的 {_percent(rate)}"
        )
    elif price is None:
        return None
    elif price == 0:
        shown = "免费"
    else:
        shown = f"每{unit} {yuan(price)} 元" if isinstance(unit, str) and unit else f"{yuan(price)} 元"
    note = line.get("note")
    return f"{shown}（{note}）" if isinstance(note, str) and note else shown


def _per_order_line(service: str, posted: dict[str, Any], schedule: FeeSchedule) -> FeeLine:
    price, cap = as_number(posted.get(PER_ORDER[service])), schedule.per_order_max(service)
    if service == "convenience" and price is None:
        price = Decimal(0)  # the plan makes convenience services free everywhere, posted or not
    return FeeLine(
        service_label(service),
        SERVICE_OF[service],
        None if price is None else ("免费" if price == 0 else f"每单 {yuan(price)} 元"),
        "—" if cap is None else ("免费" if cap == 0 else f"每单不超过 {yuan(cap)} 元"),
    )


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"
