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
