"""Starting and stopping inbound mail in a worker: the SMTP listener (when
`POLYDESK_SMTP_LISTEN` is set) and the IMAP poller (when the worker runs
background work), both on the app's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from polydesk.core.mail.imap import poll_forever
from polydesk.core.mail.smtp_listener import parse_listen, start_smtp_listener
from polydesk.core.runtime import Runtime

log = logging.getLogger("polydesk.mail")


class InboundMail:
    """The inbound transports of one worker."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.smtp: asyncio.Server | None = None
        self.poller: asyncio.Task[None] | None = None

    @property
    def smtp_address(self) -> tuple[str, int] | None:
        """Where the listener is bound (the real port when 0 was asked for)."""
        if self.smtp is None or not self.smtp.sockets:
            return None
        host, port = self.smtp.sockets[0].getsockname()[:2]
        return host, port

    async def start(self, *, imap: bool) -> None:
        listen = self.runtime.settings.smtp_listen
        if listen:
            host, port = parse_listen(listen)
            self.smtp = await start_smtp_listener(self.runtime, host, port)
        if imap:
            self.poller = asyncio.create_task(poll_forever(self.runtime))

    async def stop(self) -> None:
        if self.poller is not None:
            self.poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.poller
            self.poller = None
        if self.smtp is not None:
            self.smtp.close()
            if hasattr(self.smtp, "close_clients"):  # Python 3.13+: wait_closed waits for them
                self.smtp.close_clients()
            await self.smtp.wait_closed()
            self.smtp = None
