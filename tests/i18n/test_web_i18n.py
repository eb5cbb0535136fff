"""The language of pages: negotiation, the header switcher, plurals, dates in a time
zone and form errors, each in every language, through real requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from bs4 import BeautifulSoup

from polydesk.core import i18n
from polydesk.core.people.tables import Person
from polydesk.web.i18n import from_accept_language, negotiate, when

PASSWORD = "correct-horse-battery"


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


async def log_in(client: Any, people: Any, username: str) -> str:
    await people.add(username, password=PASSWORD)
    client.cookies.clear()
    await client.get("/login")
    csrf = client.cookies.get("polydesk_csrf")
    response = await client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "_csrf_token": csrf, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf


# -- negotiation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("pl-PL,pl;q=0.9,en;q=0.8", "pl"),
        ("zh-CN,zh;q=0.9", "zh_Hans"),
        ("zh-TW", "zh_Hant"),
        ("zh-Hant-HK", "zh_Hant"),
        ("zh-Hans", "zh_Hans"),
        ("de-DE,fr;q=0.9", None),
        ("de-DE,pl;q=0.5", "pl"),
        ("en-GB;q=0.4,zh-HK;q=0.8", "zh_Hant"),
        ("", None),
    ],
)
def test_accept_language_picks_our_best_locale(header, expected):
    assert from_accept_language(header) == expected


def test_profile_beats_cookie_beats_browser_beats_default():
    browser = "zh-TW,zh;q=0.9"
    assert negotiate(profile="pl", cookie="zh_Hans", accept_language=browser, default="en") == "pl"
    assert (
        negotiate(profile="", cookie="zh_Hans", accept_language=browser, default="en") == "zh_Hans"
    )
    assert negotiate(profile="", cookie=None, accept_language=browser, default="en") == "zh_Hant"
    assert negotiate(profile="", cookie=None, accept_language="de", default="pl") == "pl"
    assert negotiate(profile="", cookie=None, accept_language=None, default="xx") == "en"


async def test_browser_language_translates_the_portal(client, db):
    for header, title, lang in [
        ("pl", "Jak możemy pomóc?", "pl"),
        ("zh-CN", "需要什么帮助？", "zh-Hans"),
        ("zh-TW", "需要什麼協助？", "zh-Hant"),
        ("en-US", "How can we help?", "en"),
    ]:
        page = soup(await client.get("/", headers={"Accept-Language": header}))
        assert page.h1.get_text() == title
        assert page.html["lang"] == lang
        # a plugin's declared strings come from its own catalog
        it_card = page.select_one("[data-department=it] h3").get_text(strip=True)
        assert it_card == "IT"


async def test_profile_language_wins_over_the_browser(client, people):
    await log_in(client, people, "wanda")
    await Person.update({Person.locale: "pl"}).where(Person.username == "wanda")
    page = soup(await client.get("/requests", headers={"Accept-Language": "zh-CN"}))
    assert page.h1.get_text() == "Moje wnioski"
    # the JSON API stays English whatever the profile says
    api = await client.get("/api/v1/tickets/999999", headers={"Accept-Language": "pl"})
    assert api.status_code == 404
    assert "nie" not in api.text.lower()


# -- the switcher ---------------------------------------------------------------------


async def test_switcher_for_a_visitor_sets_a_cookie(client, db):
    await client.get("/")
    csrf = client.cookies.get("polydesk_csrf")
    response = await client.post(
        "/-/language",
        data={"locale": "zh_Hant", "next": "/search", "_csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/search"
    page = soup(await client.get("/search", headers={"Accept-Language": "pl"}))
    assert page.h1.get_text() == "搜尋"
    selected = page.select_one("#language-switcher option[selected]")
    assert selected["value"] == "zh_Hant"


async def test_switcher_when_logged_in_stores_it_on_the_profile(client, people):
    csrf = await log_in(client, people, "piotr")
    response = await client.post(
        "/-/language",
        data={"locale": "pl", "next": "https://evil.example/", "_csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"  # never off-site
    row = await Person.select(Person.locale).where(Person.username == "piotr").first()
    assert row["locale"] == "pl"
    client.cookies.delete("polydesk_locale")  # the profile alone decides now
    page = soup(await client.get("/", headers={"Accept-Language": "en"}))
    assert page.h1.get_text() == "Jak możemy pomóc?"
    assert page.select_one("button.secondary.outline.small").get_text() == "Wyloguj się"


async def test_switcher_ignores_an_unknown_language(client, people):
    csrf = await log_in(client, people, "olga")
    await client.post(
        "/-/language", data={"locale": "xx", "_csrf_token": csrf}, follow_redirects=False
    )
    row = await Person.select(Person.locale).where(Person.username == "olga").first()
    assert row["locale"] == ""


# -- plurals, dates, form errors ------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "Popraw 1 pole:"),
        (2, "Popraw 2 pola:"),
        (5, "Popraw 5 pól:"),
        (22, "Popraw 22 pola:"),
        (25, "Popraw 25 pól:"),
    ],
)
def test_polish_has_three_plural_forms(n, expected):
    with i18n.use_locale("pl"):
        assert (
            i18n.ngettext("Please correct %(num)s field:", "Please correct %(num)s fields:", n)
            == expected
        )


def test_dates_are_shown_in_the_viewers_time_zone_and_language():
    moment = dt.datetime(2026, 1, 5, 14, 0, tzinfo=dt.UTC)
    assert when(moment) == "2026-01-05 14:00 UTC"
    with i18n.use_locale("pl", "Europe/Warsaw"):
        assert when(moment) == "5 sty 2026 15:00 CET"
    with i18n.use_locale("zh_Hans", "Asia/Shanghai"):
        assert when(moment).startswith("2026年1月5日 22:00")
    with i18n.use_locale("en", "America/New_York"):
        assert when(moment) == "Jan 5, 2026 09:00 EST"


@pytest.mark.parametrize(
    ("header", "summary", "required", "title_error"),
    [
        (
            "en",
            "There are 5 problems with what you sent",
            "This field is required.",
            "A title is required.",
        ),
        (
            "pl",
            "W przesłanych danych jest 5 błędów",
            "To pole jest wymagane.",
            "Tytuł jest wymagany.",
        ),
        ("zh-CN", "你提交的内容有 5 处问题", "此字段为必填项。", "标题为必填项。"),
        ("zh-TW", "你提交的內容有 5 處問題", "此欄位為必填。", "標題為必填。"),
    ],
)
async def test_form_errors_in_each_language(client, people, header, summary, required, title_error):
    csrf = await log_in(client, people, "ewa")
    response = await client.post(
        "/portal/it/new/it.hardware",
        data={"_csrf_token": csrf, "title": "", "f_item": ""},
        headers={"Accept-Language": header},
    )
    assert response.status_code == 422
    page = soup(response)
    assert summary in page.select_one("#error-summary h2").get_text()
    errors = [e.get_text(strip=True) for e in page.select(".field-error")]
    assert page.select_one("#title-error").get_text(strip=True) == title_error
    assert required in errors


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Europe/Warsaw", "Europe/Warsaw"),
        ("UTC", "UTC"),
        ("Europe", None),  # a folder of the zone database: was an IsADirectoryError
        ("localtime", None),
        ("Mars/Olympus", None),
        ("../../etc/passwd", None),
        ("", None),
    ],
)
def test_only_real_time_zones_are_accepted(name, expected):
    """A stored or configured zone that is not one must not break every page."""
    from polydesk.core.i18n import valid_timezone

    assert valid_timezone(name) == expected


async def test_an_unknown_address_answers_in_the_visitors_language(client, db):
    """No route answers it, so nobody is known yet: the browser's language decides."""
    for header, lang in [("pl", "pl"), ("zh-TW", "zh-Hant"), ("en", "en")]:
        response = await client.get("/no-such-page", headers={"Accept-Language": header})
        assert response.status_code == 404
        page = soup(response)
        assert page.html["lang"] == lang
    with i18n.use_locale("pl"):
        skip = i18n.gettext("Skip to content")
    page = soup(await client.get("/no-such-page", headers={"Accept-Language": "pl"}))
    assert page.select_one("a.skip").get_text(strip=True) == skip != "Skip to content"


async def test_logging_in_brings_the_profiles_language_to_every_page(client, people):
    """At login the profile's language is kept in the browser too, so even a page no
    route answers (an unknown address) speaks it."""
    await log_in(client, people, "ola")
    await Person.update({Person.locale: "pl"}).where(Person.username == "ola")
    client.cookies.clear()
    await client.get("/login")
    response = await client.post(
        "/login",
        data={
            "username": "ola",
            "password": PASSWORD,
            "_csrf_token": client.cookies.get("polydesk_csrf"),
            "next": "/",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert client.cookies.get("polydesk_locale") == "pl"
    page = soup(await client.get("/no-such-page", headers={"Accept-Language": "en"}))
    assert page.html["lang"] == "pl"
