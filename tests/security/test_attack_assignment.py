"""Attacks that write what they should not: mass assignment, role raising, CSRF.

The API refuses undeclared fields (400 naming the field); the portal's form
ignores inputs its form does not declare (its documented contract); a forged
or token-less browser post is a 403; a bearer token never borrows a session.
"""

from __future__ import annotations

import pytest

from polydesk.core.tickets.services import TicketService

PROTECTED = (
    "assignee",
    "state",
    "state_category",
    "priority",
    "department",
    "sla_due_at",
    "confidential_team",
    "assignment_group",
    "key",
    "version",
    "resolved_at",
)


@pytest.mark.parametrize("field", PROTECTED)
async def test_api_create_with_an_undeclared_field_is_400_naming_it(
    client, cast, field, form_of, unchanged
):
    body = {
        "request_type": "it.incident",
        "title": "Harmless",
        "form_data": form_of("it.incident"),
        field: "it.agent" if field == "assignee" else 1,
    }
    async with unchanged():
        response = await client.post(
            "/api/v1/tickets", json=body, headers=await cast.headers("alice")
        )
    assert response.status_code == 400
    assert field in response.text


async def test_a_requester_cannot_raise_a_ticket_in_someone_elses_name(
    client, cast, form_of, unchanged
):
    body = {
        "request_type": "it.incident",
        "title": "Framed",
        "form_data": form_of("it.incident"),
        "requester": "bob",
    }
    async with unchanged():
        response = await client.post(
            "/api/v1/tickets", json=body, headers=await cast.headers("alice")
        )
    assert response.status_code == 403 and "others" in response.json()["detail"]


async def test_a_requester_cannot_edit_priority_or_title_nor_sneak_fields_into_an_update(
    client, cast, desk, form_of, unchanged
):
    ticket = await desk.create(
        await cast.actor("alice"),
        request_type="it.incident",
        title="Mine",
        form_data=form_of("it.incident"),
    )
    alice = await cast.headers("alice")
    async with unchanged():
        for body, status in (
            ({"version": ticket.version, "priority": 1}, 403),
            ({"version": ticket.version, "title": "Mine, urgently"}, 403),
            ({"version": ticket.version, "state": "resolved"}, 400),
            ({"version": ticket.version, "assignee": "alice"}, 400),
            ({"version": ticket.version, "requester": "bob"}, 400),
        ):
            response = await client.patch(f"/api/v1/tickets/{ticket.key}", json=body, headers=alice)
            assert response.status_code == status, (body, response.text)
        for body in (
            {"body": "note to self", "public": False},  # an internal note
            {"body": "hi", "author": "it.agent"},
        ):
            response = await client.post(
                f"/api/v1/tickets/{ticket.key}/comments", json=body, headers=alice
            )
            assert response.status_code in (400, 403), body
        assign = await client.post(
            f"/api/v1/tickets/{ticket.key}/assignment", json={"assignee": ""}, headers=alice
        )
        assert assign.status_code == 403


async def test_a_requester_cannot_take_an_agents_transition(client, cast, desk, form_of, unchanged):
    ticket = await desk.create(
        await cast.actor("alice"),
        request_type="it.incident",
        title="Mine",
        form_data=form_of("it.incident"),
    )
    agent_moves = {
        t.key
        for t in desk.available_transitions(await cast.actor("it.agent"), ticket)
        if t.key
        not in {t.key for t in desk.available_transitions(await cast.actor("alice"), ticket)}
    }
    assert agent_moves
    alice = await cast.headers("alice")
    async with unchanged():
        for move in sorted(agent_moves):
            response = await client.post(
                f"/api/v1/tickets/{ticket.key}/transitions",
                json={"transition": move, "version": ticket.version},
                headers=alice,
            )
            assert response.status_code == 403, move


async def test_portal_form_ignores_inputs_the_form_does_not_declare(
    client, cast, runtime, login, form_of
):
    csrf = await login("carol")
    fields = {f"f_{k}": v for k, v in form_of("it.incident").items()}
    sneaky = {
        "assignee": "it.agent",
        "f_assignee": "it.agent",
        "state": "resolved",
        "priority": "1",
        "f_priority": "1",
        "requester": "bob",
        "department": "hr",
        "confidential_team": "case_team",
        "version": "99",
    }
    response = await client.post(
        "/portal/it/new/it.incident",
        data={"_csrf_token": csrf, "title": "Sneaky", **fields, **sneaky},
        follow_redirects=False,
    )
    assert response.status_code == 303
    key = response.headers["location"].rsplit("/", 1)[1]
    carol = await cast.actor("carol")
    desk = TicketService(await runtime.snapshot())
    ticket = await desk.get(carol, key)
    plain = await desk.create(
        carol, request_type="it.incident", title="Plain", form_data=form_of("it.incident")
    )
    assert ticket.requester.username == "carol" and ticket.department == "it"
    assert ticket.assignee is None and not ticket.confidential
    assert (ticket.state, ticket.priority, ticket.version) == (
        plain.state,
        plain.priority,
        plain.version,
    )


