"""Delivery: retries with back-off, failures kept for admins, exactly once, no header
injection, nothing to people who may not see the ticket."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import pytest

from polydesk.core.db import is_postgres_engine
from polydesk.core.demo import sample_form_data
from polydesk.core.events import event_from_payload
from polydesk.core.mail.outbound import notify
from polydesk.core.mail.outbound_sender import MAX_ATTEMPTS, send_due
from polydesk.core.mail.outbound_tables import OutboundMail
from polydesk.core.outbox.services import deliver_due
from polydesk.core.outbox.tables import OutboxMessage
from polydesk.core.people.tables import Person
from polydesk.core.tickets.services import TicketService
from polydesk.web.mail_templates import MailRenderer, build_mail_environment


async def incident(runtime, people, who="alice", title="Printer on fire"):
    service = TicketService(await runtime.snapshot())
    form = sample_form_data(runtime.registry.request_types["it.incident"].form)
    return await service.create(
        await people.actor(who), request_type="it.incident", title=title, form_data=form
    )


def at(clock_start: dt.datetime, seconds: float):
    return lambda: clock_start + dt.timedelta(seconds=seconds)


async def send_at(runtime, moment: dt.datetime) -> int:
    renderer = MailRenderer(build_mail_environment(runtime.registry), {})
    return await send_due(runtime.settings, renderer, lambda: moment)


async def test_a_4xx_is_retried_with_back_off_then_delivered(mail_runtime, mail_people, smtp_sink):
    await incident(mail_runtime, mail_people)
    await deliver_due(mail_runtime.snapshot, mail_runtime.clock)
    smtp_sink.refuse = ["451 4.3.0 Mailbox busy, try later", "421 4.7.0 Too many connections"]
    now = dt.datetime.now(dt.UTC)
    await send_at(mail_runtime, now)
    row = await OutboundMail.select().first()
    assert row["status"] == "pending" and row["attempts"] == 1
    assert "451" in row["last_error"]
    assert row["available_at"] > now  # not at once
    assert await send_at(mail_runtime, now + dt.timedelta(seconds=1)) == 0
    await send_at(mail_runtime, now + dt.timedelta(minutes=1))  # second refusal
    row = await OutboundMail.select().first()
    assert row["attempts"] == 2 and "421" in row["last_error"]
    assert row["available_at"] >= now + dt.timedelta(minutes=1, seconds=59)  # doubled
    assert smtp_sink.messages == []
    await send_at(mail_runtime, now + dt.timedelta(minutes=5))
    assert len(smtp_sink.messages) == 1
    row = await OutboundMail.select().first()
    assert row["status"] == "sent" and row["last_error"] == ""


async def test_a_message_that_keeps_failing_is_marked_failed_for_admins(
    mail_runtime, mail_people, smtp_sink, client
):
    ticket = await incident(mail_runtime, mail_people)
    await deliver_due(mail_runtime.snapshot, mail_runtime.clock)
    smtp_sink.refuse = ["451 4.3.0 try later"] * (MAX_ATTEMPTS + 2)
    moment = dt.datetime.now(dt.UTC)
    for _ in range(MAX_ATTEMPTS + 2):
        moment += dt.timedelta(days=1)
        await send_at(mail_runtime, moment)
    row = await OutboundMail.select().first()
    assert row["status"] == "failed" and row["attempts"] == MAX_ATTEMPTS
    # Admins see it, with the reason, and can send it again.
    headers = await mail_people.headers("admin")
    response = await client.get("/api/v1/admin/mail", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["configured"] is True and body["counts"]["failed"] == 1
    [item] = body["messages"]
    assert item["status"] == "failed" and item["ticket_key"] == ticket.key
    assert "451" in item["last_error"] and item["to_address"] == "alice@example.test"
    response = await client.post(f"/api/v1/admin/mail/{item['id']}/retry", headers=headers)
    assert response.status_code == 200, response.text
    smtp_sink.refuse = []
    await send_at(mail_runtime, dt.datetime.now(dt.UTC))
    assert len(smtp_sink.messages) == 1
    # Nobody else sees the queue; it does not exist for them.
    response = await client.get("/api/v1/admin/mail", headers=await mail_people.headers("it.lead"))
    assert response.status_code == 404


async def test_a_5xx_fails_at_once(mail_runtime, mail_people, smtp_sink):
    await incident(mail_runtime, mail_people)
    await deliver_due(mail_runtime.snapshot, mail_runtime.clock)
    smtp_sink.refuse = ["550 5.1.1 No such user"]
    await send_at(mail_runtime, dt.datetime.now(dt.UTC))
    row = await OutboundMail.select().first()
    assert row["status"] == "failed" and "550" in row["last_error"]


async def test_without_smtp_messages_wait_and_are_never_dropped(
    runtime, mail_people, smtp_sink, client
):
    await incident(runtime, mail_people)
    await deliver_due(runtime.snapshot, runtime.clock)
    assert not runtime.settings.smtp_host
    assert await send_at(runtime, dt.datetime.now(dt.UTC) + dt.timedelta(days=30)) == 0
    row = await OutboundMail.select().first()
    assert row["status"] == "pending" and row["attempts"] == 0
    body = (
        await client.get("/api/v1/admin/mail", headers=await mail_people.headers("admin"))
    ).json()
    assert body["configured"] is False and body["counts"]["pending"] == 1
    page = await client.get("/admin/mail", headers=await mail_people.headers("admin"))
    assert page.status_code == 200 and "Mail is not configured" in page.text


async def test_header_injection_through_names_and_titles_is_impossible(
    mail_runtime, mail_people, smtp_sink, pump
):
    await Person.update(
        {Person.display_name: "Alice\r\nBcc: victim@evil.test\r\nX-Injected: yes"}
    ).where(Person.id == mail_people.ids["alice"])
    await incident(
        mail_runtime,
        mail_people,
        title="Hello\r\nBcc: victim@evil.test\nContent-Type: text/html\r\n\r\n<script>x</script>",
    )
    await pump()
    [mail] = smtp_sink.messages
    assert mail.rcpt_tos == ["alice@example.test"]  # the envelope is ours alone
    headers = mail.raw.split(b"\r\n\r\n", 1)[0].decode()
    assert "\nBcc:" not in headers and "\nX-Injected:" not in headers
    assert mail.message["Bcc"] is None and mail.message["X-Injected"] is None
    assert mail.message["Subject"].startswith("[IT-1] We received your request: Hello Bcc:")
    assert "victim@evil.test" not in str(mail.message["To"].addresses[0].addr_spec)
    assert "<script>" not in mail.html  # escaped in HTML


async def test_an_address_with_a_line_break_is_refused_not_sent(
    mail_runtime, mail_people, smtp_sink, pump
):
    await Person.update({Person.email: "alice@example.test\r\nBcc: victim@evil.test"}).where(
        Person.id == mail_people.ids["alice"]
    )
    await incident(mail_runtime, mail_people)
    await pump()
    assert smtp_sink.messages == []
    row = await OutboundMail.select().first()
    assert row["status"] == "failed" and "not a usable e-mail address" in row["last_error"]


async def test_confidential_tickets_mail_only_those_who_may_see_them(
    mail_runtime, mail_people, smtp_sink, pump
):
    """An HR case: the requester and the case team hear; HR's other agent, even
    assigned by mistake, and a lead outside the team get nothing — not even the title."""
    await mail_people.add("hr.lead", roles={"hr": "lead"})
    await Person.update({Person.email: "hr.lead@example.test"}).where(
        Person.id == mail_people.ids["hr.lead"]
    )
    rt = mail_runtime.registry.request_types["hr.case"]
    service = TicketService(await mail_runtime.snapshot())
    ticket = await service.create(
        await mail_people.actor("alice"),
        request_type=rt.key,
        title="Secret grievance about Bob",
        form_data=sample_form_data(rt.form),
    )
    case = await mail_people.actor("hr.case")
    await service.comment(case, ticket.key, body="Internal: talked to Bob's manager", public=False)
    await service.comment(case, ticket.key, body="We are looking into it.")
    from polydesk.core.db import transaction
    from polydesk.core.events import SLABreached
    from polydesk.core.outbox.services import enqueue

    async with transaction():
        await enqueue(
            SLABreached(
                ticket_id=ticket.id,
                ticket_key=ticket.key,
                department="hr",
                metric="resolution",
                due_at=dt.datetime.now(dt.UTC).isoformat(),
            ),
            mail_runtime.clock(),
        )
    await pump()
    everything = b"".join(m.raw for m in smtp_sink.messages).decode()
    assert {a for m in smtp_sink.messages for a in m.rcpt_tos} == {"alice@example.test"}
    assert "talked to Bob's manager" not in everything
    assert len(smtp_sink.messages) == 2  # acknowledgement and the public reply
    assert (
        await OutboundMail.count().where(OutboundMail.recipient == mail_people.ids["hr.lead"]) == 0
    )


async def test_the_same_event_delivered_twice_queues_one_mail(
    mail_runtime, mail_people, smtp_sink, pump
):
    """A retried delivery (the outbox row delivered again) sends nothing new."""
    await incident(mail_runtime, mail_people)
    await pump()
    await OutboxMessage.update({OutboxMessage.delivered_at: None}).where(
        OutboxMessage.id.is_not_null()
    )
    assert await deliver_due(mail_runtime.snapshot, mail_runtime.clock) == 1
    await pump()
    assert len(smtp_sink.messages) == 1
    assert await OutboundMail.count() == 1


@pytest.mark.skipif(not is_postgres_engine(), reason="concurrent writers need PostgreSQL")
async def test_two_workers_racing_on_one_event_queue_and_send_one_mail(
    mail_runtime, mail_people, smtp_sink
):
    """Two deliveries of the same outbox event at the same moment, each in its own
    transaction on its own connection: the unique index lets exactly one through;
    then two senders racing over the queue send it once."""
    from polydesk.core.db import transaction

    await incident(mail_runtime, mail_people)
    row = await OutboxMessage.select().first()
    payload = row["payload"]
    event = event_from_payload(
        row["event"], json.loads(payload) if isinstance(payload, str) else payload
    )
    snapshot = await mail_runtime.snapshot()

    async def deliver() -> int:
        async with transaction():
            return await notify(snapshot, row["id"], event, mail_runtime.clock())

    results = await asyncio.gather(*(deliver() for _ in range(4)))
    assert sorted(results) == [0, 0, 0, 1]
    assert await OutboundMail.count() == 1
    senders = await asyncio.gather(
        *(send_at(mail_runtime, dt.datetime.now(dt.UTC)) for _ in range(4))
    )
    assert sum(senders) == 1
    assert len(smtp_sink.messages) == 1


async def test_preferences_are_honoured_but_mandatory_ones_are_not_optional(
    mail_runtime, mail_people, smtp_sink, pump, client
):
    headers = await mail_people.headers("alice")
    response = await client.put(
        "/api/v1/me/notifications", json={"ticket_created": False}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert {p["kind"]: p["enabled"] for p in response.json()}["ticket_created"] is False
    response = await client.put(
        "/api/v1/me/notifications", json={"approval_needed": False}, headers=headers
    )
    assert response.status_code == 422
    assert "approval_needed" in response.text
    response = await client.put("/api/v1/me/notifications", json={"nope": True}, headers=headers)
    assert response.status_code == 422
    ticket = await incident(mail_runtime, mail_people)
    await pump()
    assert smtp_sink.messages == []  # alice opted out of acknowledgements
    service = TicketService(await mail_runtime.snapshot())
    await service.request_approval(
        await mail_people.actor("it.agent"), ticket.key, approver="alice"
    )
    await pump()
    assert [m.rcpt_tos for m in smtp_sink.messages] == [["alice@example.test"]]
    listed = (await client.get("/api/v1/me/notifications", headers=headers)).json()
    mandatory = next(p for p in listed if p["kind"] == "approval_needed")
    assert mandatory["mandatory"] is True and mandatory["enabled"] is True and mandatory["why"]


def test_settings_read_the_smtp_environment():
    from polydesk.core.settings import Settings

    settings = Settings.from_env(
        {
            "POLYDESK_SMTP_HOST": "smtp.example.test",
            "POLYDESK_SMTP_PORT": "2525",
            "POLYDESK_SMTP_USER": "desk",
            "POLYDESK_SMTP_PASSWORD": "secret",
            "POLYDESK_SMTP_STARTTLS": "0",
            "POLYDESK_MAIL_FROM": "help@example.test",
            "POLYDESK_BASE_URL": "https://help.example.test/",
        }
    )
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_starttls) == (
        "smtp.example.test",
        2525,
        False,
    )
    assert settings.mail_from == "help@example.test"
    assert settings.base_url == "https://help.example.test"
