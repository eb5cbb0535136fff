"""The admin console's forms on a 360 px phone: errors by their fields, nothing saved,
the people search through htmx, and no page wider than the screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 360, "height": 780}


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_bad_calendar_shows_each_error_by_its_field_on_a_phone(
    page, live_server, login, offsite_requests, screenshot
):
    page.set_viewport_size(PHONE)
    login("admin")
    page.goto(f"{live_server}/admin/sla/calendars/legal.office_hours")
    expect(page.get_by_label("Monday")).to_have_value("09:00-17:00")
    assert _fits(page)

    page.get_by_label("Time zone").fill("Mars/Olympus")
    page.get_by_label("Tuesday").fill("09:00-09:00")
    page.get_by_role("button", name="Save calendar").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    expect(page.get_by_label("Time zone")).to_have_value("Mars/Olympus")
    expect(page.get_by_label("Time zone")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#timezone-error")).to_contain_text("Unknown time zone")
    expect(page.locator("#hours-2-error")).to_contain_text("has no length")
    expect(page.get_by_label("Monday")).to_have_value("09:00-17:00")
    # The summary's links lead to the fields.
    page.get_by_role("link", name="Time zone").click()
    expect(page.get_by_label("Time zone")).to_be_focused()
    assert _fits(page)

    page.goto(f"{live_server}/admin/sla")
    expect(page.locator("#calendar-legal\\.office_hours")).not_to_contain_text("edited")
    page.goto(f"{live_server}/admin/sla/calendars/legal.office_hours")
    page.get_by_label("Time zone").fill("Mars/Olympus")
    page.get_by_role("button", name="Save calendar").click()
    page.locator("#error-summary").scroll_into_view_if_needed()
    assert offsite_requests == []
    screenshot()


def test_people_search_and_roles_on_a_phone(page, live_server, login, screenshot):
    page.set_viewport_size(PHONE)
    login("admin")
    page.goto(f"{live_server}/admin/people")
    page.wait_for_load_state("domcontentloaded")  # htmx is deferred: it runs before this event
    page.get_by_label("Search by username, name or email").fill("legal")
    # htmx swaps the list while typing and keeps the URL shareable.
    expect(page.locator("#people-results li")).to_have_count(2)
    expect(page).to_have_url(f"{live_server}/admin/people?q=legal")
    assert _fits(page)

    page.get_by_role("link", name="Legal Lead").click()
    expect(page.get_by_label("Legal", exact=True)).to_have_value("lead")
    expect(page.get_by_label("Legal: privileged")).to_be_checked()
    assert _fits(page)
    screenshot()
