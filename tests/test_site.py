"""`yjstation site`: a self-contained static site whose figures are the reports' own, checked as files
and in a real browser (headless Chromium from the distribution, driven by Selenium).

The bundle's site is built once per module (`built`), and so is a small copy with a finding and a
stationmaster replaced in 2021 (`changed`); the browser starts once per module."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml

from tests.conftest import Oracle, cli_once, copy_repository, run_cli

MONTH = "2021-06"


@pytest.fixture(scope="module")
def built(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the bundle and its site for MONTH."""
    root = copy_repository(bundle, tmp_path_factory.mktemp("site") / "repo")
    done = run_cli("--root", str(root), "site", "--month", MONTH, "--out-dir", str(root / "out/site"))
    assert done.exit_code == 0, done.stderr
    return root, root / "out/site"


# The stationmaster who takes over pingyuan-mengzhan on 2021-10-01, with what the plan asks of them first.
SUCCESSOR = (
    *("--date", "2021-10-01", "--reason", "本人申请退出"),
    *("--name", "李春燕", "--id-number", "533123199003150029", "--phone", "13988760021"),
    *("--education", "高中", "--native-place", "云南盈江", "--address", "盈江县平原镇勐盏村三组"),
    *("--roles", "returning_youth", "--applied", "2021-08-10", "--endorsed", "--approved", "2021-08-20"),
    *("--good-credit", "yes", "--credit-checked", "2021-08-15", "--trained", "2021-09-10"),
    *("--agreement-number", "YJ-2021-101", "--signed", "2021-09-20", "--end", "2029-09-30", "--deposit", "1000"),
    *("--as-of", "2021-10-05"),
)


