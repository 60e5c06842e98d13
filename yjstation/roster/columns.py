"""The roster's columns: the Chinese header, where the value lives in a station file and what kind of
cell it is. Export and import read the same table, so a sheet exported and read back maps every cell to
the field it came from, and an unchanged sheet proposes no change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from yjstation.foundation.records import as_date, as_dict, as_list
from yjstation.foundation.sourcemap import DataPath

SHEET = "花名册"
NOTES_SHEET = "说明"
AS_OF_LABEL = "基准日期"  # the notes sheet's row that records the day the sheet describes
COMMIT_LABEL = "数据提交"  # ... and the commit of the data it was exported from (the full hash)

Kind = Literal[
    "text", "enum", "township", "date", "number", "id_number", "phone", "term_number", "term_end", "computed"
]
COMPUTED: frozenset[str] = frozenset({"computed"})


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    kind: Kind
    path: DataPath = ()  # empty for computed columns and for the agreement term, resolved per station
    number_format: str = ""

    @property
    def editable(self) -> bool:
        return self.kind not in COMPUTED


COLUMNS: tuple[Column, ...] = (
    Column("id", "站点编号", 22, "text", ("id",)),
    Column("name", "站点名称", 30, "text", ("name",)),
    Column("township", "乡镇", 10, "township", ("township",)),
    Column("level", "级别", 13, "enum", ("level",)),
    Column("village", "行政村", 10, "text", ("village",)),
    Column("host_type", "依托网点类型", 22, "enum", ("host", "type")),
    Column("host_name", "依托网点名称", 20, "text", ("host", "name")),
    Column("address", "站点地址", 30, "text", ("site", "address")),
    Column("area", "经营面积（平方米）", 10, "number", ("site", "area_m2")),
    Column("partner", "合作物流企业", 14, "text", ("logistics_point", "partner")),
    Column("master", "站长", 10, "text", ("stationmaster", "name")),
    Column("gender", "性别", 6, "enum", ("stationmaster", "gender")),
    Column("id_number", "身份证号码", 21, "id_number", ("stationmaster", "id_number"), "@"),
    Column("phone", "手机号", 14, "phone", ("stationmaster", "phone"), "@"),
    Column("agreement_number", "协议编号", 14, "term_number", (), "@"),
    Column("agreement_start", "协议开始日期", 13, "date", ("agreement", "start"), "yyyy-mm-dd"),
    Column("agreement_end", "协议到期日期", 13, "term_end", (), "yyyy-mm-dd"),
    Column("step", "当前步骤", 12, "computed"),
    Column("month", "统计月份", 10, "computed"),
    Column("orders", "订单数", 10, "computed", (), "#,##0"),
    Column("purchase_amount", "代购金额（元）", 15, "computed", (), "#,##0.00"),
    Column("consignment_sales", "代销金额（元）", 15, "computed", (), "#,##0.00"),
    Column("fees", "服务收费（元）", 15, "computed", (), "#,##0.00"),
)
BY_HEADER = {c.header: c for c in COLUMNS}
BY_KEY = {c.key: c for c in COLUMNS}


def term_paths(station: dict[str, Any], day: date) -> tuple[DataPath, DataPath]:
    """Where the number and the end date of the agreement in force on `day` live: the renewal signed by
    then that runs longest, else the agreement itself (the same choice as stations.agreement_end). The
    roster shows that term, and an edit of its cells goes back to the record it was read from."""
    agreement = as_dict(station.get("agreement"))
    end = as_date(agreement.get("end"))
    chosen: int | None = None
    for index, renewal in enumerate(as_list(agreement.get("renewals"))):
        renewal = as_dict(renewal)
        signed, renewed_end = as_date(renewal.get("signed")), as_date(renewal.get("end"))
        if signed is not None and renewed_end is not None and signed <= day and (end is None or renewed_end > end):
            end, chosen = renewed_end, index
    if chosen is None:
        return ("agreement", "number"), ("agreement", "end")
    return ("agreement", "renewals", chosen, "number"), ("agreement", "renewals", chosen, "end")


def path_of(column: Column, station: dict[str, Any], day: date) -> DataPath:
    """The data path a column's cell stands for in this station's file on `day`."""
    if column.kind == "term_number":
        return term_paths(station, day)[0]
    if column.kind == "term_end":
        return term_paths(station, day)[1]
    return column.path
