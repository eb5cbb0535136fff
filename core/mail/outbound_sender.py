"""Sending queued notifications over SMTP, with retries, and the admin's view of the queue.

A worker claims one due message at a time in a short transaction (`FOR UPDATE
SKIP LOCKED` on PostgreSQL; SQLite's single writer serialises the claim) and
leases it by moving `available_at` forward, so the SMTP conversation happens
outside any database transaction and no other worker takes the message
meanwhile; a worker that dies mid-send leaves a lease that simply expires.
Success marks the message sent and records its Message-ID in `SentMessage`
(for threading replies) in one transaction. A temporary failure (a 4xx reply,
a refused or dropped connection) retries with exponential back-off; a
permanent one (a 5xx reply, an unusable address) or `MAX_ATTEMPTS` failures
mark it failed, which admins see and can retry. Without an SMTP host nothing is
claimed: messages wait, never dropped.

Rendering is the web layer's (Jinja2): `send_due` takes a `render` callable,
which is called inside `use_locale(...)` with the recipient's language and time
zone (their profile's, else the organisation's defaults), looked up when the
message is sent, so a mail follows a profile changed after it was queued.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from polydesk.core.db import is_postgres_engine, transaction
from polydesk.core.errors import NotFound
from polydesk.core.i18n import normalize, use_locale, valid_timezone
from polydesk.core.mail.outbound_tables import OutboundMail
from polydesk.core.mail.tables import SentMessage
from polydesk.core.people.tables import Person
from polydesk.core.settings import Settings

MAX_ATTEMPTS = 6
BASE_BACKOFF_SECONDS = 30
LEASE_SECONDS = 300
SMTP_TIMEOUT_SECONDS = 30
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_ADDRESS = re.compile(r"[^\s@<>\"(),;:\\\[\]]+@[^\s@<>\"(),;:\\\[\]]+")


@dataclass(frozen=True)
class Rendered:
    subject: str  # without the "[KEY] " prefix, which the sender adds
    text: str
    html: str


Renderer = Callable[[str, str, dict[str, Any]], Rendered]


class PermanentFailure(Exception):
    """Retrying cannot help (a 5xx reply, an address no server accepts)."""


def mail_configured(settings: Settings) -> bool:
    """Whether an SMTP server is configured; without one, messages wait."""
    return bool(settings.smtp_host)


def one_line(value: str) -> str:
    """Header text on one line: CR, LF and every other control character become a
    space, so no name or title can start a header of its own."""
    return " ".join(_CONTROL.sub(" ", value or "").split())


def build_message(
    settings: Settings,
    row: dict[str, Any],
    rendered: Rendered,
    recipient_name: str,
    references: str | None = None,
) -> EmailMessage:
    """The MIME message for a queued row: text and HTML alternatives, the ticket
    key in the subject, headers that mark it automatic (no auto-reply loops)."""
    to_address = row["to_address"] or ""
    if not _ADDRESS.fullmatch(to_address):
        raise PermanentFailure(f"not a usable e-mail address: {to_address!r}")
    context = row["context"]
    key = context.get("ticket_key", "")
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = Address(display_name="Polydesk", addr_spec=settings.mail_from)
    msg["To"] = Address(display_name=one_line(recipient_name), addr_spec=to_address)
    subject = one_line(rendered.subject)
    msg["Subject"] = f"[{key}] {subject}" if key else subject
    msg["Message-ID"] = row["message_id"]
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    if references:
        msg["In-Reply-To"] = references
        msg["References"] = references
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: auto-responders stay quiet
    msg["X-Auto-Response-Suppress"] = "All"
    if key:
        msg["X-Polydesk-Ticket"] = one_line(key)
    msg.set_content(rendered.text)
    msg.add_alternative(rendered.html, subtype="html")
    return msg


def recipient_locale(settings: Settings, person: dict[str, Any]) -> tuple[str, str]:
    """The (language, time zone) a recipient reads mail in: their profile's, else
    the organisation's defaults; an unknown time zone falls back the same way."""
    locale = normalize(person.get("locale")) or normalize(settings.default_locale) or "en"
    timezone = _zone(person.get("timezone")) or _zone(settings.default_timezone) or "UTC"
    return locale, timezone


def _zone(name: str | None) -> str | None:
    return valid_timezone(name)


def _smtp_send(settings: Settings, msg: EmailMessage, to_address: str) -> None:
    port = settings.smtp_port or (587 if settings.smtp_starttls else 25)
    with smtplib.SMTP(settings.smtp_host, port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        # Explicit envelope: the recipients are ours, whatever the headers say.
        smtp.send_message(msg, from_addr=settings.mail_from, to_addrs=[to_address])


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, PermanentFailure):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def _claim(now: dt.datetime) -> dict[str, Any] | None:
    lock = " FOR UPDATE SKIP LOCKED" if is_postgres_engine() else ""
    async with transaction():
        rows = await OutboundMail.raw(
            "SELECT id FROM mail_outbound WHERE status = 'pending' AND available_at <= {} "
            "ORDER BY available_at, id LIMIT 1" + lock,
            now,
        )
        if not rows:
            return None
        mail_id = rows[0]["id"]
        await OutboundMail.update(
            {
                OutboundMail.available_at: now + dt.timedelta(seconds=LEASE_SECONDS),
                OutboundMail.attempts: OutboundMail.attempts + 1,
            }
        ).where(OutboundMail.id == mail_id)
        row = await OutboundMail.select().where(OutboundMail.id == mail_id).first()
    row["context"] = _json(row["context"]) or {}
    return row


