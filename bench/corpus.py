"""Build a large, valid data repository by varying the bundled Yingjiang files.

    python bench/corpus.py OUT --stations 2000 --months 12

Each generated township takes a bundled township station as its model and each village station a
bundled operating village station; the text of the model file is kept (comments, flow style, every
field) and only what must differ is rewritten: ids, township, village, the station's name, the
stationmaster's ID and phone numbers (still valid and unique) and the agreement numbers. county.yaml
gets one township per twenty stations with exactly the villages the stations stand in, and targets
matching the counts. Monthly records are the model station's records of 2021, moved to the corpus's
months (2022-01 on) with every date shifted into the new month. The same arguments always give the
same bytes, and the result validates with no findings as of the last day of the last month.

With `--messy FRACTION` the corpus looks like a county's first import instead: that fraction of the
stations carries a mistake that other files see (in turn: a phone number shared with the station
before it, an agreement number reused from the station before it, a village missing from the county's
register), and the same stations are recorded as closed after their first month while their monthly
records go on (so those records are not in an operating month). About that fraction of all files then
has findings, most of them found by cross-file rules.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml
from stdnum.cn import ric

BUNDLE = Path(__file__).resolve().parent.parent
PER_TOWNSHIP = 20  # one township station and nineteen village stations
FIRST_MONTH = (2022, 1)  # after every bundled station's fit-out, before any agreement runs out
AREAS = ("533123", "533102", "533103", "533122", "533124")  # Dehong prefecture's county codes


@dataclass(frozen=True)
class Model:
    """A bundled station file used as the model for generated ones."""

    stem: str
    text: str
    level: str
    township: str
    village: str
    poverty: bool | None
    records: dict[int, tuple[str, str]]  # month of 2021 -> (folder, text) of its operations record


def load_models(bundle: Path) -> tuple[list[Model], list[Model], dict[str, dict[str, str]]]:
    """The bundled stations that operate through December 2021 (so every later month is theirs),
    split by level, and the bundled townships by id."""
    county = yaml.safe_load((bundle / "data/county.yaml").read_text(encoding="utf-8"))
    townships = {t["id"]: {"name": t["name"], "kind": t.get("kind", "town")} for t in county["townships"]}
    towns, villages = [], []
    for path in sorted((bundle / "data/stations").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        records = {
            int(p.parent.name[5:]): (p.parent.name, p.read_text(encoding="utf-8"))
            for p in sorted((bundle / "data/operations").glob(f"2021-*/{path.stem}.yaml"))
        }
        if 12 not in records:
            continue  # not operating at the end of 2021: no records to vary
        model = Model(
            path.stem,
            text,
            data["level"],
            data["township"],
            data.get("village", ""),
            data.get("poverty_village"),
            records,
        )
        (towns if model.level == "township" else villages).append(model)
    return towns, villages, townships


class People:
    """Unique, valid stationmaster ID and phone numbers: a model's birth date and sex are kept, the
    area code and sequence number vary, and the check digit is recomputed."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.phones = 0

    def id_number(self, model_number: str) -> str:
        birth, sex = model_number[6:14], int(model_number[16]) % 2
        for area in AREAS:
            for serial in range(1000):
                if serial % 2 != sex:
                    continue
                body = f"{area}{birth}{serial:03d}"
                number = body + ric.calc_check_digit(body + "0")
                if number in self.used:
                    continue
                try:
                    ric.get_birth_place(number)
                except Exception:  # area code not in force in that birth year
                    break
                self.used.add(number)
                return number
        raise RuntimeError(f"no unused ID number left for birth date {birth}")

    def phone(self) -> str:
        self.phones += 1
        return f"139{self.phones:08d}"


def _line(text: str, key: str, value: str, indent: str = "") -> str:
    """Replace the value of the first `key:` line at exactly this indentation."""
    pattern = re.compile(rf"^{indent}{key}: .*$", re.MULTILINE)
    if pattern.search(text) is None:
        raise ValueError(f"model has no `{indent}{key}:` line")
    return pattern.sub(f"{indent}{key}: {value}", text, count=1)


def station_text(
    model: Model, station_id: str, township: str, village: str, name: str, people: People, serial: int
) -> str:
    text = model.text
    first, rest = text.split("\n", 1)
    kind = "乡镇级" if model.level == "township" else "村级"
    text = (f"# {name}（{kind}）\n" if first.startswith("#") else first + "\n") + rest
    text = _line(text, "id", station_id)
    text = _line(text, "name", name)
    text = _line(text, "township", township)
    if model.level == "village":
        text = _line(text, "village", village)
    model_id = re.search(r'^  id_number: "([0-9X]{18})"$', text, re.MULTILINE)
    assert model_id is not None, model.stem
    text = _line(text, "id_number", f'"{people.id_number(model_id.group(1))}"', "  ")
    text = _line(text, "phone", f'"{people.phone()}"', "  ")
    # Agreement numbers must be unique across the repository: suffix every one with the serial.
    return re.sub(r"\b(YJ-[0-9]{4}-[0-9]{3})\b", rf"\1-{serial}", text)


_DATE = re.compile(r"\b([0-9]{4})-([0-9]{2})-([0-9]{2})\b")


def _month_length(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date(year, month, 1)).days


def record_text(folder: str, text: str, station_id: str, name: str, year: int, month: int) -> str:
    """A model month's record moved to `year-month`: each date keeps its day (clamped to the month's
    length, so the order of dates is kept); a date after the model month keeps its distance past it."""
    model_year, model_month = int(folder[:4]), int(folder[5:])
    model_first, model_days = date(model_year, model_month, 1), _month_length(model_year, model_month)
    first, days = date(year, month, 1), _month_length(year, month)

    def move(match: re.Match[str]) -> str:
        offset = (date(int(match[1]), int(match[2]), int(match[3])) - model_first).days
        moved = min(offset, days - 1) if offset < model_days else offset - model_days + days
        return (first + timedelta(days=moved)).isoformat()

    head, rest = text.split("\n", 1)
    if head.startswith("#"):
        text = f"# {name} {year}年{month}月运营记录\n" + rest
    text = _line(text, "station", station_id)
    text = _line(text, "month", f'"{year:04d}-{month:02d}"')
    return _DATE.sub(move, text)


