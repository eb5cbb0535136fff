"""Fixtures: a real database migrated once per session, real apps, real people.

The database is a fresh SQLite file, or PostgreSQL when
`POLYDESK_TEST_DATABASE_URL` is set (its `public` schema is dropped and rebuilt:
never point it at data you want to keep). `DATABASE_URL` is ignored on purpose
so that running the tests can never touch a production database.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

# Before anything imports a Piccolo table: tables find their engine lazily
# through PICCOLO_CONF, which reads these variables once.
_DATA_DIR = Path(tempfile.mkdtemp(prefix="polydesk-tests-"))
os.environ["POLYDESK_DATA_DIR"] = str(_DATA_DIR)
os.environ.pop("DATABASE_URL", None)
os.environ.pop("POLYDESK_DISABLE_PLUGINS", None)
if os.environ.get("POLYDESK_TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["POLYDESK_TEST_DATABASE_URL"]
os.environ["PICCOLO_CONF"] = "polydesk.core.piccolo_conf"
# The test client runs the app on its own event loop; a pool is bound to one loop.
os.environ["POLYDESK_DB_POOL"] = "0"

import pluggy  # noqa: E402
import pytest  # noqa: E402
from litestar import Litestar  # noqa: E402
from litestar.testing import AsyncTestClient  # noqa: E402

from polydesk.core.db import is_postgres_engine  # noqa: E402
from polydesk.core.people.services import (  # noqa: E402
    add_to_team,
    create_api_token,
    create_person,
    load_actor,
    set_role,
)
from polydesk.core.permissions import Actor  # noqa: E402
from polydesk.core.pluginmanager import create_plugin_manager  # noqa: E402
from polydesk.core.runtime import Runtime  # noqa: E402
from polydesk.core.settings import Settings  # noqa: E402
from polydesk.web.app import create_app  # noqa: E402

PASSWORD = "correct-horse-battery"
#: Tables emptied between tests, children before parents.
DATA_TABLES = (
    "mail_received_message",
    "mail_mailbox",
    "mail_outbound",
    "mail_template_override",
    "mail_preference",
    "mail_sent_message",
    "kb_attachment",
    "kb_deflection",
    "kb_vote",
    "kb_article_version",
    "kb_article",
    "kb_space",
    "saved_queue",
    "attachment",
    "ticket_rating",
    "sla_override",
    "sla_clock",
    "idempotency_key",
    "outbox_message",
    "timeline_event",
    "ticket_link",
    "approval",
    "ticket",
    "audit_event",
    "login_failure",
    "login_lock",
    "api_token",
    "web_session",
    "team_membership",
    "membership",
    "person",
    "request_type",
    "department",
    "department_counter",
    "plugin_state",
)

#: The knowledge search indexes on SQLite (on PostgreSQL, TRUNCATE … CASCADE empties them).
SQLITE_ONLY_TABLES = ("kb_article_fts", "kb_article_title_fts")

# With the database behind every fixture, tests are ordered so that ones that
# never touch it (and the browser, later) do not depend on its state.


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Playwright's sync API leaves an event loop marked running in the main
    # thread; async tests collected after a browser test would then fail. So
    # browser tests run last (shared/RECIPES.md §5).
    items.sort(key=lambda item: "tests/browser/" in str(item.path))


def pytest_report_header(config: pytest.Config) -> str:
    db = os.environ.get("DATABASE_URL", "").split("@")[-1] or f"SQLite in {_DATA_DIR}"
    return f"polydesk test database: {db}"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.from_env()


@pytest.fixture(scope="session")
async def migrated_database(settings: Settings) -> AsyncIterator[None]:
    """Run the real migrations once, forwards, on an empty database."""
    from polydesk.core.migrations import migrate
    from polydesk.core.tickets.tables import Ticket

    if is_postgres_engine():
        await Ticket.raw("DROP SCHEMA public CASCADE")
        await Ticket.raw("CREATE SCHEMA public")
    await migrate(Runtime.create(settings), quiet=True)
    yield


async def _truncate() -> None:
    from polydesk.core.tickets.tables import Ticket

    if is_postgres_engine():
        await Ticket.raw(f"TRUNCATE {', '.join(DATA_TABLES)} RESTART IDENTITY CASCADE")
    else:
        for table in (*DATA_TABLES, *SQLITE_ONLY_TABLES):
            await Ticket.raw(f"DELETE FROM {table}")
    await Ticket.raw("UPDATE plugin_state_revision SET revision = 0")


@pytest.fixture
async def db(migrated_database: None) -> AsyncIterator[None]:
    """An empty, migrated database for this test."""
    await _truncate()
    yield


@pytest.fixture
def plugin_manager() -> pluggy.PluginManager:
    """A fresh plugin manager with the installed plugins (no global to clean up)."""
    return create_plugin_manager()


@pytest.fixture
async def runtime(db: None, settings: Settings, plugin_manager: pluggy.PluginManager) -> Runtime:
    from polydesk.core.catalog.services import sync_catalog
    from polydesk.core.plugin_state.services import sync_plugin_rows

    rt = Runtime.create(settings, plugin_manager)
    await sync_catalog(rt.registry)
    await sync_plugin_rows(rt.pm)
    return rt


@pytest.fixture
def app(runtime: Runtime) -> Litestar:
    return create_app(runtime=runtime, background=False)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


class People:
    """The cast of the tests, created on demand with real passwords and roles."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.tokens: dict[str, str] = {}

    async def add(
        self,
        username: str,
        *,
        roles: dict[str, str] | None = None,
        teams: list[tuple[str, str]] = (),  # type: ignore[assignment]
        admin: bool = False,
        password: str | None = None,
    ) -> Actor:
        """Add a person; give `password` only when the test logs in with it
        (argon2 is deliberately slow, tokens are not)."""
        person = await create_person(
            username, username.replace(".", " ").title(), password=password, is_admin=admin
        )
        for department, role in (roles or {}).items():
            await set_role(person, department, role)
        for department, team in teams:
            await add_to_team(person, department, team)
        self.ids[username] = person
        actor = await load_actor(person)
        assert actor is not None
        return actor

    async def actor(self, username: str) -> Actor:
        actor = await load_actor(self.ids[username])
        assert actor is not None
        return actor

    async def headers(self, username: str) -> dict[str, str]:
        """Bearer-token headers for `username` (tokens need no CSRF token)."""
        if username not in self.tokens:
            self.tokens[username] = await create_api_token(self.ids[username], "tests")
        return {"Authorization": f"Bearer {self.tokens[username]}"}


@pytest.fixture
async def people(db: None) -> People:
    """A small organisation: requesters, agents of IT and HR, HR's case team, an admin."""
    cast = People()
    await cast.add("alice")
    await cast.add("bob")
    await cast.add("it.agent", roles={"it": "agent"})
    await cast.add("it.lead", roles={"it": "lead"})
    await cast.add("hr.agent", roles={"hr": "agent"})
    await cast.add("hr.case", roles={"hr": "agent"}, teams=[("hr", "case_team")])
    await cast.add("finance.agent", roles={"finance": "agent"})
    await cast.add("admin", admin=True)
    return cast


@pytest.fixture
def incident_form() -> Callable[..., dict[str, Any]]:
    """Valid form data for an IT incident, overridable field by field."""

    def make(**overrides: Any) -> dict[str, Any]:
        from polydesk.core.demo import sample_form_data
        from polydesk.core.pluginmanager import create_plugin_manager
        from polydesk.core.registry import build_registry

        registry = build_registry(create_plugin_manager())
        data = sample_form_data(registry.request_types["it.incident"].form)
        data.update(overrides)
        return data

    return make
