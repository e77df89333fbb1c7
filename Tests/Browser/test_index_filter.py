"""The clinic index's filters in headless Chromium: "Only plans running today" hides a plan
that has ended or not yet started and shows one that runs today, by the reader's clock."""

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

