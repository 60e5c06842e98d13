"""Generate the bundled Yingjiang sample data and check it.

Run as ``python scripts/generate_sample_data.py`` (the repository root is found from this file's path).
The script owns ``data/county.yaml`` (built from the real village register by ``sample_county.py``),
``data/stations/*.yaml``, ``data/operations/**`` and ``data/events/*.yaml`` (``sample_events.py``): it
deletes them, writes 73 station files (15 township-level, 58 village-level, the village stations in real
village committees), one operations record per operating station and month of 2021 and the year's
promotions and 优秀 selection, then re-reads everything, checks it against the JSON Schemas and the
county's rules, and exits non-zero on any finding. Every person, ID number, phone number and figure is
fictional; the villages and their codes are real. All randomness comes from one seeded ``random.Random``
and no set is ever iterated, so two runs are byte-identical.
"""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import sys
from datetime import date
from datetime import timedelta as days
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted
from stdnum.cn import ric

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling sample_* modules, however this is run
from sample_county import PINYIN, build_county, county_text, read_register
from sample_events import make_events

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED = 20210118  # the plan's date of issue
CUTOFF = date(2021, 12, 31)  # the sample describes the network as of the end of 2021
MONTHS = [f"2021-{m:02d}" for m in range(1, 13)]
CENT, REBATE = Decimal("0.01"), Decimal("0.05")
FLOW_WIDTH = 120  # a leaf map/list is written in flow style only while its line stays this short
Doc = dict[str, Any]


def words(text: str) -> list[str]:
    """Split a whitespace-separated table literal."""
    return text.split()


# Per township: road km from the county centre, the naming style most common there besides Han, whether
# it borders Myanmar (兴边富民 stations), and local industries.
TOWNS = {
    row[0]: (row[1], row[2], row[3] == "border", row[4].split("/"))
    for row in map(
        words,
        """
    pingyuan 1.5 dai - 水稻/甘蔗/香蕉/柠檬
    jiucheng 26 dai - 茶叶/核桃/草果/竹笋
    nabang 98 dai border 香蕉/橡胶/澳洲坚果
    nongzhang 12 dai - 甘蔗/水稻/柠檬/冬季蔬菜
    zhanxi 62 jingpo - 茶叶/石斛/生姜/水稻
    kachang 110 jingpo border 草果/核桃/茶叶/竹笋
    xima 75 jingpo border 茶叶/香蕉/澳洲坚果
    taiping 28 jingpo - 甘蔗/石斛/茶叶/澳洲坚果
    xincheng 18 dai - 水稻/甘蔗/竹笋/生猪
    yousongling 35 jingpo - 草果/茶叶/澳洲坚果
    mangzhang 30 dai - 甘蔗/香蕉/水稻
    zhina 45 jingpo border 草果/核桃/茶叶/生猪
    sudian 58 lisu border 草果/核桃/澳洲坚果/石斛
    mengnong 52 jingpo border 茶叶/草果/竹笋
    tongbiguan 40 jingpo border 橡胶/澳洲坚果/草果/咖啡""".strip().splitlines(),
    )
}
NAMES = {  # style: (surnames, male given names, female given names); all combinations are made up
    "han": (
        words("张 王 李 杨 赵 刘 陈 周 黄 吴 徐 马 朱 胡 何 罗 段 尹 郭 许 董 蔡 彭 施 番 寸 杜"),
        words("志强 建国 文华 国庆 永刚 德明 俊 勇 海波 家兴 晓东 正华 学文 云峰 明亮 成林 兴旺"),
        words("丽华 秀英 春梅 晓燕 玉兰 美琴 艳 红梅 雪梅 丽萍 桂芳 海燕 金凤 小芬 淑芬 婷"),
    ),
    "dai": (
        words("线 孟 思 刀 龚 方 孔 郎"),
        words("岩温 岩帕 岩应 岩罕 岩叫 岩保 腊 定"),
        words("玉香 玉罕 玉帕 么喊 么应 玉南 么糯 叶"),
    ),
    "jingpo": (
        words("排 岳 勒排 金 石 董 雷 祁 木然"),
        words("麻腊 麻诺 麻干 麻途 腊 干 诺 勒"),
        words("木然 扎土 扎诺 木锐 勒糯 扎南 木途 扎崩"),
    ),
    "lisu": (
        words("余 麻 蔡 密 欧 褚 胡 邓"),
        words("阿四 友才 付才 三保 阿普 二保 阿发"),
        words("阿妹 三妹 付琴 春梅 阿英 二妹 阿珍"),
    ),
}
PINNED = ("勐盏村",)  # pingyuan-mengzhan: the station the README, docs and tests use as their example
STAFF = words("杨志刚 李春燕 赵文斌 段晓梅 孟雪芳 刀志明")  # county centre field staff (fictional)
PARTNERS = words("中国邮政 中通快递 圆通速递 申通快递 韵达快递")
STORE_HOSTS = ("village_store", "convenience_store", "private_shop", "supply_coop")
MODES = ("centralized", "point_to_point", "online")
STEPS = words("layout market_survey confirmation agreement fit_out training maintenance upgrade")
SERVICES = words("publicity purchase_agency consignment bill_payment finance agri_inputs entrepreneurship value_added")
# The operations service keys a station records for each station service code it offers; express is
# always recorded, as every station is co-built with a logistics point. The data contract leaves this open.
OPS_KEYS = {
    "purchase_agency": ["purchase_agency"],
    "consignment": ["consignment"],
    "bill_payment": ["topup", "ticketing", "convenience"],
    "finance": ["cash"],
}
# One centralised session per module at the county centre; later signers catch up one-to-one or online.
SESSIONS = {
    "platforms-overview": date(2020, 12, 16),
    "shopping-platforms": date(2020, 12, 17),
    "consumer-goods-agency": date(2021, 1, 14),
    "produce-online-basics": date(2021, 3, 10),
    "express-logistics-basics": date(2021, 3, 11),
    "agency-skills": date(2021, 4, 21),
    "produce-sales-skills": date(2021, 5, 19),
}
# Where each station stands at the end of 2021: rollout steps done, and when its agreement was signed.
STATES = {
    "upgrade": (8, "2020-10-01", "2021-01-20"),
    "operating": (7, "2020-10-01", "2021-01-20"),
    "trained": (6, "2020-11-15", "2021-03-15"),
    "fitted": (5, "2020-12-15", "2021-03-10"),  # signed in time for phase 1 (ends 2021-03-31)
    "signed": (4, "2021-02-01", "2021-06-30"),
    "confirmed": (3, "", ""),
    "stalled": (2, "", ""),
    "surveyed": (2, "", ""),
    "surveying": (1, "", ""),
    "planned": (0, "", ""),
}
TOWNSHIP_STATES = ["upgrade"] * 7 + ["operating"] * 6 + ["trained", "fitted"]
VILLAGE_STATES = (
    ["upgrade"] * 8
    + ["operating"] * 24
    + ["trained"] * 5
    + ["fitted"] * 8
    + ["signed"] * 3
    + ["confirmed"] * 3
    + ["stalled"] * 2
    + ["surveyed"] * 3
    + ["surveying", "planned"]
)
NOTES = {
    "stalled": "主管商务部门尚未存档，待乡镇复核选址后继续推进。",
    "confirmed": "站点已确认，因房屋产权问题暂缓签订协议。",
    "signed": "协议已签订，站点网络未接通，装修暂停。",
    "surveyed": "已完成市场调查，站点选址待确认。",
    "surveying": "市场调查进行中：已完成线路测试和产业资源调查。",
    "planned": "已列入站点布局，点位待县级中心现场确认。",
}
# Value-added services (一（八）, 二（二）5 综合服务项目) with the price a station posts for each; 小站大集 is
# free to villagers (二（二）6: 根据具体活动方案而定). Prices are the sample's, within no red line.
VALUE_ADDED: dict[str, Doc] = {
    "小站大集活动": {"price": Decimal("0.00"), "unit": "次", "note": "村民参加免费，商户摊位按活动方案"},
    "农产品直播带货": {"rate": Decimal("0.03"), "unit": "按销售额"},
    "农资网上订购配送": {"price": Decimal("2.00"), "unit": "单"},
    "冷链代收代发": {"price": Decimal("3.00"), "unit": "件"},
    "就诊预约": {"price": Decimal("0.00"), "unit": "次"},
    "证件扫描打印": {"price": Decimal("0.50"), "unit": "页"},
    "复印传真": {"price": Decimal("0.50"), "unit": "页"},
}
BASIC_VALUE_ADDED = ["证件扫描打印", "复印传真", "就诊预约"]
EXPRESS_SEASON = [1.15, 1.25, 0.9, 0.92, 0.95, 1.05, 0.95, 1.0, 1.08, 1.18, 1.3, 1.15]  # New Year goods, 双11
PRODUCE_SEASON = [1.3, 1.4, 0.7, 0.6, 0.7, 0.8, 0.8, 0.9, 1.2, 1.5, 1.6, 1.4]  # harvest and Spring Festival
TICKET_SEASON = [1.8, 2.2, 1.2, 1.0, 1.0, 1.0, 1.1, 1.1, 1.0, 1.5, 1.0, 1.2]  # 春运 and National Day
ONLINE_ISSUES = [
    pair.split(":")
    for pair in words(
        "打印机驱动异常:远程重装驱动 快递面单打印错位:远程调整打印模板 收银系统无法登录:重置账号密码 "
        "代购订单支付失败:指导更换支付方式后完成支付 话费充值未到账:联系平台补单 网络断线:指导重启光猫后恢复 "
        "农产品上架图片不合格:远程指导重新拍摄上传 电脑弹窗广告:远程查杀并安装安全软件"
    )
]
ONSITE_NOTES = words(
    "检查网络和设备 更换门头灯箱 补充宣传单页 指导农产品分级包装 盘点代销商品 "
    "调试电子秤和扫码枪 张贴新版收费标准 协助开展小站大集活动"
)
FEEDBACK = words(
    "快递延误 包裹外包装破损 代购商品与描述不符 话费充值到账慢 取款机具故障 代销货款结算慢 "
    "希望增加快递派送频次 营业时间不固定"
)


