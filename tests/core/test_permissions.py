"""Who sees which ticket: departments, confidential teams, admins, approvers."""

from __future__ import annotations

import pytest

from polydesk.core.defaults.permissions import can_view_ticket
from polydesk.core.demo import sample_form_data
from polydesk.core.errors import NotFound
from polydesk.core.permissions import can
from polydesk.core.tickets.services import TicketFilters, TicketService


@pytest.fixture
async def tickets(runtime) -> TicketService:
    return TicketService(await runtime.snapshot())


async def _raise(tickets, people, username, request_type, title):
    actor = await people.actor(username)
    form = sample_form_data(tickets.registry.request_types[request_type].form)
    return await tickets.create(actor, request_type=request_type, title=title, form_data=form)


async def test_requesters_see_only_their_own_tickets(tickets, people):
    mine = await _raise(tickets, people, "alice", "it.incident", "Alice's laptop")
    await _raise(tickets, people, "bob", "it.incident", "Bob's phone")
    alice = await people.actor("alice")
    assert [t.key for t in (await tickets.list(alice)).items] == [mine.key]
    with pytest.raises(NotFound):
        await tickets.get(await people.actor("bob"), mine.key)


async def test_agents_see_their_department_only(tickets, people):
    it_ticket = await _raise(tickets, people, "alice", "it.incident", "Network")
    hr_ticket = await _raise(tickets, people, "alice", "hr.payroll", "Payslip")
    it_agent, hr_agent = await people.actor("it.agent"), await people.actor("hr.agent")
    assert [t.key for t in (await tickets.list(it_agent)).items] == [it_ticket.key]
    with pytest.raises(NotFound):
        await tickets.get(it_agent, hr_ticket.key)
    assert (await tickets.get(hr_agent, hr_ticket.key)).key == hr_ticket.key


async def test_confidential_case_is_for_the_requester_and_the_case_team_only(tickets, people):
    case = await _raise(tickets, people, "alice", "hr.case", "Grievance")
    assert case.confidential
    for outsider in ("hr.agent", "it.agent", "admin", "bob"):
        actor = await people.actor(outsider)
        with pytest.raises(NotFound):
            await tickets.get(actor, case.key)
        assert case.key not in [t.key for t in (await tickets.list(actor)).items]
        with pytest.raises(NotFound):
            await tickets.timeline(actor, case.key)
    assert (await tickets.get(await people.actor("hr.case"), case.key)).key == case.key
    assert (await tickets.get(await people.actor("alice"), case.key)).key == case.key


async def test_admins_see_all_non_confidential_tickets(tickets, people):
    it_ticket = await _raise(tickets, people, "alice", "it.incident", "Server")
    hr_ticket = await _raise(tickets, people, "bob", "hr.payroll", "Bonus")
    admin = await people.actor("admin")
    keys = {t.key for t in (await tickets.list(admin, TicketFilters(sort="newest"))).items}
    assert keys == {it_ticket.key, hr_ticket.key}


async def test_sql_narrowing_and_can_agree_for_every_actor_and_ticket(tickets, people, runtime):
    """The list query and the single-ticket rule must never disagree."""
    created = [
        await _raise(tickets, people, "alice", "it.incident", "a"),
        await _raise(tickets, people, "bob", "hr.case", "b"),
        await _raise(tickets, people, "alice", "hr.payroll", "c"),
        await _raise(tickets, people, "bob", "finance.invoice_query", "d"),
    ]
    system_view = {t.id: t for t in created}
    snapshot = await runtime.snapshot()
    for username in people.ids:
        actor = await people.actor(username)
        listed = {t.id for t in (await tickets.list(actor, limit=200)).items}
        allowed = {
            tid
            for tid, ticket in system_view.items()
            if can(snapshot.pm, snapshot.disabled_plugins, actor, "ticket.view", ticket)
        }
        assert listed == allowed, username
        assert allowed == {tid for tid, t in system_view.items() if can_view_ticket(actor, t)}


async def test_hook_polydesk_check_permission(runtime, people, tickets):
    """A plugin's False denies what the baseline allows; its True cannot widen a list."""
    from polydesk.core.hookspecs import hookimpl

    ticket = await _raise(tickets, people, "alice", "it.incident", "Secret project")

    class NoSecrets:
        @hookimpl
        def polydesk_check_permission(self, actor, action, resource):
            if action == "ticket.view" and "Secret" in getattr(resource, "title", ""):
                return actor.username == "alice"

    runtime.pm.register(NoSecrets(), name="no-secrets")
    try:
        service = TicketService(await runtime.snapshot())
        with pytest.raises(NotFound):
            await service.get(await people.actor("it.agent"), ticket.key)
        assert (await service.list(await people.actor("it.agent"))).items == []
        assert (await service.get(await people.actor("alice"), ticket.key)).key == ticket.key
    finally:
        runtime.pm.unregister(name="no-secrets")


async def test_the_confidential_filter_narrows_to_what_the_team_may_see(tickets, people):
    from polydesk.core.tickets.services import TicketFilters

    case = await _raise(tickets, people, "alice", "hr.case", "Grievance")
    payroll = await _raise(tickets, people, "alice", "hr.payroll", "Payslip")
    team = await people.actor("hr.case")
    only = await tickets.list(team, TicketFilters(confidential=True))
    assert [t.key for t in only.items] == [case.key]
    assert [t.key for t in (await tickets.list(team, TicketFilters(confidential=False))).items] == [
        payroll.key
    ]
    # Another HR agent asking for confidential tickets still sees none.
    assert (
        await tickets.list(await people.actor("hr.agent"), TicketFilters(confidential=True))
    ).items == []
