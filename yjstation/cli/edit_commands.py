"""Commands that write data files: `fmt` and `station new/set/list/show`. Every write is atomic and
refuses when the file changed on disk since it was read."""

# No `from __future__ import annotations` in the command modules: Typer reads every command's
# signature when it builds the CLI, and string annotations would be evaluated there (twice per
# command) on every start, `--help` included. Evaluated once they cost less.

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from yjstation.cli import log_commands, options
from yjstation.cli.common import (
    choose_station,
    choose_township,
    choose_value,
    console,
    parse_as_of,
    repository_root,
    station_ids,
)
from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import pick, tr


def register(app: typer.Typer) -> None:
    station_app = typer.Typer(
        help=tr(
            "站点文件：新建、修改、列表和查看（个人信息已打码）。",
            "Station files: create, change, list and show (personal data masked).",
        ),
        no_args_is_help=True,
    )
    app.add_typer(station_app, name="station")

    @app.command(
        "fmt",
        help=tr(
            "把数据文件统一成规范格式：键按数据结构排序、两格缩进、号码加引号、ISO 日期、UTF-8、LF，保留全部注释。",
            "Rewrite data files in canonical form: keys in schema order, two-space indent, quoted numbers, "
            "ISO dates, UTF-8, LF; every comment is kept.",
        ),
    )
    def fmt(
        paths: Annotated[
            list[Path] | None,
            typer.Argument(
                help=tr(
                    "要格式化的文件或目录（默认：data/ 下全部数据文件）",
                    "Files or folders to format (default: every data file under data/)",
                )
            ),
        ] = None,
        check: Annotated[
            bool,
            typer.Option(
                "--check",
                help=tr(
                    "只列出需要格式化的文件，不改写；有则退出码为 1",
                    "Only list the files that need formatting, without rewriting them; exit status 1 if any",
                ),
            ),
        ] = False,
        no_cache: Annotated[
            bool,
            typer.Option(
                "--no-cache",
                help=tr(
                    "不读也不写缓存（.yjstation-cache/），每个文件都重新检查",
                    "neither read nor write the cache (.yjstation-cache/): look at every file again",
                ),
            ),
        ] = False,
    ) -> None:
        from yjstation.checking.engine import load_schemas
        from yjstation.editing.formatting import format_files
        from yjstation.loading.repository import data_files, select

        root = repository_root()
        files = select(root, paths) if paths else data_files(root)
        run = format_files(root, files, load_schemas(root), write=not check, cache=not no_cache)
        for diag in run.diagnostics:
            print(
                tr(
                    "{file}:{line}:{col}: {code} {message}（未改写）",
                    "{file}:{line}:{col}: {code} {message} (not rewritten)",
                    file=diag.file,
                    line=diag.line,
                    col=diag.col,
                    code=diag.code,
                    message=diag.message,
                ),
                file=sys.stderr,
            )
            if diag.hint:
                print(tr("    提示：{hint}", "    hint: {hint}", hint=diag.hint), file=sys.stderr)
        for rel, why in run.failures:
            print(tr("{rel}：{exc}", "{rel}: {exc}", rel=rel, exc=why) if rel else why, file=sys.stderr)
        broken = len(run.broken)
        if check:
            for rel in run.pending:
                print(rel)
            print(
                tr("{n} 个文件需要格式化", "{n} file{n:|s} need{n:s|} formatting", n=len(run.pending))
                + (
                    tr(
                        "，{n} 个文件有错误无法格式化",
                        ", {n} file{n:|s} ha{n:s|ve} errors and cannot be formatted",
                        n=broken,
                    )
                    if broken
                    else ""
                ),
                file=sys.stderr,
            )
            raise typer.Exit(1 if run.pending or broken else 0)
        for rel in run.written:
            print(tr("已格式化 {rel}", "formatted {rel}", rel=rel))
        print(
            tr(
                "格式化了 {written} 个文件，{clean} 个已是规范格式",
                "formatted {written} file{written:|s}, {clean} already in canonical form",
                written=len(run.written),
                clean=run.files - len(run.written) - broken,
            )
            + (
                tr(
                    "，{n} 个文件有错误未改写",
                    ", {n} file{n:|s} ha{n:s|ve} errors and {n:was|were} not rewritten",
                    n=broken,
                )
                if broken
                else ""
            ),
            file=sys.stderr,
        )
        raise typer.Exit(1 if broken else 0)

    @station_app.command(
        "set",
        help=tr(
            "修改站点文件中的字段：按数据结构转换类型，校验通过才写入，只改动相应的行，保留注释。",
            "Change fields of a station file: values are typed by the schema, written only if validation "
            "passes, and only the lines concerned change; comments are kept.",
        ),
    )
    def station_set(
        station: Annotated[str, typer.Argument(help=tr("站点编号", "Station id"))],
        assignments: Annotated[
            list[str] | None,
            typer.Argument(
                help=tr(
                    "字段=值，如 stationmaster.phone=13900000000", "field=value, e.g. stationmaster.phone=13900000000"
                )
            ),
        ] = None,
        unset: Annotated[
            list[str] | None,
            typer.Option("--unset", help=tr("删除这个字段（可重复）", "Remove this field (repeatable)")),
        ] = None,
        as_of: Annotated[str | None, options.checked_as_of()] = None,
    ) -> None:
        from yjstation.checking.engine import load_schemas
        from yjstation.cli.writing import readable
        from yjstation.domain.county import County
        from yjstation.editing.edits import EditError, edit_text, parse_assignment, parse_path
        from yjstation.editing.inplace import edit_in_place
        from yjstation.foundation.atomic import snapshot
        from yjstation.loading.loader import load_file, read_regular

        root = repository_root()
        known = sorted(p.stem for p in (root / "data" / "stations").glob("*.yaml"))
        from yjstation.loading.repository import station_file

        rel = station_file(choose_station(known, station))
        path = root / rel
        if not assignments and not unset:
            raise CannotRun(tr("没有要修改的字段；写成 字段=值", "nothing to change; write field=value"))
        before = snapshot(path)
        try:
            raw = read_regular(path)
        except OSError as exc:
            raise CannotRun(
                tr("{rel}：无法读取（{why}）", "{rel}: cannot read it ({why})", rel=rel, why=exc.strerror)
            ) from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CannotRun(
                tr(
                    "{rel} 不是 UTF-8 编码；先运行 yjstation fmt {rel}",
                    "{rel} is not UTF-8; run yjstation fmt {rel} first",
                    rel=rel,
                )
            ) from None
        schema = load_schemas(root)["station"]
        try:
            parsed = [parse_assignment(a) for a in assignments or []]
            removals = [parse_path(u) for u in unset or []]
            # a township may be named in Chinese (平原镇): only then is county.yaml needed to read it
            county = (
                County.from_data(load_file(root / "data/county.yaml", "data/county.yaml").data)
                if any(path == ("township",) for path, _ in parsed)
                else None
            )
            with readable(rel):  # a file the round trip cannot read: named with its line, as the log commands do
                result = (edit_in_place(text, schema, parsed, removals) if county is None else None) or edit_text(
                    text, schema, parsed, removals, county
                )
        except EditError as exc:
            raise CannotRun(str(exc)) from None
        if result == text:
            print(tr("{rel} 没有变化", "{rel} is unchanged", rel=rel))
            return
        _commit(root, rel, result, parse_as_of(as_of), before)
        changed = sum(1 for a, b in zip(text.splitlines(), result.splitlines(), strict=False) if a != b)
        lines = max(changed, abs(len(result.splitlines()) - len(text.splitlines())))
        print(tr("已更新 {rel}（{lines} 行）", "updated {rel} ({lines} line{lines:|s})", rel=rel, lines=lines))

    @station_app.command(
        "new",
        help=tr(
            "新建一个站点文件（带注释，尚无步骤完成）；在终端中运行时逐项询问缺少的信息，答错的那一项重新询问。",
            "Create a station file (with comments, no step done yet); in a terminal, asks for whatever is missing,"
            " and asks again for an answer that cannot be used.",
        ),
    )
    def station_new(
        station_id: Annotated[
            str | None,
            typer.Option("--id", help=tr("站点编号，如 pingyuan-yunyan", "Station id, e.g. pingyuan-yunyan")),
        ] = None,
        level: Annotated[
            str | None,
            typer.Option(
                "--level", help=tr("township（乡镇级）或 village（村级）", "township or village (the station's level)")
            ),
        ] = None,
        township: Annotated[
            str | None, typer.Option("--township", help=tr("乡镇编号或名称", "Township id or name"))
        ] = None,
        village: Annotated[
            str | None,
            typer.Option("--village", help=tr("行政村（村级站）", "Administrative village (village stations)")),
        ] = None,
        name: Annotated[
            str | None,
            typer.Option(
                "--name",
                help=tr(
                    "站点名称（默认由乡镇和村名生成）", "Station name (default: made from the township and village)"
                ),
            ),
        ] = None,
        host_type: Annotated[
            str | None,
            typer.Option(
                "--host-type",
                help=tr("依托网点类型，如 convenience_store", "Kind of host outlet, e.g. convenience_store"),
            ),
        ] = None,
        host_name: Annotated[
            str | None, typer.Option("--host-name", help=tr("依托网点名称", "Name of the host outlet"))
        ] = None,
        address: Annotated[
            str | None,
            typer.Option(
                "--address",
                help=tr("站点地址（默认：县乡村名）", "Station address (default: county, township, village)"),
            ),
        ] = None,
        area: Annotated[
            str | None, typer.Option("--area", help=tr("经营面积（平方米）", "Floor area (square metres)"))
        ] = None,
        partner: Annotated[
            str | None,
            typer.Option(
                "--partner", help=tr("合作物流企业（默认：中国邮政）", "Logistics partner (default: China Post)")
            ),
        ] = None,
        master: Annotated[
            str | None, typer.Option("--stationmaster", help=tr("站长姓名", "Stationmaster's name"))
        ] = None,
        id_number: Annotated[
            str | None, typer.Option("--id-number", help=tr("站长身份证号码", "Stationmaster's ID card number"))
        ] = None,
        phone: Annotated[
            str | None, typer.Option("--phone", help=tr("站长手机号", "Stationmaster's mobile number"))
        ] = None,
        services: Annotated[
            str | None,
            typer.Option(
                "--services",
                help=tr(
                    "开展的服务，逗号或顿号分隔（默认：publicity,purchase_agency,consignment,bill_payment,finance）",
                    "Services offered, comma-separated (default: publicity,purchase_agency,consignment,bill_payment,"
                    "finance)",
                ),
            ),
        ] = None,
        good_credit: Annotated[
            str | None,
            typer.Option(
                "--good-credit",
                metavar="yes|no",
                help=tr(
                    "信用记录核查结果：yes 无不良信用记录，no 有（三（二）1.2）",
                    "Result of the credit check: yes (no bad record) or no (a bad record)",
                ),
            ),
        ] = None,
        credit_checked: Annotated[
            str | None,
            typer.Option(
                "--credit-checked",
                metavar="YYYY-MM-DD",
                help=tr("核查信用记录的日期", "Date the credit record was checked"),
            ),
        ] = None,
        today: Annotated[
            str | None,
            typer.Option(
                "--date", metavar="YYYY-MM-DD", help=tr("创建日期（默认：今天）", "Date of creation (default: today)")
            ),
        ] = None,
    ) -> None:
        from yjstation.checking.engine import load_repository
        from yjstation.domain.county import County
        from yjstation.domain.stations import STEP_KEYS
        from yjstation.editing.answers import questions
        from yjstation.editing.edits import EditError, new_station_fields, skeleton_text
        from yjstation.foundation.atomic import snapshot

        root = repository_root()
        day = parse_as_of(today, "--date")
        repo = load_repository(root)
        county = County.from_data(repo.county.data if repo.county else None)
        given = {
            "level": level,
            "township": township,
            "village": village,
            "id": station_id,
            "id_number": id_number,
            "host_type": host_type,
            "host_name": host_name,
            "address": address,
            "area_m2": area,
            "partner": partner,
            "master_name": master,
            "phone": phone,
            "good_credit": good_credit,
            "credit_checked": credit_checked,
            "services": services,
        }
        from yjstation.cli import common

        interactive = common.interactive()
        answers: dict[str, Any] = {"name": name}
        missing: list[str] = []
        unusable: list[str] = []
        for question in questions(county, repo.schemas["station"], set(station_ids(repo))):
            if not question.applies(answers):
                continue
            value = given[question.key]
            if value is None and not interactive:
                value = question.default(answers)
                if value is None:
                    missing.append(question.option)
                    continue
            while True:
                if value is None:
                    value = typer.prompt(question.prompt, default=question.default(answers))
                try:
                    answers[question.key] = question.check(str(value), answers)
                    break
                except EditError as exc:
                    if not interactive:
                        unusable.append(tr("{option}：{why}", "{option}: {why}", option=question.option, why=exc))
                        break
                    print(tr("  {why}，请重新输入", "  {why}; please answer again", why=exc), file=sys.stderr)
                    value = None  # ask this one question again
        if missing or unusable:
            lines = (
                [tr("缺少选项：{options}", "missing options: {options}", options=" ".join(missing))] if missing else []
            )
            raise CannotRun("\n".join([*lines, *unusable]))
        from yjstation.loading.repository import station_file

        rel = station_file(answers["id"])
        try:
            fields = new_station_fields(county, answers, STEP_KEYS)
        except EditError as exc:
            raise CannotRun(str(exc)) from None
        _commit(root, rel, skeleton_text(fields, day), day, snapshot(root / rel))
        print(
            tr(
                "已创建 {rel}；下一步：yjstation checklist {id}",
                "created {rel}; next: yjstation checklist {id}",
                rel=rel,
                id=answers["id"],
            )
        )

    @station_app.command(
        "list",
        help=tr(
            "列出站点：乡镇、级别、站长（手机号打码）、当前步骤、是否运营。",
            "List stations: township, level, stationmaster (phone masked), current step, whether operating.",
        ),
    )
    def station_list(
        township: Annotated[str | None, options.township()] = None,
        level: Annotated[str | None, options.level()] = None,
        as_of: Annotated[
            str | None, options.as_of(tr("按这一天判断当前步骤", "Judge the current step as of this day"))
        ] = None,
    ) -> None:
        from rich.table import Table

        from yjstation.checking.engine import load_repository
        from yjstation.domain.county import County
        from yjstation.domain.history import is_operating, station_on
        from yjstation.foundation.masking import mask_phone
        from yjstation.foundation.records import as_dict, as_str, dig
        from yjstation.reports.checklist import build

        root = repository_root()
        day = parse_as_of(as_of)
        repo = load_repository(root)
        labels = repo.schemas["station"].choices(("level",))
        township = choose_township(County.from_data(repo.county.data if repo.county else None), township)
        level = choose_value(level, labels, "--level")
        rows = build(repo, day, township=township, level=level).stations
        data = {as_str(as_dict(d.data).get("id")): as_dict(d.data) for d in repo.stations}
        table = Table(title=tr("站点（{n} 个）", "Stations ({n})", n=len(rows)))
        for header in (
            tr("站点编号", "id"),
            tr("站点", "station"),
            tr("乡镇", "township"),
            tr("级别", "level"),
            tr("站长", "stationmaster"),
            tr("手机", "mobile"),
            tr("当前步骤", "current step"),
            tr("运营", "operating"),
        ):
            table.add_column(header, overflow="fold")
        for row in rows:
            station = station_on(data.get(row.id, {}), day)  # the stationmaster in office that day
            phone = as_str(dig(station, ("stationmaster", "phone"))) or ""
            current = row.progress.current
            table.add_row(
                row.id,
                row.name,
                pick(row.township_name, row.township),
                pick(labels.get(row.level, row.level), row.level),
                as_str(dig(station, ("stationmaster", "name"))) or "",
                mask_phone(phone) if phone else "",
                pick(current.name, current.key) if current else tr("全部完成", "all done"),
                tr("是", "yes") if is_operating(station, day) else tr("否", "no"),
            )
        console().print(table)

    @station_app.command(
        "show",
        help=tr(
            "查看一个站点的主要信息（中文标签；身份证号码和手机号打码）。",
            "Show a station's main facts (ID card and mobile numbers masked).",
        ),
    )
    def station_show(station: Annotated[str, typer.Argument(help=tr("站点编号", "Station id"))]) -> None:
        from rich.table import Table

        from yjstation.checking.engine import load_repository
        from yjstation.foundation.masking import mask_id, mask_phone

        root = repository_root()
        repo = load_repository(root)
        from yjstation.loading.repository import station_file

        rel = station_file(choose_station(station_ids(repo), station))
        doc = next(d for d in repo.stations if d.file == rel)
        if not isinstance(doc.data, dict):
            raise CannotRun(
                tr(
                    "{rel} 无法读取；运行 yjstation validate {rel} 查看原因",
                    "{rel} cannot be read; run yjstation validate {rel} to see why",
                    rel=rel,
                )
            )
        schema = repo.schemas["station"]
        table = Table(title=str(doc.data.get("name", station)), show_header=False)
        table.add_column(tr("字段", "field"), style="bold")
        table.add_column(tr("值", "value"), overflow="fold")
        for path, value in _leaves(doc.data, ()):
            if path[0] in ("rollout", "training"):
                continue
            key = path[-1]
            shown = mask_id(str(value)) if key == "id_number" else mask_phone(str(value)) if key == "phone" else value
            if key == "birth_date" and isinstance(value, str):
                shown = value[:4] + "-**-**"  # the day beside the masked ID number would give back its middle
            if isinstance(value, bool):
                shown = tr("是", "yes") if value else tr("否", "no")
            choices = schema.choices(path)
            if choices and value in choices:
                shown = pick(f"{choices[value]}（{value}）", str(value))
            dotted = ".".join(map(str, path))
            table.add_row(pick(schema.label(path) or dotted, dotted), str(shown))
        console().print(table)

    log_commands.register_station(station_app)  # log, replace-master, close: the station's history


def _commit(root: Path, rel: str, text: str, as_of: date, before: Any) -> None:
    """Validate the file as it would be written; write it only if that adds no error."""
    from yjstation.editing.checked_write import write_checked
    from yjstation.foundation.atomic import FileChanged

    try:
        added = write_checked(root, {rel: text}, as_of, {rel: before})
    except FileChanged as exc:
        raise CannotRun(str(exc)) from None
    if added:
        from yjstation.cli.writing import print_refused

        print_refused(added)
        print(
            tr(
                "修改后 {rel} 会有 {n} 个新错误，已放弃，文件未改动",
                "the change would give {rel} {n} new error{n:|s}; abandoned, the file is unchanged",
                rel=rel,
                n=len(added),
            ),
            file=sys.stderr,
        )
        raise typer.Exit(1)  # findings, as validate: the command ran, the data says no


def _leaves(node: Any, path: tuple[str | int, ...]) -> Any:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list) and node and all(not isinstance(v, (dict, list)) for v in node):
        yield path, tr("、", ", ").join(str(v) for v in node)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    else:
        yield path, node
