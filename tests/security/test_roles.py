"""Nobody below global admin raises a role: agents, leads and department admins
posting to the admin console's people routes (their own or anyone's) get 404,
and the API has no door for it either; nothing changes and nothing is audited."""

from __future__ import annotations

import pytest

from polydesk.core.audit.tables import AuditEvent
from polydesk.core.people.tables import Membership, Person, TeamMembership

PASSWORD = "correct-horse-battery"


def _csrf(client) -> str:
    return client.cookies.get("polydesk_csrf")


async def _access_rows() -> list:
    people = await Person.select(Person.username, Person.is_admin).order_by(Person.id)
    roles = await Membership.select(
        Membership.person, Membership.department, Membership.role
    ).order_by(Membership.id)
    teams = await TeamMembership.select(
        TeamMembership.person, TeamMembership.department, TeamMembership.team
    ).order_by(TeamMembership.id)
    return [people, roles, teams]


@pytest.mark.parametrize(
    "roles", [{"it": "agent"}, {"it": "lead"}, {"it": "admin"}], ids=["agent", "lead", "dept-admin"]
)
async def test_an_agent_or_lead_cannot_raise_a_role_on_the_web(client, people, roles):
    await people.add("climber", roles=roles, password=PASSWORD)
    await client.get("/login")
    await client.post(
        "/login",
        data={"username": "climber", "password": PASSWORD, "_csrf_token": _csrf(client)},
    )
    assert (await client.get("/api/v1/me")).json()["username"] == "climber"
    before = await _access_rows()
    grab = [
        ("is_admin", "on"),
        ("role.it", "admin"),
        ("role.hr", "lead"),
        ("team", "hr:case_team"),
        ("_csrf_token", _csrf(client)),
    ]
    body: dict[str, list[str]] = {}
    for name, value in grab:
        body.setdefault(name, []).append(value)
    for target in ("climber", "alice"):
        response = await client.post(
            f"/admin/people/{people.ids[target]}/access", data=body, follow_redirects=False
        )
        assert response.status_code == 404, target
    created = await client.post(
        "/admin/people",
        data={
            "username": "sock.puppet",
            "display_name": "Sock",
            "password": "long-enough-1",
            "is_admin": "on",
            "_csrf_token": _csrf(client),
        },
        follow_redirects=False,
    )
    assert created.status_code == 404
    reset = await client.post(
        f"/admin/people/{people.ids['admin']}/password",
        data={"password": "taken-over-1", "_csrf_token": _csrf(client)},
        follow_redirects=False,
    )
    assert reset.status_code == 404
    assert await _access_rows() == before
    assert await AuditEvent.count() == 0
    me = (await client.get("/api/v1/me")).json()
    assert me["is_admin"] is False and me["roles"] == roles


@pytest.mark.parametrize("username", ["it.agent", "it.lead"])
async def test_the_api_offers_no_way_to_raise_a_role(client, people, username):
    headers = await people.headers(username)
    before = await _access_rows()
    attempts = [
        await client.patch("/api/v1/me", json={"is_admin": True}, headers=headers),
        await client.put("/api/v1/me", json={"roles": {"it": "admin"}}, headers=headers),
        await client.get("/api/v1/admin/audit", headers=headers),
        await client.get("/api/v1/admin/people/admin/tokens", headers=headers),
        await client.post("/api/v1/plugins/it/disable", headers=headers),
        await client.put("/api/v1/plugins/it/settings", json={"cab": [username]}, headers=headers),
    ]
    assert [r.status_code for r in attempts] == [405, 405, 404, 404, 403, 403]
    assert await _access_rows() == before
    assert await AuditEvent.count() == 0


async def test_logging_in_with_extra_fields_is_refused(client, people):
    await people.add("carol", password=PASSWORD)
    await client.get("/login")
    response = await client.post(
        "/api/v1/session",
        json={"username": "carol", "password": PASSWORD, "is_admin": True},
        headers={"x-csrftoken": _csrf(client)},
    )
    assert response.status_code == 400
    assert (await client.get("/api/v1/me")).status_code == 401