def money(cents: int) -> Decimal:
    """Yuan with exactly two decimals from an integer number of fen (no float ever touches money)."""
    return Decimal(cents).scaleb(-2).quantize(CENT)


def rand_date(rng: random.Random, lo: date, hi: date) -> date:
    """A uniformly random date in [lo, hi] (lo when the range is empty)."""
    return lo + days(rng.randint(0, max(0, (hi - lo).days)))


def next_month(day: date) -> date:
    """The first day of the month after `day`."""
    return (day.replace(day=28) + days(4)).replace(day=1)


def term_end(start: date, years: int) -> date:
    """Last day of a term of whole years beginning on the first of a month."""
    return start.replace(year=start.year + years) - days(1)


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of a YYYY-MM month."""
    first = date.fromisoformat(month + "-01")
    return first, next_month(first) - days(1)


def weighted(rng: random.Random, options: dict[str, float]) -> str:
    """Pick a key of `options` with probability proportional to its weight (zero weights never)."""
    keys = [k for k, w in options.items() if w > 0]
    return rng.choices(keys, weights=[options[k] for k in keys])[0]


class People:
    """Makes fictional people with unique names, resident ID numbers and mobile numbers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()  # only ever tested for membership, never iterated

    def fresh(self, make: Any) -> str:
        """Call `make` until it returns a value not handed out before."""
        while (value := make()) in self.used:
            pass
        self.used.add(value)
        return str(value)

    def name(self, gender: str, township: str) -> str:
        """A unique name, Han or in one of the local minorities' naming styles."""

        def make() -> str:
            local = TOWNS[township][1]
            style = weighted(self.rng, {"han": 6, local: 3, "dai": 0.5, "jingpo": 0.5, "lisu": 0.3})
            surnames, male, female = NAMES[style]
            return self.rng.choice(surnames) + self.rng.choice(male if gender == "male" else female)

        return self.fresh(make)

    def phone(self) -> Quoted:
        """A unique 11-digit mobile number, quoted so YAML keeps it a string."""
        prefixes = words("139 138 137 135 158 159 151 152 187 188 150 130 131 155 186 133 153 189 180 177")
        return Quoted(self.fresh(lambda: f"{self.rng.choice(prefixes)}{self.rng.randint(0, 99_999_999):08d}"))

    def id_number(self, birth: date, gender: str) -> tuple[Quoted, str]:
        """A unique GB 11643 ID number with a valid check digit, and the matching native place."""
        # stdnum rejects area codes that did not exist in the birth year: 瑞丽市 533102 dates from 1992,
        # 芒市 533103 from 1996, so those two are only used for people born since.
        areas = {"533122": "云南梁河", "533124": "云南陇川"}
        areas.update({"533102": "云南瑞丽"} if birth.year >= 1992 else {})
        areas.update({"533103": "云南芒市"} if birth.year >= 1996 else {})
        area = "533123" if self.rng.random() < 0.85 else self.rng.choice(sorted(areas))

        def make() -> str:  # the sequence number is odd for men, even for women
            body = f"{area}{birth:%Y%m%d}{self.rng.randint(0, 49) * 2 + (gender == 'male'):03d}"
            return body + ric.calc_check_digit(body + "0")

        return Quoted(self.fresh(make)), areas.get(area, "云南盈江")


def pick_villages(rng: random.Random, townships: list[Doc], total: int) -> dict[str, list[Doc]]:
    """Spread `total` village stations over the townships' village committees by largest remainder, then
    pick within each township favouring poverty villages (the plan: 加大建档立卡贫困村电子商务服务站点覆盖率)
    and those on the logistics routes (the register's non-rural codes: the township seat and the villages
    along the road out of it, where the express lines already run)."""
    committees = {t["id"]: [v for v in t["villages"] if v["kind"] == "village_committee"] for t in townships}
    count = sum(len(v) for v in committees.values())
    exact = [len(committees[t["id"]]) * total / count for t in townships]
    quota = [int(x) for x in exact]
    for i in sorted(range(len(townships)), key=lambda i: (quota[i] - exact[i], i))[: total - sum(quota)]:
        quota[i] += 1
    chosen = {}
    for township, n in zip(townships, quota, strict=True):
        villages = committees[township["id"]]

        def weight(v: Doc) -> float:
            return (3 if v["poverty"] else 1) * (2 if v["_urban_rural"] != "220" else 1)

        # Efraimidis-Spirakis weighted sampling; the pinned village (the README's and tests' example) first.
        keyed = sorted(villages, key=lambda v: (v["name"] not in PINNED, -(rng.random() ** (1 / weight(v)))))
        chosen[township["id"]] = [v for v in villages if v in keyed[:n]]
    return chosen


