"""Receiving one message: the single path both transports (SMTP, IMAP) use.

`receive()` decides the mailbox, reads the message, drops what machines wrote,
threads replies onto tickets the sender may see, and otherwise opens a ticket.
The message is recorded in `ReceivedMessage` (unique Message-ID) inside the
same transaction as its ticket or reply, so a second delivery of the same
message fails on the constraint and creates nothing. It returns a `Receipt`
only after that transaction committed; the transport acknowledges the message
(SMTP 250, IMAP \\Seen) only then. It never raises: a failure it cannot place
is a transient `Receipt` (451), and the message is delivered again later.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass

from polydesk.core.db import transaction
from polydesk.core.errors import NotFound
from polydesk.core.mail.inbound_parse import (
    MailFile,
    MalformedMail,
    ParsedMail,
    bare_address,
    hashed_id,
    parse,
    strip_quoted,
)
from polydesk.core.mail.inbound_tables import ReceivedMessage
from polydesk.core.mail.mailboxes import MailboxView, find_mailbox
from polydesk.core.mail.tables import SentMessage
from polydesk.core.people.services import create_person, load_actor
from polydesk.core.people.tables import Person
from polydesk.core.permissions import Actor
from polydesk.core.runtime import Runtime, Snapshot
from polydesk.core.tickets.attachments import (
    MAX_ATTACHMENT_BYTES,
    MAX_FILES_PER_UPLOAD,
    add_attachment,
)
from polydesk.core.tickets.services import MAX_BODY, MAX_TITLE, TicketService
from polydesk.core.tickets.tables import TimelineEvent

log = logging.getLogger("polydesk.mail")

#: Outcomes after which the sending server is told the message was taken.
ACCEPTED = frozenset({"ticket", "reply", "auto_reply", "bounce", "loop"})
#: What a refused sender is told, whatever the reason: the same words whether a
#: ticket they named exists or not.
REFUSED_TEXT = "This mailbox does not accept this message from you"
_KEY = re.compile(r"\[([A-Za-z][A-Za-z0-9]{0,15}-\d{1,9})\]")


@dataclass(frozen=True)
class Receipt:
    """What became of a message, and what to answer the sending server."""

    outcome: str
    code: int
    text: str
    ticket_key: str | None = None
    duplicate: bool = False

    @property
    def accepted(self) -> bool:
        return self.code < 300

    @property
    def transient(self) -> bool:
        return 400 <= self.code < 500

    @property
    def smtp_reply(self) -> str:
        enhanced = {250: "2.0.0", 451: "4.3.0", 550: "5.7.1", 552: "5.3.4"}.get(self.code, "")
        return f"{self.code} {enhanced} {self.text}".replace("  ", " ")


def _receipt(
    outcome: str, detail: str = "", ticket_key: str | None = None, *, duplicate: bool = False
) -> Receipt:
    if outcome in ACCEPTED:
        text = "Already received" if duplicate else "Message accepted"
        return Receipt(outcome, 250, text, ticket_key, duplicate)
    if outcome == "too_large":
        return Receipt(outcome, 552, "Message too large", None, duplicate)
    if outcome == "malformed":
        return Receipt(outcome, 550, f"Message could not be read: {detail}"[:200], None, duplicate)
    if outcome == "unknown_recipient":
        return Receipt(outcome, 550, "No such mailbox here", None, duplicate)
    return Receipt(outcome, 550, REFUSED_TEXT, None, duplicate)


TRANSIENT = Receipt("transient", 451, "Temporary failure, please try again later")


def is_unique_violation(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - asyncpg ships with the project
        return False
    return isinstance(exc, asyncpg.UniqueViolationError)


async def _previous(message_id: str) -> Receipt | None:
    row = (
        await ReceivedMessage.select(
            ReceivedMessage.outcome, ReceivedMessage.detail, ReceivedMessage.ticket.key
        )
        .where(ReceivedMessage.message_id == message_id)
        .first()
    )
    if row is None:
        return None
    return _receipt(row["outcome"], row["detail"], row["ticket.key"], duplicate=True)


class _Inbound:
    """One message on its way in (state shared by the steps of `receive`)."""

    def __init__(self, runtime: Runtime, mailbox: MailboxView, mail: ParsedMail) -> None:
        self.runtime = runtime
        self.mailbox = mailbox
        self.mail = mail
        self.now = runtime.clock()

    async def record(self, outcome: str, detail: str = "", ticket: int | None = None) -> None:
        await ReceivedMessage.insert(
            ReceivedMessage(
                message_id=self.mail.message_id,
                mailbox=self.mailbox.id,
                ticket=ticket,
                sender=self.mail.sender,
                outcome=outcome,
                detail=detail[:500],
                received_at=self.now,
            )
        )

    async def refuse(self, outcome: str, detail: str = "") -> Receipt:
        async with transaction():
            await self.record(outcome, detail)
        return _receipt(outcome, detail)

    async def over_hourly_cap(self) -> bool:
        since = self.now - dt.timedelta(hours=1)
        cap = self.runtime.settings.mail_max_per_sender_hour
        rows = (
            await ReceivedMessage.select(ReceivedMessage.id)
            .where(
                (ReceivedMessage.sender == self.mail.sender) & (ReceivedMessage.received_at > since)
            )
            .limit(cap)
        )
        return len(rows) >= cap

    async def person(self) -> int | None:
        rows = await Person.raw(
            "SELECT id FROM person WHERE lower(email) = {} AND active = {} ORDER BY id LIMIT 1",
            self.mail.sender,
            True,
        )
        return rows[0]["id"] if rows else None

    def sender_allowed(self, known: bool) -> bool:
        if self.mailbox.senders == "anyone":
            return True
        if self.mailbox.senders == "domains":
            return self.mail.sender.rsplit("@", 1)[1] in self.mailbox.allowed_domains
        return known

    async def claimed_ticket(
        self, snapshot_registry_prefixes: set[str]
    ) -> tuple[bool, int | str | None]:
        """(whether the message claims to answer a ticket, the ticket it names).

        A reference to a Message-ID Polydesk sent (or received onto a ticket)
        names that ticket; otherwise a `[KEY-123]` in the subject with a known
        department prefix names a key, which may or may not exist.
        """
        refs = self.mail.references
        if refs:
            for table in (SentMessage, ReceivedMessage):
                rows = await table.select(table.message_id, table.ticket).where(
                    table.message_id.is_in(refs) & table.ticket.is_not_null()
                )
                found = {r["message_id"]: r["ticket"] for r in rows}
                for ref in refs:
                    if ref in found:
                        return True, found[ref]
        for key in _KEY.findall(self.mail.subject):
            if key.split("-", 1)[0].upper() in snapshot_registry_prefixes:
                return True, key.upper()
        return False, None


def _limited_files(mail: ParsedMail) -> tuple[list[MailFile], list[str]]:
    """The files to store, within the portal's limits, and notes about the others."""
    notes: list[str] = []
    kept: list[MailFile] = []
    for f in mail.files:
        if not f.content:
            notes.append(f"An empty attachment ({f.filename}) was not kept.")
        elif len(f.content) > MAX_ATTACHMENT_BYTES:
            notes.append(
                f"The attachment {f.filename} was larger than "
                f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB and was not kept."
            )
        elif len(kept) >= MAX_FILES_PER_UPLOAD:
            notes.append(
                f"The attachment {f.filename} was not kept: at most {MAX_FILES_PER_UPLOAD} files per message."
            )
        else:
            kept.append(f)
    if len(notes) > 12:
        notes = [*notes[:10], f"… and {len(notes) - 10} more attachments were not kept."]
    return kept, notes


