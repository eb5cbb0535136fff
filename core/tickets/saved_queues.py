"""Agents' own saved views of the ticket list."""

from __future__ import annotations

import json
from typing import Any

import msgspec

from polydesk.core.errors import NotFound, ValidationFailed
from polydesk.core.i18n import gettext as _
from polydesk.core.permissions import Actor
from polydesk.core.tickets.services import TicketFilters
from polydesk.core.tickets.tables import SavedQueue

MAX_SAVED = 50


def filters_from(data: dict[str, Any]) -> TicketFilters:
    """Validate stored or submitted filters (unknown keys refused)."""
    try:
        return msgspec.convert(data, TicketFilters)
    except msgspec.ValidationError as exc:
        raise ValidationFailed({"filters": str(exc)}) from None


async def saved_queues(actor: Actor) -> list[dict[str, Any]]:
    rows = (
        await SavedQueue.select(SavedQueue.id, SavedQueue.name, SavedQueue.filters)
        .where(SavedQueue.person == actor.person_id)
        .order_by(SavedQueue.name)
    )
    return [
        {
            **r,
            "filters": json.loads(r["filters"]) if isinstance(r["filters"], str) else r["filters"],
        }
        for r in rows
    ]


async def save_queue(actor: Actor, name: str, filters: dict[str, Any]) -> dict[str, Any]:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed({"name": _("Name the view (at most 100 characters).")})
    cleaned = msgspec.to_builtins(filters_from(filters))
    if await SavedQueue.count().where(SavedQueue.person == actor.person_id) >= MAX_SAVED:
        raise ValidationFailed({"name": _("At most %(max)s saved views.", max=MAX_SAVED)})
    rows = await SavedQueue.insert(
        SavedQueue(person=actor.person_id, name=name, filters=cleaned)
    ).returning(SavedQueue.id)
    return {"id": rows[0]["id"], "name": name, "filters": cleaned}


async def delete_queue(actor: Actor, queue_id: int) -> None:
    deleted = (
        await SavedQueue.delete()
        .where((SavedQueue.id == queue_id) & (SavedQueue.person == actor.person_id))
        .returning(SavedQueue.id)
    )
    if not deleted:
        raise NotFound(_("No such saved view."))
