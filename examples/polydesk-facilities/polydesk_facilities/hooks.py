"""Everything the Facilities department declares, through Polydesk's hooks.

Polydesk loads this module through the `polydesk.plugins` entry point named
`facilities` and calls each `polydesk_register_*` hook once per process. The
declarations are plain frozen data from `polydesk.core`; keys are global, so
each starts with the department slug.
"""

from polydesk.core import (
    N_,
    Calendar,
    Department,
    Form,
    FormField,
    Priority,
    Queue,
    RequestType,
    SLAPolicy,
    SLATarget,
    State,
    TicketDraft,
    Transition,
    Workflow,
    hookimpl,
)

SLUG = "facilities"

FACILITIES = Department(
    slug=SLUG,
    name=N_("Facilities"),
    key_prefix="FAC",  # tickets read FAC-1, FAC-2, …
    description=N_("Repairs to the building: doors, lights, heating, furniture."),
    colour="#2f855a",
    portal_text=N_("Something broken in the building? Tell us where."),
    # The package holding locale/ (its translations) and any templates.
    package="polydesk_facilities",
)

REPAIR_FORM = Form(
    (
        FormField(
            key="location",
            type="text",
            label=N_("Where is it?"),
            help=N_("Room name or number, or a landmark."),
            required=True,
            max_length=200,
        ),
        FormField(key="floor", type="number", label=N_("Floor"), min=-2, max=50),
        FormField(
            key="urgency",
            type="select",
            label=N_("How urgent is it?"),
            required=True,
            choices=(
                ("low", N_("It can wait a few days")),
                ("normal", N_("Within a working day")),
                ("high", N_("It is unsafe or stops work")),
            ),
        ),
    )
)

REPAIR_WORKFLOW = Workflow(
    key="facilities.repair",
    name=N_("Repair"),
    states=(
        State("new", N_("New"), "new"),
        State("in_progress", N_("In progress"), "open"),
        State("resolved", N_("Resolved"), "resolved"),
        State("closed", N_("Closed"), "closed"),
    ),
    transitions=(
        Transition("start", N_("Start work"), ("new",), "in_progress"),
        Transition(
            "resolve",
            N_("Mark repaired"),
            ("new", "in_progress"),
            "resolved",
            fields=(FormField(key="resolution", type="textarea", label=N_("What was done")),),
        ),
        Transition(
            "reopen",
            N_("Still broken"),
            ("resolved",),
            "in_progress",
            roles=("requester", "agent", "lead", "admin"),
        ),
        Transition("close", N_("Close"), ("resolved",), "closed"),
    ),
    initial_state="new",
)

OFFICE_HOURS = Calendar(
    key="facilities.office",
    name=N_("Office hours"),
    timezone="Europe/London",
    hours={day: (("08:00", "18:00"),) for day in range(1, 6)},  # Monday to Friday
)

REPAIR_SLA = SLAPolicy(
    key="facilities.standard",
    name=N_("Facilities standard"),
    calendar=OFFICE_HOURS,
    # Minutes of office time, by priority.
    targets={
        Priority.P1: SLATarget(first_response=30, resolution=4 * 60),
        Priority.P2: SLATarget(first_response=60, resolution=8 * 60),
        Priority.P3: SLATarget(first_response=4 * 60, resolution=3 * 10 * 60),
        Priority.P4: SLATarget(first_response=8 * 60, resolution=5 * 10 * 60),
    },
)

REPAIR = RequestType(
    key="facilities.repair",
    department=SLUG,
    name=N_("Report something broken"),
    workflow=REPAIR_WORKFLOW.key,
    sla_policy=REPAIR_SLA.key,
    form=REPAIR_FORM,
    description=N_("Doors, lights, heating, furniture: anything in the building."),
    default_priority=Priority.P3,
)

URGENCY_PRIORITY = {"high": Priority.P2, "normal": Priority.P3, "low": Priority.P4}


@hookimpl
def polydesk_register_departments() -> list[Department]:
    return [FACILITIES]


@hookimpl
def polydesk_register_workflows() -> list[Workflow]:
    return [REPAIR_WORKFLOW]


@hookimpl
def polydesk_register_sla_policies() -> list[SLAPolicy]:
    return [REPAIR_SLA]


@hookimpl
def polydesk_register_request_types() -> list[RequestType]:
    return [REPAIR]


@hookimpl
def polydesk_register_queues() -> list[Queue]:
    return [
        Queue(
            key="facilities.open",
            department=SLUG,
            name=N_("Open repairs"),
            filters={"state_category": ["new", "open"]},
        )
    ]


@hookimpl
def polydesk_register_piccolo_apps() -> list[str]:
    # A string, not an import: Polydesk imports it while configuring Piccolo.
    return ["polydesk_facilities.piccolo_app"]


@hookimpl
def polydesk_priority(draft: TicketDraft) -> Priority | None:
    """The requester's urgency sets the priority of a repair; other tickets are not ours."""
    if draft.request_type.key != REPAIR.key:
        return None
    return URGENCY_PRIORITY.get(draft.form_data.get("urgency", ""))
