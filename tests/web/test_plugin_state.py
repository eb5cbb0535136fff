"""Admins enable and disable departments at runtime, in every worker, losing nothing."""

from __future__ import annotations

import dataclasses

from litestar.testing import AsyncTestClient

from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.runtime import Runtime
from polydesk.web.app import create_app


async def _legal_ticket(client, headers, runtime):
    from polydesk.core.demo import sample_form_data

    form = sample_form_data(runtime.registry.request_types["legal.advice"].form)
    response = await client.post(
        "/api/v1/tickets",
        json={"request_type": "legal.advice", "title": "Can we use this logo?", "form_data": form},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_disabling_hides_portal_and_types_but_keeps_tickets(client, people, runtime):
    await people.add("legal.agent", roles={"legal": "agent"})
    alice, admin = await people.headers("alice"), await people.headers("admin")
    ticket = await _legal_ticket(client, alice, runtime)

    refused = await client.post("/api/v1/plugins/legal/disable", headers=alice)
    assert refused.status_code == 403
    disabled = await client.post("/api/v1/plugins/legal/disable", headers=admin)
    assert disabled.status_code == 201 and disabled.json()["enabled"] is False

    types = (await client.get("/api/v1/request-types", headers=alice)).json()
    assert not [t for t in types if t["department"] == "legal"]
    assert "Legal" not in (await client.get("/")).text
    departments = (await client.get("/api/v1/departments", headers=admin)).json()
    assert {d["slug"]: d["enabled"] for d in departments}["legal"] is False
    again = await client.post(
        "/api/v1/tickets",
        json={"request_type": "legal.advice", "title": "x", "form_data": {}},
        headers=alice,
    )
    assert again.status_code == 422
    # The ticket is still there for admins, hidden from everyone else.
    assert (await client.get(f"/api/v1/tickets/{ticket['key']}", headers=admin)).status_code == 200
    assert (await client.get(f"/api/v1/tickets/{ticket['key']}", headers=alice)).status_code == 404

    enabled = await client.post("/api/v1/plugins/legal/enable", headers=admin)
    assert enabled.json()["enabled"] is True
    assert (await client.get(f"/api/v1/tickets/{ticket['key']}", headers=alice)).json()[
        "title"
    ] == ticket["title"]
    types = (await client.get("/api/v1/request-types", headers=alice)).json()
    assert any(t["department"] == "legal" for t in types)
    assert "Legal" in (await client.get("/")).text


async def test_unknown_plugin_is_404(client, people):
    response = await client.post(
        "/api/v1/plugins/nope/disable", headers=await people.headers("admin")
    )
    assert response.status_code == 404


async def test_a_change_in_one_worker_reaches_another_without_restart(runtime, people, settings):
    """Two apps on one database stand for two workers; the second follows within its TTL."""
    admin, alice = await people.headers("admin"), await people.headers("alice")
    other = Runtime.create(
        dataclasses.replace(settings, plugin_state_ttl=0.0), create_plugin_manager()
    )
    worker_a = AsyncTestClient(app=create_app(runtime=runtime, background=False))
    worker_b = AsyncTestClient(app=create_app(runtime=other, background=False))
    async with worker_a as a, worker_b as b:
        assert any(
            t["department"] == "hr"
            for t in (await b.get("/api/v1/request-types", headers=alice)).json()
        )
        await a.post("/api/v1/plugins/hr/disable", headers=admin)
        assert not any(
            t["department"] == "hr"
            for t in (await b.get("/api/v1/request-types", headers=alice)).json()
        )
        await a.post("/api/v1/plugins/hr/enable", headers=admin)
        assert any(
            t["department"] == "hr"
            for t in (await b.get("/api/v1/request-types", headers=alice)).json()
        )


async def test_state_cache_reads_only_when_the_revision_moves(runtime):
    """Within the TTL a worker trusts its view; after it, one indexed read decides."""
    from polydesk.core.plugin_state.services import PluginStateCache, set_plugin_enabled

    now = [0.0]
    cache = PluginStateCache(ttl=1.0, monotonic=lambda: now[0])
    assert "it" not in (await cache.get()).disabled_plugins
    await set_plugin_enabled(runtime.pm, "it", False)
    assert "it" not in (await cache.get()).disabled_plugins  # still inside the TTL
    now[0] = 1.5
    assert "it" in (await cache.get()).disabled_plugins


async def test_disabled_plugins_hooks_are_not_called(runtime, people):
    """Priority comes from the IT matrix only while IT is enabled."""
    from polydesk.core.demo import sample_form_data
    from polydesk.core.plugin_state.services import set_plugin_enabled
    from polydesk.core.specs import TicketDraft

    rt = runtime.registry.request_types["it.incident"]
    draft = TicketDraft(
        department="it",
        request_type=rt,
        title="x",
        description="",
        form_data={**sample_form_data(rt.form), "impact": "high", "urgency": "high"},
        requester="alice",
    )
    assert (await runtime.snapshot()).hook("polydesk_priority")(draft=draft) == 1
    await set_plugin_enabled(runtime.pm, "it", False)
    runtime.plugin_states.invalidate()
    assert (await runtime.snapshot()).hook("polydesk_priority")(draft=draft) == rt.default_priority
