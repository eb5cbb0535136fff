"""Attacks on department isolation: outsiders go after an HR confidential case and a
Legal privileged matter through every door the API and the pages have.

Everywhere the answer is 404 (never 403), nothing stored changes, and the secret
titles never show up in a list, a count, a search result or a suggestion.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

#: People who may not see either secret: an IT requester, an HR agent outside the
#: case team, a Legal agent outside the privileged team, an IT agent and an admin.
OUTSIDERS = ("alice", "hr.agent", "legal.agent", "it.agent", "admin")
READS = ("", "/timeline", "/transitions", "/links", "/children", "/approvals")


@pytest.mark.parametrize("outsider", OUTSIDERS)
async def test_api_reads_of_a_secret_ticket_are_404(client, cast, secrets, outsider, unchanged):
    headers = await cast.headers(outsider)
    async with unchanged():
        for ticket in secrets.both:
            for ref in (ticket.key, str(ticket.id), ticket.key.lower()):
                for tail in READS:
                    response = await client.get(f"/api/v1/tickets/{ref}{tail}", headers=headers)
                    assert response.status_code == 404, (ref, tail, response.text)
                    assert response.json()["detail"] == "No such ticket."


@pytest.mark.parametrize("outsider", ("alice", "hr.agent", "legal.agent", "admin"))
async def test_api_writes_to_a_secret_ticket_are_404_and_change_nothing(
    client, cast, secrets, outsider, unchanged, form_of
):
    headers = await cast.headers(outsider)
    writes = [
        ("PATCH", "", {"version": 1, "title": "pwned"}),
        ("POST", "/comments", {"body": "let me in"}),
        ("POST", "/comments", {"body": "note", "public": False}),
        ("POST", "/transitions", {"transition": "close"}),
        ("POST", "/assignment", {"assignee": outsider}),
        ("POST", "/links", {"target": "IT-1", "kind": "relates_to"}),
        ("POST", "/approvals", {"approver": outsider}),
        ("POST", "/approvals/1/decision", {"approve": True}),
        (
            "POST",
            "/children",
            {"request_type": "it.incident", "title": "x", "form_data": form_of("it.incident")},
        ),
        ("POST", "/article", {}),
    ]
    async with unchanged():
        for ticket in secrets.both:
            for method, tail, body in writes:
                response = await client.request(
                    method, f"/api/v1/tickets/{ticket.key}{tail}", json=body, headers=headers
                )
                assert response.status_code == 404, (ticket.key, tail, response.text)


@pytest.mark.parametrize("outsider", ("alice", "hr.agent", "legal.agent", "admin"))
async def test_attachments_of_a_secret_ticket_are_404(
    client, cast, secrets, outsider, login, unchanged
):
    await login(outsider)
    async with unchanged():
        for ticket, file_id in ((secrets.hr, secrets.hr_file), (secrets.legal, secrets.legal_file)):
            for ref in (ticket.key, str(ticket.id)):
                response = await client.get(f"/tickets/{ref}/attachments/{file_id}")
                assert response.status_code == 404
                assert b"proof" not in response.content and b"memo" not in response.content


async def test_a_file_id_paired_with_a_visible_ticket_does_not_open_a_secret_file(
    client, cast, secrets, desk, runtime, login, form_of
):
    alice = await cast.actor("alice")
    own = await desk.create(
        alice, request_type="it.incident", title="Own", form_data=form_of("it.incident")
    )
    await login("alice")
    response = await client.get(f"/tickets/{own.key}/attachments/{secrets.hr_file}")
    assert response.status_code == 404 and b"proof" not in response.content


@pytest.mark.parametrize(
    ("outsider", "which"),
    [("hr.agent", "hr"), ("legal.agent", "legal"), ("it.agent", "hr"), ("admin", "legal")],
)
async def test_agent_pages_and_forms_of_a_secret_ticket_are_404(
    client, cast, secrets, outsider, which, login, unchanged, find_leaks
):
    csrf = await login(outsider)
    ticket = getattr(secrets, which)
    async with unchanged():
        for url in (f"/agent/tickets/{ticket.key}", f"/agent/tickets/{ticket.key}/sla"):
            response = await client.get(url)
            assert response.status_code == 404 and not find_leaks(response.text)
        for form in ("replies", "transition", "assignment", "details", "links", "children"):
            response = await client.post(
                f"/agent/tickets/{ticket.key}/{form}",
                data={"_csrf_token": csrf, "version": "1", "body": "x", "title": "pwned"},
            )
            assert response.status_code == 404, form
            assert not find_leaks(response.text)
        for url in (f"/requests/{ticket.key}", f"/agent/tickets/{ticket.key}?transition=close"):
            assert (await client.get(url)).status_code == 404


@pytest.mark.parametrize("outsider", OUTSIDERS)
async def test_api_lists_counts_and_filters_never_show_a_secret(client, cast, secrets, outsider):
    headers = await cast.headers(outsider)
    queries = [
        {},
        {"q": "Grievance-7f3a"},
        {"q": "Mallory"},
        {"q": "dawn raid"},
        {"q": secrets.hr.key},
        {"department": "hr"},
        {"department": "legal"},
        {"confidential": "true"},
        {"request_type": "hr.case"},
        {"request_type": "legal.privileged_matter"},
        {"requester": "bob"},
        {"state_category": ["new", "open", "waiting", "resolved", "closed", "cancelled"]},
        {"sort": "newest", "limit": 200},
    ]
    for params in queries:
        response = await client.get("/api/v1/tickets", params=params, headers=headers)
        assert response.status_code == 200, params
        assert response.json()["items"] == [], (params, response.text[:300])
    children = await client.get(f"/api/v1/tickets/{secrets.hr.id}/children", headers=headers)
    assert children.status_code == 404


async def test_the_case_team_does_see_it_so_the_attacks_above_can_fail(
    client, cast, secrets, login, find_leaks
):
    """The control: the same requests by the right team find the secrets."""
    case = await cast.headers("hr.case")
    assert (await client.get(f"/api/v1/tickets/{secrets.hr.key}", headers=case)).status_code == 200
    found = await client.get("/api/v1/tickets", params={"q": "Grievance-7f3a"}, headers=case)
    assert [t["key"] for t in found.json()["items"]] == [secrets.hr.key]
    await login("hr.case")
    assert find_leaks((await client.get("/agent?state_category=any")).text)
    assert (
        await client.get(f"/tickets/{secrets.hr.key}/attachments/{secrets.hr_file}")
    ).content == (b"proof")


@pytest.mark.parametrize("outsider", ("hr.agent", "legal.agent", "admin"))
async def test_workspace_lists_badges_and_queues_never_show_a_secret(
    client, cast, secrets, outsider, login, find_leaks
):
    await login(outsider)
    urls = [
        "/agent",
        "/agent?state_category=any",
        "/agent?q=Grievance-7f3a&state_category=any",
        "/agent?q=Privileged-9c1e&state_category=any",
        "/agent?department=hr&department=legal&state_category=any",
        "/agent?confidential=1&state_category=any",
        "/agent?request_type=hr.case&request_type=legal.privileged_matter&state_category=any",
        "/agent?sort=newest&state_category=any&limit=200",
    ]
    for url in urls:
        response = await client.get(url)
        assert response.status_code == 200, url
        page = BeautifulSoup(response.text, "html.parser")
        assert not find_leaks(response.text, url), url
        assert not page.select("tr[data-key]"), url
        # htmx's list fragment and refresh go through the same query.
        fragment = await client.get(url, headers={"HX-Request": "true"})
        assert not find_leaks(fragment.text, url) and not BeautifulSoup(
            fragment.text, "html.parser"
        ).select("tr[data-key]")
    # Every queue badge in the side bar counts zero (the page with its counts, as without
    # JavaScript): nothing else was raised.
    page = BeautifulSoup((await client.get("/agent/counts")).text, "html.parser")
    badges = [b["title"] for b in page.select("span.count")]
    assert badges and all(b == "0 tickets" for b in badges), badges


async def test_a_saved_view_cannot_reach_a_secret_nor_another_agents_view(
    client, cast, secrets, login, find_leaks, unchanged
):
    csrf = await login("hr.agent")
    saved = await client.post(
        "/agent/views",
        data={
            "_csrf_token": csrf,
            "name": "Peek",
            "query": "confidential=1&state_category=any&q=Grievance-7f3a",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    view = await client.get(saved.headers["location"])
    assert not find_leaks(view.text, saved.headers["location"])
    page = BeautifulSoup(view.text, "html.parser")
    assert not page.select("tr[data-key]")
    from polydesk.core.tickets.tables import SavedQueue

    mine = await SavedQueue.select(SavedQueue.id).first()
    csrf = await login("legal.agent")
    async with unchanged():
        response = await client.post(
            f"/agent/views/{mine['id']}/delete", data={"_csrf_token": csrf}, follow_redirects=False
        )
        assert response.status_code in (303, 404)
    assert await SavedQueue.count() == 1


@pytest.mark.parametrize("outsider", ("alice", "hr.agent", "legal.agent"))
async def test_portal_pages_search_and_suggestions_never_show_a_secret(
    client, cast, secrets, outsider, login, find_leaks
):
    await login(outsider)
    for url in (
        "/",
        "/requests",
        "/search?q=Grievance-7f3a",
        "/search?q=Mallory",
        "/search?q=dawn+raid",
        "/portal/hr",
        "/portal/legal",
        "/portal/hr/suggest?title=Grievance-7f3a+Mallory",
        "/portal/legal/suggest?title=Privileged-9c1e+dawn+raid",
    ):
        response = await client.get(url)
        assert response.status_code == 200, url
        assert not find_leaks(response.text, url), url
    for ticket in secrets.both:
        assert (await client.get(f"/requests/{ticket.key}")).status_code == 404
    search = await client.get(
        "/api/v1/knowledge/search", params={"q": "Grievance-7f3a", "suggest": "true"}
    )
    assert search.status_code == 200 and search.json() == []


async def test_links_and_children_never_reveal_a_secret_ticket(
    client, cast, secrets, desk, runtime, login, form_of, find_leaks, unchanged
):
    # HR's case team raises an IT incident, links the case to it and opens an IT
    # task under the case.
    case_team = await cast.actor("hr.case")
    incident = await desk.create(
        case_team, request_type="it.incident", title="Laptop slow", form_data=form_of("it.incident")
    )
    await desk.link(case_team, secrets.hr.id, target=incident.id, kind="relates_to")
    child = await desk.create(
        case_team,
        request_type="it.incident",
        title="Laptop for the case",
        form_data=form_of("it.incident"),
        parent=secrets.hr.id,
    )
    agent = await cast.headers("it.agent")
    links = await client.get(f"/api/v1/tickets/{incident.key}/links", headers=agent)
    assert links.status_code == 200 and links.json() == []
    shown = await client.get(f"/api/v1/tickets/{child.key}", headers=agent)
    assert shown.status_code == 200 and not find_leaks(shown.text)
    await login("it.agent")
    for ticket in (incident, child):
        page = await client.get(f"/agent/tickets/{ticket.key}")
        assert page.status_code == 200 and not find_leaks(page.text), ticket.key
    # An IT agent cannot link to the case either: the target "does not exist".
    async with unchanged():
        refused = await client.post(
            f"/api/v1/tickets/{incident.key}/links",
            json={"target": secrets.hr.key},
            headers=agent,
        )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "target"


async def test_requesters_never_see_internal_notes_or_their_files(
    client, cast, secrets, desk, login, unchanged
):
    bob = await cast.headers("bob")
    timeline = await client.get(f"/api/v1/tickets/{secrets.hr.key}/timeline", headers=bob)
    assert timeline.status_code == 200
    assert all(e["public"] for e in timeline.json())
    assert "interview" not in timeline.text
    case_team = await cast.actor("hr.case")
    note = await desk.comment(case_team, secrets.hr.id, body="Witness list", public=False)
    entries = await desk.timeline(case_team, note.id)
    from polydesk.core.tickets.attachments import add_attachment

    hidden = await add_attachment(
        desk,
        case_team,
        note.id,
        filename="witnesses.txt",
        content_type="text/plain",
        content=b"names",
        timeline_event=entries[-1].id,
    )
    await login("bob")
    async with unchanged():
        download = await client.get(f"/tickets/{secrets.hr.key}/attachments/{hidden.id}")
        assert download.status_code == 404
        page = await client.get(f"/requests/{secrets.hr.key}")
    assert page.status_code == 200 and "Witness list" not in page.text
    assert "witnesses.txt" not in page.text and "evidence.txt" in page.text


async def test_agents_only_knowledge_is_404_to_requesters_and_absent_from_search(
    client, cast, login, find_leaks, unchanged
):
    admin = await cast.headers("admin")
    space = {"slug": "hr-ops", "name": "HR operations", "department": "hr", "audience": "agents"}
    assert (
        await client.post("/api/v1/knowledge/spaces", json=space, headers=admin)
    ).status_code == 201
    body = {"space": "hr-ops", "title": "Mallory settlement playbook", "body_md": "Offer 3 months."}
    article = await client.post("/api/v1/knowledge/articles", json=body, headers=admin)
    assert article.status_code == 201, article.text
    article_id = article.json()["id"]
    published = await client.post(
        f"/api/v1/knowledge/articles/{article_id}/publish", json={}, headers=admin
    )
    assert published.status_code in (200, 201), published.text
    for outsider in ("alice", "it.agent"):
        headers = await cast.headers(outsider)
        async with unchanged(("kb_article_version",)):
            got = await client.get(f"/api/v1/knowledge/articles/{article_id}", headers=headers)
            assert got.status_code == 404
            for params in ({"q": "settlement"}, {"q": "settlem", "suggest": "true"}):
                found = await client.get("/api/v1/knowledge/search", params=params, headers=headers)
                assert found.status_code == 200 and found.json() == []
            listed = await client.get("/api/v1/knowledge/articles", headers=headers)
            assert "playbook" not in listed.text
            assert (
                await client.get("/api/v1/knowledge/spaces/hr-ops", headers=headers)
            ).status_code == 404
        await login(outsider)
        assert (await client.get(f"/portal/articles/{article_id}")).status_code == 404
        assert "playbook" not in (await client.get("/search?q=settlement")).text
        assert "playbook" not in (await client.get("/portal/hr/suggest?title=settlement")).text
    # The control: HR's agents do read it.
    hr = await cast.headers("hr.agent")
    assert (
        await client.get(f"/api/v1/knowledge/articles/{article_id}", headers=hr)
    ).status_code == 200
    found = await client.get("/api/v1/knowledge/search", params={"q": "settlement"}, headers=hr)
    assert "playbook" in found.text
