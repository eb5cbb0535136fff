"""The agents' knowledge pages without JavaScript, read as HTML."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from polydesk.core.db import is_postgres_engine
from polydesk.core.knowledge.services import KnowledgeService
from polydesk.core.tickets.services import TicketService

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
async def cast(people):
    await people.add("kb.agent", roles={"it": "agent"}, password=PASSWORD)
    await people.add("kb.lead", roles={"it": "lead"}, password=PASSWORD)
    await people.add("rita", password=PASSWORD)
    return people


async def log_in(client, username: str) -> str:
    """Log in through the real form; returns the CSRF token for later posts."""
    await client.get("/login")
    token = client.cookies.get("polydesk_csrf")
    response = await client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "_csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return token


async def post(client, url: str, token: str, data: dict | None = None):
    return await client.post(
        url, data={"_csrf_token": token, **(data or {})}, follow_redirects=False
    )


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


async def create(client, token, **fields) -> str:
    data = {"space": "it", "title": "VPN on macOS", "body_md": "Install the client.", **fields}
    response = await post(client, "/agent/knowledge/new", token, data)
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def test_requesters_get_404(client, cast):
    await log_in(client, "rita")
    assert (await client.get("/agent/knowledge")).status_code == 404
    assert (await client.get("/agent/knowledge/new")).status_code == 404
    assert (await client.get("/agent/knowledge/1")).status_code == 404


async def test_create_list_and_filter(client, cast):
    token = await log_in(client, "kb.agent")
    form = soup(await client.get("/agent/knowledge/new", params={"space": "it"}))
    assert form.select_one("#kb-space option[selected]")["value"] == "it"
    bad = await post(
        client, "/agent/knowledge/new", token, {"space": "it", "title": "", "body_md": "kept text"}
    )
    assert bad.status_code == 422
    assert "kept text" in soup(bad).select_one("#kb-body").get_text()
    url = await create(client, token, tags="vpn, mac")
    article = soup(await client.get(url))
    assert article.select_one("#kb-status").get_text() == "draft"
    assert "Install the client." in article.select_one(".kb-body").get_text()
    assert article.select_one("#kb-tags")["value"] == "vpn, mac"
    await create(client, token, title="Printer queue")
    listing = soup(await client.get("/agent/knowledge"))
    titles = [a.get_text() for a in listing.select(".kb-articles tbody a")]
    assert titles == ["Printer queue", "VPN on macOS"]
    assert listing.select_one("a.new-article")
    published = soup(await client.get("/agent/knowledge", params={"status": "published"}))
    assert not published.select(".kb-articles tbody a")
    hr = soup(await client.get("/agent/knowledge", params={"space": "it", "status": "draft"}))
    assert len(hr.select(".kb-articles tbody a")) == 2


async def test_workspace_links_to_knowledge(client, cast):
    await log_in(client, "kb.agent")
    page = soup(await client.get("/agent"))
    assert page.select_one('a[href="/agent/knowledge"]')


async def test_edit_and_stale_edit_keeps_the_text(client, cast):
    token = await log_in(client, "kb.agent")
    url = await create(client, token)
    saved = await post(
        client,
        url,
        token,
        {
            "version": "1",
            "title": "VPN on macOS",
            "body_md": "Install the new client.",
            "tags": "vpn",
        },
    )
    assert saved.status_code == 303
    page = soup(await client.get(url))
    assert page.select_one("#kb-version").get_text() == "version 2"
    assert "Install the new client." in page.select_one(".kb-body").get_text()
    stale = await post(
        client,
        url,
        token,
        {"version": "1", "title": "VPN on macOS", "body_md": "My stale words", "tags": "vpn"},
    )
    assert stale.status_code == 409
    again = soup(stale)
    assert again.select_one("#conflict")
    assert again.select_one("#kb-body").get_text() == "My stale words"
    assert again.select_one("input[name=version]")["value"] == "2"


async def test_publish_by_lead_and_refused_for_agent(client, cast):
    token = await log_in(client, "kb.agent")
    url = await create(client, token)
    refused = await post(client, f"{url}/publish", token)
    assert refused.status_code == 403
    assert soup(refused).select_one("#refusal")
    assert soup(await client.get(url)).select_one("#kb-status").get_text() == "draft"
    await post(client, "/logout", token)
    lead = await log_in(client, "kb.lead")
    done = await post(client, f"{url}/publish", lead)
    assert done.status_code == 303
    assert soup(await client.get(url)).select_one("#kb-status").get_text() == "published"
    archived = await post(client, f"{url}/archive", lead)
    assert archived.status_code == 303
    assert soup(await client.get(url)).select_one("#kb-status").get_text() == "archived"


async def test_diff_and_restore(client, cast):
    token = await log_in(client, "kb.agent")
    url = await create(client, token, body_md="Old line")
    await post(client, url, token, {"version": "1", "title": "VPN on macOS", "body_md": "New line"})
    page = soup(await client.get(url))
    link = page.select_one('tr[data-version="1"] a.diff-link')["href"]
    assert link.endswith("diff?from=1&to=2")
    diff = soup(await client.get(link))
    assert "New line" in diff.select_one(".diff-added").get_text()
    assert "Old line" in diff.select_one(".diff-removed").get_text()
    restored = await post(client, f"{url}/restore/1", token, {"version": "2"})
    assert restored.status_code == 303
    page = soup(await client.get(url))
    assert page.select_one("#kb-version").get_text() == "version 3"
    assert "Old line" in page.select_one(".kb-body").get_text()
    stale = await post(client, f"{url}/restore/2", token, {"version": "2"})
    assert stale.status_code == 409


async def test_a_resolved_ticket_becomes_a_draft(client, runtime, cast, incident_form):
    tickets = TicketService(await runtime.snapshot())
    alice, agent = await cast.actor("alice"), await cast.actor("kb.agent")
    ticket = await tickets.create(
        alice,
        request_type="it.incident",
        title="Cannot print",
        description="The printer says offline.",
        form_data=incident_form(),
    )
    token = await log_in(client, "kb.agent")
    page = soup(await client.get(f"/agent/tickets/{ticket.key}"))
    assert not page.select_one("form.to-article")
    early = await post(client, f"/agent/tickets/{ticket.key}/article", token)
    assert early.status_code == 422 and soup(early).select_one("#veto")
    current = await tickets.get(agent, ticket.id)
    await tickets.transition(
        agent,
        ticket.id,
        "resolve",
        version=current.version,
        fields={"resolution_code": "advice", "resolution_note": "Re-added the FollowMe queue."},
    )
    page = soup(await client.get(f"/agent/tickets/{ticket.key}"))
    assert page.select_one("form.to-article")["action"] == f"/agent/tickets/{ticket.key}/article"
    made = await post(client, f"/agent/tickets/{ticket.key}/article", token)
    assert made.status_code == 303
    draft = soup(await client.get(made.headers["location"]))
    assert draft.select_one("#kb-status").get_text() == "draft"
    assert "FollowMe" in draft.select_one(".kb-body").get_text()
    kb = KnowledgeService(await runtime.snapshot())
    assert len(await kb.articles(agent, status="draft")) == 1


async def test_another_departments_draft_is_404(client, cast):
    await cast.add("hr.writer", roles={"hr": "agent"}, password=PASSWORD)
    token = await log_in(client, "kb.agent")
    url = await create(client, token)
    await post(client, "/logout", token)
    other = await log_in(client, "hr.writer")
    assert (await client.get(url)).status_code == 404
    assert (await post(client, f"{url}/publish", other)).status_code == 404
    listing = soup(await client.get("/agent/knowledge"))
    assert not listing.select(".kb-articles tbody a")
