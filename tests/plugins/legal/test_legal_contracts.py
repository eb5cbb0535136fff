"""Contract review through the API: the document, the deadline, the stages, the redline."""

from __future__ import annotations

import datetime as dt

import pytest

from polydesk.core import Priority
from polydesk.plugins.legal.deadlines import deadline_error, priority_for, working_days_until

MONDAY = dt.date(2026, 11, 23)


# -- The deadline, as pure rules ---------------------------------------------------------


def test_working_days_skip_weekends():
    assert working_days_until(dt.date(2026, 11, 24), MONDAY) == 1
    assert working_days_until(dt.date(2026, 11, 28), MONDAY) == 4  # Saturday
    assert working_days_until(dt.date(2026, 11, 30), MONDAY) == 5  # next Monday
    assert working_days_until(MONDAY - dt.timedelta(days=3), MONDAY) == 0


@pytest.mark.parametrize(
    ("deadline", "priority"),
    [
        ("2026-11-25", Priority.P1),  # 2 working days: P1 resolves within 2
        ("2026-11-27", Priority.P1),  # 4
        ("2026-11-30", Priority.P2),  # 5: P2 resolves within 5
        ("2026-12-04", Priority.P2),  # 9
        ("2026-12-07", Priority.P3),  # 10: P3 resolves within 10
        ("2026-12-11", Priority.P3),  # 14
        ("2026-12-14", Priority.P4),  # 15: P4 resolves within 15
        ("2027-03-01", Priority.P4),
    ],
)
def test_the_nearer_the_deadline_the_higher_the_priority(deadline, priority):
    assert priority_for(deadline, MONDAY) == priority


def test_a_deadline_must_leave_two_working_days():
    assert deadline_error("2026-11-23", MONDAY) == "The deadline must be in the future."
    assert deadline_error("2026-11-01", MONDAY) == "The deadline must be in the future."
    assert deadline_error("2026-11-24", MONDAY).startswith("Give Legal at least 2 working days")
    # Friday to Monday is one working day.
    assert deadline_error("2026-11-30", dt.date(2026, 11, 27)).startswith("Give Legal at least")
    assert deadline_error("2026-11-25", MONDAY) is None


# -- Filing ------------------------------------------------------------------------------------


async def test_hook_polydesk_validate_request_refuses_a_deadline_legal_cannot_meet(legal):
    for days, message in ((-1, "The deadline must be in the future."), (1, "Give Legal at least")):
        deadline = (
            legal.working_days_from_today(1)
            if days == 1
            else (dt.date.today() - dt.timedelta(days=2)).isoformat()
        )
        response = await legal.file(
            "alice", "legal.contract_review", {**legal.CONTRACT, "deadline": deadline}
        )
        assert response.status_code == 422
        (error,) = response.json()["errors"]
        assert error["field"] == "form_data.deadline"
        assert error["message"].startswith(message)


async def test_hook_polydesk_priority_follows_the_deadline(legal):
    for days, priority in ((3, 1), (7, 2), (12, 3), (30, 4)):
        ticket = await legal.contract(deadline=legal.working_days_from_today(days))
        assert ticket["priority"] == priority, days


async def test_the_contract_document_is_required(legal):
    without = {k: v for k, v in legal.CONTRACT.items() if k != "document"}
    response = await legal.file(
        "alice",
        "legal.contract_review",
        {**without, "deadline": legal.working_days_from_today(12)},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "form_data.document", "message": "This field is required."}
    ]


async def test_hook_polydesk_route_ticket_contracts_go_to_the_lawyers(legal):
    ticket = await legal.contract()
    assert ticket["assignment_group"] == "lawyers"


# -- Stages ------------------------------------------------------------------------------------


async def test_a_contract_goes_from_intake_to_signature_with_the_redline(legal):
    key = (await legal.contract())["key"]
    lawyer = "legal.lawyer"
    assert (await legal.move(lawyer, key, "start_review")).status_code == 409  # still in intake
    assert (await legal.move("alice", key, "triage")).status_code == 403  # not the requester's
    assert (await legal.move(lawyer, key, "triage")).json()["state"] == "triage"
    assert (await legal.move(lawyer, key, "start_review")).json()["state"] == "in_review"

    # The reviewer's redline goes with the mark-up to the counterparty.
    missing = await legal.move(lawyer, key, "send_to_counterparty")
    assert missing.status_code == 422
    assert missing.json()["errors"] == [{"field": "redline", "message": "This field is required."}]
    sent = await legal.move(lawyer, key, "send_to_counterparty", redline="acme-msa-v3-legal.docx")
    assert (sent.json()["state"], sent.json()["state_category"]) == ("negotiation", "waiting")
    assert sent.json()["form_data"]["redline"] == "acme-msa-v3-legal.docx"

    replied = await legal.move("alice", key, "counterparty_replied")
    assert replied.json()["state"] == "in_review"
    no_version = await legal.move(lawyer, key, "approve")
    assert no_version.status_code == 422
    approved = await legal.move(lawyer, key, "approve", approved_version="acme-msa-v5.pdf")
    assert approved.json()["state"] == "approved"
    signed = await legal.move(
        "alice", key, "sign", signed_copy="acme-msa-signed.pdf", signed_on="2026-12-01"
    )
    assert (signed.json()["state"], signed.json()["state_category"]) == ("signed", "closed")
    assert (await legal.move(lawyer, key, "reject", rejection_reason="x")).status_code == 409


async def test_legal_may_advise_not_to_sign(legal):
    key = (await legal.contract())["key"]
    await legal.move("legal.lawyer", key, "triage")
    assert (await legal.move("legal.lawyer", key, "reject")).status_code == 422
    rejected = await legal.move(
        "legal.lawyer", key, "reject", rejection_reason="Uncapped liability for data breaches."
    )
    assert rejected.json()["state"] == "rejected"
    assert (await legal.move("alice", key, "withdraw")).status_code == 409


# -- Advice ------------------------------------------------------------------------------------


async def test_advice_cannot_be_needed_in_the_past(legal):
    past = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    response = await legal.file("alice", "legal.advice", {"area": "ip", "needed_by": past})
    assert response.json()["errors"] == [
        {"field": "form_data.needed_by", "message": "This date has passed."}
    ]
    filed = await legal.file("alice", "legal.advice", {"area": "ip"}, title="Can we use this logo?")
    assert filed.status_code == 201
    key = filed.json()["key"]
    assert (await legal.move("legal.paralegal", key, "advise")).status_code == 409  # not started
    await legal.move("legal.paralegal", key, "start")
    advised = await legal.move(
        "legal.paralegal", key, "advise", advice_summary="Yes, with the owner's written licence."
    )
    assert advised.json()["state"] == "advised"
