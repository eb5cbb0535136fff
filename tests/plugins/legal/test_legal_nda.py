"""The standard NDA: a paralegal's fast track, unless the counterparty changed our template."""

from __future__ import annotations

from polydesk.core import TicketCreated
from polydesk.core.outbox.services import enqueue


async def nda(legal, changed: bool) -> dict:
    response = await legal.file(
        "alice", "legal.nda", {**legal.NDA, "template_changed": changed}, "NDA with Nordwind"
    )
    assert response.status_code == 201, response.json()
    return response.json()


async def test_an_unchanged_template_is_a_paralegals_fast_track(legal):
    ticket = await nda(legal, changed=False)
    assert (ticket["assignment_group"], ticket["form_data"]["template_changed"]) == (
        "paralegals",
        False,
    )
    await legal.deliver()
    key = ticket["key"]
    assert (await legal.get("alice", key)).json()["state"] == "new"  # nothing to refer
    sent = await legal.move("legal.paralegal", key, "send_for_signature", nda_document="nda.pdf")
    assert (sent.json()["state"], sent.json()["state_category"]) == (
        "sent_for_signature",
        "resolved",
    )
    signed = await legal.move(
        "alice", key, "sign", signed_copy="nda-signed.pdf", signed_on="2026-11-24"
    )
    assert signed.json()["state"] == "signed"


async def test_a_changed_template_goes_to_a_lawyer(legal):
    ticket = await nda(legal, changed=True)
    key = ticket["key"]
    assert ticket["assignment_group"] == "lawyers"
    # Before Polydesk has moved it, the fast track is already closed to it.
    refused = await legal.move("legal.paralegal", key, "send_for_signature", nda_document="n.pdf")
    assert refused.status_code == 409
    assert "a lawyer must clear the changes first" in refused.json()["detail"]

    await legal.deliver()
    moved = (await legal.get("legal.paralegal", key)).json()
    assert (moved["state"], moved["state_category"]) == ("lawyer_review", "open")
    timeline = await legal.client.get(
        f"/api/v1/tickets/{key}/timeline", headers=await legal.people.headers("alice")
    )
    last = timeline.json()[-1]
    assert last["data"]["transition"] == "refer_to_lawyer"
    assert "counterparty changed our template" in last["body"]

    # A redelivered creation event does not move it again.
    await enqueue(
        TicketCreated(
            ticket_id=moved["id"],
            ticket_key=key,
            department="legal",
            request_type="legal.nda",
            requester="alice",
        ),
        legal.runtime.clock(),
    )
    assert await legal.deliver() == 1
    assert (await legal.get("alice", key)).json()["version"] == moved["version"]

    clear = {"nda_document": "nda-v2.pdf", "lawyer_note": "Accepted their governing law."}
    by_paralegal = await legal.move("legal.paralegal", key, "clear_changes", **clear)
    assert by_paralegal.status_code == 409
    assert "Only a lawyer" in by_paralegal.json()["detail"]
    cleared = await legal.move("legal.lawyer", key, "clear_changes", **clear)
    assert cleared.json()["state"] == "sent_for_signature"


async def test_hook_polydesk_transition_guard_a_legal_lead_may_clear_changes(legal):
    key = (await nda(legal, changed=True))["key"]
    await legal.deliver()
    cleared = await legal.move(
        "legal.lead", key, "clear_changes", nda_document="nda-v2.pdf", lawyer_note="Fine."
    )
    assert cleared.json()["state"] == "sent_for_signature"


async def test_changes_asked_for_later_also_go_to_a_lawyer(legal):
    key = (await nda(legal, changed=False))["key"]
    await legal.move("legal.paralegal", key, "send_for_signature", nda_document="nda.pdf")
    missing = await legal.move("alice", key, "request_changes")
    assert missing.status_code == 422
    back = await legal.move(
        "alice", key, "request_changes", requested_changes="They want a 2-year term."
    )
    assert back.json()["state"] == "lawyer_review"
    refused = await legal.move(
        "legal.paralegal", key, "clear_changes", nda_document="nda-v2.pdf", lawyer_note="ok"
    )
    assert refused.status_code == 409
