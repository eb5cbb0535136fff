"""Articles in several languages over HTTP: the API, the portal in the reader's
language, and the agents' editor ("Language", "Add a translation")."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from polydesk.core.db import is_postgres_engine
from polydesk.core.knowledge.services import KnowledgeService

PASSWORD = "agent-password-1"
KB_TABLES = (
    "kb_attachment",
    "kb_deflection",
    "kb_vote",
    "kb_article_version",
    "kb_article",
    "kb_space",
)


@pytest.fixture
async def db(db: None) -> None:
    """The suite's empty database, with the knowledge tables (not in DATA_TABLES) emptied."""
    from polydesk.core.knowledge.tables import Space

    if is_postgres_engine():
        await Space.raw(f"TRUNCATE {', '.join(KB_TABLES)} RESTART IDENTITY CASCADE")
    else:
        for table in (*KB_TABLES, "kb_article_fts", "kb_article_title_fts"):
            await Space.raw(f"DELETE FROM {table}")


@pytest.fixture
async def group(runtime, people):
    """A published English IT article with a published Polish translation and a
    Chinese draft."""
    kb = KnowledgeService(await runtime.snapshot())
    lead = await people.actor("it.lead")
    original = await kb.create_article(
        lead, space="it", title="Connect to the VPN", body_md="Open the VPN client.", publish=True
    )
    polish = await kb.create_translation(lead, original.id, language="pl")
    await kb.update_article(
        lead, polish.id, version=1, title="Połącz się z VPN", body_md="Otwórz klienta VPN."
    )
    await kb.publish(lead, polish.id)
    chinese = await kb.create_translation(lead, original.id, language="zh_Hans")
    return {"en": original.id, "pl": polish.id, "zh_Hans": chinese.id}


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.text
    return BeautifulSoup(response.text, "html.parser")


async def log_in(client, username: str, locale: str = "en") -> str:
    client.cookies.set("polydesk_locale", locale)
    await client.get("/login")
    token = client.cookies.get("polydesk_csrf")
    response = await client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "_csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return token


# -- API -----------------------------------------------------------------------------


async def test_api_articles_carry_language_and_their_translation_group(client, people, group):
    alice = await people.headers("alice")
    url = f"/api/v1/knowledge/articles/{group['en']}/translations"
    seen = (await client.get(url, headers=alice)).json()
    assert [(a["id"], a["language"], a["translation_of"]) for a in seen] == [
        (group["en"], "en", None),
        (group["pl"], "pl", group["en"]),
    ]  # the Chinese draft is the editors' only
    lead = await people.headers("it.lead")
    assert len((await client.get(url, headers=lead)).json()) == 3
    article = (await client.get(f"/api/v1/knowledge/articles/{group['pl']}", headers=alice)).json()
    assert (article["language"], article["translation_of"]) == ("pl", group["en"])
    hidden = await client.get(
        f"/api/v1/knowledge/articles/{group['zh_Hans']}/translations", headers=alice
    )
    assert hidden.status_code == 404


async def test_api_creates_translations_and_refuses_a_taken_or_unknown_language(
    client, people, group
):
    agent = await people.headers("it.agent")
    url = f"/api/v1/knowledge/articles/{group['pl']}/translations"
    created = await client.post(url, json={"language": "zh_Hant"}, headers=agent)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["language"], body["translation_of"], body["status"]) == (
        "zh_Hant",
        group["en"],
        "draft",
    )
    assert body["title"] == "Połącz się z VPN"  # prefilled from the article it was made from
    taken = await client.post(url, json={"language": "zh_Hans"}, headers=agent)
    assert taken.status_code == 422 and "language" in taken.text
    unknown = await client.post(url, json={"language": "klingon"}, headers=agent)
    assert unknown.status_code == 422
    direct = await client.post(
        "/api/v1/knowledge/articles",
        json={"space": "it", "title": "VPN", "language": "pl", "translation_of": group["en"]},
        headers=agent,
    )
    assert direct.status_code == 422  # Polish is taken in that group
    assert len((await client.get(url, headers=agent)).json()) == 4
    requester = await client.post(
        url, json={"language": "en"}, headers=await people.headers("alice")
    )
    assert requester.status_code in (403, 422)


