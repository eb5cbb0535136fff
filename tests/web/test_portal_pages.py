"""The requester's portal through its HTML: every page, every form, no JavaScript.

Each test logs in through the real login form and reads the pages with
BeautifulSoup, so what is asserted is what a browser without JavaScript gets.
"""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup

from polydesk.core.demo import sample_form_data
from polydesk.core.forms import Form
from polydesk.core.tickets.services import TicketService

PASSWORD = "correct-horse-battery"


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


async def log_in(client: Any, people: Any, username: str) -> str:
    """Create `username` with a password and log in through the form; returns the CSRF token."""
    if username not in people.ids:
        await people.add(username, password=PASSWORD)
    else:
        from polydesk.core.people.services import set_password

        await set_password(people.ids[username], PASSWORD)
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


def form_post(form: Form, data: dict[str, Any], prefix: str = "f_") -> tuple[dict, list]:
    """What a browser sends for these form values: text fields, and files for file fields."""
    fields: dict[str, Any] = {}
    files: list[tuple[str, tuple[str, bytes, str]]] = []
    for f in form.fields:
        if f.key not in data:
            continue
        value = data[f.key]
        if f.type == "file":
            files.append((prefix + f.key, (str(value), b"%PDF-1.4 demo", "application/pdf")))
        elif f.type == "checkbox":
            if value:
                fields[prefix + f.key] = "on"
        else:
            fields[prefix + f.key] = value
    return fields, files


async def file_request(
    client: Any,
    csrf: str,
    runtime: Any,
    key: str,
    title: str,
    *,
    extra: dict[str, Any] | None = None,
    files: list | None = None,
) -> Any:
    rt = runtime.registry.request_types[key]
    fields, uploads = form_post(rt.form, sample_form_data(rt.form))
    body = {
        "_csrf_token": csrf,
        "title": title,
        "description": "Details.",
        **fields,
        **(extra or {}),
    }
    return await client.post(
        f"/portal/{rt.department}/new/{key}",
        data=body,
        files=[*uploads, *(files or [])]
        or [("attachments", ("", b"", "application/octet-stream"))],
        follow_redirects=False,
    )


async def ticket_for(
    runtime: Any, people: Any, username: str, title: str = "Printer on fire"
) -> Any:
    """A ticket raised through the service (quicker than the form where the form is not tested)."""
    rt = runtime.registry.request_types["it.incident"]
    return await TicketService(await runtime.snapshot()).create(
        await people.actor(username),
        request_type=rt.key,
        title=title,
        form_data=sample_form_data(rt.form),
    )


# -- home, departments, search -----------------------------------------------------------


async def test_home_for_anonymous_visitors_shows_cards_and_a_login_prompt(client, people):
    page = soup(await client.get("/"))
    cards = page.select("[data-department]")
    assert {c["data-department"] for c in cards} == {"it", "hr", "legal", "finance"}
    assert page.select_one("a[href='/portal/it']").get_text() == "IT"
    assert page.select_one(".login-prompt a[href^='/login']")
    assert not page.find(id="my-requests-title")
    assert page.select_one("form[action='/search'] label[for='q']")


async def test_home_lists_my_five_latest_requests(client, people, runtime):
    csrf = await log_in(client, people, "dana")
    assert csrf
    for n in range(6):
        await ticket_for(runtime, people, "dana", f"Request number {n}")
    await ticket_for(runtime, people, "alice", "Not dana's")
    page = soup(await client.get("/"))
    items = page.select(".request-list .request-item")
    assert [i.a.get_text(" ", strip=True).split("· ", 1)[1] for i in items] == [
        f"Request number {n}" for n in (5, 4, 3, 2, 1)
    ]
    assert all(i.select_one(".badge.state") and i.select_one(".badge.priority") for i in items)
    assert page.select_one("a[href='/requests']")
    assert "Not dana's" not in page.text