def make_stationmaster(rng: random.Random, people: People, township: Doc, village: Doc | None, host_type: str) -> Doc:
    """A fictional stationmaster whose roles, age, education and ID fit together."""
    gender = "female" if rng.random() < 0.45 else "male"
    female, store = gender == "female", host_type in STORE_HOSTS
    weights = (
        {
            "village_cadre": 5,
            "grid_worker": 3,
            "returning_youth": 5,
            "college_village_official": 2,
            "left_behind_woman": 4 * female,
            "poor_household": 2 * village["poverty"],
            "shop_owner": 4 * store,
        }
        if village
        else {
            "shop_owner": 4 * store,
            "returning_youth": 3,
            "retired_civil_servant": 2 * female,
            "college_village_official": 1,
            "grid_worker": 1,
        }
    )
    role = weighted(rng, weights)
    roles = {role, *(["shop_owner"] if store and rng.random() < 0.4 else [])}  # often runs the host shop too
    roles |= {"grid_worker"} if role == "village_cadre" and rng.random() < 0.3 else set()
    # Birth years per role: everyone is 20–58 at the end of 2021; women civil servants retire at 55.
    years = {
        "village_cadre": (1966, 1990),
        "grid_worker": (1975, 1997),
        "returning_youth": (1985, 2000),
        "college_village_official": (1990, 1998),
        "left_behind_woman": (1972, 1995),
        "shop_owner": (1968, 1996),
        "poor_household": (1968, 1995),
        "retired_civil_servant": (1964, 1965),
    }
    birth = rand_date(rng, date(years[role][0], 1, 1), min(date(years[role][1], 12, 31), date(2000, 6, 30)))
    id_number, place = people.id_number(birth, gender)
    graduate = role in ("college_village_official", "retired_civil_servant")
    education = (
        rng.choice(["大专", "本科"])
        if graduate
        else weighted(rng, {"小学": birth.year < 1975, "初中": 4, "高中": 4, "中专": 3, "大专": 2, "本科": 1})
    )
    home = (
        f"{village['name']}{rng.choice('一二三四五六七八')}组"
        if village
        else "集镇" + rng.choice(["中心街", "新街", "民族路", "团结路"])
    )
    return {
        "name": people.name(gender, township["id"]),
        "gender": gender,
        "birth_date": birth,
        "id_number": id_number,
        "phone": people.phone(),
        "education": education,
        "native_place": place,
        "address": f"云南省德宏州盈江县{township['name']}{home}",
        "roles": [r for r in weights if r in roles],
    }


def make_host(rng: random.Random, township: Doc, village: Doc | None) -> Doc:
    """The outlet the station is built on: type, name, opening date, categories and business."""
    border = TOWNS[township["id"]][2]
    kind = weighted(
        rng,
        {
            "village_store": 25,
            "convenience_store": 20,
            "private_shop": 15,
            "supply_coop": 8,
            "border_station": 12 * border,
            "activity_center": 8,
            "post": 5,
            "express": 5,
            "finance": 4,
        }
        if village
        else {
            "supply_coop": 6,
            "post": 2,
            "express": 1,
            "finance": 1,
            "border_station": 2 * border,
            "convenience_store": 2,
        },
    )
    place = village["name"][:-1] if village else township["name"]
    names = {
        "supply_coop": township["name"] + "供销社" + (f"{place}购销店" if village else ""),
        "village_store": f"{place}农家店",
        "convenience_store": f"{place}便民超市",
        "private_shop": f"{place}{rng.choice(['兴旺', '顺发', '利民', '和兴'])}日杂店",
        "border_station": f"{place}兴边富民服务站",
        "activity_center": f"{place}村民活动中心",
        "post": f"中国邮政{place}" + ("村邮站" if village else "支局"),
        "express": f"{place}快递代办点",
        "finance": f"盈江农村商业银行{place}助农取款点",
    }
    categories = {
        "supply_coop": "农资 日用百货 粮油副食",
        "post": "邮政寄递 报刊 日用百货",
        "express": "快递收发 日用百货",
        "finance": "助农取款 日用百货",
        "activity_center": "便民服务 文体活动",
        "border_station": "日用百货 边贸商品 农资",
    }
    shop = " ".join(rng.sample(words("日用百货 粮油副食 烟酒饮料 农资 五金"), 3))
    cats = words(categories.get(kind, shop))
    turnover = rng.randint(8, 30) * (1 if village else 3) / 10
    business = f"以{cats[0]}为主，月营业额约{turnover:.1f}万元，" + rng.choice(
        ["周边村民日常购物集中于此", "赶街天人流较大", "兼营农产品收购", "已开展快递代收"]
    )
    opened = rand_date(rng, date(1995 if kind == "supply_coop" else 2005, 1, 1), date(2019, 12, 31))
    return {"type": kind, "name": names[kind], "opened": opened, "categories": cats, "business": business}


