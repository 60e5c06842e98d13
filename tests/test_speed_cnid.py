"""The ID number checks the identity rules use, read without importing stdnum, answer exactly as
python-stdnum's `stdnum.cn.ric` does: for every division code in its table, in every year a code
changed, and for numbers of every other kind."""

from __future__ import annotations

import random
import re
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from stdnum.cn import ric
from stdnum.exceptions import ValidationError as Theirs

from yjstation.domain import cnid


def _outcome(call: Any, number: str) -> tuple[str, Any]:
    try:
        return "ok", call(number)
    except (Theirs, cnid.ValidationError):
        return "invalid", None
    except Exception as exc:
        return type(exc).__name__, None


def _with_check_digit(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


def _division_codes() -> list[str]:
    spec = find_spec("stdnum")
    assert spec is not None and spec.submodule_search_locations
    text = (Path(spec.submodule_search_locations[0]) / "cn" / "loc.dat").read_text(encoding="utf-8")
    codes, province = [], ""
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        ranges = line.split()[0]
        if not line.startswith(" "):
            province = ranges
            continue
        for span in ranges.split(","):
            for end in span.split("-"):
                codes.append(province + end)
    return codes


def test_every_division_code_in_every_year_it_changed() -> None:
    codes = _division_codes()
    assert len(codes) > 3000
    years = [1950, 1969, 1970, 1982, 1983, 1986, 1987, 1997, 1998, 2001, 2010, 2011, 2015, 2016, 2024]
    for code in codes:
        for year in years:
            number = _with_check_digit(f"{code}{year}0101001")
            assert _outcome(cnid.get_birth_place, number) == _outcome(ric.get_birth_place, number), number
            assert _outcome(cnid.validate, number) == _outcome(ric.validate, number), number


def test_numbers_of_every_other_kind() -> None:
    rng = random.Random(18)
    samples = ["", "X", "533123198611160568", "533123198611160569", "53312319861116056x", "533123198602300568",
               " 533123198611160568 ", "5331231986111605", "5331231986111605680", "５３３１２３１９８６１１１６０５６８",
               "533123-19861116-0568", "A33123198611160568", "000000198611160568", "990000198611160568"]  # fmt: skip
    for _ in range(3000):
        body = f"{rng.randrange(10, 90):02d}{rng.randrange(0, 10000):04d}{rng.randrange(1900, 2030)}"
        body += f"{rng.randrange(1, 13):02d}{rng.randrange(1, 32):02d}{rng.randrange(0, 1000):03d}"
        samples += [_with_check_digit(body), body + rng.choice("0123456789X")]
    for number in samples:
        for ours, theirs in (
            (cnid.validate, ric.validate),
            (cnid.get_birth_date, ric.get_birth_date),
            (cnid.get_birth_place, ric.get_birth_place),
            (cnid.compact, ric.compact),
        ):
            assert _outcome(ours, number) == _outcome(theirs, number), (number, ours.__name__)
        if re.fullmatch(r"[0-9]{17}[0-9X]", number):
            assert cnid.calc_check_digit(number) == ric.calc_check_digit(number)
