"""Fire SLA warnings and breaches, each exactly once.

Any number of workers may run `fire_due` at once. Each due clock is claimed in
its own transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite's write
lock serialises writers), marked as fired, and its timeline entry, outbox
event and escalation are written in that same transaction. A clock that came
due while no worker was running fires on the next scan, because the scan asks
"due at or before now and not fired", not "due in the last minute".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from polydesk.core.db import is_postgres_engine, transaction
from polydesk.core.events import SLABreached, SLAWarning
from polydesk.core.outbox.services import enqueue
from polydesk.core.sla.services import recompute_clocks
from polydesk.core.sla.tables import SLAClock
from polydesk.core.tickets.tables import Ticket, TimelineEvent

METRIC_LABELS = {"first_response": "First response", "resolution": "Resolution"}

_SCANS = {
    # kind: (time column, fired column)
    "warning": ("warn_at", "warned_at"),
    "breach": ("due_at", "breached_at"),
}


def claim_sql(kind: str, *, postgres: bool) -> str:
    """The claim query of scan `kind` ("warning" or "breach"), with Piccolo's `{}`
    for `now`. Its WHERE matches the partial index sla_clock_{breach,warning}_scan_idx
    exactly, so it is one index range scan at any size (benchmarks/sla_breach_scan.py)."""
    at, fired = _SCANS[kind]
    lock = " FOR UPDATE SKIP LOCKED" if postgres else ""
    return (
        f"SELECT id, ticket, metric, policy, due_at FROM sla_clock "
        f"WHERE status = 'running' AND {fired} IS NULL AND {at} <= {{}} "
        f"ORDER BY {at} LIMIT 1{lock}"
    )


async def _claim(kind: str, now: dt.datetime) -> dict[str, Any] | None:
    rows = await SLAClock.raw(claim_sql(kind, postgres=is_postgres_engine()), now)
    return rows[0] if rows else None


async def _fire(snapshot: Any, kind: str, now: dt.datetime) -> bool:
    async with transaction():
        clock = await _claim(kind, now)
        if clock is None:
            return False
        ticket = (
            await Ticket.select(
                Ticket.id, Ticket.key, Ticket.department, Ticket.priority, Ticket.version
            )
            .where(Ticket.id == clock["ticket"])
            .first()
        )
        due = clock["due_at"]
        label = METRIC_LABELS.get(clock["metric"], clock["metric"])
        if kind == "warning":
            await SLAClock.update({SLAClock.warned_at: now}).where(SLAClock.id == clock["id"])
            body = f"{label} is due {due.isoformat()}."
            event: Any = SLAWarning(
                ticket_id=ticket["id"],
                ticket_key=ticket["key"],
                department=ticket["department"],
                metric=clock["metric"],
                due_at=due.isoformat(),
            )
            data: dict[str, Any] = {"metric": clock["metric"], "due_at": due.isoformat()}
        else:
            await SLAClock.update({SLAClock.breached_at: due}).where(SLAClock.id == clock["id"])
            policy = snapshot.sla_policy(clock["policy"])
            escalation = policy.escalation if policy is not None else None
            changes: dict[Any, Any] = {}
            raised_to = None
            if escalation and escalation.raise_priority and ticket["priority"] > 1:
                raised_to = ticket["priority"] - 1
                changes[Ticket.priority] = raised_to
            if escalation and escalation.reassign_group:
                changes[Ticket.assignment_group] = escalation.reassign_group
            data = {
                "metric": clock["metric"],
                "due_at": due.isoformat(),
                "raised_priority_to": raised_to,
                "reassigned_group": escalation.reassign_group if escalation else None,
            }
            body = f"{label} target missed (due {due.isoformat()})."
            event = SLABreached(
                ticket_id=ticket["id"],
                ticket_key=ticket["key"],
                department=ticket["department"],
                metric=clock["metric"],
                due_at=due.isoformat(),
                notify_lead=bool(escalation and escalation.notify_lead),
                raised_priority_to=raised_to,
                reassigned_group=data["reassigned_group"],
            )
        version = ticket["version"] + 1
        await Ticket.update(
            {**changes, Ticket.version: version} if kind == "breach" else {Ticket.version: version}
        ).where(Ticket.id == ticket["id"])
        await TimelineEvent.insert(
            TimelineEvent(
                ticket=ticket["id"],
                kind=f"sla_{kind}",
                actor=None,
                public=False,
                body=body,
                data=data,
                ticket_version=version,
                created_at=now,
            )
        )
        if kind == "breach" and raised_to is not None:
            # The priority change is a fact like any other: on the timeline, then the clocks follow it.
            await TimelineEvent.insert(
                TimelineEvent(
                    ticket=ticket["id"],
                    kind="field_change",
                    actor=None,
                    public=False,
                    body="Priority raised by SLA escalation.",
                    data={"changes": {"priority": [ticket["priority"], raised_to]}},
                    ticket_version=version,
                    created_at=now,
                )
            )
            await recompute_clocks(snapshot, ticket["id"])
        await enqueue(event, now)
    return True


async def fire_due(snapshot: Any, now: dt.datetime, limit: int = 500) -> dict[str, int]:
    """Fire every warning and breach due at `now` (up to `limit` each)."""
    fired = {"warning": 0, "breach": 0}
    for kind in ("warning", "breach"):
        while fired[kind] < limit and await _fire(snapshot, kind, now):
            fired[kind] += 1
    return fired
