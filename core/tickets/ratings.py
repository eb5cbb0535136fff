"""Satisfaction: the requester rates a resolved ticket once."""

from __future__ import annotations

from typing import Any

from polydesk.core.db import transaction
from polydesk.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from polydesk.core.i18n import gettext as _
from polydesk.core.permissions import Actor
from polydesk.core.tickets.services import TicketService
from polydesk.core.tickets.tables import TicketRating, TimelineEvent

SCORES = {1: "Very unhappy", 2: "Unhappy", 3: "Neutral", 4: "Happy", 5: "Very happy"}
MAX_COMMENT = 2000


async def rate(
    tickets: TicketService, actor: Actor, ref: int | str, *, score: int, comment: str = ""
) -> dict[str, Any]:
    """Record the requester's rating of a resolved or closed ticket (once)."""
    if score not in SCORES:
        raise ValidationFailed({"score": _("Rate from 1 (very unhappy) to 5 (very happy).")})
    if len(comment or "") > MAX_COMMENT:
        raise ValidationFailed({"comment": _("At most %(max)s characters.", max=MAX_COMMENT)})
    async with transaction():
        ticket = await tickets.get(actor, ref)
        if actor.person_id != ticket.requester.id:
            raise PermissionDenied(_("Only the person who raised the ticket rates it."))
        if ticket.state_category not in ("resolved", "closed"):
            raise InvalidTransition(_("A ticket can be rated once it is resolved."))
        if await TicketRating.exists().where(TicketRating.ticket == ticket.id):
            raise InvalidTransition(_("This ticket has already been rated."))
        now = tickets.snapshot.now()
        await TicketRating.insert(
            TicketRating(
                ticket=ticket.id,
                person=actor.person_id,
                score=score,
                comment=(comment or "").strip(),
                created_at=now,
            )
        )
        await TimelineEvent.insert(
            TimelineEvent(
                ticket=ticket.id,
                kind="rating",
                actor=actor.person_id,
                public=True,
                body=(comment or "").strip(),
                data={"score": score, "label": SCORES[score]},
                ticket_version=ticket.version,
                created_at=now,
            )
        )
    return await rating_of(tickets, actor, ticket.id)  # type: ignore[return-value]


async def rating_of(tickets: TicketService, actor: Actor, ref: int | str) -> dict[str, Any] | None:
    """The ticket's rating, or None (visible to whoever sees the ticket)."""
    ticket = await tickets.get(actor, ref)
    row = (
        await TicketRating.select(TicketRating.score, TicketRating.comment, TicketRating.created_at)
        .where(TicketRating.ticket == ticket.id)
        .first()
    )
    return None if row is None else {**row, "label": SCORES[row["score"]]}
