"""The outbox: events leave their transaction as rows and are delivered after commit.

`enqueue` is called inside the transaction of the change, so an event exists if
and only if the change committed. `deliver_one` claims one due row (with
`FOR UPDATE SKIP LOCKED` on PostgreSQL, so any number of workers share the work
without delivering a row twice), calls `polydesk_on_event` on the enabled
plugins inside the same transaction (after queueing its notification mails,
`polydesk.core.mail.outbound.notify`), and marks the row delivered there: a
plugin's database effects and the delivery mark commit together. A failure
rolls the effects back and schedules a retry with exponential back-off; after
`MAX_ATTEMPTS` the row is marked failed for an admin to see.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable
from typing import Any

from polydesk.core.db import is_postgres_engine, transaction
from polydesk.core.desk import Desk
from polydesk.core.events import Event, event_from_payload
from polydesk.core.hookcalls import gather
from polydesk.core.mail.outbound import notify
from polydesk.core.outbox.tables import OutboxMessage

MAX_ATTEMPTS = 8
BASE_BACKOFF_SECONDS = 5


async def enqueue(event: Event, now: dt.datetime) -> None:
    """Write `event` to the outbox; call inside the change's transaction."""
    await OutboxMessage.insert(
        OutboxMessage(
            event=event.name, payload=event.to_payload(), created_at=now, available_at=now
        )
    )


def _payload(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else value


async def _claim(now: dt.datetime) -> dict[str, Any] | None:
    lock = " FOR UPDATE SKIP LOCKED" if is_postgres_engine() else ""
    rows = await OutboxMessage.raw(
        "SELECT id, event, payload, attempts FROM outbox_message "
        "WHERE delivered_at IS NULL AND failed_at IS NULL AND available_at <= {} "
        "ORDER BY available_at, id LIMIT 1" + lock,
        now,
    )
    return rows[0] if rows else None


async def deliver_one(snapshot_factory: Callable[[], Awaitable[Any]], now: dt.datetime) -> bool:
    """Deliver the next due event, if any. Returns whether one was processed."""
    snapshot = await snapshot_factory()
    claimed: dict[str, Any] | None = None
    try:
        async with transaction():
            claimed = await _claim(now)
            if claimed is None:
                return False
            event = event_from_payload(claimed["event"], _payload(claimed["payload"]))
            # Mail first: an approval a plugin requests while reacting to this
            # event has its own event, so this one must not see it (no double mail).
            await notify(snapshot, claimed["id"], event, now)
            await gather(snapshot.hook("polydesk_on_event")(event=event, desk=Desk(snapshot)))
            await OutboxMessage.update({OutboxMessage.delivered_at: now}).where(
                OutboxMessage.id == claimed["id"]
            )
        return True
    except Exception as exc:
        if claimed is None:
            raise
        await _record_failure(claimed, exc, now)
        return True


async def _record_failure(claimed: dict[str, Any], exc: Exception, now: dt.datetime) -> None:
    attempts = claimed["attempts"] + 1
    values: dict[Any, Any] = {
        OutboxMessage.attempts: attempts,
        OutboxMessage.last_error: f"{type(exc).__name__}: {exc}"[:2000],
        OutboxMessage.available_at: now
        + dt.timedelta(seconds=BASE_BACKOFF_SECONDS * 2 ** (attempts - 1)),
    }
    if attempts >= MAX_ATTEMPTS:
        values[OutboxMessage.failed_at] = now
    async with transaction():
        await OutboxMessage.update(values).where(OutboxMessage.id == claimed["id"])


async def deliver_due(
    snapshot_factory: Callable[[], Awaitable[Any]],
    clock: Callable[[], dt.datetime],
    limit: int = 100,
) -> int:
    """Deliver up to `limit` due events; returns how many were processed."""
    done = 0
    while done < limit and await deliver_one(snapshot_factory, clock()):
        done += 1
    return done


async def failed_messages(limit: int = 50) -> list[dict[str, Any]]:
    """Events that gave up after MAX_ATTEMPTS, newest first, for the admin."""
    return await (
        OutboxMessage.select()
        .where(OutboxMessage.failed_at.is_not_null())
        .order_by(OutboxMessage.id, ascending=False)
        .limit(limit)
    )
