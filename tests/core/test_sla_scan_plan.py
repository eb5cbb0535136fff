"""The scheduler's warning and breach scans are served by their partial indexes.

`fire_due` claims one clock at a time with `… WHERE status = 'running' AND
breached_at IS NULL AND due_at <= now ORDER BY due_at LIMIT 1`; at a million
tickets that is only cheap while the plan is a range scan of
`sla_clock_breach_scan_idx` (or `sla_clock_warning_scan_idx`). A change to the
query or to the indexes that stops them matching shows up here as a plan
without the index. `benchmarks/sla_breach_scan.py` measures the same queries
at 1,000,000 tickets.

The SQL comes from `polydesk.core.sla.scheduler.claim_sql`, the function
`_claim` runs, so the test explains exactly what the scheduler runs.
"""

from __future__ import annotations

import datetime as dt

import pytest

from polydesk.core.db import is_postgres_engine, transaction
from polydesk.core.people.tables import Person
from polydesk.core.sla import scheduler
from polydesk.core.sla.services import NO_DUE_DATE
from polydesk.core.sla.tables import SLAClock
from polydesk.core.tickets.tables import Ticket

NOW = dt.datetime(2026, 11, 16, 8, 0, tzinfo=dt.UTC)
TICKETS = 300
INDEXES = {"breach": "sla_clock_breach_scan_idx", "warning": "sla_clock_warning_scan_idx"}


async def _load_clocks() -> None:
    """TICKETS open incidents, one clock each: mostly running, some met, paused or fired."""
    person = Person(username="scan.requester", display_name="Scan Requester")
    await person.save()
    await Ticket.insert(
        *[
            Ticket(
                key=f"IT-{i}",
                number=i,
                department="it",
                request_type="it.incident",
                title=f"Incident {i}",
                state="in_progress",
                state_category="open",
                requester=person.id,
                sla_due_at=NO_DUE_DATE,
            )
            for i in range(1, TICKETS + 1)
        ]
    )
    ticket_ids = [row["id"] for row in await Ticket.select(Ticket.id).order_by(Ticket.id)]
    clocks = []
    for i, ticket_id in enumerate(ticket_ids):
        due = NOW + dt.timedelta(minutes=37 * (i - TICKETS // 2))  # ±3 days around NOW
        status = "met" if i % 20 == 0 else "paused" if i % 20 == 1 else "running"
        fired = status == "running" and due < NOW - dt.timedelta(hours=1)
        clocks.append(
            SLAClock(
                ticket=ticket_id,
                metric="resolution",
                policy="it.incident",
                calendar="it.office_hours",
                target_minutes=600,
                started_at=due - dt.timedelta(days=1),
                due_at=None if status == "paused" else due,
                warn_at=None if status == "paused" else due - dt.timedelta(hours=2),
                status=status,
                warned_at=due - dt.timedelta(hours=2) if fired else None,
                breached_at=due if fired else None,
            )
        )
    await SLAClock.insert(*clocks)


async def _plan(sql: str) -> str:
    if is_postgres_engine():
        async with transaction():
            # A few hundred rows fit in a handful of pages, so PostgreSQL rightly
            # prefers a sequential scan here; at scale it picks the index (see
            # benchmarks/RESULTS.md). Forbidding seq scans for this transaction
            # asks whether the index *can* serve the query, which is what breaks
            # when the query and the index predicate drift apart.
            await SLAClock.raw("SET LOCAL enable_seqscan = off")
            rows = await SLAClock.raw("EXPLAIN " + sql, NOW)
        return "\n".join(row["QUERY PLAN"] for row in rows)
    rows = await SLAClock.raw("EXPLAIN QUERY PLAN " + sql, NOW)
    return "\n".join(row["detail"] for row in rows)


@pytest.mark.parametrize("kind", ["breach", "warning"])
async def test_claim_query_uses_its_partial_index(db, kind):
    await _load_clocks()
    sql = scheduler.claim_sql(kind, postgres=is_postgres_engine())
    plan = await _plan(sql)
    assert INDEXES[kind] in plan, plan
    assert "Seq Scan" not in plan and "SCAN sla_clock" not in plan, plan


@pytest.mark.parametrize(
    ("kind", "at", "fired"),
    [("breach", "due_at", "breached_at"), ("warning", "warn_at", "warned_at")],
)
async def test_the_explained_query_claims_the_earliest_unfired_clock(db, kind, at, fired):
    await _load_clocks()
    rows = await SLAClock.select(SLAClock.id, getattr(SLAClock, at)).where(
        (SLAClock.status == "running")
        & getattr(SLAClock, fired).is_null()
        & (getattr(SLAClock, at) <= NOW)
    )
    earliest = min(rows, key=lambda row: row[at])
    async with transaction():
        claimed = await scheduler._claim(kind, NOW)
    assert claimed is not None and claimed["id"] == earliest["id"]
