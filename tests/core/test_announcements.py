"""Department announcements: who posts them, when they show, and what is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from polydesk.core.announcements.services import (
    active_announcements,
    delete_announcement,
    department_announcements,
    end_announcement,
    may_manage,
    post_announcement,
)
from polydesk.core.announcements.tables import Announcement
from polydesk.core.errors import NotFound, ValidationFailed

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
async def no_announcements(db: None) -> AsyncIterator[None]:
    """The conftest does not know this table: empty it before and after each test."""
    await Announcement.delete(force=True)
    yield
    await Announcement.delete(force=True)


@pytest.fixture
def clock(runtime):
    """The runtime's clock, settable by the test."""
    now = [NOW]
    runtime.clock = lambda: now[0]
    return now


async def test_leads_and_admins_post_agents_and_requesters_do_not(runtime, people, clock):
    snapshot = await runtime.snapshot()
    lead, agent = await people.actor("it.lead"), await people.actor("it.agent")
    admin, alice = await people.actor("admin"), await people.actor("alice")
    dept_admin = await people.add("it.boss", roles={"it": "admin"})
    assert may_manage(snapshot, lead, "it") and may_manage(snapshot, dept_admin, "it")
    assert may_manage(snapshot, admin, "hr")
    assert not may_manage(snapshot, agent, "it") and not may_manage(snapshot, alice, "it")
    assert not may_manage(snapshot, lead, "hr")  # a lead of IT only

    posted = await post_announcement(snapshot, lead, "it", title="VPN maintenance")
    assert posted["status"] == "active" and posted["starts_at"] == NOW
    await post_announcement(snapshot, admin, "hr", title="Payroll closes early")
    for who, department in ((agent, "it"), (alice, "it"), (lead, "hr")):
        with pytest.raises(NotFound):
            await post_announcement(snapshot, who, department, title="Nope")
        with pytest.raises(NotFound):
            await department_announcements(snapshot, who, department)
    assert await Announcement.count() == 2


async def test_only_announcements_inside_their_window_show(runtime, people, clock):
    snapshot = await runtime.snapshot()
    lead = await people.actor("it.lead")
    hour = dt.timedelta(hours=1)
    await post_announcement(snapshot, lead, "it", title="Now", ends_at=NOW + hour)
    await post_announcement(snapshot, lead, "it", title="Later", starts_at=NOW + hour)
    await post_announcement(
        snapshot, lead, "it", title="Past", starts_at=NOW - 2 * hour, ends_at=NOW - hour
    )
    titles = [a["title"] for a in await active_announcements(snapshot, "it")]
    assert titles == ["Now"]
    assert await active_announcements(snapshot, "hr") == []
    statuses = {
        a["title"]: a["status"] for a in await department_announcements(snapshot, lead, "it")
    }
    assert statuses == {"Now": "active", "Later": "scheduled", "Past": "ended"}

    clock[0] = NOW + 2 * hour  # "Now" has ended and "Later" has begun
    titles = [a["title"] for a in await active_announcements(await runtime.snapshot(), "it")]
    assert titles == ["Later"]


async def test_ended_and_deleted_announcements_are_hidden(runtime, people, clock):
    snapshot = await runtime.snapshot()
    lead, agent = await people.actor("it.lead"), await people.actor("it.agent")
    first = await post_announcement(snapshot, lead, "it", title="Printer down", severity="outage")
    second = await post_announcement(snapshot, lead, "it", title="New laptops")
    with pytest.raises(NotFound):
        await end_announcement(snapshot, agent, "it", first["id"])
    with pytest.raises(NotFound):  # the id belongs to another department
        await end_announcement(snapshot, await people.actor("admin"), "hr", first["id"])
    ended = await end_announcement(snapshot, lead, "it", first["id"])
    assert ended["status"] == "ended"
    assert [a["title"] for a in await active_announcements(snapshot, "it")] == ["New laptops"]
    with pytest.raises(NotFound):
        await delete_announcement(snapshot, agent, "it", second["id"])
    await delete_announcement(snapshot, lead, "it", second["id"])
    assert await active_announcements(snapshot) == []
    assert [a["title"] for a in await department_announcements(snapshot, lead, "it")] == [
        "Printer down"
    ]


async def test_home_shows_outages_and_warnings_first(runtime, people, clock):
    snapshot = await runtime.snapshot()
    admin = await people.actor("admin")
    await post_announcement(snapshot, admin, "it", title="Info")
    await post_announcement(snapshot, admin, "hr", title="Warn", severity="warning")
    await post_announcement(snapshot, admin, "it", title="Down", severity="outage")
    home = await active_announcements(snapshot, severities=("outage", "warning"))
    assert [a["title"] for a in home] == ["Down", "Warn"]
    assert [a["title"] for a in await active_announcements(snapshot)] == ["Down", "Warn", "Info"]


async def test_a_disabled_departments_announcements_are_hidden(runtime, people, clock):
    from polydesk.core.plugin_state.services import set_plugin_enabled

    snapshot = await runtime.snapshot()
    lead = await people.actor("it.lead")
    await post_announcement(snapshot, lead, "it", title="VPN down", severity="outage")
    assert len(await active_announcements(snapshot)) == 1
    await set_plugin_enabled(runtime.pm, "it", False)
    runtime.plugin_states.invalidate()
    snapshot = await runtime.snapshot()
    assert await active_announcements(snapshot) == []
    assert await active_announcements(snapshot, "it") == []
    assert not may_manage(snapshot, lead, "it")


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"ends_at": NOW}, "ends_at"),
        ({"ends_at": NOW - dt.timedelta(minutes=1)}, "ends_at"),
        ({"severity": "panic"}, "severity"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"body": "x" * 5001}, "body"),
    ],
)
async def test_refused_fields_each_get_a_message(runtime, people, clock, fields, key):
    snapshot = await runtime.snapshot()
    lead = await people.actor("it.lead")
    values = {"title": "Fine", "starts_at": NOW, **fields}
    with pytest.raises(ValidationFailed) as refused:
        await post_announcement(snapshot, lead, "it", **values)
    assert list(refused.value.fields) == [key]
    assert await Announcement.count() == 0
