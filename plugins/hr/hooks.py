"""HR's hook implementations: the only module of the plugin that pluggy sees."""

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
    Queue,
    RequestType,
    SLAPolicy,
    TicketCreated,
    TicketTransitioned,
    Workflow,
    hookimpl,
)
from polydesk.plugins.hr.approvals import follow_leave_decision, request_leave_approval
from polydesk.plugins.hr.fanout import DONE, PLANS, open_tasks, report_progress
from polydesk.plugins.hr.queues import QUEUES
from polydesk.plugins.hr.request_types import (
    KNOWLEDGE_SPACE,
    LEAVE_REQUEST,
    REQUEST_TYPES,
    leave_dates_errors,
)
from polydesk.plugins.hr.sla import SLA_POLICIES
from polydesk.plugins.hr.tasks import HR_TASK, TASK_WORKFLOW
from polydesk.plugins.hr.workflows import WORKFLOWS

HR = Department(
    slug="hr",
    name=N_("HR"),
    key_prefix="HR",
    description=N_("People matters: joining, leaving, leave, pay and benefits, and concerns."),
    colour="#2f855a",
    icon="users",
    portal_text=(
        N_(
            "Request leave or an employment letter, ask about pay and benefits, or start "
            "onboarding a new hire. Concerns you raise in confidence are seen only by the "
            "HR case team."
        )
    ),
    package="polydesk.plugins.hr",
)


@hookimpl
def polydesk_register_departments() -> list[Department]:
    return [HR]


@hookimpl
def polydesk_register_request_types() -> list[RequestType]:
    return [*REQUEST_TYPES, HR_TASK]


@hookimpl
def polydesk_register_workflows() -> list[Workflow]:
    return [*WORKFLOWS, TASK_WORKFLOW]


@hookimpl
def polydesk_register_sla_policies() -> list[SLAPolicy]:
    return list(SLA_POLICIES)


@hookimpl
def polydesk_register_knowledge_spaces() -> list[KnowledgeSpace]:
    return [
        KnowledgeSpace(
            slug=KNOWLEDGE_SPACE,
            department="hr",
            name=N_("HR policies and guides"),
            seed_dir=Path(__file__).parent / "knowledge",
        )
    ]


@hookimpl
def polydesk_register_queues() -> list[Queue]:
    return list(QUEUES)


@hookimpl
def polydesk_validate_request(request_type: RequestType, form_data: dict) -> dict[str, str] | None:
    if request_type.key == LEAVE_REQUEST.key:
        return leave_dates_errors(form_data)
    return None


@hookimpl
def polydesk_on_event(event: Event, desk: Desk) -> Awaitable[Any] | None:
    """Joiners and leavers open their child tasks and follow them; leave asks the
    manager to approve and follows the decision.

    Events HR does not act on are turned away before any coroutine exists, so HR
    adds no work (and no pending coroutine) to other deliveries."""
    if isinstance(event, TicketCreated) and event.request_type in PLANS:
        return open_tasks(event.ticket_id, desk)
    if isinstance(event, TicketCreated) and event.request_type == LEAVE_REQUEST.key:
        return request_leave_approval(event.ticket_id, desk)
    if isinstance(event, ApprovalDecided) and event.department == HR.slug:
        return follow_leave_decision(event, desk)
    if isinstance(event, TicketTransitioned) and event.to_category in DONE:
        return report_progress(event, desk)
    return None
