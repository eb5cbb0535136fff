"""Automatic transitions after quiet days, and sensitive fields kept from view."""

from __future__ import annotations

import datetime as dt

import pytest

from polydesk.core import (
    Calendar,
    Department,
    Form,
    FormField,
    RequestType,
    SLAPolicy,
    SLATarget,
    State,
    Transition,
    Workflow,
    hookimpl,
)
from polydesk.core.catalog.services import sync_catalog
from polydesk.core.errors import ConfigurationError
from polydesk.core.plugin_state.services import sync_plugin_rows
from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.registry import build_registry
from polydesk.core.runtime import Runtime
from polydesk.core.tickets.automation import apply_due
from polydesk.core.tickets.services import TicketService

START = dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC)


class Vendors:
    """A tiny department: a form with bank details, resolved tickets close after 3 days."""

    @hookimpl
    def polydesk_register_departments(self):
        return [Department(slug="procure", name="Procurement", key_prefix="PRO")]

    @hookimpl
    def polydesk_register_workflows(self):
        return [
            Workflow(
                key="procure.flow",
                name="Flow",
                initial_state="new",
                states=(
                    State("new", "New", "new"),
                    State("done", "Done", "resolved"),
                    State("closed", "Closed", "closed"),
                ),
                transitions=(
                    Transition("resolve", "Resolve", ("new",), "done"),
                    Transition("close", "Close", ("done",), "closed", auto_after_days=3),
                ),
            )
        ]

    @hookimpl
    def polydesk_register_sla_policies(self):
        return [
            SLAPolicy(
                key="procure.sla",
                name="SLA",
                calendar=Calendar(key="procure.24x7", name="24x7"),
                targets={3: SLATarget(resolution=600)},
            )
        ]

    @hookimpl
    def polydesk_register_request_types(self):
        return [
            RequestType(
                key="procure.vendor",
                department="procure",
                name="New vendor",
                workflow="procure.flow",
                sla_policy="procure.sla",
                form=Form(
                    (
                        FormField("vendor", "text", "Vendor", required=True),
                        FormField("iban", "text", "IBAN", required=True, sensitive=True),
                    )
                ),
            )
        ]


@pytest.fixture
async def desk(db, settings):
    runtime = Runtime.create(
        settings, create_plugin_manager(extra_plugins=[(Vendors(), "procure")])
    )
    await sync_catalog(runtime.registry)
    await sync_plugin_rows(runtime.pm)
    now = [START]
    runtime.clock = lambda: now[0]
    return runtime, now


async def _vendor(runtime, people):
    service = TicketService(await runtime.snapshot())
    ticket = await service.create(
        await people.actor("alice"),
        request_type="procure.vendor",
        title="Acme",
        form_data={"vendor": "Acme", "iban": "PL61109010140000071219812874"},
    )
    return service, ticket


async def test_sensitive_fields_are_masked_except_for_the_departments_agents(desk, people):
    runtime, _ = desk
    await people.add("pro.agent", roles={"procure": "agent"})
    service, ticket = await _vendor(runtime, people)
    assert ticket.form_data["iban"] == "••••2874"  # the requester sees it masked once filed
    agent = await people.actor("pro.agent")
    assert (await service.get(agent, ticket.id)).form_data["iban"] == "PL61109010140000071219812874"
    assert (await service.list(agent)).items[0].form_data["iban"] == "••••2874"  # lists always mask
    assert (await service.get(await people.actor("admin"), ticket.id)).form_data[
        "iban"
    ] == "••••2874"


async def test_resolved_tickets_close_themselves_after_quiet_days(desk, people):
    runtime, now = desk
    await people.add("pro.agent", roles={"procure": "agent"})
    service, ticket = await _vendor(runtime, people)
    agent = await people.actor("pro.agent")
    await service.transition(agent, ticket.id, "resolve", version=ticket.version)
    now[0] = START + dt.timedelta(days=2)
    assert await apply_due(await runtime.snapshot(), now[0]) == 0
    now[0] = START + dt.timedelta(days=3, minutes=1)
    assert await apply_due(await runtime.snapshot(), now[0]) == 1
    closed = await service.get(agent, ticket.id)
    assert closed.state == "closed"
    last = (await service.timeline(agent, ticket.id))[-1]
    assert last.actor is None and "automatically" in last.body
    assert await apply_due(await runtime.snapshot(), now[0]) == 0


def test_automatic_transitions_need_named_states_and_positive_days():
    class Bad(Vendors):
        @hookimpl
        def polydesk_register_workflows(self):
            flow = Vendors().polydesk_register_workflows()[0]
            bad = Transition("close", "Close", ("*",), "closed", auto_after_days=3)
            return [
                Workflow(
                    key=flow.key,
                    name=flow.name,
                    initial_state="new",
                    states=flow.states,
                    transitions=(flow.transitions[0], bad),
                )
            ]

    with pytest.raises(ConfigurationError, match="automatic transition"):
        build_registry(
            create_plugin_manager(load_entry_points=False, extra_plugins=[(Bad(), "procure")])
        )
