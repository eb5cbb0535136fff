"""Purchase, expense and vendor approvals end to end: real tickets, real events, real decisions."""

from __future__ import annotations

import pytest

from polydesk.core import InvalidTransition, TicketCreated
from polydesk.core.outbox.services import enqueue
from polydesk.core.tickets.tables import Approval


def kinds(timeline) -> list[str]:
    return [e.kind for e in timeline]


# -- Purchases: approvers chosen by amount ------------------------------------------------


async def test_up_to_the_first_threshold_the_manager_alone_approves(finance):
    ticket = await finance.purchase(amount="1000.00")
    assert await finance.approvals(ticket.id) == [(1, "maria", "pending")]
    assert (await finance.get("alice", ticket.id)).state == "pending_approval"

    await finance.decide("maria", ticket.id, 1)
    assert (await finance.get("alice", ticket.id)).state == "approved"


async def test_above_it_the_finance_lead_approves_after_the_manager(finance, client, people):
    ticket = await finance.purchase(amount="5000.00")
    assert await finance.approvals(ticket.id) == [
        (1, "maria", "pending"),
        (2, "finance.lead", "pending"),
    ]
    # Out of order: the finance lead cannot decide before the manager.
    lead_approval = (await finance.service()).approvals
    step_two = [a for a in await lead_approval(await people.actor("maria"), ticket.id)][1]
    refused = await client.post(
        f"/api/v1/tickets/{ticket.key}/approvals/{step_two.id}/decision",
        json={"approve": True},
        headers=await people.headers("finance.lead"),
    )
    assert refused.status_code == 409
    assert "earlier approval step" in refused.json()["detail"]

    await finance.decide("maria", ticket.id, 1)
    assert (await finance.get("alice", ticket.id)).state == "pending_approval"
    approved = await client.post(
        f"/api/v1/tickets/{ticket.key}/approvals/{step_two.id}/decision",
        json={"approve": True, "comment": "Within the Q2 budget."},
        headers=await people.headers("finance.lead"),
    )
    assert approved.status_code == 201
    await finance.deliver()
    assert (await finance.get("alice", ticket.id)).state == "approved"

    # Each request and each decision is on the timeline the requester reads.
    timeline = await finance.timeline("alice", ticket.id)
    approvals = [e for e in timeline if e.kind in ("approval_requested", "approval")]
    assert [(e.kind, e.data["step"]) for e in approvals] == [
        ("approval_requested", 1),
        ("approval_requested", 2),
        ("approval", 1),
        ("approval", 2),
    ]
    # Amounts are money in the reader's language (PLN and its digits never wrap apart).
    assert approvals[1].data["rule"] == "finance lead: PLN\u00a05,000.00 is above PLN\u00a01,000.00"
    summary = next(e for e in timeline if e.kind == "reply")
    assert "1. maria (manager of alice)\n2. finance.lead" in summary.body
    assert kinds(timeline)[-1] == "transition"


async def test_above_the_second_the_cfo_approves_last_and_currencies_are_converted(finance):
    ticket = await finance.purchase(amount="3000.00", currency="EUR")  # 12,750 PLN
    assert await finance.approvals(ticket.id) == [
        (1, "maria", "pending"),
        (2, "finance.lead", "pending"),
        (3, "fin.cfo", "pending"),
    ]
    timeline = await finance.timeline("alice", ticket.id)
    rules = [e.data["rule"] for e in timeline if e.kind == "approval_requested"]
    assert rules[2] == "CFO: €3,000.00 = PLN\u00a012,750.00 is above PLN\u00a010,000.00"

    for step, approver in ((1, "maria"), (2, "finance.lead")):
        await finance.decide(approver, ticket.id, step)
        assert (await finance.get("alice", ticket.id)).state == "pending_approval"
    await finance.decide("fin.cfo", ticket.id, 3)
    assert (await finance.get("alice", ticket.id)).state == "approved"


async def test_an_admin_moves_the_thresholds(finance, runtime, client, people):
    response = await client.put(
        "/api/v1/plugins/finance/settings",
        json={
            "finance_lead_above": 5000,
            "cfo_above": 50000,
            "rates": {"EUR": 4, "USD": 4, "GBP": 5},
        },
        headers=await people.headers("admin"),
    )
    assert response.status_code == 200
    runtime.plugin_states.invalidate()
    ticket = await finance.purchase(amount="3000.00", currency="EUR")  # now 12,000 PLN
    assert [a[1] for a in await finance.approvals(ticket.id)] == ["maria", "finance.lead"]
    small = await finance.purchase(amount="1250.00", currency="EUR")  # 5,000 PLN: not above
    assert [a[1] for a in await finance.approvals(small.id)] == ["maria"]


