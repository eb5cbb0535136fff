"""A ticket whose SLA target is only a date (HR onboarding's start date) can be cancelled.

Found by the scale benchmark's generator: the cancelled clock carried no target
minutes, and storing it failed (NOT NULL), so cancelling such a ticket was a
server error and nothing changed.
"""

from __future__ import annotations

from polydesk.core.demo import sample_form_data
from polydesk.core.forms import Form
from polydesk.core.sla.services import clocks_for
from polydesk.core.tickets.services import TicketService


async def test_cancelling_a_ticket_due_on_a_date_works(runtime, people):
    await people.add("hr.lead", roles={"hr": "lead"})
    snapshot = await runtime.snapshot()
    tickets = TicketService(snapshot)
    rt = snapshot.registry.request_types["hr.onboarding"]
    ticket = await tickets.create(
        await people.actor("alice"),
        request_type=rt.key,
        title="Onboard Dana",
        form_data=sample_form_data(rt.form),
    )
    lead = await people.actor("hr.lead")
    workflow = snapshot.registry.workflows[rt.workflow]
    cancel = next(
        t
        for t in tickets.available_transitions(lead, ticket)
        if workflow.state(t.to_state).category == "cancelled"
    )
    done = await tickets.transition(
        lead,
        ticket.id,
        cancel.key,
        version=ticket.version,
        fields=sample_form_data(Form(cancel.fields)),
    )
    assert done.state_category == "cancelled" and done.sla_due_at is None
    clocks = (await clocks_for([ticket.id]))[ticket.id]
    assert clocks and all(c["status"] in ("cancelled", "met") for c in clocks)
