"""Logs and history without editing YAML: `training add`, `station log`, `feedback close`,
`station replace-master` and `station close`. Each edit goes through the round-trip editor (comments
kept, one short diff per file) and the checked write (validated together, all or nothing)."""

# No `from __future__ import annotations` in the command modules: Typer reads every command's
# signature when it builds the CLI, and string annotations would be evaluated there (twice per
# command) on every start, `--help` included. Evaluated once they cost less.

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from yjstation.cli import options
from yjstation.cli.common import parse_as_of, repository_root
from yjstation.foundation.errors import CannotRun
from yjstation.foundation.i18n import pick, tr

if TYPE_CHECKING:
    from yjstation.foundation.atomic import Snapshot
    from yjstation.loading.repository import Repository


class Mode(StrEnum):
    centralized = "centralized"
    point_to_point = "point_to_point"
    online = "online"


class LogKind(StrEnum):
    maintenance = "maintenance"
    onsite = "onsite"
    feedback = "feedback"


def _day(value: str, option: str) -> date:
    return parse_as_of(value, option)


def _as_of(value: str | None) -> date:
    return parse_as_of(value)


def register(app: typer.Typer) -> None:
    training_app = typer.Typer(
        help=tr("站长培训记录：登记一次培训。", "Stationmaster training: record a session."), no_args_is_help=True
    )
    feedback_app = typer.Typer(help=tr("问题反馈：办结一件反馈。", "Feedback: close an item."), no_args_is_help=True)
    app.add_typer(training_app, name="training")
    app.add_typer(feedback_app, name="feedback")

    @training_app.command(
        "add",
        help=tr(
            "登记一次培训：给列出的站点（或 --township 一个乡镇、--all 全部站点）各添一条培训记录，期次按模块自动填写。",
            "Record a training session: append one record to each station named (or every station of a --township,"
            " or --all); the phase follows from the module.",
        ),
    )
    def training_add(
        stations: Annotated[
            list[str] | None, typer.Argument(help=tr("站点编号（可多个）", "Station ids (one or more)"))
        ] = None,
        on: Annotated[
            str, typer.Option("--date", metavar="YYYY-MM-DD", help=tr("培训日期", "Day of the session"))
        ] = "",
        module: Annotated[
            str,
            typer.Option(
                "--module",
                help=tr("培训模块编号（data/policy/training.yaml）", "Module id (data/policy/training.yaml)"),
            ),
        ] = "",
        minutes: Annotated[
            int | None,
            typer.Option(
                "--minutes", help=tr("学时（分钟；默认：计划学时）", "Minutes (default: the module's planned minutes)")
            ),
        ] = None,
        mode: Annotated[
            Mode | None,
            typer.Option("--mode", help=tr("培训方式：centralized 集中、point_to_point 点对点、online 在线", "Mode")),
        ] = None,
        township: Annotated[
            str | None,
            typer.Option("--township", help=tr("这个乡镇的全部站点（编号或名称）", "Every station of this township")),
        ] = None,
        every: Annotated[
            bool, typer.Option("--all", help=tr("当天在册的全部站点", "Every station on the list that day"))
        ] = False,
        as_of: Annotated[str | None, options.checked_as_of()] = None,
    ) -> None:
        from yjstation.checking.engine import load_repository
        from yjstation.domain.county import County
        from yjstation.domain.history import station_in_force
        from yjstation.domain.training import TrainingPlan
        from yjstation.editing.cycle import add_training
        from yjstation.foundation.records import as_dict

        day = _require_day(on, "--date")
        chosen = sum([bool(stations), township is not None, every])
        if chosen != 1:
            raise typer.BadParameter(
                tr(
                    "请给出站点编号，或 --township 乡镇，或 --all，三者选一",
                    "name the stations, or give --township or --all: exactly one of the three",
                ),
                param_hint="STATION / --township / --all",
            )
        if mode is None:
            raise typer.BadParameter(tr("请给出培训方式", "give the mode"), param_hint="--mode")
        root = repository_root()
        repo = load_repository(root)
        plan = TrainingPlan.from_data(as_dict(repo.policy["training"].data) if "training" in repo.policy else {})
        found = plan.module(module)
        if found is None:
            known = ", ".join(m.id for p in plan.phases for m in p.modules)
            raise typer.BadParameter(
                tr(
                    "没有培训模块 `{id}`；可用：{known}",
                    "no training module `{id}`; modules: {known}",
                    id=module,
                    known=known,
                ),
                param_hint="--module",
            )
        length = found.minutes if minutes is None else minutes
        if length <= 0:
            raise typer.BadParameter(tr("学时须大于 0", "minutes must be more than 0"), param_hint="--minutes")
        data = _stations(repo)
        if every or township is not None:
            county = County.from_data(repo.county.data if repo.county else None)
            wanted = None
            if township is not None:
                found_township = county.find_township(township)
                if found_township is None:
                    raise typer.BadParameter(
                        tr("没有乡镇 {name}", "no township {name}", name=township), param_hint="--township"
                    )
                wanted = found_township.id
            targets = [
                sid
                for sid, s in sorted(data.items())
                if station_in_force(s, day) and (wanted is None or s.get("township") == wanted)
            ]
        else:
            targets = [_station(root, s) for s in dict.fromkeys(stations or [])]
            _known(targets, data)
            gone = [sid for sid in targets if not station_in_force(data[sid], day)]
            if gone:
                raise CannotRun(
                    tr(
                        "{day} 这些站点不在册（尚未列入或已停止运营）：{ids}",
                        "on {day} these stations were not on the list (not yet listed, or closed): {ids}",
                        day=day,
                        ids=", ".join(gone),
                    )
                )
        if not targets:
            raise CannotRun(tr("没有符合条件的站点", "no station matches"))
        session = {"date": day, "phase": found.phase, "module": found.id, "minutes": length, "mode": mode.value}
        schema = repo.schemas["station"]
        texts: dict[str, str] = {}
        based_on: dict[str, Snapshot] = {}
        repeated = []
        for sid in targets:
            if _attended(data[sid], day, found.id):
                repeated.append(sid)
                continue
            rel = f"data/stations/{sid}.yaml"
            text, based_on[rel] = _read(root, rel)
            texts[rel] = _edit(lambda t, sid=sid: add_training(t, schema, data[sid], session), text, rel)
        for sid in repeated:
            print(
                tr(
                    "{sid} 已有 {day} 的“{module}”培训记录，未重复登记",
                    "{sid} already has {module} on {day}; not recorded twice",
                    sid=sid,
                    day=day,
                    module=pick(found.name, found.id),
                )
            )
        _write(root, texts, _as_of(as_of), based_on)
        print(
            tr(
                "已为 {n} 个站点登记 {day}“{module}”{minutes} 分钟",
                "Recorded {module} on {day} ({minutes} minutes) for {n} stations",
                n=len(texts),
                day=day,
                module=pick(found.name, found.id),
                minutes=length,
            )
        )

    @feedback_app.command(
        "close",
        help=tr(
            "办结一件问题反馈：按站点和反馈日期找到它，标为已办结并填写办结日期。",
            "Close a feedback item: found by station and the day it was raised, marked closed with its closing day.",
        ),
    )
    def feedback_close(
        station: Annotated[str, typer.Argument(help=tr("站点编号", "Station id"))],
        raised: Annotated[
            str, typer.Argument(metavar="YYYY-MM-DD", help=tr("反馈日期", "The day the item was raised"))
        ],
        closed: Annotated[
            str, typer.Option("--closed", metavar="YYYY-MM-DD", help=tr("办结日期", "The closing day"))
        ] = "",
        issue: Annotated[
            str | None,
            typer.Option(
                "--issue",
                help=tr("同一天有几件时，按问题中的文字选定", "Pick by words of the issue when there are several"),
            ),
        ] = None,
        as_of: Annotated[str | None, options.checked_as_of()] = None,
    ) -> None:
        from yjstation.cli.writing import readable
        from yjstation.editing.cycle import close_feedback, feedback_on, record_file
        from yjstation.loading import roundtrip

        day = _day(raised, "DATE")
        closing = _require_day(closed, "--closed")
        if closing < day:
            raise typer.BadParameter(
                tr(
                    "办结日期 {closed} 早于反馈日期 {day}",
                    "closing day {closed} is before {day}",
                    closed=closing,
                    day=day,
                ),
                param_hint="--closed",
            )
        root = repository_root()
        station = _station(root, station)  # an id that is no slug never builds a path
        rel = record_file(station, f"{day:%Y-%m}")
        if not (root / f"data/stations/{station}.yaml").is_file():
            raise CannotRun(
                tr("找不到站点文件 data/stations/{sid}.yaml", "no station file data/stations/{sid}.yaml", sid=station)
            )
        text, before = _read(root, rel)
        with readable(rel):
            items = feedback_on(dict(roundtrip.load(text) or {}), day)
        if issue:
            items = [item for item in items if issue in item.issue]
        if not items:
            raise CannotRun(
                tr("{rel} 中没有 {day} 的问题反馈", "{rel} has no feedback raised on {day}", rel=rel, day=day)
                + (tr("（含“{issue}”）", " (with “{issue}”)", issue=issue) if issue else "")
            )
        if len(items) > 1:
            listed = "；".join(item.issue for item in items)
            raise CannotRun(
                tr(
                    "{day} 有 {n} 件反馈：{listed}；用 --issue 写出其中的文字选定一件",
                    "{n} items were raised on {day}: {listed}; pick one with --issue",
                    day=day,
                    n=len(items),
                    listed=listed,
                )
            )
        item = items[0]
        if item.status == "closed":
            raise CannotRun(
                tr(
                    "“{issue}”已于 {closed} 办结",
                    "“{issue}” was closed on {closed}",
                    issue=item.issue,
                    closed=item.closed or "?",
                )
            )
        from yjstation.checking.engine import load_schemas

        schema = load_schemas(root)["operations"]
        new = _edit(lambda t: close_feedback(t, schema, item.index, closing), text, rel)
        _write(root, {rel: new}, _as_of(as_of), {rel: before})
        print(tr("已办结“{issue}”（{rel}）", "Closed “{issue}” ({rel})", issue=item.issue, rel=rel))


