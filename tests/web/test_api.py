"""The JSON API as a script or a browser uses it."""

from __future__ import annotations

import pytest

from polydesk.core.demo import sample_form_data


@pytest.fixture
async def alice(people):
    return await people.headers("alice")


@pytest.fixture
async def agent(people):
    return await people.headers("it.agent")


async def _create(client, headers, incident_form, **extra):
    body = {
        "request_type": "it.incident",
        "title": "VPN is down",
        "form_data": incident_form(),
        **extra,
    }
    return await client.post("/api/v1/tickets", json=body, headers=headers)


async def test_create_read_and_list(client, alice, agent, incident_form):
    created = await _create(client, alice, incident_form)
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert ticket["key"] == "IT-1" and ticket["state"] == "new"
    assert "confidential_team" not in ticket and "approver_ids" not in ticket
    read = await client.get("/api/v1/tickets/IT-1", headers=agent)
    assert read.json()["title"] == "VPN is down"
    listed = await client.get("/api/v1/tickets", params={"state_category": "new"}, headers=agent)
    assert [t["key"] for t in listed.json()["items"]] == ["IT-1"]
    by_id = await client.get(f"/api/v1/tickets/{ticket['id']}", headers=alice)
    assert by_id.json()["key"] == "IT-1"


async def test_without_credentials_the_api_answers_401(client):
    response = await client.get("/api/v1/tickets")
    assert response.status_code == 401
    assert response.json()["detail"]


async def test_a_revoked_or_made_up_token_is_refused(client):
    response = await client.get("/api/v1/me", headers={"Authorization": "Bearer pd_made-up"})
    assert response.status_code == 401


async def test_validation_errors_name_each_field_and_store_nothing(
    client, alice, agent, incident_form
):
    bad = await client.post(
        "/api/v1/tickets",
        json={
            "request_type": "it.incident",
            "title": "",
            "form_data": incident_form(impact="huge"),
        },
        headers=alice,
    )
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"title", "form_data.impact"} <= fields
    listed = await client.get("/api/v1/tickets", headers=agent)
    assert listed.json()["items"] == []


async def test_unknown_body_fields_are_refused_so_requesters_cannot_set_state(
    client, alice, incident_form
):
    response = await _create(client, alice, incident_form, state="resolved", assignee="it.agent")
    assert response.status_code == 400
    assert "state" in response.text or "assignee" in response.text


async def test_malformed_json_is_a_400(client, alice):
    response = await client.post(
        "/api/v1/tickets",
        content=b"{not json",
        headers={**alice, "content-type": "application/json"},
    )
    assert response.status_code == 400


async def test_someone_who_may_not_see_a_ticket_gets_404(client, people, alice, incident_form):
    await _create(client, alice, incident_form)
    for outsider in ("bob", "hr.agent"):
        response = await client.get("/api/v1/tickets/IT-1", headers=await people.headers(outsider))
        assert response.status_code == 404
    assert (
        await client.get("/api/v1/tickets/IT-1/timeline", headers=await people.headers("bob"))
    ).status_code == 404


