"""The core's own transition guards, about core concepts any workflow may use.

- `children_done`: every child ticket is resolved, closed or cancelled.
- `approvals_granted`: the ticket has approvals and every one is approved.
"""

from __future__ import annotations

from typing import Any

from polydesk.core.hookspecs import hookimpl
from polydesk.core.tickets.tables import Approval, Ticket

DONE = ("resolved", "closed", "cancelled")


@hookimpl(trylast=True)
async def polydesk_transition_guard(ticket: Any, guard: str) -> str | None:
    if guard == "children_done":
        open_children = await Ticket.count().where(
            (Ticket.parent == ticket.id) & Ticket.state_category.not_in(list(DONE))
        )
        if open_children:
            return f"{open_children} child task(s) are still open."
    elif guard == "approvals_granted":
        states = [
            r["state"]
            for r in await Approval.select(Approval.state).where(Approval.ticket == ticket.id)
        ]
        if not states:
            return "No approval has been requested yet."
        if any(state != "approved" for state in states):
            return "Not every approval has been granted."
    return None
