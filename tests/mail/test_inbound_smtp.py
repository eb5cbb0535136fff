"""The SMTP listener over real TCP with Python's smtplib: in-process on the test's
event loop, and end to end against `polydesk demo` in a subprocess."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import smtplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from polydesk.core.demo import sample_form_data
from polydesk.core.mail.inbound_runner import InboundMail
from polydesk.core.mail.mailboxes import MailboxInput, save_mailbox
from polydesk.core.people.services import create_person
from polydesk.core.tickets.tables import Ticket

POLYDESK = str(Path(sys.executable).with_name("polydesk"))
IT = "it@desk.example.org"


def message(
    sender: str = "alice@example.org", subject: str = "Mouse is dead", **headers: str
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, IT, subject
    msg["Message-ID"] = f"<{abs(hash((sender, subject, tuple(headers.items()))))}@example.org>"
    for name, value in headers.items():
        msg[name] = value
    msg.set_content("It does not click any more.")
    return msg


@pytest.fixture
async def listener(runtime):
    """Polydesk's SMTP listener on a free port of 127.0.0.1, on this event loop."""
    rt = runtime.registry.request_types["it.incident"]
    await save_mailbox(
        runtime.registry,
        MailboxInput(
            address=IT, request_type="it.incident", form_defaults=sample_form_data(rt.form)
        ),
    )
    await create_person("alice", "Alice", email="alice@example.org")
    runtime.settings = dataclasses.replace(
        runtime.settings, smtp_listen="127.0.0.1:0", mail_max_bytes=20_000
    )
    inbound = InboundMail(runtime)
    await inbound.start(imap=False)
    yield inbound.smtp_address
    await inbound.stop()


def send(
    address: tuple[str, int],
    msg: EmailMessage,
    rcpt: list[str] | None = None,
    sender: str = "alice@example.org",
) -> dict:
    with smtplib.SMTP(*address, timeout=30) as client:
        return client.send_message(msg, from_addr=sender, to_addrs=rcpt or [IT])


async def test_a_message_sent_over_smtp_becomes_a_ticket(listener) -> None:
    refused = await asyncio.to_thread(send, listener, message())

    assert refused == {}
    row = await Ticket.select(Ticket.key, Ticket.title).first()
    assert row == {"key": "IT-1", "title": "Mouse is dead"}


async def test_unknown_recipients_are_refused_at_rcpt(listener) -> None:
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        await asyncio.to_thread(send, listener, message(), ["nobody@desk.example.org"])

    assert refused.value.recipients["nobody@desk.example.org"][0] == 550
    assert await Ticket.count() == 0


async def test_a_refused_sender_gets_a_5xx_after_data(listener) -> None:
    with pytest.raises(smtplib.SMTPDataError) as refused:
        await asyncio.to_thread(
            send, listener, message("eve@else.example"), None, "eve@else.example"
        )

    assert refused.value.smtp_code == 550
    assert await Ticket.count() == 0


async def test_an_oversized_message_gets_552(listener) -> None:
    msg = message()
    msg.add_attachment(
        b"x" * 30_000, maintype="application", subtype="octet-stream", filename="big.bin"
    )

    with pytest.raises(smtplib.SMTPException) as refused:
        await asyncio.to_thread(send, listener, msg)

    assert "552" in str(refused.value)
    assert await Ticket.count() == 0


async def test_an_auto_reply_is_taken_and_dropped(listener) -> None:
    refused = await asyncio.to_thread(send, listener, message(**{"Auto-Submitted": "auto-replied"}))

    assert refused == {}
    assert await Ticket.count() == 0


async def test_the_same_message_sent_twice_makes_one_ticket(listener) -> None:
    msg = message()
    await asyncio.to_thread(send, listener, msg)
    await asyncio.to_thread(send, listener, msg)

    assert await Ticket.count() == 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_mail_to_the_demo_creates_a_ticket_visible_in_the_portal(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PICCOLO_CONF")}
    env.update(POLYDESK_DATA_DIR=str(tmp_path), POLYDESK_DB_POOL="1", PYTHONUNBUFFERED="1")
    port, smtp_port = _free_port(), _free_port()
    log = tmp_path / "demo.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [POLYDESK, "demo", "--port", str(port), "--smtp", f"127.0.0.1:{smtp_port}"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if httpx.get(f"{base}/-/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            pytest.fail("the demo did not start: " + log.read_text())
        printed = re.search(
            r"Mail (\S+@\S+) .* via 127\.0\.0\.1:(\d+) creates a ticket", log.read_text()
        )
        assert printed, log.read_text()
        address, printed_port = printed.group(1), int(printed.group(2))
        assert printed_port == smtp_port

        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = (
            "Alice Martin <alice@example.org>",
            address,
            "Sent by mail to the demo",
        )
        msg["Message-ID"] = "<e2e-1@example.org>"
        msg.set_content("The projector in room Atlas shows no picture.")
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as client:
            assert client.send_message(msg) == {}

        with httpx.Client(base_url=base, follow_redirects=False) as browser:
            browser.get("/login")
            logged_in = browser.post(
                "/login",
                data={
                    "username": "alice",
                    "password": "demo-password",
                    "_csrf_token": browser.cookies["polydesk_csrf"],
                },
            )
            assert logged_in.status_code == 303
            requests = browser.get("/requests")
            assert "Sent by mail to the demo" in requests.text
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:  # a loaded machine: do not leave it running
            server.kill()
            server.wait()
