"""Keyword search of the ticket list through its index (polydesk.core.tickets.search).

Words are prefixes of words in the title or the description, every word must
match, a ticket key finds its ticket, edits are searchable at once (the index
follows in the ticket's own transaction), visibility still applies, and any
text typed in the box is a query, never an error.
"""

from __future__ import annotations

import pytest

from polydesk.core.tickets.services import TicketFilters, TicketService


@pytest.fixture
async def tickets(runtime) -> TicketService:
    return TicketService(await runtime.snapshot())


async def _keys(tickets: TicketService, actor, q: str) -> list[str]:
    page = await tickets.list(actor, TicketFilters(q=q, sort="newest"))
    return [t.key for t in page.items]


async def test_words_match_titles_and_descriptions_by_prefix(tickets, people, incident_form):
    alice, agent = await people.actor("alice"), await people.actor("it.agent")
    vpn = await tickets.create(
        alice,
        request_type="it.incident",
        title="VPN drops every hour",
        description="Since Monday the Zażółć client disconnects.",
        form_data=incident_form(),
    )
    printer = await tickets.create(
        alice,
        request_type="it.incident",
        title="Printer on floor 3",
        description="Paper jam after the VPN outage.",
        form_data=incident_form(),
    )
    assert await _keys(tickets, agent, "vpn") == [printer.key, vpn.key]
    assert await _keys(tickets, agent, "VPN drop") == [vpn.key]  # every word, as a prefix
    assert await _keys(tickets, agent, "MONDAY zażółć") == [vpn.key]  # any case
    assert await _keys(tickets, agent, "jam printer") == [printer.key]
    assert await _keys(tickets, agent, "scanner") == []
    assert await _keys(tickets, agent, vpn.key.lower()) == [vpn.key]  # a key finds its ticket


async def test_a_changed_title_is_searchable_at_once(tickets, people, incident_form):
    alice, agent = await people.actor("alice"), await people.actor("it.agent")
    ticket = await tickets.create(
        alice, request_type="it.incident", title="Mail is slow", form_data=incident_form()
    )
    await tickets.update(agent, ticket.id, version=ticket.version, title="Calendar sync broken")
    assert await _keys(tickets, agent, "calendar") == [ticket.key]
    assert await _keys(tickets, agent, "slow") == []


async def test_search_finds_only_what_the_reader_may_see(tickets, people, incident_form):
    alice, bob = await people.actor("alice"), await people.actor("bob")
    agent, hr = await people.actor("it.agent"), await people.actor("hr.agent")
    mine = await tickets.create(
        alice, request_type="it.incident", title="Keyboard sticky", form_data=incident_form()
    )
    assert await _keys(tickets, alice, "keyboard") == [mine.key]
    assert await _keys(tickets, agent, "keyboard") == [mine.key]
    assert await _keys(tickets, bob, "keyboard") == []
    assert await _keys(tickets, hr, "keyboard") == []
    assert await _keys(tickets, bob, mine.key) == []


@pytest.mark.parametrize(
    ("typed", "finds"),
    [
        ('"', True),  # no words: no filter
        ('"vpn', True),
        ("vpn*", True),
        ("NOT vpn", False),  # "not" is a word to find, not an operator
        ("vpn OR", False),
        ("a:b", False),
        ("(x", False),
        ("x & y | !z", False),
        ("-", True),
        ("%_", True),
        ("NEAR(vpn down)", False),
        ("vpn:* & down", True),
    ],
)
async def test_anything_typed_is_a_query_never_an_error(
    tickets, people, incident_form, typed, finds
):
    alice, agent = await people.actor("alice"), await people.actor("it.agent")
    await tickets.create(
        alice, request_type="it.incident", title="VPN down", form_data=incident_form()
    )
    page = await tickets.list(agent, TicketFilters(q=typed))
    assert bool(page.items) == finds


async def test_the_agent_list_searches_descriptions_too(client, people, incident_form, runtime):
    alice = await people.actor("alice")
    service = TicketService(await runtime.snapshot())
    ticket = await service.create(
        alice,
        request_type="it.incident",
        title="Cannot print",
        description="The toner cartridge reports an error.",
        form_data=incident_form(),
    )
    response = await client.get(
        "/api/v1/tickets", params={"q": "cartridge"}, headers=await people.headers("it.agent")
    )
    assert response.status_code == 200
    assert [t["key"] for t in response.json()["items"]] == [ticket.key]


