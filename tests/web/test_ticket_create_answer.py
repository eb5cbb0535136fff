"""The answer to a ticket creation is the ticket as it is stored.

Creation builds its answer from what it wrote instead of reading the ticket
back (benchmarks/RESULTS.md): these check, field by field, that the answer is
what a read of the same ticket by the same person returns, for the cases where
what the creator sees differs (masked fields, routing, SLA clocks, children,
confidential tickets).
"""

from __future__ import annotations

import datetime as dt

import pytest

from polydesk.core import Assignment
from polydesk.core.demo import sample_form_data
from polydesk.core.hookspecs import hookimpl

MONDAY_9 = dt.datetime(2026, 11, 16, 8, 0, 12, 345678, tzinfo=dt.UTC)  # 09:00 in Warsaw


@pytest.fixture
def now(runtime):
    moment = [MONDAY_9]
    runtime.clock = lambda: moment[0]
    return moment


def _form(runtime, request_type: str, **overrides):
    return {**sample_form_data(runtime.registry.request_types[request_type].form), **overrides}


async def _create_and_read(client, headers, body, path="/api/v1/tickets"):
    created = await client.post(path, json=body, headers=headers)
    assert created.status_code == 201, created.text
    answer = created.json()
    read = await client.get(f"/api/v1/tickets/{answer['key']}", headers=headers)
    assert read.status_code == 200, read.text
    return answer, read.json()


async def test_the_answer_is_the_stored_ticket_with_its_running_clocks(
    client, people, runtime, now
):
    alice = await people.headers("alice")
    body = {
        "request_type": "it.incident",
        "title": "  VPN is down  ",
        "description": "Since this morning.",
        "form_data": _form(runtime, "it.incident", impact="high", urgency="high"),
    }
    answer, read = await _create_and_read(client, alice, body)
    assert answer == read
    assert answer["title"] == "VPN is down" and answer["requester"]["username"] == "alice"
    assert {c["metric"] for c in answer["sla"]} == {"first_response", "resolution"}
    assert answer["sla_due_at"] is not None
    assert all(c["status"] == "running" for c in answer["sla"])


async def test_masked_fields_are_masked_in_the_answer_as_in_a_read(client, people, runtime, now):
    alice = await people.headers("alice")
    form = _form(runtime, "finance.vendor_onboarding")
    body = {"request_type": "finance.vendor_onboarding", "title": "New vendor", "form_data": form}
    answer, read = await _create_and_read(client, alice, body)
    assert answer == read
    assert answer["form_data"]["iban"] != form["iban"]  # a requester never reads it back
    agent = await people.headers("finance.agent")
    full = (await client.get(f"/api/v1/tickets/{answer['key']}", headers=agent)).json()
    assert full["form_data"]["iban"] == form["iban"]


async def test_a_routed_ticket_on_someones_behalf_answers_with_its_assignee(
    client, people, runtime, now
):
    class ToTheLead:
        @hookimpl
        def polydesk_route_ticket(self, draft):
            if draft.request_type.key == "it.incident":
                return Assignment(group="network", assignee="it.lead")
            return None

    runtime.pm.register(ToTheLead(), name="to-the-lead")
    agent = await people.headers("it.agent")
    body = {
        "request_type": "it.incident",
        "title": "Bob's laptop",
        "form_data": _form(runtime, "it.incident"),
        "requester": "bob",
    }
    answer, read = await _create_and_read(client, agent, body)
    assert answer == read
    assert answer["requester"]["username"] == "bob"
    assert answer["assignee"]["username"] == "it.lead"
    assert answer["assignment_group"] == "network"


async def test_a_child_task_answers_as_it_reads(client, people, runtime, now):
    alice = await people.headers("alice")
    agent = await people.headers("it.agent")
    parent, _ = await _create_and_read(
        client,
        alice,
        {
            "request_type": "it.incident",
            "title": "Outage",
            "form_data": _form(runtime, "it.incident"),
        },
    )
    now[0] += dt.timedelta(minutes=5)
    body = {
        "request_type": "it.incident",
        "title": "Replace router",
        "form_data": _form(runtime, "it.incident"),
    }
    answer, read = await _create_and_read(
        client, agent, body, path=f"/api/v1/tickets/{parent['key']}/children"
    )
    assert answer == read
    assert answer["parent_id"] == parent["id"] and answer["requester"]["username"] == "alice"
    timeline = (await client.get(f"/api/v1/tickets/{parent['key']}/timeline", headers=agent)).json()
    assert [e["data"].get("child_key") for e in timeline if e["kind"] == "child_created"] == [
        answer["key"]
    ]


async def test_a_confidential_concern_answers_its_requester_and_the_case_team(
    client, people, runtime, now
):
    body = {"request_type": "hr.case", "title": "A concern", "form_data": _form(runtime, "hr.case")}
    answer, read = await _create_and_read(client, await people.headers("alice"), body)
    assert answer == read and answer["confidential"] is True
    on_behalf = {**body, "requester": "bob"}
    answer, read = await _create_and_read(client, await people.headers("hr.case"), on_behalf)
    assert answer == read and answer["requester"]["username"] == "bob"
