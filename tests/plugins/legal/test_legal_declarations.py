"""What the Legal plugin declares: catalog, forms, workflows, SLAs, queues, articles."""

from __future__ import annotations

import pytest

from polydesk.core import Priority, ValidationFailed
from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.registry import build_registry
from polydesk.plugins.legal import hooks as legal_hooks

CONTRACT = {
    "counterparty": "Acme Sp. z o.o.",
    "contract_type": "msa",
    "value": "120000.50",
    "currency": "EUR",
    "deadline": "2026-05-15",
    "business_owner": "kasia",
    "paper": "theirs",
    "document": "uploads/acme-msa-v3.docx",
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
    legal = registry.departments["legal"]
    assert (legal.name, legal.key_prefix, legal.package) == (
        "Legal",
        "LEG",
        "polydesk.plugins.legal",
    )
    assert registry.department_plugin["legal"] == "legal"


def test_legal_builds_a_registry_on_its_own():
    pm = create_plugin_manager(load_entry_points=False, extra_plugins=[(legal_hooks, "legal")])
    assert list(build_registry(pm).departments) == ["legal"]


def test_hook_polydesk_register_request_types(registry):
    assert {rt.key for rt in registry.request_types_of("legal")} == {
        "legal.contract_review",
        "legal.nda",
        "legal.advice",
        "legal.privileged_matter",
    }


def test_privileged_matters_are_confidential_to_the_privileged_team(registry):
    confidential = {
        rt.key: rt.confidential_team
        for rt in registry.request_types_of("legal")
        if rt.confidential_team
    }
    assert confidential == {"legal.privileged_matter": "privileged"}


def test_contract_review_form_accepts_a_complete_request(registry):
    form = registry.request_types["legal.contract_review"].form
    assert form.validate(CONTRACT) == CONTRACT
    assert [v for v, _ in form.field("contract_type").choices] == [
        "nda",
        "msa",
        "sow",
        "dpa",
        "other",
    ]


def test_contract_review_needs_the_document_and_a_sane_value(registry):
    form = registry.request_types["legal.contract_review"].form
    data = {**CONTRACT, "value": "-5", "currency": "BTC"}
    del data["document"]
    assert refused(form, data) == {
        "document": "This field is required.",
        "value": "Must be at least 0.",
        "currency": "Choose one of: EUR, GBP, PLN, USD.",
    }
    assert refused(form, {**CONTRACT, "value": "10.005"}) == {
        "value": "At most two decimal places."
    }


def test_other_contract_types_must_be_named(registry):
    form = registry.request_types["legal.contract_review"].form
    assert refused(form, {**CONTRACT, "contract_type": "other"}) == {
        "contract_type_other": "This field is required."
    }
    lease = form.validate({**CONTRACT, "contract_type": "other", "contract_type_other": "Lease"})
    assert lease["contract_type_other"] == "Lease"


def test_nda_fast_track_wants_a_signatory_email(registry):
    form = registry.request_types["legal.nda"].form
    data = {
        "counterparty": "Nordwind GmbH",
        "counterparty_address": "Hafenstraße 1, 20457 Hamburg, Germany",
        "direction": "mutual",
        "purpose": "Evaluating a joint offer for a logistics tender.",
        "business_owner": "piotr",
        "signatory_name": "Jana Weber",
        "signatory_email": "jana.weber at nordwind",
    }
    assert refused(form, data) == {
        "signatory_email": "Enter an email address such as name@example.org."
    }
    assert form.validate({**data, "signatory_email": "jana.weber@nordwind.example"})
    # The checkbox that takes it off the fast track defaults to unticked.
    valid = form.validate({**data, "signatory_email": "jana.weber@nordwind.example"})
    assert valid["template_changed"] is False


def test_privileged_matter_legal_hold_defaults_to_off(registry):
    form = registry.request_types["legal.privileged_matter"].form
    assert form.validate({"matter_type": "regulator"}) == {
        "matter_type": "regulator",
        "preserve_documents": False,
    }


# -- Workflows -------------------------------------------------------------------


def test_hook_polydesk_register_workflows(registry):
    for rt in registry.request_types_of("legal"):
        workflow = registry.workflows[rt.workflow]
        assert reachable(workflow) == {s.key for s in workflow.states}, workflow.key


def test_contract_moves_through_the_review_stages(registry):
    contract = registry.workflows[registry.request_types["legal.contract_review"].workflow]
    assert contract.initial_state == "intake"
    path = ["triage", "start_review", "send_to_counterparty", "approve", "sign"]
    state = contract.initial_state
    for key in path:
        t = contract.transition(key)
        assert state in t.from_states, (key, state)
        state = t.to_state
    assert state == "signed"
    assert contract.state("negotiation").category == "waiting"  # clock stops
    assert contract.state("approved").category == "resolved"
    assert contract.transition("reject").to_state == "rejected"


def test_signing_records_the_signed_copy(registry):
    sign = registry.workflows["legal.contract"].transition("sign")
    assert {f.key: f.type for f in sign.fields if f.required} == {
        "signed_copy": "file",
        "signed_on": "date",
    }
    assert "requester" in sign.roles


def test_nda_fast_track_goes_straight_out_for_signature(registry):
    nda = registry.workflows[registry.request_types["legal.nda"].workflow]
    send = nda.transition("send_for_signature")
    assert nda.initial_state in send.from_states
    assert nda.state(send.to_state).category == "resolved"
    assert nda.transition("sign").to_state == "signed"
    assert send.guards == ("legal.template_unchanged",)
    clear = nda.transition("clear_changes")
    assert (clear.from_states, clear.to_state, clear.guards) == (
        ("lawyer_review",),
        "sent_for_signature",
        ("legal.lawyer",),
    )


def test_the_mark_up_sent_to_the_counterparty_is_the_redline(registry):
    send = registry.workflows["legal.contract"].transition("send_to_counterparty")
    assert [(f.key, f.type, f.required) for f in send.fields] == [("redline", "file", True)]


def test_only_leads_conclude_privileged_matters(registry):
    matter = registry.workflows[registry.request_types["legal.privileged_matter"].workflow]
    assert matter.transition("conclude").roles == ("lead", "admin")


# -- SLA, knowledge, queues ---------------------------------------------------------


def test_hook_polydesk_register_sla_policies(registry):
    for rt in registry.request_types_of("legal"):
        policy = registry.sla_policies[rt.sla_policy]
        assert policy.calendar.timezone == "Europe/Warsaw"
        assert policy.calendar.holidays_country == "PL"
        assert set(policy.targets) == {p.value for p in Priority}, rt.key
    assert registry.sla_policies["legal.nda"].targets[Priority.P3].resolution == 480


def test_hook_polydesk_register_knowledge_spaces(registry):
    space = registry.knowledge_spaces["legal"]
    articles = sorted(space.seed_dir.glob("*.md"))
    assert len(articles) == 5
    for article in articles:
        head = article.read_text(encoding="utf-8").split("---\n")
        assert head[0] == "", article.name
        assert "title: " in head[1] and "tags: [" in head[1], article.name
    assert {"nda-guide", "contract-review-checklist"} <= {a.stem for a in articles}


def test_hook_polydesk_register_queues(registry):
    queues = {q.key: q for q in registry.queues_of("legal")}
    assert queues["legal.contract_intake"].filters == {
        "request_type": ["legal.contract_review", "legal.nda"],
        "state_category": ["new"],
    }
    assert queues["legal.privileged_matters"].filters["confidential"] is True
    assert queues["legal.my_work"].filters["assignee"] == "me"
    for queue in queues.values():
        for key in queue.filters.get("request_type", []):
            assert key in registry.request_types, (queue.key, key)
