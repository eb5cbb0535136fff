"""Which notifications each person gets. No row means yes; mandatory kinds are
always sent and cannot be turned off."""

from __future__ import annotations

from typing import Any

from polydesk.core.db import transaction
from polydesk.core.errors import ValidationFailed
from polydesk.core.mail.outbound import KINDS, NOTIFICATIONS
from polydesk.core.mail.outbound_tables import NotificationPreference


async def preferences(person_id: int) -> list[dict[str, Any]]:
    """Every notification kind with this person's choice."""
    rows = await NotificationPreference.select(
        NotificationPreference.kind, NotificationPreference.enabled
    ).where(NotificationPreference.person == person_id)
    chosen = {r["kind"]: bool(r["enabled"]) for r in rows}
    return [
        {
            "kind": n.kind,
            "label": n.label,
            "description": n.description,
            "mandatory": n.mandatory,
            "why": n.why,
            "enabled": True if n.mandatory else chosen.get(n.kind, True),
        }
        for n in NOTIFICATIONS
    ]


async def set_preferences(person_id: int, choices: dict[str, Any]) -> list[dict[str, Any]]:
    """Save `choices` (kind → bool; kinds not named keep their setting).

    Unknown kinds, non-boolean values and turning off a mandatory kind are
    refused, each by its kind, and nothing is saved."""
    errors: dict[str, str] = {}
    for kind, value in choices.items():
        if kind not in KINDS:
            errors[kind] = "No such notification."
        elif not isinstance(value, bool):
            errors[kind] = "Give true or false."
        elif KINDS[kind].mandatory and not value:
            errors[kind] = f"This one cannot be turned off: {KINDS[kind].why}"
    if errors:
        raise ValidationFailed(errors)
    async with transaction():
        for kind, value in choices.items():
            if KINDS[kind].mandatory:
                continue
            await NotificationPreference.delete().where(
                (NotificationPreference.person == person_id) & (NotificationPreference.kind == kind)
            )
            await NotificationPreference.insert(
                NotificationPreference(person=person_id, kind=kind, enabled=value)
            )
    return await preferences(person_id)
