"""Events leave through the outbox: after commit, once, retried on failure."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from polydesk.core.demo import sample_form_data
from polydesk.core.events import TicketCreated
from polydesk.core.hookspecs import hookimpl
from polydesk.core.outbox.services import MAX_ATTEMPTS, deliver_due, failed_messages
from polydesk.core.outbox.tables import OutboxMessage
from polydesk.core.tickets.services import TicketService


class Recorder:
    def __init__(self, fail_times: int = 0) -> None:
        self.events: list[str] = []
        self.fail_times = fail_times

    @hookimpl
    async def polydesk_on_event(self, event):
        if self.fail_times:
            self.fail_times -= 1
            raise RuntimeError("webhook endpoint is down")
        self.events.append(f"{event.name}:{event.ticket_key}")


async def _incident(runtime, people, title="Printer on fire"):
    service = TicketService(await runtime.snapshot())
    form = sample_form_data(runtime.registry.request_types["it.incident"].form)
    return await service.create(
        await people.actor("alice"), request_type="it.incident", title=title, form_data=form
    )


async def test_hook_polydesk_on_event(runtime, people):
    """Plugins hear about a ticket after it committed, exactly once."""
    recorder = Recorder()
    runtime.pm.register(recorder, name="recorder")
    ticket = await _incident(runtime, people)
    assert recorder.events == []  # nothing is delivered inside the request
    assert await deliver_due(runtime.snapshot, runtime.clock) == 1
    assert await deliver_due(runtime.snapshot, runtime.clock) == 0
    assert recorder.events == [f"ticket.created:{ticket.key}"]


async def test_a_refused_change_leaves_no_event(runtime, people):
    service = TicketService(await runtime.snapshot())
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do
        await service.create(
            await people.actor("alice"), request_type="it.incident", title="", form_data={}
        )
    assert await OutboxMessage.count() == 0


async def test_a_failing_plugin_is_retried_with_back_off_and_loses_nothing(runtime, people):
    recorder = Recorder(fail_times=2)
    runtime.pm.register(recorder, name="recorder")
    ticket = await _incident(runtime, people)
    now = dt.datetime.now(dt.UTC)
    await deliver_due(runtime.snapshot, lambda: now)
    row = await OutboxMessage.select().first()
    assert row["attempts"] == 1 and "webhook endpoint is down" in row["last_error"]
    assert row["available_at"] > now  # not retried at once
    assert await deliver_due(runtime.snapshot, lambda: now) == 0
    later = now + dt.timedelta(hours=1)
    await deliver_due(runtime.snapshot, lambda: later)  # second failure
    await deliver_due(runtime.snapshot, lambda: later + dt.timedelta(hours=1))
    assert recorder.events == [f"ticket.created:{ticket.key}"]
    assert (await OutboxMessage.select().first())["delivered_at"] is not None


async def test_an_event_that_keeps_failing_is_parked_for_the_admin(runtime, people):
    runtime.pm.register(Recorder(fail_times=MAX_ATTEMPTS + 5), name="recorder")
    await _incident(runtime, people)
    moment = dt.datetime.now(dt.UTC)
    for _ in range(MAX_ATTEMPTS):
        moment += dt.timedelta(days=1)
        await deliver_due(runtime.snapshot, lambda moment=moment: moment)
    failed = await failed_messages()
    assert len(failed) == 1 and failed[0]["attempts"] == MAX_ATTEMPTS


async def test_event_effects_and_delivery_commit_together(runtime, people):
    """A plugin that writes to the database and then fails leaves no half effect."""
    from polydesk.core.tickets.tables import Ticket

    class HalfDone:
        @hookimpl
        async def polydesk_on_event(self, event):
            await Ticket.update({Ticket.title: "changed by plugin"}).where(
                Ticket.id == event.ticket_id
            )
            raise RuntimeError("then it broke")

    runtime.pm.register(HalfDone(), name="half-done")
    ticket = await _incident(runtime, people, title="Original")
    await deliver_due(runtime.snapshot, runtime.clock)
    row = await Ticket.select(Ticket.title).where(Ticket.id == ticket.id).first()
    assert row["title"] == "Original"


async def test_concurrent_workers_deliver_each_event_once(runtime, people):
    """On PostgreSQL, SKIP LOCKED shares the work; on SQLite the write lock serialises it."""
    recorder = Recorder()
    runtime.pm.register(recorder, name="recorder")
    keys = [(await _incident(runtime, people, title=f"burst {i}")).key for i in range(10)]
    await asyncio.gather(*[deliver_due(runtime.snapshot, runtime.clock) for _ in range(4)])
    assert sorted(recorder.events) == sorted(f"ticket.created:{k}" for k in keys)


def test_events_round_trip_through_their_payload():
    from polydesk.core.events import event_from_payload

    event = TicketCreated(
        ticket_id=1, ticket_key="IT-1", department="it", request_type="it.incident"
    )
    assert event_from_payload(event.name, event.to_payload()) == event


async def test_event_hooks_act_through_the_desk(runtime, people):
    """A plugin opens a child task in another department when a ticket is created,
    and its work commits with the delivery."""
    from polydesk.core.tickets.tables import Ticket

    class FanOut:
        @hookimpl
        async def polydesk_on_event(self, event, desk):
            if (
                event.name == "ticket.created"
                and event.parent_id is None
                and desk.offers("hr.payroll")
            ):
                form = sample_form_data(desk._snapshot.registry.request_types["hr.payroll"].form)
                await desk.create_ticket(
                    request_type="hr.payroll",
                    title=f"Follow-up for {event.ticket_key}",
                    parent=event.ticket_id,
                    form_data=form,
                )
                await desk.comment(event.ticket_id, "Payroll task opened.")

    runtime.pm.register(FanOut(), name="fan-out")
    parent = await _incident(runtime, people)
    await deliver_due(runtime.snapshot, runtime.clock)
    child = (
        await Ticket.select(Ticket.key, Ticket.parent, Ticket.requester)
        .where(Ticket.department == "hr")
        .first()
    )
    assert child["parent"] == parent.id and child["requester"] == parent.requester.id
    service = TicketService(await runtime.snapshot())
    notes = [
        e.body
        for e in await service.timeline(await people.actor("it.agent"), parent.id)
        if e.kind == "note"
    ]
    assert notes == ["Payroll task opened."]


async def test_desk_reads_and_makes_links(runtime, people):
    from polydesk.core.desk import Desk

    first = await _incident(runtime, people, title="Mail down")
    second = await _incident(runtime, people, title="Mail slow")
    desk = Desk(await runtime.snapshot())
    await desk.link(second.id, target=first.id, kind="caused_by")
    assert [
        (link.ticket_key, link.direction, link.kind) for link in await desk.links(first.id)
    ] == [(second.key, "incoming", "caused_by")]
