"""The bundled county file, `data/county.yaml`, built from the real village register.

`scripts/reference/yingjiang-villages.tsv` is the National Bureau of Statistics' register of 盈江县's
village-level units (2023 edition; its sources are in `scripts/reference/README.md`): 97 village
committees (村民委员会) and 12 communities (居民委员会) under 15 townships and 盈江农场. Every village,
name and code in county.yaml comes from it; what the register does not say is the sample's choice and
is marked as such in the file's own comments:

- the township ids (pinyin slugs) and the operator block are the sample county's;
- the register has no poverty flag. The sample marks as 建档立卡贫困村 every village committee that the
  register classes as rural (urban-rural code 220) in the mountain townships, where the county's poverty
  was concentrated; the valley townships (平原, 旧城, 那邦, 弄璋, 新城, 芒章) get none. This is an
  illustration, not the county's list: a real repository takes the flags from the county's
  poverty-alleviation office.

Used by `generate_sample_data.py`, which writes the file and picks the 58 village stations from it.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

REGISTER = Path(__file__).resolve().parent / "reference" / "yingjiang-villages.tsv"
Doc = dict[str, Any]

# Township ids, kinds and terrain, in the register's order. Mountain townships are the Jingpo and Lisu
# uplands; the valley (坝区) townships lie along the Daying river and the county's main road.
TOWNSHIPS = [
    ("pingyuan", "平原镇", "town", "valley"),
    ("jiucheng", "旧城镇", "town", "valley"),
    ("nabang", "那邦镇", "town", "valley"),
    ("nongzhang", "弄璋镇", "town", "valley"),
    ("zhanxi", "盏西镇", "town", "mountain"),
    ("kachang", "卡场镇", "town", "mountain"),
    ("xima", "昔马镇", "town", "mountain"),
    ("taiping", "太平镇", "town", "mountain"),
    ("xincheng", "新城乡", "township", "valley"),
    ("yousongling", "油松岭乡", "township", "mountain"),
    ("mangzhang", "芒章乡", "township", "valley"),
    ("zhina", "支那乡", "township", "mountain"),
    ("sudian", "苏典傈僳族乡", "ethnic_township", "mountain"),
    ("mengnong", "勐弄乡", "township", "mountain"),
    ("tongbiguan", "铜壁关乡", "township", "mountain"),
]
# Pinyin of each village committee's name (without 村民委员会), for station ids; hand-made.
PINYIN = dict(
    pair.split(":")
    for pair in [
        "勐町:mengding",
        "勐盏:mengzhan",
        "胜隆:shenglong",
        "新莲:xinlian",
        "兴和:xinghe",
        "拱腊:gongla",
        "高里:gaoli",
        "陇中:longzhong",
        "芒璋:mangzhang",
        "拉勐:lameng",
        "富联:fulian",
        "丙辉:binghui",
        "旧城:jiucheng",
        "贺勐:hemeng",
        "新民:xinmin",
        "东丙:dongbing",
        "喊撒:hansa",
        "东山:dongshan",
        "街道:jiedao",
        "那邦:nabang",
        "刀弄:daonong",
        "弄璋:nongzhang",
        "飞勐:feimeng",
        "模恒:moheng",
        "南永:nanyong",
        "新府:xinfu",
        "南缓:nanhuan",
        "南算:nansuan",
        "永保:yongbao",
        "姐目:jiemu",
        "弄勐:nongmeng",
        "南多:nanduo",
        "边府:bianfu",
        "芒相:mangxiang",
        "芒面:mangmian",
        "古里卡:gulika",
        "关上:guanshang",
        "团坡:tuanpo",
        "姐罕:jiehan",
        "双龙:shuanglong",
        "松坡:songpo",
        "普关:puguan",
        "合作:hezuo",
        "邦朗:banglang",
        "吾帕:wupa",
        "卡场:kachang",
        "五排:wupai",
        "草坝:caoba",
        "黑河:heihe",
        "胜利:shengli",
        "保边:baobian",
        "团结:tuanjie",
        "太平:taiping",
        "弄盏:nongzhan",
        "璋西:zhangxi",
        "黄龙:huanglong",
        "大寨:dazhai",
        "贺回:hehui",
        "卡牙:kaya",
        "龙盆:longpen",
        "芒允:mangyun",
        "拉丙:labing",
        "雪梨:xueli",
        "新城:xincheng",
        "广丙:guangbing",
        "繁勐:fanmeng",
        "傣龙:dailong",
        "新龙:xinlong",
        "邦瓦:bangwa",
        "红山:hongshan",
        "杏坝:xingba",
        "油松岭:yousongling",
        "郭家寨:guojiazhai",
        "营庆:yingqing",
        "椿头塘:chuntoutang",
        "芒章:mangzhang",
        "相帕:xiangpa",
        "璋刀:zhangdao",
        "鲁洛:luluo",
        "宝石:baoshi",
        "银河:yinhe",
        "支那:zhina",
        "崩董:bengdong",
        "芦山:lushan",
        "支东:zhidong",
        "石分:shifen",
        "苏典:sudian",
        "勐嘎:mengga",
        "劈石:pishi",
        "茅草:maocao",
        "勐弄:mengnong",
        "勐典:mengdian",
        "松园:songyuan",
        "三合:sanhe",
        "和平:heping",
        "建边:jianbian",
        "南岭:nanling",
    ]
)
OPERATOR = {
    "name": "盈江县电子商务公共服务中心",
    "address": "云南省德宏州盈江县平原镇电子商务产业园",
    "representative": "杨建华",
    "phone": "0692-8881234",
    "complaint_phone": "0692-8881235",
    "supervisor": "盈江县工业和商务科技局",
}
PLAN = "盈江县2019年电子商务进农村综合示范项目电子商务服务站建设运营方案"


def short_name(full_name: str) -> str:
    """The name people write: 勐盏村民委员会 -> 勐盏村, 新建居民委员会 -> 新建社区, 盈新社区居民委员会 -> 盈新社区."""
    if full_name.endswith("村民委员会"):
        return full_name.removesuffix("民委员会")
    base = full_name.removesuffix("居民委员会")
    return base if base.endswith("社区") else base + "社区"


def read_register(path: Path = REGISTER) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def village_entry(row: dict[str, str], mountain: bool) -> Doc:
    """One register row as county.yaml lists it. `rural` and `pinyin` are the generator's, not written."""
    committee = int(row["village_code"][9:]) >= 200
    entry: Doc = {
        "name": short_name(row["village_name"]),
        "full_name": row["village_name"],
        "code": row["village_code"],
        "kind": "village_committee" if committee else "residents_committee",
    }
    if committee:  # the sample's illustrative poverty flag, see the module docstring
        entry["poverty"] = mountain and row["urban_rural_code"] == "220"
    entry["_urban_rural"] = row["urban_rural_code"]
    return entry


