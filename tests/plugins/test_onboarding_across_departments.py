"""Onboarding across departments: with IT and Finance enabled the tasks go to them; with
them disabled HR does them and says so. Either way the onboarding completes only after
every task is done. Real plugins, real database, events delivered as the worker does."""

from __future__ import annotations

import pytest

from polydesk.core import Form, InvalidTransition
from polydesk.core.demo import sample_form_data
from polydesk.core.outbox.services import deliver_due
from polydesk.core.permissions import SYSTEM
from polydesk.core.plugin_state.services import set_plugin_enabled
from polydesk.core.tickets.services import TicketService

NEW_HIRE = {
    "new_hire_name": "Zofia Nowak",
    "start_date": "2026-04-01",
    "manager": "maria",
    "job_title": "Payroll specialist",
    "employment_type": "employee",
    "location": "krakow",
    "equipment": ["laptop"],
    "system_access": "ERP payroll module (write)",
}
HR_OWN = [
    "Employment contract for Zofia Nowak",
    "Office badge for Zofia Nowak",
    "Induction for Zofia Nowak on 2026-04-01",
]
DONE = ("resolved", "closed", "cancelled")


async def deliver(runtime) -> None:
    runtime.plugin_states.invalidate()
    await deliver_due(runtime.snapshot, runtime.clock)


async def service(runtime) -> TicketService:
    runtime.plugin_states.invalidate()
    return TicketService(await runtime.snapshot())


async def onboard(client, people, runtime) -> dict:
    await people.add("maria")
    created = await client.post(
        "/api/v1/tickets",
        json={"request_type": "hr.onboarding", "title": "Zofia joins", "form_data": NEW_HIRE},
        headers=await people.headers("maria"),
    )
    assert created.status_code == 201, created.text
    await deliver(runtime)
    return created.json()


async def notes(runtime, ticket_id: int) -> list[str]:
    timeline = await (await service(runtime)).timeline(SYSTEM, ticket_id)
    return [entry.body for entry in timeline if entry.body]


async def finish(runtime, ticket_id: int) -> None:
    """Take a task to a done state as its department would (resolved when it can)."""
    tickets = await service(runtime)
    for _ in range(6):
        ticket = await tickets.get(SYSTEM, ticket_id)
        if ticket.state_category in DONE:
            return
        workflow = tickets.workflow_of(ticket)
        moves = [t for t in tickets.available_transitions(SYSTEM, ticket) if not t.guards]
        category = {t.key: workflow.state(t.to_state).category for t in moves}
        moves.sort(key=lambda t: (category[t.key] != "resolved", category[t.key] not in DONE))
        fields = sample_form_data(Form(moves[0].fields))
        await tickets.transition(SYSTEM, ticket_id, moves[0].key, version=None, fields=fields)
    raise AssertionError(f"ticket {ticket_id} could not be finished")


async def complete_after_children(client, people, runtime, onboarding: dict) -> None:
    """Refused while a task is open; completed once all are done."""
    hr = await people.headers("hr.agent")
    url = f"/api/v1/tickets/{onboarding['key']}/transitions"
    assert (await client.post(url, json={"transition": "start"}, headers=hr)).status_code == 201
    refused = await client.post(url, json={"transition": "resolve"}, headers=hr)
    assert refused.status_code == 409 and "child task(s) are still open" in refused.text
    children = await (await service(runtime)).children(SYSTEM, onboarding["id"])
    for child in children[:-1]:
        await finish(runtime, child.id)
        await deliver(runtime)
    with pytest.raises(InvalidTransition, match="1 child task"):
        await (await service(runtime)).transition(
            await people.actor("hr.agent"), onboarding["id"], "resolve", version=None
        )
    await finish(runtime, children[-1].id)
    await deliver(runtime)
    last = (await notes(runtime, onboarding["id"]))[-1]
    assert last.endswith(
        f"({len(children)} of {len(children)} done). Every task is done: this can be completed."
    )
    completed = await client.post(url, json={"transition": "resolve"}, headers=hr)
    assert completed.status_code == 201 and completed.json()["state"] == "completed"


async def test_with_it_and_finance_enabled_they_get_their_tasks(client, people, runtime):
    payroll_in_finance = "finance.payroll_setup" in runtime.registry.request_types
    onboarding = await onboard(client, people, runtime)
    children = await (await service(runtime)).children(SYSTEM, onboarding["id"])
    placed = {child.title: (child.department, child.request_type) for child in children}
    assert placed["Laptop for Zofia Nowak"] == ("it", "it.hardware")
    assert placed["Accounts for Zofia Nowak"] == ("it", "it.access")
    payroll = next(c for c in children if c.title == "Payroll set-up for Zofia Nowak")
    if payroll_in_finance:
        assert (payroll.department, payroll.request_type) == ("finance", "finance.payroll_setup")
        assert payroll.form_data["new_hire_name"] == "Zofia Nowak"
        assert payroll.form_data["start_date"] == "2026-04-01"
    else:
        assert (payroll.department, payroll.request_type) == ("hr", "hr.task")
        assert (
            f"Finance does not offer finance.payroll_setup, so HR does it itself: {payroll.key}"
            in "\n".join(await notes(runtime, onboarding["id"]))
        )
    assert [placed[title] for title in HR_OWN] == [("hr", "hr.task")] * 3

    # IT treats the accounts task like any access request: it waits for an approver.
    # maria has no manager on record, so an IT lead approves; then IT grants the access.
    accounts = next(c for c in children if c.request_type == "it.access")
    tickets = await service(runtime)
    assert (await tickets.get(SYSTEM, accounts.id)).state == "pending_approval"
    lead = await people.actor("it.lead")
    (approval,) = await tickets.approvals(lead, accounts.id)
    await tickets.decide_approval(lead, accounts.id, approval.id, approve=True)
    await deliver(runtime)
    assert (await tickets.get(SYSTEM, accounts.id)).state == "in_progress"
    await complete_after_children(client, people, runtime, onboarding)


async def test_with_it_and_finance_disabled_hr_does_their_tasks_and_says_so(
    client, people, runtime
):
    for plugin in ("it", "finance"):
        await set_plugin_enabled(runtime.pm, plugin, False)
    runtime.plugin_states.invalidate()
    onboarding = await onboard(client, people, runtime)
    children = await (await service(runtime)).children(SYSTEM, onboarding["id"])
    assert [(c.department, c.request_type) for c in children] == [("hr", "hr.task")] * 6
    keys = {child.title: child.key for child in children}
    said = await notes(runtime, onboarding["id"])
    assert said[1] == (
        "IT is not enabled, so HR does it itself: "
        f"{keys['Laptop for Zofia Nowak']} Laptop for Zofia Nowak; "
        f"{keys['Accounts for Zofia Nowak']} Accounts for Zofia Nowak."
    )
    assert said[2] == (
        "Finance is not enabled, so HR does it itself: "
        f"{keys['Payroll set-up for Zofia Nowak']} Payroll set-up for Zofia Nowak."
    )
    kinds = [child.form_data["task"] for child in children]
    assert kinds == ["equipment", "accounts", "payroll_setup", "contract", "badge", "induction"]
    await complete_after_children(client, people, runtime, onboarding)
