"""Incidents through the API: automatic close, major incidents and the incidents linked to them."""

from __future__ import annotations

import datetime as dt

from polydesk.core import Desk, TicketTransitioned
from polydesk.core.tickets.automation import apply_due
from polydesk.plugins.it import hooks as it_hooks

INCIDENT = {
    "affected_service": "email",
    "category": "software",
    "impact": "high",
    "urgency": "high",
}
START = dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC)
FIX = {"resolution_code": "fixed", "resolution_note": "The mail gateway's certificate was renewed."}


async def raise_incident(client, headers, title: str, **form) -> dict:
    response = await client.post(
        "/api/v1/tickets",
        json={"request_type": "it.incident", "title": title, "form_data": {**INCIDENT, **form}},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def move(client, headers, key: str, transition: str, **fields):
    return await client.post(
        f"/api/v1/tickets/{key}/transitions",
        json={"transition": transition, "fields": fields},
        headers=headers,
    )


async def link(client, headers, key: str, target: str, kind: str) -> None:
    response = await client.post(
        f"/api/v1/tickets/{key}/links", json={"target": target, "kind": kind}, headers=headers
    )
    assert response.status_code == 201, response.text


async def test_resolved_incidents_close_after_five_quiet_days(runtime, people, helpdesk):
    now = [START]
    runtime.clock = lambda: now[0]
    ticket = await helpdesk.file("alice", "it.incident", INCIDENT, "Outlook crashes")
    await helpdesk.move("it.agent", ticket.id, "resolve", **FIX)
    now[0] = START + dt.timedelta(days=3)
    service = await helpdesk.service()
    await service.comment(await people.actor("alice"), ticket.id, body="It crashed again once.")
    now[0] = START + dt.timedelta(days=5, minutes=1)
    assert await apply_due(await runtime.snapshot(), now[0]) == 0  # the reply restarted the count
    now[0] = START + dt.timedelta(days=8, minutes=1)
    assert await apply_due(await runtime.snapshot(), now[0]) == 1
    closed = await helpdesk.get(ticket.id)
    assert closed.state == "closed"
    assert (await helpdesk.notes(ticket.id))[-1].startswith("Done automatically after 5 days")


async def test_hook_polydesk_on_event(client, people, helpdesk):
    """Resolving a major incident resolves the open incidents linked to it, with its note."""
    agent, alice, bob = [await people.headers(u) for u in ("it.agent", "alice", "bob")]
    major = await raise_incident(client, agent, "Email is down for everyone")
    caused = await raise_incident(client, alice, "Cannot send email")
    related = await raise_incident(client, bob, "Outlook says disconnected")
    blocked = await raise_incident(client, bob, "Printer offline", affected_service="printing")
    fixed = await raise_incident(client, alice, "No email on my phone")
    by_hand = {**FIX, "resolution_code": "configuration"}
    assert (await move(client, agent, fixed["key"], "resolve", **by_hand)).status_code == 201

    promoted = await move(
        client,
        agent,
        major["key"],
        "promote",
        major_incident_summary="Mail gateway down; Ola leads.",
    )
    assert promoted.status_code == 201 and promoted.json()["state"] == "major_incident"
    await link(client, agent, caused["key"], major["key"], "caused_by")  # points at the major
    await link(client, agent, major["key"], related["key"], "relates_to")  # from the major
    await link(client, agent, major["key"], blocked["key"], "blocks")  # not part of it
    await link(client, agent, fixed["key"], major["key"], "relates_to")  # already resolved

    assert (await move(client, agent, major["key"], "resolve", **FIX)).status_code == 201
    await helpdesk.deliver()

    for ticket, headers in ((caused, alice), (related, bob)):
        seen = (await client.get(f"/api/v1/tickets/{ticket['key']}", headers=headers)).json()
        assert seen["state"] == "resolved"
        assert seen["form_data"]["resolution_note"] == FIX["resolution_note"]
        timeline = await client.get(f"/api/v1/tickets/{ticket['key']}/timeline", headers=headers)
        assert f"Resolved with major incident {major['key']}" in timeline.json()[-1]["body"]
    assert (await helpdesk.get(blocked["id"])).state == "new"
    untouched = await helpdesk.get(fixed["id"])
    assert untouched.form_data["resolution_code"] == "configuration"
    assert (await helpdesk.notes(major["id"]))[-1] == (
        f"Resolved with it: {caused['key']}, {related['key']}."
    )


async def test_a_redelivered_major_resolution_changes_nothing(client, people, runtime, helpdesk):
    agent = await people.headers("it.agent")
    major = await raise_incident(client, agent, "VPN down")
    other = await raise_incident(client, agent, "VPN drops")
    await move(client, agent, major["key"], "promote", major_incident_summary="VPN concentrator")
    await link(client, agent, other["key"], major["key"], "duplicates")
    await move(client, agent, major["key"], "resolve", **FIX)
    await helpdesk.deliver()
    before = await helpdesk.get(other["id"])
    event = TicketTransitioned(
        ticket_id=major["id"],
        ticket_key=major["key"],
        department="it",
        transition="resolve",
        from_state="major_incident",
        to_state="resolved",
        to_category="resolved",
    )
    await it_hooks.polydesk_on_event(event=event, desk=Desk(await runtime.snapshot()))
    assert (await helpdesk.get(other["id"])).version == before.version


async def test_only_a_major_incident_resolves_its_links(client, people, helpdesk):
    agent, alice = await people.headers("it.agent"), await people.headers("alice")
    plain = await raise_incident(client, agent, "One laptop is slow")
    other = await raise_incident(client, alice, "My laptop is slow too")
    await link(client, agent, plain["key"], other["key"], "relates_to")
    await move(client, agent, plain["key"], "resolve", **FIX)
    await helpdesk.deliver()
    assert (await helpdesk.get(other["id"])).state == "new"


async def test_agents_promote_and_demote_major_incidents(client, people):
    agent, alice = await people.headers("it.agent"), await people.headers("alice")
    incident = await raise_incident(client, alice, "Teams is down")
    refused = await move(client, alice, incident["key"], "promote", major_incident_summary="x")
    assert refused.status_code == 403
    missing = await move(client, agent, incident["key"], "promote")
    assert missing.status_code == 422
    offered = await client.get(f"/api/v1/tickets/{incident['key']}/transitions", headers=agent)
    assert "promote" in {t["key"] for t in offered.json()}
    await move(client, agent, incident["key"], "promote", major_incident_summary="Teams outage")
    demoted = await move(client, agent, incident["key"], "demote")
    assert demoted.json()["state"] == "in_progress"
    assert demoted.json()["form_data"]["major_incident_summary"] == "Teams outage"
