"""`TicketService.side_lists`: the one query that tells the ticket page which of a
ticket's side lists (children, links, approvals, files) have rows, so it skips the
queries of the empty ones. Reporting a list empty when it is not would hide it."""

from __future__ import annotations

import pytest

from polydesk.core.tickets.attachments import add_attachment
from polydesk.core.tickets.services import TicketService


@pytest.fixture
async def tickets(runtime) -> TicketService:
    return TicketService(await runtime.snapshot())


async def test_each_side_list_is_reported_once_it_has_a_row(tickets, people, incident_form):
    alice, agent = await people.actor("alice"), await people.actor("it.agent")

    async def new(title: str, by=alice, **extra):
        return await tickets.create(
            by, request_type="it.incident", title=title, form_data=incident_form(), **extra
        )

    ticket, other = await new("Laptop dead"), await new("Dock dead")
    assert await tickets.side_lists(ticket) == set()

    await tickets.link(agent, other.id, target=ticket.key, kind="relates_to")
    # Links count from both ends: the ticket is only their target here.
    assert await tickets.side_lists(ticket) == {"links"}
    assert await tickets.side_lists(other) == {"links"}

    await new("Spare laptop", by=agent, parent=ticket.id, requester="alice")
    await tickets.request_approval(agent, ticket.id, approver="it.lead")
    await add_attachment(
        tickets, alice, ticket.id, filename="photo.txt", content_type="text/plain", content=b"x"
    )
    assert await tickets.side_lists(ticket) == {"links", "children", "approvals", "attachments"}
    assert await tickets.side_lists(other) == {"links"}