def register_station(station_app: typer.Typer) -> None:
    @station_app.command(
        "log",
        help=tr(
            "登记一条运营维护记录：maintenance 在线维护、onsite 现场维护、feedback 问题反馈，记入当月的运营记录"
            "（当月还没有记录时先建草稿）。",
            "Log a maintenance visit (maintenance: online, onsite: on site) or a feedback item into that month's"
            " record (a draft is opened first when the month has none).",
        ),
    )
    def station_log(
        station: Annotated[str, typer.Argument(help=tr("站点编号", "Station id"))],
        kind: Annotated[
            LogKind, typer.Argument(help=tr("maintenance、onsite 或 feedback", "maintenance, onsite or feedback"))
        ],
        on: Annotated[str, typer.Option("--date", metavar="YYYY-MM-DD", help=tr("日期", "The day"))] = "",
        issue: Annotated[
            str | None,
            typer.Option("--issue", help=tr("问题（在线维护、问题反馈）", "The issue (maintenance, feedback)")),
        ] = None,
        resolution: Annotated[
            str | None, typer.Option("--resolution", help=tr("处理结果（在线维护）", "What was done (maintenance)"))
        ] = None,
        by: Annotated[
            str | None,
            typer.Option(
                "--by",
                help=tr("维护人员（现场维护）或反馈人（问题反馈）", "Who came (onsite) or who raised it (feedback)"),
            ),
        ] = None,
        notes: Annotated[
            str | None, typer.Option("--notes", help=tr("维护内容（现场维护）", "What was done (onsite)"))
        ] = None,
        closed: Annotated[
            str | None,
            typer.Option(
                "--closed",
                metavar="YYYY-MM-DD",
                help=tr("当场办结的日期（问题反馈）", "Closing day, if settled at once (feedback)"),
            ),
        ] = None,
        as_of: Annotated[str | None, options.checked_as_of()] = None,
    ) -> None:
        from yjstation.checking.engine import load_repository
        from yjstation.domain.history import serving_in
        from yjstation.editing.cycle import add_log, record_file
        from yjstation.editing.drafts import draft_text
        from yjstation.foundation.atomic import snapshot
        from yjstation.reports.data import ReportData

        day = _require_day(on, "--date")
        allowed = {
            LogKind.maintenance: {"issue", "resolution"},
            LogKind.onsite: {"by", "notes"},
            LogKind.feedback: {"issue", "by", "closed"},
        }[kind]
        given = {"issue": issue, "resolution": resolution, "by": by, "notes": notes, "closed": closed}
        stray = [f"--{k}" for k, v in given.items() if v is not None and k not in allowed]
        if stray:
            raise typer.BadParameter(
                tr("{kind} 不用 {options}", "{kind} takes no {options}", kind=kind.value, options=", ".join(stray)),
                param_hint=stray[0],
            )
        if kind is not LogKind.onsite and not (issue or "").strip():
            raise typer.BadParameter(tr("请写出问题", "describe the issue"), param_hint="--issue")
        if kind is LogKind.onsite and not (notes or by):
            raise typer.BadParameter(
                tr("请写出维护内容或维护人员", "say what was done or who came"), param_hint="--notes"
            )
        values: dict[str, Any] = {"date": day}
        if kind is LogKind.maintenance:
            values |= {"issue": issue, "resolution": resolution}
        elif kind is LogKind.onsite:
            values |= {"by": by, "notes": notes}
        else:
            closing = _day(closed, "--closed") if closed else None
            if closing is not None and closing < day:
                raise typer.BadParameter(
                    tr("办结日期早于反馈日期", "the closing day is before the day it was raised"), param_hint="--closed"
                )
            values |= {"issue": issue, "status": "closed" if closing else "open", "closed": closing, "by": by}
        root = repository_root()
        station = _station(root, station)  # an id that is no slug never builds a path
        repo = load_repository(root)
        data = ReportData.load(repo)
        if station not in data.stations:
            raise CannotRun(tr("找不到站点 {sid}", "no station {sid}", sid=station))
        month = f"{day:%Y-%m}"
        rel = record_file(station, month)
        schema = repo.schemas["operations"]
        if (root / rel).exists():
            text, before = _read(root, rel)
        else:
            if not serving_in(data.stations[station], month):
                raise CannotRun(
                    tr(
                        "站点 {sid} 在 {month} 没有运营（未完成进场装修或已停止运营）",
                        "station {sid} did not serve in {month} (not fitted out yet, or closed)",
                        sid=station,
                        month=month,
                    )
                )
            before = snapshot(root / rel)
            text = draft_text(
                data.stations[station],
                month,
                data.reporting.services_for(data.stations[station]),
                date.today(),
                f"yjstation station log {station}",
            )
            print(tr("{rel} 还没有，先建草稿", "{rel} does not exist yet; opening a draft", rel=rel))
        new = _edit(lambda t: add_log(t, schema, kind.value, values), text, rel)
        _write(root, {rel: new}, _as_of(as_of), {rel: before})
        print(tr("已记入 {rel}", "Logged in {rel}", rel=rel))

    @station_app.command(
        "replace-master",
        help=tr(
            "更换站长（合作协议第三条：甲方有权更换合作者）：现任站长连同其协议和培训记录移入历任站长，新站长自 --date 起任职。",
            "Replace the stationmaster (agreement art. 3: party A may replace its partner): the one in office moves,"
            " with their agreement and training, to the former stationmasters; the new one takes office on --date.",
        ),
    )
    def replace_master(
        station: Annotated[str, typer.Argument(help=tr("站点编号", "Station id"))],
        on: Annotated[
            str,
            typer.Option(
                "--date", metavar="YYYY-MM-DD", help=tr("新站长到任日期", "The new stationmaster's first day")
            ),
        ] = "",
        reason: Annotated[str, typer.Option("--reason", help=tr("更换原因", "Why"))] = "",
        name: Annotated[str, typer.Option("--name", help=tr("新站长姓名", "The new stationmaster's name"))] = "",
        id_number: Annotated[
            str, typer.Option("--id-number", help=tr("新站长身份证号码", "Their ID card number"))
        ] = "",
        phone: Annotated[str, typer.Option("--phone", help=tr("新站长手机号", "Their mobile number"))] = "",
        education: Annotated[str | None, typer.Option("--education", help=tr("文化程度", "Education"))] = None,
        native_place: Annotated[
            str | None, typer.Option("--native-place", help=tr("籍贯（登记表用）", "Native place (registration form)"))
        ] = None,
        address: Annotated[
            str | None,
            typer.Option("--address", help=tr("通信地址（协议、登记表用）", "Postal address (agreement, forms)")),
        ] = None,
        roles: Annotated[
            str | None,
            typer.Option(
                "--roles",
                help=tr(
                    "身份，逗号分隔，如 returning_youth,village_cadre（申请表用）",
                    "Roles, comma-separated, e.g. returning_youth,village_cadre (application)",
                ),
            ),
        ] = None,
        agreement_number: Annotated[
            str | None,
            typer.Option("--agreement-number", help=tr("与新站长签订的协议编号", "Number of their agreement")),
        ] = None,
        signed: Annotated[
            str | None, typer.Option("--signed", metavar="YYYY-MM-DD", help=tr("协议签订日期", "Day it was signed"))
        ] = None,
        start: Annotated[
            str | None,
            typer.Option(
                "--start", metavar="YYYY-MM-DD", help=tr("合作开始日期（默认：到任日期）", "Start (default: --date)")
            ),
        ] = None,
        end: Annotated[
            str | None, typer.Option("--end", metavar="YYYY-MM-DD", help=tr("合作结束日期", "End of the term"))
        ] = None,
        deposit: Annotated[float | None, typer.Option("--deposit", help=tr("押金（元）", "Deposit (yuan)"))] = None,
        applied: Annotated[
            str | None,
            typer.Option("--applied", metavar="YYYY-MM-DD", help=tr("新站长提交申请的日期", "Day they applied")),
        ] = None,
        endorsed: Annotated[
            bool,
            typer.Option(
                "--endorsed",
                help=tr("申请表已加盖村支两委公章（推荐）", "The village committee endorsed (stamped) the application"),
            ),
        ] = False,
        approved: Annotated[
            str | None,
            typer.Option(
                "--approved", metavar="YYYY-MM-DD", help=tr("县级中心审核通过的日期", "Day the centre approved them")
            ),
        ] = None,
        good_credit: Annotated[
            str | None,
            typer.Option(
                "--good-credit",
                metavar="yes|no",
                help=tr(
                    "核查结果：无不良信用记录为 yes（是）", "Result of the credit check: yes if the record is clean"
                ),
            ),
        ] = None,
        credit_checked: Annotated[
            str | None,
            typer.Option(
                "--credit-checked", metavar="YYYY-MM-DD", help=tr("信用记录核查日期", "Day the credit was checked")
            ),
        ] = None,
        trained: Annotated[
            str | None,
            typer.Option(
                "--trained",
                metavar="YYYY-MM-DD",
                help=tr(
                    "新站长学完一期（上岗前）全部培训模块的日期：按计划学时登记为点对点培训（三（六）6.3：先培训后服务）",
                    "Day they completed every module of the before-service phase: recorded point to point at the"
                    " planned minutes (the plan: trained before serving)",
                ),
            ),
        ] = None,
        as_of: Annotated[str | None, options.checked_as_of()] = None,
    ) -> None:
        from yjstation.checking.engine import load_repository, load_schemas
        from yjstation.cli.writing import readable
        from yjstation.domain.history import is_operating
        from yjstation.editing.cycle import Successor
        from yjstation.editing.cycle import replace_master as replace
        from yjstation.loading import roundtrip

        day = _require_day(on, "--date")
        for option, value in (("--reason", reason), ("--name", name), ("--id-number", id_number), ("--phone", phone)):
            if not value.strip():
                raise typer.BadParameter(tr("不能为空", "cannot be empty"), param_hint=option)
        extra = {"education": education, "native_place": native_place, "address": address}
        person = _person(name.strip(), id_number.strip(), phone.strip(), extra)
        if roles:
            person["roles"] = [r.strip() for r in roles.replace("，", ",").replace("、", ",").split(",") if r.strip()]
        if good_credit is not None:
            verdict = {"yes": True, "是": True, "true": True, "no": False, "否": False, "false": False}.get(
                good_credit.strip().lower()
            )
            if verdict is None:
                raise typer.BadParameter(tr("写 yes 或 no", "write yes or no"), param_hint="--good-credit")
            person["good_credit"] = verdict
        if credit_checked is not None:
            person["credit_checked"] = _day(credit_checked, "--credit-checked")
        if applied is not None or approved is not None or endorsed:
            application: dict[str, Any] = {}
            if applied is not None:
                application["submitted"] = _day(applied, "--applied")
            application["village_committee_endorsed"] = endorsed
            if approved is not None:
                application["approved"] = _day(approved, "--approved")
            person["application"] = application
        agreement = None
        if agreement_number is not None or signed is not None or end is not None:
            if not (agreement_number and signed and end):
                raise typer.BadParameter(
                    tr(
                        "新协议需要 --agreement-number、--signed 和 --end",
                        "a new agreement needs --agreement-number, --signed and --end",
                    ),
                    param_hint="--agreement-number",
                )
            agreement = {
                "number": agreement_number,
                "signed": _day(signed, "--signed"),
                "start": _day(start, "--start") if start else day,
                "end": _day(end, "--end"),
                "deposit": deposit,
            }
        root = repository_root()
        station = _station(root, station)  # an id that is no slug never builds a path
        rel = f"data/stations/{station}.yaml"
        text, before = _read(root, rel)
        with readable(rel):
            data = roundtrip.load(text)
        if agreement is None and is_operating(_plain(data), day):
            raise typer.BadParameter(
                tr(
                    "站点在 {day} 运营中，更换站长须同时登记与新站长签订的协议（--agreement-number、--signed、--end）",
                    "the station operates on {day}: a new stationmaster needs the agreement signed with them"
                    " (--agreement-number, --signed, --end)",
                    day=day,
                ),
                param_hint="--agreement-number",
            )
        schema = load_schemas(root)["station"]
        sessions = []
        if trained is not None:
            from yjstation.domain.training import TrainingPlan

            when = _day(trained, "--trained")
            policy = load_repository(root).policy.get("training")
            plan = TrainingPlan.from_data(policy.data if policy is not None and isinstance(policy.data, dict) else {})
            sessions = [
                {"date": when, "phase": p.phase, "module": m.id, "minutes": m.minutes, "mode": "point_to_point"}
                for p in plan.before_service
                for m in p.modules
            ]
        successor = Successor(person, agreement, sessions)
        new = _edit(lambda t: replace(t, schema, _plain(data), day, reason.strip(), successor), text, rel)
        _write(root, {rel: new}, _as_of(as_of), {rel: before})
        old = (data.get("stationmaster") or {}).get("name", "?") if isinstance(data, dict) else "?"
        print(
            tr(
                "已更换 {sid} 的站长：{old} → {new}（{day} 起）；前任的协议和培训记录已移入 former_stationmasters",
                "Replaced the stationmaster of {sid}: {old} → {new} (from {day}); the former one's agreement and"
                " training moved to former_stationmasters",
                sid=station,
                old=old,
                new=name.strip(),
                day=day,
            )
        )

    @station_app.command(
        "close",
        help=tr(
            "登记站点停止运营：停止日期、原因和通知日期（合作协议第四条：提前终止应提前 30 天通知）。",
            "Record that a station stops operating: the day, why, and when notice was given (agreement art. 4:"
            " 30 days' notice to end it early).",
        ),
    )
    def close(
        station: Annotated[str, typer.Argument(help=tr("站点编号", "Station id"))],
        on: Annotated[
            str,
            typer.Option(
                "--date",
                metavar="YYYY-MM-DD",
                help=tr("停止运营的日期（当天起不再运营）", "First day it no longer operates"),
            ),
        ] = "",
        reason: Annotated[str, typer.Option("--reason", help=tr("停止运营的原因", "Why"))] = "",
        notice: Annotated[
            str | None,
            typer.Option("--notice-date", metavar="YYYY-MM-DD", help=tr("通知对方的日期", "Day notice was given")),
        ] = None,
        as_of: Annotated[str | None, options.checked_as_of()] = None,
    ) -> None:
        from yjstation.checking.engine import load_repository
        from yjstation.domain.history import agreement_end, closed_on
        from yjstation.editing.cycle import close_station

        day = _require_day(on, "--date")
        if not reason.strip():
            raise typer.BadParameter(tr("不能为空", "cannot be empty"), param_hint="--reason")
        noticed = _day(notice, "--notice-date") if notice else None
        if noticed is not None and noticed > day:
            raise typer.BadParameter(
                tr("通知日期晚于停止运营日期", "the notice comes after the closing day"), param_hint="--notice-date"
            )
        root = repository_root()
        station = _station(root, station)  # an id that is no slug never builds a path
        repo = load_repository(root)
        data = _stations(repo)
        _known([station], data)
        if closed_on(data[station]) is not None:
            raise CannotRun(
                tr(
                    "{sid} 已于 {day} 停止运营",
                    "{sid} already closed on {day}",
                    sid=station,
                    day=closed_on(data[station]),
                )
            )
        rel = f"data/stations/{station}.yaml"
        text, before = _read(root, rel)
        schema = repo.schemas["station"]
        new = _edit(lambda t: close_station(t, schema, day, reason.strip(), noticed), text, rel)
        _write(root, {rel: new}, _as_of(as_of), {rel: before})
        print(tr("已登记 {sid} 自 {day} 起停止运营", "Recorded that {sid} closes on {day}", sid=station, day=day))
        end = agreement_end(data[station], day)
        need = _notice_days(repo)
        if end is not None and day <= end and (noticed is None or (day - noticed).days < need):
            print(
                tr(
                    "警告：协议到 {end} 才到期，提前终止应提前 {need} 天通知（合作协议第四条），这次{given}",
                    "warning: the agreement runs until {end}; ending it early needs {need} days' notice (article 4);"
                    " here {given}",
                    end=end,
                    need=need,
                    given=tr("没有登记通知日期", "no notice date is given")
                    if noticed is None
                    else tr("只提前了 {n} 天", "only {n} days were given", n=(day - noticed).days),
                )
            )


