"""Keep every ticket's SLA clocks in step with its timeline.

`recompute_clocks` runs inside the transaction of each ticket change, so the
stored clocks and the ticket's `sla_due_at` (the queue's sort key) never lag
behind the change that moved them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import msgspec

from polydesk.core.sla.calendars import BusinessCalendar, compile_calendar
from polydesk.core.sla.clocks import (
    METRICS,
    ClockState,
    Facts,
    compute_clock,
    facts_from_timeline,
)
from polydesk.core.sla.tables import SLAClock
from polydesk.core.specs import Calendar, SLAPolicy
from polydesk.core.tickets.tables import Ticket, TimelineEvent

#: Due date of tickets with no running clock; sorts after every real one.
NO_DUE_DATE = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)

_compiled: dict[str, tuple[Calendar, BusinessCalendar]] = {}


def business_calendar(spec: Calendar) -> BusinessCalendar:
    """The compiled calendar for `spec`, compiled once per process and spec."""
    cached = _compiled.get(spec.key)
    if cached is None or cached[0] != spec:
        cached = (spec, compile_calendar(spec))
        _compiled[spec.key] = cached
    return cached[1]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def compute_ticket_clocks(
    snapshot: Any, ticket_id: int
) -> tuple[dict[str, Any], list[ClockState]]:
    """Compute the ticket's clocks from its row and timeline (no writes)."""
    ticket = (
        await Ticket.select(
            Ticket.id,
            Ticket.request_type,
            Ticket.created_at,
            Ticket.state_category,
            Ticket.priority,
            Ticket.form_data,
        )
        .where(Ticket.id == ticket_id)
        .output(load_json=True)
        .first()
    )
    events = await (
        TimelineEvent.select(TimelineEvent.kind, TimelineEvent.data, TimelineEvent.created_at)
        .where(TimelineEvent.ticket == ticket_id)
        .where(TimelineEvent.kind.is_in(["created", "transition", "field_change", "reply"]))
        .order_by(TimelineEvent.id)
        .output(load_json=True)
    )
    facts = facts_from_timeline(
        ticket["created_at"],
        [{**e, "data": _json(e["data"])} for e in events],
        initial_category=ticket["state_category"],
        initial_priority=ticket["priority"],
        form_data=_json(ticket["form_data"]) or {},
    )
    return ticket, _clocks(snapshot, ticket["request_type"], facts, snapshot.now())


def _clocks(snapshot: Any, request_type: str, facts: Facts, now: dt.datetime) -> list[ClockState]:
    policy = effective_policy(snapshot, request_type)
    clocks = []
    if policy is not None:
        for metric in METRICS:
            clock = compute_clock(metric, facts, policy, business_calendar, now)
            if clock is not None:
                clocks.append(clock)
    return clocks


def new_ticket_clocks(
    snapshot: Any,
    request_type: str,
    *,
    created_at: dt.datetime,
    category: str,
    priority: int,
    form_data: dict[str, Any],
) -> list[ClockState]:
    """The clocks of a ticket about to be created, from what it is created with.

    No reads: a new ticket's only facts are its creation (category, priority,
    form data at `created_at`), which is what `recompute_clocks` would read
    back from its row and its `created` event. Ticket creation computes them
    before its transaction, so the write lock is not held for it.
    """
    facts = facts_from_timeline(
        created_at,
        [],
        initial_category=category,
        initial_priority=priority,
        form_data=form_data,
    )
    return _clocks(snapshot, request_type, facts, created_at)


def due_of(clocks: list[ClockState]) -> dt.datetime:
    """The ticket's `sla_due_at`: its earliest running clock's due date, else NO_DUE_DATE."""
    running = [c.due_at for c in clocks if c.status == "running" and c.due_at is not None]
    return min(running) if running else NO_DUE_DATE


async def insert_clocks(
    ticket_id: int, clocks: list[ClockState], now: dt.datetime
) -> list[dict[str, Any]]:
    """Store a new ticket's clocks in one statement; call inside its transaction.

    Returns them as `clocks_for` would read them back (for the creation's answer)."""
    rows = [
        SLAClock(
            ticket=ticket_id,
            metric=clock.metric,
            policy=clock.policy,
            calendar=clock.calendar,
            target_minutes=clock.target_minutes,
            started_at=clock.started_at,
            due_at=clock.due_at,
            warn_at=clock.warn_at,
            status=clock.status,
            elapsed_minutes=clock.elapsed_minutes,
            met_at=clock.met_at,
            updated_at=now,
        )
        for clock in clocks
    ]
    if rows:
        await SLAClock.insert(*rows)
    return [
        {
            "ticket": ticket_id,
            "metric": c.metric,
            "policy": c.policy,
            "calendar": c.calendar,
            "target_minutes": c.target_minutes,
            "started_at": c.started_at,
            "due_at": c.due_at,
            "warn_at": c.warn_at,
            "status": c.status,
            "elapsed_minutes": c.elapsed_minutes,
            "met_at": c.met_at,
            "warned_at": None,
            "breached_at": None,
            "updated_at": now,
        }
        for c in clocks
    ]


