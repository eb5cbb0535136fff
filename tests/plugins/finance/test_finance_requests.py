"""Invoice queries and payroll set-ups through the API and the desk; refused moves."""

from __future__ import annotations

import pytest

from polydesk.core import ValidationFailed
from polydesk.core.desk import Desk
from polydesk.core.plugin_state.services import set_plugin_enabled

INVOICE = {
    "query_type": "payment_status",
    "vendor": "Biuro Plus Sp. z o.o.",
    "invoice_number": "FV/2026/02/117",
    "po_number": "PO-204518",
}


async def raise_ticket(client, headers, request_type: str, form_data: dict):
    return await client.post(
        "/api/v1/tickets",
        json={"request_type": request_type, "title": "A question", "form_data": form_data},
        headers=headers,
    )


async def test_hook_polydesk_validate_request_an_invoice_amount_needs_its_currency(
    finance, client, people
):
    alice = await people.headers("alice")
    refused = await raise_ticket(
        client, alice, "finance.invoice_query", {**INVOICE, "amount": "1230"}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "form_data.currency", "message": "Give the currency of the invoice amount."}
    ]
    bad_po = await raise_ticket(
        client, alice, "finance.invoice_query", {**INVOICE, "po_number": "4518"}
    )
    assert bad_po.json()["errors"] == [
        {"field": "form_data.po_number", "message": "This value does not have the expected format."}
    ]
    filed = await raise_ticket(
        client, alice, "finance.invoice_query", {**INVOICE, "amount": "1230", "currency": "EUR"}
    )
    assert filed.status_code == 201
    assert filed.json()["form_data"]["amount"] == "1230.00"


async def test_an_invoice_query_is_answered_and_closed(finance, client, people):
    filed = await raise_ticket(
        client, await people.headers("alice"), "finance.invoice_query", INVOICE
    )
    key = filed.json()["key"]
    agent = await people.headers("finance.agent")
    no_answer = await client.post(
        f"/api/v1/tickets/{key}/transitions", json={"transition": "resolve"}, headers=agent
    )
    assert no_answer.status_code == 422
    answered = await client.post(
        f"/api/v1/tickets/{key}/transitions",
        json={"transition": "resolve", "fields": {"resolution_note": "Paid on 12 March."}},
        headers=agent,
    )
    assert answered.json()["state"] == "resolved"
    closed = await client.post(
        f"/api/v1/tickets/{key}/transitions",
        json={"transition": "close"},
        headers=await people.headers("alice"),
    )
    assert closed.json()["state"] == "closed"


async def test_hr_opens_a_payroll_set_up_with_what_an_onboarding_knows(finance, runtime):
    """HR's onboarding asks the desk for `finance.payroll_setup` with name and start date only."""
    desk = Desk(await runtime.snapshot())
    assert desk.offers("finance.payroll_setup")
    ticket = await desk.create_ticket(
        request_type="finance.payroll_setup",
        title="Payroll set-up: Jan Kowalski",
        requester="alice",
        form_data={"new_hire_name": "Jan Kowalski", "start_date": "2026-12-01"},
    )
    assert (ticket.key, ticket.state, ticket.department) == ("FIN-1", "new", "finance")
    with pytest.raises(ValidationFailed) as refused:
        await desk.create_ticket(
            request_type="finance.payroll_setup",
            title="Payroll set-up",
            requester="alice",
            form_data={"new_hire_name": "Jan", "cost_centre": "1203"},
        )
    assert refused.value.fields == {
        "form_data.start_date": "This field is required.",
        "form_data.cost_centre": "This value does not have the expected format.",
    }

    await set_plugin_enabled(runtime.pm, "finance", False)
    runtime.plugin_states.invalidate()
    assert not Desk(await runtime.snapshot()).offers("finance.payroll_setup")


async def test_a_payroll_set_up_is_done_with_a_note(finance, client, people):
    # Internal work (agents only): HR's onboarding files it as the system, or a Finance agent does.
    filed = await raise_ticket(
        client,
        await people.headers("finance.agent"),
        "finance.payroll_setup",
        {
            "new_hire_name": "Jan Kowalski",
            "start_date": "2026-12-01",
            "employment_type": "employee",
            "cost_centre": "CC-1203",
            "salary_band": "B3",
        },
    )
    key = filed.json()["key"]
    agent = await people.headers("finance.agent")
    refused = await client.post(
        f"/api/v1/tickets/{key}/transitions",
        json={"transition": "complete"},
        headers=await people.headers("alice"),
    )
    assert (
        refused.status_code == 404
    )  # alice neither raised it nor works in Finance: she may not see it
    done = await client.post(
        f"/api/v1/tickets/{key}/transitions",
        json={"transition": "complete", "fields": {"completion_note": "Payroll no. 4411."}},
        headers=agent,
    )
    assert (done.json()["state"], done.json()["state_category"]) == ("done", "resolved")


async def test_an_expense_is_never_paid_before_its_approvals(finance, client, people):
    filed = await raise_ticket(
        client, await people.headers("alice"), "finance.expense", finance.EXPENSE
    )
    key = filed.json()["key"]
    agent = await people.headers("finance.agent")
    # Straight from "submitted": not a move the workflow has.
    early = await client.post(
        f"/api/v1/tickets/{key}/transitions",
        json={"transition": "pay", "fields": {"amount_paid": "1", "payment_reference": "x"}},
        headers=agent,
    )
    assert early.status_code == 409
    cancelled = await client.post(
        f"/api/v1/tickets/{key}/transitions",
        json={"transition": "cancel"},
        headers=await people.headers("alice"),
    )
    assert cancelled.json()["state"] == "cancelled"