def _text_with_notes(text: str, notes: list[str]) -> str:
    """The body within the ticket's limit, with the notes about what was changed."""
    footer = ""
    if notes:
        footer = "\n\n---\nPolydesk received this by email:\n" + "\n".join(f"- {n}" for n in notes)
    room = MAX_BODY - len(footer) - 100
    if len(text) > room:
        text = text[:room].rstrip() + "\n\n[… the rest of the message was cut: it was too long.]"
    return (text + footer).strip()


def _title(subject: str) -> str:
    title = subject.strip() or "(no subject)"
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1].rstrip() + "…"


async def receive(
    runtime: Runtime,
    raw: bytes,
    envelope_recipients: Sequence[str],
    *,
    envelope_sender: str | None = None,
    declared_size: int | None = None,
) -> Receipt:
    """Turn one raw message into a ticket, a reply, or a recorded refusal.

    `envelope_recipients` are the SMTP RCPT TO addresses (for IMAP: the polled
    mailbox's address); the first enabled mailbox among them takes the message.
    `envelope_sender` is the SMTP MAIL FROM (`""` for the null path of bounces
    and auto-replies), None when unknown. `declared_size` is the size the
    transport reported when it did not fetch the whole message.
    Returns after the ticket (if any) is committed. Never raises.
    """
    try:
        return await _receive(runtime, raw, envelope_recipients, envelope_sender, declared_size)
    except Exception:  # the listener must outlive any message; the sender retries
        log.exception("inbound message failed; answered as a temporary failure")
        return TRANSIENT


async def _receive(
    runtime: Runtime,
    raw: bytes,
    envelope_recipients: Sequence[str],
    envelope_sender: str | None,
    declared_size: int | None,
) -> Receipt:
    snapshot = await runtime.snapshot()
    mailbox = await find_mailbox([bare_address(a) for a in envelope_recipients])
    if mailbox is None or not snapshot.is_department_enabled(mailbox.department):
        return _receipt("unknown_recipient")

    size = max(declared_size or 0, len(raw))
    try:
        mail = parse(raw, envelope_sender=envelope_sender)
    except MalformedMail as exc:
        mail = ParsedMail(hashed_id(raw), "", "", "", "", None)
        inbound = _Inbound(runtime, mailbox, mail)
        return await _guarded(inbound, inbound.refuse("malformed", str(exc)))
    inbound = _Inbound(runtime, mailbox, mail)
    if size > runtime.settings.mail_max_bytes:
        return await _guarded(inbound, inbound.refuse("too_large", f"{size} bytes"))
    if mail.automated:
        # Auto-replies and bounces are recorded, never answered: no ticket, no event.
        return await _guarded(inbound, inbound.refuse(mail.automated))
    if await inbound.over_hourly_cap():
        log.warning("mail loop breaker: dropped a message from %s", mail.sender)
        return await _guarded(inbound, inbound.refuse("loop", "too many messages this hour"))
    return await _guarded(inbound, _deliver(inbound, snapshot))


