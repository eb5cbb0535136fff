"""What the HR plugin declares: catalog, forms, workflows, SLAs, queues, articles."""

from __future__ import annotations

import pytest

from polydesk.core import Priority, ValidationFailed
from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.registry import build_registry
from polydesk.plugins.hr import hooks as hr_hooks

ONBOARDING = {
    "new_hire_name": "Zofia Nowak",
    "start_date": "2026-04-01",
    "manager": "marek",
    "job_title": "Payroll specialist",
    "employment_type": "employee",
    "location": "krakow",
    "equipment": ["laptop", "headset"],
    "system_access": "ERP payroll module (write)",
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
    hr = registry.departments["hr"]
    assert (hr.name, hr.key_prefix, hr.package) == ("HR", "HR", "polydesk.plugins.hr")
    assert registry.department_plugin["hr"] == "hr"


def test_hr_builds_a_registry_on_its_own():
    pm = create_plugin_manager(load_entry_points=False, extra_plugins=[(hr_hooks, "hr")])
    assert list(build_registry(pm).departments) == ["hr"]


def test_hook_polydesk_register_request_types(registry):
    assert {rt.key for rt in registry.request_types_of("hr")} == {
        "hr.onboarding",
        "hr.offboarding",
        "hr.employment_letter",
        "hr.payroll",
        "hr.leave",
        "hr.case",
        "hr.task",
    }


def test_hr_tasks_say_what_for_whom_and_by_when(registry):
    task = registry.request_types["hr.task"]
    assert task.category == "For HR staff"
    assert {f.key for f in task.form.fields if f.required} == {"task", "person"}
    assert set(refused(task.form, {"task": "party", "due_date": "soon"})) == {
        "task",
        "person",
        "due_date",
    }
    valid = {"task": "contract", "person": "Zofia Nowak", "due_date": "2026-04-01"}
    assert task.form.validate(valid) == valid
    workflow = registry.workflows[task.workflow]
    assert "requester" not in {role for t in workflow.transitions for role in t.roles}
    policy = registry.sla_policies[task.sla_policy]
    assert {t.due_field for t in policy.targets.values()} == {"due_date"}


def test_only_the_case_type_is_confidential_to_the_case_team(registry):
    confidential = {
        rt.key: rt.confidential_team
        for rt in registry.request_types_of("hr")
        if rt.confidential_team
    }
    assert confidential == {"hr.case": "case_team"}


def test_onboarding_form_accepts_a_new_hire(registry):
    form = registry.request_types["hr.onboarding"].form
    assert form.validate(ONBOARDING) == ONBOARDING
    assert form.field("manager").type == "person"
    assert form.field("equipment").type == "multiselect"


def test_onboarding_form_refuses_missing_and_unknown_values(registry):
    form = registry.request_types["hr.onboarding"].form
    data = {**ONBOARDING, "equipment": ["laptop", "pony"], "start_date": "1 April"}
    del data["manager"]
    errors = refused(form, data)
    assert errors == {
        "manager": "This field is required.",
        "equipment": "Not a choice: pony.",
        "start_date": "Enter a date as YYYY-MM-DD.",
    }


def test_offboarding_needs_a_last_day_and_access_removal(registry):
    form = registry.request_types["hr.offboarding"].form
    errors = refused(form, {"employee": "jan", "reason": "resignation"})
    assert set(errors) == {"last_day", "access_removal", "mailbox"}
    assert form.validate(
        {
            "employee": "jan",
            "reason": "resignation",
            "last_day": "2026-06-30",
            "access_removal": "end_of_last_day",
            "mailbox": "forward_to_manager",
        }
    )


def test_payroll_question_asks_the_month_for_payslips_only(registry):
    form = registry.request_types["hr.payroll"].form
    assert refused(form, {"topic": "payslip", "pay_period": "January"}) == {
        "pay_period": "This value does not have the expected format."
    }
    assert form.validate({"topic": "payslip", "pay_period": "2026-01"})["pay_period"]
    assert "pay_period" not in form.validate({"topic": "sports_card", "pay_period": "2026-01"})


def test_leave_form_asks_the_occasion_of_occasional_leave(registry):
    leave = registry.request_types["hr.leave"]
    data = {"leave_type": "annual", "start_date": "2026-07-13", "end_date": "2026-07-24"}
    assert leave.form.validate(data) == data
    assert refused(leave.form, {**data, "leave_type": "occasional"}) == {
        "occasion": "This field is required."
    }


def test_hook_polydesk_validate_request(pm, registry):
    leave = registry.request_types["hr.leave"]
    backwards = {"leave_type": "annual", "start_date": "2026-07-24", "end_date": "2026-07-13"}
    assert pm.hook.polydesk_validate_request(
        request_type=leave, form_data=backwards, actor=None
    ) == [{"end_date": "The last day of leave must be on or after the first day."}]
    one_day = {**backwards, "end_date": "2026-07-24"}
    assert (
        pm.hook.polydesk_validate_request(request_type=leave, form_data=one_day, actor=None) == []
    )


def test_case_form_offers_the_four_categories(registry):
    form = registry.request_types["hr.case"].form
    assert [value for value, _ in form.field("category").choices] == [
        "grievance",
        "harassment",
        "investigation",
        "other",
    ]
    assert refused(form, {"category": "gossip", "preferred_contact": "portal"}) == {
        "category": "Choose one of: grievance, harassment, investigation, other."
    }


# -- Workflows -------------------------------------------------------------------


def test_hook_polydesk_register_workflows(registry):
    for rt in registry.request_types_of("hr"):
        workflow = registry.workflows[rt.workflow]
        assert reachable(workflow) == {s.key for s in workflow.states}, workflow.key


def test_onboarding_completes_only_when_child_tasks_are_done(registry):
    for key in ("hr.onboarding", "hr.offboarding"):
        workflow = registry.workflows[registry.request_types[key].workflow]
        resolve = workflow.transition("resolve")
        assert workflow.state(resolve.to_state).category == "resolved"
        assert resolve.guards == ("children_done",)


def test_leave_is_approved_only_with_every_approval_granted(registry):
    leave = registry.workflows[registry.request_types["hr.leave"].workflow]
    approve = leave.transition("approve")
    assert approve.from_states == ("pending_approval",)
    assert approve.guards == ("approvals_granted",)
    assert [t.key for t in leave.transitions if t.to_state == "approved"] == ["approve"]
    assert "requester" in leave.transition("withdraw").roles


def test_case_conclusion_is_explained_and_can_be_appealed(registry):
    case = registry.workflows[registry.request_types["hr.case"].workflow]
    conclude = case.transition("conclude")
    assert {f.key for f in conclude.fields if f.required} == {"outcome", "outcome_summary"}
    assert "agent" not in conclude.roles
    appeal = case.transition("appeal")
    assert appeal.from_states == ("concluded",) and "requester" in appeal.roles


# -- SLA, knowledge, queues ---------------------------------------------------------


def test_hook_polydesk_register_sla_policies(registry):
    for rt in registry.request_types_of("hr"):
        policy = registry.sla_policies[rt.sla_policy]
        calendar = policy.calendar
        assert (calendar.timezone, calendar.holidays_country) == ("Europe/Warsaw", "PL")
        assert sorted(calendar.hours) == [1, 2, 3, 4, 5]
        assert set(policy.targets) == {p.value for p in Priority}, rt.key
    case = registry.sla_policies["hr.case"].targets[Priority.P2]
    assert case.first_response == 240
    for key, field in (("hr.onboarding", "start_date"), ("hr.offboarding", "last_day")):
        policy = registry.sla_policies[registry.request_types[key].sla_policy]
        assert {t.due_field for t in policy.targets.values()} == {field}, key


def test_hook_polydesk_register_knowledge_spaces(registry):
    space = registry.knowledge_spaces["hr"]
    articles = sorted(space.seed_dir.glob("*.md"))
    assert len(articles) == 5
    for article in articles:
        head = article.read_text(encoding="utf-8").split("---\n")
        assert head[0] == "", article.name
        assert "title: " in head[1] and "tags: [" in head[1], article.name
    assert {"leave-policy", "onboarding-checklist"} <= {a.stem for a in articles}


def test_hook_polydesk_register_queues(registry):
    queues = {q.key: q for q in registry.queues_of("hr")}
    assert queues["hr.my_work"].filters["assignee"] == "me"
    assert queues["hr.cases"].filters["confidential"] is True
    assert queues["hr.unassigned"].filters["confidential"] is False
    assert queues["hr.tasks"].filters["request_type"] == ["hr.task"]
    assert queues["hr.leave_awaiting_approval"].filters == {
        "request_type": ["hr.leave"],
        "state_category": ["waiting"],
    }
    for queue in queues.values():
        for key in queue.filters.get("request_type", []):
            assert key in registry.request_types, (queue.key, key)
