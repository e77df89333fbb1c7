"""The clinic index's filters in headless Chromium: "Only plans running today" hides a plan
that has ended or not yet started and shows one that runs today, by the reader's clock; the
exercise library's filter by body region and condition."""

from __future__ import annotations

import datetime
import pkgutil


def test_active_filter_follows_start_and_end(sites, driver):
    site = sites["letter"]
    driver.get((site.output / "index.html").as_uri())
    row = driver.find_element("css selector", "table.plans tbody tr")
    checkbox = driver.find_element("id", "filter-active")
    today = datetime.date.today()
    day = datetime.timedelta(days=1)
    cases = {
        "ended yesterday": (today - 30 * day, today - day, False),
        "starts tomorrow": (today + day, today + 30 * day, False),
        "starts today": (today, today + 30 * day, True),
        "ends today": (today - 30 * day, today, True),
    }
    seen = {}
    for name, (start, end, _) in cases.items():
        driver.execute_script("arguments[0].dataset.start = arguments[1]; arguments[0].dataset.end = arguments[2];",
                              row, start.isoformat(), end.isoformat())
        if not checkbox.is_selected():
            checkbox.click()
        else:  # the filter applies on change: untick and tick again
            checkbox.click()
            assert row.is_displayed(), "with the box unticked every plan shows"
            checkbox.click()
        seen[name] = row.is_displayed()
    assert seen == {name: shown for name, (_, _, shown) in cases.items()}



def displayed(driver, elements) -> list[bool]:
    """`is_displayed()` of each element (WebDriver's own test, Selenium's isDisplayed atom),
    asked in one call rather than one call an element."""
    atom = pkgutil.get_data("selenium.webdriver.remote", "isDisplayed.js").decode()
    return driver.execute_script(f"const isDisplayed = {atom};\nreturn arguments[0].map(e => isDisplayed(e));", elements)


def test_library_filters_by_region_and_condition(sites, driver):
    """The exercise library's filter shows only the exercises with the chosen body region and
    condition tags, and hides the groups left empty; without a choice everything shows."""
    from selenium.webdriver.support.ui import Select

    site = sites["letter"]
    driver.get((site.output / "exercises" / "index.html").as_uri())
    assert driver.find_element("id", "library-filter").is_displayed()
    items = driver.find_elements("css selector", "section.tag-group li[data-tags]")
    assert items and all(displayed(driver, items))
    region, condition = Select(driver.find_element("id", "filter-region")), Select(driver.find_element("id", "filter-condition"))
    assert [option.get_attribute("value") for option in region.options][:2] == ["", "knee"]
    # Each item's group heading and title as shown (all are shown now), its text content and tags.
    shown_names, names, tags = zip(*driver.execute_script("""
        return arguments[0].map(item => {
          const heading = item.closest('section').querySelector('h2'), link = item.querySelector('a');
          return [[heading.innerText, link.innerText], [heading.textContent, link.textContent], item.dataset.tags];
        });""", items))

    def shown():
        return {tuple(name) for name, visible in zip(shown_names, displayed(driver, items)) if visible}

    def tagged(*wanted):
        return {tuple(name) for name, item_tags in zip(names, tags) if set(wanted) <= set(item_tags.split())}

    def groups_shown():
        groups = driver.find_elements("css selector", "section.tag-group")
        return groups, displayed(driver, groups)

    region.select_by_value("knee")
    assert shown() == tagged("knee") and len(shown()) < len(items)
    condition.select_by_value("knee-oa")
    assert shown() == tagged("knee", "knee-oa") and shown()
    for group, visible in zip(*groups_shown()):
        assert visible == any(displayed(driver, group.find_elements("css selector", "li")))
    region.select_by_value("neck")
    assert shown() == set() and not any(groups_shown()[1])
    region.select_by_value("")
    condition.select_by_value("")
    assert all(displayed(driver, items))


def test_library_without_script_shows_everything(sites):
    """Without JavaScript the filter's form stays hidden and every exercise is listed."""
    html = (sites["letter"].output / "exercises" / "index.html").read_text()
    assert '<form class="filter" id="library-filter" hidden>' in html
    assert ' hidden' not in html.split('id="library-filter" hidden>', 1)[1]
