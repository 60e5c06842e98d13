"""Commands that write data files: `fmt` and `station new/set/list/show`. Every write is atomic and
refuses when the file changed on disk since it was read."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from yjstation.errors import CannotRun

station_app = typer.Typer(help="站点文件：新建、修改、列表和查看（个人信息已打码）。", no_args_is_help=True)


def fmt(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="要格式化的文件或目录（默认：data/ 下全部数据文件）")
    ] = None,
    check: Annotated[bool, typer.Option("--check", help="只列出需要格式化的文件，不改写；有则退出码为 1")] = False,
) -> None:
    """把数据文件统一成规范格式：键按数据结构排序、两格缩进、号码加引号、ISO 日期、UTF-8、LF，保留全部注释。"""
    from yjstation.atomic import FileChanged, snapshot, write_atomic
    from yjstation.cli.app import _selected, repository_root
    from yjstation.formatting import format_bytes
    from yjstation.repository import data_files, kind_of
    from yjstation.schemas import SchemaSet

    root = repository_root()
    schemas = SchemaSet.load(root)
    files = _selected(root, paths) if paths else data_files(root)
    pending, broken, written = [], 0, 0
    for rel in files:
        kind = kind_of(rel)
        if kind is None:
            continue
        path = root / rel
        before = snapshot(path)
        result = format_bytes(path.read_bytes(), rel, schemas.by_kind.get(kind))
        for diag in result.diagnostics:
            if diag.severity.value == "error":
                print(f"{diag.file}:{diag.line}:{diag.col}: {diag.code} {diag.message}（未改写）", file=sys.stderr)
        if result.result is None:
            broken += 1
            continue
        if not result.changed:
            continue
        pending.append(rel)
        if not check:
            try:
                write_atomic(path, result.result, before)
            except FileChanged as exc:
                print(f"{rel}：{exc}", file=sys.stderr)
                broken += 1
                continue
            written += 1
    if check:
        for rel in pending:
            print(rel)
        print(
            f"{len(pending)} 个文件需要格式化" + (f"，{broken} 个文件有错误无法格式化" if broken else ""),
            file=sys.stderr,
        )
        raise typer.Exit(1 if pending or broken else 0)
    for rel in pending:
        print(f"已格式化 {rel}")
    print(
        f"格式化了 {written} 个文件，{len(files) - written - broken} 个已是规范格式"
        + (f"，{broken} 个文件有错误未改写" if broken else ""),
        file=sys.stderr,
    )
    raise typer.Exit(1 if broken else 0)


def _commit(root: Path, rel: str, text: str, as_of: date, before: Any) -> None:
    """Validate the file as it would be written; write it only if that adds no error."""
    from yjstation.atomic import FileChanged
    from yjstation.checked_write import write_checked

    try:
        added = write_checked(root, {rel: text}, as_of, {rel: before})
    except FileChanged as exc:
        raise CannotRun(str(exc)) from None
    if added:
        for diag in added:
            print(f"{diag.file}:{diag.line}:{diag.col}: {diag.code} {diag.label}：{diag.message}", file=sys.stderr)
        raise CannotRun(f"修改后 {rel} 会有 {len(added)} 个新错误，已放弃，文件未改动")


@station_app.command("set")
def station_set(
    station: Annotated[str, typer.Argument(help="站点编号")],
    assignments: Annotated[list[str] | None, typer.Argument(help="字段=值，如 stationmaster.phone=13900000000")] = None,
    unset: Annotated[list[str] | None, typer.Option("--unset", help="删除这个字段（可重复）")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="校验时把这一天当作“今天”")] = None,
) -> None:
    """修改站点文件中的字段：按数据结构转换类型，校验通过才写入，只改动相应的行，保留注释。"""
    from yjstation.atomic import snapshot
    from yjstation.cli.app import parse_as_of, repository_root
    from yjstation.editing import EditError, edit_text, parse_assignment, parse_path
    from yjstation.schemas import SchemaSet

    root = repository_root()
    rel = f"data/stations/{station}.yaml"
    path = root / rel
    if not path.is_file():
        raise CannotRun(f"找不到站点文件 {rel}")
    if not assignments and not unset:
        raise CannotRun("没有要修改的字段；写成 字段=值")
    before = snapshot(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CannotRun(f"{rel} 不是 UTF-8 编码；先运行 yjstation fmt {rel}") from None
    schema = SchemaSet.load(root)["station"]
    try:
        result = edit_text(
            text, schema, [parse_assignment(a) for a in assignments or []], [parse_path(u) for u in unset or []]
        )
    except EditError as exc:
        raise CannotRun(str(exc)) from None
    if result == text:
        print(f"{rel} 没有变化")
        return
    _commit(root, rel, result, parse_as_of(as_of), before)
    changed = sum(1 for a, b in zip(text.splitlines(), result.splitlines(), strict=False) if a != b)
    print(f"已更新 {rel}（{max(changed, abs(len(result.splitlines()) - len(text.splitlines())))} 行）")


STEPS = ("layout", "market_survey", "confirmation", "agreement", "fit_out", "training", "maintenance", "upgrade")


@station_app.command("new")
def station_new(
    station_id: Annotated[str | None, typer.Option("--id", help="站点编号，如 pingyuan-yunyan")] = None,
    level: Annotated[str | None, typer.Option("--level", help="township（乡镇级）或 village（村级）")] = None,
    township: Annotated[str | None, typer.Option("--township", help="乡镇编号")] = None,
    village: Annotated[str | None, typer.Option("--village", help="行政村（村级站）")] = None,
    name: Annotated[str | None, typer.Option("--name", help="站点名称（默认由乡镇和村名生成）")] = None,
    host_type: Annotated[str | None, typer.Option("--host-type", help="依托网点类型，如 convenience_store")] = None,
    host_name: Annotated[str | None, typer.Option("--host-name", help="依托网点名称")] = None,
    address: Annotated[str | None, typer.Option("--address", help="站点地址")] = None,
    area: Annotated[float | None, typer.Option("--area", help="经营面积（平方米）")] = None,
    partner: Annotated[str | None, typer.Option("--partner", help="合作物流企业")] = None,
    master: Annotated[str | None, typer.Option("--stationmaster", help="站长姓名")] = None,
    id_number: Annotated[str | None, typer.Option("--id-number", help="站长身份证号码")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="站长手机号")] = None,
    services: Annotated[str, typer.Option("--services", help="开展的服务，逗号分隔")] = (
        "publicity,purchase_agency,consignment,bill_payment,finance"
    ),
    today: Annotated[str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="创建日期（默认：今天）")] = None,
) -> None:
    """新建一个站点文件（带注释，尚无步骤完成）；在终端中运行时逐项询问缺少的信息。"""
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    from yjstation.atomic import snapshot
    from yjstation.cli.app import parse_as_of, repository_root
    from yjstation.editing import skeleton_text
    from yjstation.loader import load_file
    from yjstation.records import as_dict

    root = repository_root()
    day = parse_as_of(today)
    county = as_dict(load_file(root / "data/county.yaml", "data/county.yaml").data)
    townships = {t["id"]: t for t in county.get("townships", []) if isinstance(t, dict) and "id" in t}

    def ask(value: Any, prompt: str, **kwargs: Any) -> Any:
        if value is not None:
            return value
        if not sys.stdin.isatty():
            raise CannotRun(f"缺少 {prompt}；在终端中运行可逐项询问，或用选项给出")
        return typer.prompt(prompt, **kwargs)

    level = ask(level, "站点级别（township 乡镇级 / village 村级）", default="village")
    township = ask(township, "乡镇编号（" + "、".join(townships) + "）")
    if township not in townships:
        raise CannotRun(f"乡镇编号 {township} 不在 data/county.yaml 中")
    info = townships[township]
    if level == "village":
        village = ask(village, "行政村")
    register = {v.get("name"): v for v in info.get("villages", []) if isinstance(v, dict)}
    station_id = ask(station_id, "站点编号（小写字母、数字和连字符）")
    rel = f"data/stations/{station_id}.yaml"
    if (root / rel).exists():
        raise CannotRun(f"{rel} 已存在；修改请用 yjstation station set")
    default_name = f"{info.get('name', '')}{village or ''}电子商务服务站"
    number = ask(id_number, "站长身份证号码").strip().upper()
    try:
        born, gender = ric.get_birth_date(ric.validate(number)), "male" if int(number[16]) % 2 else "female"
    except (ValidationError, ValueError):
        raise CannotRun(f"身份证号码 {number[:6]}…{number[-4:]} 无效（长度、校验位或出生日期不对）") from None
    fields = {
        "id": station_id,
        "name": name or default_name,
        "level": level,
        "township": township,
        "village": village if level == "village" else None,
        "poverty_village": bool(register.get(village, {}).get("poverty")) if village else False,
        "host_type": ask(host_type, "依托网点类型（如 convenience_store、village_store、supply_coop）"),
        "host_name": ask(host_name, "依托网点名称"),
        "address": ask(address, "站点地址", default=f"盈江县{info.get('name', '')}{village or ''}"),
        "area_m2": ask(area, "经营面积（平方米）", type=float),
        "partner": ask(partner, "合作物流企业", default="中国邮政"),
        "master_name": ask(master, "站长姓名"),
        "gender": gender,
        "birth_date": born,
        "id_number": number,
        "phone": ask(phone, "站长手机号"),
        "services": [s.strip() for s in services.split(",") if s.strip()],
        "steps": STEPS,
    }
    if isinstance(fields["area_m2"], float) and fields["area_m2"].is_integer():
        fields["area_m2"] = int(fields["area_m2"])
    _commit(root, rel, skeleton_text(fields, day), day, snapshot(root / rel))
    print(f"已创建 {rel}；下一步：yjstation checklist {station_id}")


@station_app.command("list")
def station_list(
    township: Annotated[str | None, typer.Option("--township", help="只看这个乡镇")] = None,
    level: Annotated[str | None, typer.Option("--level", help="township 或 village")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="按这一天判断当前步骤")] = None,
) -> None:
    """列出站点：乡镇、级别、站长（手机号打码）、当前步骤、是否运营。"""
    from rich.table import Table

    from yjstation.checklist import build
    from yjstation.cli.app import _console, _level_labels, parse_as_of, repository_root
    from yjstation.masking import mask_phone
    from yjstation.records import as_dict, as_str, dig
    from yjstation.repository import load_repository
    from yjstation.stations import is_operating

    root = repository_root()
    day = parse_as_of(as_of)
    repo = load_repository(root)
    rows = build(repo, day, township=township, level=level).stations
    data = {as_str(as_dict(d.data).get("id")): as_dict(d.data) for d in repo.stations}
    labels = _level_labels(root)
    table = Table(title=f"站点（{len(rows)} 个）")
    for header in ("站点编号", "站点", "乡镇", "级别", "站长", "手机", "当前步骤", "运营"):
        table.add_column(header, overflow="fold")
    for row in rows:
        station = data.get(row.id, {})
        phone = as_str(dig(station, ("stationmaster", "phone"))) or ""
        current = row.progress.current
        table.add_row(
            row.id,
            row.name,
            row.township_name,
            labels.get(row.level, row.level),
            as_str(dig(station, ("stationmaster", "name"))) or "",
            mask_phone(phone) if phone else "",
            current.name if current else "全部完成",
            "是" if is_operating(station, day) else "否",
        )
    _console().print(table)


@station_app.command("show")
def station_show(station: Annotated[str, typer.Argument(help="站点编号")]) -> None:
    """查看一个站点的主要信息（中文标签；身份证号码和手机号打码）。"""
    from rich.table import Table

    from yjstation.cli.app import _console, repository_root
    from yjstation.loader import load_file
    from yjstation.masking import mask_id, mask_phone
    from yjstation.schemas import SchemaSet

    root = repository_root()
    rel = f"data/stations/{station}.yaml"
    if not (root / rel).is_file():
        raise CannotRun(f"找不到站点文件 {rel}")
    doc = load_file(root / rel, rel)
    if not isinstance(doc.data, dict):
        raise CannotRun(f"{rel} 无法读取；运行 yjstation validate {rel} 查看原因")
    schema = SchemaSet.load(root)["station"]
    table = Table(title=str(doc.data.get("name", station)), show_header=False)
    table.add_column("字段", style="bold")
    table.add_column("值", overflow="fold")
    for path, value in _leaves(doc.data, ()):
        if path[0] in ("rollout", "training"):
            continue
        key = path[-1]
        shown = mask_id(str(value)) if key == "id_number" else mask_phone(str(value)) if key == "phone" else value
        if isinstance(value, bool):
            shown = "是" if value else "否"
        choices = schema.choices(path)
        if choices and value in choices:
            shown = f"{choices[value]}（{value}）"
        table.add_row(schema.label(path) or ".".join(map(str, path)), str(shown))
    _console().print(table)


def _leaves(node: Any, path: tuple[str | int, ...]) -> Any:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list) and node and all(not isinstance(v, (dict, list)) for v in node):
        yield path, "、".join(str(v) for v in node)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    else:
        yield path, node
