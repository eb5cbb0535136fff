"""IMAP polling: fetch a department mailbox's unseen messages and receive each.

The connection is TLS with the server's certificate checked against the
system's CAs or the mailbox's CA file, and its host name verified; there is no
switch to turn that off. Each message is fetched with BODY.PEEK (it stays
unseen), handed to `receive()`, and flagged \\Seen only after that committed —
so a crash in between delivers it again on the next poll, where its unique
Message-ID makes the second delivery a no-op. Messages stay in the mailbox
(flagged, not deleted): the mailbox remains the archive of what arrived.
A temporary failure leaves the message unseen, to be retried.
"""

from __future__ import annotations

import asyncio
import contextlib
import imaplib
import logging
import re
import ssl
from dataclasses import dataclass, field

from polydesk.core.mail.inbound import Receipt, receive
from polydesk.core.mail.mailboxes import MailboxView, imap_password, list_mailboxes
from polydesk.core.runtime import Runtime

log = logging.getLogger("polydesk.mail")

#: Messages handled per mailbox and poll; the rest wait for the next poll.
MAX_PER_POLL = 100
TIMEOUT_SECONDS = 30
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


class ImapError(Exception):
    """The IMAP server refused us or answered something unexpected."""


@dataclass
class PollResult:
    mailbox: str
    receipts: list[Receipt] = field(default_factory=list)


def tls_context(ca_file: str = "") -> ssl.SSLContext:
    """Certificate and host name always checked; `ca_file` replaces the system CAs."""
    context = ssl.create_default_context(cafile=ca_file or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _ok(answer: tuple[str, list]) -> list:
    status, data = answer
    if status != "OK":
        raise ImapError(f"IMAP server answered {status}: {data!r}"[:300])
    return data


class _Session:
    """A logged-in IMAP connection on one folder (blocking; used from a thread)."""

    def __init__(self, mailbox: MailboxView) -> None:
        password = imap_password(mailbox)
        if password is None:
            raise ImapError(
                f"the environment variable {mailbox.imap_password_env!r} "
                f"(the IMAP password of {mailbox.address}) is not set"
            )
        self.conn = imaplib.IMAP4_SSL(
            mailbox.imap_host,
            mailbox.imap_port,
            ssl_context=tls_context(mailbox.imap_ca_file),
            timeout=TIMEOUT_SECONDS,
        )
        try:
            self.conn.login(mailbox.imap_username, password)
            _ok(self.conn.select(mailbox.imap_folder))
        except Exception:
            self.close()
            raise

    def unseen(self) -> list[bytes]:
        data = _ok(self.conn.uid("SEARCH", "UNSEEN"))
        return (data[0] or b"").split()[:MAX_PER_POLL]

    def fetch(self, uid: bytes, max_bytes: int) -> tuple[bytes, int]:
        """The message (only its header when larger than `max_bytes`) and its size."""
        data = _ok(self.conn.uid("FETCH", uid, "(RFC822.SIZE)"))
        found = _SIZE.search(data[0] if isinstance(data[0], bytes) else b"")
        size = int(found.group(1)) if found else 0
        part = "BODY.PEEK[HEADER]" if size > max_bytes else "BODY.PEEK[]"
        data = _ok(self.conn.uid("FETCH", uid, f"({part})"))
        for item in data:
            if isinstance(item, tuple) and len(item) == 2:
                return item[1], size
        raise ImapError(f"message {uid!r} could not be fetched")

    def mark_seen(self, uid: bytes) -> None:
        _ok(self.conn.uid("STORE", uid, "+FLAGS", "(\\Seen)"))

    def close(self) -> None:
        with contextlib.suppress(Exception):  # the connection is going away anyway
            self.conn.logout()


async def poll_mailbox(runtime: Runtime, mailbox: MailboxView) -> PollResult:
    """Receive the mailbox's unseen messages once. Raises on connection, TLS or
    login failures (`ssl.SSLError`, `OSError`, `imaplib.IMAP4.error`, `ImapError`)."""
    result = PollResult(mailbox.address)
    session = await asyncio.to_thread(_Session, mailbox)
    try:
        for uid in await asyncio.to_thread(session.unseen):
            raw, size = await asyncio.to_thread(session.fetch, uid, runtime.settings.mail_max_bytes)
            receipt = await receive(runtime, raw, [mailbox.address], declared_size=size)
            result.receipts.append(receipt)
            if receipt.transient:
                continue  # left unseen: the next poll tries again
            # Only now, with the ticket committed (or the refusal recorded).
            await asyncio.to_thread(session.mark_seen, uid)
    finally:
        await asyncio.to_thread(session.close)
    return result


async def poll_all(runtime: Runtime) -> list[PollResult]:
    """Poll every enabled mailbox that has IMAP settings; a failing one is logged."""
    results = []
    for mailbox in await list_mailboxes(enabled_only=True):
        if not mailbox.polls_imap:
            continue
        try:
            results.append(await poll_mailbox(runtime, mailbox))
        except Exception:  # one broken mailbox must not stop the others
            log.exception("IMAP poll of %s failed", mailbox.address)
    return results


async def poll_forever(runtime: Runtime) -> None:
    """The worker's IMAP loop: poll, then wait `POLYDESK_IMAP_POLL_SECONDS`."""
    while True:
        try:
            await poll_all(runtime)
        except Exception:  # e.g. the database is away: logged, retried next round
            log.exception("IMAP polling failed")
        await asyncio.sleep(runtime.settings.imap_poll_seconds)