async def _thread_reference(row: dict[str, Any]) -> str | None:
    """The first message this recipient got about the ticket, so mail clients thread."""
    if row["ticket"] is None:
        return None
    first = (
        await SentMessage.select(SentMessage.message_id)
        .where((SentMessage.ticket == row["ticket"]) & (SentMessage.recipient == row["recipient"]))
        .order_by(SentMessage.id)
        .first()
    )
    return first["message_id"] if first and first["message_id"] != row["message_id"] else None


async def send_one(settings: Settings, render: Renderer, clock: Callable[[], dt.datetime]) -> bool:
    """Send the next due message, if any. Returns whether one was processed."""
    if not mail_configured(settings):
        return False
    row = await _claim(clock())
    if row is None:
        return False
    subject = ""
    try:
        person = (
            await Person.select(Person.display_name, Person.locale, Person.timezone)
            .where(Person.id == row["recipient"])
            .first()
        ) or {}
        locale, timezone = recipient_locale(settings, person)
        with use_locale(locale, timezone):
            rendered = render(row["kind"], row["department"], row["context"])
        subject = one_line(rendered.subject)[:250]
        msg = build_message(
            settings,
            row,
            rendered,
            person.get("display_name", ""),
            await _thread_reference(row),
        )
        await asyncio.to_thread(_smtp_send, settings, msg, row["to_address"])
    except Exception as exc:  # every failure is recorded on the row, for admins to see
        await _record_failure(row, exc, subject, clock())
        return True
    now = clock()
    async with transaction():
        await OutboundMail.update(
            {
                OutboundMail.status: "sent",
                OutboundMail.sent_at: now,
                OutboundMail.subject: subject,
                OutboundMail.last_error: "",
            }
        ).where(OutboundMail.id == row["id"])
        await SentMessage.insert(
            SentMessage(
                message_id=row["message_id"],
                ticket=row["ticket"],
                recipient=row["recipient"],
                sent_at=now,
            )
        ).on_conflict(action="DO NOTHING")
    return True


async def _record_failure(
    row: dict[str, Any], exc: Exception, subject: str, now: dt.datetime
) -> None:
    attempts = row["attempts"]
    values: dict[Any, Any] = {
        OutboundMail.last_error: f"{type(exc).__name__}: {exc}"[:2000],
        OutboundMail.available_at: now
        + dt.timedelta(seconds=BASE_BACKOFF_SECONDS * 2 ** (attempts - 1)),
    }
    if subject:
        values[OutboundMail.subject] = subject
    if _is_permanent(exc) or attempts >= MAX_ATTEMPTS:
        values[OutboundMail.status] = "failed"
    async with transaction():
        await OutboundMail.update(values).where(OutboundMail.id == row["id"])


async def send_due(
    settings: Settings, render: Renderer, clock: Callable[[], dt.datetime], limit: int = 50
) -> int:
    """Send up to `limit` due messages; returns how many were processed."""
    done = 0
    while done < limit and await send_one(settings, render, clock):
        done += 1
    return done


# -- the admin's view ----------------------------------------------------------------------


async def queue_counts() -> dict[str, int]:
    """How many messages are pending, sent and failed."""
    rows = await OutboundMail.raw("SELECT status, COUNT(*) AS n FROM mail_outbound GROUP BY status")
    counts = {"pending": 0, "sent": 0, "failed": 0}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


async def unsent_messages(limit: int = 100) -> list[dict[str, Any]]:
    """Failed, then pending messages (oldest first within each), for the admin."""
    rows = await (
        OutboundMail.select(
            OutboundMail.id,
            OutboundMail.kind,
            OutboundMail.status,
            OutboundMail.to_address,
            OutboundMail.recipient.username.as_alias("recipient_username"),
            OutboundMail.ticket.key.as_alias("ticket_key"),
            OutboundMail.subject,
            OutboundMail.attempts,
            OutboundMail.available_at,
            OutboundMail.created_at,
            OutboundMail.last_error,
        )
        .where(OutboundMail.status.is_in(["failed", "pending"]))
        .order_by(OutboundMail.status)  # "failed" sorts before "pending"
        .order_by(OutboundMail.id)
        .limit(limit)
    )
    return rows


async def retry_now(mail_id: int, now: dt.datetime) -> None:
    """Send a failed or waiting message on the next round, with a fresh set of attempts."""
    async with transaction():
        updated = (
            await OutboundMail.update(
                {
                    OutboundMail.status: "pending",
                    OutboundMail.available_at: now,
                    OutboundMail.attempts: 0,
                }
            )
            .where((OutboundMail.id == mail_id) & (OutboundMail.status != "sent"))
            .returning(OutboundMail.id)
        )
    if not updated:
        raise NotFound("No such unsent message.")
