"""Each patient's paper in their language and print size, printed by Chromium and by Firefox
ESR. The sample's Spanish patient prints with no English left on it; a Simplified Chinese patient (one translated exercise,
Tests/Browser/fixtures/zh-hans) prints with a CJK font embedded; a large-print patient
prints at 18 pt beside a normal one in the same build."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata

import pytest
import yaml

import pdfcheck
from conftest import BROWSERS, build_site, site_folder


def spanish_plans(site):
    plans = [plan for plan in site.plans if plan.language == "es"]
    assert plans, "the sample site should have a Spanish plan"
    return plans


def flat_words(text: str) -> list[str]:
    """Lower-case words of letters only: "Walk 1 min / Run" -> ["walk", "min", "run"]."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.findall(r"[^\W\d_]+", text)


def english_labels(site) -> set[str]:
    """Every fixed piece of text the English strings file prints that Spanish writes differently."""
    strings = site.root / "Templates" / "strings"
    english = yaml.safe_load((strings / "en.yaml").read_text())
    spanish = yaml.safe_load((strings / "es.yaml").read_text())
    labels = set()
    for name, value in english.items():
        forms = value.values() if isinstance(value, dict) else [value]
        other = spanish[name]
        other_forms = set(other.values()) if isinstance(other, dict) else {other}
        for form in forms:
            if form in other_forms:
                continue  # "Plan", "min", "×": the same in both languages
            for piece in re.split(r"\{\w+\}", form):
                words = flat_words(piece)
                # Single short words ("to", "at") also occur inside Spanish names and words.
                if len(words) >= 2 or (words and len(words[0]) >= 4):
                    labels.add(" ".join(words))
    # Words both languages write: "incline" is also Spanish ("incline la pelvis").
    return labels - {"incline"}


def without_web_addresses(text: str) -> str:
    """The text with each printed web address taken out ("videos.riverside-pt.example/forearm-plank",
    which the page may break after a hyphen and pdftotext join across a line): an address is
    typed as printed, in any language."""
    return re.sub(r"\S*\w\.\w+/\S*", " ", re.sub(r"(?<=\w)-[ \t]*\n[ \t]*(?=\w)", "-", text))


def english_content_runs(site) -> set[tuple[str, str, str]]:
    """Every run of three words in the English content (exercises, pages, progressions)."""
    runs = set()
    for kind in ("exercises", "pages", "progressions"):
        for path in (site.root / "Content" / kind).glob("*.md"):
            if path.name.count(".") > 1:
                continue  # a translation
            words = flat_words(path.read_text())
            runs.update(zip(words, words[1:], words[2:]))
    return runs


def english_left(site, pdf) -> tuple[list[str], list[tuple[str, str, str]]]:
    """English on a Spanish paper: the strings files' English labels, and runs of three words
    of the English content, that it prints."""
    # Names are names in every language: the patient's, the therapist's, the clinic's.
    allowed = set(flat_words(site.clinic + " " + (site.phone or "")))
    # An address is typed as printed, in any language ("…/sit-to-stand").
    words = flat_words(without_web_addresses(" ".join(pdf.pages)))
    text = " ".join(words)
    leaked = sorted(label for label in english_labels(site) if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text))
    runs = english_content_runs(site)
    found = sorted({run for run in zip(words, words[1:], words[2:]) if run in runs and not set(run) <= allowed})
    return leaked, found


@pytest.mark.parametrize("variant", ["letter", "a4"])
@pytest.mark.parametrize("page", ["index", "calendar"])
@pytest.mark.parametrize("browser", BROWSERS)
def test_spanish_paper_has_no_english_left(sites, printed, browser, variant, page):
    site = sites[variant]
    for plan in spanish_plans(site):
        leaked, found = english_left(site, printed[(browser, variant, plan.id, page)])
        assert leaked == [], f"{plan.id} {page} on {variant}: English labels {leaked[:10]}"
        assert found == [], f"{plan.id} {page} on {variant}: English text {found[:10]}"


@pytest.mark.parametrize("variant", ["letter", "a4"])
def test_spanish_paper_says_pagina_n_de_m_in_chromium(sites, printed, variant):
    """Firefox prints no @page margin boxes, so only Chromium prints the page's own counter."""
    for plan in spanish_plans(sites[variant]):
        for page in ("index", "calendar"):
            pdf = printed[("chromium", variant, plan.id, page)]
            assert all(f"Página {n} de {pdf.count}" in " ".join(text.split()) for n, text in enumerate(pdf.pages, 1))
            assert pdfcheck.check_page_numbers(pdf, "Página {page} de {pages}") == []


@pytest.mark.parametrize("browser", BROWSERS)
def test_the_english_check_would_catch_english(sites, printed, browser):
    """The same checks on the English patient's paper find English, so they can fail."""
    site = sites["letter"]
    english = next(plan for plan in site.plans if plan.language == "en")
    words = flat_words(" ".join(printed[(browser, "letter", english.id, "index")].pages))
    text = " ".join(words)
    assert any(re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text) for label in english_labels(site))
    assert set(zip(words, words[1:], words[2:])) & english_content_runs(site)