# -- the window: exactly the newest WINDOW matches, whichever way they are found --

GENERATED = 400


def _generated_text(i: int) -> tuple[str, str]:
    """Title and description of the i-th generated ticket (0 = the oldest).

    Words by share of tickets: `alpha` half, `beta` a seventh, `gamma` a
    twenty-ninth, `delta` two tickets, `burst` dense among the newest, sparse
    just below them and dense again further down (so a range sized by the
    density of the newest falls short), `zulu` none.
    """
    rank = GENERATED - 1 - i  # 0 = the newest
    words = ["ticket"]
    if i % 2 == 0:
        words.append("alphabet")
    if i % 7 == 0:
        words.append("beta")
    if i % 29 == 0:
        words.append("gamma")
    if i in (5, 100):
        words.append("delta")
    if (
        (rank < 8 and rank % 4 == 0)
        or (8 <= rank < 68 and rank % 20 == 0)
        or (rank >= 68 and rank % 3 == 0)
    ):
        words.append("burst")
    half = len(words) // 2
    return " ".join(words[:half]).capitalize() or "Ticket", " ".join(words[half:])


@pytest.fixture
async def generated(tickets, people, incident_form) -> list[tuple[int, str, str]]:
    """GENERATED tickets (id, key, text), oldest first, copied from one created
    ticket in SQL (the search index's triggers fill the index)."""
    from polydesk.core.tickets.tables import Ticket

    alice = await people.actor("alice")
    title, description = _generated_text(0)
    template = await tickets.create(
        alice,
        request_type="it.incident",
        title=title,
        description=description,
        form_data=incident_form(),
    )
    copied = [
        c._meta.db_column_name
        for c in Ticket._meta.columns
        if c._meta.name not in ("id", "key", "number", "title", "description")
    ]
    columns = ", ".join(copied)
    for i in range(1, GENERATED):
        title, description = _generated_text(i)
        await Ticket.raw(
            f"INSERT INTO ticket (key, number, title, description, {columns}) "
            f"SELECT {{}}, {{}}, {{}}, {{}}, {columns} FROM ticket WHERE id = {{}}",
            f"GEN-{i}",
            10_000 + i,
            title,
            description,
            template.id,
        )
    rows = await Ticket.select(Ticket.id, Ticket.key, Ticket.title, Ticket.description).order_by(
        Ticket.id
    )
    return [(r["id"], r["key"], f"{r['title']} {r['description']}".lower()) for r in rows]


def _reference(generated: list[tuple[int, str, str]], q: str, window: int) -> list[str]:
    """The newest `window` tickets having, for every word of `q`, a word that
    starts with it; plus the ticket whose key `q` is; newest first."""
    from polydesk.core.tickets.search import words

    terms = words(q)
    matching = [
        (tid, key)
        for tid, key, text in generated
        if all(any(w.startswith(t) for w in words(text)) for t in terms)
    ]
    found = dict(sorted(matching, reverse=True)[:window])
    found.update({tid: key for tid, key, _ in generated if key == q.strip().upper()})
    return [key for _, key in sorted(found.items(), reverse=True)]


@pytest.mark.parametrize(
    "window",
    [12, 40, 5000],
    ids=["small-window", "mid-window", "as-configured"],
)
async def test_a_search_lists_exactly_the_newest_matches(
    tickets, people, generated, monkeypatch, window
):
    """Common, mid, rare, prefix, two-word, absent and key queries list exactly
    the newest `WINDOW` matches (newest first), on either engine and through
    every step of PostgreSQL's search (walk, sized ranges, the rest)."""
    from polydesk.core.tickets import search

    monkeypatch.setattr(search, "WINDOW", window)
    agent = await people.actor("it.agent")
    queries = [
        "alphabet", "alp", "beta", "gamma", "delta", "burst", "bu", "zulu", "ticket",
        "beta gamma", "alpha beta", "Gamma TICK", "delta zulu", "GEN-7", "gen-390 ",
    ]  # fmt: skip
    for q in queries:
        page = await tickets.list(agent, TicketFilters(q=q, sort="newest"), limit=200)
        assert [t.key for t in page.items] == _reference(generated, q, window)[:200], q
