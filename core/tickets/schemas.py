"""Read models of tickets: what services return and hooks receive (never Piccolo rows)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec


class PersonRef(msgspec.Struct, frozen=True):
    id: int
    username: str
    display_name: str


class TicketFields(msgspec.Struct, frozen=True, kw_only=True):
    """What anyone who may see a ticket may know about it (the API's ticket body)."""

    id: int
    key: str
    department: str
    request_type: str
    title: str
    description: str
    form_data: dict[str, Any]
    state: str
    state_category: str
    priority: int
    requester: PersonRef
    assignee: PersonRef | None
    assignment_group: str
    confidential: bool
    parent_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    sla_due_at: dt.datetime | None
    version: int


class TicketView(TicketFields, frozen=True, kw_only=True):
    """A ticket as services pass it around, with what permission checks need."""

    # Internal, for permission checks; the API leaves them out.
    confidential_team: str | None = None
    approver_ids: tuple[int, ...] = ()


class TimelineEntry(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    kind: str
    public: bool
    actor: PersonRef | None
    body: str
    data: dict[str, Any]
    ticket_version: int
    created_at: dt.datetime


class LinkView(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    ticket_id: int
    ticket_key: str
    direction: str  # "outgoing" or "incoming"


class ApprovalView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    step: int
    approver: PersonRef
    rule: str
    state: str
    comment: str
    decided_at: dt.datetime | None
    #: `rule` as a translatable message (`{"msgid", "params"}`) when a plugin wrote one.
    rule_message: dict[str, Any] | None = None


class TicketPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[TicketView]
    next_cursor: str | None
