"""Managers for approvals, and plugin settings an admin edits."""

from __future__ import annotations

import pytest

from polydesk.core.desk import Desk
from polydesk.core.errors import NotFound, ValidationFailed
from polydesk.core.hookspecs import hookimpl
from polydesk.core.people.services import manager_of, set_manager
from polydesk.core.plugin_state.services import set_plugin_settings


async def test_a_person_has_a_manager_who_approves(people, runtime):
    await people.add("maria")
    await set_manager(people.ids["alice"], people.ids["maria"])
    assert await manager_of("alice") == "maria"
    assert await manager_of("bob") is None
    with pytest.raises(ValidationFailed):
        await set_manager(people.ids["alice"], people.ids["alice"])
    desk = Desk(await runtime.snapshot())
    assert await desk.manager_of("alice") == "maria"


async def test_desk_finds_people_by_role_and_team(people, runtime):
    desk = Desk(await runtime.snapshot())
    assert await desk.people_with_role("it", "agent") == ["it.agent"]
    assert await desk.people_with_role("hr", "agent", team="case_team") == ["hr.case"]


async def test_hook_polydesk_validate_settings(runtime, people, client):
    """The plugin refuses bad settings field by field; good ones reach every worker."""

    class Thresholds:
        """A plugin of its own, so the test does not lean on Finance's messages."""

        @hookimpl
        def polydesk_validate_settings(self, plugin, settings):
            if plugin == "thresholds" and not isinstance(settings.get("limit"), int):
                return {"limit": "Give a whole amount."}

    runtime.pm.register(Thresholds(), name="thresholds")
    with pytest.raises(ValidationFailed) as refused:
        await set_plugin_settings(runtime.pm, "thresholds", {"limit": "lots"})
    assert refused.value.fields == {"limit": "Give a whole amount."}
    assert await set_plugin_settings(runtime.pm, "thresholds", {"limit": 5}) == {"limit": 5}
    with pytest.raises(NotFound):
        await set_plugin_settings(runtime.pm, "nope", {})
    admin = await people.headers("admin")
    bad = await client.put(
        "/api/v1/plugins/finance/settings", json={"cfo_above": "x"}, headers=admin
    )
    assert bad.status_code == 422
    good = await client.put(
        "/api/v1/plugins/finance/settings", json={"cfo_above": 20000}, headers=admin
    )
    assert good.status_code == 200
    assert (await client.get("/api/v1/plugins/finance/settings", headers=admin)).json() == {
        "cfo_above": 20000
    }
    assert (
        await client.get("/api/v1/plugins/finance/settings", headers=await people.headers("alice"))
    ).status_code == 403
    runtime.plugin_states.invalidate()
    assert Desk(await runtime.snapshot()).settings("finance") == {"cfo_above": 20000}


async def test_token_use_is_recorded_without_a_write_per_request(people):
    """The first use and later uses minutes apart are recorded; a burst writes once."""
    import datetime as dt

    from polydesk.core.people.services import actor_for_token, create_api_token
    from polydesk.core.people.tables import ApiToken

    token = await create_api_token(people.ids["alice"], "cron")
    assert (await actor_for_token(token)).person_id == people.ids["alice"]
    first = (await ApiToken.select(ApiToken.last_used_at).first())["last_used_at"]
    assert first is not None
    await actor_for_token(token)
    assert (await ApiToken.select(ApiToken.last_used_at).first())["last_used_at"] == first
    old = first - dt.timedelta(hours=1)
    await ApiToken.update({ApiToken.last_used_at: old}, force=True)
    await actor_for_token(token)
    assert (await ApiToken.select(ApiToken.last_used_at).first())["last_used_at"] > old
