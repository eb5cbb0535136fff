"""The ticket service against a real database: keys, validation, timeline, versions."""

from __future__ import annotations

import asyncio

import pytest

from polydesk.core.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from polydesk.core.outbox.tables import OutboxMessage
from polydesk.core.tickets.services import TicketFilters, TicketService


@pytest.fixture
async def tickets(runtime) -> TicketService:
    return TicketService(await runtime.snapshot())


async def test_keys_count_per_department(tickets, people, incident_form):
    alice = await people.actor("alice")
    first = await tickets.create(
        alice, request_type="it.incident", title="VPN down", form_data=incident_form()
    )
    second = await tickets.create(
        alice, request_type="it.incident", title="Mail slow", form_data=incident_form()
    )
    letter = await tickets.create(
        alice,
        request_type="hr.employment_letter",
        title="Letter for my bank",
        form_data=_sample("hr.employment_letter", tickets),
    )
    assert (first.key, second.key, letter.key) == ("IT-1", "IT-2", "HR-1")
    assert first.state == "new" and first.state_category == "new"
    assert first.requester.username == "alice"


async def test_concurrent_creates_never_share_a_key(tickets, people, incident_form):
    alice = await people.actor("alice")
    created = await asyncio.gather(
        *[
            tickets.create(
                alice, request_type="it.incident", title=f"Burst {i}", form_data=incident_form()
            )
            for i in range(12)
        ]
    )
    assert sorted(t.key for t in created) == sorted(f"IT-{n}" for n in range(1, 13))


async def test_concurrent_replies_all_land_in_version_order(tickets, people, incident_form):
    # A reply sends no version: two people replying at once must both get through,
    # each numbered after the other (on PostgreSQL they really overlap).
    alice = await people.actor("alice")
    ticket = await tickets.create(
        alice, request_type="it.incident", title="Printer", form_data=incident_form()
    )
    await asyncio.gather(
        *[tickets.comment(alice, ticket.id, body=f"Still broken ({i})") for i in range(8)]
    )
    after = await tickets.get(alice, ticket.id)
    timeline = await tickets.timeline(alice, ticket.id)
    replies = [e for e in timeline if (e.body or "").startswith("Still broken")]
    assert len(replies) == 8
    assert after.version == ticket.version + 8
    assert sorted(e.ticket_version for e in timeline) == list(range(1, after.version + 1))


async def test_invalid_form_is_refused_field_by_field_and_nothing_is_stored(
    tickets, people, incident_form
):
    alice = await people.actor("alice")
    bad = incident_form(impact="enormous", surprise="field")
    with pytest.raises(ValidationFailed) as caught:
        await tickets.create(alice, request_type="it.incident", title="", form_data=bad)
    assert set(caught.value.fields) >= {"title", "form_data.impact", "form_data.surprise"}
    assert (await tickets.list(await people.actor("admin"))).items == []
    assert await OutboxMessage.count() == 0


async def test_unknown_request_type_is_a_validation_error(tickets, people):
    with pytest.raises(ValidationFailed) as caught:
        await tickets.create(await people.actor("alice"), request_type="it.nope", title="x")
    assert "request_type" in caught.value.fields


async def test_priority_comes_from_the_plugin_hook(tickets, people, incident_form):
    alice = await people.actor("alice")
    urgent = await tickets.create(
        alice,
        request_type="it.incident",
        title="All down",
        form_data=incident_form(impact="high", urgency="high"),
    )
    minor = await tickets.create(
        alice,
        request_type="it.incident",
        title="Typo",
        form_data=incident_form(impact="low", urgency="low"),
    )
    assert (urgent.priority, minor.priority) == (1, 4)