def build_county(rows: list[dict[str, str]]) -> Doc:
    """county.yaml's content: the county, its operator and targets, and the register's townships."""
    names = {name: (tid, kind, terrain) for tid, name, kind, terrain in TOWNSHIPS}
    townships: list[Doc] = []
    others: dict[str, Doc] = {}
    for row in rows:
        known = names.get(row["township_name"])
        if known is None:  # 盈江农场 and the like: listed, but not a township
            unit = others.setdefault(
                row["township_code"], {"name": row["township_name"], "code": row["township_code"], "villages": []}
            )
            unit["villages"].append(village_entry(row, False))
            continue
        tid, kind, terrain = known
        if not townships or townships[-1]["id"] != tid:
            townships.append(
                {"id": tid, "name": row["township_name"], "kind": kind, "code": row["township_code"], "villages": []}
            )
        townships[-1]["villages"].append(village_entry(row, terrain == "mountain"))
    if [t["id"] for t in townships] != [t[0] for t in TOWNSHIPS]:
        raise SystemExit("sample_county: the register's townships differ from TOWNSHIPS")
    return {
        "county": {
            "name": "盈江县",
            "division_code": "533123",
            "prefecture": "德宏傣族景颇族自治州",
            "province": "云南省",
        },
        "operator": OPERATOR,
        "targets": {"township_stations": 15, "village_stations": 58, "plan": PLAN},
        "townships": townships,
        "other_units": list(others.values()),
    }


def _quoted(text: str) -> str:
    return f'"{text}"'


def _village_line(v: Doc, indent: str) -> str:
    parts = [f"name: {v['name']}", f"full_name: {v['full_name']}", f"code: {_quoted(v['code'])}", f"kind: {v['kind']}"]
    if "poverty" in v:
        parts.append(f"poverty: {str(v['poverty']).lower()}")
    return f"{indent}- {{{', '.join(parts)}}}\n"


def county_text(county: Doc) -> str:
    """The file as written: comments saying where each part comes from, one village per line."""
    c, op, targets = county["county"], county["operator"], county["targets"]
    out = [
        "# 盈江县农村电子商务服务站网络：县情、甲方、建设目标与行政村名单。\n",
        "# 由 scripts/generate_sample_data.py 生成，请勿手工修改。\n",
        "# 乡镇、行政村（村民委员会）和社区（居民委员会）的名称与 12 位统计代码取自国家统计局\n",
        "# 统计用区划代码（2023 年版，见 scripts/reference/README.md）：97 个村民委员会、12 个居民委员会。\n",
        "# 该名单没有贫困村标记：poverty 是示例数据的选择（山区乡镇中城乡分类代码为 220 的村委会），\n",
        "# 不是本县的建档立卡贫困村名单；实际使用时以县扶贫部门的名单为准。\n",
        "county:\n",
        f"  name: {c['name']}\n",
        f"  division_code: {_quoted(c['division_code'])}\n",
        f"  prefecture: {c['prefecture']}\n",
        f"  province: {c['province']}\n",
        "operator:\n",
        *(f"  {k}: {_quoted(v) if k.endswith('phone') else v}\n" for k, v in op.items()),
        "targets:\n",
        *(f"  {k}: {v}\n" for k, v in targets.items()),
        "townships:\n",
    ]
    for t in county["townships"]:
        out += [
            f"  - id: {t['id']}\n",
            f"    name: {t['name']}\n",
            f"    kind: {t['kind']}\n",
            f"    code: {_quoted(t['code'])}\n",
            "    villages:\n",
            *(_village_line(v, "      ") for v in t["villages"]),
        ]
    out.append("# 不属于乡镇的单位（盈江农场）：其社区列入名单以便核对，不计入乡镇和行政村覆盖。\n")
    out.append("other_units:\n")
    for unit in county["other_units"]:
        out += [
            f"  - name: {unit['name']}\n",
            f"    code: {_quoted(unit['code'])}\n",
            "    villages:\n",
            *(_village_line(v, "      ") for v in unit["villages"]),
        ]
    return "".join(out)
