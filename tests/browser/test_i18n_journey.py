"""One journey through the portal, the agent workspace and the admin console in
each language, chosen through the header's switcher.

The expected headings and labels are looked up in the catalogs when the test
runs (the same merged catalogs the server uses), so the test follows the
translations instead of repeating them. Navigation uses ids and hrefs only.
Portal pages must not scroll sideways at 360 px; every page leaves a
screenshot under test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from polydesk.core import i18n
from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.registry import build_registry

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOCALES = ("en", "zh_Hans", "zh_Hant", "pl")
IT_SEEDS = Path(__file__).resolve().parents[2] / "plugins" / "it" / "knowledge"


@pytest.fixture(scope="module")
def catalogs() -> None:
    """The department plugins' catalogs too, as the server registers them."""
    i18n.register_department_catalogs(build_registry(create_plugin_manager()))
    i18n.clear_cache()


def t(locale: str, message: str) -> str:
    """`message` as the catalogs translate it into `locale`; a translation that is
    missing would make the page show English, so it fails the test here."""
    with i18n.use_locale(locale):
        text = i18n.gettext(message)
    assert locale == "en" or text != message, f"{message!r} has no {locale} translation"
    return text


def seed_title(locale: str) -> str:
    """The IT password article's title as a reader of `locale` should get it: its
    seeded translation where there is one, else the English original."""
    path = IT_SEEDS / "translations" / f"password-reset.{locale}.md"
    if not path.exists():
        path = IT_SEEDS / "password-reset.md"
    head = path.read_text(encoding="utf-8").split("---\n")[1]
    return next(line[7:].strip() for line in head.splitlines() if line.startswith("title: "))


def switch_to(page: Page, locale: str) -> None:
    page.select_option("#language-switcher", locale)
    page.click(".language-switcher button[type=submit]")
    page.wait_for_load_state()


def assert_fits(page: Page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def check(page: Page, lang: str, locator: str, text: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator(locator)).to_contain_text(text)


@pytest.mark.parametrize("locale", LOCALES)
def test_one_journey_through_portal_workspace_and_console(
    page: Page, live_server, login, screenshot, catalogs, locale
):
    lang = locale.replace("_", "-")
    shot = f"i18n-journey-{locale}"
    page.set_viewport_size({"width": 360, "height": 800})
    login("admin")
    page.goto(live_server + "/")
    switch_to(page, locale)
    try:
        # -- portal, at phone width --------------------------------------------------
        check(page, lang, "h1", t(locale, "How can we help?"))
        assert_fits(page)
        screenshot(f"{shot}-1-portal")

        page.click("a[href='/portal/it']")
        page.wait_for_url("**/portal/it")
        check(page, lang, "#kb-title", t(locale, "Help articles"))
        expect(page.locator("#catalog-title")).to_have_text(t(locale, "Raise a request"))
        assert_fits(page)
        screenshot(f"{shot}-2-department")

        # The help article in the reader's language (seeded in Polish and Chinese).
        article = page.locator("#kb-title ~ ol a[href^='/portal/articles/']").filter(
            has_text=seed_title(locale)
        )
        expect(article).to_have_count(1)
        page.goto(live_server + article.get_attribute("href"))
        check(page, lang, ".kb-article > header > h1", seed_title(locale))
        expect(page.locator("#kb-languages-title")).to_have_text(t(locale, "Other languages:"))
        assert_fits(page)
        screenshot(f"{shot}-3-article")

        page.goto(live_server + "/portal/it")
        page.click("a[href='/portal/it/new/it.incident']")
        page.wait_for_url("**/portal/it/new/it.incident")
        check(page, lang, "h1", t(locale, "Report an incident"))
        expect(page.locator("label[for=f_affected_service]")).to_contain_text(
            t(locale, "Affected service")
        )
        expect(page.locator("label[for=title]")).to_contain_text(t(locale, "Title"))
        assert_fits(page)
        screenshot(f"{shot}-4-request-form")

        page.goto(live_server + "/requests")
        check(page, lang, "h1", t(locale, "My requests"))
        assert_fits(page)
        screenshot(f"{shot}-4a-my-requests")

        page.goto(live_server + "/me/profile")
        check(page, lang, "h1", t(locale, "Your profile"))
        assert_fits(page)
        screenshot(f"{shot}-4b-profile")

        # -- agent workspace and admin console, at desktop width -----------------------
        page.set_viewport_size({"width": 1280, "height": 900})
        page.click("header a[href='/agent']")
        page.wait_for_url("**/agent")
        check(page, lang, "#list-heading", t(locale, "Tickets"))
        screenshot(f"{shot}-5-queue")

        page.locator("a[id^='open-']").first.click()
        page.wait_for_url("**/agent/tickets/**")
        check(page, lang, "#timeline-title", t(locale, "Timeline"))
        expect(page.locator("#reply-title")).to_have_text(t(locale, "Reply"))
        screenshot(f"{shot}-6-ticket")

        page.click("header a[href='/admin']")
        page.wait_for_url("**/admin")
        check(page, lang, "h1", t(locale, "Admin console"))
        screenshot(f"{shot}-7-console")

        page.click("main a[href='/admin/people']")
        page.wait_for_url("**/admin/people")
        check(page, lang, "h1", t(locale, "People"))
        expect(page.locator("#create-heading")).to_have_text(t(locale, "Create a person"))
        screenshot(f"{shot}-8-people")
    finally:
        # The switcher stored the language on the admin's profile: English again for
        # the browser tests that follow.
        page.goto(live_server + "/")
        switch_to(page, "en")
