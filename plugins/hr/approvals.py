"""Leave is approved by the requester's manager, and the decision moves it on.

A new leave request asks the requester's manager (an HR lead when nobody is on
record, and the request says why) and waits in "pending approval"; the
manager's approval approves it and a refusal rejects it.
"""

from __future__ import annotations

from contextlib import suppress

from polydesk.core import ApprovalDecided, Desk, InvalidTransition, Message
from polydesk.plugins.hr.request_types import LEAVE_REQUEST
from polydesk.plugins.hr.workflows import LEAVE_WORKFLOW

APPROVE = LEAVE_WORKFLOW.transition("approve")
REJECT = LEAVE_WORKFLOW.transition("reject")


async def leave_approver(
    desk: Desk, requester: str
) -> tuple[str | None, Message | None, Message | None]:
    """(approver, rule, note for the requester) for `requester`'s leave."""
    manager = await desk.manager_of(requester)
    if manager:
        return manager, Message("manager"), None
    leads = [u for u in await desk.people_with_role("hr", "lead") if u != requester]
    if leads:
        note = Message(
            "%(requester)s has no manager on record, so an HR lead (%(lead)s) approves instead.",
            requester=requester,
            lead=leads[0],
        )
        return leads[0], Message("HR lead"), note
    note = Message(
        "Nobody was asked to approve: %(requester)s has no manager on record and HR has "
        "no lead. An HR agent must ask an approver.",
        requester=requester,
    )
    return None, None, note


async def request_leave_approval(ticket_id: int, desk: Desk) -> None:
    """On a new leave request: ask the manager and wait for them."""
    ticket = await desk.ticket(ticket_id)
    if ticket.state != LEAVE_WORKFLOW.initial_state:
        return  # an agent already moved it on
    approver, rule, note = await leave_approver(desk, ticket.requester.username)
    if approver is not None and rule is not None:
        await desk.request_approval(ticket.id, approver=approver, rule=rule)
    if note is not None:
        await desk.comment(ticket.id, note, public=True)
    if approver is not None:
        await desk.transition(
            ticket.id,
            "send_for_approval",
            comment=Message(
                "Waiting for %(approver)s (%(rule)s) to approve.", approver=approver, rule=rule
            ),
        )


async def follow_leave_decision(event: ApprovalDecided, desk: Desk) -> None:
    """Approve the leave once every approval is granted; reject it on a refusal."""
    ticket = await desk.ticket(event.ticket_id)
    if ticket.request_type != LEAVE_REQUEST.key:
        return
    if event.decision == "approved":
        if ticket.state in APPROVE.from_states:
            with suppress(InvalidTransition):  # another approval is still pending
                await desk.transition(ticket.id, APPROVE.key)
        return
    if ticket.state in REJECT.from_states:
        reason = Message("Not approved by %(approver)s.", approver=event.actor)
        await desk.transition(
            ticket.id, REJECT.key, fields={"rejection_reason": desk.write(reason)}
        )
