"""Finance's hook implementations: the only module of the plugin that pluggy sees."""

from __future__ import annotations

from collections.abc import Awaitable
from pathlib import Path

from polydesk.core import (
    N_,
    Department,
    Desk,
    Event,
    KnowledgeSpace,
    Queue,
    RequestType,
    SLAPolicy,
    Workflow,
    hookimpl,
)
from polydesk.plugins.finance import approvals
from polydesk.plugins.finance.queues import QUEUES
from polydesk.plugins.finance.request_types import KNOWLEDGE_SPACE, REQUEST_TYPES
from polydesk.plugins.finance.rules import request_errors
from polydesk.plugins.finance.sla import SLA_POLICIES
from polydesk.plugins.finance.thresholds import settings_errors
from polydesk.plugins.finance.workflows import WORKFLOWS

FINANCE = Department(
    slug="finance",
    name=N_("Finance"),
    key_prefix="FIN",
    description=N_("Purchases, expenses, supplier invoices and payments."),
    colour="#b7791f",
    icon="receipt",
    portal_text=N_(
        "Get a purchase approved before you order, claim your expenses with receipts, "
        "and ask about supplier invoices and payments. Finance never changes bank "
        "details because of an email."
    ),
    package="polydesk.plugins.finance",
)


@hookimpl
def polydesk_register_departments() -> list[Department]:
    return [FINANCE]


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
            department="finance",
            name=N_("Finance policies and guides"),
            seed_dir=Path(__file__).parent / "knowledge",
        )
    ]


@hookimpl
def polydesk_register_queues() -> list[Queue]:
    return list(QUEUES)


@hookimpl
def polydesk_validate_request(request_type: RequestType, form_data: dict) -> dict[str, str] | None:
    return request_errors(request_type.key, form_data)


@hookimpl
def polydesk_validate_settings(plugin: str, settings: dict) -> dict[str, str] | None:
    """Approval thresholds and exchange rates (see `thresholds`)."""
    if plugin != "finance":
        return None
    return settings_errors(settings) or None


@hookimpl
def polydesk_on_event(event: Event, desk: Desk) -> Awaitable[None] | None:
    """Approvals: asked for when a purchase, expense or vendor needs them; acted on when decided.

    Other departments' events are turned away before any coroutine exists, so
    Finance adds no work (and no pending coroutine) to their deliveries."""
    if event.department != FINANCE.slug:
        return None
    return approvals.on_event(event, desk)
