"""The SMTP listener: Polydesk receiving mail itself (aiosmtpd).

It runs on the web app's own event loop (`loop.create_server` with aiosmtpd's
`SMTP` protocol, not its threaded `Controller`), so every database call uses the
engine and pool that belong to that loop. Unknown recipients are refused at
RCPT; DATA answers only after `receive()` committed the ticket: 250 when taken,
451 on a temporary failure (the sending server retries), 5xx when refused.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from polydesk.core.mail.inbound import receive
from polydesk.core.mail.inbound_parse import bare_address
from polydesk.core.mail.mailboxes import find_mailbox
from polydesk.core.runtime import Runtime

log = logging.getLogger("polydesk.mail")


def parse_listen(value: str) -> tuple[str, int]:
    """`HOST:PORT` (or `[::1]:PORT`) → (host, port). Raises ValueError when malformed."""
    host, sep, port = value.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"expected HOST:PORT, got {value!r}")
    return host.strip("[]"), int(port)


class InboundHandler:
    """aiosmtpd handler: RCPT checks the mailbox, DATA hands the message to `receive()`."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        try:
            mailbox = await find_mailbox([bare_address(address)])
            enabled = mailbox is not None and (await self.runtime.snapshot()).is_department_enabled(
                mailbox.department
            )
        except Exception:  # the database is away: ask the sender to come back
            log.exception("SMTP RCPT check failed")
            return "451 4.3.0 Temporary failure, please try again later"
        if not enabled:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        receipt = await receive(
            self.runtime, raw, list(envelope.rcpt_tos), envelope_sender=envelope.mail_from or ""
        )
        return receipt.smtp_reply


async def start_smtp_listener(runtime: Runtime, host: str, port: int) -> asyncio.Server:
    """Listen on host:port on the running loop; returns the server (close it on shutdown).

    Several workers may share the port (SO_REUSEPORT where available): every
    message is processed once whichever worker takes it, because its
    Message-ID is unique in the database.
    """
    loop = asyncio.get_running_loop()
    handler = InboundHandler(runtime)
    limit = runtime.settings.mail_max_bytes

    def protocol() -> Any:
        return SMTP(
            handler,
            data_size_limit=limit,
            enable_SMTPUTF8=True,
            ident="Polydesk ESMTP",
            loop=loop,
        )

    server = await loop.create_server(
        protocol, host=host, port=port, reuse_port=hasattr(socket, "SO_REUSEPORT") or None
    )
    bound = server.sockets[0].getsockname()
    log.info("SMTP listener on %s:%s", bound[0], bound[1])
    return server
