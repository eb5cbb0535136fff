# ruff: noqa: F811  (the mail fixtures are imported from tests/mail/conftest.py)
"""What plugins write on a ticket (notes, transition comments, why an approver is
asked) is stored with its message and shown in each reader's language: on the
request page, the agent's ticket page and in the mail; the JSON API keeps English.

Expected texts are rendered from the catalogs (the same ones the server uses), so
the test follows the translations instead of repeating them, and fails when a
message has no translation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from bs4 import BeautifulSoup

from polydesk.core import i18n
from polydesk.core.i18n import Message, Money, PluralMessage
from polydesk.core.outbox.services import deliver_due
from polydesk.core.people.tables import Person
from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.registry import build_registry
from polydesk.core.tickets.services import TicketService
from tests.mail.conftest import mail_people, mail_runtime, pump, smtp_sink  # noqa: F401

#: Accept-Language header -> catalog locale.
LANGS = {"pl": "pl", "zh-CN": "zh_Hans", "zh-TW": "zh_Hant", "en": "en"}
ACCESS = {
    "system": "crm",
    "access_level": "read",
    "business_justification": "I take over the Acme account from Bob.",
}
NO_MANAGER = (
    "%(requester)s has no manager on record, so an IT lead (%(lead)s) approves this access instead."
)
WAITING = "Waiting for %(approver)s (%(rule)s) to approve."


@pytest.fixture(scope="module", autouse=True)
def plugin_catalogs() -> None:
    i18n.register_department_catalogs(build_registry(create_plugin_manager()))
    i18n.clear_cache()


def shown(locale: str, message: Message) -> str:
    """`message` as a reader of `locale` gets it; a missing translation fails here."""
    with i18n.use_locale(locale):
        text = message.render()
    assert locale == "en" or text != str(message), f"{message!r} has no {locale} translation"
    return text


def page_text(response: Any) -> str:
    assert response.status_code == 200, response.text
    # Collapse layout whitespace only: money keeps its no-break spaces.
    return re.sub(r"[ \t\r\n]+", " ", BeautifulSoup(response.text, "html.parser").get_text(" "))


async def access_request(runtime: Any, people: Any) -> str:
    """alice (no manager on record) asks for CRM access; IT's plugin reacts."""
    service = TicketService(await runtime.snapshot())
    ticket = await service.create(
        await people.actor("alice"), request_type="it.access", title="CRM", form_data=ACCESS
    )
    await deliver_due(runtime.snapshot, runtime.clock)
    return ticket.key


@pytest.mark.parametrize("header", LANGS)
async def test_the_requester_reads_the_plugins_notes_in_their_language(
    client, runtime, people, header
):
    key = await access_request(runtime, people)
    locale = LANGS[header]
    note = Message(NO_MANAGER, requester="alice", lead="it.lead")
    waiting = Message(WAITING, approver="it.lead", rule=Message("IT lead"))
    page = page_text(
        await client.get(
            f"/requests/{key}",
            headers={**await people.headers("alice"), "Accept-Language": header},
        )
    )
    assert shown(locale, note) in page
    assert shown(locale, waiting) in page
    assert shown(locale, Message("IT lead")) in page  # why this approver, on the approval
    if locale != "en":
        assert str(note) not in page and "IT lead" not in page


@pytest.mark.parametrize("header", ["zh-TW", "pl"])
async def test_the_agent_reads_them_in_their_language_too(client, runtime, people, header):
    key = await access_request(runtime, people)
    page = page_text(
        await client.get(
            f"/agent/tickets/{key}",
            headers={**await people.headers("it.agent"), "Accept-Language": header},
        )
    )
    note = Message(NO_MANAGER, requester="alice", lead="it.lead")
    assert shown(LANGS[header], note) in page
    assert str(note) not in page


async def test_the_api_keeps_english_and_carries_the_message(client, runtime, people):
    key = await access_request(runtime, people)
    response = await client.get(
        f"/api/v1/tickets/{key}/timeline",
        headers={**await people.headers("alice"), "Accept-Language": "pl"},
    )
    assert response.status_code == 200, response.text
    entries = response.json()
    entries = entries.get("items", entries) if isinstance(entries, dict) else entries
    note = next(e for e in entries if e["kind"] == "reply")
    assert note["body"] == str(Message(NO_MANAGER, requester="alice", lead="it.lead"))
    assert note["data"]["message"] == {
        "msgid": NO_MANAGER,
        "params": {"requester": "alice", "lead": "it.lead"},
    }


