"""Failed-login throttling through the real login routes, on a clock the test
moves: a username is locked after 5 failures in 15 minutes (right password
refused too) for 15 minutes, one client address is stopped after too many
failures across usernames, the words never tell whether a username exists, and
admins unlock from the person page."""

from __future__ import annotations

import dataclasses
import datetime as dt

import httpx
import pytest

from polydesk.core.audit.tables import AuditEvent
from polydesk.core.people.tables import LoginFailure, LoginLock
from polydesk.core.runtime import Runtime

PASSWORD = "correct-horse-battery"
WRONG = "Wrong username or password."
LOCKED = "Too many failed logins. Try again in 15 minutes."


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def move(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(runtime: Runtime) -> Clock:
    clock = Clock()
    runtime.clock = clock
    return clock


def _csrf(client) -> str:
    return client.cookies.get("polydesk_csrf")


async def form_login(client, username: str, password: str):
    if not _csrf(client):
        await client.get("/login")
    return await client.post(
        "/login",
        data={"username": username, "password": password, "_csrf_token": _csrf(client)},
        follow_redirects=False,
    )


async def api_login(client, username: str, password: str):
    if not _csrf(client):
        await client.get("/login")
    return await client.post(
        "/api/v1/session",
        json={"username": username, "password": password},
        headers={"x-csrftoken": _csrf(client)},
    )


async def test_five_failures_lock_the_username_even_for_the_right_password(client, people, clock):
    await people.add("carol", password=PASSWORD)
    for _ in range(4):
        wrong = await form_login(client, "carol", "guess")
        assert wrong.status_code == 401 and WRONG in wrong.text
        clock.move(minutes=2)
    fifth = await form_login(client, "carol", "guess")
    assert fifth.status_code == 429 and LOCKED in fifth.text
    assert 'name="username"' in fifth.text  # the login page, with the message on it

    clock.move(minutes=14)
    right = await form_login(client, "carol", PASSWORD)
    assert right.status_code == 429 and LOCKED.replace("15 minutes", "1 minute") in right.text
    assert right.headers["retry-after"] == "60"
    assert (await client.get("/api/v1/me")).status_code == 401

    clock.move(minutes=1, seconds=1)
    assert (await form_login(client, "carol", PASSWORD)).status_code == 303
    assert (await client.get("/api/v1/me")).json()["username"] == "carol"


async def test_refused_attempts_during_a_lock_do_not_prolong_it(client, people, clock):
    await people.add("carol", password=PASSWORD)
    for _ in range(5):
        await form_login(client, "carol", "guess")
    for _ in range(10):
        clock.move(minutes=1)
        assert (await form_login(client, "carol", "guess")).status_code == 429
    clock.move(minutes=5, seconds=1)
    assert (await form_login(client, "carol", PASSWORD)).status_code == 303


async def test_the_api_answers_429_with_retry_after(client, people, clock):
    await people.add("carol", password=PASSWORD)
    for _ in range(4):
        assert (await api_login(client, "carol", "guess")).status_code == 401
    locked = await api_login(client, "carol", "guess")
    assert locked.status_code == 429
    assert locked.headers["retry-after"] == "900"
    assert locked.json()["detail"] == LOCKED
    clock.move(minutes=5)
    right = await api_login(client, "carol", PASSWORD)
    assert right.status_code == 429 and right.headers["retry-after"] == "600"
    assert "Try again in 10 minutes" in right.json()["detail"]


async def test_an_unknown_username_gets_exactly_the_same_answers(client, people, clock):
    await people.add("carol", password=PASSWORD)
    known = [await api_login(client, "carol", "guess") for _ in range(6)]
    unknown = [await api_login(client, "nobody-here", "guess") for _ in range(6)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert [r.json() for r in known] == [r.json() for r in unknown]
    assert [r.headers.get("retry-after") for r in known] == [
        r.headers.get("retry-after") for r in unknown
    ]


async def test_failures_outside_the_window_do_not_count(client, people, clock):
    await people.add("carol", password=PASSWORD)
    for _ in range(4):
        await form_login(client, "carol", "guess")
    clock.move(minutes=15, seconds=1)
    for _ in range(4):
        assert (await form_login(client, "carol", "guess")).status_code == 401
    assert await LoginLock.count() == 0


async def test_a_successful_login_forgets_the_failures(client, people, clock):
    await people.add("carol", password=PASSWORD)
    for _ in range(4):
        await form_login(client, "carol", "guess")
    assert (await form_login(client, "carol", PASSWORD)).status_code == 303
    for _ in range(4):
        assert (await form_login(client, "carol", "guess")).status_code == 401
    assert await LoginFailure.count().where(LoginFailure.username == "carol") == 4


async def test_one_address_spraying_many_usernames_is_stopped(runtime, client, people, clock):
    """Password spraying: one guess for each of many usernames, all from one address.
    The limit is lowered to 6 here to keep argon2's cost down; the default is 30."""
    runtime.settings = dataclasses.replace(runtime.settings, login_max_failures_per_address=6)
    await people.add("carol", password=PASSWORD)
    for n in range(5):
        assert (await api_login(client, f"user{n}", "Summer2026!")).status_code == 401
    sixth = await api_login(client, "user5", "Summer2026!")
    assert sixth.status_code == 429 and "Try again in 15 minutes" in sixth.json()["detail"]
    # Even a right password is refused from this address now ...
    assert (await api_login(client, "carol", PASSWORD)).status_code == 429
    # ... but not from another one, and carol herself is not locked.
    other = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=client.app, client=("192.0.2.7", 40000)),
        base_url="http://testserver.local",
    )
    async with other:
        assert (await api_login(other, "carol", PASSWORD)).status_code == 200
    # The address may try again once its oldest failure leaves the window.
    clock.move(minutes=15, seconds=1)
    assert (await api_login(client, "carol", PASSWORD)).status_code == 200