def months(count: int) -> list[tuple[int, int]]:
    year, month = FIRST_MONTH
    out = []
    for _ in range(count):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def as_of(count: int) -> date:
    year, month = months(count)[-1]
    return date(year, month, _month_length(year, month))


def mistake(serial: int, fraction: float) -> int:
    """The mistake station number `serial` (1-based) carries: 0 none, else 1 a shared phone number,
    2 a reused agreement number, 3 a village outside the register; messy stations are spread evenly."""
    count = int(serial * fraction)
    return 0 if count == int((serial - 1) * fraction) else 1 + (count - 1) % 3


def generate(
    out: Path, stations: int, month_count: int, bundle: Path = BUNDLE, messy: float = 0.0
) -> dict[str, object]:
    """Write a repository of `stations` stations with `month_count` monthly records each into `out`
    (which is replaced); returns a manifest (also written to out/corpus.json). `messy` is the fraction
    of stations given cross-file mistakes (see the module's docstring)."""
    if stations < 1:
        raise ValueError("need at least one station")
    towns, villages, bundled_townships = load_models(bundle)
    if out.exists():
        shutil.rmtree(out)
    for part in ("data/policy", "data/schemas"):
        shutil.copytree(bundle / part, out / part)
    shutil.copy2(bundle / "data/waivers.yaml", out / "data/waivers.yaml")
    (out / "data/stations").mkdir(parents=True)
    people = People()
    calendar = months(month_count)
    for year, month in calendar:
        (out / f"data/operations/{year:04d}-{month:02d}").mkdir(parents=True)
    county_lines: list[str] = []
    serial = 0
    previous: tuple[str, str] | None = None  # (phone, agreement number) of the station written last
    first_month_end = as_of(1)
    township_count = -(-stations // PER_TOWNSHIP)
    village_total = 0
    for k in range(township_count):
        size = min(PER_TOWNSHIP, stations - k * PER_TOWNSHIP)
        town_model = towns[k % len(towns)]
        base = bundled_townships[town_model.township]
        town_id = f"{town_model.township}{k}"
        town_name = f"{base['name'][:-1]}{k}{base['name'][-1]}"
        county_lines += [f"  - id: {town_id}", f"    name: {town_name}", f"    kind: {base['kind']}"]
        members: list[tuple[Model, str, str, str]] = [(town_model, f"{town_id}-town", "", f"{town_name}电子商务服务站")]
        if size > 1:
            county_lines.append("    villages:")
        for j in range(1, size):
            model = villages[(k * (PER_TOWNSHIP - 1) + j - 1) % len(villages)]
            slug = model.stem.split("-", 1)[1]
            village = f"{model.village[:-1]}{j}{model.village[-1]}"
            poverty = f", poverty: {str(model.poverty).lower()}" if model.poverty is not None else ""
            listed = village
            if mistake(k * PER_TOWNSHIP + j + 1, messy) == 3:
                listed = f"{village[:-1]}上{village[-1]}"  # the register names another village
            county_lines.append(f"      - {{name: {listed}{poverty}}}")
            members.append((model, f"{town_id}-{slug}{j}", village, f"{town_name}{village}电子商务服务站"))
            village_total += 1
        for model, station_id, village, name in members:
            serial += 1
            text = station_text(model, station_id, town_id, village, name, people, serial)
            phone = re.search(r'^  phone: (".*")$', text, re.MULTILINE)
            number = re.search(r"^  number: (.*)$", text, re.MULTILINE)
            kind = mistake(serial, messy)
            if kind:
                if previous is not None and kind == 1:
                    text = _line(text, "phone", previous[0], "  ")
                elif previous is not None and kind == 2:
                    text = _line(text, "number", previous[1], "  ")
                # (the third kind, a village outside the register, is in county.yaml above)
                text = text.rstrip("\n") + f"\nclosed: {first_month_end.isoformat()}\n"
            if phone is not None and number is not None:
                previous = (phone.group(1), number.group(1))
            (out / f"data/stations/{station_id}.yaml").write_text(text, encoding="utf-8")
            for year, month in calendar:
                folder, record = model.records.get(month, model.records[12])
                moved = record_text(folder, record, station_id, name, year, month)
                (out / f"data/operations/{year:04d}-{month:02d}/{station_id}.yaml").write_text(moved, encoding="utf-8")
    county = (bundle / "data/county.yaml").read_text(encoding="utf-8").split("\ntownships:", 1)[0]
    county = _line(county, "township_stations", str(township_count), "  ")
    county = _line(county, "village_stations", str(village_total), "  ")
    (out / "data/county.yaml").write_text(county + "\ntownships:\n" + "\n".join(county_lines) + "\n", encoding="utf-8")
    manifest: dict[str, object] = {
        "stations": stations,
        "months": month_count,
        "station_files": stations,
        "operations_files": stations * month_count,
        "as_of": as_of(month_count).isoformat(),
        "messy": messy,
    }
    (out / "corpus.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to write the repository into (replaced)")
    parser.add_argument("--stations", type=int, default=2000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--messy", type=float, default=0.0, help="fraction of stations with cross-file mistakes")
    args = parser.parse_args(argv)
    manifest = generate(args.out, args.stations, args.months, messy=args.messy)
    print(json.dumps(manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