async def test_an_agent_cannot_raise_their_own_role_or_manage_plugins(
    client, cast, login, unchanged
):
    csrf = await login("it.agent")
    me = cast.ids["it.agent"]
    async with unchanged():
        for url, data in (
            (
                f"/admin/people/{me}/access",
                {"role.it": "lead", "role.hr": "agent", "is_admin": "on"},
            ),
            (f"/admin/people/{me}/access", {"team": "hr:case_team"}),
            ("/admin/plugins/hr/disable", {}),
        ):
            response = await client.post(url, data={"_csrf_token": csrf, **data})
            assert response.status_code == 404, url
        api = await cast.headers("it.agent")
        for method, url, body in (
            ("POST", "/api/v1/plugins/hr/disable", None),
            ("PUT", "/api/v1/plugins/it/settings", {"cab": ["it.agent"]}),
        ):
            response = await client.request(method, url, json=body, headers=api)
            assert response.status_code in (403, 404), url
    actor = await cast.actor("it.agent")
    assert dict(actor.roles) == {"it": "agent"} and not actor.is_admin and not actor.teams


# -- CSRF ------------------------------------------------------------------------------


async def test_portal_form_posts_without_or_with_a_wrong_token_are_403(
    client, cast, login, form_of, unchanged
):
    await login("carol")
    fields = {f"f_{k}": v for k, v in form_of("it.incident").items()}
    async with unchanged():
        for token in (None, "", "forged-token", "a" * 64):
            data = {"title": "Forged", **fields}
            if token is not None:
                data["_csrf_token"] = token
            response = await client.post(
                "/portal/it/new/it.incident", data=data, follow_redirects=False
            )
            assert response.status_code == 403, token


async def test_htmx_posts_need_the_token_in_their_header(
    client, cast, desk, login, form_of, unchanged
):
    ticket = await desk.create(
        await cast.actor("alice"),
        request_type="it.incident",
        title="htmx",
        form_data=form_of("it.incident"),
    )
    csrf = await login("it.agent")
    url = f"/agent/tickets/{ticket.key}/replies"
    data = {"body": "forged reply", "version": str(ticket.version)}
    async with unchanged():
        for headers in (
            {"HX-Request": "true"},
            {"HX-Request": "true", "x-csrftoken": "forged"},
            {"HX-Request": "true", "x-csrftoken": csrf[:-2] + "xx"},
        ):
            response = await client.post(url, data=data, headers=headers)
            assert response.status_code == 403, headers
    # The control: the page's own token in the header works.
    ok = await client.post(
        url, data=data, headers={"HX-Request": "true", "x-csrftoken": csrf}, follow_redirects=False
    )
    assert ok.status_code == 303


async def test_cookie_authenticated_api_writes_need_the_token(
    client, cast, desk, login, form_of, unchanged
):
    ticket = await desk.create(
        await cast.actor("carol"),
        request_type="it.incident",
        title="Cookie",
        form_data=form_of("it.incident"),
    )
    await login("carol")
    async with unchanged():
        for method, url, body in (
            ("POST", f"/api/v1/tickets/{ticket.key}/comments", {"body": "forged"}),
            ("POST", "/api/v1/me/tokens", {"name": "stolen"}),
            ("DELETE", "/api/v1/session", None),
            ("POST", "/logout", None),
        ):
            response = await client.request(method, url, json=body)
            assert response.status_code == 403, url
    # Still logged in: the forged logout did nothing.
    assert (await client.get("/api/v1/me")).json()["username"] == "carol"


async def test_a_bearer_request_never_acts_with_the_session_it_carries(
    client, cast, login, form_of, unchanged
):
    await login("carol")  # the victim's session cookie is in the jar
    body = {"request_type": "it.incident", "title": "As whom?", "form_data": form_of("it.incident")}
    async with unchanged():
        for token in ("pd_made-up", "garbage", "x" * 500):
            response = await client.post(
                "/api/v1/tickets", json=body, headers={"Authorization": f"Bearer {token}"}
            )
            assert response.status_code == 401, token
            me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
            assert me.status_code == 401
    # A valid token acts as its own owner, not as the session's.
    created = await client.post("/api/v1/tickets", json=body, headers=await cast.headers("bob"))
    assert created.status_code == 201
    assert created.json()["requester"]["username"] == "bob"
