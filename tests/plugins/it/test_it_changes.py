"""Changes: the CAB approves normal changes before and emergency changes after; standard
changes need nobody."""

from __future__ import annotations

import pytest

from polydesk.core import InvalidTransition
from polydesk.core.plugin_state.services import set_plugin_settings


async def submitted(helpdesk, requester: str = "it.agent", submitter: str = "it.agent", **form):
    change = await helpdesk.file(requester, "it.change", {**helpdesk.CHANGE, **form}, "Mail move")
    await helpdesk.move(submitter, change.id, "assess")
    await helpdesk.move(submitter, change.id, "submit_for_approval")
    await helpdesk.deliver()
    return change


async def test_a_normal_change_is_scheduled_once_the_whole_cab_approved(helpdesk):
    change = await submitted(helpdesk)
    assert await helpdesk.approvals(change.id) == [
        ("it.lead", "CAB", "pending"),
        ("it.lead2", "CAB", "pending"),
    ]
    await helpdesk.decide("it.lead", change.id)
    assert (await helpdesk.get(change.id)).state == "awaiting_approval"
    await helpdesk.decide("it.lead2", change.id)
    assert (await helpdesk.get(change.id)).state == "scheduled"


async def test_one_cab_refusal_rejects_the_change(helpdesk):
    change = await submitted(helpdesk)
    await helpdesk.decide("it.lead2", change.id, approve=False)
    rejected = await helpdesk.get(change.id)
    assert rejected.state == "rejected"
    assert "it.lead2" in rejected.form_data["rejection_reason"]


async def test_nobody_approves_a_change_they_raised_or_submitted(helpdesk):
    change = await submitted(helpdesk, requester="it.lead", submitter="it.agent")
    assert [a[0] for a in await helpdesk.approvals(change.id)] == ["it.lead2"]
    by_lead = await submitted(helpdesk, requester="it.agent", submitter="it.lead2")
    assert [a[0] for a in await helpdesk.approvals(by_lead.id)] == ["it.lead"]


async def test_an_admin_names_the_cab(runtime, people, helpdesk):
    await people.add("ola")
    await set_plugin_settings(runtime.pm, "it", {"cab": ["ola"]})
    change = await submitted(helpdesk)
    assert await helpdesk.approvals(change.id) == [("ola", "CAB", "pending")]


async def test_an_emergency_change_is_implemented_first_and_approved_after(helpdesk):
    form = {**helpdesk.CHANGE, "change_type": "emergency", "emergency_incident": "IT-1042"}
    change = await helpdesk.file("it.agent", "it.change", form, "Renew the mail certificate")
    implementing = await helpdesk.move("it.agent", change.id, "implement_emergency")
    assert implementing.state == "implementing"
    await helpdesk.deliver()
    rule = "CAB, after the fact (emergency change)"
    assert await helpdesk.approvals(change.id) == [
        ("it.lead", rule, "pending"),
        ("it.lead2", rule, "pending"),
    ]
    await helpdesk.move("it.agent", change.id, "complete", outcome="successful")
    with pytest.raises(InvalidTransition, match="approved it after the fact"):
        await helpdesk.move("it.agent", change.id, "close")
    with pytest.raises(InvalidTransition, match="Not every approval"):
        await helpdesk.move("it.agent", change.id, "close_emergency")
    await helpdesk.decide("it.lead", change.id)
    await helpdesk.decide("it.lead2", change.id)
    assert (await helpdesk.get(change.id)).state == "completed"  # decisions do not close it
    closed = await helpdesk.move("it.agent", change.id, "close_emergency")
    assert closed.state == "closed"


async def test_a_refused_emergency_change_is_flagged_for_its_review(helpdesk):
    form = {**helpdesk.CHANGE, "change_type": "emergency", "emergency_incident": "IT-1042"}
    change = await helpdesk.file("it.agent", "it.change", form, "Firewall rule")
    await helpdesk.move("it.agent", change.id, "implement_emergency")
    await helpdesk.deliver()
    await helpdesk.decide("it.lead", change.id, approve=False)
    assert (await helpdesk.get(change.id)).state == "implementing"
    assert "Review what was done" in (await helpdesk.notes(change.id))[-1]


async def test_a_normal_change_cannot_skip_the_cab(helpdesk):
    change = await helpdesk.file("it.agent", "it.change", helpdesk.CHANGE, "Mail move")
    with pytest.raises(InvalidTransition, match="Only an emergency change"):
        await helpdesk.move("it.agent", change.id, "implement_emergency")
    await helpdesk.move("it.agent", change.id, "assess")
    with pytest.raises(InvalidTransition, match="Only standard changes"):
        await helpdesk.move("it.agent", change.id, "schedule_standard")


async def test_a_standard_change_needs_no_approval(helpdesk):
    form = {**helpdesk.CHANGE, "change_type": "standard"}
    change = await helpdesk.file("it.agent", "it.change", form, "Patch Tuesday")
    await helpdesk.move("it.agent", change.id, "assess")
    scheduled = await helpdesk.move("it.agent", change.id, "schedule_standard")
    await helpdesk.deliver()
    assert scheduled.state == "scheduled"
    assert await helpdesk.approvals(change.id) == []
    await helpdesk.move("it.agent", change.id, "implement")
    await helpdesk.move("it.agent", change.id, "complete", outcome="successful")
    assert (await helpdesk.move("it.agent", change.id, "close")).state == "closed"
