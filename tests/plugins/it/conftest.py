"""IT's cast and helpers: a manager, IT leads, real tickets, real events."""

from __future__ import annotations

from typing import Any

import pytest

from polydesk.core.demo import sample_form_data
from polydesk.core.outbox.services import deliver_due
from polydesk.core.people.services import set_manager
from polydesk.core.permissions import SYSTEM
from polydesk.core.tickets.services import TicketService

INCIDENT = {
    "affected_service": "email",
    "category": "software",
    "impact": "high",
    "urgency": "high",
}

ACCESS = {
    "system": "crm",
    "access_level": "read",
    "business_justification": "I take over the Acme account from Bob.",
}

CHANGE = {
    "change_type": "normal",
    "affected_service": "email",
    "risk": "medium",
    "window_start": "2026-03-07",
    "window_end": "2026-03-07",
    "implementation_plan": "Move the mail gateway to the new cluster.",
    "rollback_plan": "Point the MX records back (15 minutes).",
}


class Helpdesk:
    """Acts on IT tickets through the core's services, as a given person."""

    INCIDENT = INCIDENT
    ACCESS = ACCESS
    CHANGE = CHANGE

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

    async def file(self, username: str, request_type: str, form_data: dict, title: str = "x"):
        service = await self.service()
        return await service.create(
            await self.people.actor(username),
            request_type=request_type,
            title=title,
            form_data=form_data,
        )

    def sample(self, request_type: str) -> dict:
        return sample_form_data(self.runtime.registry.request_types[request_type].form)

    async def move(self, username: str, ticket_id: int, transition: str, **fields: Any):
        service = await self.service()
        return await service.transition(
            await self.people.actor(username), ticket_id, transition, version=None, fields=fields
        )

    async def get(self, ticket_id: int, username: str | None = None):
        actor = await self.people.actor(username) if username else SYSTEM
        return await (await self.service()).get(actor, ticket_id)

    async def approvals(self, ticket_id: int) -> list[tuple[str, str, str]]:
        """(approver, rule, state) of each approval, in order."""
        found = await (await self.service()).approvals(SYSTEM, ticket_id)
        return [(a.approver.username, a.rule, a.state) for a in found]

    async def decide(self, username: str, ticket_id: int, approve: bool = True) -> None:
        service = await self.service()
        actor = await self.people.actor(username)
        approval = next(
            a
            for a in await service.approvals(actor, ticket_id)
            if a.approver.username == username and a.state == "pending"
        )
        await service.decide_approval(actor, ticket_id, approval.id, approve=approve)
        await self.deliver()

    async def notes(self, ticket_id: int) -> list[str]:
        """Bodies of the ticket's comments and transition comments, oldest first."""
        timeline = await (await self.service()).timeline(SYSTEM, ticket_id)
        return [entry.body for entry in timeline if entry.body]


@pytest.fixture
async def helpdesk(runtime, people) -> Helpdesk:
    """alice is managed by maria; bob has no manager; IT has an agent and two leads."""
    await people.add("maria")
    await people.add("it.lead2", roles={"it": "lead"})
    await set_manager(people.ids["alice"], people.ids["maria"])
    return Helpdesk(runtime, people)
