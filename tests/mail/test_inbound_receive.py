"""`receive()` rules: new tickets, threading, duplicates (also concurrent), machines,
the loop breaker, sender policies, size limits, and replies that must not land on
a ticket the sender may not see."""

from __future__ import annotations

import asyncio
import dataclasses
from email.message import EmailMessage

import pytest

from polydesk.core.demo import sample_form_data
from polydesk.core.mail.inbound import REFUSED_TEXT, receive
from polydesk.core.mail.inbound_tables import Mailbox, ReceivedMessage
from polydesk.core.mail.mailboxes import MailboxInput, save_mailbox
from polydesk.core.mail.tables import SentMessage
from polydesk.core.outbox.tables import OutboxMessage
from polydesk.core.people.services import add_to_team, create_person, load_actor, set_role
from polydesk.core.people.tables import Person
from polydesk.core.permissions import SYSTEM
from polydesk.core.tickets.attachments import list_attachments
from polydesk.core.tickets.services import TicketService
from polydesk.core.tickets.tables import Ticket

IT = "it@desk.example.org"
HR = "hr@desk.example.org"


def message(
    sender: str = "alice@example.org",
    subject: str = "Laptop will not start",
    body: str = "It beeps three times.",
    *,
    message_id: str | None = "<m1@example.org>",
    to: str = IT,
    **headers: str,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    if message_id:
        msg["Message-ID"] = message_id
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg.as_bytes()


async def person(username: str, email: str, **roles: str) -> int:
    pid = await create_person(username, username.title(), email=email)
    for department, role in roles.items():
        await set_role(pid, department, role)
    return pid


@pytest.fixture
async def desk(runtime):
    registry = runtime.registry
    await save_mailbox(
        registry,
        MailboxInput(
            address=IT,
            request_type="it.incident",
            form_defaults=sample_form_data(registry.request_types["it.incident"].form),
            senders="anyone",
        ),
    )
    await save_mailbox(
        registry,
        MailboxInput(
            address=HR,
            request_type="hr.payroll",
            form_defaults=sample_form_data(registry.request_types["hr.payroll"].form),
            senders="known",
        ),
    )
    await person("alice", "alice@example.org")
    await person("bob", "Bob@Example.org")
    return runtime


async def tickets_of(runtime) -> TicketService:
    return TicketService(await runtime.snapshot())


async def test_a_message_becomes_a_ticket_for_the_sender(desk) -> None:
    receipt = await receive(desk, message(), [IT])

    assert (receipt.code, receipt.outcome, receipt.ticket_key) == (250, "ticket", "IT-1")
    ticket = await (await tickets_of(desk)).get(SYSTEM, "IT-1")
    assert ticket.title == "Laptop will not start"
    assert ticket.description == "It beeps three times."
    assert ticket.requester.username == "alice"
    assert ticket.request_type == "it.incident"
    row = (
        await ReceivedMessage.select()
        .where(ReceivedMessage.message_id == "<m1@example.org>")
        .first()
    )
    assert (row["outcome"], row["ticket"], row["sender"]) == (
        "ticket",
        ticket.id,
        "alice@example.org",
    )


async def test_the_sender_is_matched_by_address_whatever_its_case(desk) -> None:
    receipt = await receive(desk, message("BOB <bob@EXAMPLE.org>"), [IT])

    ticket = await (await tickets_of(desk)).get(SYSTEM, receipt.ticket_key)
    assert ticket.requester.username == "bob"
    assert await Person.count() == 2


async def test_an_unknown_sender_becomes_a_requester_once(desk) -> None:
    first = await receive(desk, message("Carol Jones <carol@else.example>"), [IT])
    second = await receive(
        desk, message("carol@else.example", message_id="<m2@else.example>"), [IT]
    )

    tickets = await tickets_of(desk)
    one, two = (
        await tickets.get(SYSTEM, first.ticket_key),
        await tickets.get(SYSTEM, second.ticket_key),
    )
    assert one.requester.username == two.requester.username == "carol"
    assert one.requester.display_name == "Carol Jones"
    actor = await load_actor(one.requester.id)
    assert sorted(t.key for t in (await tickets.list(actor)).items) == ["IT-1", "IT-2"]


async def test_a_reply_by_in_reply_to_threads_onto_the_ticket(desk) -> None:
    created = await receive(desk, message(), [IT])
    ticket = await (await tickets_of(desk)).get(SYSTEM, created.ticket_key)
    await SentMessage.insert(SentMessage(message_id="<ack-1@desk.example.org>", ticket=ticket.id))

    reply = await receive(
        desk,
        message(
            subject="Re: Laptop will not start",
            body="It works now.\n\nOn Mon, Alice wrote:\n> It beeps three times.",
            message_id="<m2@example.org>",
            In_Reply_To="<ack-1@desk.example.org>",
        ),
        [IT],
    )

    assert (reply.outcome, reply.ticket_key) == ("reply", "IT-1")
    assert await Ticket.count() == 1
    timeline = await (await tickets_of(desk)).timeline(SYSTEM, "IT-1")
    assert (timeline[-1].kind, timeline[-1].public, timeline[-1].body) == (
        "reply",
        True,
        "It works now.",
    )


async def test_a_reply_by_key_in_the_subject_threads_onto_the_ticket(desk) -> None:
    await receive(desk, message(), [IT])

    reply = await receive(
        desk,
        message(subject="AW: [it-1] Laptop", body="Still broken.", message_id="<m2@example.org>"),
        [IT],
    )

    assert (reply.outcome, reply.ticket_key) == ("reply", "IT-1")
    assert (await (await tickets_of(desk)).timeline(SYSTEM, "IT-1"))[-1].body == "Still broken."


async def test_the_same_message_twice_makes_one_ticket(desk) -> None:
    first = await receive(desk, message(), [IT])
    again = await receive(desk, message(), [IT])

    assert first.code == again.code == 250
    assert again.duplicate and again.ticket_key == first.ticket_key == "IT-1"
    assert await Ticket.count() == 1
    assert await ReceivedMessage.count() == 1


async def test_a_message_without_message_id_delivered_twice_makes_one_ticket(desk) -> None:
    raw = message(message_id=None)
    relayed = b"Received: from mx2.example.org by desk; Mon, 3 Nov 2025 10:00:00 +0000\r\n" + raw

    first = await receive(desk, raw, [IT])
    again = await receive(desk, relayed, [IT])

    assert first.outcome == "ticket" and again.duplicate
    assert await Ticket.count() == 1


async def test_two_concurrent_deliveries_of_one_message_make_one_ticket(desk) -> None:
    receipts = await asyncio.gather(*(receive(desk, message(), [IT]) for _ in range(4)))

    assert {r.code for r in receipts} == {250}
    assert sorted(r.duplicate for r in receipts) == [False, True, True, True]
    assert {r.ticket_key for r in receipts} == {"IT-1"}
    assert await Ticket.count() == 1


@pytest.mark.parametrize(
    ("headers", "outcome"),
    [
        ({"Auto_Submitted": "auto-replied"}, "auto_reply"),
        ({"Auto_Submitted": "auto-generated"}, "auto_reply"),
        ({"Precedence": "bulk"}, "auto_reply"),
        ({"Precedence": "junk"}, "auto_reply"),
        ({"Precedence": "auto_reply"}, "auto_reply"),
        ({"List_Id": "<ops.lists.example.net>", "Precedence": "list"}, "auto_reply"),
        ({"X_Autoreply": "yes"}, "auto_reply"),
        ({"X_Autorespond": "Out of office"}, "auto_reply"),
    ],
)
async def test_auto_replies_and_bulk_mail_never_make_tickets(desk, headers, outcome) -> None:
    await receive(desk, message(), [IT])  # IT-1, so a threaded auto-reply has a target
    events = await OutboxMessage.count()

    receipt = await receive(
        desk,
        message(subject="Out of office: [IT-1]", message_id="<auto@example.org>", **headers),
        [IT],
    )

    assert (receipt.code, receipt.outcome) == (250, outcome)
    assert await Ticket.count() == 1
    assert len(await (await tickets_of(desk)).timeline(SYSTEM, "IT-1")) == 1
    assert await OutboxMessage.count() == events  # nothing to notify anyone about
    row = (
        await ReceivedMessage.select()
        .where(ReceivedMessage.message_id == "<auto@example.org>")
        .first()
    )
    assert row["outcome"] == outcome and row["ticket"] is None


async def test_auto_submitted_no_is_a_person(desk) -> None:
    receipt = await receive(desk, message(Auto_Submitted="no"), [IT])
    assert receipt.outcome == "ticket"


async def test_bounces_and_the_null_sender_never_make_tickets(desk) -> None:
    daemon = await receive(desk, message("MAILER-DAEMON@mx.example.org"), [IT])
    null_path = await receive(
        desk, message(message_id="<m2@example.org>"), [IT], envelope_sender=""
    )

    assert (daemon.code, daemon.outcome) == (250, "bounce")
    assert (null_path.code, null_path.outcome) == (250, "auto_reply")
    assert await Ticket.count() == 0


async def test_the_loop_breaker_caps_messages_per_sender_per_hour(desk) -> None:
    desk.settings = dataclasses.replace(desk.settings, mail_max_per_sender_hour=3)

    receipts = [
        await receive(
            desk, message(subject=f"Ticket {n}", message_id=f"<loop{n}@example.org>"), [IT]
        )
        for n in range(5)
    ]
    other = await receive(desk, message("bob@example.org", message_id="<bob1@example.org>"), [IT])

    assert [r.outcome for r in receipts] == ["ticket"] * 3 + ["loop"] * 2
    assert {r.code for r in receipts} == {250}  # taken, so the other side stops retrying
    assert other.outcome == "ticket"
    assert await Ticket.count() == 4


async def test_a_mailbox_for_known_people_refuses_strangers(desk) -> None:
    stranger = await receive(desk, message("eve@else.example", to=HR), [HR])
    known = await receive(
        desk, message("alice@example.org", message_id="<m2@example.org>", to=HR), [HR]
    )

    assert (stranger.code, stranger.text) == (550, REFUSED_TEXT)
    assert known.outcome == "ticket" and known.ticket_key == "HR-1"
    assert not await Person.exists().where(Person.email == "eve@else.example")
    assert await Ticket.count() == 1


async def test_a_mailbox_for_listed_domains_refuses_other_domains(desk) -> None:
    await Mailbox.update(
        {Mailbox.senders: "domains", Mailbox.allowed_domains: "partner.example"}
    ).where(Mailbox.address == IT)

    outside = await receive(desk, message("alice@example.org"), [IT])
    partner = await receive(desk, message("dan@partner.example", message_id="<m2@x>"), [IT])

    assert (outside.code, outside.outcome) == (550, "sender_refused")
    assert partner.outcome == "ticket"
    assert await Ticket.count() == 1


async def test_unknown_and_disabled_mailboxes_refuse_at_the_door(desk) -> None:
    unknown = await receive(
        desk, message(to="nobody@desk.example.org"), ["nobody@desk.example.org"]
    )
    await Mailbox.update({Mailbox.enabled: False}).where(Mailbox.address == IT)
    disabled = await receive(desk, message(), [IT])

    assert unknown.code == disabled.code == 550
    assert await Ticket.count() == 0
    assert await ReceivedMessage.count() == 0


async def test_the_first_known_recipient_takes_the_message(desk) -> None:
    receipt = await receive(
        desk, message(to=f"x@else.example, {HR}"), ["x@else.example", f"<{HR.upper()}>", IT]
    )
    assert receipt.ticket_key == "HR-1"


async def test_a_message_over_the_size_limit_is_refused(desk) -> None:
    desk.settings = dataclasses.replace(desk.settings, mail_max_bytes=2000)

    receipt = await receive(desk, message(body="x" * 3000), [IT])

    assert (receipt.code, receipt.outcome) == (552, "too_large")
    assert await Ticket.count() == 0
    assert (await ReceivedMessage.select().first())["outcome"] == "too_large"


async def test_an_attachment_over_the_portal_limit_is_left_out_with_a_note(desk) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = (
        "alice@example.org",
        IT,
        "Dump",
        "<big@x>",
    )
    msg.set_content("The crash dump is attached.")
    msg.add_attachment(
        b"\0" * (10 * 1024 * 1024 + 1),
        maintype="application",
        subtype="octet-stream",
        filename="core.dump",
    )
    msg.add_attachment(b"fine", maintype="text", subtype="plain", filename="notes.txt")

    receipt = await receive(desk, msg.as_bytes(), [IT])

    tickets = await tickets_of(desk)
    ticket = await tickets.get(SYSTEM, receipt.ticket_key)
    assert "The attachment core.dump was larger than 10 MB and was not kept." in ticket.description
    assert [f.filename for f in await list_attachments(tickets, SYSTEM, ticket.id)] == ["notes.txt"]


@pytest.fixture
async def confidential_case(desk):
    """HR-1: Alice's confidential case, seen only by her and HR's case team."""
    await Mailbox.update({Mailbox.senders: "anyone"}).where(Mailbox.address == HR)
    case_worker = await person("hr.case", "case@desk.example.org", hr="agent")
    await add_to_team(case_worker, "hr", "case_team")
    await person("hr.agent", "hr.agent@desk.example.org", hr="agent")
    alice = await load_actor(
        (await Person.select(Person.id).where(Person.username == "alice").first())["id"]
    )
    tickets = await tickets_of(desk)
    rt = desk.registry.request_types["hr.case"]
    case = await tickets.create(
        alice,
        request_type="hr.case",
        title="Complaint about my manager",
        description="Secret details.",
        form_data=sample_form_data(rt.form),
    )
    await SentMessage.insert(SentMessage(message_id="<case-ack@desk.example.org>", ticket=case.id))
    assert case.key == "HR-1" and case.confidential
    return case


@pytest.mark.parametrize(
    "sender", ["bob@example.org", "hr.agent@desk.example.org", "stranger@else.example"]
)
async def test_a_reply_to_a_confidential_ticket_from_an_outsider_becomes_a_new_ticket(
    desk, confidential_case, sender
) -> None:
    receipt = await receive(
        desk,
        message(
            sender,
            subject="Re: [HR-1] Complaint about my manager",
            body="Let me in.",
            message_id="<intruder@x>",
            to=HR,
            In_Reply_To="<case-ack@desk.example.org>",
        ),
        [HR],
    )

    assert (receipt.code, receipt.outcome, receipt.ticket_key) == (250, "ticket", "HR-2")
    tickets = await tickets_of(desk)
    assert len(await tickets.timeline(SYSTEM, "HR-1")) == 1  # untouched
    new = await tickets.get(SYSTEM, "HR-2")
    assert new.description == "Let me in."
    assert "Secret" not in new.description and not new.confidential
    outsider = await load_actor(new.requester.id)
    assert [t.key for t in (await tickets.list(outsider)).items] == ["HR-2"]


async def test_a_mailbox_that_refuses_such_replies_answers_the_same_whether_the_ticket_exists(
    desk, confidential_case
) -> None:
    await Mailbox.update({Mailbox.unauthorised_reply: "reject"}).where(Mailbox.address == HR)

    real = await receive(
        desk, message("bob@example.org", subject="Re: [HR-1] x", message_id="<a@x>", to=HR), [HR]
    )
    made_up = await receive(
        desk, message("bob@example.org", subject="Re: [HR-77] x", message_id="<b@x>", to=HR), [HR]
    )
    stranger = await receive(
        desk, message("eve@else.example", subject="hello", message_id="<c@x>", to=HR), [HR]
    )

    assert (real.code, real.text) == (made_up.code, made_up.text) == (550, REFUSED_TEXT)
    assert stranger.outcome == "ticket"  # the mailbox is open to anyone; only the claim is refused
    assert len(await (await tickets_of(desk)).timeline(SYSTEM, "HR-1")) == 1


async def test_the_case_team_replies_by_mail(desk, confidential_case) -> None:
    receipt = await receive(
        desk,
        message(
            "case@desk.example.org", subject="Re: [HR-1] Complaint", body="We will call you.", to=HR
        ),
        [HR],
    )
    assert (receipt.outcome, receipt.ticket_key) == ("reply", "HR-1")
