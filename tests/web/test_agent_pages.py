"""The agent workspace without JavaScript (and its htmx fragments), read as HTML."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from polydesk.core.demo import sample_form_data
from polydesk.core.tickets.services import TicketService

AGENT_PASSWORD = "agent-password-1"
HX = {"HX-Request": "true"}


async def log_in(client, username: str, password: str = AGENT_PASSWORD) -> str:
    """Log in through the real form; returns the CSRF token for later posts."""
    await client.get("/login")
    token = client.cookies.get("polydesk_csrf")
    response = await client.post(
        "/login",
        data={"username": username, "password": password, "_csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return token


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


@pytest.fixture
async def desk(runtime, people):
    """A service and the cast's actors, for arranging tickets quickly."""
    service = TicketService(await runtime.snapshot())
    await people.add("it.web", roles={"it": "agent"}, password=AGENT_PASSWORD)
    return service


async def raise_ticket(desk, people, *, who="alice", rt="it.incident", title="VPN is down", **form):
    requester = await people.actor(who)
    data = sample_form_data(desk.registry.request_types[rt].form)
    data.update(form)
    return await desk.create(requester, request_type=rt, title=title, form_data=data)


def keys(page: BeautifulSoup) -> list[str]:
    return [tr["data-key"] for tr in page.select("tr[data-key]")]


async def post(client, url: str, token: str, data: dict, **kw):
    return await client.post(url, data={"_csrf_token": token, **data}, **kw)


# -- access ------------------------------------------------------------------------


