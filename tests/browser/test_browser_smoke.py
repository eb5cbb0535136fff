"""The browser can log in and sees the portal, with nothing loaded from off the machine."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_log_in_and_see_the_portal(page, live_server, login, offsite_requests, screenshot):
    page.goto(f"{live_server}/")
    expect(page.get_by_role("heading", name="How can we help?")).to_be_visible()
    login("alice")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("My requests")
    expect(page.locator("[data-department]")).to_have_count(4)
    page.wait_for_load_state("domcontentloaded")  # htmx is deferred: it runs before this event
    screenshot()
    assert offsite_requests == []


def test_wrong_password_shows_the_error(page, live_server, screenshot):
    page.goto(f"{live_server}/login")
    page.fill("#username", "alice")
    page.fill("#password", "nope")
    page.click("form[action='/login'] button[type=submit]")
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    expect(page.locator("#username")).to_have_value("alice")
    screenshot()
