"""Admins' overrides of notification templates, stored in the database.

Only storage lives here; checking that an override compiles (and rendering it,
sandboxed) is the web layer's, which owns Jinja2.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from polydesk.core.db import transaction
from polydesk.core.errors import NotFound
from polydesk.core.mail.outbound import KINDS
from polydesk.core.mail.outbound_tables import MailTemplateOverride

PARTS = ("subject", "text", "html")


async def all_overrides() -> dict[str, dict[str, str]]:
    """kind → {"subject", "text", "html"} (an empty part keeps the default)."""
    rows = await MailTemplateOverride.select(
        MailTemplateOverride.kind, *(getattr(MailTemplateOverride, p) for p in PARTS)
    )
    return {r["kind"]: {p: r[p] or "" for p in PARTS} for r in rows}


async def get_override(kind: str) -> dict[str, str]:
    if kind not in KINDS:
        raise NotFound("No such notification.")
    return (await all_overrides()).get(kind, dict.fromkeys(PARTS, ""))


async def save_override(
    kind: str, parts: dict[str, str], person_id: int | None, now: dt.datetime
) -> None:
    """Store `parts` (already checked by the caller); all empty removes the override."""
    if kind not in KINDS:
        raise NotFound("No such notification.")
    values: dict[str, Any] = {p: (parts.get(p) or "").strip("\n") for p in PARTS}
    async with transaction():
        await MailTemplateOverride.delete().where(MailTemplateOverride.kind == kind)
        if any(values.values()):
            await MailTemplateOverride.insert(
                MailTemplateOverride(kind=kind, updated_at=now, updated_by=person_id, **values)
            )


async def reset_override(kind: str) -> None:
    """Back to the default templates (a plugin's or the built-in ones)."""
    if kind not in KINDS:
        raise NotFound("No such notification.")
    await MailTemplateOverride.delete().where(MailTemplateOverride.kind == kind)
