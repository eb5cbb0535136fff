"""Access requests wait for their approver; a leaver's access removal is due on the last day."""

from __future__ import annotations

import datetime as dt

import pytest

from polydesk.core import InvalidTransition, ValidationFailed
from polydesk.core.people.services import set_role
from polydesk.core.plugin_state.services import set_plugin_settings
from polydesk.plugins.it import hooks as it_hooks


async def test_access_is_approved_by_the_requesters_manager(helpdesk):
    ticket = await helpdesk.file("alice", "it.access", helpdesk.ACCESS)
    await helpdesk.deliver()
    assert await helpdesk.approvals(ticket.id) == [("maria", "manager", "pending")]
    waiting = await helpdesk.get(ticket.id)
    assert waiting.state == "pending_approval"  # the SLA clock pauses meanwhile
    with pytest.raises(InvalidTransition, match="Not every approval"):
        await helpdesk.move("it.agent", ticket.id, "approve")
    await helpdesk.decide("maria", ticket.id)
    assert (await helpdesk.get(ticket.id)).state == "in_progress"
    done = await helpdesk.move(
        "it.agent", ticket.id, "fulfil", fulfilment_note="Added to CRM-read."
    )
    assert done.state == "fulfilled"


async def test_a_refused_access_is_rejected_with_the_reason(helpdesk):
    ticket = await helpdesk.file("alice", "it.access", helpdesk.ACCESS)
    await helpdesk.deliver()
    await helpdesk.decide("maria", ticket.id, approve=False)
    rejected = await helpdesk.get(ticket.id)
    assert rejected.state == "rejected"
    assert rejected.form_data["rejection_reason"] == "Not approved by maria (approval step 1)."


async def test_the_system_owner_approves_when_an_admin_named_one(runtime, people, helpdesk):
    await people.add("carol")
    await set_plugin_settings(runtime.pm, "it", {"system_owners": {"crm": "carol"}})
    ticket = await helpdesk.file("alice", "it.access", helpdesk.ACCESS)
    own_system = await helpdesk.file("carol", "it.access", helpdesk.ACCESS)
    await helpdesk.deliver()
    assert await helpdesk.approvals(ticket.id) == [("carol", "system owner", "pending")]
    # Nobody approves their own access: carol's goes to her manager, or a lead.
    assert await helpdesk.approvals(own_system.id) == [("it.lead", "IT lead", "pending")]


async def test_without_a_manager_an_it_lead_approves_and_the_ticket_says_why(
    client, people, helpdesk
):
    bob = await people.headers("bob")
    created = await client.post(
        "/api/v1/tickets",
        json={"request_type": "it.access", "title": "CRM", "form_data": helpdesk.ACCESS},
        headers=bob,
    )
    await helpdesk.deliver()
    key = created.json()["key"]
    assert await helpdesk.approvals(created.json()["id"]) == [("it.lead", "IT lead", "pending")]
    timeline = (await client.get(f"/api/v1/tickets/{key}/timeline", headers=bob)).json()
    assert any("bob has no manager on record" in e["body"] for e in timeline)
    # The approver sees the ticket and decides through the API.
    lead = await people.headers("it.lead")
    approval = (await client.get(f"/api/v1/tickets/{key}/approvals", headers=lead)).json()[0]
    decided = await client.post(
        f"/api/v1/tickets/{key}/approvals/{approval['id']}/decision",
        json={"approve": True},
        headers=lead,
    )
    assert decided.status_code == 201, decided.text
    await helpdesk.deliver()
    assert (await client.get(f"/api/v1/tickets/{key}", headers=bob)).json()[
        "state"
    ] == "in_progress"


async def test_with_nobody_to_approve_the_request_waits_for_an_agent(people, helpdesk):
    for lead in ("it.lead", "it.lead2"):
        await set_role(people.ids[lead], "it", None)
    ticket = await helpdesk.file("bob", "it.access", helpdesk.ACCESS)
    await helpdesk.deliver()
    assert await helpdesk.approvals(ticket.id) == []
    assert (await helpdesk.get(ticket.id)).state == "new"
    assert "Nobody was asked to approve" in (await helpdesk.notes(ticket.id))[-1]


async def test_an_access_request_an_agent_already_handled_is_left_alone(helpdesk):
    ticket = await helpdesk.file("alice", "it.access", helpdesk.ACCESS)
    await helpdesk.move("it.agent", ticket.id, "reject", rejection_reason="Duplicate of IT-1.")
    await helpdesk.deliver()
    assert await helpdesk.approvals(ticket.id) == []


def test_hook_polydesk_validate_settings():
    good = {"system_owners": {"crm": "carol", "erp": "dan"}, "cab": ["it.lead", "ola"]}
    assert it_hooks.polydesk_validate_settings(plugin="it", settings=good) is None
    assert it_hooks.polydesk_validate_settings(plugin="hr", settings={"x": 1}) is None
    bad = {"system_owners": {"fax": "carol"}, "cab": "it.lead", "cabb": []}
    errors = it_hooks.polydesk_validate_settings(plugin="it", settings=bad)
    assert errors["system_owners"].startswith("Unknown system(s): fax.")
    assert errors["cab"] == "List the usernames of the change advisory board."
    assert errors["cabb"] == "Not an IT setting."


async def test_bad_settings_are_refused_and_not_stored(runtime):
    with pytest.raises(ValidationFailed) as refused:
        await set_plugin_settings(runtime.pm, "it", {"system_owners": {"crm": ""}})
    assert set(refused.value.fields) == {"system_owners"}


async def test_access_removal_is_due_at_the_end_of_the_last_day(client, people, helpdesk):
    form = {
        "employee": "bob",
        "last_day": "2026-12-18",
        "removal": "end_of_last_day",
        "mailbox": "forward_to_manager",
    }
    ticket = await helpdesk.file("hr.agent", "it.access_removal", form)
    seen = await client.get(
        f"/api/v1/tickets/{ticket.key}", headers=await people.headers("it.agent")
    )
    clocks = {clock["metric"]: clock for clock in seen.json()["sla"]}
    due = dt.datetime.fromisoformat(clocks["resolution"]["due_at"])
    assert due == dt.datetime(2026, 12, 18, 23, 0, tzinfo=dt.UTC)  # midnight in Warsaw
    assert ticket.priority == 3
    urgent = await helpdesk.file(
        "hr.agent", "it.access_removal", {**form, "removal": "immediately"}
    )
    assert urgent.priority == 1
    done = await helpdesk.move("it.agent", ticket.id, "complete", removal_note="All disabled.")
    assert done.state_category == "resolved"