async def test_comment_reply_and_note_land_on_the_timeline(tickets, people, incident_form):
    alice, agent = await people.actor("alice"), await people.actor("it.agent")
    ticket = await tickets.create(
        alice, request_type="it.incident", title="Printer", form_data=incident_form()
    )
    await tickets.comment(agent, ticket.id, body="Internal: toner empty", public=False)
    after_note = await tickets.get(agent, ticket.id)
    assert after_note.first_response_at is None  # a note is not a response
    replied = await tickets.comment(agent, ticket.id, body="We are on it", public=True)
    assert replied.first_response_at is not None
    assert replied.version == ticket.version + 2

    agent_view = [e.kind for e in await tickets.timeline(agent, ticket.id)]
    requester_view = [(e.kind, e.body) for e in await tickets.timeline(alice, ticket.id)]
    assert agent_view == ["created", "note", "reply"]
    assert ("reply", "We are on it") in requester_view
    assert all(body != "Internal: toner empty" for _, body in requester_view)


async def test_requester_cannot_write_internal_notes(tickets, people, incident_form):
    alice = await people.actor("alice")
    ticket = await tickets.create(
        alice, request_type="it.incident", title="Screen", form_data=incident_form()
    )
    with pytest.raises(PermissionDenied):
        await tickets.comment(alice, ticket.id, body="sneaky", public=False)


async def test_stale_version_is_refused_with_the_current_ticket(tickets, people, incident_form):
    alice, agent = await people.actor("alice"), await people.actor("it.agent")
    ticket = await tickets.create(
        alice, request_type="it.incident", title="Disk full", form_data=incident_form()
    )
    await tickets.update(agent, ticket.id, version=ticket.version, priority=2)
    with pytest.raises(Conflict) as caught:
        await tickets.update(agent, ticket.id, version=ticket.version, title="Overwritten")
    assert caught.value.current.priority == 2
    assert (await tickets.get(agent, ticket.id)).title == "Disk full"


async def test_transitions_follow_the_workflow_and_roles(tickets, people, incident_form):
    alice, agent = await people.actor("alice"), await people.actor("it.agent")
    ticket = await tickets.create(
        alice, request_type="it.incident", title="Wifi", form_data=incident_form()
    )
    agent_moves = {t.key for t in tickets.available_transitions(agent, ticket)}
    requester_moves = {t.key for t in tickets.available_transitions(alice, ticket)}
    assert agent_moves and agent_moves != requester_moves

    resolve = _transition_to_category(tickets, ticket, "resolved", agent)
    if resolve is None:  # resolving needs the ticket in progress first
        start = _transition_to_category(tickets, ticket, "open", agent)
        ticket = await tickets.transition(agent, ticket.id, start.key, version=ticket.version)
        resolve = _transition_to_category(tickets, ticket, "resolved", agent)
    with pytest.raises(PermissionDenied):
        await tickets.transition(alice, ticket.id, resolve.key, version=ticket.version)
    if resolve.fields:
        with pytest.raises(ValidationFailed):
            await tickets.transition(
                agent, ticket.id, resolve.key, version=ticket.version, fields={}
            )
    from polydesk.core.demo import sample_form_data
    from polydesk.core.forms import Form

    resolved = await tickets.transition(
        agent,
        ticket.id,
        resolve.key,
        version=ticket.version,
        fields=sample_form_data(Form(resolve.fields)),
    )
    assert resolved.state_category == "resolved" and resolved.resolved_at is not None
    kinds = [e.kind for e in await tickets.timeline(alice, ticket.id)]
    assert kinds.count("transition") >= 1
    with pytest.raises(InvalidTransition):
        await tickets.transition(agent, ticket.id, "no-such-move", version=resolved.version)


