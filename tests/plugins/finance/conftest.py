"""Finance's cast and helpers: a manager, a finance lead, a CFO, real tickets, real events."""

from __future__ import annotations

from typing import Any

import pytest

from polydesk.core.outbox.services import deliver_due
from polydesk.core.people.services import set_manager
from polydesk.core.permissions import SYSTEM
from polydesk.core.tickets.services import TicketService

PURCHASE = {
    "item": "Two 27-inch monitors for the design team",
    "purchase_category": "goods",
    "amount": "800.00",
    "currency": "PLN",
    "cost_centre": "CC-1203",
    "vendor": "Biuro Plus Sp. z o.o.",
    "justification": "Two new designers start in April.",
}

EXPENSE = {
    "expense_date": "2026-02-10",
    "expense_category": "travel",
    "amount": "412.50",
    "currency": "PLN",
    "receipts": "uploads/taxi.pdf",
    "business_purpose": "Taxi to the Acme contract signing.",
}

VENDOR = {
    "vendor_name": "Nordwind GmbH",
    "tax_id": "DE123456789",
    "registered_address": "Hafenstraße 1, 20457 Hamburg, Germany",
    "contact_email": "accounts@nordwind.example",
    "bank_account_holder": "Nordwind GmbH",
    "bank_name": "Hamburger Sparkasse",
    "iban": "DE89 3704 0044 0532 0130 00",
    "swift_bic": "HASPDEHHXXX",
    "bank_confirmation": "uploads/nordwind-bank-letter.pdf",
    "payment_terms": "30",
}


class Finance:
    """Acts on Finance tickets through the core's services, as a given person."""

    PURCHASE = PURCHASE
    EXPENSE = EXPENSE
    VENDOR = VENDOR

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

    async def purchase(self, username: str = "alice", **changes: Any):
        ticket = await self.file(username, "finance.purchase", {**PURCHASE, **changes})
        await self.deliver()
        return ticket

    async def get(self, username: str, ticket_id: int):
        return await (await self.service()).get(await self.people.actor(username), ticket_id)

    async def approvals(self, ticket_id: int) -> list[tuple[int, str, str]]:
        """(step, approver, state) of each approval, in step order."""
        service = await self.service()
        found = await service.approvals(SYSTEM, ticket_id)
        return [(a.step, a.approver.username, a.state) for a in found]

    async def decide(self, username: str, ticket_id: int, step: int, approve: bool = True):
        service = await self.service()
        actor = await self.people.actor(username)
        approval = next(a for a in await service.approvals(actor, ticket_id) if a.step == step)
        decided = await service.decide_approval(
            actor, ticket_id, approval.id, approve=approve, comment="ok" if approve else "no"
        )
        await self.deliver()
        return decided

    async def timeline(self, username: str, ticket_id: int):
        service = await self.service()
        return await service.timeline(await self.people.actor(username), ticket_id)


@pytest.fixture
async def finance(runtime, people) -> Finance:
    """alice is managed by maria; bob has no manager; Finance has an agent, a lead and a CFO."""
    await people.add("maria")
    await people.add("finance.lead", roles={"finance": "lead"})
    await people.add("fin.cfo", roles={"finance": "lead"}, teams=[("finance", "cfo")])
    await set_manager(people.ids["alice"], people.ids["maria"])
    return Finance(runtime, people)
