"""What plugins store as plain data that everybody reads alike (the titles, descriptions
and form values of the tasks HR opens for a joiner or a leaver, the rejection reason an
approver's refusal fills in) is written in the organisation's language
(`POLYDESK_DEFAULT_LOCALE`), as a person of that organisation would have written it;
with the default English, it is as it always was."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from polydesk.core import Desk, TicketCreated, i18n
from polydesk.core.people.services import set_manager
from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.registry import build_registry
from polydesk.plugins.hr import hooks as hr_hooks
from polydesk.plugins.hr.lifecycle import onboarding_tasks
from tests.plugins.finance.conftest import PURCHASE
from tests.plugins.hr.conftest import OFFBOARDING, ONBOARDING, Personnel
from tests.plugins.it.conftest import ACCESS

LEAVE = {"leave_type": "annual", "start_date": "2026-07-13", "end_date": "2026-07-24"}

#: (request type, title) of each task an onboarding of ONBOARDING opens, by organisation language.
ONBOARDING_TASKS = {
    "en": [
        ("it.hardware", "Laptop and headset for Zofia Nowak"),
        ("it.access", "Accounts for Zofia Nowak"),
        ("finance.payroll_setup", "Payroll set-up for Zofia Nowak"),
        ("hr.task", "Employment contract for Zofia Nowak"),
        ("hr.task", "Office badge for Zofia Nowak"),
        ("hr.task", "Induction for Zofia Nowak on 2026-04-01"),
    ],
    "pl": [
        ("it.hardware", "Laptop i zestaw słuchawkowy: Zofia Nowak"),
        ("it.access", "Konta: Zofia Nowak"),
        ("finance.payroll_setup", "Założenie kartoteki płacowej: Zofia Nowak"),
        ("hr.task", "Umowa o pracę: Zofia Nowak"),
        ("hr.task", "Identyfikator biurowy: Zofia Nowak"),
        ("hr.task", "Szkolenie wprowadzające: Zofia Nowak, 2026-04-01"),
    ],
    "zh_Hans": [
        ("it.hardware", "Zofia Nowak 的笔记本电脑和耳机"),
        ("it.access", "Zofia Nowak 的账号"),
        ("finance.payroll_setup", "Zofia Nowak 的薪资设置"),
        ("hr.task", "Zofia Nowak 的劳动合同"),
        ("hr.task", "Zofia Nowak 的办公室工牌"),
        ("hr.task", "Zofia Nowak 的入职培训（2026-04-01）"),
    ],
}

#: The laptop task's description and delivery place, and the accounts' system detail.
ONBOARDING_DETAILS = {
    "en": (
        "Zofia Nowak starts on 2026-04-01 as Payroll specialist (Employment contract), "
        "reporting to maria, in Kraków office. Ready on the first day: laptop and headset.",
        "Kraków office, ready on 2026-04-01",
        "Company login and email for Zofia Nowak. ERP payroll module (write)",
    ),
    "pl": (
        "Zofia Nowak zaczyna pracę 2026-04-01 na stanowisku Payroll specialist (Umowa o pracę), "
        "przełożony: maria, miejsce pracy: Biuro w Krakowie. "
        "Gotowe na pierwszy dzień: laptop i zestaw słuchawkowy.",
        "Biuro w Krakowie, gotowe na 2026-04-01",
        "Firmowe konto i poczta e-mail: Zofia Nowak. ERP payroll module (write)",
    ),
    "zh_Hans": (
        "Zofia Nowak 将于 2026-04-01 入职，担任 Payroll specialist（劳动合同），"
        "向 maria 汇报，工作地点：克拉科夫办公室。入职首日准备好：笔记本电脑和耳机。",
        "克拉科夫办公室，2026-04-01 前准备好",
        "Zofia Nowak 的公司账号和邮箱。ERP payroll module (write)",
    ),
}

#: English words of the planners that must not be left in another language's tasks.
ENGLISH = ("starts on", "reporting to", "Ready on", " for Zofia", "Signed before", "Systems")


@pytest.fixture(scope="module", autouse=True)
def plugin_catalogs() -> None:
    i18n.register_department_catalogs(build_registry(create_plugin_manager()))
    i18n.clear_cache()


@pytest.fixture
async def desk(runtime: Any, people: Any) -> Personnel:
    """maria manages alice and bob (she approves their requests); HR has a lead."""
    await people.add("maria")
    await people.add("hr.lead", roles={"hr": "lead"})
    for employee in ("alice", "bob"):
        await set_manager(people.ids[employee], people.ids["maria"])
    return Personnel(runtime, people)


def organisation_speaks(runtime: Any, locale: str) -> None:
    runtime.settings = dataclasses.replace(runtime.settings, default_locale=locale)


def shape(children: list[Any]) -> list[tuple[str, str]]:
    return [(child.request_type, child.title) for child in children]


@pytest.mark.parametrize("locale", ["pl", "zh_Hans", "en"])
async def test_an_onboarding_opens_its_tasks_in_the_organisations_language(
    runtime, client, people, desk, locale
):
    organisation_speaks(runtime, locale)
    onboarding = await desk.file("maria", "hr.onboarding", ONBOARDING, title="Zofia Nowak joins")
    await desk.deliver()

    children = await desk.children(onboarding.id)
    assert shape(children) == ONBOARDING_TASKS[locale]
    laptop, accounts = children[:2]
    description, delivery, system_detail = ONBOARDING_DETAILS[locale]
    assert laptop.description == description
    assert laptop.form_data["delivery_location"] == delivery
    assert accounts.form_data["system_detail"] == system_detail
    if locale != "en":
        for child in children:
            texts = [child.title, child.description, *map(str, child.form_data.values())]
            leftovers = [word for word in ENGLISH for text in texts if word in text]
            assert not leftovers, (child.title, leftovers)
    # Data, not a message: someone reading in English sees the organisation's titles.
    listed = await client.get(
        f"/api/v1/tickets/{onboarding.key}/children",
        headers={**await people.headers("maria"), "Accept-Language": "en"},
    )
    assert [c["title"] for c in listed.json()] == [title for _, title in ONBOARDING_TASKS[locale]]


async def test_a_redelivered_onboarding_opens_nothing_twice_in_polish(runtime, desk):
    organisation_speaks(runtime, "pl")
    onboarding = await desk.file("hr.agent", "hr.onboarding", ONBOARDING)
    await desk.deliver()
    before = shape(await desk.children(onboarding.id))
    assert before == ONBOARDING_TASKS["pl"]
    event = TicketCreated(
        ticket_id=onboarding.id,
        ticket_key=onboarding.key,
        department="hr",
        request_type="hr.onboarding",
        requester="hr.agent",
    )
    await hr_hooks.polydesk_on_event(event=event, desk=Desk(await runtime.snapshot()))
    assert shape(await desk.children(onboarding.id)) == before
    assert sum(note.startswith("Opened") for note in await desk.notes(onboarding.id)) == 1


@pytest.mark.parametrize(
    ("locale", "title"),
    [
        ("en", "Laptop, monitor and headset for Zofia Nowak"),
        ("pl", "Laptop, monitor i zestaw słuchawkowy: Zofia Nowak"),
        ("zh_Hans", "Zofia Nowak 的笔记本电脑、显示器和耳机"),
    ],
)
def test_the_planner_lists_equipment_the_way_the_language_does(locale, title):
    def write(message: i18n.Message) -> str:
        with i18n.use_locale(locale):
            return message.render()

    form = {**ONBOARDING, "equipment": ["laptop", "monitor", "headset"]}
    assert onboarding_tasks(form, write)[0].title == title
    # Without a writer, the planner writes English.
    assert onboarding_tasks(form)[0].title == "Laptop, monitor and headset for Zofia Nowak"


OFFBOARDING_TASKS = {
    "pl": [
        ("it.access_removal", "Odebranie dostępów na koniec dnia: bob (ostatni dzień 2026-06-30)"),
        ("hr.task", "Ostatnie wynagrodzenie i dokumenty dla odchodzącego: bob"),
        ("hr.task", "Odbiór identyfikatora biurowego: bob"),
        ("hr.task", "Rozmowa na zakończenie współpracy: bob"),
    ],
    "zh_Hant": [
        ("it.access_removal", "下班時移除 bob 的存取權限（最後工作日 2026-06-30）"),
        ("hr.task", "bob 的最後一期薪資與離職文件"),
        ("hr.task", "收回 bob 的辦公室識別證"),
        ("hr.task", "與 bob 進行離職面談"),
    ],
}
OFFBOARDING_INTRO = {
    "pl": "bob odchodzi z firmy; ostatni dzień pracy: 2026-06-30 (rezygnacja pracownika).",
    "zh_Hant": "bob 即將離職；最後工作日 2026-06-30（自請離職）。",
}


@pytest.mark.parametrize("locale", ["pl", "zh_Hant"])
async def test_an_offboarding_opens_its_tasks_in_the_organisations_language(runtime, desk, locale):
    organisation_speaks(runtime, locale)
    offboarding = await desk.file("hr.agent", "hr.offboarding", OFFBOARDING)
    await desk.deliver()
    children = await desk.children(offboarding.id)
    assert shape(children) == OFFBOARDING_TASKS[locale]
    removal, final_pay = children[:2]
    assert removal.description.startswith(OFFBOARDING_INTRO[locale])
    assert removal.form_data["equipment_return"] == OFFBOARDING["equipment_return"]  # as typed
    assert final_pay.form_data["details"] == final_pay.description
    assert "świadectwo pracy" in final_pay.description


REJECTED = {
    "pl": (
        "Odrzucone przez maria w kroku zatwierdzenia 1.",
        "Niezatwierdzone przez maria (krok zatwierdzenia 1).",
        "Wniosek nie został zatwierdzony przez maria.",
    ),
    "zh_Hans": ("在第 1 步审批中被 maria 拒绝。", "maria 未批准（审批步骤 1）。", "maria 未批准。"),
    "en": (
        "Rejected by maria at approval step 1.",
        "Not approved by maria (approval step 1).",
        "Not approved by maria.",
    ),
}


@pytest.mark.parametrize("locale", ["pl", "zh_Hans", "en"])
async def test_a_refusal_writes_the_rejection_reason_in_the_organisations_language(
    runtime, desk, locale
):
    organisation_speaks(runtime, locale)
    purchase = await desk.file("alice", "finance.purchase", PURCHASE)
    access = await desk.file("alice", "it.access", ACCESS)
    leave = await desk.file("bob", "hr.leave", LEAVE)
    await desk.deliver()
    for ticket in (purchase, access, leave):
        await desk.decide("maria", ticket.id, approve=False)
    reasons = []
    for ticket in (purchase, access, leave):
        rejected = await desk.get(ticket.id)
        assert rejected.state == "rejected", ticket.request_type
        reasons.append(rejected.form_data["rejection_reason"])
    assert tuple(reasons) == REJECTED[locale]
