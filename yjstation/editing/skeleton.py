"""A new county data repository (`yjstation init`).

It starts from what this project ships: the JSON Schemas, the plan's policy defaults (the bundled
county's, for the new county to edit to its own plan), an empty waivers list and every template; then a
county.yaml naming the county and its operator, an empty stations folder, a short Chinese README and a
pre-commit configuration running this project's hooks. The result validates at once, so a county's first
commit is a clean one. The repository is assembled in a temporary folder beside the target and renamed
into place, so a failure never leaves half a repository behind.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from yjstation.foundation.atomic import TEMPORARY_GLOB
from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import tr
from yjstation.loading import roundtrip

PACKAGED = "_skeleton"  # where the wheel carries the shipped files (pyproject.toml maps them there)
SHIPPED = {  # folder -> which of its files a new repository gets (the wheel's package-data patterns)
    "data/schemas": ("*.schema.json",),
    "data/policy": ("*.yaml",),
    "templates": ("*.j2", "reference.docx"),
}
# This project's hooks (.pre-commit-hooks.yaml), run with the installed yjstation; tests keep them equal.
HOOKS = (
    ("yjstation-fmt", "yjstation fmt", "yjstation fmt"),
    ("yjstation-validate", "yjstation validate", "yjstation validate"),
)
HOOK_FILES = r"^data/.*\.ya?ml$"
_DIVISION = re.compile(r"[0-9]{6}")


def bundled() -> Traversable:
    """The shipped files. An installed wheel has them under yjstation/_skeleton/; a source checkout (and
    so an editable install, whose finder does not reach data-only packages mapped from elsewhere) has
    them where they live, at the repository's root."""
    packaged = resources.files("yjstation").joinpath(PACKAGED)
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "data" / "schemas").is_dir() and (checkout / "templates").is_dir():
        return checkout
    raise CannotRun(
        tr(
            "安装的 yjstation 缺少数据结构和模板文件（yjstation/_skeleton）；请重新安装 yjstation",
            "the installed yjstation lacks its schemas and templates (yjstation/_skeleton); reinstall yjstation",
        )
    )


def init_repository(target: Path, county: str, division_code: str, operator: str | None, today: date) -> list[str]:
    """Create the repository at `target` (absent or an empty folder) and return its files, relative."""
    county = county.strip()
    if not county:
        raise CannotRun(tr("县名不能为空（--county）", "the county name must not be empty (--county)"))
    if _DIVISION.fullmatch(division_code) is None:
        raise CannotRun(
            tr(
                "行政区划代码应为 6 位数字，如 533123；“{code}”不是（--division-code）",
                'the division code is 6 digits, e.g. 533123; "{code}" is not (--division-code)',
                code=division_code,
            )
        )
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CannotRun(
            tr(
                "{target} 已存在且不是空目录；请指定一个新目录或空目录",
                "{target} exists and is not an empty folder; give a new or empty folder",
                target=target,
            )
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        _fill(building, county, division_code, operator or f"{county}电子商务公共服务中心", today)
        os.chmod(building, 0o755)
        os.replace(building, target)  # POSIX rename replaces an empty directory
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())


def _fill(root: Path, county: str, code: str, operator: str, today: date) -> None:
    source = bundled()
    for folder, patterns in SHIPPED.items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        for item in sorted(_child(source, folder).iterdir(), key=lambda t: t.name):
            if item.is_file() and any(Path(item.name).match(p) for p in patterns):
                (root / folder / item.name).write_bytes(item.read_bytes())
    for policy in sorted((root / "data/policy").glob("*.yaml")):
        _adopt_policy(policy, operator)
    waivers = roundtrip.load(_child(source, "data/waivers.yaml").read_text(encoding="utf-8"))
    waivers["waivers"] = _flow(CommentedSeq())  # the county's own exceptions start empty
    _write(root / "data/waivers.yaml", roundtrip.dump(waivers))
    _write(root / "data/county.yaml", county_text(county, code, operator, today))
    (root / "data/stations").mkdir()
    (root / "data/stations/.gitkeep").write_bytes(b"")
    _write(root / "README.md", readme(county))
    _write(root / ".pre-commit-config.yaml", precommit_config())
    _write(
        root / ".gitignore",
        "# 导出的花名册、生成的协议和报表：可能含个人信息，不提交\n/out/\n"
        f"# 编辑被中断时留下的临时文件：含完整的身份证号码，不提交（yjstation validate 会报告）\n{TEMPORARY_GLOB}\n"
        "# yjstation validate 的缓存\n.yjstation-cache/\n",
    )


