"""Who approves IT's requests, and what their decision does.

- Access to a system: the system's owner (IT setting `system_owners`), else
  the requester's manager approves; with neither, an IT lead does and the
  ticket says why. The ticket then waits in "pending approval".
- Changes: the change advisory board (IT setting `cab`, else IT's leads; never
  the change's requester nor whoever submits it) approves a normal change when
  it is submitted, and an emergency change after it was implemented.
- A decision moves the ticket on: once every approval is granted it is
  approved; a refusal rejects it (an emergency change already made gets a note
  for its review instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from polydesk.core import (
    ApprovalDecided,
    Desk,
    InvalidTransition,
    Message,
    Transition,
    Workflow,
)
from polydesk.plugins.it.changes import CHANGE_WORKFLOW
from polydesk.plugins.it.forms import ACCESS_FORM
from polydesk.plugins.it.request_types import ACCESS_REQUEST, CHANGE_REQUEST
from polydesk.plugins.it.workflows import ACCESS_REQUEST_WORKFLOW

SYSTEMS = tuple(value for value, _ in ACCESS_FORM.field("system").choices)
SETTINGS = ("system_owners", "cab")
#: Workflows whose `approve` / `reject` transitions follow the approvers' decisions.
DECIDED_BY_APPROVERS: dict[str, Workflow] = {
    ACCESS_REQUEST.key: ACCESS_REQUEST_WORKFLOW,
    CHANGE_REQUEST.key: CHANGE_WORKFLOW,
}


@dataclass(frozen=True)
class Route:
    """Who approves, under which rule, and what the requester is told about it."""

    approver: str | None
    rule: Message | None
    note: Message | None = None


# -- access to a system ---------------------------------------------------------------


async def access_route(desk: Desk, requester: str, system: str | None) -> Route:
    """The approver of `requester`'s access to `system`."""
    owner = desk.settings("it").get("system_owners", {}).get(system or "")
    if owner and owner != requester:
        return Route(owner, Message("system owner"))
    manager = await desk.manager_of(requester)
    if manager:
        return Route(manager, Message("manager"))
    leads = [u for u in await desk.people_with_role("it", "lead") if u != requester]
    if leads:
        return Route(
            leads[0],
            Message("IT lead"),
            Message(
                "%(requester)s has no manager on record, so an IT lead (%(lead)s) "
                "approves this access instead.",
                requester=requester,
                lead=leads[0],
            ),
        )
    return Route(
        None,
        None,
        Message(
            "Nobody was asked to approve: %(requester)s has no manager on record and IT "
            "has no lead. An agent must ask an approver before access is granted.",
            requester=requester,
        ),
    )


async def request_access_approval(ticket_id: int, desk: Desk) -> None:
    """On a new access request: ask its approver and wait for them."""
    ticket = await desk.ticket(ticket_id)
    if ticket.state != ACCESS_REQUEST_WORKFLOW.initial_state:
        return  # an agent already moved it on
    route = await access_route(desk, ticket.requester.username, ticket.form_data.get("system"))
    if route.approver is None or route.rule is None:
        if route.note is not None:
            await desk.comment(ticket.id, route.note, public=True)
        return
    await desk.request_approval(ticket.id, approver=route.approver, rule=route.rule)
    if route.note is not None:
        await desk.comment(ticket.id, route.note, public=True)
    await desk.transition(
        ticket.id,
        "request_approval",
        comment=Message(
            "Waiting for %(approver)s (%(rule)s) to approve.",
            approver=route.approver,
            rule=route.rule,
        ),
    )


# -- changes ----------------------------------------------------------------------------

#: Change transitions after which the CAB is asked: True when it approves after the fact.
CAB_TRANSITIONS = {"submit_for_approval": False, "implement_emergency": True}


async def cab_members(desk: Desk) -> list[str]:
    """The change advisory board: the `cab` setting, else IT's leads."""
    return list(desk.settings("it").get("cab") or await desk.people_with_role("it", "lead"))


async def request_cab_approval(event: Any, desk: Desk, *, after_the_fact: bool) -> None:
    """Ask every CAB member except the change's requester and submitter."""
    ticket = await desk.ticket(event.ticket_id)
    excluded = {ticket.requester.username, event.actor}
    members = [u for u in await cab_members(desk) if u not in excluded]
    if not members:
        await desk.comment(
            ticket.id,
            Message(
                "No member of the change advisory board could be asked (its only members "
                "raised or submitted this change). Ask an approver on the Approvals tab."
            ),
        )
        return
    rule = Message("CAB, after the fact (emergency change)") if after_the_fact else Message("CAB")
    for member in members:
        await desk.request_approval(ticket.id, approver=member, rule=rule)


# -- decisions ----------------------------------------------------------------------------


async def _apply(desk: Desk, ticket: Any, transition: Transition, **kwargs: Any) -> bool:
    """Apply `transition` if the ticket is where it starts and its guards agree."""
    if ticket.state not in transition.from_states:
        return False
    try:
        await desk.transition(ticket.id, transition.key, **kwargs)
    except InvalidTransition:
        return False  # e.g. other approvals are still pending
    return True


async def follow_decision(event: ApprovalDecided, desk: Desk) -> None:
    """Approve once every approval is granted; reject on a refusal."""
    ticket = await desk.ticket(event.ticket_id)
    workflow = DECIDED_BY_APPROVERS.get(ticket.request_type)
    if workflow is None:
        return
    if event.decision == "approved":
        await _apply(desk, ticket, workflow.transition("approve"))
        return
    reason = Message(
        "Not approved by %(approver)s (approval step %(step)s).",
        approver=event.actor,
        step=event.step,
    )
    reject = workflow.transition("reject")
    if not await _apply(desk, ticket, reject, fields={"rejection_reason": desk.write(reason)}):
        await desk.comment(
            ticket.id,
            Message(
                "Not approved by %(approver)s (approval step %(step)s). "
                "Review what was done before closing.",
                approver=event.actor,
                step=event.step,
            ),
        )


# -- settings -------------------------------------------------------------------------------


def settings_errors(settings: dict) -> dict[str, str] | None:
    """What is wrong with the IT settings an admin wants to save."""
    errors = {key: "Not an IT setting." for key in settings if key not in SETTINGS}
    owners = settings.get("system_owners", {})
    if not isinstance(owners, dict) or not all(
        isinstance(user, str) and user.strip() for user in owners.values()
    ):
        errors["system_owners"] = "Map each system to the username of its owner."
    elif unknown := sorted(set(owners) - set(SYSTEMS)):
        errors["system_owners"] = (
            f"Unknown system(s): {', '.join(unknown)}. Choose among: {', '.join(SYSTEMS)}."
        )
    cab = settings.get("cab", [])
    if not isinstance(cab, list) or not all(isinstance(user, str) and user.strip() for user in cab):
        errors["cab"] = "List the usernames of the change advisory board."
    return errors or None