async def test_stale_update_is_409_with_the_current_ticket(client, alice, agent, incident_form):
    ticket = (await _create(client, alice, incident_form)).json()
    first = await client.patch(
        "/api/v1/tickets/IT-1", json={"version": ticket["version"], "priority": 2}, headers=agent
    )
    assert first.status_code == 200 and first.json()["priority"] == 2
    stale = await client.patch(
        "/api/v1/tickets/IT-1", json={"version": ticket["version"], "title": "Mine"}, headers=agent
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["priority"] == 2
    assert (await client.get("/api/v1/tickets/IT-1", headers=agent)).json()[
        "title"
    ] == "VPN is down"


async def test_comment_transition_and_timeline(client, alice, agent, incident_form):
    await _create(client, alice, incident_form)
    reply = await client.post(
        "/api/v1/tickets/IT-1/comments", json={"body": "Looking"}, headers=agent
    )
    assert reply.status_code == 201 and reply.json()["first_response_at"]
    note = await client.post(
        "/api/v1/tickets/IT-1/comments", json={"body": "internal", "public": False}, headers=alice
    )
    assert note.status_code == 403
    moves = (await client.get("/api/v1/tickets/IT-1/transitions", headers=agent)).json()
    assert moves, "an agent can move a new incident"
    move = next(m for m in moves if not m["fields"]["required"])
    ticket = (await client.get("/api/v1/tickets/IT-1", headers=agent)).json()
    applied = await client.post(
        "/api/v1/tickets/IT-1/transitions",
        json={"transition": move["key"], "version": ticket["version"]},
        headers=agent,
    )
    assert applied.status_code == 201, applied.text
    assert applied.json()["state"] == move["to_state"]
    refused = await client.post(
        "/api/v1/tickets/IT-1/transitions", json={"transition": "teleport"}, headers=agent
    )
    assert refused.status_code == 409 and "teleport" in refused.json()["detail"]
    timeline = (await client.get("/api/v1/tickets/IT-1/timeline", headers=alice)).json()
    assert [e["kind"] for e in timeline][:2] == ["created", "reply"]


async def test_assign_link_and_child(client, people, alice, agent, incident_form):
    await _create(client, alice, incident_form)
    await _create(client, alice, incident_form, title="Also VPN")
    assigned = await client.post(
        "/api/v1/tickets/IT-1/assignment", json={"assignee": "it.agent"}, headers=agent
    )
    assert assigned.json()["assignee"]["username"] == "it.agent"
    linked = await client.post(
        "/api/v1/tickets/IT-2/links", json={"target": "IT-1", "kind": "duplicates"}, headers=agent
    )
    assert linked.status_code == 201 and linked.json()["ticket_key"] == "IT-1"
    child = await client.post(
        "/api/v1/tickets/IT-1/children",
        json={
            "request_type": "it.incident",
            "title": "Replace router",
            "form_data": incident_form(),
        },
        headers=agent,
    )
    assert child.status_code == 201 and child.json()["parent_id"] is not None
    children = (await client.get("/api/v1/tickets/IT-1/children", headers=agent)).json()
    assert [c["title"] for c in children] == ["Replace router"]
    refused = await client.post(
        "/api/v1/tickets/IT-1/children",
        json={"request_type": "it.incident", "title": "Nope", "form_data": incident_form()},
        headers=alice,
    )
    assert refused.status_code == 403


async def test_keyset_pagination_over_http(client, alice, incident_form):
    for i in range(5):
        await _create(client, alice, incident_form, title=f"T{i}")
    keys, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/v1/tickets", params=params, headers=alice)).json()
        keys += [t["key"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(keys) == [f"IT-{n}" for n in range(1, 6)]
    assert (
        await client.get("/api/v1/tickets", params={"limit": 0}, headers=alice)
    ).status_code == 400


async def test_catalog_publishes_each_form_as_json_schema(client, alice, runtime):
    types = (
        await client.get("/api/v1/request-types", params={"department": "it"}, headers=alice)
    ).json()
    incident = next(t for t in types if t["key"] == "it.incident")
    schema = incident["form_schema"]
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        f.key for f in runtime.registry.request_types["it.incident"].form.fields
    }
    departments = {
        d["slug"] for d in (await client.get("/api/v1/departments", headers=alice)).json()
    }
    assert {"it", "hr", "legal", "finance"} <= departments
    assert (await client.get("/api/v1/request-types/it.nothing", headers=alice)).status_code == 404


async def test_openapi_schema_lists_the_ticket_endpoints(client):
    schema = (await client.get("/schema/openapi.json")).json()
    assert (
        "/api/v1/tickets" in schema["paths"]
        and "/api/v1/tickets/{ref}/transitions" in schema["paths"]
    )


async def test_browser_session_login_needs_csrf_for_writes(client, people, incident_form):
    await people.add("carol", password="correct-horse-battery")
    await client.get("/login")  # sets the CSRF cookie
    csrf = client.cookies.get("polydesk_csrf")
    no_token = await client.post(
        "/api/v1/session", json={"username": "carol", "password": "correct-horse-battery"}
    )
    assert no_token.status_code == 403
    wrong = await client.post(
        "/api/v1/session",
        json={"username": "carol", "password": "nope"},
        headers={"x-csrftoken": csrf},
    )
    assert wrong.status_code == 401
    ok = await client.post(
        "/api/v1/session",
        json={"username": "carol", "password": "correct-horse-battery"},
        headers={"x-csrftoken": csrf},
    )
    assert ok.status_code == 200 and ok.json()["username"] == "carol"
    me = await client.get("/api/v1/me")
    assert me.json()["username"] == "carol"
    body = {
        "request_type": "it.incident",
        "title": "From the browser",
        "form_data": incident_form(),
    }
    assert (await client.post("/api/v1/tickets", json=body)).status_code == 403
    created = await client.post("/api/v1/tickets", json=body, headers={"x-csrftoken": csrf})
    assert created.status_code == 201
    out = await client.delete("/api/v1/session", headers={"x-csrftoken": csrf})
    assert out.status_code == 204
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_login_form_page_and_wrong_password(client, people):
    await people.add("dave", password="correct-horse-battery")
    page = await client.get("/login")
    assert page.status_code == 200 and 'name="_csrf_token"' in page.text
    csrf = client.cookies.get("polydesk_csrf")
    wrong = await client.post(
        "/login", data={"username": "dave", "password": "bad", "_csrf_token": csrf, "next": "/"}
    )
    assert wrong.status_code == 401 and "Wrong username or password" in wrong.text
    assert 'value="dave"' in wrong.text
    ok = await client.post(
        "/login",
        data={
            "username": "dave",
            "password": "correct-horse-battery",
            "_csrf_token": csrf,
            "next": "//evil.example",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/"


async def test_api_token_is_shown_once_and_works(client, people):
    await people.add("erin", password="correct-horse-battery")
    await client.get("/login")
    csrf = client.cookies.get("polydesk_csrf")
    await client.post(
        "/api/v1/session",
        json={"username": "erin", "password": "correct-horse-battery"},
        headers={"x-csrftoken": csrf},
    )
    token = (
        await client.post("/api/v1/me/tokens", json={"name": "cron"}, headers={"x-csrftoken": csrf})
    ).json()
    assert token["token"].startswith("pd_")
    client.cookies.clear()
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token['token']}"})
    assert me.json()["username"] == "erin"


async def test_hook_polydesk_actor_from_request(runtime, people, db):
    """A plugin can authenticate requests its own way (an SSO header, say)."""
    from litestar.testing import AsyncTestClient

    from polydesk.core.hookspecs import hookimpl
    from polydesk.core.people.services import load_actor
    from polydesk.web.app import create_app

    class HeaderSSO:
        @hookimpl
        async def polydesk_actor_from_request(self, request):
            name = request.headers.get("x-remote-user")
            return await load_actor(people.ids[name]) if name in people.ids else None

    runtime.pm.register(HeaderSSO(), name="header-sso")
    async with AsyncTestClient(app=create_app(runtime=runtime, background=False)) as client:
        assert (await client.get("/api/v1/me", headers={"x-remote-user": "bob"})).json()[
            "username"
        ] == "bob"
        assert (
            await client.get("/api/v1/me", headers={"x-remote-user": "mallory"})
        ).status_code == 401


async def test_hook_polydesk_validate_request(runtime, people):
    """A plugin's cross-field rule refuses a ticket with a message on the field."""
    from litestar.testing import AsyncTestClient

    from polydesk.core.hookspecs import hookimpl
    from polydesk.web.app import create_app

    class NoFridays:
        @hookimpl
        def polydesk_validate_request(self, request_type, form_data):
            if request_type.key == "it.incident" and form_data.get("impact") == "high":
                return {"impact": "Use the phone for high-impact incidents."}

    runtime.pm.register(NoFridays(), name="no-fridays")
    form = sample_form_data(runtime.registry.request_types["it.incident"].form)
    async with AsyncTestClient(app=create_app(runtime=runtime, background=False)) as client:
        response = await client.post(
            "/api/v1/tickets",
            json={
                "request_type": "it.incident",
                "title": "x",
                "form_data": {**form, "impact": "high"},
            },
            headers=await people.headers("alice"),
        )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "form_data.impact", "message": "Use the phone for high-impact incidents."}
    ]


async def test_hook_polydesk_menu_links(runtime):
    """Links from enabled plugins appear in the navigation of full pages."""
    from litestar.testing import AsyncTestClient

    from polydesk.core import MenuLink
    from polydesk.core.hookspecs import hookimpl
    from polydesk.web.app import create_app

    class Links:
        @hookimpl
        def polydesk_menu_links(self, actor):
            return [MenuLink(href="/status", label="Service status")]

    runtime.pm.register(Links(), name="links")
    async with AsyncTestClient(app=create_app(runtime=runtime, background=False)) as client:
        page = await client.get("/")
    assert '<a href="/status">Service status</a>' in page.text


async def test_api_docs_page_loads_its_scripts_from_this_server(client):
    """No CDN: the Swagger UI page and its assets come from /static/vendor."""
    page = await client.get("/schema/swagger")
    assert page.status_code == 200
    for url in (
        "/static/vendor/swagger-ui-bundle-5.35.0.js",
        "/static/vendor/swagger-ui-5.35.0.css",
    ):
        assert url in page.text
        assert (await client.get(url)).status_code == 200
    assert "cdn." not in page.text and "unpkg" not in page.text
