"""Legal's hook implementations: the only module of the plugin that pluggy sees."""

from __future__ import annotations

from pathlib import Path

from polydesk.core import (
    Department,
    KnowledgeSpace,
    Queue,
    RequestType,
    SLAPolicy,
    Workflow,
    hookimpl,
)
from polydesk.plugins.legal.queues import QUEUES
from polydesk.plugins.legal.request_types import KNOWLEDGE_SPACE, REQUEST_TYPES
from polydesk.plugins.legal.sla import SLA_POLICIES
from polydesk.plugins.legal.workflows import WORKFLOWS

LEGAL = Department(
    slug="legal",
    name="Legal",
    key_prefix="LEG",
    description="Contracts, NDAs, legal advice and sensitive matters.",
    colour="#6b46c1",
    icon="scale",
    portal_text=(
        "Send contracts for review well before they must be signed; a standard NDA on "
        "our template goes out within a working day. Never sign anything Legal has not "
        "approved."
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
            name="Contracting guides",
            seed_dir=Path(__file__).parent / "knowledge",
        )
    ]


@hookimpl
def polydesk_register_queues() -> list[Queue]:
    return list(QUEUES)
