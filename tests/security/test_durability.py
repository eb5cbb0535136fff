"""Nothing acknowledged is lost, nothing half-written is kept.

- SQLite runs with durable settings on every connection the app opens;
- a fault in the middle of a ticket creation, transition or reply leaves no
  part of it (one transaction each), on SQLite and PostgreSQL;
- a server killed with SIGKILL in the middle of a burst of creations comes
  back with every acknowledged ticket whole, and no half-written one.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from polydesk.core.db import is_postgres_engine, transaction
from polydesk.core.outbox.tables import OutboxMessage
from polydesk.core.sla.tables import SLAClock
from polydesk.core.tickets.tables import DepartmentCounter, Ticket, TimelineEvent

POLYDESK = str(Path(sys.executable).with_name("polydesk"))


# -- SQLite settings -----------------------------------------------------------


async def _pragma(name: str) -> object:
    rows = await Ticket.raw(f"PRAGMA {name}")
    return next(iter(rows[0].values()))


async def test_sqlite_connections_are_durable(db):
    """Read through the app's own engine: a fresh connection per query, and the
    connection of a write transaction."""
    if is_postgres_engine():
        pytest.skip("SQLite settings")
    expected = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 30000}
    assert {name: await _pragma(name) for name in expected} == expected
    async with transaction():
        assert {name: await _pragma(name) for name in expected} == expected


# -- one transaction per change ------------------------------------------------


@contextlib.asynccontextmanager
async def fault_on_insert(table: str) -> AsyncIterator[None]:
    """A real database error on the next insert into `table` (a trigger), as a
    full disk or a killed connection would raise half-way through a change."""
    name = f"polydesk_test_fault_{table}"
    if is_postgres_engine():
        await Ticket.raw(
            "CREATE OR REPLACE FUNCTION polydesk_test_fault() RETURNS trigger AS "
            "$$ BEGIN RAISE EXCEPTION 'injected fault'; END $$ LANGUAGE plpgsql"
        )
        await Ticket.raw(
            f"CREATE TRIGGER {name} BEFORE INSERT ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION polydesk_test_fault()"
        )
    else:
        await Ticket.raw(
            f"CREATE TRIGGER {name} BEFORE INSERT ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
        )
    try:
        yield
    finally:
        await Ticket.raw(f"DROP TRIGGER {name}" + (f" ON {table}" if is_postgres_engine() else ""))


async def _snapshot() -> dict[str, object]:
    return {
        "tickets": await Ticket.select().order_by(Ticket.id),
        "timeline": await TimelineEvent.count(),
        "outbox": await OutboxMessage.count(),
        "clocks": await SLAClock.select().order_by(SLAClock.id),
        "counter": await DepartmentCounter.select().order_by(DepartmentCounter.department),
    }


async def _create(client, headers, incident_form, title="VPN is down"):
    return await client.post(
        "/api/v1/tickets",
        json={"request_type": "it.incident", "title": title, "form_data": incident_form()},
        headers=headers,
    )


async def test_a_fault_during_creation_leaves_no_part_of_the_ticket(client, people, incident_form):
    alice = await people.headers("alice")
    assert (await _create(client, alice, incident_form)).status_code == 201
    before = await _snapshot()
    # The clocks are the last rows a creation writes: ticket, timeline and
    # outbox rows exist by then, and must go with it.
    async with fault_on_insert("sla_clock"):
        failed = await _create(client, alice, incident_form, title="Half a ticket")
    assert failed.status_code == 500
    assert await _snapshot() == before
    # The department's counter was not advanced either: the next key is IT-2.
    after = await _create(client, alice, incident_form, title="Whole ticket")
    assert after.json()["key"] == "IT-2"


async def test_a_fault_during_a_transition_or_reply_changes_nothing(client, people, incident_form):
    alice, agent = await people.headers("alice"), await people.headers("it.agent")
    assert (await _create(client, alice, incident_form)).status_code == 201
    before = await _snapshot()
    async with fault_on_insert("outbox_message"):
        moved = await client.post(
            "/api/v1/tickets/IT-1/transitions",
            json={"transition": "start", "version": 1},
            headers=agent,
        )
        replied = await client.post(
            "/api/v1/tickets/IT-1/comments", json={"body": "On it"}, headers=agent
        )
    assert moved.status_code == replied.status_code == 500
    assert await _snapshot() == before
    ticket = (await client.get("/api/v1/tickets/IT-1", headers=agent)).json()
    assert ticket["state"] == "new" and ticket["version"] == 1
    assert ticket["first_response_at"] is None


# -- SIGKILL in the middle of a burst -------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for a `polydesk` subprocess with a database of its own: a
    SQLite file in a temporary data directory, or, when the tests run on
    PostgreSQL, a separate database next to the test database (created and
    dropped here, so the session's schema is left alone)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PICCOLO_CONF")}
    env.update(POLYDESK_DATA_DIR=str(tmp_path / "data"), POLYDESK_DB_POOL="1")
    test_url = os.environ.get("POLYDESK_TEST_DATABASE_URL")
    if not test_url:
        yield env
        return
    url = urlparse(test_url)
    name = f"{url.path.lstrip('/')}_kill"
    admin_url = url._replace(
        path="/postgres", netloc=url.netloc.replace(f"{url.username}:{url.password}@", "postgres@")
    ).geturl()
    _postgres(admin_url, f"DROP DATABASE IF EXISTS {name}")
    _postgres(admin_url, f"CREATE DATABASE {name} OWNER {url.username}")
    env["DATABASE_URL"] = url._replace(path=f"/{name}").geturl()
    yield env
    _postgres(admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _postgres(url: str, statement: str) -> None:
    """Run one statement as PostgreSQL's superuser (in a thread: a sync test
    may not start an event loop where one is already set)."""
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    errors: list[BaseException] = []

    def in_thread() -> None:
        try:
            asyncio.run(run())
        except BaseException as exc:  # handed to the test below
            errors.append(exc)

    worker = threading.Thread(target=in_thread)
    worker.start()
    worker.join()
    if errors:
        raise errors[0]


def _polydesk(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([POLYDESK, *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


class Server:
    """`polydesk serve` in a subprocess, started and killed by the test."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log_path = env, log
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [POLYDESK, "serve", "--no-migrate", "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.base}/-/health").status_code == 200:
                    return
            time.sleep(0.2)
        self.stop()
        pytest.fail("the server did not start: " + self.log_path.read_text())

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.mark.slow
def test_sigkill_during_a_burst_of_creations_loses_no_acknowledged_ticket(
    server_env: dict[str, str], tmp_path: Path, incident_form
) -> None:
    env = server_env
    _polydesk(env, "migrate")
    _polydesk(env, "user", "create", "burst", "--password", "correct-horse-battery")
    token = _polydesk(env, "user", "token", "burst").strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    server = Server(env, tmp_path / "server.log")
    server.start()

    form = incident_form()
    sent: dict[str, dict] = {}  # Idempotency-Key → body, for every request sent
    acknowledged: dict[str, dict] = {}  # Idempotency-Key → the 201 body
    lock = threading.Lock()
    stop = threading.Event()

    def fire(worker: int) -> None:
        with httpx.Client(base_url=server.base, headers=headers, timeout=30) as http:
            n = 0
            while not stop.is_set():
                key = f"w{worker}-{n}-{uuid.uuid4()}"
                body = {"request_type": "it.incident", "title": f"Burst {key}", "form_data": form}
                with lock:
                    sent[key] = body
                try:
                    response = http.post(
                        "/api/v1/tickets", json=body, headers={"Idempotency-Key": key}
                    )
                except httpx.TransportError:
                    return  # the server is gone
                if response.status_code == 201:
                    with lock:
                        acknowledged[key] = response.json()
                n += 1

    workers = [threading.Thread(target=fire, args=(i,)) for i in range(8)]
    for w in workers:
        w.start()
    deadline = time.monotonic() + 120
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()  # while eight requests are in flight
    stop.set()
    for w in workers:
        w.join(timeout=60)
    assert len(acknowledged) >= 40, server.log_path.read_text()[-3000:]
    in_flight = set(sent) - set(acknowledged)

    server.start()
    try:
        with httpx.Client(base_url=server.base, headers=headers, timeout=30) as http:
            tickets = _all_tickets(http)
            by_id = {t["id"]: t for t in tickets}
            # Every acknowledged ticket is there, whole.
            for key, body in acknowledged.items():
                assert body["id"] in by_id, f"acknowledged ticket {body['key']} is lost"
                assert by_id[body["id"]]["title"] == f"Burst {key}"
            # No ticket is half-written: each has its creation event and its clocks,
            # and the department's counter moved with the tickets (no gap, no reuse).
            for ticket in tickets:
                timeline = http.get(f"/api/v1/tickets/{ticket['key']}/timeline").json()
                assert [e["kind"] for e in timeline][:1] == ["created"], ticket["key"]
                assert {c["metric"] for c in ticket["sla"]} == {"first_response", "resolution"}
            assert sorted(int(t["key"].split("-")[1]) for t in tickets) == list(
                range(1, len(tickets) + 1)
            )
            # Retrying every request sent, with its key, creates exactly the missing
            # ones: each key ends with one ticket, and the acknowledged replay theirs.
            for key, body in sent.items():
                retry = http.post("/api/v1/tickets", json=body, headers={"Idempotency-Key": key})
                assert retry.status_code == 201, retry.text
                if key in acknowledged:
                    assert retry.headers["idempotent-replayed"] == "true"
                    assert retry.json() == acknowledged[key]
            after = _all_tickets(http)
            assert len(after) == len(sent)
            assert len({t["title"] for t in after}) == len(sent)
            # And the restarted server serves normally.
            assert http.get("/api/v1/me").status_code == 200
    finally:
        server.stop()
    print(f"{len(acknowledged)} acknowledged, {len(in_flight)} in flight at the kill")


def _all_tickets(http: httpx.Client) -> list[dict]:
    tickets, cursor = [], None
    while True:
        params = {"sort": "newest", "limit": 200, **({"cursor": cursor} if cursor else {})}
        page = http.get("/api/v1/tickets", params=params).json()
        tickets.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return tickets