def _notice_days(repo: "Repository") -> int:
    from yjstation.domain.reporting import ReportingPolicy
    from yjstation.foundation.records import as_dict

    return ReportingPolicy.from_data(
        as_dict(repo.policy["reporting"].data) if "reporting" in repo.policy else {}
    ).notice_days


def _require_day(value: str, option: str) -> date:
    if not value:
        raise typer.BadParameter(tr("请给出日期 YYYY-MM-DD", "give the day as YYYY-MM-DD"), param_hint=option)
    return _day(value, option)


def _stations(repo: "Repository") -> dict[str, dict[str, Any]]:
    return {Path(d.file).stem: d.data for d in repo.stations if isinstance(d.data, dict)}


def _known(ids: list[str], data: dict[str, Any]) -> None:
    unknown = [sid for sid in ids if sid not in data]
    if unknown:
        raise CannotRun(tr("找不到站点：{ids}", "no such station: {ids}", ids=", ".join(unknown)))


def _attended(station: dict[str, Any], day: date, module: str) -> bool:
    from yjstation.domain.history import tenure_on
    from yjstation.foundation.records import as_dict

    tenure = tenure_on(station, day)
    records = tenure.training if tenure is not None else []
    return any(as_dict(r).get("date") == day.isoformat() and as_dict(r).get("module") == module for r in records)