def make_survey(rng: random.Random, people: People, township: Doc, village: Doc | None) -> Doc:
    """The plan's seven market-survey sections (second rollout step)."""
    tid = township["id"]
    town_km = Decimal(TOWNS[tid][0]).quantize(Decimal("0.1"))  # one decimal, so it is written as a float
    trunk = [
        {"point": "盈江县电子商务公共服务中心", "distance_km": Decimal("0.0")},
        {"point": f"{township['name']}集镇", "distance_km": town_km},
    ]
    if village:
        km = Decimal(rng.randint(20, 250)).scaleb(-1)
        branch = [
            {"point": f"{village['name']}委会", "distance_km": km},
            {
                "point": f"{village['name']}{rng.choice('一二三四五六')}组",
                "distance_km": km + Decimal(rng.randint(5, 40)).scaleb(-1),
            },
        ]
    else:
        branch = [
            {"point": f"{v}委会", "distance_km": Decimal(rng.randint(30, 250)).scaleb(-1)}
            for v in rng.sample([v["name"] for v in township["villages"]], 2)
        ]
    total = rng.randint(1500, 6000) if village else rng.randint(15000, 60000)
    households = total * 10 // rng.randint(38, 45)
    poor = households * (rng.randint(12, 25) if village and village["poverty"] else rng.randint(3, 8)) // 100
    # 第一书记 are sent to poverty villages; a township survey covers several villages.
    secretary = (
        "辖区贫困村均已派驻"
        if village is None
        else people.name(rng.choice(["male", "female"]), tid)
        if village["poverty"]
        else "未派驻"
    )
    groups = {"留守老人": (10, 22), "留守儿童": (6, 15), "外出务工": (15, 35), "青壮年劳动力": (25, 45)}
    express = [
        {
            "company": company,
            "contact": people.name(rng.choice(["male", "female"]), tid),
            "phone": people.phone(),
            "monthly_parcels": rng.randint(3, 60) * 10,
            "fee_per_order": money(rng.choice([600, 800, 1000, 1200])),
            "delivery_days": rng.choice([1, 2, 2, 3, 4]),
            "satisfaction": Decimal(rng.randint(60, 95)).scaleb(-2),
        }
        for company in rng.sample(PARTNERS, rng.randint(2, 3))
    ]
    pick = rng.sample
    return {
        "route": {"trunk": trunk, "branch": branch},
        "industry": pick(TOWNS[tid][3], rng.randint(2, 3)),
        "population": {
            "total": total,
            "households": households,
            "poor_households": poor,
            "first_secretary": secretary,
            "groups": {k: Decimal(rng.randint(*r)).scaleb(-2) for k, r in groups.items()},
        },
        "goods_down": {
            "methods": pick(words("手机网购 到店代购 赶街购买 亲友代买"), 2),
            "channels": pick(words("淘宝 拼多多 京东 抖音 集镇商店"), 3),
            "categories": pick(words("日用百货 服装鞋帽 家用电器 农资 手机数码"), 3),
            "values": pick(words("价格实惠 送货到村 质量可靠 售后方便"), 2),
        },
        "produce_up": {
            "methods": pick(words("商贩上门收购 自行赶街销售 合作社统一收购 网上销售"), 2),
            "channels": pick(words("农贸市场 收购商 微信朋友圈 盈江优选"), 2),
            "income": f"2019年户均农产品销售收入约{rng.randint(6, 25) / 10:.1f}万元",
            "needs": rng.choice(words("需要分级包装和品牌设计支持 需要冷链运输和产地预冷 需要稳定的线上销售渠道")),
        },
        "express": express,
        "demand": {
            "training": pick(words("网店开设 直播带货 农产品包装 手机摄影 网上代购操作"), 2),
            "services": pick(words("快递进村 代缴水电费 小额取现 车票代购 农资配送"), 2),
            "other": pick(words("通村道路维护 村组宽带提速 农产品收储点"), 1),
        },
    }


def make_training(
    rng: random.Random, phases: list[Doc], signed: date, skip: float, modes: bool, open_by: date | None
) -> list[Doc]:
    """Modules attended after signing: the central session if possible, else a one-to-one/online catch-up.

    With `open_by` (the day the station is due to open) no phase-1 module is skipped and each is taken
    before that day where the phase's window allows: 三（六）6.3, the basic skills come before serving
    villagers. With `modes`, retry until at least three records exist and make all three modes occur,
    because a done training step needs a date for each mode as evidence.
    """
    while True:
        records = []
        for phase in phases:
            basic = open_by is not None and phase is phases[0]
            for module in phase["modules"]:
                session = SESSIONS[module["id"]]
                if rng.random() < skip and not basic:
                    continue  # missed this module
                deadline = min(open_by - days(1), phase["to"]) if basic and open_by else phase["to"]
                lo = max(signed, phase["from"])
                if session >= signed and (not basic or session <= deadline) and rng.random() < 0.8:
                    when, mode = session, "centralized"
                elif lo <= phase["to"]:
                    hi = deadline if lo <= deadline else phase["to"]
                    when, mode = rand_date(rng, lo, hi), rng.choice(MODES[1:] + MODES[1:2])
                else:
                    continue  # signed after the phase ended: nothing left to catch up on
                records.append(
                    {
                        "date": when,
                        "phase": phase["phase"],
                        "module": module["id"],
                        "minutes": module["minutes"],
                        "mode": mode,
                    }
                )
        if not modes or len(records) >= 3:
            break
        skip = 0.0
    for mode in MODES if modes else ():
        if not any(r["mode"] == mode for r in records):  # the most common mode has >= 2 records to spare
            donor = max(MODES, key=lambda m: sum(r["mode"] == m for r in records))
            rng.choice([r for r in records if r["mode"] == donor])["mode"] = mode
    return sorted(records, key=lambda r: (r["date"], r["module"]))


def make_station(
    rng: random.Random, people: People, phases: list[Doc], township: Doc, village: Doc | None, state: str
) -> Doc:
    """One station file: identity, host, site, stationmaster, agreement, services, fees and rollout."""
    tid, tname = township["id"], township["name"]
    st: Doc = {
        "id": f"{tid}-{PINYIN[village['name'][:-1]]}" if village else f"{tid}-town",
        "name": f"{tname}{village['name'] if village else ''}电子商务服务站",
        "level": "village" if village else "township",
        "township": tid,
    }
    if village:
        st.update(village=village["name"], village_code=Quoted(village["code"]), poverty_village=village["poverty"])
    st["host"] = make_host(rng, township, village)
    spot = (
        f"集镇{rng.choice(['中心街', '新街', '供销大院'])}{rng.randint(1, 80)}号"
        if village is None
        else f"{village['name']}委会" + rng.choice(["旁", "对面"])
        if rng.random() < 0.6
        else village["name"] + rng.choice(["主路边", "小学旁", "篮球场边", "集市口"])
    )
    area = rng.randint(20, 30) if village else rng.randint(25, 30)  # plan 三（四）: 20–30 m² for 镇村级 stations
    st["site"] = {
        "address": f"盈江县{tname}{spot}",
        "area_m2": area,
        "broadband": True,
        "square_in_front": rng.random() < 0.55,
    }
    partner = (
        "中国邮政"
        if village is None and rng.random() < 0.6
        else weighted(rng, dict(zip(PARTNERS, [4, 2, 1.5, 1, 1.5], strict=True)))
    )
    st["logistics_point"] = {"partner": partner, "co_built": True}
    st["stationmaster"] = make_stationmaster(rng, people, township, village, st["host"]["type"])
    odds = {"finance": 0.65, "agri_inputs": 0.55, "entrepreneurship": 0.2, "value_added": 0.3}
    st["services"] = [
        s
        for s in SERVICES
        if village is None or s not in odds or rng.random() < odds[s] or (s == "value_added" and state == "upgrade")
    ]  # 叠加服务 are value-added services
    st["rollout"], training = make_rollout(rng, people, phases, st, township, village, state)
    fitted = "done" in st["rollout"]["fit_out"]
    st["fees"] = {"notice_posted": fitted}
    if fitted:  # the posted schedule (收费标准), every amount within the red lines
        st["fees"].update(
            express_per_order=money(rng.choice([100, 150, 150, 200, 200])),
            purchase_agency_rate=Decimal(rng.choice(["0.005", "0.008", "0.01", "0.01"])),
            topup_per_order=money(rng.choice([0, 50, 50, 100])),
            ticketing_per_order=money(rng.choice([200, 300, 500])),
        )
        if "finance" in st["services"]:
            st["fees"]["cash_per_order"] = money(rng.choice([0, 0, 50, 100]))
        st["fees"]["convenience_per_order"] = money(0)
        if "value_added" in st["services"]:  # 一（八）增值服务：收费标准应在服务场所明显位置张贴
            added = st["rollout"]["upgrade"].get("added_services") or rng.sample(BASIC_VALUE_ADDED, rng.randint(1, 2))
            st["fees"]["value_added"] = [{"service": name, **VALUE_ADDED[name]} for name in added]
    st.update({"training": training} if training else {})
    note = NOTES.get(state)
    if note is None and "poor_household" in st["stationmaster"]["roles"]:
        note = "站长为建档立卡户，享受创业扶持政策。"
    st.update({"notes": note} if note else {})
    return st