# Read back with poppler, Firefox ESR 153's PDF of the Chinese handout (Noto Sans CJK, the
# font fontconfig gives Simplified Chinese) lacks a glyph (如, U+5982, rasters blank) and maps
# others to no character, so its text is not the page's; which of Firefox's PDF and poppler's
# reading is at fault is not settled. Strict: this fails once it reads back right.
FIREFOX_CJK = pytest.mark.xfail(strict=True, reason="Firefox ESR 153's CJK PDF reads back with glyphs missing or unmapped")


@pytest.mark.parametrize("browser", [pytest.param(b, marks=FIREFOX_CJK) if b == "firefox" else b for b in BROWSERS])
def test_chinese_handout_prints_with_a_cjk_font_embedded(chinese_site, print_page, browser, tmp_path):
    plan = next(plan for plan in chinese_site.plans if plan.language == "zh-hans")
    pdf_path = print_page(browser, chinese_site.patient_page(plan, "index"), tmp_path / "zh.pdf")
    pdf = pdfcheck.Pdf.read(pdf_path)
    text = " ".join(" ".join(pdf.pages).split())
    for expected in ("前臂平板支撑", "您的居家运动计划", "次数：10", plan.patient):
        assert expected in text
    assert pdfcheck.check_running_header(pdf, plan.patient, chinese_site.clinic) == []
    if browser == "chromium":
        assert pdfcheck.check_page_numbers(pdf, plan.page_of) == []
    # The CJK font the test command installs (Debian fonts-noto-cjk) is the one a browser
    # falls back to for Chinese.
    match = subprocess.run(["fc-match", "sans-serif:lang=zh-cn"], capture_output=True, text=True, check=True).stdout
    assert "Noto Sans CJK" in match, match
    fonts = [line.split() for line in
             subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]]
    # Chromium embeds Noto's CFF glyphs as Type 3 fonts (pdffonts lists them unnamed); the
    # Latin text is Liberation Sans. Every font is embedded ("emb") with a map back to
    # Unicode ("uni"), so nothing is left to the reader's machine and the text reads back.
    if browser == "chromium":
        assert any(font[1:3] == ["Type", "3"] for font in fonts), fonts
    else:
        assert any("NotoSansCJK" in font[0] for font in fonts), fonts
    assert all(font[-5] == "yes" and font[-3] == "yes" for font in fonts), fonts
    html = chinese_site.patient_page(plan, "index").read_text()
    assert '<html lang="zh-hans">' in html


def test_chinese_calendar_heads_every_page_with_its_version(chinese_site, print_page, tmp_path):
    """"版本 3f9a2c1e" in the running head of every page of the Chinese calendar, on one line
    with the patient's name and the clinic's, printed by Chromium (Firefox's CJK text does
    not read back, above)."""
    plan = next(plan for plan in chinese_site.plans if plan.language == "zh-hans")
    page = chinese_site.patient_page(plan, "calendar")
    version = html.unescape(re.search(r'<span class="version">([^<]*)</span>', page.read_text()).group(1))
    assert re.fullmatch(r"版本 [0-9a-f]{8}", version), version
    pdf = pdfcheck.Pdf.read(print_page("chromium", page, tmp_path / "zh-calendar.pdf"))
    assert pdfcheck.check_running_head(pdf, [plan.patient, version, chinese_site.clinic]) == []
    assert pdfcheck.check_page_numbers(pdf, plan.page_of) == []


@pytest.fixture(scope="module")
def large_beside_normal(handout_bin, tmp_path_factory):
    """The sample site with a copy of the English patient who asked for large print."""
    source = tmp_path_factory.mktemp("large-source")
    shutil.copytree(site_folder() / "Content", source / "Content")
    shutil.copytree(site_folder() / "Templates", source / "Templates")
    plans = source / "Content" / "plans"
    (plans / "demo-0003.yaml").write_text((plans / "demo-0001.yaml").read_text() + "large_print: true\n")
    return build_site(handout_bin, source, tmp_path_factory.mktemp("large") / "site", "per-plan", {})


@pytest.mark.parametrize("browser", BROWSERS)
def test_per_plan_large_print_beside_a_normal_handout(large_beside_normal, print_page, browser, tmp_path):
    site = large_beside_normal
    sizes = {}
    for plan in site.plans:
        if plan.id not in ("demo-0001", "demo-0003"):
            continue
        pdf = pdfcheck.Pdf.read(print_page(browser, site.patient_page(plan, "index"), tmp_path / f"{plan.id}.pdf"))
        lines = pdfcheck.body_lines(pdf, [plan.patient, site.clinic], plan.page_of)
        sizes[plan.id] = pdfcheck.body_size(lines)
    assert sizes["demo-0003"] >= 18, sizes
    assert sizes["demo-0001"] < 18, sizes
