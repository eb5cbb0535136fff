"""HR's internal task: what a joiner's or leaver's own HR steps are filed as, and
what HR files instead when IT or Finance cannot take their part."""

from __future__ import annotations

from polydesk.core import Form, FormField, Priority, RequestType, State, Transition, Workflow
from polydesk.plugins.hr.request_types import KNOWLEDGE_SPACE
from polydesk.plugins.hr.workflows import AGENTS

TASK_KINDS = (
    ("contract", "Employment contract"),
    ("badge", "Office badge"),
    ("induction", "Induction"),
    ("equipment", "Equipment (when IT cannot take it)"),
    ("accounts", "Accounts and access (when IT cannot take it)"),
    ("payroll_setup", "Payroll set-up (when Finance cannot take it)"),
    ("access_removal", "Access removal (when IT cannot take it)"),
    ("final_pay", "Final pay and leaver's documents"),
    ("exit_interview", "Exit interview"),
    ("badge_return", "Badge return"),
    ("other", "Something else"),
)

HR_TASK_FORM = Form(
    (
        FormField(key="task", type="select", label="Task", required=True, choices=TASK_KINDS),
        FormField(
            key="person",
            type="text",
            label="For whom",
            help="The new hire or the leaver.",
            required=True,
            max_length=200,
            example="Zofia Nowak",
        ),
        FormField(
            key="due_date",
            type="date",
            label="Due by",
            help="Usually the start date or the last day; the task is due at its end.",
        ),
        FormField(key="details", type="textarea", label="What to do"),
    )
)

#: Meant for HR staff; the catalog cannot hide a type from requesters yet, so
#: it says so in its category and description.
HR_TASK = RequestType(
    key="hr.task",
    department="hr",
    name="HR task",
    description="A step of a joiner's or leaver's process (for HR staff).",
    category="For HR staff",
    agents_only=True,
    workflow="hr.task",
    sla_policy="hr.task",
    form=HR_TASK_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

TASK_WORKFLOW = Workflow(
    key="hr.task",
    name="HR task",
    initial_state="new",
    states=(
        State("new", "To do", "new"),
        State("in_progress", "In progress", "open"),
        State("done", "Done", "resolved"),
        State("cancelled", "Not needed", "cancelled"),
    ),
    transitions=(
        Transition("start", "Start", ("new",), "in_progress", roles=AGENTS),
        Transition(
            "complete",
            "Done",
            ("new", "in_progress"),
            "done",
            roles=AGENTS,
            fields=(FormField(key="completion_note", type="textarea", label="What was done"),),
        ),
        Transition("reopen", "Not finished: reopen", ("done",), "in_progress", roles=AGENTS),
        Transition(
            "cancel",
            "Not needed",
            ("new", "in_progress"),
            "cancelled",
            roles=AGENTS,
            fields=(FormField(key="cancel_reason", type="textarea", label="Why", required=True),),
        ),
    ),
)