@pytest.fixture(scope="module")
def changed(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Three stations of the bundle; pingyuan-town's stationmaster given the wrong gender (ID006),
    pingyuan-mengzhan's replaced on 2021-10-01 (through `station replace-master`) and jiucheng-town closed
    in January 2022; sites for June and December 2021, and of December seen from February 2022 and from
    2024 (renewals signed by then)."""
    base = tmp_path_factory.mktemp("changed")
    root = copy_repository(bundle, base / "repo", stations=["pingyuan-town", "pingyuan-mengzhan", "jiucheng-town"])
    town = root / "data/stations/pingyuan-town.yaml"
    text = town.read_text(encoding="utf-8")
    gender = yaml.safe_load(text)["stationmaster"]["gender"]
    other = "female" if gender == "male" else "male"
    town.write_text(text.replace(f"gender: {gender}", f"gender: {other}", 1), encoding="utf-8")
    done = run_cli("--root", str(root), "station", "replace-master", "pingyuan-mengzhan", *SUCCESSOR)
    assert done.exit_code == 0, done.stderr
    sites = {}
    for name, extra in (("june", ("--month", MONTH)), ("december", ("--month", "2021-12"))):
        sites[name] = base / name
        done = run_cli("--root", str(root), "site", *extra, "--out-dir", str(sites[name]))
        assert done.exit_code == 0, done.stderr
    # jiucheng-town (its township's only station here) closes after December: a site of December seen
    # from February has it in the month's lists but no page for it or its township.
    done = run_cli("--root", str(root), "station", "close", "jiucheng-town", "--date", "2022-01-15", "--reason",
                   "并入邻近站点", "--notice-date", "2021-12-01", "--as-of", "2022-01-16")  # fmt: skip
    assert done.exit_code == 0, done.stderr
    for name, as_of in (("february", "2022-02-01"), ("later", "2024-01-31")):
        sites[name] = base / name
        done = run_cli("--root", str(root), "site", "--month", "2021-12", "--as-of", as_of, "--out-dir",
                       str(sites[name]))  # fmt: skip
        assert done.exit_code == 0, done.stderr
    return {"root": root, "original": text, **sites}


class Page(HTMLParser):
    """The parts of a page the tests read: links, resources, figures, the trend table and the text a
    person reads (without the findings' file-and-line cells, which are for operators)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.figures: dict[str, str] = {}
        self.trend: dict[str, dict[str, str]] = {}
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.lang = ""
        self._open: list[tuple[str, str | None, str | None, bool]] = []  # tag, figure, trend key, path cell
        self._month: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        for key in ("src", "href"):
            if key in values and tag != "a":
                self.resources.append(values[key])
        if "data-month" in values:
            self._month = values["data-month"]
        if tag in ("br", "meta", "link", "img", "input"):
            return
        path = "path" in values.get("class", "").split()
        self._open.append((tag, values.get("data-figure"), values.get("data-trend"), path))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not any(path for *_, path in self._open) and not any(t in ("script", "style") for t, *_ in self._open):
            self.text.append(data)
        for _, figure, trend, _ in self._open:
            if figure is not None:
                self.figures[figure] = self.figures.get(figure, "") + data
            if trend is not None and self._month is not None:
                row = self.trend.setdefault(self._month, {})
                row[trend] = row.get(trend, "") + data


def read(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def number(shown: str) -> Decimal:
    """A figure as the page prints it (`38,852`, `−7,596.96`, `59.8%`) as a number (a share as a fraction)."""
    text = shown.strip().replace(",", "").replace("\u2212", "-").replace("+", "")
    return Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)


def test_every_page_is_chinese_self_contained_and_its_links_resolve(bundle: Path, built: tuple[Path, Path]) -> None:
    _, site = built
    listed = cli_once("--root", str(bundle), "checklist", "--as-of", "2021-06-30", "--format", "json").json()
    assert {p.stem for p in (site / "stations").glob("*.html")} == {s["id"] for s in listed["stations"]}
    assert (site / "index.html").is_file() and (site / "findings.html").is_file()
    self_contained(site)


def test_a_station_in_the_months_lists_but_closed_by_the_day_is_named_not_linked(changed: dict[str, Any]) -> None:
    site = changed["february"]
    assert not (site / "stations/jiucheng-town.html").exists() and not (site / "townships/jiucheng.html").exists()
    assert "旧城镇" in " ".join(read(site / "index.html").text)
    self_contained(site)


def self_contained(site: Path) -> None:
    """Every page Chinese, nothing fetched from outside, every internal link and anchor resolving."""
    for path in sorted(site.rglob("*.html")):
        page = read(path)
        assert page.lang == "zh-CN", path
        assert not [r for r in page.resources if urlparse(r).scheme or r.startswith("//")], path
        for link in page.links:
            assert not urlparse(link).scheme, f"{path}: {link} leaves the site"
            target, _, anchor = link.partition("#")
            resolved = (path.parent / target).resolve() if target else path
            assert resolved.is_file(), f"{path}: {link} is broken"
            if anchor:
                assert anchor in read(resolved).ids, f"{path}: {link} has no such anchor"


def test_people_read_names_and_chinese_dates_not_ids_and_iso_dates(
    bundle: Path, built: tuple[Path, Path], oracle: Oracle
) -> None:
    _, site = built
    ids = {p.stem for p in (bundle / "data/stations").glob("*.yaml")}
    towns = {t["id"] for t in oracle.county["townships"]}
    words = "|".join(map(re.escape, sorted(ids | towns, key=len, reverse=True)))
    an_id = re.compile(rf"(?<![A-Za-z0-9_-])(?:{words})(?![A-Za-z0-9_-])")
    codes = re.compile(r"(?<![A-Za-z_])(?:express|purchase_agency|consignment|township|village|reported|missing|draft)")
    for path in sorted(site.rglob("*.html")):
        text = " ".join(read(path).text)
        assert not an_id.search(text), f"{path}: an id where people read"
        assert not re.search(r"\b\d{4}-\d{2}(?:-\d{2})?\b", text), f"{path}: an ISO date or month where people read"
        assert not codes.search(text), f"{path}: an untranslated code"
    county = " ".join(read(site / "index.html").text)
    station = " ".join(read(site / "stations/pingyuan-mengzhan.html").text)
    name = oracle.stations["pingyuan-mengzhan"]["name"]
    assert "2021年6月30日" in county and name in station and "2021年6月" in station


def test_the_county_page_shows_the_monthly_reports_figures(bundle: Path, built: tuple[Path, Path]) -> None:
    _, site = built
    report = cli_once("--root", str(bundle), "report", "monthly", MONTH, "--format", "json").json()
    figures = read(site / "index.html").figures
    # the network, the rollout, the month's reporting, each service, fees, training, assessment, events
    for key in ("reporting.expected", "reporting.missing", "services.by_service.express.orders", "fees.count",
                "assessment.levels.0.passed", "assessment.levels.1.failed", "assessment.candidates", "events",
                "network.total.village_coverage", "rollout.steps.7.done", "training.incomplete"):  # fmt: skip
        assert key in figures, key
    assert len(figures) >= 40
    for dotted, shown in figures.items():
        value: Any = report
        for part in dotted.split("."):
            value = value[int(part)] if part.isdigit() else value[part]
        if isinstance(value, list):
            value = len(value)  # a list shown as its count
        expected = Decimal(str(value))
        if shown.strip().endswith("%"):
            expected = expected.quantize(Decimal("0.001"))
        assert number(shown) == expected, dotted


def test_each_month_of_the_trend_is_that_months_report(bundle: Path, built: tuple[Path, Path]) -> None:
    _, site = built
    trend = read(site / "index.html").trend
    months = sorted(trend)
    assert months[-1] == MONTH and len(months) >= 2
    for month in (months[0], months[-2]):
        total = cli_once("--root", str(bundle), "report", "monthly", month, "--format", "json").json()["services"]
        for key, shown in trend[month].items():
            assert number(shown) == Decimal(str(total["total"][key])), (month, key)


def test_no_full_id_or_phone_number_on_any_page(built: tuple[Path, Path], changed: dict[str, Any]) -> None:
    root, site = built
    numbers = set()
    for path in [*(root / "data/stations").glob("*.yaml"), changed["root"] / "data/stations/pingyuan-mengzhan.yaml"]:
        numbers.update(re.findall(r'"(\d{17}[\dX]|1\d{10})"', path.read_text(encoding="utf-8")))
    assert len(numbers) > 100
    for path in [*site.rglob("*.html"), *changed["december"].rglob("*.html")]:
        text = path.read_text(encoding="utf-8")
        assert not [n for n in numbers if n in text], path
        assert not re.search(r"(?<!\d)(\d{17}[\dX]|1[3-9]\d{9})(?!\d)", text), path


def test_a_station_page_shows_its_findings_with_file_and_line(changed: dict[str, Any]) -> None:
    text = (changed["december"] / "stations/pingyuan-town.html").read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(changed["original"].splitlines(), 1) if "gender:" in row)
    assert f"data/stations/pingyuan-town.yaml:{line}" in text and "ID006" in text
    assert "ID006" in (changed["december"] / "findings.html").read_text(encoding="utf-8")


def test_a_station_page_shows_its_stationmasters_as_of_the_day(changed: dict[str, Any]) -> None:
    june = " ".join(read(changed["june"] / "stations/pingyuan-mengzhan.html").text)
    december = " ".join(read(changed["december"] / "stations/pingyuan-mengzhan.html").text)
    data = yaml.safe_load((changed["root"] / "data/stations/pingyuan-mengzhan.yaml").read_text(encoding="utf-8"))
    first = data["former_stationmasters"][0]["stationmaster"]
    # In June the successor was not there yet; in December both, with the change and the new agreement.
    assert first["name"] in june and "李春燕" not in june and "YJ-2021-101" not in june
    assert first["name"] in december and "李春燕" in december and "本人申请退出" in december
    assert "2021年9月30日离任" in december and "YJ-2021-101" in december and "2029年9月30日" in december
    # A renewal appears once it is signed: not in a site of 2021, in one seen from 2024.
    town = yaml.safe_load((changed["root"] / "data/stations/pingyuan-town.yaml").read_text(encoding="utf-8"))
    (renewal,) = town["agreement"]["renewals"][:1]
    assert renewal["signed"].year > 2021
    assert renewal["number"] not in " ".join(read(changed["december"] / "stations/pingyuan-town.html").text)
    assert f"续签 {renewal['number']}" in " ".join(read(changed["later"] / "stations/pingyuan-town.html").text)


def test_a_repository_without_records_and_a_bad_month_are_plain_messages(bundle: Path, tmp_path: Path) -> None:
    root = copy_repository(bundle, tmp_path / "repo", stations=["pingyuan-town"])
    shutil.rmtree(root / "data/operations", ignore_errors=True)
    assert run_cli("--root", str(root), "site").exit_code == 2
    assert run_cli("--root", str(root), "site", "--month", "2021-13").exit_code == 2


# --- in a real browser -------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI"):
            pytest.fail("CI must have chromium and chromium-driver (apt) for the browser tests")
        pytest.skip("chromium and chromedriver are not installed")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    yield driver
    driver.quit()


@pytest.mark.slow  # a real browser
def test_every_page_loads_in_chromium_without_console_errors(
    built: tuple[Path, Path], browser: Any, tmp_path: Path
) -> None:
    """Every page in a frame of one harness page (one navigation instead of ninety: the frames load
    side by side), a few frames' headings read, and the console's errors, which name their page."""
    from selenium.webdriver.support.ui import WebDriverWait

    _, site = built
    pages = sorted(site.rglob("*.html"))
    frames = "".join(f'<iframe src="{p.as_uri()}" onload="loaded++" width="390" height="200"></iframe>' for p in pages)
    harness = tmp_path / "harness.html"
    harness.write_text(f"<!DOCTYPE html><meta charset=utf-8><script>var loaded=0</script>{frames}", encoding="utf-8")
    browser.set_window_size(1280, 900)
    browser.get(harness.as_uri())
    WebDriverWait(browser, 60).until(lambda b: b.execute_script("return loaded") == len(pages))
    sample = {site / "index.html", site / "findings.html", site / "townships/pingyuan.html"}
    for index, path in enumerate(pages):
        if path in sample or index == len(pages) - 1:  # frames are other origins: read a few by switching
            browser.switch_to.frame(index)
            assert "盈江县" in browser.find_element("tag name", "h1").text, path
            browser.switch_to.default_content()
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors


@pytest.mark.slow  # a real browser
@pytest.mark.parametrize("page", ["index.html", "townships/pingyuan.html", "stations/pingyuan-mengzhan.html"])
def test_pages_fit_a_phone(built: tuple[Path, Path], browser: Any, tmp_path: Path, page: str) -> None:
    _, site = built
    browser.set_window_size(390, 844)
    browser.get((site / page).as_uri())
    width, inner = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page} scrolls sideways on a phone"
    narrowest = browser.execute_script(
        "return Math.min(999, ...Array.from(document.querySelectorAll('td.name')).map(c => c.getBoundingClientRect().width))"
    )
    assert narrowest >= 80, "station names squeezed to a column of single characters"
    shot = tmp_path / "phone.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


@pytest.mark.slow  # a real browser
def test_the_findings_page_filters_in_the_browser(changed: dict[str, Any], browser: Any) -> None:
    from selenium.webdriver.support.ui import Select

    browser.get((changed["december"] / "findings.html").as_uri())
    rows = browser.execute_script("return document.querySelectorAll('#findings tbody tr').length")
    assert browser.find_element("id", "f-count").text == f"显示 {rows} / {rows} 条"
    Select(browser.find_element("id", "f-code")).select_by_value("ID006")
    visible = browser.execute_script(
        "return Array.from(document.querySelectorAll('#findings tbody tr')).filter(r => !r.hidden)"
        ".map(r => r.dataset.code)"
    )
    assert rows > len(visible) >= 1 and set(visible) == {"ID006"}
    assert browser.find_element("id", "f-count").text == f"显示 {len(visible)} / {rows} 条"
