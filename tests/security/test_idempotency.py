"""`Idempotency-Key` on ticket creation: a retry returns the first ticket, never a second one."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from polydesk.core.db import transaction
from polydesk.core.tickets.idempotency import IdempotencyKey, delete_expired, run_once
from polydesk.core.tickets.tables import Ticket


def _body(incident_form, **extra):
    return {
        "request_type": "it.incident",
        "title": "VPN is down",
        "form_data": incident_form(),
        **extra,
    }


async def _post(client, headers, body, key=None, path="/api/v1/tickets"):
    if key is not None:
        headers = {**headers, "Idempotency-Key": key}
    return await client.post(path, json=body, headers=headers)


async def test_a_retry_returns_the_first_ticket_and_creates_no_second(
    client, people, incident_form
):
    alice = await people.headers("alice")
    body = _body(incident_form)
    first = await _post(client, alice, body, key="order-7f3a")
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    again = await _post(client, alice, body, key="order-7f3a")
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert await Ticket.count() == 1
    # Without a key every request is a new ticket, as before.
    assert (await _post(client, alice, body)).status_code == 201
    assert await Ticket.count() == 2


async def test_the_same_key_with_another_body_is_refused_and_changes_nothing(
    client, people, incident_form
):
    alice = await people.headers("alice")
    first = await _post(client, alice, _body(incident_form), key="k1")
    assert first.status_code == 201
    other = await _post(client, alice, _body(incident_form, title="Printer on fire"), key="k1")
    assert other.status_code == 422
    assert "Idempotency-Key" in other.text and "different request" in other.text
    assert await Ticket.count() == 1
    titles = [t["title"] for t in await Ticket.select(Ticket.title)]
    assert titles == ["VPN is down"]


async def test_keys_belong_to_one_person(client, people, incident_form):
    alice, bob = await people.headers("alice"), await people.headers("bob")
    a = await _post(client, alice, _body(incident_form), key="shared-key")
    b = await _post(client, bob, _body(incident_form), key="shared-key")
    assert a.status_code == b.status_code == 201
    assert "idempotent-replayed" not in b.headers
    assert a.json()["id"] != b.json()["id"]
    assert b.json()["requester"]["username"] == "bob"


@pytest.mark.parametrize("key", ["", "x" * 256])
async def test_an_empty_or_overlong_key_is_a_400(client, people, incident_form, key):
    alice = await people.headers("alice")
    response = await _post(client, alice, _body(incident_form), key=key)
    assert response.status_code == 400, response.text
    assert "Idempotency-Key" in response.text or "idempotency" in response.text.lower()
    assert await Ticket.count() == 0


async def test_a_255_character_key_is_accepted(client, people, incident_form):
    alice = await people.headers("alice")
    response = await _post(client, alice, _body(incident_form), key="k" * 255)
    assert response.status_code == 201


async def test_a_refused_creation_keeps_no_key(client, people, incident_form):
    alice = await people.headers("alice")
    bad = await _post(client, alice, _body(incident_form, title=""), key="retry-me")
    assert bad.status_code == 422
    assert await IdempotencyKey.count() == 0
    # The client fixes the body and retries with the same key: it is created now.
    good = await _post(client, alice, _body(incident_form), key="retry-me")
    assert good.status_code == 201 and "idempotent-replayed" not in good.headers
    assert await Ticket.count() == 1


async def test_concurrent_requests_with_one_key_create_one_ticket(client, people, incident_form):
    alice = await people.headers("alice")
    body = _body(incident_form)
    responses = await asyncio.gather(*[_post(client, alice, body, key="burst") for _ in range(6)])
    assert {r.status_code for r in responses} == {201}, [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert sum(r.headers.get("idempotent-replayed") == "true" for r in responses) == 5
    assert await Ticket.count() == 1


async def test_overlapping_transactions_with_one_key_commit_once(people, runtime):
    """The service itself, with both creations started before either commits: the
    unique index (PostgreSQL) or the write lock (SQLite) lets only one through."""
    alice = people.ids["alice"]
    created: list[int] = []

    async def create() -> tuple[int | None, int, bytes]:
        await asyncio.sleep(0.2)  # both requests are inside run_once by now
        created.append(1)
        return None, 201, b'{"n": %d}' % len(created)

    outcomes = await asyncio.gather(*[run_once(alice, "same", "print", create) for _ in range(3)])
    # Every request gets the one committed answer. Which creation commits first is
    # up to the database under load (on PostgreSQL the others roll back and replay
    # it), so it need not be the first one computed.
    assert len({o.body for o in outcomes}) == 1
    assert outcomes[0].body in {b'{"n": 1}', b'{"n": 2}', b'{"n": 3}'}
    assert sorted(o.replayed for o in outcomes) == [False, True, True]
    assert await IdempotencyKey.count() == 1


async def test_the_unique_index_refuses_a_second_row_for_one_person_and_key(people):
    """The guarantee is the database's, not a read before the insert."""
    now = dt.datetime.now(dt.UTC)
    row = {"person": people.ids["alice"], "key": "k", "fingerprint": "f", "created_at": now}
    await IdempotencyKey.insert(IdempotencyKey(**row))
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        async with transaction():
            await IdempotencyKey.insert(IdempotencyKey(**row))
    assert await IdempotencyKey.count() == 1


async def test_keys_expire_after_24_hours(client, people, incident_form):
    alice = await people.headers("alice")
    body = _body(incident_form)
    first = await _post(client, alice, body, key="daily")
    await IdempotencyKey.update(
        {IdempotencyKey.created_at: dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)}
    ).where(IdempotencyKey.key == "daily")
    # An expired key is a new request (lazily forgotten on use)...
    second = await _post(client, alice, body, key="daily")
    assert second.status_code == 201 and "idempotent-replayed" not in second.headers
    assert second.json()["id"] != first.json()["id"]
    # ...and the background loop removes expired keys in bulk.
    await IdempotencyKey.update(
        {IdempotencyKey.created_at: dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)}
    ).where(IdempotencyKey.key == "daily")
    await _post(client, alice, body, key="fresh")
    assert await delete_expired() == 1
    assert [r["key"] for r in await IdempotencyKey.select(IdempotencyKey.key)] == ["fresh"]


async def test_child_tasks_take_a_key_too(client, people, incident_form):
    alice, agent = await people.headers("alice"), await people.headers("it.agent")
    assert (await _post(client, alice, _body(incident_form))).status_code == 201
    path = "/api/v1/tickets/IT-1/children"
    body = _body(incident_form, title="Replace router")
    first = await _post(client, agent, body, key="child-1", path=path)
    again = await _post(client, agent, body, key="child-1", path=path)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert await Ticket.count() == 2
    # The same key on the other creation endpoint is another request: refused.
    elsewhere = await _post(client, agent, body, key="child-1")
    assert elsewhere.status_code == 422
    assert await Ticket.count() == 2


async def test_the_header_is_documented_in_the_openapi_schema(client):
    schema = (await client.get("/schema/openapi.json")).json()
    for path in ("/api/v1/tickets", "/api/v1/tickets/{ref}/children"):
        params = schema["paths"][path]["post"].get("parameters", [])
        header = next(p for p in params if p["name"] == "Idempotency-Key")
        assert header["in"] == "header" and header["required"] is False
        assert header["schema"]["maxLength"] == 255
        assert "24 hours" in header["description"]