def make_rollout(
    rng: random.Random, people: People, phases: list[Doc], st: Doc, township: Doc, village: Doc | None, state: str
) -> tuple[Doc, list[Doc]]:
    """The eight rollout steps up to `state`, each dated after the previous one, plus training records.

    Also fills in the stationmaster's application and the agreement (numbered later), since their dates
    interlock with the steps.
    """
    (reached, sign_from, sign_to), rollout = STATES[state], {k: {} for k in STEPS}
    layout = rand_date(rng, date(2020, 6, 1), date(2020, 6, 30 if village else 12))
    surveyed = rand_date(rng, max(layout + days(20), date(2020, 7, 1)), date(2020, 9, 30))
    if reached == 0:  # on the map, nothing filed yet: the layout step is open, its evidence in place
        return rollout, []
    rollout["layout"] = {"done": layout}
    survey = make_survey(rng, people, township, village)
    if reached == 1:  # surveying: two of the seven sections are in, the rest are still being collected
        rollout["market_survey"] = {"survey": {k: survey[k] for k in ("route", "industry")}}
        return rollout, []
    rollout["market_survey"] = {"done": surveyed, "survey": survey}
    submitted = surveyed + days(rng.randint(3, 25))
    approved = submitted + days(rng.randint(5, 18))
    # The centre checks the credit record (三（二）1.2) while it reviews the application.
    st["stationmaster"]["good_credit"] = True
    st["stationmaster"]["credit_checked"] = submitted + days(rng.randint(1, (approved - submitted).days))
    st["stationmaster"]["application"] = {
        "submitted": submitted,
        "village_committee_endorsed": True,
        "approved": approved,
    }
    if state == "stalled":  # the company filed the confirmation, the bureau never did
        rollout["confirmation"] = {"company_archived": rand_date(rng, date(2020, 10, 10), date(2021, 1, 31))}
    if reached < 3:
        return rollout, []
    # Stations stuck waiting for an agreement were confirmed late (early 2021) and have not moved since.
    company = (
        rand_date(rng, date(2021, 1, 5), date(2021, 4, 15))
        if state == "confirmed"
        else surveyed + days(rng.randint(5, 25))
    )
    bureau = company + days(rng.randint(0, 8))
    confirmed = bureau + days(rng.randint(0, 2))
    rollout["confirmation"] = {"done": confirmed, "company_archived": company, "bureau_archived": bureau}
    if reached < 4:
        return rollout, []
    if village is None and reached >= 7:
        sign_to = "2020-11-30"  # the township stations led the way
    signed = max(
        rand_date(rng, date.fromisoformat(sign_from), date.fromisoformat(sign_to)),
        confirmed + days(3),
        approved + days(2),
    )
    start = next_month(signed)
    st["agreement"] = {
        "number": "",
        "signed": signed,
        "start": start,
        "end": term_end(start, 3),
        "deposit": money(100000 if village is None or rng.random() < 0.3 else 50000),
    }
    rollout["agreement"] = {"done": signed}
    skip = {"upgrade": 0.04, "operating": 0.06, "trained": 0.08}.get(state, 0.3)
    planned = min(
        max(
            signed + days(rng.randint(14, 70 if state == "fitted" else 50)),
            rand_date(rng, date(2020, 12, 8), date(2020, 12, 28)),  # phase 1 starts 2020-12-01
        ),
        date(2021, 8, 31),
    )
    training = make_training(rng, phases, signed, skip, modes=reached >= 6, open_by=planned if reached >= 5 else None)
    if reached < 5:
        if rng.random() < 0.67:
            rollout["fit_out"] = {"signage": True, "equipment": True}  # half-way: no network yet
        return rollout, training
    # A station opens once its stationmaster has the phase-1 skills (三（六）6.3), never before.
    basics = [r["date"] for r in training if r["phase"] == phases[0]["phase"]]
    fitted = max(planned, max(basics) + days(rng.randint(1, 5)))
    rollout["fit_out"] = {
        "done": fitted,
        "signage": True,
        "equipment": True,
        "network": True,
        "materials_signed": True,
        "deposit_collected": True,
    }
    centralized = [r["date"] for r in training if r["mode"] == "centralized"]
    if reached < 6:
        if centralized and rng.random() < 0.5:
            rollout["training"] = {"centralized": centralized[0]}  # evidence so far, step not done
        return rollout, training
    trained = max(training[-1]["date"], fitted) + days(rng.randint(1, 10))
    minutes = sum(r["minutes"] for r in training)
    rollout["training"] = {
        "done": trained,
        **{m: min(r["date"] for r in training if r["mode"] == m) for m in MODES},
        "indicators": [
            {"name": "培训学时（分钟）", "target": 400, "actual": minutes},
            {"name": "独立完成网上代购（单）", "target": 5, "actual": rng.randint(4, 12)},
            {"name": "独立完成快递录单（单）", "target": 20, "actual": rng.randint(18, 40)},
        ],
        "feedback": rng.choice(
            words(
                "站长已掌握代购、代卖和快递收发操作，后续跟踪农产品上行 "
                "代购操作熟练，农产品上架仍需点对点辅导 "
                "培训效果良好，已能独立开展网上代购和生活缴费"
            )
        ),
    }
    channel = f"{village['name'] if village else township['name']}电商服务站微信群"
    if reached < 7:
        if rng.random() < 0.6:
            rollout["maintenance"] = {"channel": channel, "feedback_book": True}
        return rollout, training
    kept = trained + days(rng.randint(10, 45))
    rollout["maintenance"] = {
        "done": kept,
        "channel": channel,
        "feedback_book": True,
        "online_book": True,
        "onsite_book": True,
        "summary_book": True,
    }
    if reached == 8:
        added = words("小站大集活动 农产品直播带货 农资网上订购配送 冷链代收代发 就诊预约 证件扫描打印")
        rollout["upgrade"] = {
            "done": min(kept + days(rng.randint(30, 150)), date(2021, 12, 15)),
            "added_services": rng.sample(added, rng.randint(1, 3)),
        }
    return rollout, training


def number_agreements(rng: random.Random, stations: list[Doc]) -> None:
    """Number agreements per year in signing order and give each a renewal five years past its end."""
    agreements = [s["agreement"] for s in stations if "agreement" in s]
    for agreement in agreements:
        agreement["renewals"] = [
            {
                "number": "",
                "signed": agreement["end"] - days(rng.randint(25, 40)),
                "end": term_end(agreement["start"], 8),
            }
        ]
    for items in (agreements, [a["renewals"][0] for a in agreements]):
        counters: dict[int, int] = {}
        for item in sorted(items, key=lambda x: (x["signed"], x["end"])):
            year = item["signed"].year
            counters[year] = counters.get(year, 0) + 1
            item["number"] = f"YJ-{year}-{counters[year]:03d}"


