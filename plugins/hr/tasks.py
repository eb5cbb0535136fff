"""HR's internal task: what a joiner's or leaver's own HR steps are filed as, and
what HR files instead when IT or Finance cannot take their part."""

from __future__ import annotations

from polydesk.core import N_, Form, FormField, Priority, RequestType, State, Transition, Workflow
from polydesk.plugins.hr.request_types import KNOWLEDGE_SPACE
from polydesk.plugins.hr.workflows import AGENTS

TASK_KINDS = (
    ("contract", N_("Employment contract")),
    ("badge", N_("Office badge")),
    ("induction", N_("Induction")),
    ("equipment", N_("Equipment (when IT cannot take it)")),
    ("accounts", N_("Accounts and access (when IT cannot take it)")),
    ("payroll_setup", N_("Payroll set-up (when Finance cannot take it)")),
    ("access_removal", N_("Access removal (when IT cannot take it)")),
    ("final_pay", N_("Final pay and leaver's documents")),
    ("exit_interview", N_("Exit interview")),
    ("badge_return", N_("Badge return")),
    ("other", N_("Something else")),
)

HR_TASK_FORM = Form(
    (
        FormField(key="task", type="select", label=N_("Task"), required=True, choices=TASK_KINDS),
        FormField(
            key="person",
            type="text",
            label=N_("For whom"),
            help=N_("The new hire or the leaver."),
            required=True,
            max_length=200,
            example=N_("Zofia Nowak"),
        ),
        FormField(
            key="due_date",
            type="date",
            label=N_("Due by"),
            help=N_("Usually the start date or the last day; the task is due at its end."),
        ),
        FormField(key="details", type="textarea", label=N_("What to do")),
    )
)

#: Meant for HR staff; the catalog cannot hide a type from requesters yet, so
#: it says so in its category and description.
HR_TASK = RequestType(
    key="hr.task",
    department="hr",
    name=N_("HR task"),
    description=N_("A step of a joiner's or leaver's process (for HR staff)."),
    category=N_("For HR staff"),
    agents_only=True,
    workflow="hr.task",
    sla_policy="hr.task",
    form=HR_TASK_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

TASK_WORKFLOW = Workflow(
    key="hr.task",
    name=N_("HR task"),
    initial_state="new",
    states=(
        State("new", N_("To do"), "new"),
        State("in_progress", N_("In progress"), "open"),
        State("done", N_("Done"), "resolved"),
        State("cancelled", N_("Not needed"), "cancelled"),
    ),
    transitions=(
        Transition("start", N_("Start"), ("new",), "in_progress", roles=AGENTS),
        Transition(
            "complete",
            N_("Done"),
            ("new", "in_progress"),
            "done",
            roles=AGENTS,
            fields=(FormField(key="completion_note", type="textarea", label=N_("What was done")),),
        ),
        Transition("reopen", N_("Not finished: reopen"), ("done",), "in_progress", roles=AGENTS),
        Transition(
            "cancel",
            N_("Not needed"),
            ("new", "in_progress"),
            "cancelled",
            roles=AGENTS,
            fields=(
                FormField(key="cancel_reason", type="textarea", label=N_("Why"), required=True),
            ),
        ),
    ),
)
