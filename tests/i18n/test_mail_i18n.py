# ruff: noqa: F811  (the mail fixtures are imported from tests/mail/conftest.py)
"""Notifications in the recipient's language and time zone, sent through a real SMTP
server (aiosmtpd): the profile's language, else the organisation's default; the
ticket key stays in the subject; English mail is unchanged."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from polydesk.core.db import transaction
from polydesk.core.demo import sample_form_data
from polydesk.core.events import SLAWarning
from polydesk.core.mail.outbound_overrides import save_override
from polydesk.core.outbox.services import enqueue
from polydesk.core.people.tables import Person
from polydesk.core.tickets.services import TicketService
from tests.mail.conftest import Received, mail_people, mail_runtime, pump, smtp_sink  # noqa: F401


def text(mail: Received) -> str:
    return mail.text.replace("\r\n", "\n")


def html(mail: Received) -> str:
    return mail.html.replace("\r\n", "\n")


# What each language says (subject, greeting, acknowledgement line, reply line, footer).
EXPECTED = {
    "pl": {
        "ack_subject": "Otrzymaliśmy Twój wniosek: Printer on fire",
        "ack_text": "Otrzymaliśmy Twój wniosek {key} (Zgłoś incydent): Printer on fire",
        "ack_html": "Otrzymaliśmy Twój wniosek <strong>{key}</strong> (Zgłoś incydent): Printer on fire",
        "hello": "Cześć Alice,",
        "reply_subject": "Nowa odpowiedź: Printer on fire",
        "reply_text": "Ivan odpowiedział(a) na Twój wniosek {key} (Printer on fire):",
        "footer": "Wybierz, jakie e-maile chcesz dostawać: https://desk.example.test/me/notifications",
        "lang": "pl",
    },
    "zh_Hant": {
        "ack_subject": "我們已收到您的請求：Printer on fire",
        "ack_text": "我們已收到您的請求 {key}（報告故障）：Printer on fire",
        "ack_html": "我們已收到您的請求 <strong>{key}</strong>（報告故障）：Printer on fire",
        "hello": "Alice，您好：",
        "reply_subject": "新回覆：Printer on fire",
        "reply_text": "Ivan 回覆了您的請求 {key}（Printer on fire）：",
        "footer": "選擇您要接收的郵件：https://desk.example.test/me/notifications",
        "lang": "zh-Hant",
    },
}


async def set_profile(people, username: str, locale: str, timezone: str = "") -> None:
    await Person.update({Person.locale: locale, Person.timezone: timezone}).where(
        Person.id == people.ids[username]
    )


async def incident(runtime, people, who="alice", title="Printer on fire"):
    service = TicketService(await runtime.snapshot())
    form = sample_form_data(runtime.registry.request_types["it.incident"].form)
    return await service.create(
        await people.actor(who), request_type="it.incident", title=title, form_data=form
    )


async def reply(runtime, people, key: str) -> None:
    await people.add("ivan", roles={"it": "agent"})
    await Person.update({Person.email: "ivan@example.test"}).where(Person.id == people.ids["ivan"])
    service = TicketService(await runtime.snapshot())
    await service.comment(await people.actor("ivan"), key, body="Switch it off & on.")


@pytest.mark.parametrize("locale", ["pl", "zh_Hant"])
async def test_the_requester_gets_acknowledgement_and_reply_in_their_language(
    locale, mail_runtime, mail_people, smtp_sink, pump
):
    expected = EXPECTED[locale]
    await set_profile(mail_people, "alice", locale, "Europe/Warsaw")
    ticket = await incident(mail_runtime, mail_people)
    await pump()
    [ack] = smtp_sink.messages
    assert ack.message["Subject"] == f"[{ticket.key}] {expected['ack_subject']}"
    assert text(ack).startswith(expected["hello"] + "\n")
    assert expected["ack_text"].format(key=ticket.key) in text(ack)
    assert expected["footer"] in text(ack)
    assert f'<html lang="{expected["lang"]}">' in html(ack)
    assert expected["ack_html"].format(key=ticket.key) in html(ack)
    assert "Affected service" not in text(ack)  # the form's labels are the plugin's, translated
    assert "We received" not in text(ack) + html(ack) and "Hello" not in text(ack) + html(ack)

    smtp_sink.messages.clear()
    await reply(mail_runtime, mail_people, ticket.key)
    await pump()
    [mail] = smtp_sink.messages
    assert mail.rcpt_tos == ["alice@example.test"]
    assert mail.message["Subject"] == f"[{ticket.key}] {expected['reply_subject']}"
    assert expected["reply_text"].format(key=ticket.key) in text(mail)
    assert "Switch it off & on." in text(mail)  # what people typed is never translated
    reply_html = expected["reply_text"].format(key=f"<strong>{ticket.key}</strong>")
    assert reply_html in html(mail) and "Switch it off &amp; on." in html(mail)


async def test_an_english_recipient_gets_the_same_mail_as_before(
    mail_runtime, mail_people, smtp_sink, pump
):
    ticket = await incident(mail_runtime, mail_people)
    await pump()
    [ack] = smtp_sink.messages
    url = f"https://desk.example.test/requests/{ticket.key}"
    assert ack.message["Subject"] == f"[{ticket.key}] We received your request: Printer on fire"
    assert text(ack).startswith(
        "Hello Alice,\n\n"
        f"We received your request {ticket.key} (Report an incident): Printer on fire\n"
        f"Please keep {ticket.key} in the subject when you write to us about it.\n"
        "\nWhat you told us:\n- "
    )
    assert text(ack).endswith(
        f"\nOpen it: {url}\n\n-- \nIT · Polydesk\n"
        "Choose which e-mails you get: https://desk.example.test/me/notifications\n"
    )
    assert '<html lang="en">' in html(ack) and "<p>Hello Alice,</p>" in html(ack)
    assert f'<a href="{url}">Open {ticket.key}</a>' in html(ack)


async def test_the_organisation_default_applies_without_a_profile_language(
    mail_runtime, mail_people, smtp_sink, pump
):
    mail_runtime.settings = dataclasses.replace(mail_runtime.settings, default_locale="zh_Hans")
    await set_profile(mail_people, "alice", "")
    ticket = await incident(mail_runtime, mail_people)
    await pump()
    [ack] = smtp_sink.messages
    assert ack.message["Subject"] == f"[{ticket.key}] 我们已收到您的请求：Printer on fire"
    assert '<html lang="zh-Hans">' in html(ack)


async def test_sla_times_are_written_in_the_leads_language_and_time_zone(
    mail_runtime, mail_people, smtp_sink, pump
):
    ticket = await incident(mail_runtime, mail_people)
    await pump()
    smtp_sink.messages.clear()
    await set_profile(mail_people, "it.lead", "pl", "Asia/Taipei")
    due = dt.datetime(2026, 1, 5, 14, 0, tzinfo=dt.UTC).isoformat()
    async with transaction():
        await enqueue(
            SLAWarning(
                ticket_id=ticket.id,
                ticket_key=ticket.key,
                department="it",
                metric="resolution",
                due_at=due,
            ),
            mail_runtime.clock(),
        )
    await pump()
    [mail] = smtp_sink.messages
    # 14:00 UTC is 22:00 in Taipei, written the Polish way.
    assert mail.message["Subject"] == (
        f"[{ticket.key}] Ostrzeżenie SLA: Rozwiązanie – termin 5 sty 2026 22:00 +0800"
    )
    assert "zbliża się do celu SLA: Rozwiązanie – termin 5 sty 2026 22:00" in text(mail)
    assert "Priorytet: P" in text(mail) and "14:00" not in text(mail)


async def test_an_admin_override_renders_in_the_recipients_language(
    mail_runtime, mail_people, smtp_sink, pump
):
    """An override is one text; it may call `_()` for messages the catalogs know."""
    await save_override(
        "ticket_created",
        {
            "subject": '{{ _("We received your request: %(title)s", title=ticket_title) }} ✓',
            "text": "Ticket {{ ticket_key }}: {{ request_type_name | translate }}",
            "html": "",
        },
        None,
        mail_runtime.clock(),
    )
    await set_profile(mail_people, "alice", "pl")
    ticket = await incident(mail_runtime, mail_people)
    await pump()
    [ack] = smtp_sink.messages
    assert ack.message["Subject"] == f"[{ticket.key}] Otrzymaliśmy Twój wniosek: Printer on fire ✓"
    assert text(ack).strip() == f"Ticket {ticket.key}: Zgłoś incydent"
    assert "Cześć Alice," in html(ack)  # the default HTML part, in Polish