@pytest.mark.parametrize("slug", ["it", "hr", "legal", "finance"])
async def test_every_department_portal_and_request_form_renders(client, people, runtime, slug):
    await log_in(client, people, "dana")
    portal = await client.get(f"/portal/{slug}")
    assert portal.status_code == 200
    page = soup(portal)
    department = runtime.registry.departments[slug]
    assert page.h1.get_text(strip=True) == department.name
    snapshot = await runtime.snapshot()
    offered = snapshot.catalog(slug)
    links = {a["href"] for a in page.select(".catalog a")}
    assert links == {f"/portal/{slug}/new/{rt.key}" for rt in offered}
    for category in {rt.category for rt in offered}:
        assert page.find("h3", string=category)
    for rt in offered:
        form_page = await client.get(f"/portal/{slug}/new/{rt.key}")
        assert form_page.status_code == 200, rt.key
        form = soup(form_page).select_one("form#request-form")
        assert form["method"] == "post" and form["enctype"] == "multipart/form-data"
        for f in rt.form.fields:
            control = form.find(id=f"f_{f.key}")
            assert control is not None, (rt.key, f.key)
            assert form.select_one(f"label[for='f_{f.key}']"), (rt.key, f.key)
        # Every input of the form has a label.
        for control in form.select("input:not([type=hidden]), select, textarea"):
            assert form.select_one(f"label[for='{control['id']}']"), control


@pytest.mark.parametrize("slug", ["it", "hr", "legal", "finance"])
async def test_every_request_type_can_be_filed_through_its_form(client, people, runtime, slug):
    csrf = await log_in(client, people, "dana")
    snapshot = await runtime.snapshot()
    for rt in snapshot.catalog(slug):
        response = await file_request(client, csrf, runtime, rt.key, f"Filed: {rt.name}")
        assert response.status_code == 303, (rt.key, soup(response).select(".field-error"))
        page = soup(await client.get(response.headers["location"]))
        assert page.h1.get_text(" ", strip=True).endswith(f"Filed: {rt.name}")
        assert page.select_one(".badge.state")


async def test_search_finds_request_types_by_name_and_description(client, people):
    page = soup(await client.get("/search", params={"q": "laptop"}))
    hrefs = {a["href"] for a in page.select("#types-title ~ ul a")}
    assert "/portal/it/new/it.hardware" in hrefs
    assert soup(await client.get("/search", params={"q": "zzzz-nothing"})).find(
        string=lambda s: "No request type matches" in s
    )


# -- filing a request -----------------------------------------------------------------------


