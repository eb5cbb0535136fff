"""A fifth department, written as a third-party plugin would be.

It imports only Polydesk's public API and is registered by the tests the way
an entry point would register it: `pm.register(module, name="facilities")`.
"""

from __future__ import annotations

from litestar import Router, get

from polydesk.core import (
    Calendar,
    Department,
    Form,
    FormField,
    Queue,
    RequestType,
    SLAPolicy,
    SLATarget,
    State,
    TicketCreated,
    Transition,
    Workflow,
    hookimpl,
)

SEEN_EVENTS: list[str] = []

REPAIR = RequestType(
    key="facilities.repair",
    department="facilities",
    name="Something is broken",
    workflow="facilities.repair",
    sla_policy="facilities.office",
    form=Form(
        (
            FormField("location", "text", "Where is it?", required=True, max_length=100),
            FormField("floor", "number", "Floor", min=-2, max=40),
            FormField(
                "kind",
                "select",
                "What is broken?",
                required=True,
                choices=(("light", "Light"), ("door", "Door"), ("heating", "Heating")),
            ),
        )
    ),
)

WORKFLOW = Workflow(
    key="facilities.repair",
    name="Repair",
    initial_state="reported",
    states=(
        State("reported", "Reported", "new"),
        State("fixing", "Being fixed", "open"),
        State("fixed", "Fixed", "resolved"),
    ),
    transitions=(
        Transition("start", "Start work", ("reported",), "fixing"),
        Transition(
            "finish",
            "Mark fixed",
            ("fixing",),
            "fixed",
            fields=(FormField("what_was_done", "textarea", "What was done", required=True),),
        ),
    ),
)

OFFICE = Calendar(key="facilities.office", name="Office hours", timezone="Europe/Warsaw")


@hookimpl
def polydesk_register_departments():
    return [Department(slug="facilities", name="Facilities", key_prefix="FAC", colour="#2f855a")]


@hookimpl
def polydesk_register_request_types():
    return [REPAIR]


@hookimpl
def polydesk_register_workflows():
    return [WORKFLOW]


@hookimpl
def polydesk_register_sla_policies():
    return [
        SLAPolicy(
            key="facilities.office",
            name="Office",
            calendar=OFFICE,
            targets={p: SLATarget(first_response=240, resolution=2400) for p in (1, 2, 3, 4)},
        )
    ]


@hookimpl
def polydesk_register_queues():
    return [
        Queue(
            key="facilities.open",
            department="facilities",
            name="Open repairs",
            filters={"state_category": ["new", "open"], "request_type": ["facilities.repair"]},
        )
    ]


@get("/facilities/floors", sync_to_thread=False)
def floors() -> dict[str, list[int]]:
    return {"floors": list(range(-2, 41))}


@hookimpl
def polydesk_register_routes():
    return [Router(path="/", route_handlers=[floors])]


@hookimpl
def polydesk_on_event(event):
    if isinstance(event, TicketCreated) and event.department == "facilities":
        SEEN_EVENTS.append(event.ticket_key)
