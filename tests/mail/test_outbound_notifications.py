"""Each domain event mails the right person, through a real SMTP server, once."""

from __future__ import annotations

import datetime as dt

from polydesk.core.demo import sample_form_data
from polydesk.core.events import SLABreached, SLAWarning
from polydesk.core.mail.outbound_tables import OutboundMail
from polydesk.core.mail.tables import SentMessage
from polydesk.core.outbox.services import enqueue
from polydesk.core.tickets.services import TicketService


async def incident(runtime, people, who="alice", title="Printer on fire"):
    service = TicketService(await runtime.snapshot())
    form = sample_form_data(runtime.registry.request_types["it.incident"].form)
    return await service.create(
        await people.actor(who), request_type="it.incident", title=title, form_data=form
    )


async def test_a_new_ticket_acknowledges_the_requester_with_its_key(
    mail_runtime, mail_people, smtp_sink, pump
):
    ticket = await incident(mail_runtime, mail_people, title="Printer on fire")
    await pump()
    [mail] = smtp_sink.messages
    assert mail.rcpt_tos == ["alice@example.test"]
    assert mail.message["Subject"] == f"[{ticket.key}] We received your request: Printer on fire"
    assert mail.message["To"] == "Alice <alice@example.test>"
    assert mail.message["Auto-Submitted"] == "auto-generated"
    assert ticket.key in mail.text and "Printer on fire" in mail.text
    assert f"https://desk.example.test/requests/{ticket.key}" in mail.text
    assert f'href="https://desk.example.test/requests/{ticket.key}"' in mail.html
    # The Message-ID is recorded for threading replies onto the ticket.
    sent = await SentMessage.select().first()
    assert sent["message_id"] == mail.message["Message-ID"].strip()
    assert sent["ticket"] == ticket.id
    assert sent["recipient"] == mail_people.ids["alice"]
    assert await pump() == 0 and len(smtp_sink.messages) == 1  # once


async def test_a_public_reply_by_an_agent_mails_the_requester_not_a_note(
    mail_runtime, mail_people, smtp_sink, pump
):
    ticket = await incident(mail_runtime, mail_people)
    await pump()
    smtp_sink.messages.clear()
    service = TicketService(await mail_runtime.snapshot())
    agent = await mail_people.actor("it.agent")
    await service.comment(
        agent, ticket.key, body="Internal: the toner is from a bad batch", public=False
    )
    await service.comment(agent, ticket.key, body="Please switch it off & <unplug> it.")
    await pump()
    [mail] = smtp_sink.messages
    assert mail.rcpt_tos == ["alice@example.test"]
    assert mail.message["Subject"] == f"[{ticket.key}] New reply: Printer on fire"
    assert "Please switch it off & <unplug> it." in mail.text
    assert "Please switch it off &amp; &lt;unplug&gt; it." in mail.html  # autoescaped
    assert "bad batch" not in mail.raw.decode()
    # Later mail about the ticket threads onto the first one the requester got.
    first = await SentMessage.select().order_by(SentMessage.id).first()
    assert mail.message["In-Reply-To"].strip() == first["message_id"]


async def test_the_requester_replying_mails_nobody(mail_runtime, mail_people, smtp_sink, pump):
    ticket = await incident(mail_runtime, mail_people)
    await pump()
    service = TicketService(await mail_runtime.snapshot())
    await service.comment(await mail_people.actor("alice"), ticket.key, body="Any news?")
    await pump()
    assert len(smtp_sink.messages) == 1  # the acknowledgement only


async def test_assignment_mails_the_agent_unless_they_took_it_themselves(
    mail_runtime, mail_people, smtp_sink, pump
):
    ticket = await incident(mail_runtime, mail_people)
    await pump()
    smtp_sink.messages.clear()
    service = TicketService(await mail_runtime.snapshot())
    lead = await mail_people.actor("it.lead")
    ticket = await service.assign(lead, ticket.key, version=None, assignee="it.agent")
    await pump()
    [mail] = smtp_sink.messages
    assert mail.rcpt_tos == ["it.agent@example.test"]
    assert mail.message["Subject"] == f"[{ticket.key}] Assigned to you: Printer on fire"
    assert "It Lead assigned" in mail.text
    assert f"https://desk.example.test/agent/tickets/{ticket.key}" in mail.text
    smtp_sink.messages.clear()
    await service.assign(lead, ticket.key, version=None, assignee="it.lead")
    await pump()
    assert smtp_sink.messages == []


async def test_approval_needed_mails_each_step_when_it_opens(
    mail_runtime, mail_people, smtp_sink, pump
):
    """Sequential approvals: the second approver hears once the first approved."""
    ticket = await incident(mail_runtime, mail_people)
    await pump()
    smtp_sink.messages.clear()
    service = TicketService(await mail_runtime.snapshot())
    agent = await mail_people.actor("it.agent")
    first = await service.request_approval(agent, ticket.key, approver="bob", step=1)
    await service.request_approval(agent, ticket.key, approver="it.lead", step=2)
    await pump()
    assert [m.rcpt_tos for m in smtp_sink.messages] == [["bob@example.test"]]
    assert "needs your approval" in smtp_sink.messages[0].text
    assert smtp_sink.messages[0].message["Subject"].startswith(f"[{ticket.key}] Your approval")
    smtp_sink.messages.clear()
    await service.decide_approval(
        await mail_people.actor("bob"), ticket.key, first.id, approve=True
    )
    await pump()
    assert [m.rcpt_tos for m in smtp_sink.messages] == [["it.lead@example.test"]]


async def test_sla_warning_and_breach_mail_the_departments_leads(
    mail_runtime, mail_people, smtp_sink, pump
):
    ticket = await incident(mail_runtime, mail_people)
    await pump()
    smtp_sink.messages.clear()
    due = dt.datetime(2026, 1, 5, 14, 0, tzinfo=dt.UTC).isoformat()
    common = {"ticket_id": ticket.id, "ticket_key": ticket.key, "department": "it"}
    from polydesk.core.db import transaction

    async with transaction():
        await enqueue(SLAWarning(**common, metric="resolution", due_at=due), mail_runtime.clock())
        await enqueue(SLABreached(**common, metric="resolution", due_at=due), mail_runtime.clock())
        await enqueue(
            SLABreached(**common, metric="first_response", due_at=due, notify_lead=False),
            mail_runtime.clock(),
        )
    await pump()
    subjects = sorted(m.message["Subject"] for m in smtp_sink.messages)
    assert subjects == [
        f"[{ticket.key}] SLA breached: Resolution was due 2026-01-05 14:00 UTC",
        f"[{ticket.key}] SLA warning: Resolution due 2026-01-05 14:00 UTC",
    ]
    assert {a for m in smtp_sink.messages for a in m.rcpt_tos} == {"it.lead@example.test"}


async def test_sensitive_form_fields_are_masked_in_mail(mail_runtime, mail_people, smtp_sink, pump):
    rt = mail_runtime.registry.request_types["finance.vendor_onboarding"]
    form = sample_form_data(rt.form)
    form["iban"] = "PL61 1090 1014 0000 0712 1981 2874"
    service = TicketService(await mail_runtime.snapshot())
    await service.create(
        await mail_people.actor("alice"), request_type=rt.key, title="New vendor", form_data=form
    )
    await pump()
    [mail] = smtp_sink.messages
    raw = mail.raw.decode()
    assert "1090 1014" not in raw and "PL61" not in raw
    assert "IBAN: ••••2874" in mail.text
    assert await OutboundMail.count() == 1
