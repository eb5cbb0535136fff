"""What the IT plugin declares: catalog, forms, workflows, priorities, SLAs, queues, articles."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from polydesk.core import Priority, TicketDraft, ValidationFailed
from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.registry import build_registry
from polydesk.plugins.it import hooks as it_hooks
from polydesk.plugins.it.priority import MATRIX, incident_priority

INCIDENT = {
    "affected_service": "vpn",
    "category": "network",
    "impact": "medium",
    "urgency": "high",
}


@pytest.fixture(scope="module")
def pm():
    return create_plugin_manager()


@pytest.fixture(scope="module")
def registry(pm):
    return build_registry(pm)


def draft(registry, key: str, form_data: dict) -> TicketDraft:
    return TicketDraft(
        department="it",
        request_type=registry.request_types[key],
        title="VPN drops every few minutes",
        description="Since this morning.",
        form_data=form_data,
        requester="anna",
    )


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
    it = registry.departments["it"]
    assert (it.name, it.key_prefix, it.package) == ("IT", "IT", "polydesk.plugins.it")
    assert registry.department_plugin["it"] == "it"


def test_it_builds_a_registry_on_its_own():
    pm = create_plugin_manager(load_entry_points=False, extra_plugins=[(it_hooks, "it")])
    assert list(build_registry(pm).departments) == ["it"]


def test_hook_polydesk_register_request_types(registry):
    keys = {rt.key for rt in registry.request_types_of("it")}
    assert keys == {
        "it.incident",
        "it.software",
        "it.hardware",
        "it.access",
        "it.password_reset",
        "it.access_removal",
        "it.change",
        "it.problem",
    }
    for rt in registry.request_types_of("it"):
        assert rt.knowledge_space == "it"
        assert rt.confidential_team is None


def test_incident_form_accepts_a_complete_report(registry):
    form = registry.request_types["it.incident"].form
    assert form.validate({**INCIDENT, "error_message": " Error 809 "}) == {
        **INCIDENT,
        "error_message": "Error 809",
    }


def test_incident_form_names_each_missing_or_wrong_field(registry):
    form = registry.request_types["it.incident"].form
    errors = refused(form, {"affected_service": "fax", "category": "network", "urgency": "now"})
    assert errors["impact"] == "This field is required."
    assert errors["affected_service"].startswith("Choose one of:")
    assert errors["urgency"].startswith("Choose one of:")
    assert "category" not in errors


def test_asset_tag_is_asked_for_hardware_only(registry):
    form = registry.request_types["it.incident"].form
    hardware = form.validate({**INCIDENT, "category": "hardware", "asset_tag": "LT-01234"})
    assert hardware["asset_tag"] == "LT-01234"
    assert "asset_tag" not in form.validate({**INCIDENT, "asset_tag": "LT-01234"})


def test_software_other_must_be_named(registry):
    form = registry.request_types["it.software"].form
    data = {"software": "other", "business_justification": "Diagrams for the audit."}
    assert refused(form, data) == {"software_other": "This field is required."}
    assert form.validate({**data, "software_other": "Lucidchart Team"})["software_other"]


def test_replacing_hardware_needs_the_old_asset_tag(registry):
    form = registry.request_types["it.hardware"].form
    data = {
        "item": "laptop",
        "reason": "replacement",
        "delivery_location": "Warsaw office, desk 4.12",
        "business_justification": "The screen is cracked.",
    }
    assert refused(form, data) == {"replaced_asset_tag": "This field is required."}
    assert form.validate({**data, "replaced_asset_tag": "LT-00042"})


def test_access_request_needs_a_justification(registry):
    form = registry.request_types["it.access"].form
    errors = refused(form, {"system": "crm", "access_level": "read"})
    assert errors == {"business_justification": "This field is required."}


def test_password_reset_wants_a_callback_number(registry):
    form = registry.request_types["it.password_reset"].form
    data = {"account": "company_login", "problem": "locked"}
    assert refused(form, {**data, "callback_phone": "call me"}) == {
        "callback_phone": "This value does not have the expected format."
    }
    assert form.validate({**data, "callback_phone": "+48 601 234 567"})


def test_change_form_asks_emergency_changes_for_their_incident(registry):
    form = registry.request_types["it.change"].form
    data = {
        "change_type": "emergency",
        "affected_service": "email",
        "risk": "high",
        "window_start": "2026-03-02",
        "window_end": "2026-03-02",
        "implementation_plan": "Renew the expired certificate on the mail gateway.",
        "rollback_plan": "Restore the previous certificate (5 minutes).",
    }
    assert refused(form, data) == {"emergency_incident": "This field is required."}
    assert form.validate({**data, "emergency_incident": "IT-1042"})
    assert "emergency_incident" not in form.validate({**data, "change_type": "normal"})


def test_hook_polydesk_validate_request(pm, registry):
    change = registry.request_types["it.change"]
    backwards = {"window_start": "2026-03-02", "window_end": "2026-03-01"}
    assert pm.hook.polydesk_validate_request(
        request_type=change, form_data=backwards, actor=None
    ) == [{"window_end": "The implementation window must end on or after its start."}]
    same_day = {"window_start": "2026-03-02", "window_end": "2026-03-02"}
    assert (
        pm.hook.polydesk_validate_request(request_type=change, form_data=same_day, actor=None) == []
    )


# -- Priority -------------------------------------------------------------------


def test_hook_polydesk_priority(pm, registry):
    high = draft(registry, "it.incident", {**INCIDENT, "impact": "high", "urgency": "high"})
    low = draft(registry, "it.incident", {**INCIDENT, "impact": "low", "urgency": "low"})
    assert pm.hook.polydesk_priority(draft=high) is Priority.P1
    assert pm.hook.polydesk_priority(draft=low) is Priority.P4
    assert it_hooks.polydesk_priority(draft=draft(registry, "it.hardware", {})) is None


def test_service_requests_keep_their_default_priority(pm, registry):
    reset = draft(registry, "it.password_reset", {"impact": "high", "urgency": "high"})
    assert pm.hook.polydesk_priority(draft=reset) is Priority.P2


@pytest.mark.parametrize(
    ("impact", "urgency", "expected"),
    [
        ("high", "high", Priority.P1),
        ("high", "medium", Priority.P2),
        ("medium", "high", Priority.P2),
        ("medium", "medium", Priority.P3),
        ("low", "high", Priority.P3),
        ("high", "low", Priority.P3),
        ("medium", "low", Priority.P4),
        ("low", "medium", Priority.P4),
        ("low", "low", Priority.P4),
    ],
)
def test_priority_matrix(impact, urgency, expected):
    assert incident_priority(impact, urgency) is expected


def test_priority_matrix_covers_every_form_choice(registry):
    form = registry.request_types["it.incident"].form
    impacts = [value for value, _ in form.field("impact").choices]
    urgencies = [value for value, _ in form.field("urgency").choices]
    assert set(MATRIX) == {(i, u) for i in impacts for u in urgencies}
    assert incident_priority(None, "high") is None


# -- Workflows -------------------------------------------------------------------


def test_hook_polydesk_register_workflows(registry):
    for rt in registry.request_types_of("it"):
        workflow = registry.workflows[rt.workflow]
        assert reachable(workflow) == {s.key for s in workflow.states}, workflow.key


def test_incident_resolution_needs_a_code_and_a_note(registry):
    incident = registry.workflows["it.incident"]
    assert [s.key for s in incident.states] == [
        "new",
        "in_progress",
        "waiting_for_requester",
        "major_incident",
        "resolved",
        "closed",
        "cancelled",
    ]
    resolve = incident.transition("resolve")
    assert "major_incident" in resolve.from_states
    assert resolve.to_state == "resolved"
    assert "requester" not in resolve.roles
    fields = {f.key: f for f in resolve.fields}
    assert fields["resolution_code"].type == "select"
    assert fields["resolution_note"].type == "textarea"
    assert fields["resolution_note"].required


def test_requester_can_reopen_confirm_and_cancel_an_incident(registry):
    incident = registry.workflows["it.incident"]
    reopen, close, cancel = (incident.transition(k) for k in ("reopen", "close", "cancel"))
    assert (reopen.from_states, reopen.to_state) == (("resolved",), "in_progress")
    assert (close.from_states, close.to_state) == (("resolved",), "closed")
    assert (cancel.from_states, cancel.to_state) == (("new",), "cancelled")
    assert all("requester" in t.roles for t in (reopen, close, cancel))
    waiting = incident.state("waiting_for_requester")
    assert waiting.category == "waiting"  # pauses the SLA clock


def test_access_is_granted_only_after_approval(registry):
    access = registry.workflows[registry.request_types["it.access"].workflow]
    approve = access.transition("approve")
    assert approve.from_states == ("pending_approval",)
    assert approve.guards == ("approvals_granted",)
    granting = [t for t in access.transitions if t.to_state in ("in_progress", "fulfilled")]
    assert not [t.key for t in granting if "new" in t.from_states]


def test_password_reset_is_one_step_after_an_identity_check(registry):
    fast = registry.workflows[registry.request_types["it.password_reset"].workflow]
    complete = fast.transition("complete")
    assert "new" in complete.from_states
    assert fast.state(complete.to_state).category == "resolved"
    assert [f.key for f in complete.fields] == ["identity_check"]


def test_normal_changes_wait_for_approval(registry):
    change = registry.workflows["it.change"]
    assert change.state("awaiting_approval").category == "waiting"
    assert change.transition("approve").guards == ("approvals_granted",)
    into_scheduled = [t for t in change.transitions if t.to_state == "scheduled"]
    assert all(t.guards for t in into_scheduled)


def test_only_emergency_changes_are_implemented_before_approval(registry):
    change = registry.workflows["it.change"]
    emergency = change.transition("implement_emergency")
    assert emergency.to_state == "implementing"
    assert emergency.guards == ("it.emergency_change",)
    into_implementing = [t for t in change.transitions if t.to_state == "implementing"]
    assert {t.key for t in into_implementing} == {"implement", "implement_emergency"}
    assert change.transition("close").guards == ("it.not_emergency_change",)
    assert change.transition("close_emergency").guards == (
        "it.emergency_change",
        "approvals_granted",
    )


def test_resolved_requests_close_after_five_quiet_days(registry):
    for key in ("it.incident", "it.software", "it.access", "it.password_reset"):
        workflow = registry.workflows[registry.request_types[key].workflow]
        close = workflow.transition("close")
        assert close.auto_after_days == 5, key
        assert all(workflow.state(s).category == "resolved" for s in close.from_states)


def test_a_major_incident_is_an_open_state_agents_promote_to(registry):
    incident = registry.workflows["it.incident"]
    assert incident.state("major_incident").category == "open"
    promote = incident.transition("promote")
    assert promote.to_state == "major_incident" and "requester" not in promote.roles
    assert [f.key for f in promote.fields if f.required] == ["major_incident_summary"]
    assert incident.transition("demote").from_states == ("major_incident",)


def test_access_removal_is_due_on_the_last_day(pm, registry):
    removal = registry.request_types["it.access_removal"]
    assert {f.key for f in removal.form.fields if f.required} == {
        "employee",
        "last_day",
        "removal",
        "mailbox",
    }
    policy = registry.sla_policies[removal.sla_policy]
    assert {t.due_field for t in policy.targets.values()} == {"last_day"}
    now = draft(registry, "it.access_removal", {"removal": "immediately"})
    later = draft(registry, "it.access_removal", {"removal": "end_of_last_day"})
    assert pm.hook.polydesk_priority(draft=now) is Priority.P1
    assert pm.hook.polydesk_priority(draft=later) is Priority.P3


def test_hook_polydesk_transition_guard(pm):
    # Without the core's own (database-backed) guards: this is about IT's answer.
    guard_hook = pm.subset_hook_caller(
        "polydesk_transition_guard",
        remove_plugins=[pm.get_plugin("polydesk.core.defaults.guards")],
    )

    def veto(change_type: str, guard: str = "it.standard_change") -> list[str]:
        ticket = SimpleNamespace(request_type="it.change", form_data={"change_type": change_type})
        return guard_hook(ticket=ticket, transition=None, guard=guard, actor=None)

    assert veto("standard") == []
    assert veto("normal") == [
        "Only standard changes are pre-approved; submit this change for approval."
    ]
    assert veto("emergency", "it.emergency_change") == []
    assert veto("normal", "it.emergency_change") == [
        "Only an emergency change may be implemented before it is approved."
    ]
    assert veto("standard", "it.not_emergency_change") == []
    assert len(veto("emergency", "it.not_emergency_change")) == 1
    assert it_hooks.polydesk_transition_guard(ticket=None, guard="children_done") is None


def test_problem_known_error_records_cause_and_workaround(registry):
    known_error = registry.workflows["it.problem"].transition("record_known_error")
    assert {f.key for f in known_error.fields if f.required} == {"root_cause", "workaround"}


# -- SLA ----------------------------------------------------------------------------


def test_hook_polydesk_register_sla_policies(registry):
    incident = registry.sla_policies["it.incident"]
    p1 = incident.targets[1]
    assert p1.calendar is not None and p1.calendar.is_24x7  # P1 runs round the clock
    assert (p1.first_response, p1.resolution) == (60, 240)
    assert incident.targets[2].calendar is None  # P2-P4 on the policy's office hours

    office = incident.calendar
    assert office.timezone == "Europe/Warsaw"
    assert office.holidays_country == "PL"
    assert office.hours == {day: (("08:00", "18:00"),) for day in range(1, 6)}
    assert {2, 3, 4} <= set(incident.targets)


def test_every_it_request_type_has_a_target_for_every_priority(registry):
    for rt in registry.request_types_of("it"):
        policy = registry.sla_policies[rt.sla_policy]
        assert set(policy.targets) == {p.value for p in Priority}, rt.key


# -- Knowledge and queues --------------------------------------------------------------


def test_hook_polydesk_register_knowledge_spaces(registry):
    space = registry.knowledge_spaces["it"]
    articles = sorted(space.seed_dir.glob("*.md"))
    assert len(articles) == 5
    for article in articles:
        head = article.read_text(encoding="utf-8").split("---\n")
        assert head[0] == "", article.name
        assert "title: " in head[1] and "tags: [" in head[1], article.name
    names = {a.stem for a in articles}
    assert {"vpn", "password-reset", "printers"} <= names


def test_hook_polydesk_register_queues(registry):
    queues = {q.key: q for q in registry.queues_of("it")}
    assert queues["it.unassigned_incidents"].filters == {
        "request_type": ["it.incident"],
        "assignee": "none",
        "state_category": ["new", "open"],
    }
    assert queues["it.p1_p2"].filters["priority"] == [1, 2]
    assert queues["it.my_work"].filters["assignee"] == "me"
    assert queues["it.changes_awaiting_approval"].filters == {
        "request_type": ["it.change"],
        "state_category": ["waiting"],
    }
    for queue in queues.values():
        for key in queue.filters.get("request_type", []):
            assert key in registry.request_types, (queue.key, key)
