"""Who may run a station: a real resident ID, an adult, a reachable mobile number, a clean record."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from yjstation.checking.rules.base import Claim, Context, Finding, Rule, clashes
from yjstation.domain import cnid as ric  # stdnum.cn.ric's answers, without importing stdnum (see cnid)
from yjstation.domain.cnid import ValidationError
from yjstation.foundation.diagnostics import Code, Severity
from yjstation.foundation.i18n import tr
from yjstation.foundation.masking import mask_id, mask_phone
from yjstation.foundation.records import as_date, as_str, dig
from yjstation.loading.loader import Document

ADULT_AGE = 18
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
ID_PATH = ("stationmaster", "id_number")
PHONE_PATH = ("stationmaster", "phone")

ID_FORMAT = Code(
    "ID001",
    Severity.ERROR,
    "身份证号码格式不对",
    "站长登记表：身份证号码（GB 11643）",
    "身份证号码为 18 位：前 17 位数字，最后一位数字或 X；请加引号",
)
ID_CHECKSUM = Code(
    "ID002",
    Severity.ERROR,
    "身份证号码校验位错误",
    "站长登记表：身份证号码（GB 11643）",
    "逐位核对身份证号码，常见错误是抄错一位或两位颠倒",
)
ID_BIRTH_INVALID = Code(
    "ID003",
    Severity.ERROR,
    "身份证号码中的出生日期不存在",
    "站长登记表：身份证号码（GB 11643）",
    "第 7–14 位是出生日期 YYYYMMDD，请核对",
)
ID_AREA_UNKNOWN = Code(
    "ID004",
    Severity.WARNING,
    "身份证号码的地区代码不在行政区划代码表中",
    "站长登记表：身份证号码（GB 11643）",
    "核对前 6 位地区代码；确认无误可忽略",
)
BIRTH_MISMATCH = Code(
    "ID005",
    Severity.ERROR,
    "出生日期与身份证号码不一致",
    "站长登记表：出生年月、身份证号码",
    "以身份证为准改正出生日期，或改正身份证号码",
)
GENDER_MISMATCH = Code(
    "ID006",
    Severity.ERROR,
    "性别与身份证号码不一致",
    "站长登记表：性别、身份证号码",
    "身份证第 17 位奇数为男、偶数为女；改正性别或身份证号码",
)
MINOR = Code(
    "ID007",
    Severity.ERROR,
    "站长在申请或签订协议时未满 18 周岁",
    "三（二）1.1 年满18周岁，具备完全民事责任能力",
    "站长须为成年人；核对出生日期或更换站长",
)
PHONE_FORMAT = Code(
    "ID008",
    Severity.ERROR,
    "移动电话号码格式不对",
    "站长登记表：移动电话",
    '手机号为 11 位数字、以 1 开头，例如 "13800000000"；请加引号',
)
BAD_CREDIT = Code(
    "ID009",
    Severity.ERROR,
    "站长有不良信用记录",
    "三（二）1.2 无不良信用记录",
    "按招募条件，有不良信用记录者不能担任站长",
)
CREDIT_UNCHECKED = Code(
    "ID011",
    Severity.ERROR,
    "审核通过或签约时没有登记信用核查结果和日期",
    "三（二）1.2 无不良信用记录；三（三）县级中心对其资质进行审核",
    "核查站长信用记录后填写 `stationmaster.good_credit`（true/false）和核查日期 `stationmaster.credit_checked`",
)
CREDIT_LATE = Code(
    "ID012",
    Severity.WARNING,
    "信用记录核查日期晚于审核通过日期",
    "三（三）县级中心对其资质进行审核，审核通过双方签订合作协议",
    "信用记录应在审核通过前核查；核对 `credit_checked` 和审核通过日期",
)
SHARED_PERSON = Code(
    "ID010",
    Severity.WARNING,
    "同一身份证号码或手机号出现在多个站点",
    "三（二）镇村级电商服务站选人",
    "核对是否录入错误；一人兼任多站须经县级中心同意",
)


def check_id_format(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    number = as_str(dig(station, ID_PATH))
    if number is not None and _ID_SHAPE.fullmatch(number) is None:
        yield Finding(
            ID_PATH,
            tr(
                "身份证号码 {id} 有 {n} 位或含非法字符，应为 18 位",
                "ID number {id} has {n} character{n:|s} or invalid ones; it needs 18",
                id=mask_id(number),
                n=len(number),
            ),
        )


def check_id_checksum(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    number = as_str(dig(station, ID_PATH))
    if number is None or _ID_SHAPE.fullmatch(number) is None:
        return
    expected = ric.calc_check_digit(number)
    if number[-1] != expected:
        yield Finding(
            ID_PATH,
            tr(
                "身份证号码 {id} 的校验位应为 {expected}，实为 {actual}",
                "ID number {id}: the check digit should be {expected}, not {actual}",
                id=mask_id(number),
                expected=expected,
                actual=number[-1],
            ),
        )


def check_id_birth_date(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    number = _well_formed_id(station)
    if number is not None and _birth_from_id(number) is None:
        yield Finding(
            ID_PATH,
            tr(
                "身份证号码中的出生日期 {born} 不是真实的日期",
                "the birth date {born} in the ID number does not exist",
                born=number[6:14],
            ),
        )


def check_id_area(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    number = _well_formed_id(station)
    if number is None or _birth_from_id(number) is None:
        return
    try:
        ric.get_birth_place(number)
    except ValidationError:
        yield Finding(
            ID_PATH,
            tr(
                "地区代码 {area} 不在行政区划代码表中（出生年份 {year}）",
                "area code {area} is not in the division code table (born {year})",
                area=number[:6],
                year=number[6:10],
            ),
        )


def check_birth_agrees(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    number = _well_formed_id(station)
    born = as_date(dig(station, ("stationmaster", "birth_date")))
    from_id = _birth_from_id(number) if number else None
    if born is not None and from_id is not None and born != from_id:
        yield Finding(
            ("stationmaster", "birth_date"),
            tr(
                "出生日期 {born} 与身份证号码中的 {from_id} 不一致",
                "birth date {born} differs from {from_id} in the ID number",
                born=born,
                from_id=from_id,
            ),
        )


def check_gender_agrees(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    number = _well_formed_id(station)
    gender = dig(station, ("stationmaster", "gender"))
    if number is None or gender not in ("male", "female"):
        return
    from_id = "male" if int(number[16]) % 2 else "female"
    if gender != from_id:
        said, implied = (ctx.label("station", ("stationmaster", "gender"), g) for g in (gender, from_id))
        yield Finding(
            ("stationmaster", "gender"),
            tr(
                "性别填为“{said}”，身份证号码第 17 位表示“{implied}”",
                "gender is {said} but the 17th digit of the ID number means {implied}",
                said=said,
                implied=implied,
            ),
        )


def check_adult(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    number = _well_formed_id(station)
    born = as_date(dig(station, ("stationmaster", "birth_date"))) or (_birth_from_id(number) if number else None)
    if born is None:
        return
    dates = (
        (("stationmaster", "application", "submitted"), "申请", "application"),
        (("agreement", "signed"), "签订协议", "signing"),
    )
    for path, what, what_en in dates:
        when = as_date(dig(station, path))
        if when is not None and _age(born, when) < ADULT_AGE:
            yield Finding(
                path,
                tr(
                    "{what}日期 {when} 时站长 {age} 周岁，未满 {adult} 周岁",
                    "the stationmaster was {age} on the {what_en} date {when}, under {adult}",
                    what=what,
                    what_en=what_en,
                    when=when,
                    age=_age(born, when),
                    adult=ADULT_AGE,
                ),
            )


def check_phone(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    phone = as_str(dig(station, PHONE_PATH))
    if phone is not None and _MOBILE.fullmatch(phone) is None:
        shown = mask_phone(phone) if len(phone) == 11 else tr("{n} 位号码", "a {n}-digit number", n=len(phone))
        yield Finding(
            PHONE_PATH,
            tr("移动电话 {shown} 不是 11 位手机号码", "mobile {shown} is not an 11-digit mobile number", shown=shown),
        )


def check_credit(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    if dig(station, ("stationmaster", "good_credit")) is False:
        yield Finding(
            ("stationmaster", "good_credit"),
            tr(
                "站长登记为有不良信用记录，不符合招募条件",
                "the stationmaster has a bad credit record, which the plan excludes",
            ),
        )


def check_credit_recorded(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    master = dig(station, ("stationmaster",))
    if not isinstance(master, dict):
        return
    approved = as_date(dig(master, ("application", "approved")))
    signed = as_date(dig(station, ("agreement", "signed")))
    if approved is None and signed is None:
        return  # not reviewed yet: the check belongs to the review
    gaps = [
        (key, label)
        for key, label, ok in (
            (
                "good_credit",
                tr("核查结果 good_credit", "the result good_credit"),
                isinstance(master.get("good_credit"), bool),
            ),
            (
                "credit_checked",
                tr("核查日期 credit_checked", "the date credit_checked"),
                as_date(master.get("credit_checked")) is not None,
            ),
        )
        if not ok
    ]
    if gaps:
        when = tr("审核通过", "approved") if approved is not None else tr("签订协议", "signed")
        # Point at whichever half of the record is there (a missing key would land on `stationmaster:`).
        there = next((k for k in ("good_credit", "credit_checked") if k in master), None)
        yield Finding(
            ("stationmaster", there) if there else ("stationmaster",),
            tr(
                "申请已{when}，但没有登记信用记录的{what}",
                "the application was {when} but the credit check lacks {what}",
                when=when,
                what=tr("和", " and ").join(label for _, label in gaps),
            ),
        )


def check_credit_date(doc: Document, station: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    checked = as_date(dig(station, ("stationmaster", "credit_checked")))
    approved = as_date(dig(station, ("stationmaster", "application", "approved")))
    if checked is not None and approved is not None and checked > approved:
        yield Finding(
            ("stationmaster", "credit_checked"),
            tr(
                "信用记录核查日期 {checked} 晚于审核通过日期 {approved}",
                "the credit record was checked on {checked}, after the approval on {approved}",
                checked=checked,
                approved=approved,
            ),
        )


def check_shared_person(ctx: Context) -> Iterator[Finding]:
    for path, what, what_en, show in (
        (ID_PATH, "身份证号码", "ID number", mask_id),
        (PHONE_PATH, "手机号", "mobile number", mask_phone),
    ):
        claims = (
            Claim(value, doc, path, as_str(dig(doc.data, ("id",))) or doc.file)
            for doc in ctx.stations
            if (value := as_str(dig(doc.data, path)))
        )
        for claim, others in clashes(claims):
            yield Finding(
                path,
                tr(
                    "{what} {value} 也登记在站点 {others}",
                    "{what_en} {value} is also recorded at station {others}",
                    what=what,
                    what_en=what_en,
                    value=show(str(claim.key)),
                    others=", ".join(others),
                ),
                doc=claim.doc,
            )


def _well_formed_id(station: dict[str, Any]) -> str | None:
    number = as_str(dig(station, ID_PATH))
    if number is None or _ID_SHAPE.fullmatch(number) is None or number[-1] != ric.calc_check_digit(number):
        return None
    return number


def _birth_from_id(number: str) -> date | None:
    try:
        return ric.get_birth_date(number)
    except ValidationError:
        return None


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


RULES: tuple[Rule, ...] = (
    Rule(ID_FORMAT, "station", check_id_format),
    Rule(ID_CHECKSUM, "station", check_id_checksum),
    Rule(ID_BIRTH_INVALID, "station", check_id_birth_date),
    Rule(ID_AREA_UNKNOWN, "station", check_id_area),
    Rule(BIRTH_MISMATCH, "station", check_birth_agrees),
    Rule(GENDER_MISMATCH, "station", check_gender_agrees),
    Rule(MINOR, "station", check_adult),
    Rule(PHONE_FORMAT, "station", check_phone),
    Rule(BAD_CREDIT, "station", check_credit),
    Rule(CREDIT_UNCHECKED, "station", check_credit_recorded),
    Rule(CREDIT_LATE, "station", check_credit_date),
    Rule(SHARED_PERSON, "repository", check_shared_person),
)
