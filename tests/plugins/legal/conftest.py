"""Legal's cast: a paralegal, a lawyer, a lead, privileged counsel; helpers over the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from polydesk.core.outbox.services import deliver_due
from polydesk.plugins.legal.deadlines import today


def working_days_from_today(days: int) -> str:
    """The ISO date `days` working days (Monday to Friday) after today in Legal's office."""
    day = today()
    while days:
        day += dt.timedelta(days=1)
        if day.isoweekday() <= 5:
            days -= 1
    return day.isoformat()


CONTRACT = {
    "counterparty": "Acme Sp. z o.o.",
    "contract_type": "msa",
    "value": "120000.50",
    "currency": "EUR",
    "business_owner": "alice",
    "paper": "theirs",
    "document": "uploads/acme-msa-v3.docx",
}

NDA = {
    "counterparty": "Nordwind GmbH",
    "counterparty_address": "Hafenstraße 1, 20457 Hamburg, Germany",
    "direction": "mutual",
    "purpose": "Evaluating a joint offer for a logistics tender.",
    "business_owner": "alice",
    "signatory_name": "Jana Weber",
    "signatory_email": "jana.weber@nordwind.example",
}


class Legal:
    """Files and moves Legal tickets through the API as a given person."""

    CONTRACT = CONTRACT
    NDA = NDA
    working_days_from_today = staticmethod(working_days_from_today)

    def __init__(self, runtime: Any, people: Any, client: Any) -> None:
        self.runtime = runtime
        self.people = people
        self.client = client

    async def file(self, username: str, request_type: str, form_data: dict, title: str = "x"):
        return await self.client.post(
            "/api/v1/tickets",
            json={"request_type": request_type, "title": title, "form_data": form_data},
            headers=await self.people.headers(username),
        )

    async def contract(self, username: str = "alice", **changes: Any) -> dict:
        data = {"deadline": working_days_from_today(12), **CONTRACT, **changes}
        response = await self.file(username, "legal.contract_review", data, "Acme MSA")
        assert response.status_code == 201, response.json()
        return response.json()

    async def move(self, username: str, key: str, transition: str, **fields: Any):
        return await self.client.post(
            f"/api/v1/tickets/{key}/transitions",
            json={"transition": transition, "fields": fields},
            headers=await self.people.headers(username),
        )

    async def get(self, username: str, key: str):
        return await self.client.get(
            f"/api/v1/tickets/{key}", headers=await self.people.headers(username)
        )

    async def deliver(self) -> int:
        self.runtime.plugin_states.invalidate()
        return await deliver_due(self.runtime.snapshot, self.runtime.clock)


@pytest.fixture
async def legal(runtime, people, client) -> Legal:
    await people.add("legal.paralegal", roles={"legal": "agent"})
    await people.add("legal.lawyer", roles={"legal": "agent"}, teams=[("legal", "lawyers")])
    await people.add("legal.lead", roles={"legal": "lead"})
    await people.add("legal.counsel", roles={"legal": "agent"}, teams=[("legal", "privileged")])
    return Legal(runtime, people, client)
