"""A fifth department, added as an outside plugin, works with no change to the core."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from polydesk.core.catalog.services import sync_catalog
from polydesk.core.outbox.services import deliver_due
from polydesk.core.plugin_state.services import sync_plugin_rows
from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.runtime import Runtime
from polydesk.web.app import create_app


@pytest.fixture
def facilities(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    module = importlib.import_module("facilities_desk")
    module.SEEN_EVENTS.clear()
    return module


@pytest.fixture
async def desk(db, settings, facilities):
    pm = create_plugin_manager(extra_plugins=[(facilities, "facilities")])
    runtime = Runtime.create(settings, pm)
    await sync_catalog(runtime.registry)
    await sync_plugin_rows(runtime.pm)
    return runtime


async def test_fifth_department_end_to_end(desk, people, facilities):
    await people.add("fac.agent", roles={"facilities": "agent"})
    alice, agent, admin = (
        await people.headers("alice"),
        await people.headers("fac.agent"),
        await people.headers("admin"),
    )
    async with AsyncTestClient(app=create_app(runtime=desk, background=False)) as client:
        catalog = (
            await client.get(
                "/api/v1/request-types", params={"department": "facilities"}, headers=alice
            )
        ).json()
        assert [rt["key"] for rt in catalog] == ["facilities.repair"]
        assert catalog[0]["form_schema"]["required"] == ["location", "kind"]

        bad = await client.post(
            "/api/v1/tickets",
            json={
                "request_type": "facilities.repair",
                "title": "Lamp",
                "form_data": {"kind": "lava"},
            },
            headers=alice,
        )
        assert bad.status_code == 422
        assert {e["field"] for e in bad.json()["errors"]} == {
            "form_data.location",
            "form_data.kind",
        }

        created = await client.post(
            "/api/v1/tickets",
            json={
                "request_type": "facilities.repair",
                "title": "Flickering light in room 4.12",
                "form_data": {"location": "Room 4.12", "floor": 4, "kind": "light"},
            },
            headers=alice,
        )
        assert created.status_code == 201
        ticket = created.json()
        assert ticket["key"] == "FAC-1" and ticket["state"] == "reported"

        # The department's queue is a filter over the ticket list.
        queue = desk.registry.queues["facilities.open"]
        listed = (await client.get("/api/v1/tickets", params=queue.filters, headers=agent)).json()
        assert [t["key"] for t in listed["items"]] == ["FAC-1"]
        assert (
            await client.get("/api/v1/tickets/FAC-1", headers=await people.headers("it.agent"))
        ).status_code == 404

        started = await client.post(
            "/api/v1/tickets/FAC-1/transitions", json={"transition": "start"}, headers=agent
        )
        assert started.json()["state"] == "fixing"
        missing = await client.post(
            "/api/v1/tickets/FAC-1/transitions", json={"transition": "finish"}, headers=agent
        )
        assert (
            missing.status_code == 422 and missing.json()["errors"][0]["field"] == "what_was_done"
        )
        fixed = await client.post(
            "/api/v1/tickets/FAC-1/transitions",
            json={"transition": "finish", "fields": {"what_was_done": "New tube"}},
            headers=agent,
        )
        assert fixed.json()["state_category"] == "resolved"
        assert fixed.json()["form_data"]["what_was_done"] == "New tube"

        # Its own route works, and answers 404 while the department is disabled.
        assert (await client.get("/facilities/floors")).json()["floors"][0] == -2
        await client.post("/api/v1/plugins/facilities/disable", headers=admin)
        assert (await client.get("/facilities/floors")).status_code == 404
        await client.post("/api/v1/plugins/facilities/enable", headers=admin)
        assert (await client.get("/facilities/floors")).status_code == 200

    # Its event hook hears about its own tickets, after commit, through the outbox.
    await deliver_due(desk.snapshot, desk.clock)
    assert facilities.SEEN_EVENTS == ["FAC-1"]


async def test_hook_polydesk_register_routes(desk):
    async with AsyncTestClient(app=create_app(runtime=desk, background=False)) as client:
        response = await client.get("/facilities/floors")
    assert response.status_code == 200 and 40 in response.json()["floors"]
