"""Ratings, attachments, saved views and capped counts."""

from __future__ import annotations

import pytest

from polydesk.core.demo import sample_form_data
from polydesk.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from polydesk.core.tickets.attachments import (
    MAX_ATTACHMENT_BYTES,
    add_attachment,
    list_attachments,
    read_attachment,
    safe_filename,
)
from polydesk.core.tickets.ratings import rate, rating_of
from polydesk.core.tickets.saved_queues import delete_queue, save_queue, saved_queues
from polydesk.core.tickets.services import TicketFilters, TicketService


@pytest.fixture
async def tickets(runtime) -> TicketService:
    return TicketService(await runtime.snapshot())


async def _ticket(tickets, people, request_type="it.password_reset"):
    form = sample_form_data(tickets.registry.request_types[request_type].form)
    return await tickets.create(
        await people.actor("alice"), request_type=request_type, title="Help", form_data=form
    )


async def _resolve(tickets, actor, ticket):
    from polydesk.core.forms import Form

    for _ in range(6):
        ticket = await tickets.get(actor, ticket.id)
        if ticket.state_category in ("resolved", "closed"):
            return ticket
        workflow = tickets.workflow_of(ticket)
        moves = [t for t in tickets.available_transitions(actor, ticket) if not t.guards]
        moves.sort(key=lambda t: workflow.state(t.to_state).category not in ("resolved", "closed"))
        await tickets.transition(
            actor,
            ticket.id,
            moves[0].key,
            version=ticket.version,
            fields=sample_form_data(Form(moves[0].fields)),
        )
    raise AssertionError("could not resolve")


async def test_requester_rates_a_resolved_ticket_once(tickets, people):
    alice, agent = await people.actor("alice"), await people.actor("it.agent")
    ticket = await _ticket(tickets, people)
    with pytest.raises(InvalidTransition, match="resolved"):
        await rate(tickets, alice, ticket.id, score=5)
    await _resolve(tickets, agent, ticket)
    with pytest.raises(PermissionDenied):
        await rate(tickets, agent, ticket.id, score=1)
    with pytest.raises(ValidationFailed):
        await rate(tickets, alice, ticket.id, score=9)
    rated = await rate(tickets, alice, ticket.id, score=4, comment="Quick, thanks")
    assert rated["score"] == 4 and rated["label"] == "Happy"
    with pytest.raises(InvalidTransition, match="already"):
        await rate(tickets, alice, ticket.id, score=1)
    assert (await rating_of(tickets, agent, ticket.id))["comment"] == "Quick, thanks"
    assert "rating" in [e.kind for e in await tickets.timeline(alice, ticket.id)]


async def test_attachments_follow_the_timeline_visibility(tickets, people):
    alice, agent = await people.actor("alice"), await people.actor("it.agent")
    ticket = await _ticket(tickets, people)
    shared = await add_attachment(
        tickets,
        alice,
        ticket.id,
        filename="../../etc/passwd",
        content_type="text/plain",
        content=b"hello",
    )
    assert shared.filename == "passwd"
    await tickets.comment(agent, ticket.id, body="internal log attached", public=False)
    note_id = next(e.id for e in await tickets.timeline(agent, ticket.id) if e.kind == "note")
    internal = await add_attachment(
        tickets,
        agent,
        ticket.id,
        filename="debug.log",
        content_type="text/plain",
        content=b"secret",
        timeline_event=note_id,
    )
    assert [a.filename for a in await list_attachments(tickets, agent, ticket.id)] == [
        "passwd",
        "debug.log",
    ]
    assert [a.filename for a in await list_attachments(tickets, alice, ticket.id)] == ["passwd"]
    with pytest.raises(NotFound):
        await read_attachment(tickets, alice, ticket.id, internal.id)
    meta, content = await read_attachment(tickets, alice, ticket.id, shared.id)
    assert content == b"hello" and meta.size == 5
    with pytest.raises(NotFound):
        await read_attachment(tickets, await people.actor("bob"), ticket.id, shared.id)
    with pytest.raises(ValidationFailed):
        await add_attachment(
            tickets,
            alice,
            ticket.id,
            filename="big.bin",
            content_type="",
            content=b"x" * (MAX_ATTACHMENT_BYTES + 1),
        )


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("report.pdf", "report.pdf"),
        ("C:\\Users\\x\\a.doc", "a.doc"),
        ("..", "file"),
        ("a\x00b<>.txt", "a_b_.txt"),
    ],
)
def test_safe_filename(raw, safe):
    assert safe_filename(raw) == safe


async def test_saved_views_are_personal(people):
    agent, other = await people.actor("it.agent"), await people.actor("it.lead")
    saved = await save_queue(agent, "My P1s", {"priority": [1], "assignee": "me"})
    assert [q["name"] for q in await saved_queues(agent)] == ["My P1s"]
    assert await saved_queues(other) == []
    with pytest.raises(ValidationFailed):
        await save_queue(agent, "Bad", {"colour": "red"})
    with pytest.raises(NotFound):
        await delete_queue(other, saved["id"])
    await delete_queue(agent, saved["id"])
    assert await saved_queues(agent) == []


async def test_count_is_capped_and_respects_visibility(tickets, people):
    for _ in range(5):
        await _ticket(tickets, people, "it.incident")
    agent = await people.actor("it.agent")
    assert await tickets.count(agent) == 5
    assert await tickets.count(agent, cap=3) == 3
    assert await tickets.count(await people.actor("hr.agent")) == 0
    assert await tickets.count(agent, TicketFilters(assignee="none")) == 5