async def test_guard_children_done_vetoes_until_children_finish(tickets, people, runtime):
    """A transition with the core's children_done guard waits for child tasks."""
    hr = await people.actor("hr.agent")
    alice = await people.actor("alice")
    rt = runtime.registry.request_types["hr.onboarding"]
    workflow = runtime.registry.workflows[rt.workflow]
    guarded = next(t for t in workflow.transitions if "children_done" in t.guards)
    parent = await tickets.create(
        alice,
        request_type="hr.onboarding",
        title="Onboard Dana",
        form_data=_sample("hr.onboarding", tickets),
    )
    child = await tickets.create(
        hr,
        request_type="hr.employment_letter",
        title="Contract for Dana",
        form_data=_sample("hr.employment_letter", tickets),
        parent=parent.id,
        requester="alice",
    )
    assert [c.key for c in await tickets.children(hr, parent.id)] == [child.key]
    parent = await _walk_to(tickets, hr, parent, guarded.from_states)
    from polydesk.core.demo import sample_form_data
    from polydesk.core.forms import Form

    fields = sample_form_data(Form(guarded.fields))
    with pytest.raises(InvalidTransition, match="child"):
        await tickets.transition(hr, parent.id, guarded.key, version=parent.version, fields=fields)
    await _finish(tickets, hr, child)
    parent = await tickets.get(hr, parent.id)
    done = await tickets.transition(
        hr, parent.id, guarded.key, version=parent.version, fields=fields
    )
    assert done.state == guarded.to_state


async def test_approvals_guard_and_sequential_steps(tickets, people, runtime):
    alice, agent, lead = [await people.actor(n) for n in ("alice", "it.agent", "it.lead")]
    await people.add("manager")
    manager = await people.actor("manager")
    ticket = await tickets.create(
        alice,
        request_type="it.access",
        title="Access to payroll system",
        form_data=_sample("it.access", tickets),
    )
    first = await tickets.request_approval(
        agent, ticket.id, approver="manager", step=1, rule="manager"
    )
    second = await tickets.request_approval(
        agent, ticket.id, approver="it.lead", step=2, rule="system owner"
    )
    # The approver can see the ticket they are asked about, and only decide their own step.
    assert (await tickets.get(manager, ticket.id)).key == ticket.key
    with pytest.raises(InvalidTransition, match="earlier"):
        await tickets.decide_approval(lead, ticket.id, second.id, approve=True)
    with pytest.raises(PermissionDenied):
        await tickets.decide_approval(agent, ticket.id, first.id, approve=True)
    decided = await tickets.decide_approval(
        manager, ticket.id, first.id, approve=True, comment="OK by me"
    )
    assert decided.state == "approved" and decided.comment == "OK by me"
    await tickets.decide_approval(lead, ticket.id, second.id, approve=True)
    kinds = [e.kind for e in await tickets.timeline(alice, ticket.id)]
    assert kinds.count("approval_requested") == 2 and kinds.count("approval") == 2
    with pytest.raises(InvalidTransition, match="already"):
        await tickets.decide_approval(manager, ticket.id, first.id, approve=False)


async def test_links_and_filters(tickets, people, incident_form):
    alice, agent = await people.actor("alice"), await people.actor("it.agent")
    a = await tickets.create(
        alice, request_type="it.incident", title="Mail down", form_data=incident_form()
    )
    b = await tickets.create(
        alice, request_type="it.incident", title="Mail slow", form_data=incident_form()
    )
    await tickets.link(agent, b.id, target=a.key, kind="duplicates")
    assert [(link.ticket_key, link.direction) for link in await tickets.links(agent, a.id)] == [
        (b.key, "incoming")
    ]
    with pytest.raises(ValidationFailed):
        await tickets.link(agent, b.id, target=a.key, kind="duplicates")
    with pytest.raises(ValidationFailed):
        await tickets.link(agent, b.id, target=b.key, kind="relates_to")
    assigned = await tickets.assign(agent, a.id, version=None, assignee="it.agent")
    assert assigned.assignee.username == "it.agent"
    with pytest.raises(ValidationFailed):
        await tickets.assign(agent, a.id, version=None, assignee="hr.agent")
    mine = await tickets.list(agent, TicketFilters(assignee="me"))
    assert [t.key for t in mine.items] == [a.key]
    found = await tickets.list(agent, TicketFilters(q="slow"))
    assert [t.key for t in found.items] == [b.key]


