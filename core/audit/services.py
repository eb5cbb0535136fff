"""Record admin actions and read them back.

Services call `record(...)` inside the transaction of the change they make, so a
change and its audit event are committed together or not at all, and a refused
change leaves no event. Events are never edited or deleted by Polydesk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from polydesk.core.audit.tables import AuditEvent
from polydesk.core.permissions import Actor

PER_PAGE = 50
#: Values under keys containing one of these words are never written to the log.
SECRET_WORDS = ("password", "secret", "token", "api_key", "private_key", "credential")
REDACTED = "[redacted]"


@dataclass(frozen=True)
class Author:
    """Who made a change, and from which client address, as the audit log names them."""

    person_id: int | None
    name: str
    client_address: str = ""

    @classmethod
    def of(cls, actor: Actor, client_address: str = "") -> Author:
        return cls(actor.person_id, actor.username, client_address[:64])


#: The `polydesk` command line, run by whoever has shell access to the server.
CLI = Author(None, "cli")
#: Polydesk itself (a login lock, say).
SYSTEM = Author(None, "system")


def redact(value: Any) -> Any:
    """`value` with anything under a secret-looking key replaced, at any depth."""
    if isinstance(value, Mapping):
        return {
            str(k): REDACTED if any(word in str(k).lower() for word in SECRET_WORDS) else redact(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [redact(v) for v in items]
    return value


async def record(
    author: Author,
    action: str,
    target: str = "",
    changes: Mapping[str, Any] | None = None,
    *,
    at: dt.datetime | None = None,
) -> None:
    """Write one audit event: `action` (e.g. ``plugin.disabled``) by `author` on
    `target` (e.g. ``plugin:it``), with what changed (secrets redacted).

    Call it inside the transaction of the change, after the change was validated."""
    await AuditEvent.insert(
        AuditEvent(
            at=at or dt.datetime.now(dt.UTC),
            actor=author.person_id,
            actor_name=author.name,
            action=action,
            target=target[:200],
            changes=redact(dict(changes or {})),
            client_address=author.client_address,
        )
    )


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor_name: str
    action: str
    target: str
    changes: dict[str, Any]
    client_address: str


@dataclass(frozen=True)
class AuditPage:
    """Events newest first; `next_before` is the cursor of the next (older) page."""

    events: list[AuditEntry]
    next_before: int | None


async def list_events(
    *,
    action: str = "",
    person: str = "",
    before: int | None = None,
    limit: int = PER_PAGE,
) -> AuditPage:
    """Events newest first, optionally of one action and by one person (a
    username, ``cli`` or ``system``); keyset pages by id: pass the previous
    page's `next_before`."""
    query = AuditEvent.select(
        AuditEvent.id,
        AuditEvent.at,
        AuditEvent.actor_name,
        AuditEvent.action,
        AuditEvent.target,
        AuditEvent.changes,
        AuditEvent.client_address,
    ).output(load_json=True)
    if action:
        query = query.where(AuditEvent.action == action)
    if person:
        query = query.where(AuditEvent.actor_name == person)
    if before is not None:
        query = query.where(AuditEvent.id < before)
    rows = await query.order_by(AuditEvent.id, ascending=False).limit(limit + 1)
    events = [AuditEntry(**row) for row in rows[:limit]]
    return AuditPage(events, events[-1].id if len(rows) > limit else None)


async def recorded_actions() -> list[str]:
    """The actions that occur in the log, for a filter's choices."""
    rows = await AuditEvent.select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    return [row["action"] for row in rows]
