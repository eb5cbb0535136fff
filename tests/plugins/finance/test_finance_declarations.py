"""What the Finance plugin declares: catalog, forms, workflows, SLAs, queues, articles."""

from __future__ import annotations

import pytest

from polydesk.core import Priority, ValidationFailed
from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.registry import build_registry
from polydesk.plugins.finance import hooks as finance_hooks

PURCHASE = {
    "item": "Two 27-inch monitors for the design team",
    "purchase_category": "goods",
    "amount": "3198.00",
    "currency": "PLN",
    "cost_centre": "CC-1203",
    "vendor": "Biuro Plus Sp. z o.o.",
    "justification": "Two new designers start in April.",
}

VENDOR = {
    "vendor_name": "Nordwind GmbH",
    "tax_id": "DE123456789",
    "registered_address": "Hafenstraße 1, 20457 Hamburg, Germany",
    "contact_email": "accounts@nordwind.example",
    "bank_account_holder": "Nordwind GmbH",
    "bank_name": "Hamburger Sparkasse",
    "iban": "DE89 3704 0044 0532 0130 00",
    "swift_bic": "HASPDEHHXXX",
    "bank_confirmation": "uploads/nordwind-bank-letter.pdf",
    "payment_terms": "30",
}


@pytest.fixture(scope="module")
def pm():
    return create_plugin_manager()


@pytest.fixture(scope="module")
def registry(pm):
    return build_registry(pm)


def refused(form, data: dict) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as info:
        form.validate(data)
    return info.value.fields


def reachable(workflow) -> set[str]:
    seen, todo = {workflow.initial_state}, [workflow.initial_state]
    while todo:
        state = todo.pop()
        for t in workflow.transitions:
            if (state in t.from_states or "*" in t.from_states) and t.to_state not in seen:
                seen.add(t.to_state)
                todo.append(t.to_state)
    return seen


# -- Department and catalog ---------------------------------------------------


def test_hook_polydesk_register_departments(registry):
    finance = registry.departments["finance"]
    assert (finance.name, finance.key_prefix, finance.package) == (
        "Finance",
        "FIN",
        "polydesk.plugins.finance",
    )
    assert registry.department_plugin["finance"] == "finance"


def test_finance_builds_a_registry_on_its_own():
    pm = create_plugin_manager(load_entry_points=False, extra_plugins=[(finance_hooks, "finance")])
    assert list(build_registry(pm).departments) == ["finance"]


def test_hook_polydesk_register_request_types(registry):
    assert {rt.key for rt in registry.request_types_of("finance")} == {
        "finance.purchase",
        "finance.expense",
        "finance.invoice_query",
        "finance.vendor_onboarding",
        "finance.payroll_setup",
    }
    assert not [rt.key for rt in registry.request_types_of("finance") if rt.confidential_team]


def test_purchase_form_normalises_the_amount(registry):
    form = registry.request_types["finance.purchase"].form
    assert form.validate({**PURCHASE, "amount": "3198"})["amount"] == "3198.00"


def test_purchase_form_refuses_zero_amounts_and_bad_cost_centres(registry):
    form = registry.request_types["finance.purchase"].form
    errors = refused(form, {**PURCHASE, "amount": "0", "cost_centre": "CC-12"})
    assert errors == {
        "amount": "Must be at least 0.01.",
        "cost_centre": "This value does not have the expected format.",
    }
    assert refused(form, {**PURCHASE, "justification": "  "}) == {
        "justification": "This field is required."
    }


def test_expense_needs_receipts_and_entertainment_needs_attendees(registry):
    form = registry.request_types["finance.expense"].form
    claim = {
        "expense_date": "2026-02-10",
        "expense_category": "client_entertainment",
        "amount": "412.50",
        "currency": "PLN",
        "business_purpose": "Dinner after the Acme contract signing.",
    }
    assert refused(form, claim) == {
        "receipts": "This field is required.",
        "attendees": "This field is required.",
    }
    taxi = {**claim, "expense_category": "travel", "receipts": "uploads/taxi.pdf"}
    assert "attendees" not in form.validate({**taxi, "attendees": "Nobody"})


