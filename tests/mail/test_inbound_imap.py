"""IMAP polling against a real Dovecot (Debian's dovecot-imapd) started by the test
with its own certificate: messages become tickets and are flagged \\Seen only
after the commit; a redelivery after a crash is harmless; a certificate we do
not trust refuses the connection."""

from __future__ import annotations

import imaplib
import os
import shutil
import ssl
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from polydesk.core.demo import sample_form_data
from polydesk.core.mail.imap import ImapError, poll_all, poll_mailbox, tls_context
from polydesk.core.mail.inbound import receive
from polydesk.core.mail.inbound_tables import Mailbox
from polydesk.core.mail.mailboxes import MailboxInput, get_mailbox, save_mailbox
from polydesk.core.people.services import create_person
from polydesk.core.tickets.tables import Ticket
from tests.mail.dovecot import DOVECOT, PASSWORD, USER, Dovecot, make_certificate

CORPUS = Path(__file__).parent / "corpus"
ADDRESS = "it@desk.example.org"
PASSWORD_ENV = "POLYDESK_TEST_IMAP_PASSWORD"


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    if DOVECOT is None:
        message = "Dovecot is not installed (apt-get install dovecot-imapd)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run the IMAP tests")
        pytest.skip(message)
    root = Path(tempfile.mkdtemp(prefix="polydesk-dovecot-"))
    server = Dovecot(root)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
async def mailbox(runtime, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch):
    """IT's mailbox polling the Dovecot user, whose INBOX starts empty."""
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    _empty_inbox(dovecot)
    rt = runtime.registry.request_types["it.incident"]
    view = await save_mailbox(
        runtime.registry,
        MailboxInput(
            address=ADDRESS,
            request_type="it.incident",
            form_defaults=sample_form_data(rt.form),
            senders="anyone",
            imap_host="127.0.0.1",
            imap_port=dovecot.port,
            imap_username=USER,
            imap_password_env=PASSWORD_ENV,
            imap_ca_file=str(dovecot.cert),
        ),
    )
    await create_person("alice", "Alice", email="alice@example.org")
    return view


def _client(dovecot: Dovecot) -> imaplib.IMAP4_SSL:
    client = imaplib.IMAP4_SSL(
        "127.0.0.1", dovecot.port, ssl_context=tls_context(str(dovecot.cert))
    )
    client.login(USER, PASSWORD)
    client.select("INBOX")
    return client


def _empty_inbox(dovecot: Dovecot) -> None:
    client = _client(dovecot)
    client.store("1:*", "+FLAGS", "(\\Deleted)") if client.search(None, "ALL")[1][0] else None
    client.expunge()
    client.logout()


def _unseen(dovecot: Dovecot) -> int:
    client = _client(dovecot)
    count = len(client.search(None, "UNSEEN")[1][0].split())
    client.logout()
    return count


async def test_polling_turns_unseen_messages_into_tickets_and_flags_them(
    runtime, mailbox, dovecot
) -> None:
    dovecot.deliver((CORPUS / "gmail_new_request.eml").read_bytes())
    dovecot.deliver((CORPUS / "out_of_office.eml").read_bytes())
    dovecot.deliver((CORPUS / "apple_mail_with_image.eml").read_bytes())
    assert _unseen(dovecot) == 3

    result = await poll_mailbox(runtime, mailbox)

    assert sorted(r.outcome for r in result.receipts) == ["auto_reply", "ticket", "ticket"]
    titles = sorted(r["title"] for r in await Ticket.select(Ticket.title))
    assert titles == ["Broken laptop screen", "Printer on the 3rd floor prints blank pages"]
    assert _unseen(dovecot) == 0
    again = await poll_mailbox(runtime, mailbox)
    assert again.receipts == [] and await Ticket.count() == 2


async def test_a_crash_between_commit_and_flag_redelivers_harmlessly(
    runtime, mailbox, dovecot
) -> None:
    raw = (CORPUS / "gmail_new_request.eml").read_bytes()
    dovecot.deliver(raw)
    # The state a crash leaves behind: the ticket committed, the message still unseen.
    await receive(runtime, raw, [ADDRESS])
    assert _unseen(dovecot) == 1

    result = await poll_mailbox(runtime, mailbox)

    assert [(r.outcome, r.duplicate) for r in result.receipts] == [("ticket", True)]
    assert await Ticket.count() == 1
    assert _unseen(dovecot) == 0


async def test_a_certificate_we_do_not_trust_refuses_the_connection(
    runtime, mailbox, dovecot, tmp_path
) -> None:
    dovecot.deliver((CORPUS / "gmail_new_request.eml").read_bytes())
    other_ca, _ = make_certificate(tmp_path, "other")
    await Mailbox.update({Mailbox.imap_ca_file: str(other_ca)}).where(Mailbox.id == mailbox.id)

    with pytest.raises(ssl.SSLCertVerificationError):
        await poll_mailbox(runtime, await get_mailbox(mailbox.id))
    # Without a CA file the system's authorities are used: a self-signed server fails too.
    await Mailbox.update({Mailbox.imap_ca_file: ""}).where(Mailbox.id == mailbox.id)
    with pytest.raises(ssl.SSLCertVerificationError):
        await poll_mailbox(runtime, await get_mailbox(mailbox.id))

    assert await Ticket.count() == 0
    assert _unseen(dovecot) == 1


async def test_a_host_name_the_certificate_does_not_name_is_refused(
    runtime, mailbox, dovecot
) -> None:
    await Mailbox.update({Mailbox.imap_host: "127.0.0.2"}).where(Mailbox.id == mailbox.id)
    with pytest.raises((ssl.SSLCertVerificationError, ConnectionRefusedError)):
        await poll_mailbox(runtime, await get_mailbox(mailbox.id))


async def test_a_missing_password_variable_is_reported_and_other_mailboxes_still_poll(
    runtime, mailbox, dovecot, monkeypatch
) -> None:
    dovecot.deliver((CORPUS / "gmail_new_request.eml").read_bytes())
    monkeypatch.delenv(PASSWORD_ENV)
    with pytest.raises(ImapError, match=PASSWORD_ENV):
        await poll_mailbox(runtime, mailbox)

    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    results = await poll_all(runtime)
    assert [len(r.receipts) for r in results] == [1]
    assert await Ticket.count() == 1
