"""Idempotency keys: a retried ticket creation returns the first ticket.

A client that sends `Idempotency-Key: <key>` with a creation may send the same
request again (a timeout, a lost connection) and gets the first answer back
instead of a second ticket. The key is remembered per person for
`KEY_TTL` and its row is inserted in the ticket's own transaction, under a
unique index on (person, key): two concurrent requests with one key cannot
both commit, whatever the timing, and a creation that fails leaves no key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from piccolo.columns import ForeignKey, SmallInt, Text, Timestamptz, Varchar
from piccolo.table import Table

from polydesk.core.db import transaction
from polydesk.core.errors import ValidationFailed
from polydesk.core.people.tables import Person
from polydesk.core.tickets.tables import Ticket

#: How long a key is remembered; a retry after that creates a new ticket.
KEY_TTL = dt.timedelta(hours=24)
MAX_KEY_LENGTH = 255


class IdempotencyKey(Table, tablename="idempotency_key"):
    """The first answer to a creation sent with `Idempotency-Key`.

    Unique on (person, key) through an index made by a raw migration.
    """

    person = ForeignKey(references=Person)
    key = Varchar(length=MAX_KEY_LENGTH)
    #: sha256 of the method, path and body: the same key with another request is refused.
    fingerprint = Varchar(length=64)
    ticket = ForeignKey(references=Ticket, null=True)
    status_code = SmallInt(default=0)
    response = Text(default="")
    created_at = Timestamptz(index=True)


class IdempotencyKeyReused(ValidationFailed):
    """The key was already used for a different request by the same person."""

    def __init__(self) -> None:
        super().__init__(
            {
                "Idempotency-Key": "This key was already used for a different request; "
                "use a new key for a new request."
            },
            "Idempotency-Key reused with a different request.",
        )


@dataclass(frozen=True)
class Outcome:
    """The answer to give: the first one, and whether this is a replay of it."""

    status_code: int
    body: bytes
    replayed: bool


def fingerprint(method: str, path: str, body: Any) -> str:
    """A stable hash of a request: same method, path and JSON body → same hash."""
    canonical = json.dumps(
        [method.upper(), path, body], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _is_unique_violation(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - asyncpg ships with the project
        return False
    return isinstance(exc, asyncpg.UniqueViolationError)


async def _replay(person_id: int, key: str, print_: str, now: dt.datetime) -> Outcome | None:
    rows = await IdempotencyKey.select(
        IdempotencyKey.fingerprint, IdempotencyKey.status_code, IdempotencyKey.response
    ).where(
        (IdempotencyKey.person == person_id)
        & (IdempotencyKey.key == key)
        & (IdempotencyKey.created_at > now - KEY_TTL)
    )
    if not rows:
        return None
    if rows[0]["fingerprint"] != print_:
        raise IdempotencyKeyReused()
    return Outcome(rows[0]["status_code"], rows[0]["response"].encode(), replayed=True)


async def run_once(
    person_id: int,
    key: str,
    request_print: str,
    create: Callable[[], Awaitable[tuple[int | None, int, bytes]]],
    *,
    now: dt.datetime | None = None,
) -> Outcome:
    """Run `create` at most once per (person, key) within `KEY_TTL`.

    `create` returns (ticket id, status code, body); it runs inside the same
    transaction as the key's row, so either both are stored or neither. A
    later call with the same key and `request_print` returns the stored answer
    with `replayed=True`; with another `request_print` it raises
    `IdempotencyKeyReused`. A concurrent call with the same key waits for the
    first (SQLite's write lock; on PostgreSQL the unique index, its own
    creation then rolled back) and then replays.
    """
    now = now or dt.datetime.now(dt.UTC)
    found = await _replay(person_id, key, request_print, now)
    if found is not None:
        return found
    try:
        async with transaction():
            # On SQLite the transaction holds the write lock, so this read is
            # exact; on PostgreSQL a concurrent first request is caught by the
            # unique index when the row is inserted below.
            rows = await IdempotencyKey.select(
                IdempotencyKey.id,
                IdempotencyKey.fingerprint,
                IdempotencyKey.status_code,
                IdempotencyKey.response,
                IdempotencyKey.created_at,
            ).where((IdempotencyKey.person == person_id) & (IdempotencyKey.key == key))
            if rows and rows[0]["created_at"] > now - KEY_TTL:
                if rows[0]["fingerprint"] != request_print:
                    raise IdempotencyKeyReused()
                return Outcome(rows[0]["status_code"], rows[0]["response"].encode(), True)
            if rows:  # an expired key may be used again: forget its old answer first
                await IdempotencyKey.delete().where(IdempotencyKey.id == rows[0]["id"])
            ticket_id, status_code, body = await create()
            # Inserted with the answer, last: one statement instead of a claim
            # and an update, and a creation that fails leaves no key.
            await IdempotencyKey.insert(
                IdempotencyKey(
                    person=person_id,
                    key=key,
                    fingerprint=request_print,
                    ticket=ticket_id,
                    status_code=status_code,
                    response=body.decode(),
                    created_at=now,
                )
            )
    except Exception as exc:
        if not _is_unique_violation(exc):
            raise
        # Another request with this key committed first: answer as it did.
        found = await _replay(person_id, key, request_print, now)
        if found is None:
            raise
        return found
    return Outcome(status_code, body, replayed=False)


async def delete_expired(now: dt.datetime | None = None) -> int:
    """Forget keys older than `KEY_TTL`; returns how many were removed."""
    now = now or dt.datetime.now(dt.UTC)
    rows = (
        await IdempotencyKey.delete()
        .where(IdempotencyKey.created_at <= now - KEY_TTL)
        .returning(IdempotencyKey.id)
    )
    return len(rows)


__all__ = [
    "KEY_TTL",
    "MAX_KEY_LENGTH",
    "IdempotencyKey",
    "IdempotencyKeyReused",
    "Outcome",
    "delete_expired",
    "fingerprint",
    "run_once",
]
