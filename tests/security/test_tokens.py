"""API tokens: shown once, stored hashed, listed and revoked by their owner
(API and web) and by admins (API and the person page), never by anyone else;
creation and revocation are audited."""

from __future__ import annotations

import hashlib

import pytest
from bs4 import BeautifulSoup

from polydesk.core.audit.tables import AuditEvent
from polydesk.core.people.tables import ApiToken

PASSWORD = "correct-horse-battery"


def _csrf(client) -> str:
    return client.cookies.get("polydesk_csrf")


async def web_login(client, username: str) -> None:
    await client.get("/login")
    response = await client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "_csrf_token": _csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303


async def post(client, url: str, data: dict | None = None):
    return await client.post(
        url, data={**(data or {}), "_csrf_token": _csrf(client)}, follow_redirects=False
    )


async def audit_actions() -> list[tuple[str, str, str]]:
    rows = await AuditEvent.select(
        AuditEvent.action, AuditEvent.actor_name, AuditEvent.target
    ).order_by(AuditEvent.id)
    return [(r["action"], r["actor_name"], r["target"]) for r in rows]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_owner_creates_lists_and_revokes_through_the_api(client, people):
    alice = await people.headers("alice")
    created = await client.post("/api/v1/me/tokens", json={"name": "cron"}, headers=alice)
    assert created.status_code == 201
    token = created.json()
    assert token["token"].startswith("pd_") and token["name"] == "cron"
    stored = await ApiToken.select(ApiToken.token_hash).where(ApiToken.id == token["id"]).first()
    assert stored["token_hash"] == hashlib.sha256(token["token"].encode()).hexdigest()

    listed = (await client.get("/api/v1/me/tokens", headers=bearer(token["token"]))).json()
    assert [t["name"] for t in listed] == ["cron", "tests"]
    assert all("token" not in t and "token_hash" not in t for t in listed)
    assert listed[0]["revoked_at"] is None and listed[0]["last_used_at"] is not None

    revoked = await client.delete(f"/api/v1/me/tokens/{token['id']}", headers=alice)
    assert revoked.status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(token["token"]))).status_code == 401
    listed = (await client.get("/api/v1/me/tokens", headers=alice)).json()
    assert listed[0]["revoked_at"] is not None
    assert (
        await client.delete(f"/api/v1/me/tokens/{token['id']}", headers=alice)
    ).status_code == 404
    assert await audit_actions() == [
        ("token.created", "alice", "person:alice"),
        ("token.revoked", "alice", "person:alice"),
    ]


async def test_nobody_revokes_or_sees_another_persons_token(client, people):
    alice = await people.headers("alice")
    bob = await people.headers("bob")
    token = (await client.post("/api/v1/me/tokens", json={"name": "x"}, headers=alice)).json()
    before = await audit_actions()
    assert (await client.delete(f"/api/v1/me/tokens/{token['id']}", headers=bob)).status_code == 404
    assert "x" not in [
        t["name"] for t in (await client.get("/api/v1/me/tokens", headers=bob)).json()
    ]
    assert (await client.get("/api/v1/me", headers=bearer(token["token"]))).status_code == 200
    assert await audit_actions() == before


async def test_a_token_cannot_be_made_for_someone_else_or_with_a_huge_name(client, people):
    alice = await people.headers("alice")
    extra = await client.post(
        "/api/v1/me/tokens", json={"name": "x", "person": people.ids["admin"]}, headers=alice
    )
    assert extra.status_code == 400
    long = await client.post("/api/v1/me/tokens", json={"name": "n" * 101}, headers=alice)
    assert long.status_code == 422 and long.json()["errors"][0]["field"] == "name"
    assert await ApiToken.count().where(ApiToken.person == people.ids["admin"]) == 0
    assert await ApiToken.count().where(ApiToken.person == people.ids["alice"]) == 1  # "tests"


