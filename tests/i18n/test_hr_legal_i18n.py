"""HR's and Legal's portal pages, request forms and request pages in Polish and both
Chinese scripts: the plugins' declared strings come from their own catalogs, their
validation errors are translated where they are raised, and the English stays English."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from click.testing import CliRunner

from polydesk.plugins.legal.deadlines import today
from polydesk.web.i18n_catalogs import extract, i18n_group, plugin_domain

PASSWORD = "correct-horse-battery"

#: Accept-Language header -> the `<html lang>` it yields.
LANGS = {"pl": "pl", "zh-CN": "zh-Hans", "zh-TW": "zh-Hant", "en": "en"}


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def text(page: BeautifulSoup, selector: str) -> str:
    found = page.select_one(selector)
    assert found is not None, selector
    return found.get_text(" ", strip=True)


@pytest.fixture
async def requester(client: Any, people: Any) -> dict[str, Any]:
    """`zofia`, logged in (cookie) and with an API token; no manager on record."""
    await people.add("zofia", password=PASSWORD)
    await client.get("/login")
    csrf = client.cookies.get("polydesk_csrf")
    response = await client.post(
        "/login",
        data={"username": "zofia", "password": PASSWORD, "_csrf_token": csrf, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return {"csrf": csrf, "api": await people.headers("zofia")}


# -- portal pages: department name, blurb, categories, request types, knowledge space --

HR_PORTAL = {
    "pl": ("Kadry (HR)", "Wniosek urlopowy", "Urlopy i nieobecności", "Zasady i poradniki HR"),
    "zh-CN": ("人力资源", "申请休假", "休假", "人力资源制度与指南"),
    "zh-TW": ("人力資源", "申請請假", "請假", "人力資源制度與指南"),
    "en": ("HR", "Request leave", "Time off", "HR policies and guides"),
}


@pytest.mark.parametrize("header", list(LANGS))
async def test_hr_portal_page_in_each_language(client, requester, header):
    name, leave, category, space = HR_PORTAL[header]
    page = soup(await client.get("/portal/hr", headers={"Accept-Language": header}))
    assert page.html["lang"] == LANGS[header]
    assert page.h1.get_text(strip=True) == name
    main = page.find("main").get_text(" ", strip=True)
    assert leave in main
    assert category in main
    assert space in main
    if header != "en":
        assert "Request leave" not in main
        assert "Onboard a new hire" not in main


LEGAL_PORTAL = {
    "pl": ("Dział prawny", "Weryfikacja umowy", "Standardowe NDA (tryb szybki)"),
    "zh-CN": ("法务", "合同审核", "标准保密协议（快速通道）"),
    "zh-TW": ("法務", "合約審閱", "標準保密協議（快速通道）"),
    "en": ("Legal", "Contract review", "Standard NDA (fast track)"),
}


@pytest.mark.parametrize("header", list(LANGS))
async def test_legal_portal_page_in_each_language(client, requester, header):
    name, review, nda = LEGAL_PORTAL[header]
    page = soup(await client.get("/portal/legal", headers={"Accept-Language": header}))
    assert page.html["lang"] == LANGS[header]
    assert page.h1.get_text(strip=True) == name
    main = page.find("main").get_text(" ", strip=True)
    assert review in main
    assert nda in main
    if header != "en":
        assert "Never sign anything Legal has not approved" not in main


# -- request forms shown again with the plugin's own error, translated --------------

LEAVE_ERRORS = {
    "pl": ("Rodzaj urlopu", "Urlop wypoczynkowy", "Ostatni dzień urlopu nie może być wcześniejszy"),
    "zh-CN": ("休假类型", "年假", "休假最后一天不能早于第一天。"),
    "zh-TW": ("假別", "特休", "請假最後一天不能早於第一天。"),
    "en": ("Type of leave", "Annual leave", "The last day of leave must be on or after the first"),
}


@pytest.mark.parametrize("header", list(LANGS))
async def test_hr_leave_form_error_in_each_language(client, requester, header):
    label, choice, error = LEAVE_ERRORS[header]
    response = await client.post(
        "/portal/hr/new/hr.leave",
        data={
            "_csrf_token": requester["csrf"],
            "title": "Summer holiday",
            "f_leave_type": "annual",
            "f_start_date": "2030-07-14",
            "f_end_date": "2030-07-01",
        },
        headers={"Accept-Language": header},
    )
    assert response.status_code == 422
    page = soup(response)
    assert page.html["lang"] == LANGS[header]
    assert error in text(page, ".field-error")
    assert text(page, "label[for=f_leave_type]").startswith(label)
    assert text(page, "#f_leave_type option[selected]") == choice
    # nothing was filed
    mine = await client.get("/api/v1/tickets", headers=requester["api"])
    assert mine.json()["items"] == []


ADVICE_ERRORS = {
    "pl": ("Dziedzina prawa", "Ta data już minęła."),
    "zh-CN": ("法律领域", "这个日期已经过去。"),
    "zh-TW": ("法律領域", "這個日期已經過去。"),
    "en": ("Area of law", "This date has passed."),
}


@pytest.mark.parametrize("header", list(LANGS))
async def test_legal_advice_form_error_in_each_language(client, requester, header):
    label, error = ADVICE_ERRORS[header]
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    response = await client.post(
        "/portal/legal/new/legal.advice",
        data={
            "_csrf_token": requester["csrf"],
            "title": "Can we reuse the supplier's photos?",
            "f_area": "ip",
            "f_needed_by": yesterday,
        },
        headers={"Accept-Language": header},
    )
    assert response.status_code == 422
    page = soup(response)
    assert page.html["lang"] == LANGS[header]
    assert text(page, ".field-error") == error
    assert text(page, "label[for=f_area]").startswith(label)
    mine = await client.get("/api/v1/tickets", headers=requester["api"])
    assert mine.json()["items"] == []


# -- request pages: the type, the department, the state and the requester's steps ----

LEAVE_PAGE = {
    "pl": ("Wniosek urlopowy", "Kadry (HR)", "Złożone", "Wycofaj"),
    "zh-CN": ("申请休假", "人力资源", "已提交", "撤回"),
    "zh-TW": ("申請請假", "人力資源", "已提交", "撤回"),
    "en": ("Request leave", "HR", "Submitted", "Withdraw"),
}


async def test_hr_request_page_in_each_language(client, requester):
    filed = await client.post(
        "/api/v1/tickets",
        json={
            "request_type": "hr.leave",
            "title": "Summer holiday",
            "form_data": {
                "leave_type": "annual",
                "start_date": "2030-07-01",
                "end_date": "2030-07-14",
            },
        },
        headers=requester["api"],
    )
    assert filed.status_code == 201, filed.text
    key = filed.json()["key"]
    for header, (rtype, department, state, withdraw) in LEAVE_PAGE.items():
        page = soup(await client.get(f"/requests/{key}", headers={"Accept-Language": header}))
        assert page.html["lang"] == LANGS[header]
        header_line = text(page, ".request-header p.small")
        assert header_line.startswith(f"{rtype} · {department}")
        assert text(page, ".request-header p.small strong") == state
        buttons = [b.get_text(strip=True) for b in page.select("main button, main summary")]
        assert withdraw in buttons
    # the API stays English whatever the language
    api = await client.get(
        f"/api/v1/tickets/{key}", headers={**requester["api"], "Accept-Language": "pl"}
    )
    assert api.json()["state"] == "new"
    assert "Złożone" not in api.text


CONTRACT_PAGE = {
    "pl": ("Weryfikacja umowy", "Dział prawny", "Przyjęcie"),
    "zh-CN": ("合同审核", "法务", "受理"),
    "zh-TW": ("合約審閱", "法務", "受理"),
    "en": ("Contract review", "Legal", "Intake"),
}


async def test_legal_request_page_in_each_language(client, requester):
    deadline = today() + dt.timedelta(days=30)
    filed = await client.post(
        "/api/v1/tickets",
        json={
            "request_type": "legal.contract_review",
            "title": "Acme MSA",
            "form_data": {
                "counterparty": "Acme Sp. z o.o.",
                "contract_type": "msa",
                "value": "120000.50",
                "currency": "EUR",
                "deadline": deadline.isoformat(),
                "business_owner": "zofia",
                "paper": "theirs",
                "document": "uploads/acme-msa-v3.docx",
            },
        },
        headers=requester["api"],
    )
    assert filed.status_code == 201, filed.text
    key = filed.json()["key"]
    for header, (rtype, department, state) in CONTRACT_PAGE.items():
        page = soup(await client.get(f"/requests/{key}", headers={"Accept-Language": header}))
        assert page.html["lang"] == LANGS[header]
        assert text(page, ".request-header p.small").startswith(f"{rtype} · {department}")
        assert text(page, ".request-header p.small strong") == state
        # what the requester typed is shown as typed
        assert "Acme MSA" in text(page, ".request-header h1")


# -- the third-party example plugin's catalog ------------------------------------------

EXAMPLE_PACKAGE = (
    Path(__file__).resolve().parents[2] / "examples/polydesk-facilities/polydesk_facilities"
)


def test_example_plugin_catalog_is_named_by_its_slug_current_and_complete():
    """`all_domains()` covers bundled plugins only, so the example is checked here: the
    runtime loads a department's catalog by its slug, `facilities`, not the folder's name."""
    domain = plugin_domain(EXAMPLE_PACKAGE)
    assert domain.name == "facilities"
    with domain.pot.open("rb") as fp:
        pot = {m.id for m in read_po(fp) if m.id}
    assert {m.id for m in extract(domain) if m.id} == pot
    assert "Report something broken" in pot
    for locale in ("zh_Hans", "zh_Hant", "pl"):
        with domain.po(locale).open("rb") as fp:
            catalog = read_po(fp, locale=locale)
        done = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
        assert done == pot, f"{locale}: untranslated or fuzzy {pot - done}"


def test_plugin_dir_commands_write_catalogs_named_by_the_slug(tmp_path):
    package = tmp_path / "polydesk_facilities"
    shutil.copytree(EXAMPLE_PACKAGE, package, ignore=shutil.ignore_patterns("locale"))
    runner = CliRunner()
    first = runner.invoke(i18n_group, ["extract", "--plugin-dir", str(package), "-d", "facilities"])
    assert first.exit_code == 0, first.output
    assert (package / "locale" / "facilities.pot").exists()
    # afterwards the .pot names the domain: no -d needed
    update = runner.invoke(i18n_group, ["update", "--plugin-dir", str(package)])
    assert update.exit_code == 0, update.output
    for locale in ("zh_Hans", "zh_Hant", "pl"):
        assert (package / "locale" / locale / "LC_MESSAGES" / "facilities.po").exists()
    assert not list(package.glob("locale/*/LC_MESSAGES/polydesk_facilities.po"))
    two = runner.invoke(i18n_group, ["extract", "--plugin-dir", str(package), "-d", "a", "-d", "b"])
    assert two.exit_code != 0
    assert "one --domain" in two.output