# -- portal ----------------------------------------------------------------------------


async def test_portal_article_shows_the_reader_language_with_links_to_the_others(
    client, people, group
):
    await people.add("rita", password=PASSWORD)
    await log_in(client, "rita", "pl")
    page = soup(await client.get(f"/portal/articles/{group['en']}"))
    assert page.html["lang"] == "pl"
    assert page.h1.get_text() == "Połącz się z VPN"
    assert page.find("article")["lang"] == "pl"
    links = page.select(".kb-languages a")
    assert [(a["hreflang"], a["href"]) for a in links] == [
        ("en", f"/portal/articles/{group['en']}?lang=en")
    ]
    # The chosen language wins over the reader's; a draft never shows.
    english = soup(await client.get(links[0]["href"]))
    assert english.h1.get_text() == "Connect to the VPN"
    client.cookies.set("polydesk_locale", "zh_Hans")
    chinese_reader = soup(await client.get(f"/portal/articles/{group['pl']}"))
    assert chinese_reader.h1.get_text() == "Connect to the VPN"  # no published Chinese one


async def test_portal_lists_and_search_show_one_article_per_group(client, people, group):
    await people.add("rita", password=PASSWORD)
    await log_in(client, "rita", "pl")
    department = soup(await client.get("/portal/it"))
    titles = [a.get_text(strip=True) for a in department.select("a[href^='/portal/articles/']")]
    assert "Połącz się z VPN" in titles and "Connect to the VPN" not in titles
    found = soup(await client.get("/search", params={"q": "vpn client"}))
    hits = [" ".join(a.get_text().split()) for a in found.select("a[href^='/portal/articles/']")]
    assert hits == ["Połącz się z VPN"]
    client.cookies.set("polydesk_locale", "en")
    found = soup(await client.get("/search", params={"q": "vpn"}))
    hits = [" ".join(a.get_text().split()) for a in found.select("a[href^='/portal/articles/']")]
    assert hits == ["Connect to the VPN"]
    suggested = soup(await client.get("/portal/it/suggest", params={"title": "vpn"}))
    assert "Connect to the VPN" in suggested.get_text() and "Połącz" not in suggested.get_text()


# -- agents' editor ----------------------------------------------------------------------


async def test_agents_choose_the_language_and_add_a_translation(client, people, group):
    await people.add("kb.agent", roles={"it": "agent"}, password=PASSWORD)
    token = await log_in(client, "kb.agent")
    new = soup(await client.get("/agent/knowledge/new"))
    assert new.select_one("#kb-language option[selected]")["value"] == "en"
    created = await client.post(
        "/agent/knowledge/new",
        data={"_csrf_token": token, "space": "it", "title": "Drukarki", "language": "pl"},
        follow_redirects=False,
    )
    assert created.status_code == 303
    page = soup(await client.get(created.headers["location"]))
    assert page.select_one("#kb-language option[selected]")["value"] == "pl"
    # Add a translation of the group: only the languages it lacks are offered.
    article = soup(await client.get(f"/agent/knowledge/{group['en']}"))
    offered = [o["value"] for o in article.select("#kb-translation-language option")]
    assert offered == ["zh_Hant"]
    started = await client.post(
        f"/agent/knowledge/{group['en']}/translations",
        data={"_csrf_token": token, "language": "zh_Hant"},
        follow_redirects=False,
    )
    assert started.status_code == 303
    draft = soup(await client.get(started.headers["location"]))
    assert draft.select_one("#kb-title")["value"] == "Connect to the VPN"
    assert draft.select_one("#kb-language option[selected]")["value"] == "zh_Hant"
    again = await client.post(
        f"/agent/knowledge/{group['en']}/translations",
        data={"_csrf_token": token, "language": "pl"},
        follow_redirects=False,
    )
    assert again.status_code == 422
    assert BeautifulSoup(again.text, "html.parser").select_one("#kb-translation-error")
