"""The Finance plugin in each language: its portal page (department, request types,
categories) and its purchase form with field errors, through real requests; the
plugin's own validation message too. Nothing is stored when a form is refused."""

from __future__ import annotations

import pytest

from polydesk.core.tickets.tables import Ticket
from tests.i18n.test_web_i18n import log_in, soup

LANGUAGES = {
    "pl": {
        "lang": "pl",
        "department": "Finanse",
        "portal_text": "Dział finansów nigdy nie zmienia danych bankowych na podstawie e-maila.",
        "purchase": "Wniosek o zakup",
        "category": "Faktury i dostawcy",
        "cost_centre": "Centrum kosztów",
        "vendor_help": "Nowego dostawcę trzeba wprowadzić do systemu przed złożeniem zamówienia.",
        "choice": "Towary i sprzęt",
        "required": "To pole jest wymagane.",
        "currency_error": "Podaj walutę kwoty faktury.",
    },
    "zh-CN": {
        "lang": "zh-Hans",
        "department": "财务",
        "portal_text": "财务部门绝不会因一封邮件而更改银行账户信息。",
        "purchase": "采购申请",
        "category": "发票与供应商",
        "cost_centre": "成本中心",
        "vendor_help": "新供应商必须在下单前完成准入。",
        "choice": "商品与设备",
        "required": "此字段为必填项。",
        "currency_error": "请填写发票金额的币种。",
    },
    "zh-TW": {
        "lang": "zh-Hant",
        "department": "財務",
        "portal_text": "財務部門絕不會因一封電子郵件而變更銀行帳戶資料。",
        "purchase": "採購申請",
        "category": "發票與供應商",
        "cost_centre": "成本中心",
        "vendor_help": "新供應商必須在下單前完成建檔。",
        "choice": "商品與設備",
        "required": "此欄位為必填。",
        "currency_error": "請填寫發票金額的幣別。",
    },
}
ENGLISH = [
    "Purchase request",
    "Invoices and vendors",
    "Finance never changes bank details because of an email.",
]


@pytest.mark.parametrize("header", list(LANGUAGES))
async def test_the_finance_portal_page_in_each_language(client, people, header):
    expected = LANGUAGES[header]
    await log_in(client, people, "ewa")
    response = await client.get("/portal/finance", headers={"Accept-Language": header})
    assert response.status_code == 200
    page = soup(response)
    assert page.html["lang"] == expected["lang"]
    main = page.select_one("main").get_text(" ", strip=True)
    for key in ("department", "portal_text", "purchase", "category"):
        assert expected[key] in main, key
    assert not [text for text in ENGLISH if text in main]


async def test_the_finance_portal_page_in_english_is_unchanged(client, people):
    await log_in(client, people, "ewa")
    page = soup(await client.get("/portal/finance", headers={"Accept-Language": "en"}))
    assert page.html["lang"] == "en"
    main = page.select_one("main").get_text(" ", strip=True)
    assert all(text in main for text in ENGLISH)


@pytest.mark.parametrize("header", list(LANGUAGES))
async def test_a_purchase_request_with_field_errors_in_each_language(client, people, header):
    expected = LANGUAGES[header]
    csrf = await log_in(client, people, "ewa")
    response = await client.post(
        "/portal/finance/new/finance.purchase",
        data={
            "_csrf_token": csrf,
            "title": "Monitors",
            "f_item": "Two monitors",
            "f_purchase_category": "goods",
            "f_amount": "800",
            "f_currency": "PLN",
            "f_cost_centre": "1203",  # not CC-1203
            "f_vendor": "",
            "f_justification": "Two designers start in April.",
        },
        headers={"Accept-Language": header},
    )
    assert response.status_code == 422
    page = soup(response)
    assert page.html["lang"] == expected["lang"]
    assert page.select_one("#f_vendor-error").get_text(strip=True) == expected["required"]
    pattern_error = page.select_one("#f_cost_centre-error").get_text(strip=True)
    assert pattern_error and "expected format" not in pattern_error  # the core's, translated
    labels = [label.get_text(" ", strip=True) for label in page.select("label")]
    assert any(label.startswith(expected["cost_centre"]) for label in labels)
    text = page.get_text(" ", strip=True)
    assert expected["vendor_help"] in text and expected["choice"] in text
    assert "Cost centre" not in text and "Goods and equipment" not in text
    # What was typed is shown again as typed; nothing was stored.
    assert page.select_one("input[name=f_cost_centre]")["value"] == "1203"
    assert await Ticket.count() == 0


@pytest.mark.parametrize("header", list(LANGUAGES))
async def test_finances_own_validation_message_in_each_language(client, people, header):
    """An invoice amount without its currency: refused by the plugin's hook, translated."""
    csrf = await log_in(client, people, "ewa")
    response = await client.post(
        "/portal/finance/new/finance.invoice_query",
        data={
            "_csrf_token": csrf,
            "title": "Invoice 2026/02/17",
            "f_query_type": "payment_status",
            "f_vendor": "Biuro Plus",
            "f_invoice_number": "FV/2026/02/17",
            "f_amount": "1200",
        },
        headers={"Accept-Language": header},
    )
    assert response.status_code == 422
    error = soup(response).select_one("#f_currency-error").get_text(strip=True)
    assert error == LANGUAGES[header]["currency_error"]
    assert await Ticket.count() == 0