async def test_requesters_get_404_and_anonymous_visitors_the_login(client, people):
    await people.add("rita", password=AGENT_PASSWORD)
    anonymous = await client.get("/agent", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    await log_in(client, "rita")
    assert (await client.get("/agent")).status_code == 404
    assert (await client.get("/agent/tickets/IT-1")).status_code == 404


async def test_the_workspace_lists_only_the_agents_departments(client, desk, people):
    await raise_ticket(desk, people, title="VPN is down")
    await raise_ticket(desk, people, rt="hr.employment_letter", title="Employment letter please")
    # The agent's own request in another department is not workspace material.
    await raise_ticket(desk, people, who="it.web", rt="hr.employment_letter", title="My own letter")
    await log_in(client, "it.web")
    page = soup(await client.get("/agent"))
    assert keys(page) == ["IT-1"]
    assert page.select_one("#ticket-list .list-status").get_text(" ", strip=True).startswith("1 ")
    # Side bar: IT's plugin queues with counts, no HR.
    groups = [h.get_text(strip=True) for h in page.select(".queue-group")]
    assert "IT" in " ".join(groups) and not any("Human" in g for g in groups)
    names = [a.get_text() for a in page.select(".queues a")]
    assert "Unassigned incidents" in names
    assert (await client.get("/agent", params={"department": "hr"})).text.count("data-key=") == 0


async def test_another_departments_ticket_is_404_never_403(client, desk, people):
    hr = await raise_ticket(desk, people, rt="hr.employment_letter", title="Employment letter")
    await log_in(client, "it.web")
    assert (await client.get(f"/agent/tickets/{hr.key}")).status_code == 404
    token = client.cookies.get("polydesk_csrf")
    refused = await post(client, f"/agent/tickets/{hr.key}/replies", token, {"body": "hi"})
    assert refused.status_code == 404
    assert (await client.get("/agent/tickets/IT-999")).status_code == 404


# -- the list ------------------------------------------------------------------------


async def test_filters_narrow_the_list_and_htmx_gets_the_list_alone(client, desk, people):
    await raise_ticket(desk, people, title="Printer jam", impact="low", urgency="low")
    await raise_ticket(desk, people, title="Mail is down", impact="high", urgency="high")
    await raise_ticket(desk, people, rt="it.software", title="Need Visio")
    await log_in(client, "it.web")
    by_words = soup(await client.get("/agent", params={"q": "mail"}))
    assert [k for k in keys(by_words)] == ["IT-2"]
    by_type = soup(await client.get("/agent", params={"request_type": "it.software"}))
    assert keys(by_type) == ["IT-3"]
    p1 = (await desk.get(await people.actor("it.web"), "IT-2")).priority
    # What a filter <select> submits for a combination: comma-joined values.
    combo = soup(await client.get("/agent", params={"priority": f"{p1},9", "q": ""}))
    assert keys(combo) == ["IT-2"]
    none = soup(await client.get("/agent", params={"assignee": "none", "state_category": "any"}))
    assert sorted(keys(none)) == ["IT-1", "IT-2", "IT-3"]
    mine = soup(await client.get("/agent", params={"assignee": "me"}))
    assert keys(mine) == []

    fragment = await client.get("/agent", params={"q": "mail", "department": ""}, headers=HX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "<nav" not in fragment.text
    part = soup(fragment)
    assert part.select_one("#ticket-list") and keys(part) == ["IT-2"]
    # The pushed URL is the clean, shareable one; "save this view" follows it.
    assert fragment.headers["hx-push-url"] == "/agent?q=mail"
    assert part.select_one("#save-view-query[hx-swap-oob]")["value"] == "q=mail"
    # One URL, two answers: caches must tell them apart; htmx's history restore
    # (after a cache miss) asks for the whole page.
    assert fragment.headers["vary"] == "HX-Request"
    restore = await client.get(
        "/agent?q=mail", headers={**HX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.text and restore.headers["vary"] == "HX-Request"


async def test_resolved_tickets_leave_the_default_view_but_any_state_finds_them(
    client, desk, people
):
    ticket = await raise_ticket(desk, people, title="Old problem")
    agent = await people.actor("it.web")
    await desk.transition(
        agent,
        ticket.id,
        "resolve",
        version=ticket.version,
        fields={"resolution_code": "fixed", "resolution_note": "Rebooted."},
    )
    await log_in(client, "it.web")
    assert keys(soup(await client.get("/agent"))) == []
    assert keys(soup(await client.get("/agent?state_category=any"))) == ["IT-1"]
    assert keys(soup(await client.get("/agent?state_category=resolved"))) == ["IT-1"]


async def test_sla_order_by_default_and_newest_on_request(client, desk, people):
    for title in ("first", "second", "third"):
        await raise_ticket(desk, people, title=title)
    await log_in(client, "it.web")
    newest = keys(soup(await client.get("/agent", params={"sort": "newest"})))
    assert newest == ["IT-3", "IT-2", "IT-1"]
    by_sla = soup(await client.get("/agent"))
    assert sorted(keys(by_sla)) == ["IT-1", "IT-2", "IT-3"]
    # Each row carries its SLA badges (clocks loaded once for the page).
    assert by_sla.select("tr[data-key] .sla-cell .badge.sla")


async def test_load_more_covers_every_ticket_once(client, desk, people):
    for n in range(7):
        await raise_ticket(desk, people, title=f"Ticket {n}")
    await log_in(client, "it.web")
    first = soup(await client.get("/agent", params={"limit": 3}))
    seen = keys(first)
    link = first.select_one("#list-tail a.load-more")
    while link is not None:
        assert link["href"] == link["hx-get"]  # the plain link is the no-JS fallback
        more = await client.get(link["hx-get"], headers=HX)
        assert "<table" not in more.text and more.text.count('id="list-tail"') == 1
        part = soup(more)
        seen += keys(part)
        link = part.select_one("#list-tail a.load-more")
    assert sorted(seen) == sorted(f"IT-{n}" for n in range(1, 8))
    assert len(seen) == len(set(seen)) == 7
    # The minute refresh reloads as many rows as are on screen now.
    tail = part.select_one("#list-tail")
    assert tail["hx-trigger"] == "every 60s"
    assert parse_qs(urlsplit(tail["hx-get"]).query)["limit"] == ["7"]
    refreshed = await client.get(tail["hx-get"], headers=HX)
    assert len(keys(soup(refreshed))) == 7 and refreshed.headers["hx-push-url"] == "false"
    # Without JavaScript the link opens the next page as a whole page.
    plain = soup(await client.get(first.select_one("#list-tail a.load-more")["href"]))
    assert plain.select_one("h1") and keys(plain) == seen[3:6]


async def test_counts_stop_at_the_cap(client, desk, people, monkeypatch):
    from polydesk.web.controllers import agent

    assert agent.count_label(999) == "999" and agent.count_label(1000) == "999+"
    monkeypatch.setattr(agent, "COUNT_CAP", 3)
    for n in range(4):
        await raise_ticket(desk, people, title=f"Ticket {n}")
    await log_in(client, "it.web")
    # (The page itself fetches its counts after loading; /agent/counts is the page with them.)
    page = soup(await client.get("/agent/counts"))
    counts = {
        a.get_text(): page.select_one(f"#{a['id']}-count").contents[0].strip()
        for a in page.select(".queues a")
    }
    assert counts["All active"] == "2+"
    assert counts["Unassigned incidents"] == "2+"
    assert counts["My work"] == "0"


async def test_queue_links_carry_the_queue_filters(client, desk, people):
    await log_in(client, "it.web")
    page = soup(await client.get("/agent"))
    link = next(a for a in page.select(".queues a") if "P1 and P2" in a.text)
    query = parse_qs(urlsplit(link["href"]).query)
    assert query["department"] == ["it"] and query["priority"] == ["1", "2"]
    opened = soup(await client.get(link["href"]))
    assert opened.select_one(f'.queues a[href="{link["href"]}"]')["aria-current"] == "page"
    # The filter form shows the combination as one selected option.
    selected = opened.select_one("#filter-priority option[selected]")
    assert selected["value"] == "1,2"
    # Filtering through htmx moves "current" in the side bar out of band.
    query = urlsplit(link["href"]).query
    fragment = soup(await client.get(f"/agent?{query}&q=vpn", headers=HX))
    assert fragment.select_one(f"a#{link['id']}[hx-swap-oob]").get("aria-current") is None
    back = soup(await client.get(link["href"], headers=HX))
    assert back.select_one(f"a#{link['id']}[hx-swap-oob]")["aria-current"] == "page"


async def test_saving_and_deleting_a_view(client, desk, people):
    await raise_ticket(desk, people, title="Mail is down")
    token = await log_in(client, "it.web")
    empty = await post(client, "/agent/views", token, {"name": " ", "query": "q=mail"})
    assert empty.status_code == 422
    assert soup(empty).select_one("#view-name-error")
    saved = await post(
        client,
        "/agent/views",
        token,
        {"name": "Mail", "query": "q=mail&priority=1,2&state_category=any"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/agent?state_category=any&priority=1&priority=2&q=mail"
    page = soup(await client.get(saved.headers["location"]))
    view = page.select_one(".saved-views a")
    assert view.text == "Mail" and view["aria-current"] == "page"
    form = page.select_one(".saved-views form")
    gone = await post(client, form["action"], token, {}, follow_redirects=False)
    assert gone.status_code == 303
    assert not soup(await client.get("/agent")).select(".saved-views a")


# -- the ticket page ------------------------------------------------------------------


def version_of(page: BeautifulSoup) -> str:
    return page.select_one("#reply-form input[name=version]")["value"]


async def test_the_ticket_page_shows_everything_and_internal_notes_to_agents(client, desk, people):
    ticket = await raise_ticket(desk, people, title="VPN is down")
    lead = await people.actor("it.lead")
    await desk.comment(lead, ticket.id, body="Looking into it.", public=True)
    await desk.comment(lead, ticket.id, body="Probably the certificate.", public=False)
    await log_in(client, "it.web")
    page = soup(await client.get("/agent/tickets/IT-1"))
    head = page.select_one(".ticket-head")
    assert "IT-1" in head.h1.text and "VPN is down" in head.h1.text
    assert head.select_one(".badge.priority") and head.select(".badge.sla")
    assert "Alice" in head.select_one(".facts").text
    entries = page.select(".timeline > li")
    note = next(e for e in entries if "Probably the certificate." in e.text)
    reply = next(e for e in entries if "Looking into it." in e.text)
    assert "internal" in note["class"] and "Internal note" in note.text
    assert "internal" not in reply["class"] and "Public reply" in reply.text
    # Transition buttons: only the moves open now (a new incident can start, not close).
    labels = [
        b.get_text(strip=True)
        for b in page.select(".transition-buttons button, .transition-buttons a")
    ]
    assert "Start work" in labels and "Resolve…" in labels
    assert not any("close" in label.lower() for label in labels)
    # The request's own form, with labels.
    assert "Affected service" in page.select_one(".form-data").text
    # The SLA badges re-poll on their own.
    sla = await client.get(page.select_one("#ticket-sla")["hx-get"], headers=HX)
    assert sla.status_code == 200 and 'id="ticket-sla"' in sla.text and "<html" not in sla.text


async def test_reply_with_files_larger_in_total_than_one_file_limit(client, desk, people):
    # Two 6 MB logs: each is under the 10 MB per-file limit, together over it.
    await raise_ticket(desk, people)
    token = await log_in(client, "it.web")
    page = soup(await client.get("/agent/tickets/IT-1"))
    six_mb = b"x" * (6 * 1024 * 1024)
    sent = await client.post(
        "/agent/tickets/IT-1/replies",
        data={"_csrf_token": token, "body": "Both logs attached.", "version": version_of(page)},
        files=[
            ("files", ("a.log", six_mb, "text/plain")),
            ("files", ("b.log", six_mb, "text/plain")),
        ],
        follow_redirects=False,
    )
    assert sent.status_code == 303
    page = soup(await client.get("/agent/tickets/IT-1"))
    reply = next(e for e in page.select(".timeline > li") if "Both logs attached." in e.text)
    assert [a.text for a in reply.select(".files a")] == ["a.log", "b.log"]


async def test_reply_and_internal_note_with_a_file(client, desk, people):
    await raise_ticket(desk, people)
    token = await log_in(client, "it.web")
    page = soup(await client.get("/agent/tickets/IT-1"))
    empty = await post(
        client, "/agent/tickets/IT-1/replies", token, {"body": "  ", "version": version_of(page)}
    )
    assert empty.status_code == 422 and soup(empty).select_one("#reply-body-error")
    sent = await client.post(
        "/agent/tickets/IT-1/replies",
        data={"_csrf_token": token, "body": "Please restart.", "version": version_of(page)},
        files={"files": ("log.txt", b"vpn log", "text/plain")},
        follow_redirects=False,
    )
    assert sent.status_code == 303 and "#entry-" in sent.headers["location"]
    page = soup(await client.get("/agent/tickets/IT-1"))
    noted = await post(
        client,
        "/agent/tickets/IT-1/replies",
        token,
        {"body": "Requester is on holiday.", "visibility": "internal", "version": version_of(page)},
    )
    assert noted.status_code == 200  # followed the 303 back to the page
    page = soup(noted)
    reply = next(e for e in page.select(".timeline > li") if "Please restart." in e.text)
    note = next(e for e in page.select(".timeline > li") if "on holiday" in e.text)
    assert "internal" not in reply["class"] and "internal" in note["class"]
    file_link = reply.select_one(".files a")
    assert file_link.text == "log.txt"
    download = await client.get(file_link["href"])
    assert download.content == b"vpn log"
    # The requester's own view never shows the note.
    alice = await people.actor("alice")
    assert all(e.public for e in await desk.timeline(alice, "IT-1"))


async def test_a_transition_asks_for_its_fields_and_keeps_them(client, desk, people):
    await raise_ticket(desk, people)
    token = await log_in(client, "it.web")
    page = soup(await client.get("/agent/tickets/IT-1"))
    resolve = next(a for a in page.select(".transition-buttons a") if "Resolve" in a.text)
    assert resolve["href"].endswith("?transition=resolve#transition-form")
    fragment = await client.get(resolve["hx-get"], headers=HX)
    assert "<html" not in fragment.text
    form = soup(fragment).select_one("#transition-form")
    assert form.select_one("#t_resolution_code") and form.select_one("#t_resolution_note")
    # No JavaScript: the same link opens the page with the form.
    assert soup(await client.get(resolve["href"])).select_one("#transition-form #t_resolution_code")

    data = {
        "transition": "resolve",
        "version": version_of(page),
        "t_resolution_note": "Replaced the cable.",
        "comment": "Should be fine now.",
    }
    missing = await post(client, "/agent/tickets/IT-1/transition", token, data)
    assert missing.status_code == 422
    again = soup(missing).select_one("#transition-form")
    assert again.select_one("#t_resolution_code-error")
    assert again.select_one("#t_resolution_note").text == "Replaced the cable."
    assert again.select_one("#t-comment").text == "Should be fine now."
    done = await post(
        client, "/agent/tickets/IT-1/transition", token, {**data, "t_resolution_code": "fixed"}
    )
    assert done.status_code == 200
    agent = await people.actor("it.web")
    ticket = await desk.get(agent, "IT-1")
    assert ticket.state == "resolved" and ticket.form_data["resolution_code"] == "fixed"
    assert "Replaced the cable." in soup(done).select_one(".timeline").text


async def test_a_guard_veto_shows_its_reason(client, desk, people):
    ticket = await raise_ticket(desk, people, rt="it.access", title="Access to payroll")
    agent = await people.actor("it.web")
    await desk.transition(agent, ticket.id, "request_approval", version=ticket.version)
    token = await log_in(client, "it.web")
    page = soup(await client.get("/agent/tickets/IT-1"))
    vetoed = await post(
        client,
        "/agent/tickets/IT-1/transition",
        token,
        {"transition": "approve", "version": version_of(page)},
    )
    assert vetoed.status_code == 409
    assert "No approval has been requested yet." in soup(vetoed).select_one("#veto").text
    assert (await desk.get(agent, "IT-1")).state == "pending_approval"


async def test_assign_priority_title_link_approval_and_child(client, desk, people):
    await raise_ticket(desk, people, title="VPN is down")
    await raise_ticket(desk, people, title="VPN slow")
    token = await log_in(client, "it.web")
    agent = await people.actor("it.web")

    async def send(action: str, data: dict):
        page = soup(await client.get("/agent/tickets/IT-1"))
        return await post(
            client, f"/agent/tickets/IT-1/{action}", token, {"version": version_of(page), **data}
        )

    assert (await send("assignment", {"to": "me"})).status_code == 200
    assert (await desk.get(agent, "IT-1")).assignee.username == "it.web"
    wrong = await send("assignment", {"assignee": "hr.agent", "group": ""})
    assert (
        wrong.status_code == 422
        and "not an agent" in soup(wrong).select_one("#a-assignee-error").text
    )
    assert soup(wrong).select_one("#a-assignee")["value"] == "hr.agent"
    assert (
        await send("assignment", {"assignee": "it.lead", "group": "Network"})
    ).status_code == 200
    ticket = await desk.get(agent, "IT-1")
    assert ticket.assignee.username == "it.lead" and ticket.assignment_group == "Network"
    assert (await send("assignment", {"to": "nobody", "group": "Network"})).status_code == 200
    assert (await desk.get(agent, "IT-1")).assignee is None

    assert (
        await send("details", {"title": "VPN is down for everyone", "priority": "1"})
    ).status_code == 200
    ticket = await desk.get(agent, "IT-1")
    assert ticket.priority == 1 and ticket.title == "VPN is down for everyone"

    unknown = await send("links", {"kind": "relates_to", "target": "IT-99"})
    assert unknown.status_code == 422 and soup(unknown).select_one("#l-target-error")
    linked = await send("links", {"kind": "duplicates", "target": "it-2"})
    assert "IT-2" in soup(linked).select_one("#links ul").text

    nobody = await send("approvals", {"approver": "nobody.here"})
    assert nobody.status_code == 422 and soup(nobody).select_one("#ap-approver-error")
    asked = await send("approvals", {"approver": "bob", "step": "1"})
    assert "pending" in soup(asked).select_one("#approvals ul").text

    # A child task: choosing a type shows its fields (htmx fragment), then create.
    chooser = soup(await client.get("/agent/tickets/IT-1")).select_one("#child-type")
    fields = await client.get(
        chooser["hx-get"], params={"child_type": "hr.employment_letter"}, headers=HX
    )
    child_form = soup(fields).select_one("#child-form form")
    assert child_form and child_form.select_one("#c-title")
    no_title = await send("children", {"child_type": "hr.employment_letter", "child_title": ""})
    assert no_title.status_code == 422
    assert soup(no_title).select_one("#c-title-error")
    letter = sample_form_data(desk.registry.request_types["hr.employment_letter"].form)
    made = await send(
        "children",
        {"child_type": "hr.employment_letter", "child_title": "Letter for the bank"}
        | {f"c_{k}": v for k, v in letter.items()},
    )
    assert made.status_code == 200, soup(made).select(".field-error")
    # Another department's task is requested by the agent (who may not raise
    # HR tickets for Alice); a task of their own department is for the requester.
    (child,) = await desk.children(agent, "IT-1")
    assert child.department == "hr" and child.parent_id == ticket.id
    assert child.requester.username == "it.web"
    assert "Letter for the bank" in soup(made).select_one("#children").text


async def test_a_stale_save_shows_what_changed_and_keeps_the_text(client, desk, people):
    await raise_ticket(desk, people, title="VPN is down")
    token = await log_in(client, "it.web")
    page = soup(await client.get("/agent/tickets/IT-1"))
    seen = version_of(page)
    # Meanwhile the lead changes the priority and replies.
    lead = await people.actor("it.lead")
    ticket = await desk.get(lead, "IT-1")
    await desk.update(lead, "IT-1", version=ticket.version, priority=4)
    await desk.comment(lead, "IT-1", body="Escalated to the network team.")

    typed = "Could you send a screenshot of the error?"
    stale = await post(
        client, "/agent/tickets/IT-1/replies", token, {"body": typed, "version": seen}
    )
    assert stale.status_code == 409
    page = soup(stale)
    notice = page.select_one("#conflict")
    assert "Someone else changed this ticket" in notice.text
    changes = {
        row.th.text: [td.text for td in row.select("td")] for row in notice.select("tbody tr")
    }
    assert changes["Priority"] == [f"P{ticket.priority}", "P4"]
    assert "Escalated to the network team." in notice.text
    assert page.select_one("#reply-body").text == typed
    assert version_of(page) != seen
    assert "Could you send" not in page.select_one(".timeline").text
    # Sending again, now against the current version, works.
    again = await post(
        client, "/agent/tickets/IT-1/replies", token, {"body": typed, "version": version_of(page)}
    )
    assert again.status_code == 200 and typed in soup(again).select_one(".timeline").text

    # A stale priority change keeps the agent's choice too.
    old = version_of(soup(await client.get("/agent/tickets/IT-1")))
    await desk.assign(lead, "IT-1", version=None, assignee="it.lead")
    conflict = await post(
        client,
        "/agent/tickets/IT-1/details",
        token,
        {"version": old, "title": "VPN down (typed)", "priority": "2"},
    )
    assert conflict.status_code == 409
    page = soup(conflict)
    assert page.select_one("#d-title")["value"] == "VPN down (typed)"
    assert page.select_one("#d-priority option[selected]")["value"] == "2"
    changes = {
        r.th.text: [td.text for td in r.select("td")] for r in page.select("#conflict tbody tr")
    }
    assert changes["Assignee"] == ["nobody", "it.lead"]


async def test_admins_see_every_department_and_confidential_queues_follow_the_team(
    client, desk, people
):
    await raise_ticket(desk, people, title="VPN is down")
    await raise_ticket(desk, people, rt="hr.employment_letter", title="Letter")
    case = await raise_ticket(desk, people, who="bob", rt="hr.case", title="A private matter")
    assert case.confidential
    await people.add("root", admin=True, password=AGENT_PASSWORD)
    await log_in(client, "root")
    page = soup(await client.get("/agent"))
    assert sorted(keys(page)) == ["HR-1", "IT-1"]  # confidential cases stay with their team
    groups = " ".join(h.get_text() for h in page.select(".queue-group"))
    assert "IT" in groups and "Legal" in groups and "Finance" in groups

    await client.post("/logout", data={"_csrf_token": client.cookies.get("polydesk_csrf")})
    await people.add(
        "hr.web", roles={"hr": "agent"}, teams=[("hr", "case_team")], password=AGENT_PASSWORD
    )
    await log_in(client, "hr.web")
    page = soup(await client.get("/agent"))
    links = {a.get_text(): a["href"] for a in page.select(".queues a")}
    confidential = soup(await client.get(links["Confidential cases"]))
    assert keys(confidential) == [case.key]
    unassigned = soup(await client.get(links["Unassigned requests"]))
    assert keys(unassigned) == ["HR-1"]
    assert "confidential=0" in links["Unassigned requests"]


async def test_saving_assignment_unchanged_is_not_an_error(client, desk, people):
    await raise_ticket(desk, people)
    token = await log_in(client, "it.web")
    page = soup(await client.get("/agent/tickets/IT-1"))
    same = await post(
        client,
        "/agent/tickets/IT-1/assignment",
        token,
        {
            "version": version_of(page),
            "assignee": "",
            "group": page.select_one("#a-group")["value"],
        },
        follow_redirects=False,
    )
    assert same.status_code == 303 and same.headers["location"].endswith("#assignment")
