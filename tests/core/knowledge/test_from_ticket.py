"""Ticket to article: a resolved ticket becomes a linked draft in one step."""

from __future__ import annotations

import pytest

from polydesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from polydesk.core.tickets.services import TicketService


@pytest.fixture
async def tickets(runtime):
    return TicketService(await runtime.snapshot())


async def _resolved(tickets, people, incident_form, note="Re-added the FollowMe queue."):
    alice = await people.actor("alice")
    agent = await people.actor("it.agent")
    ticket = await tickets.create(
        alice,
        request_type="it.incident",
        title="Cannot print",
        description="The printer says *offline*.",
        form_data=incident_form(),
    )
    await tickets.comment(agent, ticket.id, body="Try the FollowMe queue.", public=True)
    await tickets.comment(agent, ticket.id, body="internal: driver issue", public=False)
    current = await tickets.get(agent, ticket.id)
    return await tickets.transition(
        agent,
        ticket.id,
        "resolve",
        version=current.version,
        fields={"resolution_code": "advice", "resolution_note": note},
    )


async def test_a_resolved_ticket_becomes_a_draft_linked_to_it(kb, tickets, people, incident_form):
    ticket = await _resolved(tickets, people, incident_form)
    agent = await people.actor("it.agent")
    article = await kb.article_from_ticket(agent, ticket.key)
    assert (article.space, article.status, article.source_ticket) == ("it", "draft", ticket.key)
    assert article.title == "Cannot print"
    assert "The printer says *offline*." in article.body_md
    assert "Re-added the FollowMe queue." in article.body_md
    assert "internal" not in article.body_md  # internal notes never leak into articles
    assert (await kb.versions(agent, article.id))[0].note == f"From ticket {ticket.key}"


async def test_only_resolved_visible_tickets_by_agents(kb, tickets, people, incident_form):
    alice = await people.actor("alice")
    agent = await people.actor("it.agent")
    open_ticket = await tickets.create(
        alice, request_type="it.incident", title="Open", form_data=incident_form()
    )
    with pytest.raises(ValidationFailed):
        await kb.article_from_ticket(agent, open_ticket.id)
    ticket = await _resolved(tickets, people, incident_form)
    with pytest.raises(PermissionDenied):  # the requester sees the ticket, cannot write
        await kb.article_from_ticket(alice, ticket.id)
    with pytest.raises(NotFound):  # another department's agent does not see it
        await kb.article_from_ticket(await people.actor("hr.agent"), ticket.id)