async def test_a_rejection_rejects_the_purchase_and_stops_later_steps(finance):
    ticket = await finance.purchase(amount="5000.00")
    await finance.decide("maria", ticket.id, 1, approve=False)
    rejected = await finance.get("finance.agent", ticket.id)
    assert rejected.state == "rejected"
    assert rejected.form_data["rejection_reason"] == "Rejected by maria at approval step 1."
    with pytest.raises(InvalidTransition):
        await finance.decide("finance.lead", ticket.id, 2)


async def test_a_requester_without_a_manager_gets_the_finance_lead_and_is_told_why(finance):
    ticket = await finance.purchase("bob", amount="5000.00")
    # The lead outside the CFO's team takes step 1; nobody approves twice, so the
    # finance-lead step falls to the other lead, the CFO.
    assert await finance.approvals(ticket.id) == [
        (1, "finance.lead", "pending"),
        (2, "fin.cfo", "pending"),
    ]
    replies = [e.body for e in await finance.timeline("bob", ticket.id) if e.kind == "reply"]
    assert "bob has no manager in Polydesk, so a finance lead approves the first step" in replies[0]


def test_a_level_already_covered_by_an_earlier_step_is_not_asked_twice():
    from polydesk.plugins.finance.approvals import Level, resolve

    chain = resolve(
        "bob",
        [
            Level("finance lead, instead of a manager for bob", ("finance.lead",)),
            Level("finance lead: above the threshold", ("bob", "finance.lead")),
            Level("CFO", ()),
        ],
    )
    assert [s.approver for s in chain.steps] == ["finance.lead"]
    assert [str(note) for note in chain.notes] == [
        "finance.lead already approves step 1, which also covers: finance lead: above the threshold."
    ]
    assert chain.missing == ["CFO"]


async def test_nobody_approves_their_own_purchase(finance, people):
    await people.add("finance.lead2", roles={"finance": "lead"})
    from polydesk.core.people.services import set_manager

    await set_manager(people.ids["finance.lead"], people.ids["maria"])
    ticket = await finance.purchase("finance.lead", amount="5000.00")
    assert [a[1] for a in await finance.approvals(ticket.id)] == ["maria", "finance.lead2"]


async def test_without_a_cfo_nothing_is_requested_and_finance_is_told(finance, people):
    from polydesk.core.people.services import set_role

    await set_role(people.ids["fin.cfo"], "finance", None)
    ticket = await finance.purchase(amount="20000.00")
    assert await finance.approvals(ticket.id) == []
    assert (await finance.get("alice", ticket.id)).state == "new"
    notes = [e for e in await finance.timeline("finance.agent", ticket.id) if e.kind == "note"]
    assert "nobody in Polydesk can approve as:\nCFO" in notes[0].body
    assert not notes[0].public


async def test_a_redelivered_creation_event_asks_nobody_twice(finance, runtime):
    ticket = await finance.purchase(amount="5000.00")
    again = TicketCreated(
        ticket_id=ticket.id,
        ticket_key=ticket.key,
        department="finance",
        request_type="finance.purchase",
        requester="alice",
    )
    await enqueue(again, runtime.clock())
    assert await finance.deliver() == 1
    assert await Approval.count().where(Approval.ticket == ticket.id) == 2
    assert (await finance.get("alice", ticket.id)).state == "pending_approval"


