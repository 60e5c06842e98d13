"""`yjstation site`: a self-contained static site whose figures are the reports' own, checked as files
and in a real browser (headless Chromium from the distribution, driven by Selenium)."""

from __future__ import annotations

import os
import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.conftest import copy_repository, run_cli

MONTH = "2021-06"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the bundle and its site for MONTH."""
    root = copy_repository(tmp_path_factory.mktemp("site") / "repo")
    done = run_cli("--root", str(root), "site", "--month", MONTH, "--out-dir", str(root / "out/site"))
    assert done.exit_code == 0, done.stderr
    return root, root / "out/site"


class Page(HTMLParser):
    """The parts of a page the tests read: links, resources, figures and the visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.figures: dict[str, str] = {}
        self.ids: set[str] = set()
        self.text: list[str] = []
        self._figure: str | None = None
        self.lang = ""

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
        if "data-figure" in values:
            self._figure = values["data-figure"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._figure is not None:
            self.figures[self._figure] = self.figures.get(self._figure, "") + data

    def handle_endtag(self, tag: str) -> None:
        self._figure = None


def read(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_every_page_is_chinese_self_contained_and_its_links_resolve(built: tuple[Path, Path]) -> None:
    root, site = built
    pages = sorted(site.rglob("*.html"))
    stations = {p.stem for p in (root / "data/stations").glob("*.yaml")}
    assert {p.stem for p in (site / "stations").glob("*.html")} == stations
    assert (site / "index.html").is_file() and (site / "findings.html").is_file()
    for path in pages:
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


def test_the_county_page_shows_the_monthly_reports_figures(built: tuple[Path, Path]) -> None:
    root, site = built
    report = run_cli("--root", str(root), "report", "monthly", MONTH, "--format", "json").json()
    figures = read(site / "index.html").figures
    assert len(figures) >= 12
    for dotted, shown in figures.items():
        value: Any = report
        for part in dotted.split("."):
            value = value[int(part)] if part.isdigit() else value[part]
        text = shown.strip().replace(",", "")
        if text.endswith("%"):
            assert Decimal(text[:-1]) == (Decimal(value) * 100).quantize(Decimal("0.1")), dotted
        else:
            assert Decimal(text) == Decimal(str(value)), dotted


def test_no_full_id_or_phone_number_on_any_page(built: tuple[Path, Path]) -> None:
    root, site = built
    numbers = set()
    for path in (root / "data/stations").glob("*.yaml"):
        numbers.update(re.findall(r'"(\d{17}[\dX]|1\d{10})"', path.read_text(encoding="utf-8")))
    assert len(numbers) > 100
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not [n for n in numbers if n in text], path
        assert not re.search(r"(?<!\d)(\d{17}[\dX]|1[3-9]\d{9})(?!\d)", text), path


def test_a_station_page_shows_its_findings_with_file_and_line(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo", stations=["pingyuan-town", "pingyuan-mengzhan"])
    station = root / "data/stations/pingyuan-mengzhan.yaml"
    station.write_text(station.read_text(encoding="utf-8").replace("gender: female", "gender: male"), encoding="utf-8")
    done = run_cli("--root", str(root), "site", "--month", MONTH, "--out-dir", str(tmp_path / "site"))
    assert done.exit_code == 0, done.stderr
    text = (tmp_path / "site/stations/pingyuan-mengzhan.html").read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(station.read_text(encoding="utf-8").splitlines(), 1) if "gender:" in row)
    assert f"data/stations/pingyuan-mengzhan.yaml:{line}" in text and "ID006" in text
    assert "ID006" in (tmp_path / "site/findings.html").read_text(encoding="utf-8")


def test_a_repository_without_records_and_a_bad_month_are_plain_messages(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo", stations=["pingyuan-town"])
    shutil.rmtree(root / "data/operations", ignore_errors=True)
    assert run_cli("--root", str(root), "site").exit_code == 2
    assert run_cli("--root", str(root), "site", "--month", "2021-13").exit_code == 2


# --- in a real browser -------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser() -> Any:
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


def test_every_page_loads_in_chromium_without_console_errors(built: tuple[Path, Path], browser: Any) -> None:
    _, site = built
    for path in sorted(site.rglob("*.html")):
        browser.get(path.as_uri())
        assert browser.find_element("tag name", "h1").text, path
        errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
        assert not errors, (path, errors)


def test_the_county_page_fits_a_phone_and_the_findings_filter_works(
    built: tuple[Path, Path], browser: Any, tmp_path: Path
) -> None:
    _, site = built
    browser.set_window_size(390, 844)
    browser.get((site / "index.html").as_uri())
    width, inner = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, "the county page scrolls sideways on a phone"
    assert "盈江县" in browser.find_element("tag name", "h1").text
    browser.save_screenshot(str(tmp_path / "county-phone.png"))
    assert (tmp_path / "county-phone.png").stat().st_size > 10_000
    browser.get((site / "findings.html").as_uri())
    count = browser.find_element("id", "f-count").text
    rows = browser.execute_script("return document.querySelectorAll('#findings tbody tr').length")
    assert count == f"显示 {rows} / {rows} 条"


def test_the_findings_page_filters_by_code_in_the_browser(tmp_path: Path, browser: Any) -> None:
    root = copy_repository(tmp_path / "repo", stations=["pingyuan-town", "pingyuan-mengzhan", "jiucheng-town"])
    station = root / "data/stations/pingyuan-mengzhan.yaml"
    text = station.read_text(encoding="utf-8").replace("gender: female", "gender: male")
    station.write_text(text.replace("broadband: true", "broadband: false"), encoding="utf-8")
    assert run_cli("--root", str(root), "site", "--month", MONTH, "--out-dir", str(tmp_path / "site")).exit_code == 0
    from selenium.webdriver.support.ui import Select

    browser.get((tmp_path / "site/findings.html").as_uri())
    rows = browser.execute_script("return document.querySelectorAll('#findings tbody tr').length")
    Select(browser.find_element("id", "f-code")).select_by_value("ID006")
    visible = browser.execute_script(
        "return Array.from(document.querySelectorAll('#findings tbody tr')).filter(r => !r.hidden)"
        ".map(r => r.dataset.code)"
    )
    assert rows > len(visible) >= 1 and set(visible) == {"ID006"}
    assert browser.find_element("id", "f-count").text == f"显示 {len(visible)} / {rows} 条"
