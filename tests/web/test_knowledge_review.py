"""Review-by dates on the web and the API: the due filter, the overdue notice, the
workspace's count and marking an article reviewed."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from polydesk.core.knowledge.review import add_months
from polydesk.core.knowledge.services import KnowledgeService

PASSWORD = "agent-password-1"


@pytest.fixture
async def cast(people):
    await people.add("kb.agent", roles={"it": "agent"}, password=PASSWORD)
    return people


@pytest.fixture
async def today(runtime):
    return (await runtime.snapshot()).now().date()


@pytest.fixture
async def articles(runtime, cast, today):
    """Published IT articles: two of kb.agent's due (one long ago), one of theirs
    later, one of the lead's due; and a draft past its date (drafts are never due)."""
    kb = KnowledgeService(await runtime.snapshot())
    agent, lead = await cast.actor("kb.agent"), await cast.actor("it.lead")
    made = {}
    for title, owner, days in (
        ("Old VPN", agent, -40),
        ("Printer", agent, 0),
        ("Later", agent, 30),
        ("Lead's", lead, -1),
    ):
        a = await kb.create_article(
            owner, space="it", title=title, body_md="x", review_by=today + dt.timedelta(days)
        )
        made[title] = (await kb.publish(lead, a.id)).id
    draft = await kb.create_article(
        agent, space="it", title="Draft", body_md="x", review_by=today - dt.timedelta(days=5)
    )
    made["Draft"] = draft.id
    return made


async def log_in(client, username: str) -> str:
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


async def test_the_due_filter_lists_published_articles_whose_date_has_come(client, articles, today):
    await log_in(client, "kb.agent")
    due = soup(await client.get("/agent/knowledge", params={"review": "due"}))
    titles = [a.text for a in due.select(".kb-articles tbody td:first-child a")]
    assert titles == ["Old VPN", "Lead's", "Printer"]  # the longest overdue first
    assert due.select_one('input[name="review"]').has_attr("checked")
    assert len(due.select(".kb-due-badge")) == 3
    mine = soup(await client.get("/agent/knowledge", params={"review": "due", "mine": "1"}))
    assert [a.text for a in mine.select(".kb-articles tbody td:first-child a")] == [
        "Old VPN",
        "Printer",
    ]
    everything = soup(await client.get("/agent/knowledge"))
    assert len(everything.select(".kb-articles tbody tr")) == 5


async def test_the_workspace_shows_how_many_of_my_articles_are_due(client, articles):
    await log_in(client, "kb.agent")
    link = soup(await client.get("/agent")).select_one("#kb-due")
    assert link.text == "2 of your articles are due for review"
    assert link["href"] == "/agent/knowledge?review=due&mine=1"


async def test_the_workspace_says_nothing_when_none_is_due(client, cast):
    await log_in(client, "kb.agent")
    assert soup(await client.get("/agent")).select_one("#kb-due") is None


async def test_article_page_shows_overdue_and_marking_reviewed_clears_it(client, articles, today):
    token = await log_in(client, "kb.agent")
    url = f"/agent/knowledge/{articles['Old VPN']}"
    page = soup(await client.get(url))
    overdue = page.select_one("#kb-overdue").text
    assert f"Review overdue since {(today - dt.timedelta(days=40)).isoformat()}" in overdue
    assert (
        soup(await client.get(f"/agent/knowledge/{articles['Later']}")).select_one("#kb-overdue")
        is None
    )
    bad = await client.post(
        f"{url}/review",
        data={"_csrf_token": token, "months": "99", "note": "kept"},
        follow_redirects=False,
    )
    assert bad.status_code == 422
    assert soup(bad).select_one("#kb-review-months-error").text
    assert soup(bad).select_one("#kb-review-note")["value"] == "kept"
    done = await client.post(
        f"{url}/review",
        data={"_csrf_token": token, "months": "3", "note": "checked the steps"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    page = soup(await client.get(url))
    assert page.select_one("#kb-overdue") is None
    nxt = add_months(today, 3).isoformat()
    assert f"Next review by {nxt}" in page.select_one("#review").text
    first = page.select_one(".kb-history tbody tr")
    assert f"Reviewed; next review by {nxt}: checked the steps" in first.text
    link = soup(await client.get("/agent")).select_one("#kb-due")
    assert link.text == "1 of your articles is due for review"


async def test_api_due_filter_and_review(client, people, articles, today):
    agent = await people.headers("kb.agent")
    due = await client.get(
        "/api/v1/knowledge/articles", params={"due_for_review": "true"}, headers=agent
    )
    assert [a["title"] for a in due.json()] == ["Old VPN", "Lead's", "Printer"]
    url = f"/api/v1/knowledge/articles/{articles['Printer']}/review"
    bad = await client.post(url, json={"review_by": today.isoformat()}, headers=agent)
    assert bad.status_code == 422
    alice = await people.headers("alice")
    assert (await client.post(url, json={"months": 6}, headers=alice)).status_code == 403
    draft_url = f"/api/v1/knowledge/articles/{articles['Draft']}/review"
    assert (await client.post(draft_url, json={"months": 6}, headers=alice)).status_code == 404
    ok = await client.post(url, json={"months": 6}, headers=agent)
    assert ok.status_code == 201 and ok.json()["review_by"] == add_months(today, 6).isoformat()
    assert not ok.json()["review_due"]
