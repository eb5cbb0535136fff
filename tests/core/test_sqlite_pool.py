"""Reused SQLite connections (the web server's pool on SQLite).

The server starts the pool at start-up when POLYDESK_DB_POOL is on; these tests
start it on the test's own loop and check that what a user relies on still
holds: writes outside a transaction are committed, a failed statement or a
rolled-back transaction leaves nothing behind and does not poison later
requests, readers see committed data only, and the connections are reused
rather than opened per query.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest

from polydesk.core.db import is_postgres_engine, transaction
from polydesk.core.people.tables import Person
from polydesk.core.sqlite_pool import POOL_SIZE, PooledSQLiteEngine

pytestmark = pytest.mark.skipif(
    is_postgres_engine(), reason="SQLite's connection reuse; PostgreSQL has asyncpg's pool"
)


def _usernames(engine: PooledSQLiteEngine) -> list[str]:
    """What another process (a second worker) sees: a connection of its own."""
    conn = sqlite3.connect(engine.path)
    try:
        return [r[0] for r in conn.execute("SELECT username FROM person ORDER BY username")]
    finally:
        conn.close()


async def _add(username: str) -> None:
    await Person.insert(Person(username=username, display_name=username))


async def test_writes_outside_a_transaction_are_committed(pooled: PooledSQLiteEngine) -> None:
    await _add("ada")
    assert _usernames(pooled) == ["ada"]
    rows = await Person.select(Person.username, Person.display_name)
    assert rows == [{"username": "ada", "display_name": "ada"}]


async def test_connections_are_reused_not_opened_per_query(pooled: PooledSQLiteEngine) -> None:
    await _add("ada")
    threads = threading.active_count()
    for _ in range(50):
        assert await Person.count() == 1
    # aiosqlite runs a thread per open connection: none were left behind, and
    # the one connection went back to the pool each time.
    assert threading.active_count() <= threads
    assert len(pooled._idle or []) == 1


async def test_a_failed_statement_changes_nothing_and_later_queries_work(
    pooled: PooledSQLiteEngine,
) -> None:
    await _add("ada")
    with pytest.raises(sqlite3.IntegrityError):
        await _add("ada")  # username is unique
    assert _usernames(pooled) == ["ada"]
    await _add("bob")
    assert _usernames(pooled) == ["ada", "bob"]


async def test_a_rolled_back_transaction_leaves_nothing_and_its_connection_clean(
    pooled: PooledSQLiteEngine,
) -> None:
    with pytest.raises(RuntimeError):
        async with transaction():
            await _add("ada")
            raise RuntimeError("the request failed half-way")
    assert _usernames(pooled) == []
    assert all(not c.in_transaction for c in pooled._idle or [])
    async with transaction():
        await _add("bob")
    assert _usernames(pooled) == ["bob"]


async def test_readers_see_committed_data_only(pooled: PooledSQLiteEngine) -> None:
    await _add("ada")
    inside = asyncio.Event()
    release = asyncio.Event()

    async def writer() -> None:
        async with transaction():
            await _add("bob")
            inside.set()
            await release.wait()

    task = asyncio.create_task(writer())
    await inside.wait()
    # Another request, meanwhile, on another pooled connection.
    assert await Person.count() == 1
    release.set()
    await task
    assert await Person.count() == 2


async def test_concurrent_requests_beyond_the_pool_size_all_succeed(
    pooled: PooledSQLiteEngine,
) -> None:
    await _add("ada")
    counts = await asyncio.gather(*(Person.count() for _ in range(POOL_SIZE * 3)))
    assert counts == [1] * (POOL_SIZE * 3)
    assert len(pooled._idle or []) <= POOL_SIZE


async def test_without_a_started_pool_every_query_still_works(db: None) -> None:
    engine = Person._meta.db
    assert isinstance(engine, PooledSQLiteEngine) and engine._idle is None
    await _add("ada")
    async with transaction():
        await _add("bob")
    assert await Person.count() == 2


async def test_write_transactions_take_turns_and_a_failed_one_gives_its_turn_back(
    pooled: PooledSQLiteEngine,
) -> None:
    async def write(n: int) -> None:
        async with transaction():
            await _add(f"user{n}")
            await asyncio.sleep(0)  # let the others queue meanwhile

    await asyncio.gather(*(write(n) for n in range(12)))
    assert len(_usernames(pooled)) == 12
    with pytest.raises(sqlite3.IntegrityError):
        async with transaction():
            await _add("user1")  # taken: the transaction fails and rolls back
    # The turn came back: the next writer neither waits nor fails.
    await asyncio.wait_for(write(99), timeout=5)
    assert "user99" in _usernames(pooled)


async def test_a_transaction_cancelled_while_it_begins_leaves_sqlite_unlocked(
    pooled: PooledSQLiteEngine,
) -> None:
    """Litestar cancels a request's other dependencies when one of them raises. A
    transaction cancelled while its BEGIN IMMEDIATE was on the way abandoned its
    connection unclosed, holding SQLite's write lock until garbage collection
    closed it: under load every writer waited out the 30 s busy timeout and
    failed with "database is locked"."""
    await _add("ada")  # leaves one idle connection, so the next BEGIN does not wait to connect

    async def write() -> None:
        async with transaction():
            await _add("bob")

    task = asyncio.create_task(write())
    await asyncio.sleep(0)  # the task now waits for its BEGIN IMMEDIATE
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.wait_for(_add("carol"), timeout=5)
    async with transaction():
        await _add("dave")
    assert _usernames(pooled) == ["ada", "carol", "dave"]


def test_the_server_reuses_sqlite_connections_unless_told_not_to() -> None:
    from polydesk.core.settings import Settings

    assert Settings.from_env({}).sqlite_pool is True
    for off in ("0", "false", "no"):
        assert Settings.from_env({"POLYDESK_SQLITE_POOL": off}).sqlite_pool is False
    assert Settings.from_env({"POLYDESK_SQLITE_POOL": "1"}).sqlite_pool is True
