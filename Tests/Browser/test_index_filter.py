"""The clinic index's filters in headless Chromium: "Only plans running today" hides a plan
that has ended or not yet started and shows one that runs today, by the reader's clock; the
exercise library's filter by body region and condition."""

from __future__ import annotations

import datetime


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



def test_library_filters_by_region_and_condition(sites, driver):
    """The exercise library's filter shows only the exercises with the chosen body region and
    condition tags, and hides the groups left empty; without a choice everything shows."""
    from selenium.webdriver.support.ui import Select

    site = sites["letter"]
    driver.get((site.output / "exercises" / "index.html").as_uri())
    assert driver.find_element("id", "library-filter").is_displayed()
    items = driver.find_elements("css selector", "section.tag-group li[data-tags]")
    assert items and all(item.is_displayed() for item in items)
    region, condition = Select(driver.find_element("id", "filter-region")), Select(driver.find_element("id", "filter-condition"))
    assert [option.get_attribute("value") for option in region.options][:2] == ["", "knee"]

    def shown():
        return {(item.find_element("xpath", "./ancestor::section[1]/h2").text, item.find_element("tag name", "a").text)
                for item in items if item.is_displayed()}

    def tagged(*tags):
        return {(item.find_element("xpath", "./ancestor::section[1]/h2").get_attribute("textContent"),
                 item.find_element("tag name", "a").get_attribute("textContent"))
                for item in items if set(tags) <= set(item.get_attribute("data-tags").split())}

    region.select_by_value("knee")
    assert shown() == tagged("knee") and len(shown()) < len(items)
    condition.select_by_value("knee-oa")
    assert shown() == tagged("knee", "knee-oa") and shown()
    for group in driver.find_elements("css selector", "section.tag-group"):
        assert group.is_displayed() == any(item.is_displayed() for item in group.find_elements("css selector", "li"))
    region.select_by_value("neck")
    assert shown() == set() and not any(g.is_displayed() for g in driver.find_elements("css selector", "section.tag-group"))
    region.select_by_value("")
    condition.select_by_value("")
    assert all(item.is_displayed() for item in items)


def test_library_without_script_shows_everything(sites):
    """Without JavaScript the filter's form stays hidden and every exercise is listed."""
    html = (sites["letter"].output / "exercises" / "index.html").read_text()
    assert '<form class="filter" id="library-filter" hidden>' in html
    assert ' hidden' not in html.split('id="library-filter" hidden>', 1)[1]
