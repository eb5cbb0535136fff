"""Clocks on real tickets: stored from the timeline, fired once, escalated."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from polydesk.core.demo import sample_form_data
from polydesk.core.outbox.tables import OutboxMessage
from polydesk.core.sla.admin import edit
from polydesk.core.sla.scheduler import fire_due
from polydesk.core.sla.services import NO_DUE_DATE, compute_ticket_clocks
from polydesk.core.sla.tables import SLAClock
from polydesk.core.tickets.services import TicketService
from polydesk.core.tickets.tables import Ticket

MONDAY_9 = dt.datetime(2026, 11, 16, 8, 0, tzinfo=dt.UTC)  # 09:00 in Warsaw


@pytest.fixture
def clock(runtime):
    now = [MONDAY_9]
    runtime.clock = lambda: now[0]
    return now


async def _incident(runtime, people, impact="medium", urgency="medium"):
    service = TicketService(await runtime.snapshot())
    form = {
        **sample_form_data(runtime.registry.request_types["it.incident"].form),
        "impact": impact,
        "urgency": urgency,
    }
    ticket = await service.create(
        await people.actor("alice"), request_type="it.incident", title="Mail down", form_data=form
    )
    return service, ticket


async def _clocks(ticket_id):
    return {r["metric"]: r for r in await SLAClock.select().where(SLAClock.ticket == ticket_id)}


async def test_new_ticket_gets_clocks_and_the_queue_sorts_by_the_earliest(runtime, people, clock):
    _, ticket = await _incident(runtime, people)
    clocks = await _clocks(ticket.id)
    assert set(clocks) == {"first_response", "resolution"}
    assert all(c["status"] == "running" for c in clocks.values())
    assert ticket.sla_due_at == min(c["due_at"] for c in clocks.values())


async def test_stored_clocks_are_what_the_timeline_recomputes(runtime, people, clock):
    service, ticket = await _incident(runtime, people)
    agent = await people.actor("it.agent")
    clock[0] += dt.timedelta(minutes=20)
    await service.comment(agent, ticket.id, body="On it", public=True)
    clock[0] += dt.timedelta(minutes=40)
    ticket = await service.get(agent, ticket.id)
    await service.update(agent, ticket.id, version=ticket.version, priority=2)
    stored = await _clocks(ticket.id)
    _, recomputed = await compute_ticket_clocks(await runtime.snapshot(), ticket.id)
    for c in recomputed:
        row = stored[c.metric]
        assert (row["due_at"], row["status"], row["met_at"], row["target_minutes"]) == (
            c.due_at,
            c.status,
            c.met_at,
            c.target_minutes,
        )
    assert stored["first_response"]["status"] == "met"


async def test_warning_and_breach_fire_once_each_with_timeline_and_events(runtime, people, clock):
    _, ticket = await _incident(runtime, people)
    snapshot = await runtime.snapshot()
    due = (await _clocks(ticket.id))["first_response"]["due_at"]
    assert await fire_due(snapshot, MONDAY_9) == {"warning": 0, "breach": 0}
    warned = await fire_due(snapshot, due - dt.timedelta(minutes=1))
    assert warned["warning"] >= 1 and warned["breach"] == 0
    assert await fire_due(snapshot, due - dt.timedelta(minutes=1)) == {"warning": 0, "breach": 0}
    # The server was down past the due date: the breach still fires when it is back.
    later = due + dt.timedelta(hours=3)
    fired = await fire_due(snapshot, later)
    assert fired["breach"] >= 1
    assert await fire_due(snapshot, later) == {"warning": 0, "breach": 0}
    kinds = [r["kind"] for r in await TicketServiceTimeline.kinds(ticket.id)]
    assert kinds.count("sla_breach") == fired["breach"] and "sla_warning" in kinds
    events = [r["event"] for r in await OutboxMessage.select(OutboxMessage.event)]
    assert events.count("sla.breached") == fired["breach"]
    row = (await _clocks(ticket.id))["first_response"]
    assert row["breached_at"] == row["due_at"]


async def test_two_schedulers_at_once_fire_each_event_once(runtime, people, clock):
    """On PostgreSQL the claims use SKIP LOCKED; on SQLite the write lock serialises them."""
    tickets = [(await _incident(runtime, people))[1] for _ in range(6)]
    snapshot = await runtime.snapshot()
    far = MONDAY_9 + dt.timedelta(days=30)
    results = await asyncio.gather(fire_due(snapshot, far), fire_due(snapshot, far))
    clocks = await SLAClock.select().where(SLAClock.ticket.is_in([t.id for t in tickets]))
    assert sum(r["breach"] for r in results) == len(clocks)
    assert sum(r["warning"] for r in results) == len(clocks)
    breaches = await OutboxMessage.count().where(OutboxMessage.event == "sla.breached")
    assert breaches == len(clocks)


async def test_escalation_raises_priority_and_reassigns(runtime, people, clock):
    admin = await people.actor("admin")
    snapshot = await edit(
        await runtime.snapshot(),
        admin,
        "policy",
        "it.incident",
        {
            "escalation": {
                "notify_lead": True,
                "raise_priority": True,
                "reassign_group": "major-incidents",
            }
        },
    )
    _, ticket = await _incident(runtime, people, impact="low", urgency="low")  # P4
    due = (await _clocks(ticket.id))["resolution"]["due_at"]
    fired = await fire_due(snapshot, due + dt.timedelta(minutes=1))
    assert fired["breach"] >= 1
    row = (
        await Ticket.select(Ticket.priority, Ticket.assignment_group)
        .where(Ticket.id == ticket.id)
        .first()
    )
    # One step up per missed target, never past P1.
    assert row["priority"] == max(1, ticket.priority - fired["breach"])
    assert row["assignment_group"] == "major-incidents"
    kinds = [r["kind"] for r in await TicketServiceTimeline.kinds(ticket.id)]
    assert (
        "field_change" in kinds
    )  # the raise is on the timeline, so clocks can be recomputed from it


async def test_waiting_pauses_and_resolving_stops_the_clocks(runtime, people, clock):
    service, ticket = await _incident(runtime, people)
    agent = await people.actor("it.agent")
    workflow = service.workflow_of(ticket)
    to_waiting = next(
        t
        for t in workflow.transitions
        if workflow.state(t.to_state).category == "waiting" and not t.fields
    )
    ticket = await _walk(service, agent, ticket, to_waiting.from_states)
    paused = await service.transition(agent, ticket.id, to_waiting.key, version=ticket.version)
    assert {c["status"] for c in (await _clocks(ticket.id)).values()} <= {"paused", "met"}
    assert paused.sla_due_at is None  # no running clock: sorted last in the queue
    assert (await Ticket.select(Ticket.sla_due_at).where(Ticket.id == ticket.id).first())[
        "sla_due_at"
    ] == NO_DUE_DATE


async def _walk(service, actor, ticket, states):
    for _ in range(5):
        if ticket.state in states:
            return ticket
        move = next(
            t for t in service.available_transitions(actor, ticket) if not t.fields and not t.guards
        )
        ticket = await service.transition(actor, ticket.id, move.key, version=ticket.version)
    raise AssertionError(states)


class TicketServiceTimeline:
    @staticmethod
    async def kinds(ticket_id):
        from polydesk.core.tickets.tables import TimelineEvent

        return await TimelineEvent.select(TimelineEvent.kind).where(
            TimelineEvent.ticket == ticket_id
        )
