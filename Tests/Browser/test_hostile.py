"""The hostile fixture site (fixtures/hostile): content and plans written as someone with
write access to one file would try an attack, yet accepted by `handout build` (markup in
every text field, raw HTML in Markdown, every link kind notes may use). Built, every page
must stay valid (Nu HTML Checker), pass axe, show the input as text and load nothing from
outside."""

from __future__ import annotations

import re

import htmltree
from test_axe import axe_violations


def test_nu_html_checker_finds_no_errors_or_warnings(hostile, nu_report):
    """Every page, from the one run of vnu.jar (conftest.py's `nu_report`)."""
    assert len(hostile.html_pages()) >= 10
    problems = nu_report.problems(hostile.html_pages())
    assert problems == [], "Nu HTML Checker:\n" + "\n".join(problems)


def test_axe_finds_no_violations(hostile, driver):
    driver.set_window_size(1280, 900)
    problems = {str(page.relative_to(hostile.output)): found
                for page in hostile.html_pages() if (found := axe_violations(driver, page))}
    assert problems == {}, "\n".join(f"{page}:\n  " + "\n  ".join(items) for page, items in problems.items())


def test_no_markup_and_nothing_from_outside(hostile):
    """Only the site's own script runs, no element carries an event handler, every picture
    and stylesheet is a file of the site, and every link is one LinkRules allows."""
    for page in hostile.html_pages():
        tree = htmltree.parse(page.read_text())
        where = page.relative_to(hostile.output)
        for element in tree.iter():
            assert element.tag not in {"iframe", "style", "marquee", "object", "embed"}, f"{where}: <{element.tag}>"
            handlers = [name for name in element.attrs if name.startswith("on")]
            assert not handlers, f"{where}: <{element.tag}> with {handlers}"
        for script in tree.find_all("script"):
            assert script.attrs.get("src", "").endswith("assets/filter.js") and not script.text(), f"{where}: {script.attrs}"
        for element in tree.find_all("img") + tree.find_all("link"):
            address = element.attrs.get("src") or element.attrs.get("href") or ""
            assert address and not re.match(r"[a-z][a-z0-9+.-]*:|/", address, re.I), f"{where}: loads {address!r}"
        ids = {element.attrs.get("id") for element in tree.iter()}
        for link in tree.find_all("a"):
            href = link.attrs.get("href") or ""
            if href.startswith("#"):  # the layout's own skip link
                assert href[1:] in ids, f"{where}: link {href!r} to no element"
                continue
            assert re.match(r"(https://|mailto:|tel:|[a-z0-9.])", href) and not href.startswith("//"), \
                f"{where}: link {href!r}"


def test_input_prints_as_text(hostile):
    handout = (hostile.output / "patients" / "p-0001" / "index.html").read_text()
    text = htmltree.squash(htmltree.parse(handout).text())
    assert "Zoë <img src=x onerror=alert(1)> \"O'Brien\" & {{patient}}" in text
    assert "Bridge <img src=x onerror=alert(1)> tnote hnote {{{note}}}" in text
    assert "<img src=x onerror=alert(1)> & {{note}}" in text
    # Notes' content links point at the pages from the patient's folder; each page prints once.
    for href in ("../../pages/safety.html", "../../pages/pacing.html#top", "../../exercises/bridge.html",
                 "../../progressions/walk-run.html"):
        assert f'href="{href}"' in handout
    assert text.count("Pacing & rest") == 1
    assert text.count("Safety first <script>alert('page')</script>") == 1