async def test_admins_list_and_revoke_a_persons_tokens_through_the_api(client, people):
    alice = await people.headers("alice")
    token = (await client.post("/api/v1/me/tokens", json={"name": "laptop"}, headers=alice)).json()
    admin = await people.headers("admin")
    listed = await client.get("/api/v1/admin/people/alice/tokens", headers=admin)
    assert [t["name"] for t in listed.json()] == ["laptop", "tests"]
    url = f"/api/v1/admin/people/alice/tokens/{token['id']}"
    assert (await client.delete(url, headers=admin)).status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(token["token"]))).status_code == 401
    assert (await audit_actions())[-1] == ("token.revoked", "admin", "person:alice")
    assert (
        await client.get("/api/v1/admin/people/nobody/tokens", headers=admin)
    ).status_code == 404


@pytest.mark.parametrize("username", ["bob", "it.agent", "it.lead"])
async def test_only_admins_reach_other_peoples_tokens(client, people, username):
    alice = await people.headers("alice")
    token = (await client.post("/api/v1/me/tokens", json={"name": "x"}, headers=alice)).json()
    headers = await people.headers(username)
    assert (
        await client.get("/api/v1/admin/people/alice/tokens", headers=headers)
    ).status_code == 404
    assert (
        await client.delete(f"/api/v1/admin/people/alice/tokens/{token['id']}", headers=headers)
    ).status_code == 404
    assert (await client.get("/api/v1/me", headers=bearer(token["token"]))).status_code == 200


async def test_owner_manages_tokens_on_the_web_and_sees_a_new_one_once(client, people):
    await people.add("carol", password=PASSWORD)
    await web_login(client, "carol")
    page = await client.get("/me/tokens")
    assert page.status_code == 200 and "You have no tokens" in page.text

    created = await post(client, "/me/tokens", {"name": "backup script"})
    assert created.status_code == 201
    token = BeautifulSoup(created.text, "html.parser").find(id="new-token")["value"]
    assert token.startswith("pd_")
    assert (await client.get("/api/v1/me", headers=bearer(token))).json()["username"] == "carol"
    again = await client.get("/me/tokens")
    assert "backup script" in again.text and token not in again.text

    row = await ApiToken.select(ApiToken.id).where(ApiToken.name == "backup script").first()
    revoked = await post(client, f"/me/tokens/{row['id']}/revoke")
    assert revoked.status_code == 303 and revoked.headers["location"] == "/me/tokens?done=revoked"
    assert "revoked" in (await client.get("/me/tokens?done=revoked")).text
    assert (await client.get("/api/v1/me", headers=bearer(token))).status_code == 401

    too_long = await post(client, "/me/tokens", {"name": "n" * 101})
    assert too_long.status_code == 422 and "at most 100" in too_long.text.lower()
    assert await ApiToken.count().where(ApiToken.person == people.ids["carol"]) == 1
    assert [a for a, _, _ in await audit_actions()] == ["token.created", "token.revoked"]


async def test_the_web_refuses_to_revoke_another_persons_token(client, people):
    await people.add("carol", password=PASSWORD)
    alice = await people.headers("alice")
    token = (await client.post("/api/v1/me/tokens", json={"name": "x"}, headers=alice)).json()
    await web_login(client, "carol")
    assert (await post(client, f"/me/tokens/{token['id']}/revoke")).status_code == 404
    assert (await client.get("/api/v1/me", headers=bearer(token["token"]))).status_code == 200


async def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = await client.get("/me/tokens", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_admins_revoke_from_the_person_page(client, people):
    await people.add("root", admin=True, password=PASSWORD)
    alice = await people.headers("alice")
    token = (await client.post("/api/v1/me/tokens", json={"name": "laptop"}, headers=alice)).json()
    await web_login(client, "root")
    url = f"/admin/people/{people.ids['alice']}"
    person_page = BeautifulSoup((await client.get(url)).text, "html.parser")
    row = person_page.find(id=f"token-{token['id']}")
    assert row is not None and "laptop" in row.get_text()
    assert token["token"] not in str(person_page)
    form = row.find("form")
    revoked = await post(client, form["action"])
    assert revoked.status_code == 303
    assert (await client.get("/api/v1/me", headers=bearer(token["token"]))).status_code == 401
    assert (await audit_actions())[-1] == ("token.revoked", "root", "person:alice")