async def _guarded(inbound: _Inbound, work: Awaitable[Receipt]) -> Receipt:
    """Run a step that records the message; a unique violation means it was here before."""
    try:
        return await work
    except Exception as exc:
        if not is_unique_violation(exc):
            raise
        previous = await _previous(inbound.mail.message_id)
        if previous is None:  # another unique value collided (a username): try again later
            log.warning("inbound message hit a unique constraint: %s", exc)
            return TRANSIENT
        return previous


async def _deliver(inbound: _Inbound, snapshot: Snapshot) -> Receipt:
    mail, mailbox = inbound.mail, inbound.mailbox
    tickets = TicketService(snapshot)
    prefixes = {d.key_prefix.upper() for d in snapshot.registry.departments.values()}
    claims, ref = await inbound.claimed_ticket(prefixes)
    person = await inbound.person()
    actor = await load_actor(person) if person is not None else None

    if claims:
        target = None
        if actor is not None and ref is not None:
            try:
                target = await tickets.get(actor, ref)
            except NotFound:
                target = None
            if target is not None and not tickets._can(actor, "ticket.reply", target):
                target = None
        if target is not None:
            assert actor is not None
            return await _reply(inbound, tickets, actor, target.id)
        if mailbox.unauthorised_reply == "reject":
            # The same answer whether the named ticket exists or not.
            return await inbound.refuse("reply_refused", f"names {ref}")

    if not inbound.sender_allowed(known=actor is not None):
        return await inbound.refuse("sender_refused", mail.sender)
    return await _new_ticket(inbound, tickets, actor)


async def _requester(inbound: _Inbound) -> Actor:
    """A requester for an unknown sender: a person without a password, matched
    by address next time (they can log in once an admin sets a password)."""
    mail = inbound.mail
    local = re.sub(r"[^a-z0-9._-]+", ".", mail.sender.split("@", 1)[0]).strip("._-")[:40]
    base = local if len(local) >= 2 else f"mail.{local or 'user'}"
    username = base
    n = 1
    while await Person.exists().where(Person.username == username):
        n += 1
        username = f"{base}.{n}"
    person = await create_person(username, mail.sender_name or mail.sender, email=mail.sender)
    actor = await load_actor(person)
    assert actor is not None
    return actor


async def _event_id(ticket_id: int, kind: str, version: int) -> int | None:
    row = (
        await TimelineEvent.select(TimelineEvent.id)
        .where(
            (TimelineEvent.ticket == ticket_id)
            & (TimelineEvent.kind == kind)
            & (TimelineEvent.ticket_version == version)
        )
        .order_by(TimelineEvent.id, ascending=False)
        .first()
    )
    return row["id"] if row else None


async def _store_files(
    tickets: TicketService, actor: Actor, ticket_id: int, files: list[MailFile], event: int | None
) -> None:
    for f in files:
        await add_attachment(
            tickets,
            actor,
            ticket_id,
            filename=f.filename,
            content_type=f.content_type,
            content=f.content,
            timeline_event=event,
        )


async def _new_ticket(inbound: _Inbound, tickets: TicketService, actor: Actor | None) -> Receipt:
    mail, mailbox = inbound.mail, inbound.mailbox
    files, file_notes = _limited_files(mail)
    async with transaction():
        # First, so that a second delivery stops here, before anything is created.
        await inbound.record("ticket")
        if actor is None:
            actor = await _requester(inbound)
        view = await tickets.create(
            actor,
            request_type=mailbox.request_type,
            title=_title(mail.subject),
            description=_text_with_notes(mail.body, mail.notes + file_notes),
            form_data=dict(mailbox.form_defaults),
        )
        await _store_files(tickets, actor, view.id, files, await _event_id(view.id, "created", 1))
        await ReceivedMessage.update({ReceivedMessage.ticket: view.id}).where(
            ReceivedMessage.message_id == mail.message_id
        )
    log.info("mail from %s opened %s", mail.sender, view.key)
    return _receipt("ticket", ticket_key=view.key)


async def _reply(
    inbound: _Inbound, tickets: TicketService, actor: Actor, ticket_id: int
) -> Receipt:
    mail = inbound.mail
    files, file_notes = _limited_files(mail)
    text = _text_with_notes(strip_quoted(mail.body), mail.notes + file_notes)
    async with transaction():
        await inbound.record("reply", ticket=ticket_id)
        view = await tickets.comment(
            actor, ticket_id, body=text or "(attachments only)", public=True
        )
        await _store_files(
            tickets, actor, view.id, files, await _event_id(view.id, "reply", view.version)
        )
    log.info("mail from %s replied on %s", mail.sender, view.key)
    return _receipt("reply", ticket_key=view.key)
