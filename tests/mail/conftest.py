"""Mail fixtures: a real SMTP server (aiosmtpd) on a free local port, and a runtime
whose settings send to it.

Outbound: `smtp_sink` collects every message it accepts and can refuse the next
N with a 4xx or 5xx; `mail_runtime` is the usual `runtime` pointed at it;
`pump()` runs the real background work once — outbox delivery (which queues
notifications), then the SMTP sender.
"""

from __future__ import annotations

import dataclasses
import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from polydesk.core.outbox.services import deliver_due
from polydesk.core.people.tables import Person
from polydesk.core.runtime import Runtime
from polydesk.web.mail_templates import build_mail_environment, send_notifications

MAIL_FROM = "desk@polydesk.test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()  # type: ignore[union-attr]


@dataclass
class SmtpSink:
    """aiosmtpd handler: keeps what it accepts; `refuse` queues replies to give instead."""

    messages: list[Received] = field(default_factory=list)
    refuse: list[str] = field(default_factory=list)  # e.g. ["451 4.3.0 Try later"]
    port: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return self.refuse.pop(0)
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=policy.default)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message, raw))  # type: ignore[arg-type]
        return "250 2.0.0 OK"

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def mail_runtime(runtime: Runtime, smtp_sink: SmtpSink) -> Runtime:
    runtime.settings = dataclasses.replace(
        runtime.settings,
        smtp_host="127.0.0.1",
        smtp_port=smtp_sink.port,
        smtp_starttls=False,
        mail_from=MAIL_FROM,
        base_url="https://desk.example.test",
    )
    return runtime


@pytest.fixture
async def mail_people(people: Any) -> Any:
    """The usual cast, each with an address: `<username>@example.test`."""
    for username, person in people.ids.items():
        await Person.update({Person.email: f"{username}@example.test"}).where(Person.id == person)
    return people


@pytest.fixture
def pump(mail_runtime: Runtime) -> Any:
    """Run the background work once: outbox (queues mail), then the SMTP sender."""
    env = build_mail_environment(mail_runtime.registry)

    async def run() -> int:
        await deliver_due(mail_runtime.snapshot, mail_runtime.clock)
        return await send_notifications(mail_runtime, env)

    return run
