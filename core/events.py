"""Domain events. Written to the outbox in the change's own transaction and
delivered after commit to `polydesk_on_event`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class Event:
    name: ClassVar[str] = "event"
    ticket_id: int
    ticket_key: str
    department: str

    def to_payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class TicketCreated(Event):
    name: ClassVar[str] = "ticket.created"
    request_type: str = ""
    requester: str = ""
    parent_id: int | None = None


@dataclass(frozen=True)
class TicketTransitioned(Event):
    name: ClassVar[str] = "ticket.transitioned"
    transition: str = ""
    from_state: str = ""
    to_state: str = ""
    to_category: str = ""
    actor: str | None = None


@dataclass(frozen=True)
class CommentAdded(Event):
    name: ClassVar[str] = "ticket.comment_added"
    public: bool = True
    actor: str | None = None
    version: int = 0  # the ticket version the comment made (finds it on the timeline)


@dataclass(frozen=True)
class TicketAssigned(Event):
    name: ClassVar[str] = "ticket.assigned"
    assignee: str | None = None
    group: str | None = None
    actor: str | None = None


@dataclass(frozen=True)
class TicketUpdated(Event):
    name: ClassVar[str] = "ticket.updated"
    changed: tuple[str, ...] = ()
    actor: str | None = None


@dataclass(frozen=True)
class ApprovalRequested(Event):
    """Someone was asked to approve the ticket (sequential steps: `step` orders them)."""

    name: ClassVar[str] = "ticket.approval_requested"
    approval_id: int = 0
    approver: str = ""
    step: int = 1
    actor: str | None = None


@dataclass(frozen=True)
class ApprovalDecided(Event):
    name: ClassVar[str] = "ticket.approval_decided"
    approval_id: int = 0
    decision: str = ""  # "approved" or "rejected"
    step: int = 1
    actor: str | None = None


@dataclass(frozen=True)
class SLAWarning(Event):
    """A clock reached its warning point (by default 80% of its target)."""

    name: ClassVar[str] = "sla.warning"
    metric: str = ""
    due_at: str = ""  # ISO 8601, UTC


@dataclass(frozen=True)
class SLABreached(Event):
    """A clock passed its due date before being met. `notify_lead` asks
    notifications to tell the department's leads."""

    name: ClassVar[str] = "sla.breached"
    metric: str = ""
    due_at: str = ""
    notify_lead: bool = True
    raised_priority_to: int | None = None
    reassigned_group: str | None = None


EVENT_TYPES: dict[str, type[Event]] = {
    cls.name: cls
    for cls in (
        TicketCreated,
        TicketTransitioned,
        CommentAdded,
        TicketAssigned,
        TicketUpdated,
        ApprovalRequested,
        ApprovalDecided,
        SLAWarning,
        SLABreached,
    )
}


def event_from_payload(name: str, payload: dict[str, Any]) -> Event:
    """Rebuild an event read back from the outbox."""
    cls = EVENT_TYPES[name]
    fields = {f.name for f in dataclasses.fields(cls)}
    data = {k: v for k, v in payload.items() if k in fields}
    if "changed" in data:
        data["changed"] = tuple(data["changed"])
    return cls(**data)
