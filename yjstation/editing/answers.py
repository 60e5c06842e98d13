"""The questions `station new` asks, each answer checked the moment it is given.

A clerk at a terminal is asked again for just the answer that cannot be used, told what is wrong as
precisely as `validate` would say it (the ID number's check digit, the unit to remove from an area); a
script giving options gets every missing or unusable option listed at once, by option name.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from yjstation.domain.county import County
from yjstation.editing.edits import EditError
from yjstation.foundation.entry import EntryError, half_width, match_choice, parse_number, split_list
from yjstation.foundation.i18n import tr
from yjstation.loading.repository import STATION_ID
from yjstation.loading.schemas import Schema

Check = Callable[[str, dict[str, Any]], Any]


@dataclass(frozen=True)
class Question:
    """One piece of a new station file: the option that gives it, the check of a typed answer, and the
    default offered (from the answers so far) when there is one."""

    key: str
    option: str
    prompt: str
    check: Check
    default: Callable[[dict[str, Any]], str | None] = lambda answers: None
    applies: Callable[[dict[str, Any]], bool] = lambda answers: True


def questions(county: County, schema: Schema, existing: set[str]) -> list[Question]:
    """In the order a clerk is asked them."""

    def level(text: str, answers: dict[str, Any]) -> Any:
        return _choice(text, schema.choices(("level",)), tr("站点级别", "station level"))

    def township(text: str, answers: dict[str, Any]) -> str:
        found = county.find_township(text)
        if found is None:
            close = county.closest_townships(text) or list(county.townships[:3])
            raise EditError(
                tr(
                    "“{text}”不是 data/county.yaml 中的乡镇；是否应为：{close}",
                    "“{text}” is not a township of data/county.yaml; did you mean: {close}",
                    text=text,
                    close=tr("、", ", ").join(f"{t.name}（{t.id}）" for t in close),
                )
            )
        return found.id

    def village(text: str, answers: dict[str, Any]) -> str:
        name = _filled(text, tr("行政村", "village"))
        entry = county.township(answers.get("township"))
        names = [v.name for v in entry.villages] if entry is not None else []
        # the register's full name (勐盏村民委员会) or code is as good as the short name: new_station_fields
        # writes the short name and the code whichever of them the clerk typed
        if names and entry is not None and entry.find_village(name) is None:
            close = difflib.get_close_matches(name, names, n=3, cutoff=0.3)
            raise EditError(
                tr(
                    "“{name}”不在{township}的行政村名单中{hint}",
                    "{name} is not in the village list of {township}{hint}",
                    name=name,
                    township=entry.name if entry is not None else "",
                    hint=tr("；是否应为：{close}", "; did you mean: {close}", close="、".join(close)) if close else "",
                )
            )
        return name

    def station_id(text: str, answers: dict[str, Any]) -> str:
        sid = half_width(text.strip())
        if STATION_ID.fullmatch(sid) is None:
            raise EditError(
                tr(
                    "站点编号“{sid}”只能用小写字母、数字和连字符，并以字母开头（如 pingyuan-yunyan）",
                    "station id “{sid}” may hold only lower-case letters, digits and hyphens, starting with a letter"
                    " (e.g. pingyuan-yunyan)",
                    sid=sid,
                )
            )
        if sid in existing:
            raise EditError(
                tr(
                    "data/stations/{sid}.yaml 已存在；修改请用 yjstation station set",
                    "data/stations/{sid}.yaml already exists; use yjstation station set to change it",
                    sid=sid,
                )
            )
        return sid

    def id_number(text: str, answers: dict[str, Any]) -> str:
        number = half_width(text).strip().replace(" ", "").upper()
        _as_validate_says({"stationmaster": {"id_number": number}}, ("ID001", "ID002", "ID003"))
        return number

    def phone(text: str, answers: dict[str, Any]) -> str:
        number = half_width(text).strip().replace(" ", "").replace("-", "")
        _as_validate_says({"stationmaster": {"phone": number}}, ("ID008",))
        return number

    def host_type(text: str, answers: dict[str, Any]) -> Any:
        return _choice(text, schema.choices(("host", "type")), tr("依托网点类型", "kind of host outlet"))

    def area(text: str, answers: dict[str, Any]) -> Any:
        try:
            number = parse_number(text)
        except EntryError as exc:
            raise EditError(str(exc)) from None
        if number <= 0:
            raise EditError(tr("经营面积应大于 0", "the floor area must be more than 0"))
        return int(number) if number == number.to_integral_value() else float(number)

    def services(text: str, answers: dict[str, Any]) -> list[Any]:
        choices = schema.choices(("services", 0))
        items = split_list(text)
        if not items:
            raise EditError(tr("至少填写一项服务", "give at least one service"))
        return [_choice(item, choices, tr("服务", "service")) for item in items]

    def text(label: str) -> Check:
        return lambda given, answers: _filled(given, label)

    def good_credit(text: str, answers: dict[str, Any]) -> bool:
        answer = half_width(text).strip().lower()
        if answer in ("yes", "y", "true", "是", "无", "无不良"):
            return True
        if answer in ("no", "n", "false", "否", "有", "有不良"):
            return False
        raise EditError(tr("`{text}` 应为 yes（是）或 no（否）", "`{text}` should be yes or no", text=text))

    def credit_checked(text: str, answers: dict[str, Any]) -> date:
        from yjstation.foundation.records import as_date

        day = as_date(half_width(text).strip())
        if day is None:
            raise EditError(tr("`{text}` 不是 YYYY-MM-DD 形式的日期", "`{text}` is not a YYYY-MM-DD date", text=text))
        return day

    kinds = schema.choices(("host", "type"))
    return [
        Question("level", "--level", _with_choices(tr("站点级别", "station level"), schema.choices(("level",))), level),
        Question(
            "township",
            "--township",
            tr("乡镇（{names}）", "township ({names})", names=tr("、", ", ").join(county.township_names.values())),
            township,
        ),
        Question(
            "village",
            "--village",
            tr("行政村", "administrative village"),
            village,
            applies=lambda answers: answers.get("level") != "township",
        ),
        Question(
            "id",
            "--id",
            tr("站点编号（小写字母、数字和连字符）", "station id (lower-case letters, digits, hyphens)"),
            station_id,
        ),
        Question("id_number", "--id-number", tr("站长身份证号码", "stationmaster's ID card number"), id_number),
        Question(
            "host_type", "--host-type", _with_choices(tr("依托网点类型", "kind of host outlet"), kinds), host_type
        ),
        Question(
            "host_name", "--host-name", tr("依托网点名称", "name of the host outlet"), text(tr("网点名称", "name"))
        ),
        Question(
            "address",
            "--address",
            tr("站点地址", "station address"),
            text(tr("地址", "address")),
            default=lambda answers: _default_address(county, answers),
        ),
        Question("area_m2", "--area", tr("经营面积（平方米）", "floor area (square metres)"), area),
        Question(
            "partner",
            "--partner",
            tr("合作物流企业", "logistics partner"),
            text(tr("物流企业", "partner")),
            default=lambda answers: "中国邮政",
        ),
        Question("master_name", "--stationmaster", tr("站长姓名", "stationmaster's name"), text(tr("姓名", "name"))),
        Question("phone", "--phone", tr("站长手机号", "stationmaster's mobile number"), phone),
        # 三（二）1.2 无不良信用记录: the centre's check is recorded, never assumed
        Question(
            "good_credit",
            "--good-credit",
            tr("无不良信用记录？（yes 是 / no 否）", "no bad credit record? (yes/no)"),
            good_credit,
        ),
        Question(
            "credit_checked",
            "--credit-checked",
            tr("信用记录核查日期（YYYY-MM-DD）", "date the credit record was checked (YYYY-MM-DD)"),
            credit_checked,
        ),
        Question(
            "services",
            "--services",
            tr("开展的服务（逗号或顿号分隔）", "services offered (comma-separated)"),
            services,
            default=lambda answers: ",".join(DEFAULT_SERVICES),
        ),
    ]


DEFAULT_SERVICES = ("publicity", "purchase_agency", "consignment", "bill_payment", "finance")


def _with_choices(prompt: str, choices: dict[Any, str]) -> str:
    shown = tr("、", ", ").join(f"{code} {title}".strip() for code, title in choices.items())
    return f"{prompt}（{shown}）" if shown else prompt


def _choice(text: str, choices: dict[Any, str], what: str) -> Any:
    code = match_choice(text, choices)
    if code is None:
        raise EditError(
            tr(
                "{what}“{text}”不是可选的值；可选：{options}",
                "{what} “{text}” is not one of: {options}",
                what=what,
                text=text,
                options=tr("、", ", ").join(f"{k}（{v}）" if v else str(k) for k, v in choices.items()),
            )
        )
    return code


def _filled(text: str, label: str) -> str:
    if not text.strip():
        raise EditError(tr("{label}不能为空", "the {label} cannot be empty", label=label))
    return text.strip()


def _default_address(county: County, answers: dict[str, Any]) -> str:
    township = county.township(answers.get("township"))
    village = answers.get("village") if answers.get("level") != "township" else None
    return f"{county.name}{township.name if township else ''}{village or ''}"


def _as_validate_says(station: dict[str, Any], codes: tuple[str, ...]) -> None:
    """EditError with the messages and hints `validate` would give about these fields of a station."""
    from yjstation.checking.rules import RULES

    for rule in RULES:
        if rule.scope == "station" and rule.code.code in codes:
            for finding in rule.check(None, station, None):  # type: ignore[call-arg,arg-type]
                hint = finding.hint or rule.code.hint_text
                raise EditError(f"{finding.message}" + (tr("（{hint}）", " ({hint})", hint=hint) if hint else ""))
