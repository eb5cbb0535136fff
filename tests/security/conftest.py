"""Shared fixtures of the attack suite: secrets worth stealing, outsiders, and proof
that nothing stored changed.

`secrets` raises an HR confidential case and a Legal privileged matter with titles
no test would type by chance, so a leak anywhere (a list, a count, a search, a
suggestion) is a plain substring check. `nothing_changes()` snapshots every
ticket-related table and compares it after the attack.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from polydesk.core.demo import sample_form_data
from polydesk.core.tickets.attachments import add_attachment
from polydesk.core.tickets.services import TicketService
from polydesk.core.tickets.tables import Ticket

PASSWORD = "attack-password-1"
HR_TITLE = "Grievance-7f3a about Mallory"
LEGAL_TITLE = "Privileged-9c1e dawn raid"
#: Words of the secret titles an attacker would search for.
SECRET_WORDS = ("Grievance-7f3a", "Mallory", "Privileged-9c1e", "dawn raid")

#: Tables whose rows must be identical before and after a refused request.
WATCHED = (
    "ticket",
    "timeline_event",
    "approval",
    "ticket_link",
    "attachment",
    "sla_clock",
    "outbox_message",
    "saved_queue",
    "ticket_rating",
    "person",
    "membership",
    "team_membership",
    "plugin_state",
    "kb_article_version",
)


async def stored(tables: tuple[str, ...] = WATCHED) -> dict[str, list[dict[str, Any]]]:
    """Every row of `tables`, in id order."""
    return {t: await Ticket.raw(f"SELECT * FROM {t} ORDER BY id") for t in tables}


@contextlib.asynccontextmanager
async def nothing_changes(tables: tuple[str, ...] = WATCHED) -> AsyncIterator[None]:
    """Assert that the block leaves every row of `tables` as it was."""
    before = await stored(tables)
    yield
    after = await stored(tables)
    for table in tables:
        assert after[table] == before[table], f"{table} changed"


def form_for(runtime: Any, key: str, **overrides: Any) -> dict[str, Any]:
    data = sample_form_data(runtime.registry.request_types[key].form)
    data.update(overrides)
    return data


@dataclass
class Secrets:
    hr: Any  # TicketView of the HR confidential case
    legal: Any  # TicketView of the Legal privileged matter
    hr_file: int  # attachment id on the HR case
    legal_file: int

    @property
    def both(self) -> list[Any]:
        return [self.hr, self.legal]


@pytest.fixture
async def cast(people: Any) -> Any:
    """The suite's people plus Legal's agents (one in the privileged team), with passwords."""
    await people.add("legal.agent", roles={"legal": "agent"})
    await people.add("legal.priv", roles={"legal": "agent"}, teams=[("legal", "privileged")])
    await people.add("carol", password=PASSWORD)  # a requester who logs in through the browser
    return people


@pytest.fixture
async def desk(runtime: Any) -> TicketService:
    return TicketService(await runtime.snapshot())


@pytest.fixture
async def secrets(runtime: Any, cast: Any, desk: TicketService) -> Secrets:
    """An HR case raised by bob (with a file and an internal note) and a privileged
    matter raised by legal.priv, each handled by its team."""
    bob = await cast.actor("bob")
    hr = await desk.create(
        bob,
        request_type="hr.case",
        title=HR_TITLE,
        description="Mallory shouted at me.",
        form_data=form_for(runtime, "hr.case"),
    )
    case_team = await cast.actor("hr.case")
    await desk.comment(case_team, hr.id, body="Mallory interview booked", public=False)
    hr_file = await add_attachment(
        desk, bob, hr.id, filename="evidence.txt", content_type="text/plain", content=b"proof"
    )
    priv = await cast.actor("legal.priv")
    legal = await desk.create(
        priv,
        request_type="legal.privileged_matter",
        title=LEGAL_TITLE,
        form_data=form_for(runtime, "legal.privileged_matter"),
    )
    legal_file = await add_attachment(
        desk, priv, legal.id, filename="raid.txt", content_type="text/plain", content=b"memo"
    )
    return Secrets(
        hr=await desk.get(case_team, hr.id),
        legal=await desk.get(priv, legal.id),
        hr_file=hr_file.id,
        legal_file=legal_file.id,
    )


async def log_in(client: Any, people: Any, username: str) -> str:
    """Log `username` in through the real form (setting a password first); returns the CSRF token."""
    from polydesk.core.people.services import set_password

    await set_password(people.ids[username], PASSWORD)
    client.cookies.clear()
    assert (await client.get("/login")).status_code == 200
    csrf = client.cookies.get("polydesk_csrf")
    response = await client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "_csrf_token": csrf, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf


def leaks(text: str, url: str = "") -> list[str]:
    """The secret words present in `text`, leaving out what `url`'s query typed (a
    search box shows the words searched for; that is no leak)."""
    from urllib.parse import parse_qsl, urlsplit

    text = text.lower()
    for _, typed in parse_qsl(urlsplit(url).query):
        text = text.replace(typed.lower(), "")
    return [w for w in SECRET_WORDS if w.lower() in text]


# Test modules reach the helpers through fixtures (conftest is not importable
# under --import-mode=importlib).


@pytest.fixture
def unchanged() -> Any:
    """`async with unchanged(): ...` asserts the block changed no stored row."""
    return nothing_changes


@pytest.fixture
def login(client: Any, cast: Any) -> Any:
    """`await login("carol")` logs the shared client in through the form; returns the CSRF token."""

    async def go(username: str) -> str:
        return await log_in(client, cast, username)

    return go


@pytest.fixture
def secret_words() -> tuple[str, ...]:
    return SECRET_WORDS


@pytest.fixture
def find_leaks() -> Any:
    return leaks


@pytest.fixture
def form_of(runtime: Any) -> Any:
    """`form_of("it.incident", impact="low")`: valid form data for a request type."""

    def make(key: str, **overrides: Any) -> dict[str, Any]:
        return form_for(runtime, key, **overrides)

    return make
