"""Transitions Polydesk applies by itself after a number of quiet days.

A workflow marks a transition with `auto_after_days` (IT closes a resolved
incident after five days without activity). The scan runs in every worker's
background loop; each ticket is moved in its own transaction through the
normal transition path (guards, timeline, clocks, events), as the system.
Two workers racing for the same ticket cannot both move it: the second one's
version check fails and it simply skips the ticket.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from polydesk.core.errors import Conflict, InvalidTransition, PolydeskError
from polydesk.core.permissions import SYSTEM
from polydesk.core.tickets.services import TicketService
from polydesk.core.tickets.tables import Ticket

log = logging.getLogger("polydesk")


def auto_transitions(snapshot: Any) -> list[tuple[list[str], Any]]:
    """(request type keys, transition) for every automatic transition in use."""
    found = []
    for workflow in snapshot.registry.workflows.values():
        types = [
            rt.key for rt in snapshot.registry.request_types.values() if rt.workflow == workflow.key
        ]
        for transition in workflow.transitions:
            if transition.auto_after_days and types:
                found.append((types, transition))
    return found


async def apply_due(snapshot: Any, now: dt.datetime, limit: int = 200) -> int:
    """Apply every automatic transition that is due; returns how many tickets moved."""
    service = TicketService(snapshot)
    moved = 0
    for types, transition in auto_transitions(snapshot):
        cutoff = now - dt.timedelta(days=transition.auto_after_days)
        rows = await (
            Ticket.select(Ticket.id, Ticket.version)
            .where(
                Ticket.request_type.is_in(types)
                & Ticket.state.is_in(list(transition.from_states))
                & (Ticket.updated_at <= cutoff)
                & Ticket.department.not_in(list(snapshot.disabled_departments) or [""])
            )
            .order_by(Ticket.updated_at)
            .limit(limit)
        )
        for row in rows:
            try:
                await service.transition(
                    SYSTEM,
                    row["id"],
                    transition.key,
                    version=row["version"],
                    comment=f"Done automatically after {transition.auto_after_days} days without activity.",
                )
                moved += 1
            except (Conflict, InvalidTransition):
                continue  # someone acted on it meanwhile, or a guard said no
            except PolydeskError:
                log.exception(
                    "automatic transition %s failed on ticket %s", transition.key, row["id"]
                )
    return moved
