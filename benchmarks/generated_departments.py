"""Generated departments for the scale harness: one plugin declaring N more departments.

    POLYDESK_PLUGINS=generated=benchmarks.generated_departments
    POLYDESK_BENCH_DEPARTMENTS=40          # how many (default 40)

Polydesk loads it like any installed department plugin (the `POLYDESK_PLUGINS`
setting, no distribution needed); `python -m benchmarks generate|run
--departments N` sets both variables, and PYTHONPATH to the repository root,
for the generator and for the `polydesk serve` it starts. Nothing else imports
this module, so an ordinary Polydesk never has these departments.

Everything is a fixed function of N, so the generator and every server worker
declare the same departments: "Facilities 01" (slug `facilities_01`, tickets
FAC01-1, …) to "Travel 40", each with 2–3 request types (a small form: where,
how urgent, details, sometimes a date or a number), its own workflow (new,
in progress, waiting, resolved, closed, cancelled), an SLA policy on one of
four office calendars (four time zones, two with public holidays) and two
queues (all open work, and new unassigned tickets). A requester's urgency sets
the priority, as the Facilities example does.
"""

from __future__ import annotations

import functools
import os

from polydesk.core import (
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

#: The environment variable with the number of departments.
COUNT_VARIABLE = "POLYDESK_BENCH_DEPARTMENTS"
DEFAULT_COUNT = 40

#: (slug stem, name, ticket key stem, what its request types are about)
KINDS = (
    ("facilities", "Facilities", "FAC", ("Repair", "Cleaning", "Room set-up")),
    ("security", "Security", "SEC", ("Badge", "Incident report", "Visitor pass")),
    ("procurement", "Procurement", "PRC", ("Purchase", "Supplier", "Quote")),
    ("marketing", "Marketing", "MKT", ("Campaign", "Design", "Event")),
    ("training", "Training", "TRN", ("Course", "Certification")),
    ("fleet", "Fleet", "FLT", ("Car booking", "Damage", "Fuel card")),
    ("catering", "Catering", "CAT", ("Order", "Dietary need")),
    ("mailroom", "Mailroom", "MLR", ("Parcel", "Courier", "Post")),
    ("research", "Research", "RES", ("Lab booking", "Equipment", "Data access")),
    ("travel", "Travel", "TRV", ("Trip", "Visa", "Expense question")),
)

URGENCY = (
    ("low", "It can wait a few days"),
    ("normal", "Within a working day"),
    ("high", "It stops work"),
)
URGENCY_PRIORITY = {"high": Priority.P2, "normal": Priority.P3, "low": Priority.P4}

CALENDARS = (
    Calendar(
        key="generated.office_warsaw",
        name="Office hours (Warsaw)",
        timezone="Europe/Warsaw",
        hours={day: (("08:00", "16:00"),) for day in range(1, 6)},
        holidays_country="PL",
    ),
    Calendar(
        key="generated.office_london",
        name="Office hours (London)",
        timezone="Europe/London",
        hours={day: (("09:00", "17:30"),) for day in range(1, 6)},
        holidays_country="GB",
    ),
    Calendar(
        key="generated.office_new_york",
        name="Office hours (New York)",
        timezone="America/New_York",
        hours={day: (("08:00", "18:00"),) for day in range(1, 6)},
    ),
    Calendar(
        key="generated.office_shanghai",
        name="Office hours (Shanghai)",
        timezone="Asia/Shanghai",
        hours={day: (("09:00", "18:00"),) for day in range(1, 6)},
    ),
)


def count() -> int:
    """How many departments this process declares (`POLYDESK_BENCH_DEPARTMENTS`)."""
    value = os.environ.get(COUNT_VARIABLE, "").strip()
    return int(value) if value else DEFAULT_COUNT


def slug(n: int) -> str:
    """The slug of generated department `n` (1-based): `facilities_01`, `security_02`, …"""
    return f"{KINDS[(n - 1) % len(KINDS)][0]}_{n:02d}"


def slugs(n: int | None = None) -> list[str]:
    return [slug(k) for k in range(1, (count() if n is None else n) + 1)]


def _form(k: int, topic: str) -> Form:
    fields = [
        FormField("location", "text", "Where?", required=True, max_length=200),
        FormField("urgency", "select", "How urgent is it?", required=True, choices=URGENCY),
        FormField("details", "textarea", f"About the {topic.lower()}", max_length=2000),
    ]
    if k % 3 == 1:
        fields.append(FormField("needed_by", "date", "Needed by"))
    elif k % 3 == 2:
        fields.append(FormField("quantity", "number", "How many?", min=1, max=500))
    return Form(tuple(fields))


def _workflow(s: str, name: str) -> Workflow:
    return Workflow(
        key=f"{s}.request",
        name=f"{name} request",
        initial_state="new",
        states=(
            State("new", "New", "new"),
            State("in_progress", "In progress", "open"),
            State("waiting", "Waiting for the requester", "waiting"),
            State("resolved", "Resolved", "resolved"),
            State("closed", "Closed", "closed"),
            State("cancelled", "Cancelled", "cancelled"),
        ),
        transitions=(
            Transition("start", "Start work", ("new",), "in_progress"),
            Transition("ask", "Ask the requester", ("in_progress",), "waiting"),
            Transition(
                "answer",
                "Answer",
                ("waiting",),
                "in_progress",
                roles=("requester", "agent", "lead", "admin"),
            ),
            Transition(
                "resolve",
                "Resolve",
                ("new", "in_progress"),
                "resolved",
                fields=(FormField("resolution", "textarea", "What was done"),),
            ),
            Transition(
                "reopen",
                "Not done yet",
                ("resolved",),
                "in_progress",
                roles=("requester", "agent", "lead", "admin"),
            ),
            Transition("close", "Close", ("resolved",), "closed", auto_after_days=7),
            Transition(
                "cancel",
                "Cancel",
                ("*",),
                "cancelled",
                roles=("requester", "agent", "lead", "admin"),
            ),
        ),
    )


def _policy(s: str, name: str, n: int) -> SLAPolicy:
    hours = 1 + n % 3  # a little variety between departments
    return SLAPolicy(
        key=f"{s}.standard",
        name=f"{name} standard",
        calendar=CALENDARS[n % len(CALENDARS)],
        targets={
            Priority.P1: SLATarget(first_response=30, resolution=4 * 60),
            Priority.P2: SLATarget(first_response=60 * hours, resolution=8 * 60 * hours),
            Priority.P3: SLATarget(first_response=4 * 60, resolution=3 * 8 * 60 * hours),
            Priority.P4: SLATarget(first_response=8 * 60, resolution=5 * 8 * 60 * hours),
        },
    )


def build(n: int) -> dict[str, list]:
    """Every declaration of `n` generated departments, by registration hook."""
    made: dict[str, list] = {
        "departments": [],
        "workflows": [],
        "sla_policies": [],
        "request_types": [],
        "queues": [],
    }
    for k in range(1, n + 1):
        _, kind, prefix, topics = KINDS[(k - 1) % len(KINDS)]
        s, name = slug(k), f"{kind} {k:02d}"
        made["departments"].append(
            Department(
                slug=s,
                name=name,
                key_prefix=f"{prefix}{k:02d}",
                description=f"{kind} requests of site {k:02d} (generated for benchmarks).",
                portal_text=f"Ask {name} for help.",
            )
        )
        workflow = _workflow(s, name)
        policy = _policy(s, name, k)
        made["workflows"].append(workflow)
        made["sla_policies"].append(policy)
        for j, topic in enumerate(topics[: 2 + k % 2]):  # 2 or 3 request types
            made["request_types"].append(
                RequestType(
                    key=f"{s}.{topic.lower().replace(' ', '_').replace('-', '_')}",
                    department=s,
                    name=topic,
                    workflow=workflow.key,
                    sla_policy=policy.key,
                    form=_form(k + j, topic),
                    description=f"{topic} ({name}).",
                    default_priority=Priority.P3,
                )
            )
        made["queues"] += [
            Queue(f"{s}.open", s, "Open work", {"state_category": ["new", "open"]}),
            Queue(f"{s}.unassigned", s, "New, unassigned", {"state_category": ["new"], "assignee": "none"}),
        ]  # fmt: skip
    return made


@functools.cache
def declared(n: int) -> dict[str, list]:
    """`build(n)`, once per process (read when the hooks are called, not at import,
    so the count is the one in the environment at startup)."""
    return build(n)


@hookimpl
def polydesk_register_departments() -> list[Department]:
    return declared(count())["departments"]


@hookimpl
def polydesk_register_workflows() -> list[Workflow]:
    return declared(count())["workflows"]


@hookimpl
def polydesk_register_sla_policies() -> list[SLAPolicy]:
    return declared(count())["sla_policies"]


@hookimpl
def polydesk_register_request_types() -> list[RequestType]:
    return declared(count())["request_types"]


@hookimpl
def polydesk_register_queues() -> list[Queue]:
    return declared(count())["queues"]


@hookimpl
def polydesk_priority(draft: TicketDraft) -> Priority | None:
    """The requester's urgency sets the priority of our tickets; others are not ours."""
    if draft.department not in _slugs(count()):
        return None
    return URGENCY_PRIORITY.get(draft.form_data.get("urgency", ""))


@functools.cache
def _slugs(n: int) -> frozenset[str]:
    return frozenset(slugs(n))
