"""Finding the caller of a request (API token or session) in one statement:
revoked tokens and deactivated people get nothing, a role an admin removes is
gone on the very next request, teams, locale, time zone and admin rights come
through, and a token's use is recorded at most once per few minutes."""

from __future__ import annotations

import datetime as dt

from polydesk.core.people import admin
from polydesk.core.people.services import (
    actor_for_token,
    create_api_token,
    load_actor,
    revoke_api_token,
)
from polydesk.core.people.tables import ApiToken, Person
from polydesk.core.permissions import Actor

PASSWORD = "correct-horse-battery"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def log_in(client, username: str) -> None:
    await client.get("/login")  # sets the CSRF cookie
    response = await client.post(
        "/api/v1/session",
        json={"username": username, "password": PASSWORD},
        headers={"x-csrftoken": client.cookies.get("polydesk_csrf")},
    )
    assert response.status_code == 200


async def deactivate(person: int) -> None:
    await Person.update({Person.active: False}).where(Person.id == person)


async def test_a_token_and_a_session_find_the_same_whole_actor(client, people):
    await people.add(
        "carol",
        roles={"hr": "lead", "it": "agent"},
        teams=[("hr", "case_team"), ("it", "network")],
        admin=True,
        password=PASSWORD,
    )
    carol = people.ids["carol"]
    await Person.update({Person.locale: "pl", Person.timezone: "Europe/Warsaw"}).where(
        Person.id == carol
    )
    expected = Actor(
        person_id=carol,
        username="carol",
        display_name="Carol",
        is_admin=True,
        roles={"hr": "lead", "it": "agent"},
        teams=frozenset({("hr", "case_team"), ("it", "network")}),
        locale="pl",
        timezone="Europe/Warsaw",
    )
    token = await create_api_token(carol, "cron")
    assert await actor_for_token(token) == expected
    assert await load_actor(carol) == expected
    # Someone with no role, no team, no locale: empty, not missing.
    alice = await actor_for_token(await create_api_token(people.ids["alice"], "cron"))
    assert alice == Actor(person_id=people.ids["alice"], username="alice", display_name="Alice")
    assert alice.is_admin is False

    me = (await client.get("/api/v1/me", headers=bearer(token))).json()
    assert me["roles"] == {"hr": "lead", "it": "agent"} and me["is_admin"] is True
    await log_in(client, "carol")
    me = (await client.get("/api/v1/me")).json()
    assert me["username"] == "carol" and me["roles"] == {"hr": "lead", "it": "agent"}


async def test_unknown_and_revoked_tokens_are_refused(client, people):
    token = await create_api_token(people.ids["bob"], "cron")
    assert (await client.get("/api/v1/me", headers=bearer(token))).status_code == 200
    assert (await client.get("/api/v1/me", headers=bearer(token + "x"))).status_code == 401
    assert (await client.get("/api/v1/me", headers=bearer("not-a-token"))).status_code == 401
    token_id = (await ApiToken.select(ApiToken.id).where(ApiToken.name == "cron").first())["id"]
    await revoke_api_token(people.ids["bob"], token_id)
    assert (await client.get("/api/v1/me", headers=bearer(token))).status_code == 401
    assert await actor_for_token(token) is None
    # The person's other tokens still work.
    assert (await client.get("/api/v1/me", headers=await people.headers("bob"))).status_code == 200


async def test_a_deactivated_person_has_no_access_by_token_or_session(client, people):
    await people.add("dave", roles={"it": "agent"}, password=PASSWORD)
    token = await create_api_token(people.ids["dave"], "cron")
    await log_in(client, "dave")
    assert (await client.get("/api/v1/me")).status_code == 200
    assert (await client.get("/api/v1/me", headers=bearer(token))).status_code == 200

    await deactivate(people.ids["dave"])
    assert (await client.get("/api/v1/me", headers=bearer(token))).status_code == 401
    assert (await client.get("/api/v1/me")).status_code == 401
    assert (await client.get("/api/v1/tickets", headers=bearer(token))).status_code == 401
    assert await load_actor(people.ids["dave"]) is None
    assert await actor_for_token(token) is None


async def test_a_removed_role_or_team_is_gone_on_the_next_request(client, people):
    await people.add(
        "erin", roles={"it": "agent", "hr": "agent"}, teams=[("hr", "case_team")], password=PASSWORD
    )
    erin = people.ids["erin"]
    token = await create_api_token(erin, "cron")
    await log_in(client, "erin")
    assert (await client.get("/api/v1/me", headers=bearer(token))).json()["roles"] == {
        "it": "agent",
        "hr": "agent",
    }
    assert (await client.get("/api/v1/me")).json()["roles"] == {"it": "agent", "hr": "agent"}

    await admin.set_access(
        erin,
        roles={"it": None},
        offered_teams=[("hr", "case_team")],
        teams=[],
        is_admin=False,
        changed_by=people.ids["admin"],
    )
    assert (await client.get("/api/v1/me", headers=bearer(token))).json()["roles"] == {
        "hr": "agent"
    }
    assert (await client.get("/api/v1/me")).json()["roles"] == {"hr": "agent"}
    actor = await actor_for_token(token)
    assert actor is not None and actor.roles == {"hr": "agent"} and actor.teams == frozenset()


async def test_token_use_is_recorded_once_per_few_minutes_through_the_api(client, people):
    token = await create_api_token(people.ids["alice"], "cron")

    async def last_used() -> dt.datetime | None:
        row = await ApiToken.select(ApiToken.last_used_at).where(ApiToken.name == "cron").first()
        return row["last_used_at"]

    assert await last_used() is None
    assert (await client.get("/api/v1/me", headers=bearer(token))).status_code == 200
    first = await last_used()
    assert first is not None
    assert (await client.get("/api/v1/me", headers=bearer(token))).status_code == 200
    assert await last_used() == first  # a burst writes once

    old = first - dt.timedelta(hours=1)
    await ApiToken.update({ApiToken.last_used_at: old}).where(ApiToken.name == "cron")
    assert (await client.get("/api/v1/me", headers=bearer(token))).status_code == 200
    assert await last_used() > first  # an hour-old use is renewed

    recent = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    await ApiToken.update({ApiToken.last_used_at: recent}).where(ApiToken.name == "cron")
    assert (await client.get("/api/v1/me", headers=bearer(token))).status_code == 200
    assert abs(await last_used() - recent) < dt.timedelta(seconds=1)  # a minute-old one is not