def make_operations(rng: random.Random, st: Doc, month: str, profile: dict[str, float]) -> Doc:
    """One month of plausible figures that respect every fee red line exactly (Decimal, never float)."""
    first, last = month_bounds(month)
    opened, fees, m = st["rollout"]["fit_out"]["done"], st["fees"], first.month - 1
    age = (first.year - opened.year) * 12 + first.month - opened.month
    # Volumes ramp up over the first months; the opening month only counts the days open.
    ramp = min(1.0, 0.6 + 0.1 * age) * (1.0 if age else max(0.3, ((last - opened).days + 1) / last.day))

    def count(key: str, season: float = 1.0) -> int:
        return max(0, round(profile[key] * season * ramp * rng.uniform(0.88, 1.12)))

    def per_order(key: str, orders: int) -> Doc:  # the posted fee, a few orders waived (五保户、退件)
        price = fees[f"{key}_per_order"]
        record = {"orders": orders, "fees": ((orders - rng.randint(0, orders // 25)) * price).quantize(CENT)}
        return record | ({"max_fee": price} if rng.random() < 0.25 else {})

    keys = [k for s in st["services"] for k in OPS_KEYS.get(s, [])]
    lo, hi = (80, 500) if st["level"] == "village" else (160, 2000)
    services = {"express": per_order("express", min(max(count("express", EXPRESS_SEASON[m]), lo), hi))}
    if "purchase_agency" in keys:
        n = count("agency", EXPRESS_SEASON[m])
        amount = money(n * rng.randint(6000, 26000) + rng.randint(0, 99) * (n > 0))
        charge = (amount * fees["purchase_agency_rate"]).quantize(CENT, ROUND_DOWN)  # down: never over 1%
        services["purchase_agency"] = {"orders": n, "amount": amount, "fees": charge}
    if "consignment" in keys:
        n = count("consign", PRODUCE_SEASON[m])
        sales = money(n * rng.randint(4000, 30000) + rng.randint(0, 99) * (n > 0))
        services["consignment"] = {
            "orders": n,
            "sales": sales,
            "rebate": (sales * REBATE).quantize(CENT, ROUND_HALF_UP),
        }
    if "topup" in keys:
        services["topup"] = per_order("topup", count("topup"))
    if "ticketing" in keys:
        services["ticketing"] = per_order("ticketing", count("ticket", TICKET_SEASON[m]))
    if "cash" in keys:
        cash = per_order("cash", count("cash"))
        services["cash"] = {"amount": money(cash["orders"] * rng.randint(20000, 150000))} | cash
    if "convenience" in keys:
        services["convenience"] = {"orders": count("convenience"), "fees": money(0)}

    def day() -> date:  # nothing happens at a station before it opens
        return rand_date(rng, max(first, opened), last)

    online = [
        {"date": day(), "issue": issue, "resolution": fix}
        for issue, fix in rng.sample(ONLINE_ISSUES, rng.choice([0, 0, 1, 1, 2, 3]))
    ]
    onsite = [
        {"date": day(), "by": rng.choice(STAFF), "notes": note}
        for note in rng.sample(ONSITE_NOTES, rng.choice([0, 1, 1, 2]))
    ]
    feedback = []
    for issue in rng.sample(FEEDBACK, rng.choice([0, 0, 1, 1, 2])):
        item = {"date": day(), "issue": issue, "status": "open"}
        if rng.random() >= {12: 0.3, 11: 0.08, 10: 0.04}.get(first.month, 0.0):  # only recent ones stay open
            item.update(status="closed", closed=min(item["date"] + days(rng.randint(0, 10)), CUTOFF))
        feedback.append(item)
    online, onsite, feedback = (sorted(x, key=lambda r: r["date"]) for x in (online, onsite, feedback))
    return {
        "station": st["id"],
        "month": Quoted(month),
        "services": services,
        "deposits_from_villagers": money(0),
        "maintenance": {"online": online, "onsite": onsite},
        "feedback": feedback,
    }


def flow_width(value: Any) -> int:
    """Approximate display width of `value` in flow style (CJK characters count double)."""
    if isinstance(value, dict):
        return 2 + sum(flow_width(k) + 2 + flow_width(v) + 2 for k, v in value.items())
    if isinstance(value, list):
        return 2 + sum(flow_width(v) + 2 for v in value)
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text) + 2 * isinstance(value, Quoted)


def shape(value: Any, schema: Doc, column: int = 0, root: Doc | None = None) -> Any:
    """Order mapping keys as the schema lists its properties; use flow style for short leaf maps/lists."""
    root = schema if root is None else root
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):  # a definition shared by several places
        schema = {**root.get("$defs", {}).get(ref.rsplit("/", 1)[1], {}), **schema}
    if isinstance(value, dict):
        props = schema.get("properties", {})
        order = list(props)
        node: Any = CommentedMap()
        for key in sorted(value, key=lambda k: order.index(k) if k in order else len(order)):
            sub = props.get(key, schema.get("additionalProperties"))
            node[key] = shape(value[key], sub if isinstance(sub, dict) else {}, column + 2, root)
        children = list(value.values())
    elif isinstance(value, list):
        node, children = CommentedSeq(shape(v, schema.get("items", {}), column + 4, root) for v in value), value
    else:
        return value
    leaf = not any(isinstance(v, dict | list) for v in children)
    if column > 0 and leaf and column + flow_width(value) <= FLOW_WIDTH:
        node.fa.set_flow_style()
    else:
        node.fa.set_block_style()
    return node


def make_yaml() -> YAML:
    """A round-trip dumper: two-space indentation, no line wrapping, no anchors, Decimal as plain numbers."""
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.representer.ignore_aliases = lambda _data: True  # shared date objects must not become &anchors
    # A Decimal is written as its exact text, plain, tagged float; every Decimal here has a decimal point.
    yaml.representer.add_representer(
        Decimal, lambda rep, value: rep.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))
    )
    return yaml