def _adopt_policy(path: Path, operator: str) -> None:
    """The bundled county's policy, marked as defaults to edit; the training venue becomes the new
    county's operator."""
    document = roundtrip.load(path.read_text(encoding="utf-8"))
    if isinstance(document, CommentedMap) and "venue" in document:
        document["venue"] = operator
    text = roundtrip.dump(document)
    _write(path, "# 由 yjstation init 复制的默认值（取自示范方案），请按本县方案修改后提交。\n" + text)


def county_text(county: str, code: str, operator: str, today: date) -> str:
    document = CommentedMap()
    document["county"] = CommentedMap([("name", county), ("division_code", DoubleQuotedScalarString(code))])
    document["operator"] = CommentedMap([("name", operator)])
    document["targets"] = CommentedMap([("township_stations", 0), ("village_stations", 0)])
    document["townships"] = _flow(CommentedSeq())
    document.yaml_set_start_comment(
        f"{county}农村电子商务服务站网络：县情、甲方与建设目标（{today.isoformat()} 由 yjstation init 创建）。\n"
        "先补全甲方信息（地址、代表人、电话、投诉电话、主管部门）、建设目标和乡镇名单，再运行 yjstation validate。"
    )
    document.yaml_set_comment_before_after_key(
        "townships",
        before="乡镇：每个乡镇一项，编号用小写拼音（站点文件的 township 写这个编号），并按统计用区划代码\n"
        "列出村民委员会和居民委员会（名称、全称、12 位代码），例如：\n"
        "  - id: pingyuan\n"
        "    name: 平原镇\n"
        "    kind: town            # town 镇、township 乡、ethnic_township 民族乡\n"
        '    code: "533123101"     # 9 位乡镇统计代码\n'
        "    villages:\n"
        '      - {name: 勐盏村, full_name: 勐盏村民委员会, code: "533123101202", kind: village_committee, poverty: false}\n'
        "        # kind：village_committee 村民委员会（行政村）、residents_committee 居民委员会（社区）；poverty：建档立卡贫困村",
    )
    return str(roundtrip.dump(document))


def readme(county: str) -> str:
    return f"""# {county}农村电子商务服务站数据

{county}电子商务服务站的站点档案和月度运营记录：每个站点一个 YAML 文件，每个站点每月一个运营记录，
用 git 管理，用 yjstation 检查和生成协议、报表。

## 目录

- `data/county.yaml`：县情、甲方、建设目标、乡镇和行政村名单（先填写这里）
- `data/policy/`：资费红线、八个建设步骤及材料、培训计划、考核办法（复制来的默认值，按本县方案修改）
- `data/stations/<站点编号>.yaml`：每个站点一个文件
- `data/operations/<YYYY-MM>/<站点编号>.yaml`：每个站点每月的运营记录
- `data/waivers.yaml`：经批准的例外（豁免清单）
- `data/schemas/`：数据结构（JSON Schema），随 yjstation 更新，不要手工修改
- `templates/`：协议、登记表、收费标准和报表的模板
- `out/`：生成的文件（不提交）

## 常用命令

```sh
yjstation validate                          # 校验全部数据；有错误时退出码为 1
yjstation station new                       # 新建站点文件（逐项询问）
yjstation station set 站点编号 字段=值       # 修改字段，校验通过才写入
yjstation checklist                         # 八步建设清单
yjstation fees                              # 资费红线检查
yjstation report monthly 2021-03            # 月度运营分析
yjstation export roster                     # 导出站点花名册（Excel）
yjstation import roster 花名册.xlsx          # 预览花名册中的修改，加 --apply 写入
yjstation fmt                               # 统一文件格式
```

## 开始

```sh
git init && git add . && git commit -m "{county}服务站数据仓库"
pip install pre-commit && pre-commit install   # 每次提交前自动格式化和校验
```
"""


def precommit_config() -> str:
    hooks = "".join(
        f"      - id: {hook}\n"
        f"        name: {name}\n"
        f"        entry: {entry}\n"
        "        language: system\n"
        f"        files: {HOOK_FILES}\n"
        "        require_serial: true\n"
        for hook, name, entry in HOOKS
    )
    return (
        "# pre-commit（https://pre-commit.com）：每次 git commit 前规范格式并校验改动的数据文件。\n"
        "# 启用：pip install pre-commit && pre-commit install\n"
        "# 钩子与 yjstation 项目的 .pre-commit-hooks.yaml 相同，用本机安装的 yjstation 运行。\n"
        "repos:\n"
        "  - repo: local\n"
        "    hooks:\n" + hooks
    )


def _child(folder: Traversable, relative: str) -> Traversable:
    for part in relative.split("/"):
        folder = folder.joinpath(part)
    return folder


def _flow(node: CommentedSeq) -> CommentedSeq:
    node.fa.set_flow_style()
    return node


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