def test_invoice_query_names_vendor_and_invoice(registry):
    form = registry.request_types["finance.invoice_query"].form
    assert refused(form, {"query_type": "payment_status", "po_number": "12345"}) == {
        "vendor": "This field is required.",
        "invoice_number": "This field is required.",
        "po_number": "This value does not have the expected format.",
    }
    assert form.validate(
        {
            "query_type": "payment_status",
            "vendor": "Biuro Plus",
            "invoice_number": "FV/2026/02/117",
            "po_number": "PO-204518",
        }
    )


def test_vendor_onboarding_checks_bank_details(registry):
    form = registry.request_types["finance.vendor_onboarding"].form
    assert form.validate(VENDOR)["iban"] == VENDOR["iban"]
    assert form.validate({**VENDOR, "tax_id": "123-456-32-18"})
    errors = refused(form, {**VENDOR, "iban": "12345", "swift_bic": "hasp"})
    assert set(errors) == {"iban", "swift_bic"}
    without_letter = {k: v for k, v in VENDOR.items() if k != "bank_confirmation"}
    assert refused(form, without_letter) == {"bank_confirmation": "This field is required."}


# -- Workflows -------------------------------------------------------------------


def test_hook_polydesk_register_workflows(registry):
    for rt in registry.request_types_of("finance"):
        workflow = registry.workflows[rt.workflow]
        assert reachable(workflow) == {s.key for s in workflow.states}, workflow.key


def test_nothing_is_ordered_before_approval(registry):
    purchase = registry.workflows[registry.request_types["finance.purchase"].workflow]
    assert purchase.state("pending_approval").category == "waiting"
    approve = purchase.transition("approve")
    assert (approve.from_states, approve.guards) == (("pending_approval",), ("approvals_granted",))
    assert [t.key for t in purchase.transitions if t.to_state == "approved"] == ["approve"]
    assert purchase.transition("place_order").from_states == ("approved",)


def test_vendor_is_created_only_after_verification_and_approval(registry):
    vendor = registry.workflows[registry.request_types["finance.vendor_onboarding"].workflow]
    verify = vendor.transition("verify")
    assert [f.key for f in verify.fields] == ["bank_verification"]
    assert verify.to_state == "pending_approval"
    assert vendor.transition("approve").guards == ("approvals_granted",)


def test_expense_payment_records_amount_and_reference(registry):
    pay = registry.workflows["finance.expense"].transition("pay")
    assert {f.key for f in pay.fields if f.required} == {"amount_paid", "payment_reference"}
    assert "requester" in registry.workflows["finance.expense"].transition("reply").roles


# -- SLA, knowledge, queues ---------------------------------------------------------


def test_hook_polydesk_register_sla_policies(registry):
    for rt in registry.request_types_of("finance"):
        policy = registry.sla_policies[rt.sla_policy]
        assert policy.calendar.timezone == "Europe/Warsaw"
        assert policy.calendar.holidays_country == "PL"
        assert "waiting" in policy.pause_categories
        assert set(policy.targets) == {p.value for p in Priority}, rt.key


def test_hook_polydesk_register_knowledge_spaces(registry):
    space = registry.knowledge_spaces["finance"]
    articles = sorted(space.seed_dir.glob("*.md"))
    assert len(articles) == 5
    for article in articles:
        head = article.read_text(encoding="utf-8").split("---\n")
        assert head[0] == "", article.name
        assert "title: " in head[1] and "tags: [" in head[1], article.name
    assert {"expense-policy", "purchase-thresholds"} <= {a.stem for a in articles}


def test_hook_polydesk_register_queues(registry):
    queues = {q.key: q for q in registry.queues_of("finance")}
    assert queues["finance.purchases_awaiting_approval"].filters == {
        "request_type": ["finance.purchase"],
        "state_category": ["waiting"],
    }
    assert queues["finance.my_work"].filters["assignee"] == "me"
    for queue in queues.values():
        for key in queue.filters.get("request_type", []):
            assert key in registry.request_types, (queue.key, key)
