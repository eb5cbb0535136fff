"""IT's hook implementations: the only module of the plugin that pluggy sees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from polydesk.core import (
    Department,
    KnowledgeSpace,
    Priority,
    Queue,
    RequestType,
    SLAPolicy,
    TicketDraft,
    Workflow,
    hookimpl,
)
from polydesk.plugins.it.forms import change_window_errors
from polydesk.plugins.it.priority import incident_priority
from polydesk.plugins.it.queues import QUEUES
from polydesk.plugins.it.request_types import (
    CHANGE_REQUEST,
    INCIDENT,
    KNOWLEDGE_SPACE,
    REQUEST_TYPES,
)
from polydesk.plugins.it.sla import SLA_POLICIES
from polydesk.plugins.it.workflows import STANDARD_CHANGE_GUARD, WORKFLOWS, standard_change_veto

IT = Department(
    slug="it",
    name="IT",
    key_prefix="IT",
    description="Laptops, accounts, software, networks and every system the company runs on.",
    colour="#2b6cb0",
    icon="monitor",
    portal_text=(
        "Something broken? Report an incident. Need software, hardware or access? "
        "Request it here. For an outage that stops a whole team, call the service desk on extension 4357 (HELP)."
    ),
    package="polydesk.plugins.it",
)


@hookimpl
def polydesk_register_departments() -> list[Department]:
    return [IT]


@hookimpl
def polydesk_register_request_types() -> list[RequestType]:
    return list(REQUEST_TYPES)


@hookimpl
def polydesk_register_workflows() -> list[Workflow]:
    return list(WORKFLOWS)


@hookimpl
def polydesk_register_sla_policies() -> list[SLAPolicy]:
    return list(SLA_POLICIES)


@hookimpl
def polydesk_register_knowledge_spaces() -> list[KnowledgeSpace]:
    return [
        KnowledgeSpace(
            slug=KNOWLEDGE_SPACE,
            department="it",
            name="IT help",
            seed_dir=Path(__file__).parent / "knowledge",
        )
    ]


@hookimpl
def polydesk_register_queues() -> list[Queue]:
    return list(QUEUES)


@hookimpl
def polydesk_priority(draft: TicketDraft) -> Priority | None:
    """Incidents get their priority from impact × urgency; other types keep their default."""
    if draft.request_type.key != INCIDENT.key:
        return None
    return incident_priority(draft.form_data.get("impact"), draft.form_data.get("urgency"))


@hookimpl
def polydesk_validate_request(request_type: RequestType, form_data: dict) -> dict[str, str] | None:
    if request_type.key == CHANGE_REQUEST.key:
        return change_window_errors(form_data)
    return None


@hookimpl
def polydesk_transition_guard(ticket: Any, guard: str) -> str | None:
    """Only a standard change may be scheduled without approval."""
    if guard != STANDARD_CHANGE_GUARD:
        return None
    return standard_change_veto(ticket.form_data)