async def test_finance_amounts_are_written_the_readers_way(client, runtime, people):
    """A purchase above the lead's threshold: the approval's reason names the amounts,
    as money in the reader's language."""
    from polydesk.core.people.services import set_manager

    await people.add("maria")
    await people.add("finance.lead", roles={"finance": "lead"})
    await set_manager(people.ids["alice"], people.ids["maria"])
    registry = runtime.registry
    from polydesk.core.demo import sample_form_data

    form = sample_form_data(registry.request_types["finance.purchase"].form)
    form.update(amount="5000.00", currency="PLN")
    service = TicketService(await runtime.snapshot())
    ticket = await service.create(
        await people.actor("alice"), request_type="finance.purchase", title="Desks", form_data=form
    )
    await deliver_due(runtime.snapshot, runtime.clock)
    rule = Message(
        "finance lead: %(amount)s is above %(limit)s",
        amount=Money("5000.00", "PLN"),
        limit=Money("1000.00", "PLN"),
    )
    page = page_text(
        await client.get(
            f"/requests/{ticket.key}",
            headers={**await people.headers("alice"), "Accept-Language": "pl"},
        )
    )
    assert shown("pl", rule) in page
    assert "5\u00a0000,00\u00a0zł" in shown("pl", rule)


async def test_a_mailed_note_is_in_the_recipients_language(
    mail_runtime, mail_people, smtp_sink, pump
):
    await Person.update({Person.locale: "zh_Hant"}).where(Person.id == mail_people.ids["alice"])
    key = await access_request(mail_runtime, mail_people)
    await pump()
    bodies = [m.text.replace("\r\n", "\n") for m in smtp_sink.messages]
    note = Message(NO_MANAGER, requester="alice", lead="it.lead")
    assert any(shown("zh_Hant", note) in body for body in bodies), bodies
    assert not any(str(note) in body for body in bodies)
    assert key


def test_messages_survive_storage_and_a_broken_translation_falls_back_to_english():
    message = PluralMessage(
        "Opened %(num)s task:\n%(lines)s",
        "Opened %(num)s tasks:\n%(lines)s",
        2,
        lines=["- IT-1 Laptop", Message("CAB")],
    )
    again = Message.from_data(message.to_data())
    assert again == message and str(again) == "Opened 2 tasks:\n- IT-1 Laptop\nCAB"
    assert Message.from_data({"body": "plain"}) is None
    assert i18n.render_stored("typed by a person", None) == "typed by a person"

    class Broken(Message):
        def _translated(self) -> str:
            return "%(nope)s"  # a translation naming a parameter that does not exist

    with i18n.use_locale("pl"):
        assert Broken("Hello %(name)s", name="Ann").render() == "Hello Ann"


@pytest.mark.parametrize(
    ("header", "amount", "day"),
    [("pl", "12\u00a0500,00", "30 lis 2026"), ("en", "12,500.00", "Nov 30, 2026")],
)
async def test_amounts_and_dates_of_a_form_are_written_the_readers_way(
    client, runtime, people, header, amount, day
):
    """A request's money and date fields on the request page and the agent's ticket
    page: separators and month names of the reader's language, not the stored form."""
    from polydesk.core.demo import sample_form_data

    form = sample_form_data(runtime.registry.request_types["finance.purchase"].form)
    form.update(amount="12500.00", currency="PLN", needed_by="2026-11-30")
    service = TicketService(await runtime.snapshot())
    ticket = await service.create(
        await people.actor("alice"), request_type="finance.purchase", title="Desks", form_data=form
    )
    for who, url in (
        ("alice", f"/requests/{ticket.key}"),
        ("finance.agent", f"/agent/tickets/{ticket.key}"),
    ):
        page = page_text(
            await client.get(url, headers={**await people.headers(who), "Accept-Language": header})
        )
        assert amount in page and day in page, (who, page[:2000])
        if header != "en":
            assert "12500.00" not in page and "2026-11-30" not in page
