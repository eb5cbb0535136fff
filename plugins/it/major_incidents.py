"""Major incidents: resolving one resolves the incidents linked to it.

An agent promotes an incident (the `promote` transition into the
`major_incident` state) and links the incidents it causes to it, from either
side: "IT-7 relates to IT-3", or "IT-7 was caused by IT-3" / "IT-7 duplicates
IT-3" pointing at the major incident. When the major incident is resolved, each
of those still open is resolved with the same resolution code and note.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from polydesk.core import Desk, InvalidTransition, Message, TicketTransitioned
from polydesk.plugins.it.request_types import INCIDENT
from polydesk.plugins.it.workflows import INCIDENT_WORKFLOW, MAJOR_INCIDENT_STATE

RESOLVE = INCIDENT_WORKFLOW.transition("resolve")
#: Link kinds that make another ticket part of the major incident when they
#: point *at* it (the other ticket is caused by / a duplicate of it).
INCOMING_KINDS = ("caused_by", "duplicates")


def is_major_resolution(event: TicketTransitioned) -> bool:
    """Whether the event is a major incident being resolved."""
    return (
        event.department == INCIDENT.department
        and event.transition == RESOLVE.key
        and event.from_state == MAJOR_INCIDENT_STATE
    )


def related_ticket_ids(links: Iterable[Any]) -> list[int]:
    """The tickets a major incident's links make part of it, in link order."""
    found: list[int] = []
    for link in links:
        related = link.kind == "relates_to" or (
            link.kind in INCOMING_KINDS and link.direction == "incoming"
        )
        if related and link.ticket_id not in found:
            found.append(link.ticket_id)
    return found


async def resolve_related(event: TicketTransitioned, desk: Desk) -> list[str]:
    """Resolve the open incidents linked to the major incident with its resolution.

    Idempotent: incidents already resolved (by an earlier delivery or by hand)
    are left alone. Returns the keys of the incidents resolved now.
    """
    major = await desk.ticket(event.ticket_id)
    if major.request_type != INCIDENT.key:
        return []
    fields = {key: major.form_data[key] for key in ("resolution_code", "resolution_note")}
    resolved = []
    for ticket_id in sorted(related_ticket_ids(await desk.links(major.id))):
        incident = await desk.ticket(ticket_id)
        if incident.request_type != INCIDENT.key or incident.state not in RESOLVE.from_states:
            continue
        if incident.state == MAJOR_INCIDENT_STATE:
            continue  # another major incident is resolved on its own evidence
        try:
            await desk.transition(
                incident.id,
                RESOLVE.key,
                fields=fields,
                comment=Message(
                    "Resolved with major incident %(key)s: %(title)s",
                    key=major.key,
                    title=major.title,
                ),
            )
        except InvalidTransition:
            continue  # a guard said no; the agent resolves it by hand
        resolved.append(incident.key)
    if resolved:
        await desk.comment(
            major.id, Message("Resolved with it: %(keys)s.", keys=", ".join(resolved))
        )
    return resolved