async def test_nothing_is_approved_by_hand_before_every_approver_has(finance, client, people):
    ticket = await finance.purchase(amount="5000.00")
    await finance.decide("maria", ticket.id, 1)
    response = await client.post(
        f"/api/v1/tickets/{ticket.key}/transitions",
        json={"transition": "approve"},
        headers=await people.headers("finance.agent"),
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "Not every approval has been granted."
    early = await client.post(
        f"/api/v1/tickets/{ticket.key}/transitions",
        json={"transition": "place_order", "fields": {"po_number": "PO-204518"}},
        headers=await people.headers("finance.agent"),
    )
    assert early.status_code == 409


async def test_the_approved_purchase_is_ordered_and_received(finance, client, people):
    ticket = await finance.purchase(amount="500.00")
    await finance.decide("maria", ticket.id, 1)
    agent = await people.headers("finance.agent")
    bad_po = await client.post(
        f"/api/v1/tickets/{ticket.key}/transitions",
        json={"transition": "place_order", "fields": {"po_number": "12"}},
        headers=agent,
    )
    assert bad_po.status_code == 422
    ordered = await client.post(
        f"/api/v1/tickets/{ticket.key}/transitions",
        json={"transition": "place_order", "fields": {"po_number": "PO-204518"}},
        headers=agent,
    )
    assert ordered.json()["state"] == "ordered"
    received = await client.post(
        f"/api/v1/tickets/{ticket.key}/transitions",
        json={"transition": "receive", "fields": {"received_on": "2026-11-20"}},
        headers=await people.headers("alice"),
    )
    assert received.json()["state"] == "received"
    closing = await client.post(
        f"/api/v1/tickets/{ticket.key}/transitions",
        json={"transition": "close"},
        headers=await people.headers("alice"),
    )
    assert closing.status_code == 403  # only Finance matches the invoice and closes


# -- Expenses: the manager, then Finance ----------------------------------------------------


async def test_an_expense_is_approved_by_the_manager_then_finance_then_paid(
    finance, client, people
):
    claim = await finance.file("alice", "finance.expense", finance.EXPENSE)
    await finance.deliver()
    assert await finance.approvals(claim.id) == [
        (1, "maria", "pending"),
        (2, "finance.agent", "pending"),
    ]
    assert (await finance.get("alice", claim.id)).state == "pending_approval"
    with pytest.raises(InvalidTransition):
        await finance.decide("finance.agent", claim.id, 2)
    await finance.decide("maria", claim.id, 1)
    await finance.decide("finance.agent", claim.id, 2)
    assert (await finance.get("alice", claim.id)).state == "in_review"
    paid = await client.post(
        f"/api/v1/tickets/{claim.key}/transitions",
        json={
            "transition": "pay",
            "fields": {"amount_paid": "412.50", "payment_reference": "PAY/2026/11/0042"},
        },
        headers=await people.headers("finance.agent"),
    )
    assert paid.json()["state"] == "paid"


async def test_an_expense_without_a_manager_goes_to_a_finance_lead_first(finance):
    claim = await finance.file("bob", "finance.expense", finance.EXPENSE)
    await finance.deliver()
    assert [a[1] for a in await finance.approvals(claim.id)] == ["finance.lead", "finance.agent"]


async def test_an_expense_rejected_by_the_manager_is_not_paid(finance):
    claim = await finance.file("alice", "finance.expense", finance.EXPENSE)
    await finance.deliver()
    await finance.decide("maria", claim.id, 1, approve=False)
    assert (await finance.get("alice", claim.id)).state == "rejected"


async def test_an_expense_needs_its_receipts(finance, client, people):
    without = {k: v for k, v in finance.EXPENSE.items() if k != "receipts"}
    response = await client.post(
        "/api/v1/tickets",
        json={"request_type": "finance.expense", "title": "Taxi", "form_data": without},
        headers=await people.headers("alice"),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "form_data.receipts", "message": "This field is required."}
    ]


# -- Vendors: four eyes on bank details ----------------------------------------------------


async def test_a_vendor_is_approved_by_a_lead_other_than_the_verifier(finance, client, people):
    vendor = await finance.file("alice", "finance.vendor_onboarding", finance.VENDOR)
    agent = await people.headers("finance.agent")
    for transition, fields in (
        ("start_verification", {}),
        ("verify", {"bank_verification": ["callback", "white_list"]}),
    ):
        response = await client.post(
            f"/api/v1/tickets/{vendor.key}/transitions",
            json={"transition": transition, "fields": fields},
            headers=agent,
        )
        assert response.status_code == 201, response.json()
    await finance.deliver()
    assert await finance.approvals(vendor.id) == [(1, "finance.lead", "pending")]
    create = {"transition": "approve", "fields": {"vendor_number": "V-10442"}}
    early = await client.post(
        f"/api/v1/tickets/{vendor.key}/transitions", json=create, headers=agent
    )
    assert early.status_code == 409
    await finance.decide("finance.lead", vendor.id, 1)
    done = await client.post(
        f"/api/v1/tickets/{vendor.key}/transitions", json=create, headers=agent
    )
    assert done.json()["state"] == "active"
