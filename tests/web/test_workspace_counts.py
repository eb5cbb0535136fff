"""The workspace side bar's counts: not on the page, but in one request after it.

The page shows a placeholder for each queue's count and a hidden element that
asks GET /agent/counts once it has loaded (htmx); that answer holds each count,
swapped out of band into its placeholder, with the same visibility rules as the
list itself.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from polydesk.core.demo import sample_form_data
from polydesk.core.tickets.services import TicketService

HX = {"HX-Request": "true"}


@pytest.fixture
async def desk(runtime, people):
    await people.add("it.web", roles={"it": "agent"})
    return TicketService(await runtime.snapshot())


async def raise_ticket(desk, people, who: str, rt: str, title: str, **form):
    data = sample_form_data(desk.registry.request_types[rt].form)
    data.update(form)
    return await desk.create(await people.actor(who), request_type=rt, title=title, form_data=data)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def queue_names(page: BeautifulSoup) -> dict[str, str]:
    """Side-bar link id → its name, from the workspace page."""
    return {a["id"]: a.get_text() for a in page.select(".queues a.queue-link")}


async def counts_of(client, headers) -> dict[str, str]:
    """What the page's own follow-up request brings: count span id → the number shown."""
    page = soup(await client.get("/agent", headers=headers))
    trigger = page.select_one("#queue-counts")
    assert trigger["hx-trigger"] == "load" and trigger.has_attr("hidden")
    response = await client.get(trigger["hx-get"], headers={**headers, **HX})
    assert response.status_code == 200
    assert "<html" not in response.text and response.headers["vary"] == "HX-Request"
    spans = soup(response).find_all("span", recursive=False, id=re.compile(r"-count$"))
    assert all(s["hx-swap-oob"] == "true" for s in spans)
    # Every placeholder of the page gets its count, and nothing else is sent.
    placeholders = [s["id"] for s in page.select(".queues .count")]
    assert sorted(s["id"] for s in spans) == sorted(placeholders)
    names = queue_names(page)
    return {names[s["id"].removesuffix("-count")]: s.contents[0].strip() for s in spans}


async def test_the_page_has_placeholders_and_the_counts_request_the_numbers(client, desk, people):
    p1 = await raise_ticket(
        desk, people, "alice", "it.incident", "Mail is down", impact="high", urgency="high"
    )
    p4 = await raise_ticket(
        desk, people, "alice", "it.incident", "Printer jam", impact="low", urgency="low"
    )
    assert p1.priority in (1, 2) and p4.priority not in (1, 2)
    await raise_ticket(desk, people, "bob", "it.software", "Need Visio")
    mine = await raise_ticket(
        desk, people, "bob", "it.incident", "VPN drops", impact="low", urgency="low"
    )
    await desk.assign(
        await people.actor("it.lead"), mine.id, version=mine.version, assignee="it.web"
    )
    await raise_ticket(desk, people, "bob", "hr.employment_letter", "A letter")  # not IT's
    headers = await people.headers("it.web")

    page = soup(await client.get("/agent", headers=headers))
    # No numbers on the page: each count is a placeholder the screen reader skips.
    for count in page.select(".queues .count"):
        assert count.get_text(strip=True) == "…"
        assert count.select_one("[aria-hidden=true]").get_text() == "…"
    assert not page.select(".queues .count .visually-hidden")
    assert page.select_one("noscript a")["href"] == "/agent/counts"
    # (The list's own total is still on the page.)
    assert page.select_one("#ticket-list .list-status strong").get_text() == "4"

    counts = await counts_of(client, headers)
    assert counts == {
        "All active": "4",
        "Unassigned incidents": "2",
        "P1 and P2 incidents": "1",
        "My work": "1",
        "Open service requests": "1",
        "Changes awaiting approval": "0",
    }


async def test_saved_views_are_counted_too_and_the_page_without_javascript(client, desk, people):
    await raise_ticket(desk, people, "alice", "it.incident", "Mail is down")
    await raise_ticket(desk, people, "alice", "it.incident", "Mail is slow")
    await raise_ticket(desk, people, "alice", "it.incident", "VPN is down")
    headers = await people.headers("it.web")
    saved = await client.post(
        "/agent/views",
        headers=headers,
        data={"name": "Mail", "query": "q=mail"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert (await counts_of(client, headers))["Mail"] == "2"

    # Without JavaScript, the <noscript> link: the same view, whole, with its counts.
    plain = soup(await client.get("/agent/counts", params={"q": "vpn"}, headers=headers))
    assert [tr["data-key"] for tr in plain.select("tr[data-key]")] == ["IT-3"]
    shown = {
        a.get_text(): plain.select_one(f"#{a['id']}-count").contents[0].strip()
        for a in plain.select(".queues a.queue-link")
    }
    assert shown["All active"] == "3" and shown["Mail"] == "2"
    assert not plain.select("#queue-counts") and not plain.select(".count.pending")


async def test_another_departments_agent_gets_exactly_their_own_counts(client, desk, people):
    await raise_ticket(desk, people, "alice", "it.incident", "Mail is down")
    await raise_ticket(desk, people, "alice", "hr.employment_letter", "A letter")
    await raise_ticket(desk, people, "bob", "hr.employment_letter", "Another letter")
    hr_page = soup(await client.get("/agent", headers=await people.headers("hr.agent")))
    assert all(i.startswith("queue-hr-") for i in queue_names(hr_page))
    counts = await counts_of(client, await people.headers("hr.agent"))
    assert counts["All active"] == "2" and counts["Unassigned requests"] == "2"
    it_counts = await counts_of(client, await people.headers("it.web"))
    assert it_counts["All active"] == "1"


async def test_confidential_tickets_are_counted_only_for_their_team(client, desk, people):
    await raise_ticket(desk, people, "alice", "hr.case", "A grievance")
    await raise_ticket(desk, people, "bob", "hr.employment_letter", "A letter")
    outsider = await counts_of(client, await people.headers("hr.agent"))
    team = await counts_of(client, await people.headers("hr.case"))
    assert outsider["All active"] == "1" and outsider["Confidential cases"] == "0"
    assert team["All active"] == "2" and team["Confidential cases"] == "1"
    # Confidential even from administrators, who see every department.
    admin = await counts_of(client, await people.headers("admin"))
    assert admin["Confidential cases"] == "0"


async def test_who_may_not_see_the_workspace_may_not_see_its_counts(client, people):
    # As the page answers: anonymous visitors to the login, requesters 404.
    for url in ("/agent", "/agent/counts"):
        anonymous = await client.get(url, follow_redirects=False)
        assert anonymous.status_code == 303
        assert anonymous.headers["location"] == f"/login?next={url}"
    requester = await people.headers("alice")
    assert (await client.get("/agent/counts", headers={**requester, **HX})).status_code == 404
    assert (await client.get("/agent/counts", headers=requester)).status_code == 404
