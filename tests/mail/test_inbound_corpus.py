"""Every message of the corpus (tests/mail/corpus/*.eml) through `receive()`:
real-world shapes (Gmail, Outlook, Apple Mail), machines (auto-replies, lists,
bounces) and hostile or broken mail. Each lands where a user would expect it,
and none raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from polydesk.core.demo import sample_form_data
from polydesk.core.mail.inbound import receive
from polydesk.core.mail.inbound_tables import ReceivedMessage
from polydesk.core.mail.mailboxes import MailboxInput, save_mailbox
from polydesk.core.mail.tables import SentMessage
from polydesk.core.people.services import create_person, load_actor
from polydesk.core.people.tables import Person
from polydesk.core.permissions import SYSTEM
from polydesk.core.tickets.attachments import list_attachments
from polydesk.core.tickets.services import TicketService
from polydesk.core.tickets.tables import Ticket

CORPUS = Path(__file__).parent / "corpus"
MAILBOX = "it@desk.example.org"

# file -> (outcome, checks on the ticket it made: title, words in the body,
# attachment names, words that must NOT appear in the body)
EXPECTED: dict[str, tuple[str, dict]] = {
    "gmail_new_request.eml": (
        "ticket",
        {
            "title": "Printer on the 3rd floor prints blank pages",
            "body": ["PRN-3F-02"],
            "requester": "alice",
        },
    ),
    "outlook_new_request.eml": (
        "ticket",
        {
            "body": ["yesterday’s update", "10 minutes – see the log"],
            "files": ["vpn-client.log"],
            "requester": "bob",
        },
    ),
    "apple_mail_with_image.eml": ("ticket", {"body": ["crack"], "files": ["screen.png"]}),
    "html_only.eml": (
        "ticket",
        {
            "body": [
                "Hello team,",
                "file is corrupt & won't open it.",
                "<script>not a tag</script>",
                "Grüße, Alice",
            ],
            "not_in_body": ["stolen cookies", "color", "ignored title", "onerror"],
            "files": ["original-message.html"],
        },
    ),
    "gmail_reply.eml": (
        "reply",
        {"key": "IT-1", "comment": "It works again after the restart, thank you!"},
    ),
    "outlook_reply_subject_key.eml": (
        "reply",
        {"key": "IT-1", "comment": "Sorry, it is broken again since 10:00.\n\nAlice"},
    ),
    "out_of_office.eml": ("auto_reply", {}),
    "exchange_autoreply.eml": ("auto_reply", {}),
    "newsletter_bulk.eml": ("auto_reply", {}),
    "mailing_list.eml": ("auto_reply", {}),
    "bounce_dsn.eml": ("bounce", {}),
    "postmaster_notice.eml": ("bounce", {}),
    "no_message_id.eml": ("ticket", {"title": "Monitor flickers", "requester": "chen"}),
    "unknown_charset.eml": ("ticket", {"body": ["types Z instead of Y", "unknown character set"]}),
    "wrong_charset.eml": ("ticket", {"body": ["Schröder", "not valid us-ascii"]}),
    "malformed_mime.eml": (
        "ticket",
        {"body": ["My phone stopped syncing mail on Friday.", "not well-formed MIME"]},
    ),
    "no_from.eml": ("malformed", {}),
    "two_senders.eml": ("malformed", {}),
    "header_tricks.eml": (
        "ticket",
        {
            "title": "Urgent Bcc: victim@example.org reset please",
            "requester_email": "mallory@attacker.example",
        },
    ),
    "encoded_subject.eml": (
        "ticket",
        {
            "title": "Проблема с почтой 📧 メール",
            "body": ["Mein Postfach", "почта не работает"],
            "requester_email": "tea.lopez@example.org",
        },
    ),
    "forwarded_message.eml": (
        "ticket",
        {"body": ["Is this phishing?"], "not_in_body": ["paypa1"], "files": ["Your invoice.eml"]},
    ),
    "calendar_invite.eml": ("ticket", {"files": ["invite.ics"]}),
    "attachment_bomb.eml": (
        "ticket",
        {
            "files": [f"invoice-{i:02}.zip" for i in range(10)],
            "body": ["at most 10 files per message", "nested more than 8 levels"],
        },
    ),
    "huge_body.eml": ("ticket", {"body": ["00000 The nightly export", "it was too long"]}),
}


def test_the_corpus_has_twenty_messages_and_each_is_expected() -> None:
    files = sorted(p.name for p in CORPUS.glob("*.eml"))
    assert len(files) >= 20
    assert set(files) == set(EXPECTED)


@pytest.fixture
async def desk(runtime):
    """IT's mailbox open to anyone, three known people, and IT-1 (Alice's) with the
    Message-ID of the acknowledgement Polydesk sent for it."""
    rt = runtime.registry.request_types["it.incident"]
    await save_mailbox(
        runtime.registry,
        MailboxInput(
            address=MAILBOX,
            request_type="it.incident",
            form_defaults=sample_form_data(rt.form),
            senders="anyone",
        ),
    )
    for username in ("alice", "bob", "chen"):
        await create_person(username, username.title(), email=f"{username}@example.org")
    alice = await load_actor(
        (await Person.select(Person.id).where(Person.username == "alice").first())["id"]
    )
    tickets = TicketService(await runtime.snapshot())
    first = await tickets.create(
        alice,
        request_type="it.incident",
        title="Printer on the 3rd floor prints blank pages",
        form_data=sample_form_data(rt.form),
    )
    assert first.key == "IT-1"
    await SentMessage.insert(
        SentMessage(message_id="<polydesk-ack-1@desk.example.org>", ticket=first.id)
    )
    return runtime


@pytest.mark.parametrize("name", sorted(EXPECTED))
async def test_corpus_message(desk, name: str) -> None:
    outcome, checks = EXPECTED[name]
    raw = (CORPUS / name).read_bytes()
    before = await Ticket.count()

    receipt = await receive(desk, raw, [MAILBOX], envelope_sender="sender@example.org")

    assert receipt.outcome == outcome, receipt
    recorded = await ReceivedMessage.select(ReceivedMessage.outcome).where(
        ReceivedMessage.sender != ""
    )
    assert [r["outcome"] for r in recorded] == ([outcome] if outcome != "malformed" else [])
    tickets = TicketService(await desk.snapshot())
    if outcome == "ticket":
        assert receipt.code == 250 and receipt.ticket_key and receipt.ticket_key != "IT-1"
        assert await Ticket.count() == before + 1
        ticket = await tickets.get(SYSTEM, receipt.ticket_key)
        if "title" in checks:
            assert ticket.title == checks["title"]
        for words in checks.get("body", []):
            assert words in ticket.description
        for words in checks.get("not_in_body", []):
            assert words not in ticket.description
        if "requester" in checks:
            assert ticket.requester.username == checks["requester"]
        if "requester_email" in checks:
            person = (
                await Person.select(Person.email).where(Person.id == ticket.requester.id).first()
            )
            assert person["email"] == checks["requester_email"]
        files = await list_attachments(tickets, SYSTEM, ticket.id)
        assert [f.filename for f in files] == checks.get("files", [])
    elif outcome == "reply":
        assert receipt.code == 250 and receipt.ticket_key == checks["key"]
        assert await Ticket.count() == before
        timeline = await tickets.timeline(SYSTEM, checks["key"])
        reply = timeline[-1]
        assert reply.kind == "reply" and reply.public and reply.actor.username == "alice"
        assert reply.body == checks["comment"]
    elif outcome == "malformed":
        assert receipt.code == 550
        assert await Ticket.count() == before
    else:  # machines: taken (so the sender does not retry), recorded, nothing created
        assert receipt.code == 250
        assert await Ticket.count() == before
        assert len(await tickets.timeline(SYSTEM, "IT-1")) == 1
