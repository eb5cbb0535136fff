"""A person sets their language and time zone on /me/profile in Chromium: the
page comes back in Polish and their requests' times are shown in Warsaw time.

The browser runs in Europe/Warsaw, so the page's script offers that zone (the
"use this device's time zone" button, a static file under the CSP). Expected
texts come from the catalogs and the server's own `when` filter, so the test
follows the translations. The person's choices are reset at the end: the live
server is shared by all browser tests.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from polydesk.core import i18n
from polydesk.web.i18n import when

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "timezone_id": "Europe/Warsaw", "locale": "en-GB"}


def t(locale: str, message: str) -> str:
    with i18n.use_locale(locale):
        text = i18n.gettext(message)
    assert locale == "en" or text != message, f"{message!r} has no {locale} translation"
    return text


def save(page: Page) -> None:
    page.click("#preferences-form button[type=submit]")
    page.wait_for_url("**/me/profile?done=saved")


def test_a_person_picks_polish_and_warsaw_on_the_profile_page(
    page: Page, live_server, login, screenshot
):
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    login("bob")
    page.goto(live_server + "/")
    page.click("header a[href='/me/profile']")
    page.wait_for_url("**/me/profile")
    try:
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("h1")).to_have_text("Your profile")
        expect(page.locator("#profile-username")).to_have_text("bob")
        expect(page.locator("#timezone")).to_have_value("")

        # The device's zone is offered by the page's script, and picks it in the list.
        guess = page.locator("#timezone-guess")
        expect(guess).to_have_text("Use the time zone of this device (Europe/Warsaw)")
        guess.click()
        expect(page.locator("#timezone")).to_have_value("Europe/Warsaw")
        expect(guess).to_be_hidden()
        assert csp_errors == []  # the script is a static file: the policy lets it run
        page.select_option("#locale", "pl")
        screenshot("profile-1-choosing")
        save(page)

        expect(page.locator("html")).to_have_attribute("lang", "pl")
        expect(page.locator("h1")).to_have_text(t("pl", "Your profile"))
        expect(page.locator("#profile-saved")).to_have_text(
            t("pl", "Saved. Pages are now shown in your language and time zone.")
        )
        expect(page.locator("#locale")).to_have_value("pl")
        expect(page.locator("#timezone")).to_have_value("Europe/Warsaw")
        expect(page.locator("#timezone-guess")).to_be_hidden()  # already the chosen one
        screenshot("profile-2-saved-in-polish")

        # A request's times, in Polish and in Warsaw time.
        page.click("header a[href='/requests']")
        page.wait_for_url("**/requests")
        page.locator(".request-item a").first.click()
        page.wait_for_url("**/requests/*")
        raised = page.locator("main time").first
        created = dt.datetime.fromisoformat(raised.get_attribute("datetime"))
        with i18n.use_locale("pl", "Europe/Warsaw"):
            expected = when(created)
        expect(raised).to_have_text(expected)
        local = created.astimezone(ZoneInfo("Europe/Warsaw"))
        assert f"{local:%H:%M}" in expected and "UTC" not in expected
        screenshot("profile-3-request-in-warsaw-time")
    finally:
        page.goto(live_server + "/me/profile")
        page.select_option("#locale", "")
        page.select_option("#timezone", "")
        save(page)
        expect(page.locator("#timezone")).to_have_value("")
