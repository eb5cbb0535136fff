"""Onboarding and offboarding fan out into child tasks, follow them, and complete after them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from polydesk.core import Desk, InvalidTransition, TicketCreated, ValidationFailed
from polydesk.plugins.hr import hooks as hr_hooks
from polydesk.plugins.hr.fanout import open_tasks


def shape(children) -> list[tuple[str, str]]:
    return [(child.request_type, child.title) for child in children]


async def test_hook_polydesk_on_event(client, people, personnel):
    """A new onboarding opens its tasks in IT and in HR, and says where each went."""
    await personnel.enable("finance", False)
    manager = await people.headers("maria")
    created = await client.post(
        "/api/v1/tickets",
        json={
            "request_type": "hr.onboarding",
            "title": "Zofia Nowak joins payroll",
            "form_data": personnel.ONBOARDING,
        },
        headers=manager,
    )
    assert created.status_code == 201, created.text
    onboarding = created.json()
    await personnel.deliver()

    children = await personnel.children(onboarding["id"])
    assert shape(children) == [
        ("it.hardware", "Laptop and headset for Zofia Nowak"),
        ("it.access", "Accounts for Zofia Nowak"),
        ("hr.task", "Payroll set-up for Zofia Nowak"),
        ("hr.task", "Employment contract for Zofia Nowak"),
        ("hr.task", "Office badge for Zofia Nowak"),
        ("hr.task", "Induction for Zofia Nowak on 2026-04-01"),
    ]
    laptop, accounts, payroll = children[:3]
    assert laptop.form_data["item"] == "laptop"
    assert laptop.form_data["needed_by"] == "2026-04-01"
    assert "Kraków office" in laptop.form_data["delivery_location"]
    assert "ERP payroll module" in accounts.form_data["business_justification"]
    assert payroll.form_data == {
        "task": "payroll_setup",
        "person": "Zofia Nowak",
        "due_date": "2026-04-01",
        "details": payroll.description,
    }
    assert {child.requester.username for child in children} == {"maria"}

    notes = await personnel.notes(onboarding["id"])
    assert notes[0].startswith("Opened 6 tasks:\n- IT-1 Laptop and headset for Zofia Nowak")
    assert notes[1] == (
        f"Finance is not enabled, so HR does it itself: {payroll.key} Payroll set-up for Zofia Nowak."
    )
    # The hiring manager follows the tasks from the onboarding.
    listed = await client.get(f"/api/v1/tickets/{onboarding['key']}/children", headers=manager)
    assert [c["key"] for c in listed.json()] == [c.key for c in children]


async def test_a_redelivered_onboarding_opens_nothing_twice(runtime, personnel):
    await personnel.enable("finance", False)
    onboarding = await personnel.file("hr.agent", "hr.onboarding", personnel.ONBOARDING)
    await personnel.deliver()
    before = await personnel.children(onboarding.id)
    event = TicketCreated(
        ticket_id=onboarding.id,
        ticket_key=onboarding.key,
        department="hr",
        request_type="hr.onboarding",
        requester="hr.agent",
    )
    await hr_hooks.polydesk_on_event(event=event, desk=Desk(await runtime.snapshot()))
    assert shape(await personnel.children(onboarding.id)) == shape(before)
    assert sum(n.startswith("Opened") for n in await personnel.notes(onboarding.id)) == 1


async def test_a_remote_contractor_gets_no_payroll_and_no_badge(personnel):
    form = {**personnel.ONBOARDING, "employment_type": "contractor", "location": "remote"}
    form["equipment"] = ["monitor"]
    onboarding = await personnel.file("hr.agent", "hr.onboarding", form)
    await personnel.deliver()
    children = await personnel.children(onboarding.id)
    assert shape(children) == [
        ("it.hardware", "Monitor for Zofia Nowak"),
        ("it.access", "Accounts for Zofia Nowak"),
        ("hr.task", "B2B contract for Zofia Nowak"),
        ("hr.task", "Induction for Zofia Nowak on 2026-04-01"),
    ]
    assert children[0].form_data["delivery_location"].startswith("the home address")


async def test_the_onboarding_follows_its_tasks_and_completes_after_them(personnel):
    await personnel.enable("finance", False)
    onboarding = await personnel.file("hr.agent", "hr.onboarding", personnel.ONBOARDING)
    await personnel.deliver()
    await personnel.move("hr.agent", onboarding.id, "start")
    with pytest.raises(InvalidTransition, match="6 child task"):
        await personnel.move("hr.agent", onboarding.id, "resolve")

    laptop, *others = await personnel.children(onboarding.id)
    await personnel.move("it.agent", laptop.id, "start")
    await personnel.move("it.agent", laptop.id, "fulfil", fulfilment_note="LT-0420 at reception.")
    await personnel.deliver()
    assert (await personnel.notes(onboarding.id))[-1] == (
        f"{laptop.key} Laptop and headset for Zofia Nowak: Fulfilled (1 of 6 done)"
    )
    await personnel.move("hr.agent", laptop.id, "close")  # the requester confirms
    await personnel.deliver()
    assert (await personnel.notes(onboarding.id))[-1].endswith("(1 of 6 done)")  # no recount

    for child in others:
        await personnel.finish(child.id)
        await personnel.deliver()
    assert (await personnel.notes(onboarding.id))[-1].endswith(
        "(6 of 6 done). Every task is done: this can be completed."
    )
    completed = await personnel.move("hr.agent", onboarding.id, "resolve")
    assert completed.state == "completed"


async def test_offboarding_removes_access_on_the_last_day(client, people, personnel):
    offboarding = await personnel.file("hr.agent", "hr.offboarding", personnel.OFFBOARDING)
    await personnel.deliver()
    children = await personnel.children(offboarding.id)
    title = "Remove bob's access at the end of the day (last day 2026-06-30)"
    assert shape(children) == [
        ("it.access_removal", title),
        ("hr.task", "Final pay and leaver's documents for bob"),
        ("hr.task", "Collect bob's office badge"),
        ("hr.task", "Exit interview with bob"),
    ]
    removal = children[0]
    assert removal.form_data["last_day"] == "2026-06-30"
    assert removal.form_data["equipment_return"].startswith("Laptop LT-01234")
    seen = await client.get(
        f"/api/v1/tickets/{removal.key}", headers=await people.headers("it.agent")
    )
    due = {clock["metric"]: clock["due_at"] for clock in seen.json()["sla"]}
    assert due["resolution"] == "2026-06-30T22:00:00Z"  # midnight in Warsaw, summer time
    offboarding_seen = await client.get(
        f"/api/v1/tickets/{offboarding.key}", headers=await people.headers("hr.agent")
    )
    due = {clock["metric"]: clock["due_at"] for clock in offboarding_seen.json()["sla"]}
    assert due["resolution"] == "2026-06-30T22:00:00Z"


async def test_without_it_hr_removes_access_itself_and_says_so(personnel):
    await personnel.enable("it", False)
    form = {**personnel.OFFBOARDING, "reason": "dismissal", "access_removal": "immediately"}
    offboarding = await personnel.file("hr.agent", "hr.offboarding", form)
    await personnel.deliver()
    children = await personnel.children(offboarding.id)
    title = "Remove bob's access immediately (last day 2026-06-30)"
    assert shape(children) == [
        ("hr.task", title),
        ("hr.task", "Final pay and leaver's documents for bob"),
        ("hr.task", "Collect bob's office badge"),
    ]
    assert children[0].form_data["task"] == "access_removal"
    assert children[0].form_data["due_date"] == "2026-06-30"
    assert (await personnel.notes(offboarding.id))[1] == (
        f"IT is not enabled, so HR does it itself: {children[0].key} {title}."
    )


async def test_a_hidden_payroll_type_leaves_payroll_to_hr(runtime, personnel):
    """An admin who hides Finance's payroll set-up (or a Finance without it) gets it done by HR."""
    from polydesk.core.catalog.services import set_request_type_hidden

    if "finance.payroll_setup" in runtime.registry.request_types:
        await set_request_type_hidden(runtime.registry, "finance.payroll_setup", True)
    onboarding = await personnel.file("hr.agent", "hr.onboarding", personnel.ONBOARDING)
    await personnel.deliver()
    payroll = next(
        c for c in await personnel.children(onboarding.id) if c.title.startswith("Payroll")
    )
    assert payroll.request_type == "hr.task"
    assert (await personnel.notes(onboarding.id))[1] == (
        "Finance does not offer finance.payroll_setup, so HR does it itself: "
        f"{payroll.key} Payroll set-up for Zofia Nowak."
    )