async def test_keyset_pages_cover_everything_once(tickets, people, incident_form):
    alice = await people.actor("alice")
    for i in range(7):
        await tickets.create(
            alice, request_type="it.incident", title=f"T{i}", form_data=incident_form()
        )
    for sort in ("sla", "newest"):
        seen, cursor = [], None
        while True:
            page = await tickets.list(alice, TicketFilters(sort=sort), cursor=cursor, limit=3)
            seen += [t.key for t in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert sorted(seen) == sorted(f"IT-{n}" for n in range(1, 8)) and len(seen) == 7
    with pytest.raises(ValidationFailed):
        await tickets.list(alice, cursor="not-a-cursor")


async def test_missing_ticket_is_not_found(tickets, people):
    with pytest.raises(NotFound):
        await tickets.get(await people.actor("admin"), "IT-999")


def _sample(key: str, tickets: TicketService) -> dict:
    from polydesk.core.demo import sample_form_data

    return sample_form_data(tickets.registry.request_types[key].form)


def _transition_to_category(tickets, ticket, category, actor):
    workflow = tickets.workflow_of(ticket)
    for t in tickets.available_transitions(actor, ticket):
        if workflow.state(t.to_state).category == category and not t.guards:
            return t
    return None


async def _walk_to(tickets, actor, ticket, states):
    """Take guard-free transitions until the ticket is in one of `states`."""
    from polydesk.core.demo import sample_form_data
    from polydesk.core.forms import Form

    for _ in range(6):
        if ticket.state in states or "*" in states:
            return ticket
        moves = [t for t in tickets.available_transitions(actor, ticket) if not t.guards]
        workflow = tickets.workflow_of(ticket)
        moves.sort(
            key=lambda t: (t.to_state not in states, workflow.state(t.to_state).category != "open")
        )
        move = moves[0]
        ticket = await tickets.transition(
            actor,
            ticket.id,
            move.key,
            version=ticket.version,
            fields=sample_form_data(Form(move.fields)),
        )
    raise AssertionError(f"could not reach {states}")


async def _finish(tickets, actor, ticket):
    """Resolve or close a ticket through its own workflow."""
    from polydesk.core.demo import sample_form_data
    from polydesk.core.forms import Form

    for _ in range(8):
        ticket = await tickets.get(actor, ticket.id)
        if ticket.state_category in ("resolved", "closed", "cancelled"):
            return ticket
        workflow = tickets.workflow_of(ticket)
        moves = [t for t in tickets.available_transitions(actor, ticket) if not t.guards]
        moves.sort(key=lambda t: workflow.state(t.to_state).category not in ("resolved", "closed"))
        move = moves[0]
        await tickets.transition(
            actor,
            ticket.id,
            move.key,
            version=ticket.version,
            fields=sample_form_data(Form(move.fields)),
        )
    raise AssertionError("could not finish the ticket")


async def test_agents_only_types_are_hidden_from_requesters_and_refused(tickets, people, runtime):
    alice, agent = await people.actor("alice"), await people.actor("it.agent")
    snapshot = await runtime.snapshot()
    internal = {
        rt.key
        for rt in runtime.registry.request_types.values()
        if rt.agents_only and rt.department == "it"
    }
    assert internal, "IT files changes and problems internally"
    assert internal.isdisjoint(rt.key for rt in snapshot.catalog("it", alice))
    assert internal <= {rt.key for rt in snapshot.catalog("it", agent)}
    key = sorted(internal)[0]
    with pytest.raises(ValidationFailed) as refused:
        await tickets.create(alice, request_type=key, title="x", form_data=_sample(key, tickets))
    assert "agents" in refused.value.fields["request_type"]
    created = await tickets.create(
        agent, request_type=key, title="Planned change", form_data=_sample(key, tickets)
    )
    assert created.request_type == key
