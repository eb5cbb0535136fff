"""The standard NDA fast track, and who in Legal gets which request.

An NDA on our template needs no lawyer: it goes to the paralegals' group and
straight out for signature. When the requester ticks "the counterparty changed
our template" (or later reports changes), a lawyer must clear the changes
first:

- routing puts the NDA in the lawyers' group, and Polydesk moves it to
  "Changes with a lawyer" as soon as it is filed (`refer_to_lawyer`);
- `legal.template_unchanged` refuses the fast track's "Send for signature"
  for a changed template;
- `legal.lawyer` lets only a lawyer (Legal's team `lawyers`) or a Legal lead
  clear the changes and send the NDA.

Contract reviews go to the lawyers' group too; the rest keep the core's default.
"""

from __future__ import annotations

from polydesk.core import (
    N_,
    Actor,
    Assignment,
    Desk,
    Message,
    TicketDraft,
    TicketView,
)
from polydesk.core import gettext as _
from polydesk.plugins.legal.request_types import CONTRACT_REVIEW, STANDARD_NDA
from polydesk.plugins.legal.workflows import LAWYER_GUARD, TEMPLATE_UNCHANGED_GUARD

#: Assignment group and Legal team of the lawyers; the paralegals' group.
LAWYERS = N_("lawyers")
PARALEGALS = N_("paralegals")


def template_changed(form_data: dict) -> bool:
    return bool(form_data.get("template_changed"))


def route(draft: TicketDraft) -> Assignment | None:
    if draft.request_type.key == STANDARD_NDA.key:
        return Assignment(group=LAWYERS if template_changed(draft.form_data) else PARALEGALS)
    if draft.request_type.key == CONTRACT_REVIEW.key:
        return Assignment(group=LAWYERS)
    return None


def is_lawyer(actor: Actor | None) -> bool:
    if actor is None:
        return False
    return (
        actor.is_system
        or actor.in_team("legal", LAWYERS)
        or actor.role_in("legal") in ("lead", "admin")
    )


def guard_veto(ticket: TicketView, guard: str, actor: Actor | None) -> str | None:
    if guard == TEMPLATE_UNCHANGED_GUARD and template_changed(ticket.form_data):
        return _("The counterparty changed our template: a lawyer must clear the changes first.")
    if guard == LAWYER_GUARD and not is_lawyer(actor):
        return _("Only a lawyer (Legal's 'lawyers' team) or a Legal lead may clear changes.")
    return None


async def refer_if_changed(desk: Desk, ticket_id: int) -> None:
    """A changed template goes to a lawyer as soon as the NDA is filed (once:
    a redelivered event finds it no longer new)."""
    ticket = await desk.ticket(ticket_id)
    if ticket.state == "new" and template_changed(ticket.form_data):
        await desk.transition(
            ticket.id,
            "refer_to_lawyer",
            comment=Message(
                "The counterparty changed our template, so a lawyer reviews the changes."
            ),
        )
