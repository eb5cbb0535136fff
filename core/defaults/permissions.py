"""Baseline permission rules; plugins add to them through polydesk_check_permission.

The ticket rules mirror `polydesk.core.permissions.visible_tickets_where`
(the SQL form used by lists); a test holds the two to the same answers.
"""

from __future__ import annotations

from typing import Any

from polydesk.core.hookspecs import hookimpl
from polydesk.core.permissions import Actor

AGENT_ACTIONS = {
    "ticket.note",
    "ticket.update",
    "ticket.assign",
    "ticket.link",
    "ticket.create_child",
    "ticket.create_on_behalf",
}
ADMIN_ACTIONS = {"plugins.manage", "people.manage", "catalog.manage"}


def can_view_ticket(actor: Actor, ticket: Any) -> bool:
    if ticket.requester.id == actor.person_id or actor.person_id in ticket.approver_ids:
        return True
    if ticket.confidential_team:
        return actor.is_agent_of(ticket.department) and actor.in_team(
            ticket.department, ticket.confidential_team
        )
    return actor.is_admin or actor.is_agent_of(ticket.department)


@hookimpl(trylast=True)
def polydesk_check_permission(actor: Actor | None, action: str, resource: Any) -> bool | None:
    if actor is None:
        return None
    if action in ADMIN_ACTIONS:
        return actor.is_admin or None
    if action == "ticket.create":
        return True
    if action == "ticket.view":
        return can_view_ticket(actor, resource) or None
    if action == "ticket.reply":
        return can_view_ticket(actor, resource) or None
    if action in AGENT_ACTIONS:
        department = getattr(resource, "department", None)
        if department is None or not actor.is_agent_of(department):
            return None
        if action == "ticket.create_on_behalf":
            # A confidential request type: only its team may file one for someone
            # else, since nobody outside the team could see the case once filed.
            team = getattr(resource, "confidential_team", None)
            return (team is None or actor.in_team(department, team)) or None
        if hasattr(resource, "confidential_team"):
            return can_view_ticket(actor, resource) or None
        return True
    return None
