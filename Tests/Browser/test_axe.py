"""axe-core (bundled by the PyPI package selenium-axe-python) in headless Chromium, driven
by Debian's chromedriver: no violations on any generated page, on a desktop window and
on a phone-sized one. axe runs every rule it enables by default: WCAG 2.0-2.2 A and AA,
and its best practices (landmarks, heading order, ...)."""

from __future__ import annotations

import pytest
from selenium_axe_python import Axe

WINDOWS = {"desktop": (1280, 900), "phone": (390, 844)}


def axe_violations(driver, page) -> list[str]:
    driver.get(page.as_uri())
    return axe_problems(driver, page)


# Every rule runs as by default, and every violation comes back with all its elements; for
# the rules that pass, axe names one element rather than all (`resultTypes`), which spares it
# a CSS selector for each of the thousands of elements of a calendar (a third of its time).
# Only what the checks read crosses back to Python.
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run({resultTypes: ["violations"]}).then(results => done({
  testEngine: results.testEngine, passes: results.passes.map(rule => rule.id), violations: results.violations}));
"""


def axe_problems(driver, page) -> list[str]:
    """axe over the page the driver shows now (`page` names it in messages)."""
    Axe(driver).inject()
    results = driver.execute_async_script(AXE_RUN)
    assert results["testEngine"]["name"] == "axe-core"
    assert results["passes"], f"axe checked nothing on {page}"
    return [f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
            + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            for violation in results["violations"]]


@pytest.mark.parametrize("window", WINDOWS)
def test_axe_finds_no_violations(sites, driver, window):
    driver.set_window_size(*WINDOWS[window])
    site = sites["letter"]
    pages = site.html_pages()
    # the other variants differ only on the patient pages (large print) and the index (names)
    for other in ("a4", "large-print"):
        for plan in sites[other].plans:
            pages += [sites[other].patient_page(plan, "index"), sites[other].patient_page(plan, "calendar")]
        pages.append(sites[other].output / "index.html")
    problems = {}
    for page in pages:
        found = axe_violations(driver, page)
        if found:
            problems[str(page.relative_to(site.root.parent))] = found
    assert problems == {}, "\n".join(f"{page}:\n  " + "\n  ".join(items) for page, items in problems.items())


def test_axe_catches_a_broken_page(driver, tmp_path):
    """The same run on a page with known faults reports them, so a clean run means something."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><head><title>Broken</title></head><body>'
                    '<h3>No h1, no main</h3><img src="x.png"><input type="checkbox"></body></html>')
    ids = {item.split(" ")[0] for item in axe_violations(driver, page)}
    assert {"html-has-lang", "image-alt", "label", "page-has-heading-one"} <= ids, ids
