"""Stress on the server's reused SQLite connections (issue 8).

Once, with the pool on, a browser test saw a logged-in requester's next page
find no session. The suspect was a pooled connection handed back while it still
held a read snapshot (an unfinished statement, an implicit BEGIN, a failed
statement), so that its next user would not see a session another connection
had just committed. These tests run the app and the pool on the test's own event
loop, as `polydesk serve` does, and check read-after-commit under load: many
logins with their pages at once, and a mix of commits, rollbacks, constraint
errors (caught and not) and cancelled tasks.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import sqlite3

import aiosqlite
import httpx
import pytest
from litestar import Litestar

from polydesk.core.db import is_postgres_engine, transaction
from polydesk.core.people.tables import Person, WebSession
from polydesk.core.sqlite_pool import PooledSQLiteEngine
from polydesk.web.session_store import DatabaseSessionStore

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        is_postgres_engine(), reason="SQLite's connection reuse; PostgreSQL has asyncpg's pool"
    ),
]

PASSWORD = "correct-horse-battery"


def _idle_connections_see(engine: PooledSQLiteEngine, key: str) -> list[bool]:
    """Whether each idle pooled connection sees session `key` (and holds no transaction)."""

    async def sees(connection: aiosqlite.Connection) -> bool:
        assert not connection.in_transaction
        rows = await connection.execute_fetchall("SELECT 1 FROM web_session WHERE key = ?", [key])
        return bool(rows)

    return [sees(c) for c in list(engine._idle or [])]  # type: ignore[misc]


async def _journey(app: Litestar, username: str, body: dict, misses: list[str]) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as browser:
        await browser.get("/login")
        headers = {"x-csrftoken": browser.cookies.get("polydesk_csrf") or ""}
        login = await browser.post(
            "/api/v1/session", json={"username": username, "password": PASSWORD}, headers=headers
        )
        assert login.status_code == 200, login.text
        for _ in range(2):
            # The next page and what it loads at once, with a write among them.
            pages = await asyncio.gather(
                browser.get("/api/v1/me"),
                browser.get("/requests"),
                browser.post("/api/v1/tickets", json=body, headers=headers),
                browser.get("/api/v1/me"),
            )
            for page in pages:
                if page.status_code in (401, 303):
                    misses.append(f"{username} {page.request.url.path} {page.status_code}")
        if username.endswith(("1", "3", "5")):
            assert (await browser.delete("/api/v1/session", headers=headers)).status_code == 204


async def test_every_page_right_after_a_login_sees_its_session(
    pooled: PooledSQLiteEngine, app: Litestar, people, incident_form
) -> None:
    users = [f"user{n}" for n in range(6)]
    for username in users:
        await people.add(username, password=PASSWORD)
    body = {"request_type": "it.incident", "title": "Pooled", "form_data": incident_form()}
    misses: list[str] = []
    for _round in range(3):
        await asyncio.gather(*(_journey(app, u, body, misses) for u in users))
    assert misses == []
    assert pooled._idle, "the requests ran on pooled connections"


async def test_read_after_commit_holds_through_errors_rollbacks_and_cancellations(
    pooled: PooledSQLiteEngine,
) -> None:
    store = DatabaseSessionStore()
    rng = random.Random(8)
    misses: list[str] = []

    async def log_in(n: int) -> None:  # the session row, then the next page reading it
        await store.set(f"s{n}", b"{}", expires_in=3600)
        if await store.get(f"s{n}") is None:
            misses.append(f"s{n}")

    async def failed_request(n: int) -> None:
        with pytest.raises(RuntimeError):
            async with transaction():
                await Person.insert(Person(username=f"f{n}", display_name="f"))
                await Person.select().where(Person.username == f"f{n}")
                raise RuntimeError("the request failed half-way")

    async def caught_constraint_error(n: int) -> None:
        async with transaction():
            await Person.insert(Person(username=f"c{n}", display_name="c"))
            with contextlib.suppress(sqlite3.IntegrityError):  # a clash the request handles
                await Person.insert(Person(username=f"c{n}", display_name="c"))
            await Person.count()

    async def constraint_error(n: int) -> None:
        with contextlib.suppress(sqlite3.IntegrityError):  # the second and later ones clash
            await Person.insert(Person(username="taken", display_name="t"))

    async def reads_and_deletes(n: int) -> None:
        await Person.select().limit(5)
        await WebSession.delete().where(WebSession.key == f"gone{n}").returning(WebSession.id)

    kinds = [log_in, failed_request, caught_constraint_error, constraint_error, reads_and_deletes]
    n = 0
    for round_ in range(80):
        tasks = []
        for _ in range(10):
            n += 1
            tasks.append(asyncio.create_task(rng.choice(kinds)(n)))
        # Some are cancelled on the way, as Litestar cancels a request's other
        # dependencies when one raises.
        await asyncio.sleep(rng.choice([0, 0, 0.001, 0.003]))
        for task in rng.sample(tasks, 2):
            task.cancel()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=20)
        probe = f"probe{round_}"
        await asyncio.wait_for(store.set(probe, b"{}", expires_in=3600), timeout=20)
        seen = await asyncio.gather(*_idle_connections_see(pooled, probe))
        assert all(seen), f"an idle connection did not see {probe}"
    assert misses == []
