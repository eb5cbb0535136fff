"""Legal's hook implementations: the only module of the plugin that pluggy sees."""

from __future__ import annotations

from collections.abc import Awaitable
from pathlib import Path

from polydesk.core import (
    N_,
    Actor,
    Assignment,
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
    TicketView,
    Workflow,
    hookimpl,
)
from polydesk.plugins.legal import deadlines, nda
from polydesk.plugins.legal.queues import QUEUES
from polydesk.plugins.legal.request_types import (
    CONTRACT_REVIEW,
    KNOWLEDGE_SPACE,
    REQUEST_TYPES,
    STANDARD_NDA,
)
from polydesk.plugins.legal.sla import SLA_POLICIES
from polydesk.plugins.legal.workflows import WORKFLOWS

LEGAL = Department(
    slug="legal",
    name=N_("Legal"),
    key_prefix="LEG",
    description=N_("Contracts, NDAs, legal advice and sensitive matters."),
    colour="#6b46c1",
    icon="scale",
    portal_text=(
        N_(
            "Send contracts for review well before they must be signed; a standard NDA on "
            "our template goes out within a working day. Never sign anything Legal has not "
            "approved."
        )
    ),
    package="polydesk.plugins.legal",
)


@hookimpl
def polydesk_register_departments() -> list[Department]:
    return [LEGAL]


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
            department="legal",
            name=N_("Contracting guides"),
            seed_dir=Path(__file__).parent / "knowledge",
        )
    ]


@hookimpl
def polydesk_register_queues() -> list[Queue]:
    return list(QUEUES)


@hookimpl
def polydesk_validate_request(request_type: RequestType, form_data: dict) -> dict[str, str] | None:
    """A contract's deadline must leave Legal time to review it (see `deadlines`)."""
    return deadlines.request_errors(request_type.key, form_data, deadlines.today())


@hookimpl
def polydesk_priority(draft: TicketDraft) -> Priority | None:
    """The nearer a contract's deadline, the higher its priority, so its SLA meets it."""
    if draft.request_type.key != CONTRACT_REVIEW.key:
        return None
    return deadlines.priority_for(draft.form_data["deadline"], deadlines.today())


@hookimpl
def polydesk_route_ticket(draft: TicketDraft) -> Assignment | None:
    """NDAs on our template to the paralegals; changed templates and contracts to lawyers."""
    return nda.route(draft)


@hookimpl
def polydesk_transition_guard(ticket: TicketView, guard: str, actor: Actor | None) -> str | None:
    return nda.guard_veto(ticket, guard, actor)


@hookimpl
def polydesk_on_event(event: Event, desk: Desk) -> Awaitable[None] | None:
    """A changed NDA template goes to a lawyer once filed. Other events are turned
    away before any coroutine exists."""
    if not (isinstance(event, TicketCreated) and event.request_type == STANDARD_NDA.key):
        return None
    return nda.refer_if_changed(desk, event.ticket_id)