async def test_the_lock_is_audited_and_an_admin_unlocks_from_the_person_page(client, people, clock):
    await people.add("carol", password=PASSWORD)
    await people.add("root", admin=True, password=PASSWORD)
    for _ in range(5):
        await form_login(client, "carol", "guess")
    locked = await AuditEvent.select().where(AuditEvent.action == "login.locked")
    assert len(locked) == 1
    assert locked[0]["actor_name"] == "system" and locked[0]["target"] == "username:carol"
    assert locked[0]["client_address"] == "testclient"

    admin = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=client.app, client=("192.0.2.1", 1)),
        base_url="http://testserver.local",
    )
    async with admin:
        assert (await form_login(admin, "root", PASSWORD)).status_code == 303
        url = f"/admin/people/{people.ids['carol']}"
        person_page = await admin.get(url)
        assert "Locked after failed logins" in person_page.text
        unlocked = await admin.post(
            f"{url}/unlock", data={"_csrf_token": _csrf(admin)}, follow_redirects=False
        )
        assert unlocked.status_code == 303
        assert "Locked after failed logins" not in (await admin.get(url)).text

    assert (await form_login(client, "carol", PASSWORD)).status_code == 303
    events = await AuditEvent.select().where(AuditEvent.action == "person.unlocked")
    assert [(e["actor_name"], e["target"], e["client_address"]) for e in events] == [
        ("root", "person:carol", "192.0.2.1")
    ]


async def test_an_agent_cannot_unlock(client, people, clock):
    await people.add("carol", password=PASSWORD)
    await people.add("agent.smith", roles={"it": "agent"}, password=PASSWORD)
    for _ in range(5):
        await form_login(client, "carol", "guess")
    assert (await form_login(client, "agent.smith", PASSWORD)).status_code == 303
    refused = await client.post(
        f"/admin/people/{people.ids['carol']}/unlock",
        data={"_csrf_token": _csrf(client)},
        follow_redirects=False,
    )
    assert refused.status_code == 404
    assert await LoginLock.count() == 1
    assert not await AuditEvent.exists().where(AuditEvent.action == "person.unlocked")


def test_limits_come_from_the_environment():
    from polydesk.core.people.throttle import LoginLimits
    from polydesk.core.settings import Settings

    defaults = LoginLimits.from_settings(Settings.from_env({}))
    assert (defaults.max_failures, defaults.max_failures_per_address) == (5, 30)
    assert defaults.window == defaults.lock == dt.timedelta(minutes=15)
    custom = LoginLimits.from_settings(
        Settings.from_env(
            {
                "POLYDESK_LOGIN_MAX_FAILURES": "3",
                "POLYDESK_LOGIN_MAX_FAILURES_PER_ADDRESS": "100",
                "POLYDESK_LOGIN_WINDOW_MINUTES": "10",
                "POLYDESK_LOGIN_LOCK_MINUTES": "60",
            }
        )
    )
    assert (custom.max_failures, custom.max_failures_per_address) == (3, 100)
    assert (custom.window, custom.lock) == (dt.timedelta(minutes=10), dt.timedelta(hours=1))