def effective_policy(snapshot: Any, request_type: str) -> SLAPolicy | None:
    rt = snapshot.registry.request_types.get(request_type)
    if rt is None:
        return None
    return snapshot.sla_policy(rt.sla_policy)


async def recompute_clocks(snapshot: Any, ticket_id: int) -> list[ClockState]:
    """Recompute and store the ticket's clocks and its `sla_due_at`.

    Call inside the transaction of the change. `warned_at` and `breached_at`
    are kept: a warning or breach that fired stays fired.
    """
    _, clocks = await compute_ticket_clocks(snapshot, ticket_id)
    existing = {
        row["metric"]: row
        for row in await SLAClock.select(SLAClock.id, SLAClock.metric).where(
            SLAClock.ticket == ticket_id
        )
    }
    now = snapshot.now()
    for clock in clocks:
        values = {
            SLAClock.policy: clock.policy,
            SLAClock.calendar: clock.calendar,
            SLAClock.target_minutes: clock.target_minutes,
            SLAClock.started_at: clock.started_at,
            SLAClock.due_at: clock.due_at,
            SLAClock.warn_at: clock.warn_at,
            SLAClock.status: clock.status,
            SLAClock.elapsed_minutes: clock.elapsed_minutes,
            SLAClock.met_at: clock.met_at,
            SLAClock.updated_at: now,
        }
        if clock.metric in existing:
            await SLAClock.update(values).where(SLAClock.id == existing.pop(clock.metric)["id"])
        else:
            await SLAClock.insert(
                SLAClock(
                    ticket=ticket_id,
                    metric=clock.metric,
                    **{c._meta.name: v for c, v in values.items()},
                )
            )
    for stale in existing.values():  # the new priority has no target for this metric
        await SLAClock.delete().where(SLAClock.id == stale["id"])
    await Ticket.update({Ticket.sla_due_at: due_of(clocks)}).where(Ticket.id == ticket_id)
    return clocks


class ClockView(msgspec.Struct, frozen=True, kw_only=True):
    """A clock as people read it: where it stands and how much business time is left."""

    metric: str
    status: str  # running | paused | met | breached | cancelled
    target_minutes: int
    due_at: dt.datetime | None
    met_at: dt.datetime | None
    breached_at: dt.datetime | None
    #: business minutes left (negative once overdue); for a paused clock, what
    #: remains when it resumes; None once met or cancelled
    remaining_minutes: int | None
    elapsed_minutes: int


async def clocks_for(ticket_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Stored clocks of many tickets in one query (lists never query per row)."""
    result: dict[int, list[dict[str, Any]]] = {tid: [] for tid in ticket_ids}
    if not ticket_ids:
        return result
    rows = await SLAClock.select().where(SLAClock.ticket.is_in(ticket_ids)).order_by(SLAClock.id)
    for row in rows:
        result[row["ticket"]].append(row)
    return result


def clock_view(snapshot: Any, row: dict[str, Any]) -> ClockView:
    now = snapshot.now()
    breached = row["breached_at"] is not None or (
        row["met_at"] is not None and row["due_at"] is not None and row["met_at"] > row["due_at"]
    )
    remaining = None
    if row["status"] == "paused":
        remaining = row["target_minutes"] - row["elapsed_minutes"]
    elif row["status"] == "running" and row["due_at"] is not None:
        spec = snapshot.sla_calendar(row["calendar"])
        if spec is None:
            remaining = None
        else:
            calendar = business_calendar(spec)
            if row["due_at"] >= now:
                remaining = int(calendar.between(now, row["due_at"]))
            else:
                remaining = -int(calendar.between(row["due_at"], now))
    status = row["status"]
    if status in ("running", "met") and breached:
        status = "breached"
    return ClockView(
        metric=row["metric"],
        status=status,
        target_minutes=row["target_minutes"],
        due_at=row["due_at"],
        met_at=row["met_at"],
        breached_at=row["breached_at"] or (row["due_at"] if breached else None),
        remaining_minutes=remaining,
        elapsed_minutes=row["elapsed_minutes"],
    )
