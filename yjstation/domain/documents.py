"""What each station document needs from the station file, and from which step on it must be complete.

One list serves both sides: `validate` reports a needed field that is missing once the step that produces
the document has been reached (the registration form and the application once the application is
submitted, the agreement once it is signed, the fee notice once the station is fitted out), and `render`
refuses a document whose station has errors in these fields, naming them. The labels are the forms' own
(the plan's 登记表, 申请表, 合作协议 and 收费标准), so `yjstation rules` can list them as the county reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from yjstation.foundation.records import as_date, dig, is_present, split_path
from yjstation.foundation.sourcemap import DataPath


@dataclass(frozen=True)
class Needed:
    path: DataPath
    label: str  # the form's label for it
    level: str | None = None  # needed only at stations of this level

    @property
    def dotted(self) -> str:
        return ".".join(map(str, self.path))


@dataclass(frozen=True)
class DocumentNeeds:
    kind: str  # as `yjstation render` names it
    name: str
    clause: str
    due: DataPath  # the date that makes the document due: once it is set (and not after --as-of)
    due_label: str
    fields: tuple[Needed, ...]

    def due_on(self, station: dict[str, Any]) -> date | None:
        return as_date(dig(station, self.due))

    def applies(self, field: Needed, station: dict[str, Any]) -> bool:
        return field.level is None or station.get("level") == field.level

    def missing(self, station: dict[str, Any], as_of: date) -> list[Needed]:
        """The needed fields this station lacks, when the document is due by `as_of` (else none)."""
        due = self.due_on(station)
        if due is None or due > as_of:
            return []
        return [f for f in self.fields if self.applies(f, station) and not _filled(dig(station, f.path))]

    def covers(self, dotted: str) -> bool:
        """True when a finding at data path `dotted` lies in one of the needed fields."""
        return any(dotted == f.dotted or dotted.startswith((f.dotted + ".", f.dotted + "[")) for f in self.fields)


def _filled(value: Any) -> bool:
    # A recorded `false` is an answer (no broadband, a bad credit record): only absence is missing.
    return value is False or is_present(value)


def _needs(spec: str) -> tuple[Needed, ...]:
    """`path 标签` pairs, one a line; `@village` after the label limits a field to village stations."""
    out = []
    for line in filter(None, (raw.strip() for raw in spec.splitlines())):
        path, label, *rest = line.split()
        out.append(Needed(split_path(path), label, rest[0].removeprefix("@") if rest else None))
    return tuple(out)


DOCUMENTS: tuple[DocumentNeeds, ...] = (
    DocumentNeeds(
        "registration",
        "站长登记表",
        "三（七）镇村级电子商务服务站站长登记表",
        ("stationmaster", "application", "submitted"),
        "站长提交申请",
        _needs(
            """
            name 服务站
            stationmaster.name 姓名
            stationmaster.gender 性别
            stationmaster.birth_date 出生年月
            stationmaster.native_place 籍贯
            stationmaster.education 文化程度
            host.opened 开店日期
            stationmaster.phone 移动电话
            site.area_m2 店铺面积
            stationmaster.id_number 身份证号码
            host.categories 经营类目
            stationmaster.address 通信地址
            host.business 当前经营情况
            """
        ),
    ),
    DocumentNeeds(
        "application",
        "站长申请表",
        "三（三）镇村级电商服务站站长申请流程（附件2 站长申请表）",
        ("stationmaster", "application", "submitted"),
        "站长提交申请",
        _needs(
            """
            name 申请站点
            level 站点级别
            township 所属乡镇
            village 所在行政村 @village
            stationmaster.name 姓名
            stationmaster.gender 性别
            stationmaster.birth_date 出生日期
            stationmaster.education 文化程度
            stationmaster.id_number 身份证号码
            stationmaster.phone 移动电话
            stationmaster.native_place 籍贯
            stationmaster.roles 身份
            stationmaster.address 通信地址
            host.name 网点名称
            host.type 网点类型
            site.address 站点地址
            site.area_m2 经营面积
            site.broadband 已开通宽带
            logistics_point.partner 共建物流点
            stationmaster.application.submitted 申请日期
            """
        ),
    ),
    DocumentNeeds(
        "agreement",
        "合作协议",
        "三（八）盈江县镇/村级电子商务服务站合作协议",
        ("agreement", "signed"),
        "签订协议",
        _needs(
            """
            name 服务站
            level 站点级别
            township 乡（镇）
            village 村 @village
            stationmaster.name 乙方
            stationmaster.id_number 乙方身份证号码
            stationmaster.phone 乙方联系电话
            stationmaster.address 乙方地址
            agreement.number 协议编号
            agreement.signed 签订日期
            agreement.start 合作开始日期
            agreement.end 合作结束日期
            agreement.deposit 押金
            """
        ),
    ),
    DocumentNeeds(
        "fee-notice",
        "收费标准",
        "一（八）收费标准应在服务场所明显位置张贴；二（二）6 资费标准",
        ("rollout", "fit_out", "done"),
        "进场装修完成（开始运营）",
        _needs(
            """
            name 服务站
            services 本站开展的服务
            fees 收费标准
            stationmaster.name 站长
            stationmaster.phone 联系电话
            """
        ),
    ),
)


def document(kind: str) -> DocumentNeeds | None:
    return next((d for d in DOCUMENTS if d.kind == kind), None)
