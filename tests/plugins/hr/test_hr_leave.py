"""Leave is approved by the requester's manager: asked on creation, followed on decision."""

from __future__ import annotations

from polydesk.core.people.services import set_role

LEAVE = {"leave_type": "annual", "start_date": "2026-07-13", "end_date": "2026-07-24"}


async def test_the_manager_is_asked_and_their_approval_approves(client, people, personnel):
    alice = await people.headers("alice")
    created = await client.post(
        "/api/v1/tickets",
        json={"request_type": "hr.leave", "title": "Summer holiday", "form_data": LEAVE},
        headers=alice,
    )
    leave = created.json()
    await personnel.deliver()
    assert await personnel.approvals(leave["id"]) == [("maria", "manager", "pending")]
    seen = (await client.get(f"/api/v1/tickets/{leave['key']}", headers=alice)).json()
    assert seen["state"] == "pending_approval"

    maria = await people.headers("maria")  # sees the request she is asked to approve
    approval = (await client.get(f"/api/v1/tickets/{leave['key']}/approvals", headers=maria)).json()
    decided = await client.post(
        f"/api/v1/tickets/{leave['key']}/approvals/{approval[0]['id']}/decision",
        json={"approve": True, "comment": "Enjoy!"},
        headers=maria,
    )
    assert decided.status_code == 201, decided.text
    await personnel.deliver()
    assert (await personnel.get(leave["id"])).state == "approved"
    recorded = await personnel.move("hr.agent", leave["id"], "record")
    assert recorded.state == "recorded"


async def test_a_refusal_rejects_the_leave(personnel):
    leave = await personnel.file("bob", "hr.leave", LEAVE)
    await personnel.deliver()
    await personnel.decide("maria", leave.id, approve=False)
    rejected = await personnel.get(leave.id)
    assert rejected.state == "rejected"
    assert rejected.form_data["rejection_reason"] == "Not approved by maria."


async def test_without_a_manager_an_hr_lead_approves_and_says_why(people, personnel):
    await people.add("carol")
    leave = await personnel.file("carol", "hr.leave", LEAVE)
    await personnel.deliver()
    assert await personnel.approvals(leave.id) == [("hr.lead", "HR lead", "pending")]
    assert "carol has no manager on record" in (await personnel.notes(leave.id))[0]
    await personnel.decide("hr.lead", leave.id)
    assert (await personnel.get(leave.id)).state == "approved"


async def test_with_nobody_to_approve_the_leave_waits_for_hr(people, personnel):
    await people.add("carol")
    await set_role(people.ids["hr.lead"], "hr", None)
    leave = await personnel.file("carol", "hr.leave", LEAVE)
    await personnel.deliver()
    assert await personnel.approvals(leave.id) == []
    assert (await personnel.get(leave.id)).state == "new"
    assert "Nobody was asked to approve" in (await personnel.notes(leave.id))[0]


async def test_a_withdrawn_leave_is_not_sent_for_approval(personnel):
    leave = await personnel.file("alice", "hr.leave", LEAVE)
    await personnel.move("alice", leave.id, "withdraw")
    await personnel.deliver()
    assert await personnel.approvals(leave.id) == []
    assert (await personnel.get(leave.id)).state == "withdrawn"
