"""IT's hook implementations: the only module of the plugin that pluggy sees."""

from __future__ import annotations

from collections.abc import Awaitable
from pathlib import Path
from typing import Any

from polydesk.core import (
    N_,
    ApprovalDecided,
    Department,
    Desk,
    Event,
    KnowledgeSpace,
    Priority,
    Queue,
    RequestType,
    SLAPolicy,
    TicketCreated,
    TicketDraft,
    TicketTransitioned,
    Workflow,
    hookimpl,
)
from polydesk.plugins.it.approvals import (
    CAB_TRANSITIONS,
    follow_decision,
    request_access_approval,
    request_cab_approval,
    settings_errors,
)
from polydesk.plugins.it.changes import CHANGE_TYPE_GUARDS, CHANGE_WORKFLOW, change_type_veto
from polydesk.plugins.it.forms import change_window_errors
from polydesk.plugins.it.known_errors import draft_known_error_article, is_known_error
from polydesk.plugins.it.major_incidents import is_major_resolution, resolve_related
from polydesk.plugins.it.priority import access_removal_priority, incident_priority
from polydesk.plugins.it.queues import QUEUES
from polydesk.plugins.it.request_types import (
    ACCESS_REMOVAL,
    ACCESS_REQUEST,
    CHANGE_REQUEST,
    INCIDENT,
    KNOWLEDGE_SPACE,
    REQUEST_TYPES,
)
from polydesk.plugins.it.sla import SLA_POLICIES
from polydesk.plugins.it.workflows import WORKFLOWS

IT = Department(
    slug="it",
    name=N_("IT"),
    key_prefix="IT",
    description=N_("Laptops, accounts, software, networks and every system the company runs on."),
    colour="#2b6cb0",
    icon="monitor",
    portal_text=(
        N_(
            "Something broken? Report an incident. Need software, hardware or access? "
            "Request it here. For an outage that stops a whole team, call the service desk on extension 4357 (HELP)."
        )
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
    return [*WORKFLOWS, CHANGE_WORKFLOW]


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
    """Incidents get their priority from impact × urgency, an immediate access
    removal is P1; other types keep their default."""
    if draft.request_type.key == INCIDENT.key:
        return incident_priority(draft.form_data.get("impact"), draft.form_data.get("urgency"))
    if draft.request_type.key == ACCESS_REMOVAL.key:
        return access_removal_priority(draft.form_data.get("removal"))
    return None


@hookimpl
def polydesk_validate_request(request_type: RequestType, form_data: dict) -> dict[str, str] | None:
    if request_type.key == CHANGE_REQUEST.key:
        return change_window_errors(form_data)
    return None


@hookimpl
def polydesk_transition_guard(ticket: Any, guard: str) -> str | None:
    """Changes: only a standard change skips approval; only an emergency change is
    implemented first and closes after its approval after the fact."""
    if guard not in CHANGE_TYPE_GUARDS:
        return None
    return change_type_veto(guard, ticket.form_data)


@hookimpl
def polydesk_validate_settings(plugin: str, settings: dict) -> dict[str, str] | None:
    """`system_owners` (system → username) and `cab` (usernames)."""
    return settings_errors(settings) if plugin == "it" else None


@hookimpl
def polydesk_on_event(event: Event, desk: Desk) -> Awaitable[Any] | None:
    """Access requests get their approver and changes their CAB; decisions move
    them on; resolving a major incident resolves the incidents linked to it.

    Events IT does not act on are turned away before any coroutine exists, so IT
    adds no work (and no pending coroutine) to other deliveries."""
    if event.department != IT.slug:
        return None
    if isinstance(event, TicketCreated) and event.request_type == ACCESS_REQUEST.key:
        return request_access_approval(event.ticket_id, desk)
    if isinstance(event, ApprovalDecided):
        return follow_decision(event, desk)
    if isinstance(event, TicketTransitioned) and is_major_resolution(event):
        return resolve_related(event, desk)
    if is_known_error(event):
        return draft_known_error_article(event, desk)
    if isinstance(event, TicketTransitioned) and event.transition in CAB_TRANSITIONS:
        after_the_fact = CAB_TRANSITIONS[event.transition]
        return request_cab_approval(event, desk, after_the_fact=after_the_fact)
    return None
