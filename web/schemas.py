"""Request and response bodies of the JSON API (msgspec Structs).

Inputs forbid unknown fields, so a requester cannot set assignee, state or
priority by adding keys to a request.
"""

from __future__ import annotations

from typing import Any

import msgspec

from polydesk.core.sla.services import ClockView
from polydesk.core.specs import RequestType
from polydesk.core.tickets.schemas import TicketFields, TicketView


class Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class TicketCreate(Strict):
    request_type: str
    title: str
    description: str = ""
    form_data: dict[str, Any] = msgspec.field(default_factory=dict)
    requester: str | None = None  # agents only: raise it on someone's behalf


class ChildCreate(TicketCreate):
    pass


class TicketUpdate(Strict):
    version: int
    title: str | None = None
    priority: int | None = None


class CommentCreate(Strict):
    body: str
    public: bool = True


class TransitionApply(Strict):
    transition: str
    version: int | None = None
    fields: dict[str, Any] = msgspec.field(default_factory=dict)
    comment: str = ""


class AssignmentChange(Strict):
    version: int | None = None
    assignee: str | None = None  # username, or "" to unassign
    group: str | None = None


class LinkCreate(Strict):
    target: str  # ticket key or id
    kind: str = "relates_to"


class ApprovalRequest(Strict):
    approver: str
    step: int = 1
    rule: str = ""


class ApprovalDecision(Strict):
    approve: bool
    comment: str = ""


class LoginBody(Strict):
    username: str
    password: str


class TokenCreate(Strict):
    name: str = "script"


class TicketOut(TicketFields, frozen=True, kw_only=True):
    """A ticket in the API: its fields and its SLA clocks."""

    sla: list[ClockView] = msgspec.field(default_factory=list)


_OUT_FIELDS = TicketFields.__struct_fields__


def ticket_out(view: TicketView, clocks: list[ClockView] | None = None) -> TicketOut:
    return TicketOut(**{name: getattr(view, name) for name in _OUT_FIELDS}, sla=clocks or [])


class TicketListOut(msgspec.Struct, kw_only=True):
    items: list[TicketOut]
    next_cursor: str | None


class TransitionOut(msgspec.Struct, kw_only=True):
    key: str
    label: str
    to_state: str
    fields: dict[str, Any]  # JSON Schema of the fields asked for


class DepartmentOut(msgspec.Struct, kw_only=True):
    slug: str
    name: str
    description: str
    key_prefix: str
    colour: str
    enabled: bool


class RequestTypeOut(msgspec.Struct, kw_only=True):
    key: str
    department: str
    name: str
    description: str
    category: str
    confidential: bool
    agents_only: bool
    workflow: str
    sla_policy: str
    form_schema: dict[str, Any]


def request_type_out(rt: RequestType) -> RequestTypeOut:
    return RequestTypeOut(
        key=rt.key,
        department=rt.department,
        name=rt.name,
        description=rt.description,
        category=rt.category,
        confidential=rt.confidential_team is not None,
        agents_only=rt.agents_only,
        workflow=rt.workflow,
        sla_policy=rt.sla_policy,
        form_schema=rt.form.json_schema(),
    )


class PluginOut(msgspec.Struct, kw_only=True):
    name: str
    enabled: bool
    version: str
    description: str
    departments: list[str]


class MeOut(msgspec.Struct, kw_only=True):
    id: int
    username: str
    display_name: str
    is_admin: bool
    roles: dict[str, str]


class TokenOut(msgspec.Struct, kw_only=True):
    name: str
    token: str  # shown once