def _read(root: Path, rel: str) -> "tuple[str, Snapshot]":
    from yjstation.cli.writing import read_for_edit

    return read_for_edit(root, rel)


def _edit(change: Any, text: str, rel: str) -> str:
    from yjstation.cli.writing import readable
    from yjstation.editing.edits import EditError

    with readable(rel):
        try:
            return str(change(text))
        except EditError as exc:
            raise CannotRun(str(exc)) from None


def _write(root: Path, texts: dict[str, str], as_of: date, based_on: "dict[str, Snapshot]") -> None:
    from yjstation.cli.writing import write_all

    write_all(root, texts, as_of, based_on)


def _person(name: str, id_number: str, phone: str, extra: dict[str, str | None]) -> dict[str, Any]:
    """The new stationmaster's fields; the birth date and gender come from the ID number."""
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    number = id_number.upper()
    try:
        born = ric.get_birth_date(ric.validate(number))
    except (ValidationError, ValueError):
        raise typer.BadParameter(
            tr(
                "身份证号码 {start}…{end} 无效（长度、校验位或出生日期不对）",
                "ID card number {start}…{end} is invalid (wrong length, check digit or birth date)",
                start=number[:6],
                end=number[-4:],
            ),
            param_hint="--id-number",
        ) from None
    person: dict[str, Any] = {
        "name": name,
        "gender": "male" if int(number[16]) % 2 else "female",
        "birth_date": born,
        "id_number": number,
        "phone": phone,
    }
    person.update({key: value.strip() for key, value in extra.items() if value and value.strip()})
    return person


def _plain(data: Any) -> dict[str, Any]:
    """A round-trip document as the plain data the history functions read (dates as ISO text)."""
    import json

    return dict(json.loads(json.dumps(data, default=str))) if isinstance(data, dict) else {}


def _station(root: Path, given: str) -> str:
    """A station id of the repository (exit 2 with the closest ids otherwise)."""
    from yjstation.cli.common import choose_station

    return choose_station((p.stem for p in (root / "data" / "stations").glob("*.yaml")), given)
