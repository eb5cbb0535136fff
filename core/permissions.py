"""Who may do what: one `can()` for decisions, one query helper for lists.

Every ticket query in the product goes through `visible_tickets_where`, so
lists, counts, search and exports can never show what `can("ticket.view")`
would refuse. Plugins add rules through `polydesk_check_permission`: any False
denies, otherwise any True allows, otherwise deny.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from piccolo.columns.combination import And, Or, Where

from polydesk.core.hookcalls import subset_caller

AGENT_ROLES = ("agent", "lead", "admin")


@dataclass(frozen=True)
class Actor:
    """The person behind a request, with their department roles and teams."""

    person_id: int
    username: str
    display_name: str = ""
    is_admin: bool = False
    roles: Mapping[str, str] = field(default_factory=dict)  # department slug -> role
    teams: frozenset[tuple[str, str]] = frozenset()  # (department, team)
    #: Polydesk itself acting for a plugin (HR's fan-out, say); sees everything.
    is_system: bool = False
    #: The profile's language and time zone ("" when not chosen).
    locale: str = ""
    timezone: str = ""

    def role_in(self, department: str) -> str | None:
        return self.roles.get(department)

    def is_agent_of(self, department: str) -> bool:
        return self.roles.get(department) in AGENT_ROLES

    def in_team(self, department: str, team: str) -> bool:
        return (department, team) in self.teams

    @property
    def agent_departments(self) -> list[str]:
        return sorted(d for d, role in self.roles.items() if role in AGENT_ROLES)


def can(
    pm: Any, disabled: Collection[str], actor: Actor | None, action: str, resource: Any
) -> bool:
    """Decide an action: any plugin's False denies, else any True allows, else deny."""
    if actor is not None and actor.is_system:
        return True
    hook = subset_caller(pm, "polydesk_check_permission", disabled)
    answers = hook(actor=actor, action=action, resource=resource)
    if any(answer is False for answer in answers):
        return False
    return any(answer is True for answer in answers)


def visible_tickets_where(actor: Actor, disabled_departments: Collection[str]) -> Where | And | Or:
    """The WHERE clause that narrows any ticket query to what `actor` may see.

    - a requester sees the tickets they raised and those they are asked to approve;
    - an agent sees their departments' tickets, except confidential ones, which
      only members of the named team see;
    - a global admin sees every ticket that is not confidential, including those
      of disabled departments (nobody else sees those);
    - nobody sees another team's confidential tickets, admins included.

    `sees_new_ticket` is the same rule for one ticket in memory: change both.
    """
    from polydesk.core.tickets.tables import Approval, Ticket

    if actor.is_system:
        return Ticket.id.is_not_null()
    clauses: list[Any] = [
        Ticket.requester == actor.person_id,
        Ticket.id.is_in(
            Approval.select(Approval.ticket).where(Approval.approver == actor.person_id)
        ),
    ]
    agent_depts = actor.agent_departments
    if actor.is_admin:
        clauses.append(Ticket.confidential_team.is_null())
    elif agent_depts:
        clauses.append(Ticket.department.is_in(agent_depts) & Ticket.confidential_team.is_null())
    for department, team in sorted(actor.teams):
        if actor.is_agent_of(department):
            clauses.append((Ticket.department == department) & (Ticket.confidential_team == team))
    visible = clauses[0]
    for clause in clauses[1:]:
        visible = visible | clause
    if disabled_departments and not actor.is_admin:
        return visible & Ticket.department.not_in(list(disabled_departments))
    return visible


def sees_new_ticket(
    actor: Actor,
    *,
    department: str,
    requester_id: int,
    confidential_team: str | None,
    disabled_departments: Collection[str],
) -> bool:
    """`visible_tickets_where` for a ticket just created (it has no approvers yet),
    decided without reading the ticket back. Change the two together."""
    if actor.is_system:
        return True
    if department in disabled_departments and not actor.is_admin:
        return False
    if requester_id == actor.person_id:
        return True
    if confidential_team is None:
        return actor.is_admin or actor.is_agent_of(department)
    return actor.is_agent_of(department) and actor.in_team(department, confidential_team)


#: The actor for work Polydesk does on a plugin's behalf (never from a request).
SYSTEM = Actor(person_id=0, username="system", display_name="Polydesk", is_system=True)
