"""Two `polydesk serve` processes share one database and nothing else.

Each worker is a real server on 127.0.0.1 over the database the suite runs on
(a SQLite file, or a PostgreSQL database of its own next to the test database).
One ticket is driven through both: a session started on one worker is valid on
the other, each worker sees the other's writes and versions at once, and a
plugin disabled through one is gone from the other within the plugin-state TTL.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import httpx
import pytest

pytestmark = pytest.mark.slow

POLYDESK = str(Path(sys.executable).with_name("polydesk"))
PASSWORD = "demo-password"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _recreate_postgres_database(url: str, name: str) -> str:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def _wait_healthy(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"worker exited early: {log.read_text()}")
        try:
            if httpx.get(f"{base}/-/health").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"worker did not start: {log.read_text()}")


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Two seeded workers on one database; yields their base URLs."""
    data_dir = tmp_path_factory.mktemp("two-workers")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PICCOLO_CONF")}
    env.update(
        POLYDESK_DATA_DIR=str(data_dir),
        POLYDESK_DB_POOL="1",
        POLYDESK_SECRET_KEY="two-workers-share-this-secret-key",
        POLYDESK_PLUGIN_STATE_TTL="1",
    )
    test_url = os.environ.get("POLYDESK_TEST_DATABASE_URL")
    if test_url:
        name = urlparse(test_url).path.lstrip("/") + "_two_workers"
        env["DATABASE_URL"] = asyncio.run(_recreate_postgres_database(test_url, name))
    seeded = subprocess.run(
        [POLYDESK, "demo", "--no-serve"], env=env, capture_output=True, text=True, timeout=300
    )
    assert seeded.returncode == 0, seeded.stderr
    servers, bases = [], []
    for index in range(2):
        port = _free_port()
        log = data_dir / f"worker-{index}.log"
        with open(log, "w") as out:
            server = subprocess.Popen(
                [POLYDESK, "serve", "--no-migrate", "--port", str(port)],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        servers.append(server)
        bases.append(f"http://127.0.0.1:{port}")
        _wait_healthy(bases[-1], server, log)
    yield bases[0], bases[1]
    for server in servers:
        server.terminate()
    for server in servers:
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:  # a loaded machine: do not leave it running
            server.kill()
            server.wait()


class Browser:
    """One person's cookie jar, used against either worker (cookies are per host, not port)."""

    def __init__(self) -> None:
        self.http = httpx.Client(timeout=30)

    def log_in(self, base: str, username: str) -> None:
        self.http.get(f"{base}/login")
        answer = self.call(
            "POST", base, "/api/v1/session", {"username": username, "password": PASSWORD}
        )
        assert answer.status_code == 200, answer.text

    def call(self, method: str, base: str, path: str, body: object = None) -> httpx.Response:
        headers = {"x-csrftoken": self.http.cookies.get("polydesk_csrf") or ""}
        return self.http.request(method, base + path, json=body, headers=headers)


@pytest.fixture
def visitor() -> Iterator:
    """Makes Browsers and closes their connections after the test."""
    made: list[Browser] = []

    def make() -> Browser:
        made.append(Browser())
        return made[-1]

    yield make
    for one in made:
        one.http.close()


def _incident_form() -> dict:
    from polydesk.core.demo import sample_form_data
    from polydesk.core.pluginmanager import create_plugin_manager
    from polydesk.core.registry import build_registry

    registry = build_registry(create_plugin_manager())
    return sample_form_data(registry.request_types["it.incident"].form)


def test_one_ticket_driven_through_two_workers(two_workers: tuple[str, str], visitor) -> None:
    first, second = two_workers
    requester, agent = visitor(), visitor()

    # A session started on the first worker is the same session on the second.
    requester.log_in(first, "alice")
    assert requester.call("GET", second, "/api/v1/me").json()["username"] == "alice"

    created = requester.call(
        "POST",
        first,
        "/api/v1/tickets",
        {"request_type": "it.incident", "title": "Printer on fire", "form_data": _incident_form()},
    )
    assert created.status_code == 201, created.text
    key = created.json()["key"]

    # The agent works on the second worker and sees the ticket at once.
    agent.log_in(second, "it.agent")
    seen = agent.call("GET", second, f"/api/v1/tickets/{key}")
    assert seen.status_code == 200 and seen.json()["title"] == "Printer on fire"
    version = seen.json()["version"]
    assigned = agent.call(
        "POST",
        second,
        f"/api/v1/tickets/{key}/assignment",
        {"version": version, "assignee": "it.agent"},
    )
    assert assigned.is_success, assigned.text

    # A stale version is refused by the other worker too: versions live in the database.
    stale = agent.call(
        "POST", first, f"/api/v1/tickets/{key}/assignment", {"version": version, "assignee": ""}
    )
    assert stale.status_code == 409

    replied = agent.call(
        "POST",
        first,
        f"/api/v1/tickets/{key}/comments",
        {"body": "On my way with an extinguisher."},
    )
    assert replied.is_success, replied.text
    transitions = agent.call("GET", second, f"/api/v1/tickets/{key}/transitions").json()
    simple = next(t for t in transitions if not t["fields"].get("required"))
    moved = agent.call(
        "POST",
        second,
        f"/api/v1/tickets/{key}/transitions",
        {"transition": simple["key"], "version": replied.json()["version"]},
    )
    assert moved.is_success, moved.text

    # The requester, back on the first worker, sees everything the second one did.
    mine = requester.call("GET", first, f"/api/v1/tickets/{key}").json()
    assert mine["state"] == simple["to_state"]
    assert mine["assignee"]["username"] == "it.agent"
    timeline = requester.call("GET", first, f"/api/v1/tickets/{key}/timeline").json()
    assert "On my way with an extinguisher." in [event.get("body") for event in timeline]

    # Logging out on the second worker ends the session on the first as well.
    assert requester.call("DELETE", second, "/api/v1/session").status_code == 204
    assert requester.call("GET", first, "/api/v1/me").status_code == 401


def test_plugin_disabled_on_one_worker_is_gone_from_the_other(
    two_workers: tuple[str, str], visitor
) -> None:
    first, second = two_workers
    admin = visitor()
    admin.log_in(first, "admin")
    assert admin.http.get(f"{second}/portal/legal").status_code == 200

    disabled = admin.call("POST", first, "/api/v1/plugins/legal/disable")
    assert disabled.is_success, disabled.text
    try:
        deadline = time.monotonic() + 10
        while admin.http.get(f"{second}/portal/legal").status_code != 404:
            assert time.monotonic() < deadline, "the second worker still serves Legal"
            time.sleep(0.2)
    finally:
        admin.call("POST", second, "/api/v1/plugins/legal/enable")
    deadline = time.monotonic() + 10
    while admin.http.get(f"{first}/portal/legal").status_code != 200:
        assert time.monotonic() < deadline, "Legal did not come back on the first worker"
        time.sleep(0.2)
