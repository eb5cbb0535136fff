"""Random ticket life cycles never break an invariant (hypothesis stateful testing).

A RuleBasedStateMachine raises IT incidents and HR payroll questions, comments
(public replies, internal notes, requester replies), assigns, moves tickets
through whatever transitions the workflow offers (filling the fields a
transition asks for), and sends stale and racing updates through the API.
After every step:

- a resolved or closed ticket has `resolved_at` and the fields its resolving
  transition asked for;
- the timeline's versions are 1, 2, 3 … up to the ticket's version, in order;
- the stored SLA clocks equal a recomputation from the timeline;
- the requester's API timeline holds no internal note;
- a stale update is a 409 that changes nothing; of two racing updates one wins.

The machine is synchronous and drives one event loop of its own (an
`asyncio.Runner`), so hypothesis and pytest-asyncio's session loop never meet;
the app runs in-process through Litestar's AsyncTestClient on that loop.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from litestar.testing import AsyncTestClient

from polydesk.core.demo import sample_form_data
from polydesk.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from polydesk.core.forms import Form
from polydesk.core.sla.services import compute_ticket_clocks
from polydesk.core.sla.tables import SLAClock
from polydesk.core.tickets.services import TicketService
from polydesk.web.app import create_app

#: (request type, its department's agent) — IT and one other department.
KINDS = (("it.incident", "it.agent"), ("hr.payroll", "hr.agent"))
CLOCK_FIELDS = ("metric", "status", "target_minutes", "started_at", "due_at", "warn_at", "met_at")
MACHINE_SETTINGS = settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


class TicketLifeCycle(RuleBasedStateMachine):
    # Set by the test before the run: the runtime, the cast and the event loop.
    runtime: ClassVar[Any]
    cast: ClassVar[Any]
    runner: ClassVar[asyncio.Runner]

    tickets = Bundle("tickets")

    def run(self, awaitable: Any) -> Any:
        async def wait() -> Any:
            return await awaitable  # a coroutine, or a Piccolo query

        return self.runner.run(wait())

    @initialize()
    def start(self) -> None:
        self.created: list[int] = []
        self.touched: set[int] = set()
        self.actors: dict[str, Any] = {}
        self.bearer: dict[str, dict[str, str]] = {}
        self.client = AsyncTestClient(app=create_app(runtime=self.runtime, background=False))
        self.run(self.client.__aenter__())

    def teardown(self) -> None:
        if hasattr(self, "client"):
            self.run(self.client.__aexit__(None, None, None))

    # -- helpers ---------------------------------------------------------------------

    def desk(self) -> TicketService:
        return TicketService(self.run(self.runtime.snapshot()))

    def actor(self, username: str) -> Any:
        if username not in self.actors:
            self.actors[username] = self.run(self.cast.actor(username))
        return self.actors[username]

    def headers(self, username: str) -> dict[str, str]:
        if username not in self.bearer:
            self.bearer[username] = self.run(self.cast.headers(username))
        return self.bearer[username]

    def agent_of(self, ticket: Any) -> str:
        return dict(KINDS)[ticket.request_type]

    def _load(self, ticket_id: int) -> Any:
        desk = self.desk()
        requester = self.actor("alice")
        return self.run(desk.get(requester, ticket_id))

    def as_agent(self, ticket_id: int) -> Any:
        ticket = self._load(ticket_id)
        return self.run(self.desk().get(self.actor(self.agent_of(ticket)), ticket_id))

    # -- rules ---------------------------------------------------------------------

    @rule(target=tickets, kind=st.sampled_from(KINDS), seed=st.integers(0, 3))
    def create(self, kind: tuple[str, str], seed: int) -> int:
        key, _ = kind
        desk = self.desk()
        form = sample_form_data(desk.registry.request_types[key].form, seed)
        ticket = self.run(
            desk.create(self.actor("alice"), request_type=key, title=f"Case {seed}", form_data=form)
        )
        self.created.append(ticket.id)
        self.touched.add(ticket.id)
        return ticket.id

    @rule(ticket_id=tickets, who=st.sampled_from(["agent", "requester"]), public=st.booleans())
    def comment(self, ticket_id: int, who: str, public: bool) -> None:
        self.touched.add(ticket_id)
        ticket = self._load(ticket_id)
        username = self.agent_of(ticket) if who == "agent" else "alice"
        public = public or who == "requester"
        response = self.run(
            self.client.post(
                f"/api/v1/tickets/{ticket.key}/comments",
                json={"body": f"{who} {'reply' if public else 'internal note'}", "public": public},
                headers=self.headers(username),
            )
        )
        assert response.status_code == 201, response.text

    @rule(ticket_id=tickets, to_me=st.booleans())
    def assign(self, ticket_id: int, to_me: bool) -> None:
        self.touched.add(ticket_id)
        ticket = self.as_agent(ticket_id)
        agent = self.agent_of(ticket)
        response = self.run(
            self.client.post(
                f"/api/v1/tickets/{ticket.key}/assignment",
                json={"version": ticket.version, "assignee": agent if to_me else ""},
                headers=self.headers(agent),
            )
        )
        assert response.status_code == 201, response.text
        assert response.json()["version"] == ticket.version + 1

    @rule(ticket_id=tickets, pick=st.integers(0, 10), by_requester=st.booleans())
    def transition(self, ticket_id: int, pick: int, by_requester: bool) -> None:
        self.touched.add(ticket_id)
        ticket = self.as_agent(ticket_id)
        username = "alice" if by_requester else self.agent_of(ticket)
        desk = self.desk()
        actor = self.actor(username)
        moves = desk.available_transitions(actor, ticket)
        if not moves:
            return
        move = moves[pick % len(moves)]
        fields = sample_form_data(Form(move.fields)) if move.fields else {}
        try:
            after = self.run(
                desk.transition(actor, ticket.id, move.key, version=ticket.version, fields=fields)
            )
        except (InvalidTransition, ValidationFailed, PermissionDenied):
            # A guard's veto or a plugin rule: allowed, but it must change nothing.
            assert self.as_agent(ticket_id).version == ticket.version
            return
        assert after.state == move.to_state and after.version == ticket.version + 1

    @rule(ticket_id=tickets, back=st.integers(1, 3))
    def stale_update(self, ticket_id: int, back: int) -> None:
        self.touched.add(ticket_id)
        ticket = self.as_agent(ticket_id)
        if ticket.version <= 1:
            return
        stale = max(1, ticket.version - back)
        agent = self.agent_of(ticket)
        before = self._rows(ticket_id)
        response = self.run(
            self.client.patch(
                f"/api/v1/tickets/{ticket.key}",
                json={"version": stale, "priority": 1 if ticket.priority != 1 else 2},
                headers=self.headers(agent),
            )
        )
        assert response.status_code == 409, response.text
        assert response.json()["current"]["version"] == ticket.version
        assert self._rows(ticket_id) == before
        try:
            self.run(self.desk().assign(self.actor(agent), ticket.id, version=stale, assignee=""))
        except Conflict:
            pass
        else:
            raise AssertionError("a stale assignment was accepted")
        assert self._rows(ticket_id) == before

    @rule(ticket_id=tickets)
    def racing_updates(self, ticket_id: int) -> None:
        self.touched.add(ticket_id)
        ticket = self.as_agent(ticket_id)
        headers = self.headers(self.agent_of(ticket))
        url = f"/api/v1/tickets/{ticket.key}"

        async def race() -> list[Any]:
            return await asyncio.gather(
                self.client.patch(
                    url, json={"version": ticket.version, "title": "First"}, headers=headers
                ),
                self.client.patch(
                    url, json={"version": ticket.version, "title": "Second"}, headers=headers
                ),
            )

        statuses = sorted(r.status_code for r in self.run(race()))
        if ticket.title in ("First", "Second"):
            # One of the racers asks for no change at all: it succeeds without a new version.
            assert statuses[0] == 200
        else:
            assert statuses == [200, 409], statuses
        assert self.as_agent(ticket_id).version <= ticket.version + 1

    # -- invariants ---------------------------------------------------------------------

    def _rows(self, ticket_id: int) -> tuple[Any, Any]:
        from polydesk.core.tickets.tables import Ticket, TimelineEvent

        async def read() -> tuple[Any, Any]:
            row = await Ticket.select().where(Ticket.id == ticket_id).first()
            events = await TimelineEvent.select().where(TimelineEvent.ticket == ticket_id)
            return row, events

        return self.run(read())

    @invariant()
    def every_ticket_the_step_touched_is_consistent(self) -> None:
        """Only the ticket a step acted on can have changed (nothing runs in the
        background here), so each step re-checks that ticket alone."""
        for ticket_id in sorted(getattr(self, "touched", ())):
            ticket = self.as_agent(ticket_id)
            desk = self.desk()
            entries = self.run(desk.timeline(self.actor(self.agent_of(ticket)), ticket_id))
            self.check_resolution(desk, ticket, entries)
            versions = [e.ticket_version for e in entries]
            assert versions == list(range(1, ticket.version + 1)), (ticket.key, versions)
            self.check_clocks(ticket_id)
            self.check_requester_view(ticket_id)
        self.touched = set()

    def check_resolution(self, desk: TicketService, ticket: Any, entries: list[Any]) -> None:
        """A resolved or closed ticket has `resolved_at` and its resolving step's fields."""
        if ticket.state_category not in ("resolved", "closed"):
            return
        assert ticket.resolved_at is not None, ticket.key
        resolving = [
            e
            for e in entries
            if e.kind == "transition" and e.data.get("category") in ("resolved", "closed")
        ]
        assert resolving, ticket.key
        move = desk.workflow_of(ticket).transition(resolving[-1].data["transition"])
        for f in move.fields:
            if f.required:
                assert ticket.form_data.get(f.key) not in (None, ""), (ticket.key, f.key)

    def check_clocks(self, ticket_id: int) -> None:
        """The stored SLA clocks are what the timeline recomputes to."""
        snapshot = self.run(self.runtime.snapshot())
        _, computed = self.run(compute_ticket_clocks(snapshot, ticket_id))
        stored = self.run(
            SLAClock.select(*(getattr(SLAClock, f) for f in CLOCK_FIELDS))
            .where(SLAClock.ticket == ticket_id)
            .order_by(SLAClock.metric)
        )
        expected = sorted(
            ({f: getattr(c, f) for f in CLOCK_FIELDS} for c in computed),
            key=lambda c: c["metric"],
        )
        assert stored == expected, ticket_id

    def check_requester_view(self, ticket_id: int) -> None:
        """Through the API the requester sees no internal note."""
        response = self.run(
            self.client.get(f"/api/v1/tickets/{ticket_id}/timeline", headers=self.headers("alice"))
        )
        assert response.status_code == 200
        entries = response.json()
        assert all(e["public"] for e in entries)
        assert not any(e["kind"] == "note" or "internal note" in e["body"] for e in entries)


@pytest.mark.slow
def test_random_life_cycles_keep_every_invariant(runtime: Any, cast: Any) -> None:
    TicketLifeCycle.runtime = runtime
    TicketLifeCycle.cast = cast
    with asyncio.Runner(loop_factory=asyncio.new_event_loop) as runner:
        TicketLifeCycle.runner = runner
        run_state_machine_as_test(TicketLifeCycle, settings=MACHINE_SETTINGS)
