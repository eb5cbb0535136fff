"""Linking an article in a reply, without JavaScript: the search beside the reply
form, the no-JS page, and the link the requester can click in the portal."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from polydesk.core.demo import sample_form_data
from polydesk.core.knowledge.services import KnowledgeService
from polydesk.core.tickets.services import TicketService

PASSWORD = "agent-password-1"


@pytest.fixture
async def setting(runtime, people):
    """rita's IT ticket; a published IT article, an agents-only runbook and a draft."""
    await people.add("kb.agent", roles={"it": "agent"}, password=PASSWORD)
    await people.add("rita", password=PASSWORD)
    snapshot = await runtime.snapshot()
    ticket = await TicketService(snapshot).create(
        await people.actor("rita"),
        request_type="it.incident",
        title="VPN drops",
        description="It drops every hour",
        form_data=sample_form_data(runtime.registry.request_types["it.incident"].form),
    )
    kb = KnowledgeService(snapshot)
    admin, lead = await people.actor("admin"), await people.actor("it.lead")
    await kb.create_space(
        admin, slug="it-runbooks", name="Runbooks", department="it", audience="agents"
    )
    article = await kb.create_article(lead, space="it", title="VPN keeps dropping", body_md="vpn")
    await kb.publish(lead, article.id)
    runbook = await kb.create_article(lead, space="it-runbooks", title="VPN runbook", body_md="vpn")
    await kb.publish(lead, runbook.id)
    await kb.create_article(lead, space="it", title="VPN draft", body_md="vpn")
    return ticket, article


async def log_in(client, username: str) -> str:
    client.cookies.clear()
    await client.get("/login")
    token = client.cookies.get("polydesk_csrf")
    response = await client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "_csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return token


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


async def test_the_reply_form_has_the_search_and_its_script(client, setting):
    ticket, _ = setting
    await log_in(client, "kb.agent")
    page = soup(await client.get(f"/agent/tickets/{ticket.key}"))
    search = page.select_one("#reply .kb-link-search form")
    assert search["action"] == f"/agent/tickets/{ticket.key}/article-links"
    assert search["hx-get"] == search["action"] and search["method"] == "get"
    assert page.select_one('#reply script[src="/static/js/knowledge-links.js"]')
    # No inline script and no event-handler attributes on the page.
    assert all(s.get("src") for s in page.select("script"))
    assert not [a for tag in page.find_all(True) for a in tag.attrs if a.startswith("on")]


async def test_htmx_search_offers_only_what_the_requester_may_read(client, setting):
    ticket, article = setting
    await log_in(client, "kb.agent")
    response = await client.get(
        f"/agent/tickets/{ticket.key}/article-links",
        params={"q": "vpn"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    fragment = soup(response)
    assert fragment.select_one("html") is None  # a fragment, not a page
    buttons = fragment.select("#kb-link-results button.kb-insert-link")
    assert [b["data-insert"] for b in buttons] == [
        f"VPN keeps dropping: /portal/articles/{article.id}"
    ]
    assert buttons[0]["data-target"] == "reply-body" and buttons[0]["type"] == "button"
    none = soup(
        await client.get(
            f"/agent/tickets/{ticket.key}/article-links",
            params={"q": "printer"},
            headers={"HX-Request": "true"},
        )
    )
    assert "No published article" in none.text


async def test_without_javascript_a_page_shows_the_text_to_copy(client, setting):
    ticket, article = setting
    await log_in(client, "kb.agent")
    page = soup(await client.get(f"/agent/tickets/{ticket.key}/article-links?q=vpn"))
    assert page.select_one("h1").text == "Link a help article"
    assert [c.text for c in page.select(".kb-link-text")] == [
        f"VPN keeps dropping: /portal/articles/{article.id}"
    ]


async def test_others_get_404(client, people, setting):
    ticket, _ = setting
    await people.add("hr.person", roles={"hr": "agent"}, password=PASSWORD)
    await log_in(client, "hr.person")
    url = f"/agent/tickets/{ticket.key}/article-links?q=vpn"
    assert (await client.get(url)).status_code == 404
    await log_in(client, "rita")
    assert (await client.get(url)).status_code == 404


async def test_a_linked_article_is_clickable_for_the_requester(client, setting):
    ticket, article = setting
    token = await log_in(client, "kb.agent")
    body = f"Please try this.\nVPN keeps dropping: /portal/articles/{article.id}\n<b>thanks</b>"
    sent = await client.post(
        f"/agent/tickets/{ticket.key}/replies",
        data={
            "_csrf_token": token,
            "version": str(ticket.version),
            "visibility": "public",
            "body": body,
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    agent_view = soup(await client.get(f"/agent/tickets/{ticket.key}"))
    assert agent_view.select_one(".timeline a.article-link")["href"] == (
        f"/portal/articles/{article.id}"
    )
    await log_in(client, "rita")
    mine = soup(await client.get(f"/requests/{ticket.key}"))
    links = mine.select(".timeline a.article-link")
    assert [a["href"] for a in links] == [f"/portal/articles/{article.id}"]
    entry = links[0].find_parent("p")
    assert "<b>thanks</b>" in entry.text and entry.select_one("b") is None  # still escaped
    assert (await client.get(links[0]["href"])).status_code == 200


async def test_api_lists_the_articles_to_link(client, people, setting):
    ticket, article = setting
    agent = await people.headers("kb.agent")
    url = f"/api/v1/tickets/{ticket.key}/article-links"
    hits = (await client.get(url, params={"q": "vpn"}, headers=agent)).json()
    assert [h["id"] for h in hits] == [article.id]
    outsider = await people.headers("hr.agent")
    assert (await client.get(url, params={"q": "vpn"}, headers=outsider)).status_code == 404