async def test_filing_a_request_end_to_end_with_attachments(client, people, runtime):
    csrf = await log_in(client, people, "dana")
    response = await file_request(
        client,
        csrf,
        runtime,
        "finance.expense",
        "Taxi to the airport",
        files=[
            ("attachments", ("boarding-pass.png", b"\x89PNG fake", "image/png")),
            ("attachments", ("note.txt", b"hello", "text/plain")),
        ],
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/requests/FIN-")
    page = soup(await client.get(location))
    assert "Taxi to the airport" in page.h1.get_text()
    names = [a.get_text() for a in page.select("#files-title ~ ul a")]
    # The form's own file field and the two extra attachments are all on the ticket.
    assert "boarding-pass.png" in names and "note.txt" in names and len(names) == 3
    link = page.select_one("#files-title ~ ul a")
    assert link["href"].startswith(f"/tickets/{location.rsplit('/', 1)[1]}/attachments/")
    download = await client.get(page.find("a", string="note.txt")["href"])
    assert download.content == b"hello"
    # The files belong to the "raised this request" entry of the timeline.
    created = page.select_one(".timeline li.entry-created")
    assert "note.txt" in created.get_text()
    mine = soup(await client.get("/requests"))
    assert "Taxi to the airport" in mine.select_one(".request-list").get_text()


async def test_validation_errors_re_render_with_422_values_kept_and_messages_by_field(
    client, people
):
    csrf = await log_in(client, people, "dana")
    response = await client.post(
        "/portal/it/new/it.incident",
        data={
            "_csrf_token": csrf,
            "title": "",
            "description": "It beeps <loudly>",
            "f_affected_service": "vpn",
            "f_category": "hardware",
            "f_impact": "enormous",
            "f_asset_tag": "LT-0042",
        },
        files=[("attachments", ("", b"", "application/octet-stream"))],
        follow_redirects=False,
    )
    assert response.status_code == 422
    page = soup(response)
    assert page.title.get_text().startswith("Error:")
    summary = page.select_one("#error-summary")
    assert summary.has_attr("autofocus") and summary["role"] == "alert"
    links = {a["href"]: a.get_text() for a in summary.select("a")}
    assert links == {
        "#title": "Title",
        "#f_impact": "Impact: who is affected?",
        "#f_urgency": "Urgency: how badly is work blocked?",
    }
    # Each message sits by its field and is announced with it.
    assert page.select_one("#title-error").get_text() == "A title is required."
    assert "title-error" in page.select_one("#title")["aria-describedby"]
    assert page.select_one("#f_impact")["aria-invalid"] == "true"
    assert page.select_one("#field-f_impact .field-error").get_text().startswith("Choose one of")
    assert page.select_one("#field-f_urgency .field-error").get_text() == "This field is required."
    # What was typed is kept, and the field shown by the chosen category stays shown.
    assert page.select_one("#description").get_text() == "It beeps <loudly>"
    assert page.select_one("#f_affected_service option[selected]")["value"] == "vpn"
    assert page.select_one("#f_category option[selected]")["value"] == "hardware"
    assert page.select_one("#f_asset_tag")["value"] == "LT-0042"
    assert not page.select_one("#field-f_asset_tag").has_attr("hidden")


async def test_a_field_shown_only_for_some_values_is_hidden_and_ignored_otherwise(
    client, people, runtime
):
    csrf = await log_in(client, people, "dana")
    page = soup(await client.get("/portal/it/new/it.incident"))
    box = page.select_one("#field-f_asset_tag")
    assert box.has_attr("hidden")
    assert box["data-visible-when"] == "f_category" and box["data-visible-values"] == "hardware"
    assert page.select_one("script[src='/static/js/portal.js'][defer]")
    response = await file_request(
        client,
        csrf,
        runtime,
        "it.incident",
        "Hidden tag",
        extra={"f_category": "software", "f_asset_tag": "LT-1"},
    )
    assert response.status_code == 303
    key = response.headers["location"].rsplit("/", 1)[1]
    ticket = await TicketService(await runtime.snapshot()).get(await people.actor("dana"), key)
    assert "asset_tag" not in ticket.form_data


async def test_a_too_big_file_is_refused_by_its_field(client, people, runtime):
    from polydesk.core.tickets.attachments import MAX_ATTACHMENT_BYTES

    csrf = await log_in(client, people, "dana")
    rt = runtime.registry.request_types["finance.expense"]
    file_field = next(f for f in rt.form.fields if f.type == "file")
    response = await file_request(
        client,
        csrf,
        runtime,
        "finance.expense",
        "Big receipt",
        files=[("attachments", ("huge.bin", b"x" * (MAX_ATTACHMENT_BYTES + 1), "text/plain"))],
    )
    assert response.status_code == 422
    page = soup(response)
    assert "huge.bin" in page.select_one("#attachments-error").get_text()
    assert page.select_one("#error-summary a[href='#attachments']")
    assert page.select_one("#title")["value"] == "Big receipt"
    assert not page.select_one(f"#field-f_{file_field.key} .field-error")
    assert "choose them again" in page.select_one("#attachments-help").get_text()
    mine = soup(await client.get("/requests"))
    assert "Big receipt" not in mine.text


async def test_unknown_fields_are_ignored_and_unknown_types_are_404(client, people, runtime):
    csrf = await log_in(client, people, "dana")
    response = await file_request(
        client, csrf, runtime, "it.incident", "Sneaky", extra={"f_is_vip": "on", "form_data.x": "1"}
    )
    assert response.status_code == 303
    key = response.headers["location"].rsplit("/", 1)[1]
    ticket = await TicketService(await runtime.snapshot()).get(await people.actor("dana"), key)
    assert set(ticket.form_data) <= {
        f.key for f in runtime.registry.request_types["it.incident"].form.fields
    }
    assert (await client.get("/portal/it/new/it.nope")).status_code == 404
    # A request type is only offered in its own department's portal.
    assert (await client.get("/portal/hr/new/it.incident")).status_code == 404
    assert (await client.get("/portal/nope")).status_code == 404
    refused = await client.post(
        "/portal/hr/new/it.incident",
        data={"_csrf_token": csrf, "title": "x"},
        follow_redirects=False,
    )
    assert refused.status_code == 404


async def test_the_form_needs_a_login(client, people):
    response = await client.get("/portal/it/new/it.incident", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/portal/it/new/it.incident"
    assert (await client.get("/requests", follow_redirects=False)).status_code == 303


async def test_a_disabled_departments_portal_and_forms_are_404(client, people, runtime):
    await log_in(client, people, "dana")
    admin = await people.headers("admin")
    assert (await client.post("/api/v1/plugins/legal/disable", headers=admin)).status_code == 201
    assert (await client.get("/portal/legal")).status_code == 404
    assert (await client.get("/portal/legal/new/legal.advice")).status_code == 404
    home = soup(await client.get("/"))
    assert "legal" not in {c["data-department"] for c in home.select("[data-department]")}
    assert "Legal" not in (await client.get("/search", params={"q": "contract"})).text
    assert (await client.post("/api/v1/plugins/legal/enable", headers=admin)).status_code == 201
    assert (await client.get("/portal/legal")).status_code == 200


# -- my requests ------------------------------------------------------------------------


async def test_my_requests_pages_with_load_more_and_a_plain_link(client, people, runtime):
    await log_in(client, people, "dana")
    for n in range(23):
        await ticket_for(runtime, people, "dana", f"Req {n:02d}")
    first = soup(await client.get("/requests"))
    rows = first.select(".request-list .request-item")
    assert len(rows) == 20 and "Req 22" in rows[0].get_text()
    more = first.select_one("#load-more a")
    assert more["href"].startswith("/requests?cursor=") and more["hx-get"] == more["href"]
    # htmx gets just the next rows (and no further "Load more")
    fragment = await client.get(more["href"], headers={"HX-Request": "true"})
    part = soup(fragment)
    assert not part.select("header, h1")
    assert [li.a.get_text(" ", strip=True)[-6:] for li in part.select(".request-item")] == [
        "Req 02",
        "Req 01",
        "Req 00",
    ]
    assert not part.select_one("#load-more")
    # without JavaScript the link is a page of its own
    plain = soup(await client.get(more["href"]))
    assert len(plain.select(".request-item")) == 3 and plain.select_one("a[href='/requests']")


async def test_another_persons_request_is_404_never_403(client, people, runtime):
    ticket = await ticket_for(runtime, people, "alice")
    csrf = await log_in(client, people, "dana")
    assert (await client.get(f"/requests/{ticket.key}")).status_code == 404
    reply = await client.post(
        f"/requests/{ticket.key}/comments",
        data={"_csrf_token": csrf, "body": "hi"},
        follow_redirects=False,
    )
    assert reply.status_code == 404
    rated = await client.post(
        f"/requests/{ticket.key}/rating", data={"_csrf_token": csrf, "score": "5"}
    )
    assert rated.status_code == 404
    assert (await client.get("/requests/IT-99999")).status_code == 404


async def test_the_public_timeline_only_and_html_is_escaped(client, people, runtime):
    await people.add("agent.smith", roles={"it": "agent"})
    await log_in(client, people, "dana")
    ticket = await ticket_for(runtime, people, "dana", "<script>alert('x')</script> broke")
    tickets = TicketService(await runtime.snapshot())
    agent = await people.actor("agent.smith")
    await tickets.comment(agent, ticket.id, body="Secret internal note", public=False)
    await tickets.comment(agent, ticket.id, body="Have you tried <b>turning it off</b>?")
    response = await client.get(f"/requests/{ticket.key}")
    assert "<script>alert" not in response.text
    page = soup(response)
    assert "<script>alert('x')</script> broke" in page.h1.get_text()
    assert not [s for s in page.find_all("script") if "alert" in (s.string or "")]
    text = page.select_one(".timeline").get_text()
    assert "Have you tried <b>turning it off</b>?" in text
    assert "Secret internal note" not in response.text


# -- acting on a request ----------------------------------------------------------------


async def test_reply_with_an_attachment_and_an_empty_reply(client, people, runtime):
    csrf = await log_in(client, people, "dana")
    ticket = await ticket_for(runtime, people, "dana")
    empty = await client.post(
        f"/requests/{ticket.key}/comments",
        data={"_csrf_token": csrf, "body": "  "},
        files=[("attachments", ("", b"", "application/octet-stream"))],
    )
    assert empty.status_code == 422
    page = soup(empty)
    assert page.select_one("#reply-body-error").get_text() == "Write something first."
    assert page.select_one("#error-summary a[href='#reply-body']")
    sent = await client.post(
        f"/requests/{ticket.key}/comments",
        data={"_csrf_token": csrf, "body": "Here is the log."},
        files=[("attachments", ("log.txt", b"line 1", "text/plain"))],
        follow_redirects=False,
    )
    assert sent.status_code == 303
    page = soup(await client.get(sent.headers["location"]))
    entry = page.select(".timeline li.entry-reply")[-1]
    assert "Here is the log." in entry.get_text() and entry.find("a", string="log.txt")
    assert sent.headers["location"].endswith(f"#{entry['id']}")  # back to the reply itself


async def test_a_requester_takes_their_own_transitions(client, people, runtime):
    csrf = await log_in(client, people, "dana")
    ticket = await ticket_for(runtime, people, "dana")
    page = soup(await client.get(f"/requests/{ticket.key}"))
    buttons = {b.get_text(strip=True) for b in page.select("form[action*='/transitions/'] button")}
    assert buttons == {"Cancel"}  # only the requester's moves, not the agents'
    refused = await client.post(
        f"/requests/{ticket.key}/transitions/resolve",
        data={"_csrf_token": csrf, "version": str(ticket.version)},
    )
    assert refused.status_code == 404
    done = await client.post(
        f"/requests/{ticket.key}/transitions/cancel",
        data={"_csrf_token": csrf, "version": str(ticket.version)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    page = soup(await client.get(f"/requests/{ticket.key}"))
    assert page.select_one(".badge.state").get_text(strip=True) == "cancelled"
    stale = await client.post(
        f"/requests/{ticket.key}/transitions/cancel",
        data={"_csrf_token": csrf, "version": str(ticket.version)},
    )
    assert stale.status_code == 404  # no longer offered from "cancelled"


async def test_transition_fields_are_asked_and_checked(client, people, runtime):
    """Legal's NDA lets the requester ask for changes, saying which (a required field)."""
    rt = runtime.registry.request_types["legal.nda"]
    tickets = TicketService(await runtime.snapshot())
    await people.add("dana", password=PASSWORD)
    ticket = await tickets.create(
        await people.actor("dana"),
        request_type=rt.key,
        title="NDA with Acme",
        form_data=sample_form_data(rt.form),
    )
    csrf = await log_in(client, people, "dana")
    page = soup(await client.get(f"/requests/{ticket.key}"))
    offered = {f["action"].rsplit("/", 1)[1] for f in page.select("form[action*='/transitions/']")}
    with_fields = [
        t
        for t in tickets.available_transitions(await people.actor("dana"), ticket)
        if t.fields and t.key in offered
    ]
    if not with_fields:
        pytest.skip("no requester step with fields is open on a new NDA")
    t = with_fields[0]
    required = next(f for f in t.fields if f.required)
    assert page.select_one(f"#t_{required.key}")
    refused = await client.post(
        f"/requests/{ticket.key}/transitions/{t.key}",
        data={"_csrf_token": csrf, "version": str(ticket.version)},
        files=[("attachments", ("", b"", "application/octet-stream"))],
    )
    assert refused.status_code == 422
    page = soup(refused)
    assert page.select_one(f"#error-summary a[href='#t_{required.key}']")
    assert page.select_one(f"#field-t_{required.key} .field-error")


async def test_an_approver_approves_from_the_request_page(client, people, runtime):
    await people.add("bob.boss", password=PASSWORD)
    ticket = await ticket_for(runtime, people, "alice")
    tickets = TicketService(await runtime.snapshot())
    await tickets.request_approval(await people.actor("it.agent"), ticket.id, approver="bob.boss")
    # The requester sees the approval, but no buttons: it is not theirs to decide.
    await log_in(client, people, "alice")
    page = soup(await client.get(f"/requests/{ticket.key}"))
    assert page.select_one(".approvals .approval-pending")
    assert not page.select_one("form[action*='/approvals/']")
    csrf = await log_in(client, people, "bob.boss")
    page = soup(await client.get(f"/requests/{ticket.key}"))
    form = page.select_one("form[action*='/approvals/']")
    assert {b["value"] for b in form.select("button[name=decision]")} == {"approve", "reject"}
    decided = await client.post(
        form["action"],
        data={"_csrf_token": csrf, "decision": "approve", "comment": "Fine by me"},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    page = soup(await client.get(f"/requests/{ticket.key}"))
    assert page.select_one(".approvals .approval-approved")
    assert "Fine by me" in page.select_one(".approvals").get_text()
    assert not page.select_one("form[action*='/approvals/']")
    again = await client.post(form["action"], data={"_csrf_token": csrf, "decision": "reject"})
    assert again.status_code == 409


async def test_rating_a_resolved_request_once(client, people, runtime):
    csrf = await log_in(client, people, "dana")
    ticket = await ticket_for(runtime, people, "dana")
    tickets = TicketService(await runtime.snapshot())
    assert not soup(await client.get(f"/requests/{ticket.key}")).select_one("#rating")
    await tickets.transition(
        await people.actor("it.agent"),
        ticket.id,
        "resolve",
        version=None,
        fields={"resolution_code": "fixed", "resolution_note": "Replaced the toner."},
    )
    page = soup(await client.get(f"/requests/{ticket.key}"))
    assert "Replaced the toner." in page.select_one(".timeline").get_text()
    assert len(page.select("#rating-score input[type=radio][name=score]")) == 5
    assert page.select_one("#rating-score legend")
    refused = await client.post(
        f"/requests/{ticket.key}/rating", data={"_csrf_token": csrf, "score": "9", "comment": "Hm"}
    )
    assert refused.status_code == 422
    page = soup(refused)
    assert page.select_one("#rating-score-error")
    assert page.select_one("#rating-comment").get_text() == "Hm"
    rated = await client.post(
        f"/requests/{ticket.key}/rating",
        data={"_csrf_token": csrf, "score": "4", "comment": "Quick, thanks"},
        follow_redirects=False,
    )
    assert rated.status_code == 303
    page = soup(await client.get(f"/requests/{ticket.key}"))
    assert "4/5 · Happy" in page.select_one("#rating").get_text()
    assert not page.select_one("#rating form")
    twice = await client.post(
        f"/requests/{ticket.key}/rating", data={"_csrf_token": csrf, "score": "1"}
    )
    assert twice.status_code == 409


async def test_every_form_on_the_request_page_posts_with_a_csrf_token(client, people, runtime):
    await log_in(client, people, "dana")
    ticket = await ticket_for(runtime, people, "dana")
    page = soup(await client.get(f"/requests/{ticket.key}"))
    forms = page.select("main form[method=post]")
    assert forms
    for form in forms:
        assert form.select_one("input[name=_csrf_token]"), form["action"]
    no_token = await client.post(f"/requests/{ticket.key}/comments", data={"body": "x"})
    assert no_token.status_code == 403


# -- knowledge in the portal ---------------------------------------------------------------


@pytest.fixture
async def articles(runtime: Any) -> dict[str, int]:
    """Two published IT articles and one HR article (the kb_ tables emptied first)."""
    from polydesk.core.db import is_postgres_engine
    from polydesk.core.knowledge.services import KnowledgeService
    from polydesk.core.knowledge.tables import Space
    from polydesk.core.permissions import SYSTEM

    tables = ("kb_deflection", "kb_vote", "kb_article_version", "kb_article", "kb_space")
    if is_postgres_engine():
        await Space.raw(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    else:
        for table in (*tables, "kb_article_fts"):
            await Space.raw(f"DELETE FROM {table}")
    kb = KnowledgeService(await runtime.snapshot())
    made = {}
    for space, title, body in (
        ("it", "VPN keeps disconnecting", "Restart the <b>VPN</b> client, then sign in again."),
        ("it", "Printer shows offline", "Turn the printer off and on."),
        ("hr", "How to request VPN-free leave", "Leave is requested in the portal."),
    ):
        article = await kb.create_article(
            SYSTEM, space=space, title=title, body_md=body, publish=True
        )
        made[title] = article.id
    return made


async def test_department_portal_shows_its_most_helpful_articles(client, people, articles):
    anonymous = soup(await client.get("/portal/it"))
    assert anonymous.select_one(".knowledge a[href^='/login']")
    assert not anonymous.select(".knowledge a[href^='/portal/articles/']")
    await log_in(client, people, "dana")
    page = soup(await client.get("/portal/it"))
    titles = {a.get_text() for a in page.select(".knowledge a[href^='/portal/articles/']")}
    assert titles == {"VPN keeps disconnecting", "Printer shows offline"}


async def test_search_covers_articles_and_request_types(client, people, articles):
    await log_in(client, people, "dana")
    page = soup(await client.get("/search", params={"q": "vpn"}))
    found = [a.get_text() for a in page.select("#articles-title ~ ul a")]
    assert "VPN keeps disconnecting" in found
    # Highlights are the service's escaped <mark>s, never the article's own HTML.
    assert page.select_one("#articles-title ~ ul mark").get_text().lower() == "vpn"


async def test_suggestions_while_typing_and_this_solved_my_problem(client, people, articles):
    csrf = await log_in(client, people, "dana")
    form = soup(await client.get("/portal/it/new/it.incident"))
    title = form.select_one("#title")
    assert title["hx-get"] == "/portal/it/suggest"
    assert title["hx-trigger"] == "keyup changed delay:300ms"
    assert title["hx-target"] == "#suggestions"
    region = form.select_one("aside.suggestions")
    assert region["aria-labelledby"] == "suggestions-title"
    assert form.select_one("#suggestions")["aria-live"] == "polite"
    fragment = await client.get(
        "/portal/it/suggest", params={"title": "vpn disconn"}, headers={"HX-Request": "true"}
    )
    part = soup(fragment)
    assert not part.select("header, h1")
    hits = part.select(".suggestion-list > li")
    # IT's space only: HR's article on the same word is not suggested beside an IT form.
    assert hits[0].a.get_text(" ", strip=True).startswith("VPN keeps")
    assert all("leave" not in h.get_text() for h in hits)
    assert part.select_one("#suggestion-hint[hx-swap-oob]")
    solved = hits[0].form
    assert solved["hx-post"] == solved["action"]
    thanks = await client.post(
        solved["action"],
        data={"_csrf_token": csrf, "query": "vpn disconn"},
        headers={"HX-Request": "true", "x-csrftoken": csrf},
    )
    assert thanks.status_code == 200 and "No request was raised" in thanks.text
    # Without JavaScript: 303 to the article, which says thanks.
    plain = await client.post(
        solved["action"], data={"_csrf_token": csrf, "query": "vpn"}, follow_redirects=False
    )
    assert plain.status_code == 303
    assert "No request was raised" in (await client.get(plain.headers["location"])).text
    from polydesk.core.knowledge.tables import Deflection

    assert await Deflection.count() == 2
    assert "You have not raised any requests yet" in (await client.get("/requests")).text
    nothing = soup(await client.get("/portal/it/suggest", params={"title": "zzqq"}))
    assert "No article matches" in nothing.get_text()


async def test_a_refused_form_suggests_articles_without_javascript(client, people, articles):
    csrf = await log_in(client, people, "dana")
    response = await client.post(
        "/portal/it/new/it.incident",
        data={"_csrf_token": csrf, "title": "printer offline"},
        files=[("attachments", ("", b"", "application/octet-stream"))],
    )
    assert response.status_code == 422
    hits = soup(response).select("#suggestions .suggestion-list a")
    assert hits and hits[0].get_text(" ", strip=True).startswith("Printer shows offline")


async def test_reading_and_voting_on_an_article(client, people, articles):
    csrf = await log_in(client, people, "dana")
    article_id = articles["Printer shows offline"]
    page = soup(await client.get(f"/portal/articles/{article_id}"))
    assert page.h1.get_text() == "Printer shows offline"
    assert page.select_one("nav[aria-label=breadcrumb] a[href='/portal/it']")
    voted = await client.post(
        f"/portal/articles/{article_id}/votes",
        data={"_csrf_token": csrf, "helpful": "yes"},
        follow_redirects=False,
    )
    assert voted.status_code == 303
    page = soup(await client.get(f"/portal/articles/{article_id}"))
    assert "1 found it helpful" in page.select_one("#vote").get_text()
    assert page.select_one("#vote button[value=yes]")["aria-pressed"] == "true"
    assert (await client.get("/portal/articles/999999")).status_code == 404
