"""HR's cast and helpers: managers, an HR lead, real tickets, real events."""

from __future__ import annotations

from typing import Any

import pytest

from polydesk.core import Form
from polydesk.core.demo import sample_form_data
from polydesk.core.outbox.services import deliver_due
from polydesk.core.people.services import set_manager
from polydesk.core.permissions import SYSTEM
from polydesk.core.plugin_state.services import set_plugin_enabled
from polydesk.core.tickets.services import TicketService

ONBOARDING = {
    "new_hire_name": "Zofia Nowak",
    "personal_email": "zofia@example.org",
    "start_date": "2026-04-01",
    "manager": "maria",
    "job_title": "Payroll specialist",
    "employment_type": "employee",
    "location": "krakow",
    "equipment": ["laptop", "headset"],
    "system_access": "ERP payroll module (write)",
}

OFFBOARDING = {
    "employee": "bob",
    "last_day": "2026-06-30",
    "reason": "resignation",
    "access_removal": "end_of_last_day",
    "mailbox": "forward_to_manager",
    "equipment_return": "Laptop LT-01234 and phone, to the Kraków reception.",
}

DONE = ("resolved", "closed", "cancelled")


class Personnel:
    """Acts on tickets through the core's services, as a given person or as Polydesk."""

    ONBOARDING = ONBOARDING
    OFFBOARDING = OFFBOARDING

    def __init__(self, runtime: Any, people: Any) -> None:
        self.runtime = runtime
        self.people = people

    async def service(self) -> TicketService:
        self.runtime.plugin_states.invalidate()
        return TicketService(await self.runtime.snapshot())

    async def deliver(self) -> int:
        """Deliver the outbox as the background worker would."""
        self.runtime.plugin_states.invalidate()
        return await deliver_due(self.runtime.snapshot, self.runtime.clock)

    async def enable(self, plugin: str, enabled: bool) -> None:
        await set_plugin_enabled(self.runtime.pm, plugin, enabled)
        self.runtime.plugin_states.invalidate()

    async def file(self, username: str, request_type: str, form_data: dict, title: str = "x"):
        service = await self.service()
        return await service.create(
            await self.people.actor(username),
            request_type=request_type,
            title=title,
            form_data=form_data,
        )

    async def move(self, username: str | None, ticket_id: int, transition: str, **fields: Any):
        actor = await self.people.actor(username) if username else SYSTEM
        service = await self.service()
        return await service.transition(actor, ticket_id, transition, version=None, fields=fields)

    async def get(self, ticket_id: int):
        return await (await self.service()).get(SYSTEM, ticket_id)

    async def children(self, ticket_id: int):
        return await (await self.service()).children(SYSTEM, ticket_id)

    async def notes(self, ticket_id: int) -> list[str]:
        """Bodies of the ticket's comments and transition comments, oldest first."""
        timeline = await (await self.service()).timeline(SYSTEM, ticket_id)
        return [entry.body for entry in timeline if entry.body]

    async def approvals(self, ticket_id: int) -> list[tuple[str, str, str]]:
        found = await (await self.service()).approvals(SYSTEM, ticket_id)
        return [(a.approver.username, a.rule, a.state) for a in found]

    async def decide(self, username: str, ticket_id: int, approve: bool = True) -> None:
        service = await self.service()
        actor = await self.people.actor(username)
        approval = next(
            a for a in await service.approvals(actor, ticket_id) if a.state == "pending"
        )
        await service.decide_approval(actor, ticket_id, approval.id, approve=approve)
        await self.deliver()

    async def finish(self, ticket_id: int):
        """Take a task to a done state, as its department would (resolved if it can)."""
        service = await self.service()
        for _ in range(6):
            ticket = await service.get(SYSTEM, ticket_id)
            if ticket.state_category in DONE:
                return ticket
            workflow = service.workflow_of(ticket)
            moves = [t for t in service.available_transitions(SYSTEM, ticket) if not t.guards]
            category = {t.key: workflow.state(t.to_state).category for t in moves}
            moves.sort(key=lambda t: (category[t.key] != "resolved", category[t.key] not in DONE))
            step = moves[0]
            fields = sample_form_data(Form(step.fields))
            await service.transition(SYSTEM, ticket_id, step.key, version=None, fields=fields)
        raise AssertionError(f"ticket {ticket_id} could not be finished")


@pytest.fixture
async def personnel(runtime, people) -> Personnel:
    """maria manages alice and bob; HR has two agents (one in the case team) and a lead."""
    await people.add("maria")
    await people.add("hr.lead", roles={"hr": "lead"})
    for employee in ("alice", "bob"):
        await set_manager(people.ids[employee], people.ids["maria"])
    return Personnel(runtime, people)
