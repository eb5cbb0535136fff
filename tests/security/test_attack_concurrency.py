"""Racing writes: two updates with the same version, comments against a transition,
a burst of creations. One update wins, the loser gets 409 with the ticket as it
is now, and the timeline stays in version order with no gaps.
"""

from __future__ import annotations

import asyncio

import pytest


@pytest.fixture
async def ticket(desk, cast, form_of):
    return await desk.create(
        await cast.actor("alice"),
        request_type="it.incident",
        title="Race",
        form_data=form_of("it.incident"),
    )


async def versions_of(desk, cast, ticket) -> list[int]:
    entries = await desk.timeline(await cast.actor("it.agent"), ticket.id)
    return [e.ticket_version for e in entries]


async def test_two_updates_with_the_same_version_one_wins_the_other_409s(
    client, cast, desk, ticket
):
    agent, lead = await cast.headers("it.agent"), await cast.headers("it.lead")
    url = f"/api/v1/tickets/{ticket.key}"
    first, second = await asyncio.gather(
        client.patch(url, json={"version": ticket.version, "title": "Agent's"}, headers=agent),
        client.patch(url, json={"version": ticket.version, "title": "Lead's"}, headers=lead),
    )
    statuses = sorted([first.status_code, second.status_code])
    assert statuses == [200, 409], (first.text, second.text)
    winner, loser = (first, second) if first.status_code == 200 else (second, first)
    stored = (await client.get(url, headers=agent)).json()
    assert stored["title"] == winner.json()["title"]
    assert stored["version"] == ticket.version + 1
    assert loser.json()["current"]["title"] == winner.json()["title"]
    assert loser.json()["current"]["version"] == stored["version"]
    changes = [e for e in await desk.timeline(await cast.actor("it.agent"), ticket.id)]
    assert [e.kind for e in changes].count("field_change") == 1


async def test_a_stale_version_after_the_race_is_still_refused_and_changes_nothing(
    client, cast, ticket, unchanged
):
    agent = await cast.headers("it.agent")
    url = f"/api/v1/tickets/{ticket.key}"
    assert (
        await client.patch(url, json={"version": 1, "priority": 2}, headers=agent)
    ).status_code == 200
    async with unchanged():
        for body, tail in (
            ({"version": 1, "priority": 3}, ""),
            ({"version": 1, "assignee": "it.agent"}, "/assignment"),
            ({"version": 1, "transition": "start"}, "/transitions"),
        ):
            method = "PATCH" if not tail else "POST"
            response = await client.request(method, url + tail, json=body, headers=agent)
            assert response.status_code == 409, (tail, response.text)
            assert response.json()["current"]["version"] == 2


async def test_two_assignments_racing_on_one_version(client, cast, desk, ticket):
    await cast.add("it.other", roles={"it": "agent"})
    url = f"/api/v1/tickets/{ticket.key}/assignment"
    results = await asyncio.gather(
        client.post(
            url,
            json={"version": ticket.version, "assignee": "it.agent"},
            headers=await cast.headers("it.agent"),
        ),
        client.post(
            url,
            json={"version": ticket.version, "assignee": "it.other"},
            headers=await cast.headers("it.other"),
        ),
    )
    assert sorted(r.status_code for r in results) == [201, 409]
    winner = next(r for r in results if r.status_code == 201).json()
    stored = await desk.get(await cast.actor("it.agent"), ticket.id)
    assert stored.assignee.username == winner["assignee"]["username"]


async def test_comments_racing_a_transition_keep_the_timeline_in_version_order(
    client, cast, desk, ticket
):
    agent = await cast.headers("it.agent")
    moves = (await client.get(f"/api/v1/tickets/{ticket.key}/transitions", headers=agent)).json()
    move = next(m for m in moves if not m["fields"].get("required"))
    results = await asyncio.gather(
        *[
            client.post(
                f"/api/v1/tickets/{ticket.key}/comments",
                json={"body": f"reply {n}"},
                headers=await cast.headers("alice" if n % 2 else "it.agent"),
            )
            for n in range(4)
        ],
        client.post(
            f"/api/v1/tickets/{ticket.key}/transitions",
            json={"transition": move["key"], "version": ticket.version},
            headers=agent,
        ),
    )
    comments, transition = results[:-1], results[-1]
    assert all(r.status_code == 201 for r in comments), [r.text for r in comments]
    assert transition.status_code in (201, 409)
    versions = await versions_of(desk, cast, ticket)
    # Every change took its own version: strictly increasing from the creation's 1.
    assert versions == list(range(1, len(versions) + 1))
    stored = await desk.get(await cast.actor("it.agent"), ticket.id)
    assert stored.version == versions[-1]
    if transition.status_code == 201:
        assert stored.state == move["to_state"]
    else:
        assert stored.state == ticket.state
        assert transition.json()["current"]["version"] >= ticket.version


async def test_a_burst_of_creations_takes_distinct_keys(client, cast, form_of):
    alice = await cast.headers("alice")
    body = {"request_type": "it.incident", "title": "Burst", "form_data": form_of("it.incident")}
    results = await asyncio.gather(
        *[client.post("/api/v1/tickets", json=body, headers=alice) for _ in range(8)]
    )
    assert all(r.status_code == 201 for r in results), [r.text[:200] for r in results]
    keys = sorted(r.json()["key"] for r in results)
    assert keys == sorted(f"IT-{n}" for n in range(1, 9))
