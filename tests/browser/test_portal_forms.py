"""The portal's forms in Chromium: refused forms, keyboard only, fields that come and go,
and help articles suggested while the title is typed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

INCIDENT_FORM = "/portal/it/new/it.incident"


def tab_until(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector` (keyboard only, no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_form_submitted_with_errors_keeps_the_typed_values_and_shows_each_error_by_its_field(
    page: Page, live_server, login, offsite_requests, screenshot
):
    login("alice")
    page.goto(live_server + INCIDENT_FORM)
    page.fill("#description", "The fan is loud and the laptop is hot.")
    page.select_option("#f_affected_service", "workstation")
    page.select_option("#f_category", "hardware")
    page.fill("#f_asset_tag", "LT-01234")
    page.select_option("#f_urgency", "medium")
    page.click("#request-form button[type=submit]")

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary.get_by_role("link", name="Title")).to_have_attribute("href", "#title")
    expect(summary.get_by_role("link", name="Impact: who is affected?")).to_be_visible()
    expect(page.locator("#title-error")).to_have_text("A title is required.")
    expect(page.locator("#field-f_impact .field-error")).to_have_text("This field is required.")
    expect(page.locator("#f_impact")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#field-f_urgency .field-error")).to_have_count(0)
    # What was typed is still there, including the field the category revealed.
    expect(page.locator("#description")).to_have_value("The fan is loud and the laptop is hot.")
    expect(page.locator("#f_affected_service")).to_have_value("workstation")
    expect(page.locator("#f_urgency")).to_have_value("medium")
    expect(page.locator("#f_asset_tag")).to_be_visible()
    expect(page.locator("#f_asset_tag")).to_have_value("LT-01234")
    # The summary's link leads to the field.
    summary.get_by_role("link", name="Title").click()
    expect(page).to_have_url(re.compile(r"#title$"))
    screenshot()
    assert offsite_requests == []


def test_keyboard_only_a_requester_can_file_a_request_without_a_mouse(
    page: Page, live_server, offsite_requests, screenshot
):
    page.goto(live_server + "/login?next=/")
    expect(page.locator("#username")).to_be_focused()  # autofocus
    page.keyboard.type("bob")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-password")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="How can we help?")).to_be_visible()

    tab_until(page, "a[href='/portal/it']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server + "/portal/it")
    tab_until(page, "a[href='/portal/it/new/it.incident']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server + INCIDENT_FORM)
    page.wait_for_load_state("domcontentloaded")  # htmx is deferred: it runs before this event

    tab_until(page, "#title")
    page.keyboard.type("Docking station does not charge the laptop")
    page.keyboard.press("Tab")
    expect(page.locator("#description")).to_be_focused()
    page.keyboard.type("Since this morning; tried another cable.")
    for select in ("#f_affected_service", "#f_category", "#f_impact", "#f_urgency"):
        tab_until(page, select)
        page.keyboard.press("ArrowDown")  # the first real choice after "Choose…"
    expect(page.locator("#f_category")).to_have_value("hardware")
    # Choosing "Hardware" revealed the asset tag, and Tab reaches it in order.
    expect(page.locator("#f_asset_tag")).to_be_visible()
    tab_until(page, "#request-form button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/requests/IT-\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Docking station does not charge the laptop"
    )
    expect(page.locator(".request-header .badge.state")).to_have_text("new")
    screenshot()
    assert offsite_requests == []


def test_a_field_shown_only_for_some_answers_appears_and_disappears(
    page: Page, live_server, login, screenshot
):
    page.set_viewport_size({"width": 360, "height": 800})  # a phone
    login("chen")
    page.goto(live_server + INCIDENT_FORM)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    asset_tag = page.locator("#f_asset_tag")
    expect(asset_tag).to_be_hidden()
    page.select_option("#f_category", "hardware")
    expect(asset_tag).to_be_visible()
    page.select_option("#f_category", "software")
    expect(asset_tag).to_be_hidden()
    page.select_option("#f_category", "hardware")
    expect(asset_tag).to_be_visible()
    asset_tag.fill("LT-00099")
    screenshot()


def test_help_articles_are_suggested_while_the_title_is_typed(
    page: Page, live_server, login, offsite_requests, screenshot
):
    login("alice")
    page.goto(live_server + INCIDENT_FORM)
    page.wait_for_load_state("domcontentloaded")  # htmx is deferred: it runs before this event
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text("Start typing a title")
    page.locator("#title").press_sequentially("cannot connect to the vpn", delay=40)
    first = suggestions.locator(".suggestion-list > li").first
    expect(first).to_contain_text("VPN")
    expect(page.locator("#suggestion-hint a")).to_contain_text("may answer this")
    screenshot("test_help_articles_are_suggested_while_the_title_is_typed-suggestions")
    first.get_by_role("button", name=re.compile("This solved my problem")).click()
    expect(suggestions).to_contain_text("No request was raised")
    expect(page.locator("#suggestion-hint")).to_be_empty()
    expect(page).to_have_url(live_server + INCIDENT_FORM)  # nothing was submitted
    screenshot()
    assert offsite_requests == []
