"""The knowledge API over HTTP: paths, bodies and error codes."""

from __future__ import annotations

import pytest

from polydesk.core.db import is_postgres_engine

KB_TABLES = ("kb_deflection", "kb_vote", "kb_article_version", "kb_article", "kb_space")


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
async def h(people):
    """Bearer headers by username."""

    class Headers:
        async def __call__(self, username):
            return await people.headers(username)

    return Headers()


async def _draft(client, headers, **body):
    payload = {"space": "it", "title": "VPN on macOS", "body_md": "Install the client.", **body}
    response = await client.post("/api/v1/knowledge/articles", json=payload, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_spaces_list_what_you_may_read(client, h):
    alice = await h("alice")
    spaces = (await client.get("/api/v1/knowledge/spaces", headers=alice)).json()
    assert {"it", "hr", "legal", "finance"} <= {s["slug"] for s in spaces}
    assert not any(s["can_edit"] for s in spaces)
    agent = (await client.get("/api/v1/knowledge/spaces/it", headers=await h("it.agent"))).json()
    assert agent["can_edit"] and not agent["can_publish"]
    assert (await client.get("/api/v1/knowledge/spaces/nope", headers=alice)).status_code == 404
    assert (await client.get("/api/v1/knowledge/spaces")).status_code == 401


async def test_admins_create_spaces_others_get_403_and_bad_input_422(client, h):
    body = {"slug": "runbooks", "name": "Runbooks", "department": "it", "audience": "agents"}
    denied = await client.post("/api/v1/knowledge/spaces", json=body, headers=await h("it.lead"))
    assert denied.status_code == 403
    admin = await h("admin")
    created = await client.post("/api/v1/knowledge/spaces", json=body, headers=admin)
    assert created.status_code == 201 and created.json()["audience"] == "agents"
    bad = await client.post(
        "/api/v1/knowledge/spaces",
        json={"slug": "Bad Slug", "name": "", "department": "nowhere", "audience": "all"},
        headers=admin,
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"slug", "name", "department", "audience"}
    unknown = await client.post(
        "/api/v1/knowledge/spaces", json={**body, "slug": "x2", "owner": "me"}, headers=admin
    )
    assert unknown.status_code == 400
    hidden = await client.get("/api/v1/knowledge/spaces/runbooks", headers=await h("alice"))
    assert hidden.status_code == 404


async def test_draft_edit_publish_and_read(client, h):
    agent, lead, alice = await h("it.agent"), await h("it.lead"), await h("alice")
    draft = await _draft(client, agent, tags=["vpn"])
    url = f"/api/v1/knowledge/articles/{draft['id']}"
    assert draft["status"] == "draft" and draft["version"] == 1
    assert (await client.get(url, headers=alice)).status_code == 404
    edited = await client.patch(
        url, json={"version": 1, "body_md": "Install it, then sign in."}, headers=agent
    )
    assert edited.status_code == 200 and edited.json()["version"] == 2
    stale = await client.patch(url, json={"version": 1, "title": "Old"}, headers=agent)
    assert stale.status_code == 409 and stale.json()["current"]["version"] == 2
    assert (await client.post(f"{url}/publish", headers=agent)).status_code == 403
    published = await client.post(f"{url}/publish", headers=lead)
    assert published.status_code == 201 and published.json()["status"] == "published"
    read = (await client.get(url, headers=alice)).json()
    assert read["body_html"] == "<p>Install it, then sign in.</p>\n" and read["views"] == 1
    listed = await client.get("/api/v1/knowledge/articles", params={"space": "it"}, headers=alice)
    assert [a["id"] for a in listed.json()] == [draft["id"]]
    assert (await client.patch(url, json={"version": 2}, headers=alice)).status_code == 403
    archived = await client.post(f"{url}/archive", headers=lead)
    assert archived.json()["status"] == "archived"
    assert (await client.get(url, headers=alice)).status_code == 404


async def test_sanitised_html_over_the_api(client, h):
    body = "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))"
    draft = await _draft(client, await h("it.agent"), body_md=body)
    html = draft["body_html"]
    assert "<script" not in html and "onerror" not in html and 'href="javascript' not in html
    assert '<img src="x">' in html


async def test_versions_diff_and_restore(client, h):
    agent = await h("it.agent")
    draft = await _draft(client, agent, body_md="one\ntwo\n")
    url = f"/api/v1/knowledge/articles/{draft['id']}"
    await client.patch(url, json={"version": 1, "body_md": "one\n2\n"}, headers=agent)
    versions = (await client.get(f"{url}/versions", headers=agent)).json()
    assert [v["number"] for v in versions] == [2, 1]
    diff = (await client.get(f"{url}/diff", params={"from": 1, "to": 2}, headers=agent)).json()
    assert "-two" in diff["unified"] and "+2" in diff["unified"]
    missing = await client.get(f"{url}/diff", params={"from": 1, "to": 7}, headers=agent)
    assert missing.status_code == 404
    restored = await client.post(f"{url}/restore/1", headers=agent)
    assert restored.status_code == 201 and restored.json()["body_md"] == "one\ntwo\n"
    assert restored.json()["version"] == 3
    assert (await client.get(f"{url}/versions", headers=await h("alice"))).status_code == 404


async def test_search_and_suggestions(client, h):
    agent, lead, alice = await h("it.agent"), await h("it.lead"), await h("alice")
    for title, body in [("Printer jams", "Open the tray."), ("重置密码", "重置密码的步骤")]:
        draft = await _draft(client, agent, title=title, body_md=body)
        await client.post(f"/api/v1/knowledge/articles/{draft['id']}/publish", headers=lead)
    found = await client.get("/api/v1/knowledge/search", params={"q": "printers"}, headers=alice)
    assert [hit["title"] for hit in found.json()] == ["Printer jams"]
    assert found.json()[0]["title_html"] == "<mark>Printer</mark> jams"
    chinese = await client.get("/api/v1/knowledge/search", params={"q": "密码"}, headers=alice)
    assert chinese.json()[0]["snippet_html"] == "重置<mark>密码</mark>的步骤"
    typed = await client.get(
        "/api/v1/knowledge/search",
        params={"q": "my printer is jam", "suggest": "true", "department": "it"},
        headers=alice,
    )
    assert [hit["title"] for hit in typed.json()] == ["Printer jams"]
    hidden = await client.get(
        "/api/v1/knowledge/search", params={"q": "x", "space": "nope"}, headers=alice
    )
    assert hidden.status_code == 404
    too_long = await client.get("/api/v1/knowledge/search", params={"q": "x" * 300}, headers=alice)
    assert too_long.status_code == 422


async def test_votes_deflections_popular_and_report(client, h):
    agent, lead = await h("it.agent"), await h("it.lead")
    alice, bob = await h("alice"), await h("bob")
    draft = await _draft(client, agent)
    url = f"/api/v1/knowledge/articles/{draft['id']}"
    assert (
        await client.post(f"{url}/votes", json={"helpful": True}, headers=alice)
    ).status_code == 404
    await client.post(f"{url}/publish", headers=lead)
    vote = await client.post(f"{url}/votes", json={"helpful": True}, headers=alice)
    assert vote.status_code == 201 and vote.json()["helpful_count"] == 1
    changed = await client.post(
        f"{url}/votes", json={"helpful": False, "comment": "Still stuck"}, headers=alice
    )
    assert (changed.json()["helpful_count"], changed.json()["not_helpful_count"]) == (0, 1)
    await client.post(f"{url}/votes", json={"helpful": True}, headers=bob)
    popular = (await client.get("/api/v1/knowledge/spaces/it/popular", headers=bob)).json()
    assert popular[0]["id"] == draft["id"]
    deflected = await client.post(f"{url}/deflections", json={"query": "VPN  Mac"}, headers=alice)
    assert deflected.status_code == 204
    report = await client.get("/api/v1/knowledge/spaces/it/report", headers=agent)
    assert report.json()["total"] == 1 and report.json()["queries"] == [
        {"query": "vpn mac", "count": 1}
    ]
    assert (
        await client.get("/api/v1/knowledge/spaces/it/report", headers=alice)
    ).status_code == 403
    bad = await client.post(f"{url}/votes", json={"helpful": "maybe"}, headers=alice)
    assert bad.status_code == 400


async def test_a_resolved_ticket_becomes_a_draft(client, h, incident_form):
    alice, agent = await h("alice"), await h("it.agent")
    created = await client.post(
        "/api/v1/tickets",
        json={
            "request_type": "it.incident",
            "title": "Cannot print from my laptop",
            "description": "The printer says offline.",
            "form_data": incident_form(),
        },
        headers=alice,
    )
    key = created.json()["key"]
    early = await client.post(f"/api/v1/tickets/{key}/article", json={}, headers=agent)
    assert early.status_code == 422
    await client.post(
        f"/api/v1/tickets/{key}/comments",
        json={"body": "Re-add the FollowMe queue from the Company Portal."},
        headers=agent,
    )
    applied = await client.post(
        f"/api/v1/tickets/{key}/transitions",
        json={
            "transition": "resolve",
            "fields": {
                "resolution_code": "advice",
                "resolution_note": "Re-added the FollowMe print queue.",
            },
        },
        headers=agent,
    )
    assert applied.status_code == 201, applied.text
    assert (
        await client.post(f"/api/v1/tickets/{key}/article", json={}, headers=alice)
    ).status_code == 403
    made = await client.post(f"/api/v1/tickets/{key}/article", json={}, headers=agent)
    assert made.status_code == 201, made.text
    article = made.json()
    assert article["status"] == "draft" and article["source_ticket"] == key
    assert (
        article["title"] == "Cannot print from my laptop" and "says offline" in article["body_md"]
    )
    assert "FollowMe" in article["body_md"]
    hr_agent = await h("hr.agent")
    assert (
        await client.post(f"/api/v1/tickets/{key}/article", json={}, headers=hr_agent)
    ).status_code == 404