def write(yaml: YAML, path: Path, header: str, data: Doc, schema: Doc) -> None:
    """Write one data file: a Chinese comment line, then the schema-ordered document (UTF-8, LF)."""
    buf = io.StringIO()
    yaml.dump(shape(data, schema), buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(f"# {header}\n{buf.getvalue()}".encode())


def dec(value: Any) -> Decimal:
    """A loaded number as Decimal (a float's repr is the shortest text that reads back the same)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def dates_in(value: Any, path: str = "") -> list[tuple[str, date]]:
    """Every date in a loaded document with its dotted path."""
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in dates_in(v, f"{path}.{k}".lstrip("."))]
    if isinstance(value, list):
        return [x for i, v in enumerate(value) for x in dates_in(v, f"{path}[{i}]")]
    return [(path, value)] if isinstance(value, date) else []


def age(birth: date, on: date) -> int:
    """Completed years of age on a date."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def check_station(st: Doc, county: Doc, policy: Doc) -> list[str]:
    """Rule findings for one loaded station file (empty when it is fine)."""
    errors: list[str] = []

    def need(ok: bool, message: str) -> None:
        errors.extend([] if ok else [f"{st['id']}: {message}"])

    master, agreement, rollout = st["stationmaster"], st.get("agreement"), st["rollout"]
    app, number, birth = master.get("application"), master["id_number"], master["birth_date"]
    town = next(t for t in county["townships"] if t["id"] == st["township"])
    flags = {(v["name"], v["code"]): v["poverty"] for v in town["villages"] if v["kind"] == "village_committee"}
    if st["level"] == "village":
        key = (st.get("village"), st.get("village_code"))
        need(key in flags and st["poverty_village"] == flags[key], "village, code or poverty flag")
    else:
        need("village" not in st and not st.get("poverty_village"), "township station names a village")
    need(ric.is_valid(number) and ric.get_birth_date(number) == birth, "ID invalid or birth date disagrees")
    need((int(number[16]) % 2 == 1) == (master["gender"] == "male"), "ID and gender disagree")
    need(20 <= age(birth, CUTOFF) <= 58 and (app is None or age(birth, app["submitted"]) >= 18), "stationmaster age")
    need(re.fullmatch(r"1[3-9][0-9]{9}", master["phone"]) is not None, "phone format")
    need(app is None or app["submitted"] <= app["approved"], "application approved before submitted")
    need(
        app is None
        or (master.get("good_credit") is True and app["submitted"] <= master["credit_checked"] <= app["approved"]),
        "credit not checked during the review",
    )
    need(20 <= st["site"]["area_m2"] <= 30, "site area outside 20-30 m2")
    opened = rollout["fit_out"].get("done")
    if opened is not None:  # 三（六）6.3: every phase-1 module attended before the station opens
        basic = {m["id"] for m in policy["phases"][0]["modules"]}
        taken = {r["module"] for r in st.get("training", []) if r["date"] < opened}
        need(basic <= taken, "opened before phase-1 training was complete")
        priced = {v["service"] for v in st["fees"].get("value_added", []) if "price" in v or "rate" in v}
        offered = set(rollout["upgrade"].get("added_services", []))
        need(offered <= priced and ("value_added" not in st["services"] or priced), "value-added service unpriced")
    for path, when in dates_in(st):
        need(when <= CUTOFF or path.startswith(("agreement.end", "agreement.renewals")), f"{path} after 2021")
    previous = date.min
    for i, step in enumerate(policy["steps"]):
        done = rollout.get(step["key"], {}).get("done")
        if done is None:
            later = policy["steps"][i:]
            need(all("done" not in rollout.get(s["key"], {}) for s in later), "step done after a gap")
            break
        need(done >= previous, f"{step['key']} done before the previous step")
        previous = done
        for ev in step["evidence"]:
            value: Any = st
            for part in ev["path"].split("."):
                value = value.get(part) if isinstance(value, dict) else None
            ok = {
                "present": value not in (None, "", [], {}),
                "true": value is True,
                "date": isinstance(value, date) and value <= done,
            }[ev["check"]]
            need(ok, f"{step['key']} lacks evidence {ev['path']}")
    if agreement:
        signed = agreement["signed"]
        need(rollout["agreement"].get("done") == signed and app["approved"] <= signed, "agreement dates")
        need(age(birth, signed) >= 18 and agreement["start"] >= signed, "agreement start or age")
        need(term_end(agreement["start"], 3) == agreement["end"], "agreement term is not three years")
        need(agreement["renewals"][-1]["end"] > date(2028, 6, 1), "agreement ends before 2028-06-01")
    fees, caps = st["fees"], policy["caps"]
    need(fees["notice_posted"] == ("done" in rollout["fit_out"]), "notice_posted disagrees with fit_out")
    limits = {
        f"{k}_per_order": caps[k]["per_order_max"] for k in ("express", "topup", "ticketing", "cash", "convenience")
    }
    limits["purchase_agency_rate"] = caps["purchase_agency"]["rate_max"]
    for key, cap in limits.items():
        need(key not in fees or dec(fees[key]) <= dec(cap), f"posted {key} over the red line")
    modules = {m["id"]: (p, m) for p in policy["phases"] for m in p["modules"]}
    for record in st.get("training", []):
        phase, module = modules[record["module"]]
        need(record["phase"] == phase["phase"] and record["minutes"] == module["minutes"], "training module")
        need(phase["from"] <= record["date"] <= phase["to"], "training outside its phase")
        need(agreement is not None and record["date"] >= agreement["signed"], "training before the agreement")
    return errors


def check_operations(op: Doc, st: Doc, caps: Doc) -> list[str]:
    """Red-line, service and date findings for one loaded operations record."""
    errors: list[str] = []

    def need(ok: bool, message: str) -> None:
        errors.extend([] if ok else [f"{op['station']} {op['month']}: {message}"])

    svc = {k: {f: v if f == "orders" else dec(v) for f, v in r.items()} for k, r in op["services"].items()}
    offered = ["express", *[k for s in st["services"] for k in OPS_KEYS.get(s, [])]]
    need("express" in svc and all(k in offered for k in svc), "services the station does not offer")
    for key in ("express", "topup", "ticketing", "cash", "convenience"):
        cap, rec = dec(caps[key]["per_order_max"]), svc.get(key, {"orders": 0, "fees": 0})
        need(rec["fees"] <= cap * rec["orders"] and rec.get("max_fee", 0) <= cap, f"{key} over the red line")
    if "purchase_agency" in svc:
        rec = svc["purchase_agency"]
        need(rec["fees"] <= rec["amount"] * dec(caps["purchase_agency"]["rate_max"]), "purchase agency fees")
    if "consignment" in svc:
        rec, rate = svc["consignment"], dec(caps["consignment"]["rebate_rate"])
        need(rec["rebate"] == (rec["sales"] * rate).quantize(CENT, ROUND_HALF_UP), "consignment rebate")
    for key, rec in svc.items():
        need(
            rec["orders"] > 0 or all(v == 0 for f, v in rec.items() if f not in ("orders", "max_fee")),
            f"{key} money without orders",
        )
    need(dec(op["deposits_from_villagers"]) == 0, "deposits taken from villagers")
    first, last = month_bounds(op["month"])
    for path, when in dates_in({k: op[k] for k in ("maintenance", "feedback")}):
        need(first <= when <= (CUTOFF if path.endswith(".closed") else last), f"{path} outside the month")
    for item in op["feedback"]:
        need((item["status"] == "closed") == ("closed" in item), "feedback status and closed date disagree")
        need(item.get("closed", item["date"]) >= item["date"], "feedback closed before it was reported")
    return errors


def validate(county: Doc, policy: Doc, schemas: dict[str, Doc]) -> dict[str, int]:
    """Re-read every file written; check schemas and cross-file rules; return operating stations per month."""
    loader, errors = YAML(typ="safe"), []
    checkers = {k: Draft202012Validator(v, format_checker=FormatChecker()) for k, v in schemas.items()}

    def load(path: Path, kind: str) -> Doc:
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw or not raw.endswith(b"\n"):
            errors.append(f"{path}: BOM, CR or missing final newline")
        doc: Doc = loader.load(raw.decode("utf-8"))
        as_json = json.loads(json.dumps(doc, default=str))  # dates become ISO strings, as the schemas expect
        errors.extend(
            f"{path.relative_to(ROOT)}: {e.json_path}: {e.message}" for e in checkers[kind].iter_errors(as_json)
        )
        return doc

    stations = {p.stem: load(p, "station") for p in sorted((DATA / "stations").glob("*.yaml"))}
    for stem, st in stations.items():
        errors.extend([f"{stem}: id differs from the file name"] if st["id"] != stem else [])
        errors.extend(check_station(st, county, policy))
    levels, targets = [s["level"] for s in stations.values()], county["targets"]
    if [levels.count("township"), levels.count("village")] != [
        targets["township_stations"],
        targets["village_stations"],
    ]:
        errors.append(f"{levels.count('township')} township and {levels.count('village')} village stations")
    if sorted(s["township"] for s in stations.values() if s["level"] == "township") != sorted(
        t["id"] for t in county["townships"]
    ):
        errors.append("not exactly one township station per township")
    unique = {
        "village": [(s["township"], s.get("village")) for s in stations.values() if "village" in s],
        "name": [s["name"] for s in stations.values()],
        "id_number": [s["stationmaster"]["id_number"] for s in stations.values()],
        "phone": [s["stationmaster"]["phone"] for s in stations.values()],
        "agreement number": [
            a["number"]
            for s in stations.values()
            if "agreement" in s
            for a in [s["agreement"], *s["agreement"]["renewals"]]
        ],
    }
    errors.extend(f"duplicate {what}" for what, values in unique.items() if len(values) != len(set(values)))
    expected, per_month = set(), {}
    for month in MONTHS:  # a station operates in a month when its fit-out was done by the month's end
        running = [
            sid
            for sid, s in stations.items()
            if s["rollout"]["fit_out"].get("done", date.max) <= month_bounds(month)[1]
        ]
        expected |= {(month, sid) for sid in running}
        per_month[month] = len(running)
    found = set()
    for path in sorted(p for p in (DATA / "operations").rglob("*") if p.is_file()):
        month, sid = path.parent.name, path.stem
        found.add((month, sid))
        if path.suffix == ".yaml" and sid in stations:
            op = load(path, "operations")
            errors.extend(
                [f"{path}: station/month differ from the path"]
                if (op["station"], op["month"]) != (sid, month)
                else check_operations(op, stations[sid], policy["caps"])
            )
    if found != expected:
        errors.append(f"operations: {len(found - expected)} unexpected, {len(expected - found)} missing")
    for path in sorted((DATA / "events").glob("*.yaml")):
        event = load(path, "event")
        named = [*event.get("stations", []), *(x["station"] for x in event.get("selected", []))]
        errors.extend(f"{path.name}: unknown station {sid}" for sid in named if sid not in stations)
        errors.extend([f"{path.name}: id differs from the file name"] if event["id"] != path.stem else [])
    if errors:
        sys.exit("generate_sample_data: the generated data is wrong:\n  " + "\n  ".join(errors[:50]))
    return per_month


def main() -> None:
    """Generate the county file, stations, operations and events, replace the old sample with them, and
    validate the result."""
    rng, safe = random.Random(SEED), YAML(typ="safe")

    def read(name: str) -> Any:
        return safe.load((DATA / name).read_text(encoding="utf-8"))

    county = build_county(read_register())
    (DATA / "county.yaml").write_bytes(county_text(county).encode())
    policy = {
        "steps": read("policy/rollout.yaml")["steps"],
        "phases": read("policy/training.yaml")["phases"],
        "caps": read("policy/fees.yaml")["schedules"][0]["caps"],
    }
    schemas = {
        k: json.loads((DATA / "schemas" / f"{k}.schema.json").read_text(encoding="utf-8"))
        for k in ("station", "operations", "event")
    }
    if (
        sorted(SESSIONS) != sorted(m["id"] for p in policy["phases"] for m in p["modules"])
        or [s["key"] for s in policy["steps"]] != STEPS
    ):
        sys.exit("generate_sample_data: data/policy changed; update SESSIONS/STEPS in this script")

    people, townships = People(rng), county["townships"]
    chosen = pick_villages(rng, townships, county["targets"]["village_stations"])
    town_states = rng.sample(TOWNSHIP_STATES, len(TOWNSHIP_STATES))
    village_states = rng.sample(VILLAGE_STATES, len(VILLAGE_STATES))
    stations = []
    for township in townships:
        stations.append(make_station(rng, people, policy["phases"], township, None, town_states.pop()))
        stations.extend(
            make_station(rng, people, policy["phases"], township, village, village_states.pop())
            for village in chosen[township["id"]]
        )
    number_agreements(rng, stations)

    # Start from a clean slate so the output is exactly what this run generates.
    for old in sorted((DATA / "stations").glob("*.yaml")):
        old.unlink()
    ops_dir = DATA / "operations"
    ops_dir.mkdir(exist_ok=True)
    for child in sorted(ops_dir.iterdir()):
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    (DATA / "events").mkdir(exist_ok=True)
    for old in sorted((DATA / "events").glob("*.yaml")):
        old.unlink()

    yaml = make_yaml()
    written: dict[tuple[str, str], Doc] = {}
    for st in stations:
        level = "乡镇级" if st["level"] == "township" else "村级"
        write(yaml, DATA / "stations" / f"{st['id']}.yaml", f"{st['name']}（{level}）", st, schemas["station"])
        if "done" not in st["rollout"]["fit_out"]:
            continue
        scale = 1.0 if st["level"] == "village" else rng.uniform(2.0, 4.0)  # township stations do 2–4× more
        profile = {
            k: rng.uniform(lo, hi) * scale
            for k, (lo, hi) in {
                "express": (90, 340),
                "agency": (10, 50),
                "consign": (3, 30),
                "topup": (20, 150),
                "ticket": (1, 10),
                "cash": (10, 90),
                "convenience": (5, 40),
            }.items()
        }
        for month in MONTHS:
            if st["rollout"]["fit_out"]["done"] <= month_bounds(month)[1]:
                title = f"{st['name']} {month[:4]}年{int(month[5:])}月运营记录"
                record = make_operations(rng, st, month, profile)
                write(yaml, ops_dir / month / f"{st['id']}.yaml", title, record, schemas["operations"])
                written[(month, st["id"])] = record
    for event in make_events(rng, stations, written, read("policy/assessment.yaml")["targets"]):
        write(yaml, DATA / "events" / f"{event['id']}.yaml", event["name"], event, schemas["event"])

    per_month = validate(county, policy, schemas)
    current: dict[str, int] = {}
    for st in stations:
        step = next((k for k in STEPS if "done" not in st["rollout"][k]), "complete")
        current[step] = current.get(step, 0) + 1
    print(f"wrote {len(stations)} station files and {sum(per_month.values())} operations records")
    print("stations by current (first not done) step:", ", ".join(f"{k} {v}" for k, v in current.items()))
    print("operating stations per month:", ", ".join(f"{m}: {n}" for m, n in per_month.items()))


if __name__ == "__main__":
    main()
