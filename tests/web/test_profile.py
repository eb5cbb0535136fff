"""`/me/profile`: everyone sees who they are and sets their language and time zone.

Through the real login form and the real HTML (BeautifulSoup), on the test
database (SQLite, or PostgreSQL with POLYDESK_TEST_DATABASE_URL).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from litestar.testing import AsyncTestClient

from polydesk.core.catalog.services import sync_catalog
from polydesk.core.demo import sample_form_data
from polydesk.core.errors import ValidationFailed
from polydesk.core.people.profile import get_profile, timezone_names, update_preferences
from polydesk.core.people.services import create_person
from polydesk.core.people.tables import Person
from polydesk.core.plugin_state.services import sync_plugin_rows
from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.runtime import Runtime
from polydesk.core.tickets.services import TicketService
from polydesk.web.app import create_app
from polydesk.web.i18n import valid_timezone

PASSWORD = "correct-horse-battery"


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


async def log_in(client: Any, people: Any, username: str, **kwargs: Any) -> str:
    """Create `username` with a password, log in through the form; returns the CSRF token."""
    await people.add(username, password=PASSWORD, **kwargs)
    client.cookies.clear()
    assert (await client.get("/login")).status_code == 200
    csrf = client.cookies.get("polydesk_csrf")
    response = await client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "_csrf_token": csrf, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf


async def save(client: Any, csrf: str, **fields: str) -> Any:
    return await client.post(
        "/me/profile", data={"_csrf_token": csrf, **fields}, follow_redirects=False
    )


async def stored(people: Any, username: str) -> tuple[str, str]:
    row = (
        await Person.select(Person.locale, Person.timezone)
        .where(Person.id == people.ids[username])
        .first()
    )
    return row["locale"], row["timezone"]


def selected(page: BeautifulSoup, select_id: str) -> str:
    option = page.select_one(f"#{select_id} option[selected]")
    return option["value"] if option else ""


@pytest.mark.parametrize(
    ("username", "extra"),
    [("dana", {}), ("ivan.agent", {"roles": {"it": "agent"}}), ("root", {"admin": True})],
)
async def test_everyone_sees_their_profile_and_saves_language_and_time_zone(
    client, people, username, extra
):
    csrf = await log_in(client, people, username, **extra)
    await Person.update({Person.email: f"{username}@example.org"}).where(
        Person.id == people.ids[username]
    )
    home = soup(await client.get("/"))
    assert home.select_one("header a[href='/me/profile']").get_text() == "Profile"

    response = await client.get("/me/profile")
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text() == "Your profile"
    assert page.select_one("#profile-username").get_text() == username
    assert page.select_one("#profile-name").get_text() == username.replace(".", " ").title()
    assert page.select_one("#profile-email").get_text() == f"{username}@example.org"
    # Read-only: the only form fields are the two choices.
    form = page.select_one("form#preferences-form")
    assert {c["name"] for c in form.select("input, select")} == {
        "_csrf_token",
        "locale",
        "timezone",
    }
    assert form["method"] == "post" and form["action"] == "/me/profile"
    languages = [(o["value"], o.get_text()) for o in page.select("#locale option")]
    assert languages == [
        ("", "Organisation default (English)"),
        ("en", "English"),
        ("zh_Hans", "简体中文"),
        ("zh_Hant", "繁體中文"),
        ("pl", "Polski"),
    ]
    assert page.select_one("#timezone option").get_text() == "Organisation default (UTC)"
    warsaw = page.select_one("#timezone optgroup[label='Europe'] option[value='Europe/Warsaw']")
    assert warsaw.get_text() == "Europe/Warsaw"
    assert selected(page, "locale") == "" and selected(page, "timezone") == ""
    for control in form.select("select"):
        assert form.select_one(f"label[for='{control['id']}']")

    response = await save(client, csrf, locale="pl", timezone="Europe/Warsaw")
    assert response.status_code == 303
    assert response.headers["location"] == "/me/profile?done=saved"
    assert await stored(people, username) == ("pl", "Europe/Warsaw")

    page = soup(await client.get(response.headers["location"]))
    assert page.html["lang"] == "pl"
    assert page.h1.get_text() == "Twój profil"
    assert page.select_one("#profile-saved").get_text().startswith("Zapisano.")
    assert selected(page, "locale") == "pl" and selected(page, "timezone") == "Europe/Warsaw"
    assert page.select_one("#timezone optgroup[label='Europa'] option[value='Europe/Warsaw']")


async def test_anonymous_visitors_are_sent_to_the_login_page(client, people):
    response = await client.get("/me/profile", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/me/profile"
    await client.get("/login")
    response = await client.post(
        "/me/profile",
        data={"_csrf_token": client.cookies.get("polydesk_csrf"), "locale": "pl"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    assert not await Person.exists().where(Person.locale == "pl")


@pytest.mark.parametrize(
    ("fields", "error_of"),
    [
        ({"locale": "xx", "timezone": "Asia/Tokyo"}, "locale"),
        ({"locale": "klingon", "timezone": ""}, "locale"),
        ({"locale": "zh_Hans", "timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"locale": "zh_Hans", "timezone": "Europe"}, "timezone"),
        ({"locale": "zh_Hans", "timezone": "../../etc/passwd"}, "timezone"),
        ({"locale": "zh_Hans", "timezone": "europe/warsaw"}, "timezone"),
    ],
)
async def test_a_bad_choice_shows_the_form_again_and_changes_nothing(
    client, people, fields, error_of
):
    csrf = await log_in(client, people, "dana")
    assert (await save(client, csrf, locale="pl", timezone="Europe/Warsaw")).status_code == 303

    response = await save(client, csrf, **fields)
    assert response.status_code == 422
    page = soup(response)
    # Still the page in the language stored before, with the field's own error.
    assert page.html["lang"] == "pl"
    error = page.select_one(f"#{error_of}-error")
    expected = {
        "locale": "Wybierz jeden z języków z listy.",
        "timezone": "Wybierz strefę czasową z listy.",
    }
    assert error.get_text() == expected[error_of]
    assert page.select_one(f"#{error_of}")["aria-invalid"] == "true"
    assert len(page.select(".field-error")) == 1
    # The other, valid choice is kept in the form for the next try.
    other = "timezone" if error_of == "locale" else "locale"
    assert selected(page, other) == fields[other]
    assert await stored(people, "dana") == ("pl", "Europe/Warsaw")


async def test_saving_without_the_csrf_token_is_refused(client, people):
    await log_in(client, people, "dana")
    response = await client.post(
        "/me/profile", data={"locale": "pl", "timezone": "Europe/Warsaw"}, follow_redirects=False
    )
    assert response.status_code == 403
    response = await client.post(
        "/me/profile",
        data={"_csrf_token": "forged", "locale": "pl", "timezone": "Europe/Warsaw"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert await stored(people, "dana") == ("", "")


async def test_only_your_own_profile_is_reachable(client, people):
    bob = people.ids["bob"]  # from the fixture's organisation
    csrf = await log_in(client, people, "dana")
    assert (await client.get(f"/me/profile/{bob}")).status_code == 404
    assert (await client.get("/me/profile/bob")).status_code == 404
    page = soup(await client.get("/me/profile", params={"person": bob, "username": "bob"}))
    assert page.select_one("#profile-username").get_text() == "dana"
    # Extra fields naming someone else change only the sender's own profile.
    response = await save(
        client, csrf, locale="pl", timezone="Asia/Tokyo", person_id=str(bob), username="bob"
    )
    assert response.status_code == 303
    assert await stored(people, "dana") == ("pl", "Asia/Tokyo")
    assert await stored(people, "bob") == ("", "")
    assert (await client.post(f"/me/profile/{bob}", data={"_csrf_token": csrf})).status_code in (
        404,
        405,
    )


async def test_the_language_changes_from_the_next_page_and_back_to_the_default(client, people):
    csrf = await log_in(client, people, "dana")
    browser_zh = {"Accept-Language": "zh-CN"}
    assert soup(await client.get("/", headers=browser_zh)).html["lang"] == "zh-Hans"

    assert (await save(client, csrf, locale="pl", timezone="")).status_code == 303
    page = soup(await client.get("/requests", headers=browser_zh))
    assert page.html["lang"] == "pl"
    assert page.select_one("header a[href='/me/profile']").get_text() == "Profil"

    # The header's switcher also left its cookie; "organisation default" must win over it.
    switched = await client.post(
        "/-/language", data={"_csrf_token": csrf, "locale": "zh_Hant", "next": "/"}
    )
    assert soup(switched).html["lang"] == "zh-Hant"
    assert (await save(client, csrf, locale="", timezone="")).status_code == 303
    assert await stored(people, "dana") == ("", "")
    assert soup(await client.get("/")).html["lang"] == "en"
    assert soup(await client.get("/", headers=browser_zh)).html["lang"] == "zh-Hans"


async def test_the_time_zone_changes_the_times_shown(client, people, runtime):
    csrf = await log_in(client, people, "dana")
    rt = runtime.registry.request_types["it.incident"]
    ticket = await TicketService(await runtime.snapshot()).create(
        await people.actor("dana"),
        request_type=rt.key,
        title="Printer on fire",
        form_data=sample_form_data(rt.form),
    )

    def raised(page: BeautifulSoup) -> str:
        return page.select_one("main time").get_text()

    created = dt.datetime.fromisoformat(
        soup(await client.get(f"/requests/{ticket.key}")).select_one("main time")["datetime"]
    )
    before = raised(soup(await client.get(f"/requests/{ticket.key}")))
    assert before == created.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")

    assert (await save(client, csrf, locale="", timezone="Asia/Kolkata")).status_code == 303
    after = raised(soup(await client.get(f"/requests/{ticket.key}")))
    kolkata = created.astimezone(ZoneInfo("Asia/Kolkata"))  # UTC+05:30 all year round
    assert f"{kolkata:%H:%M}" in after
    assert "UTC" not in after and after != before
    profile = soup(await client.get("/me/profile"))
    assert "+0530" in profile.select_one("#timezone-help").get_text()


@pytest.mark.parametrize(
    ("locale", "lang", "heading", "default_zone", "asia"),
    [
        ("zh_Hans", "zh-Hans", "你的个人资料", "组织默认（UTC）", "亚洲"),
        ("zh_Hant", "zh-Hant", "你的個人資料", "組織預設（UTC）", "亞洲"),
        ("pl", "pl", "Twój profil", "Domyślna w organizacji (UTC)", "Azja"),
    ],
)
async def test_the_profile_page_in_each_language(
    client, people, locale, lang, heading, default_zone, asia
):
    csrf = await log_in(client, people, "dana")
    assert (await save(client, csrf, locale=locale, timezone="Asia/Taipei")).status_code == 303
    page = soup(await client.get("/me/profile"))
    assert page.html["lang"] == lang
    assert page.h1.get_text() == heading
    assert page.select_one("#timezone option").get_text() == default_zone
    taipei = page.select_one(f"#timezone optgroup[label='{asia}'] option[value='Asia/Taipei']")
    assert taipei.get_text() == "Asia/Taipei" and taipei.has_attr("selected")
    assert "Your profile" not in page.text and "Time zone" not in page.text


async def test_the_organisation_default_is_named_and_used(db, settings, people):
    """With POLYDESK_DEFAULT_LOCALE=pl and POLYDESK_DEFAULT_TIMEZONE=Europe/Warsaw, a
    person without choices of their own gets both, and the form names them."""
    runtime = Runtime.create(
        dataclasses.replace(settings, default_locale="pl", default_timezone="Europe/Warsaw"),
        create_plugin_manager(),
    )
    await sync_catalog(runtime.registry)
    await sync_plugin_rows(runtime.pm)
    async with AsyncTestClient(app=create_app(runtime=runtime, background=False)) as client:
        await log_in(client, people, "dana")
        page = soup(await client.get("/me/profile"))
    assert page.html["lang"] == "pl"
    options = page.select("#locale option")
    assert options[0].get_text() == "Domyślny w organizacji (Polski)"
    assert options[0].has_attr("selected")
    assert page.select_one("#timezone option").get_text() == (
        "Domyślna w organizacji (Europe/Warsaw)"
    )
    assert page.select_one("#timezone-help").get_text().endswith(("CET", "CEST"))


# -- the service ---------------------------------------------------------------------------


async def test_update_preferences_normalizes_and_validates(db):
    person = await create_person("erin", "Erin")
    saved = await update_preferences(person, locale="pl-PL", timezone="America/Sao_Paulo")
    assert (saved.locale, saved.timezone) == ("pl", "America/Sao_Paulo")
    saved = await update_preferences(person, locale="zh-TW", timezone="UTC")
    assert (saved.locale, saved.timezone) == ("zh_Hant", "UTC")
    assert await get_profile(person) == saved

    with pytest.raises(ValidationFailed) as refused:
        await update_preferences(person, locale="xx", timezone="Nowhere/At_All")
    assert set(refused.value.fields) == {"locale", "timezone"}
    assert (await get_profile(person)).locale == "zh_Hant"

    # A zone stored before as an alias stays accepted while it is the current one.
    await Person.update({Person.timezone: "US/Eastern"}).where(Person.id == person)
    assert (await update_preferences(person, locale="", timezone="US/Eastern")).timezone == (
        "US/Eastern"
    )
    with pytest.raises(ValidationFailed):
        await update_preferences(person, locale="", timezone="US/Pacific")


def test_every_offered_time_zone_is_one_the_pages_accept():
    names = timezone_names()
    assert names[0] == "UTC" and "Europe/Warsaw" in names and "Asia/Shanghai" in names
    assert not {"US/Eastern", "localtime", "Factory", "posixrules"} & set(names)
    assert all(valid_timezone(name) == name for name in names)