class RefusingDesk:
    """A desk whose Finance refuses HR's payroll data, as a Finance form that asks
    for more than an onboarding knows would."""

    def __init__(self, form: dict) -> None:
        self.form = form
        self.opened: list[str] = []
        self.comments: list[str] = []

    def offers(self, request_type: str) -> bool:
        return True

    def is_enabled(self, department: str) -> bool:
        return True

    async def ticket(self, ticket_id):
        return SimpleNamespace(id=ticket_id, request_type="hr.onboarding", form_data=self.form)

    def write(self, message) -> str:
        return str(message)  # an English-speaking organisation

    async def children(self, ticket_id):
        return []

    async def comment(self, ticket_id, body: str, public: bool = False):
        self.comments.append(str(body))

    async def create_ticket(self, *, request_type, title, description, form_data, parent):
        if request_type.startswith("finance."):
            raise ValidationFailed({"form_data.cost_centre": "This field is required."})
        self.opened.append(request_type)
        return SimpleNamespace(key=f"T-{len(self.opened)}", title=title)


async def test_a_refused_task_falls_back_to_hr_with_the_reason(personnel):
    desk = RefusingDesk(personnel.ONBOARDING)
    await open_tasks(1, desk)
    assert desk.opened == ["it.hardware", "it.access", "hr.task", "hr.task", "hr.task", "hr.task"]
    assert desk.comments[1] == (
        "Finance refused the task's details (form_data.cost_centre), so HR does it itself: "
        "T-3 Payroll set-up for Zofia Nowak."
    )
