"""SLA status in the ticket API, and admins editing calendars and policies."""

from __future__ import annotations

import datetime as dt

import pytest

from polydesk.core.demo import sample_form_data

MONDAY_9 = dt.datetime(2026, 11, 16, 8, 0, tzinfo=dt.UTC)  # 09:00 in Warsaw


@pytest.fixture
def now(runtime):
    moment = [MONDAY_9]
    runtime.clock = lambda: moment[0]
    return moment


async def _incident(client, headers, runtime, **form):
    data = {**sample_form_data(runtime.registry.request_types["it.incident"].form), **form}
    response = await client.post(
        "/api/v1/tickets",
        json={"request_type": "it.incident", "title": "Printer", "form_data": data},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_tickets_show_their_clocks_with_business_time_left(client, people, runtime, now):
    alice = await people.headers("alice")
    ticket = await _incident(client, alice, runtime, impact="medium", urgency="medium")
    clocks = {c["metric"]: c for c in ticket["sla"]}
    assert set(clocks) == {"first_response", "resolution"}
    response = clocks["first_response"]
    assert response["status"] == "running"
    assert response["remaining_minutes"] == response["target_minutes"]
    now[0] += dt.timedelta(minutes=30)
    listed = (await client.get("/api/v1/tickets", headers=alice)).json()["items"][0]
    again = {c["metric"]: c for c in listed["sla"]}["first_response"]
    assert again["remaining_minutes"] == response["target_minutes"] - 30
    agent = await people.headers("it.agent")
    await client.post(
        f"/api/v1/tickets/{ticket['key']}/comments", json={"body": "Hi"}, headers=agent
    )
    met = {
        c["metric"]: c
        for c in (await client.get(f"/api/v1/tickets/{ticket['key']}", headers=alice)).json()["sla"]
    }
    assert (
        met["first_response"]["status"] == "met"
        and met["first_response"]["remaining_minutes"] is None
    )


async def test_queue_order_is_sla_due_first(client, people, runtime, now):
    alice = await people.headers("alice")
    slow = await _incident(client, alice, runtime, impact="low", urgency="low")
    urgent = await _incident(client, alice, runtime, impact="high", urgency="high")
    listed = (await client.get("/api/v1/tickets", headers=await people.headers("it.agent"))).json()[
        "items"
    ]
    assert [t["key"] for t in listed] == [urgent["key"], slow["key"]]


async def test_admins_edit_a_calendar_and_the_clocks_follow(client, people, runtime, now):
    admin = await people.headers("admin")
    ticket = await _incident(
        client, await people.headers("alice"), runtime, impact="medium", urgency="medium"
    )
    before = {c["metric"]: c for c in ticket["sla"]}["resolution"]["due_at"]
    assert (
        await client.get("/api/v1/sla/calendars", headers=await people.headers("alice"))
    ).status_code == 403
    calendars = {
        c["key"]: c for c in (await client.get("/api/v1/sla/calendars", headers=admin)).json()
    }
    assert calendars["it.office_hours"]["config"]["timezone"] == "Europe/Warsaw"

    longer_days = {"hours": {str(d): [["07:00", "19:00"]] for d in range(1, 6)}}
    edited = await client.put(
        "/api/v1/sla/calendars/it.office_hours", json=longer_days, headers=admin
    )
    assert edited.status_code == 200 and edited.json()["edited"] is True
    after = {
        c["metric"]: c
        for c in (await client.get(f"/api/v1/tickets/{ticket['key']}", headers=admin)).json()["sla"]
    }
    assert after["resolution"]["due_at"] < before  # more working hours a day: due sooner

    reset = await client.delete("/api/v1/sla/calendars/it.office_hours", headers=admin)
    assert reset.json()["edited"] is False
    restored = {
        c["metric"]: c
        for c in (await client.get(f"/api/v1/tickets/{ticket['key']}", headers=admin)).json()["sla"]
    }
    assert restored["resolution"]["due_at"] == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"holidays_country": "XX"}, "holidays_country"),
        ({"hours": {"1": [["18:00", "18:00"]]}}, "hours.1"),
        ({"hours": {"1": [["25:00", "26:00"]]}}, "hours.1"),
        ({"hours": {"9": [["08:00", "16:00"]]}}, "hours.9"),
        ({"colour": "red"}, "colour"),
    ],
)
async def test_bad_calendar_configuration_is_refused_and_not_saved(client, people, body, field):
    admin = await people.headers("admin")
    before = (await client.get("/api/v1/sla/calendars", headers=admin)).json()
    response = await client.put("/api/v1/sla/calendars/it.office_hours", json=body, headers=admin)
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}
    assert (await client.get("/api/v1/sla/calendars", headers=admin)).json() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"targets": {"2": {"first_response": 0, "resolution": 60}}}, "targets.2.first_response"),
        ({"targets": {"2": {"first_response": -5, "resolution": 60}}}, "targets.2.first_response"),
        ({"targets": {"7": {"resolution": 60}}}, "targets.7"),
        ({"targets": {"2": {"resolution": 60, "calendar": "nope"}}}, "targets.2.calendar"),
        ({"warning_at": 1.5}, "warning_at"),
        ({"pause_categories": ["closed"]}, "pause_categories"),
    ],
)
async def test_bad_policy_configuration_is_refused_and_not_saved(client, people, body, field):
    admin = await people.headers("admin")
    before = (await client.get("/api/v1/sla/policies", headers=admin)).json()
    response = await client.put("/api/v1/sla/policies/it.incident", json=body, headers=admin)
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}
    assert (await client.get("/api/v1/sla/policies", headers=admin)).json() == before


async def test_a_policy_edit_reaches_new_and_running_tickets(client, people, runtime, now):
    admin = await people.headers("admin")
    ticket = await _incident(
        client, await people.headers("alice"), runtime, impact="medium", urgency="medium"
    )
    priority = str(ticket["priority"])
    edited = await client.put(
        "/api/v1/sla/policies/it.incident",
        json={"targets": {priority: {"first_response": 15, "resolution": 45}}},
        headers=admin,
    )
    assert edited.status_code == 200
    clocks = {
        c["metric"]: c
        for c in (await client.get(f"/api/v1/tickets/{ticket['key']}", headers=admin)).json()["sla"]
    }
    assert (clocks["first_response"]["target_minutes"], clocks["resolution"]["target_minutes"]) == (
        15,
        45,
    )
    assert (await client.get("/api/v1/sla/policies/it.incident", headers=admin)).status_code in (
        404,
        405,
    )
