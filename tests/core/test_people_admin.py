"""The people service behind the admin console: search, pages, roles, teams, admin rights."""

from __future__ import annotations

import pytest

from polydesk.core.errors import NotFound, ValidationFailed
from polydesk.core.people import admin
from polydesk.core.people.services import load_actor


async def test_search_matches_username_name_and_email_in_any_case(people):
    found = await admin.list_people("HR.")
    assert [p.username for p in found.people] == ["hr.agent", "hr.case"]
    case = found.people[1]
    assert case.roles == {"hr": "agent"} and case.teams == {("hr", "case_team")}
    assert [p.username for p in (await admin.list_people("Finance Agent")).people] == [
        "finance.agent"
    ]
    assert (await admin.list_people("nobody-at-all")).total == 0


async def test_pages_are_ordered_and_clamped(people):
    first = await admin.list_people(per_page=3)
    assert first.total == 8 and first.pages == 3
    assert [p.username for p in first.people] == ["admin", "alice", "bob"]
    assert first.has_next and not first.has_previous
    last = await admin.list_people(page=99, per_page=3)
    assert last.page == 3 and [p.username for p in last.people] == ["it.agent", "it.lead"]
    assert last.has_previous and not last.has_next


async def test_set_access_changes_only_what_the_form_offers(people):
    bob, me = people.ids["bob"], people.ids["admin"]
    await admin.set_access(
        bob,
        roles={"hr": "agent", "it": None},
        offered_teams=[("hr", "case_team"), ("legal", "privileged")],
        teams=[("hr", "case_team")],
        is_admin=True,
        changed_by=me,
    )
    actor = await load_actor(bob)
    assert dict(actor.roles) == {"hr": "agent"} and actor.is_admin
    assert actor.teams == {("hr", "case_team")}

    # A department or team the form did not offer is left alone.
    await admin.set_access(
        bob, roles={"it": "lead"}, offered_teams=[], teams=[], is_admin=False, changed_by=me
    )
    actor = await load_actor(bob)
    assert dict(actor.roles) == {"hr": "agent", "it": "lead"}
    assert actor.teams == {("hr", "case_team")} and not actor.is_admin


async def test_set_access_refuses_bad_input_and_saves_nothing(people):
    me = people.ids["admin"]
    with pytest.raises(ValidationFailed) as refused:
        await admin.set_access(
            me,
            roles={"it": "boss"},
            offered_teams=[("hr", "case_team")],
            teams=[("legal", "privileged")],
            is_admin=False,
            changed_by=me,
        )
    assert set(refused.value.fields) == {"role.it", "is_admin", "teams"}
    actor = await load_actor(me)
    assert actor.is_admin and dict(actor.roles) == {}
    with pytest.raises(NotFound):
        await admin.set_access(
            99999, roles={}, offered_teams=[], teams=[], is_admin=False, changed_by=me
        )
    with pytest.raises(NotFound):
        await admin.get_person(99999)
