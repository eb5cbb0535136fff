"""The portal in each language through the header's switcher, on a desktop and at
360 px: visible text changes, nothing is wider than the screen, one screenshot each."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: locale -> (html lang, portal heading, IT request form heading, a form label)
LANGUAGES = {
    "pl": ("pl", "Jak możemy pomóc?", "Zgłoś incydent", "Usługa, której dotyczy problem"),
    "zh_Hans": ("zh-Hans", "需要什么帮助？", "报告故障", "受影响的服务"),
    "zh_Hant": ("zh-Hant", "需要什麼協助？", "報告故障", "受影響的服務"),
    "en": ("en", "How can we help?", "Report an incident", "Affected service"),
}


def switch_to(page: Page, locale: str) -> None:
    page.select_option("#language-switcher", locale)
    page.click(".language-switcher button[type=submit]")
    page.wait_for_load_state()


def assert_fits(page: Page) -> None:
    """No horizontal scrolling: nothing is cut off or pushed off screen."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


def test_a_visitor_switches_the_portal_through_every_language(
    page: Page, live_server, offsite_requests, screenshot
):
    page.goto(live_server + "/")
    for locale, (lang, heading, _form, _label) in LANGUAGES.items():
        switch_to(page, locale)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.locator("#language-switcher")).to_have_value(locale)
    assert not offsite_requests


@pytest.mark.parametrize("width", [1280, 360])
def test_a_person_reads_the_request_form_in_each_language(
    page: Page, live_server, login, screenshot, width
):
    page.set_viewport_size({"width": width, "height": 900})
    login("alice")
    for locale, (lang, heading, form_heading, label) in LANGUAGES.items():
        page.goto(live_server + "/")
        switch_to(page, locale)
        expect(page.locator("h1")).to_have_text(heading)
        assert_fits(page)
        page.goto(live_server + "/portal/it/new/it.incident")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("h1")).to_have_text(form_heading)
        expect(page.locator("label[for=f_affected_service]")).to_contain_text(label)
        # a refused form: the errors come back in the same language
        page.click("#request-form button[type=submit]")
        expect(page.locator("#error-summary")).to_be_visible()
        assert_fits(page)
        screenshot(f"i18n-portal-{locale}-{width}px")
    # English again, for the tests that follow in this browser profile
    page.goto(live_server + "/")
    switch_to(page, "en")
