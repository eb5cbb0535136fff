"""`/api/v1/tickets`: list, create, read, update, comment, transition, assign, link."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter
from litestar.serialization import encode_json

from polydesk.core.forms import Form
from polydesk.core.permissions import Actor
from polydesk.core.sla.services import clock_view, clocks_for
from polydesk.core.tickets import idempotency
from polydesk.core.tickets.schemas import ApprovalView, LinkView, TicketView, TimelineEntry
from polydesk.core.tickets.search import default_sort
from polydesk.core.tickets.services import TicketFilters, TicketService
from polydesk.web.deps import provide_actor, provide_tickets
from polydesk.web.schemas import (
    ApprovalDecision,
    ApprovalRequest,
    AssignmentChange,
    ChildCreate,
    CommentCreate,
    LinkCreate,
    TicketCreate,
    TicketListOut,
    TicketOut,
    TicketUpdate,
    TransitionApply,
    TransitionOut,
    ticket_out,
)


async def _outs(tickets: TicketService, views: list[TicketView]) -> list[TicketOut]:
    """API bodies with each ticket's SLA clocks, loaded in one query for the lot."""
    clocks = await clocks_for([v.id for v in views])
    return [ticket_out(v, [clock_view(tickets.snapshot, c) for c in clocks[v.id]]) for v in views]


def _created_out(
    tickets: TicketService, view: TicketView, clocks: list[dict[str, Any]]
) -> TicketOut:
    """A new ticket's body from what its creation wrote (no read after the commit)."""
    return ticket_out(view, [clock_view(tickets.snapshot, c) for c in clocks])


def _ref(ref: str) -> int | str:
    return int(ref) if ref.isdigit() else ref


#: The `Idempotency-Key` header of the endpoints that create a ticket.
IdempotencyKeyHeader = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        min_length=1,
        max_length=idempotency.MAX_KEY_LENGTH,
        required=False,
        description=(
            "Any unique string (a UUID, say), at most 255 characters. A retry with the "
            "same key and the same body returns the first ticket (with "
            "`Idempotent-Replayed: true`) instead of creating another; the same key "
            "with a different body is refused (422). Keys are kept for 24 hours."
        ),
    ),
]


async def _create_once(
    request: Request,
    actor: Actor,
    key: str | None,
    data: msgspec.Struct,
    create: Callable[[], Awaitable[TicketOut]],
) -> Response[TicketOut]:
    """Create through `create`, once per `Idempotency-Key` when one is sent."""
    if key is None:
        return Response(await create(), status_code=201)

    async def create_and_encode() -> tuple[int, int, bytes]:
        out = await create()
        return out.id, 201, encode_json(out)

    outcome = await idempotency.run_once(
        actor.person_id,
        key,
        idempotency.fingerprint(request.method, request.url.path, msgspec.to_builtins(data)),
        create_and_encode,
    )
    return Response(
        outcome.body,
        status_code=outcome.status_code,
        media_type="application/json",
        headers={"Idempotent-Replayed": "true"} if outcome.replayed else None,
    )


class TicketController(Controller):
    path = "/api/v1/tickets"
    tags = ["tickets"]
    dependencies = {"actor": Provide(provide_actor), "tickets": Provide(provide_tickets)}

    @get("/")
    async def list_tickets(
        self,
        actor: NamedDependency[Actor],
        tickets: NamedDependency[TicketService],
        department: FromQuery[list[str] | None] = None,
        request_type: FromQuery[list[str] | None] = None,
        workflow_state: Annotated[list[str] | None, QueryParameter(name="state")] = None,
        state_category: FromQuery[list[str] | None] = None,
        priority: FromQuery[list[int] | None] = None,
        assignee: FromQuery[str | None] = None,
        requester: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
        confidential: FromQuery[bool | None] = None,
        sort: FromQuery[str | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> TicketListOut:
        """Tickets you may see, keyset-paginated by `cursor`: SLA due first by default,
        newest first for a search (`q`) unless `sort` says otherwise."""
        page = await tickets.list(
            actor,
            TicketFilters(
                department=department,
                request_type=request_type,
                state=workflow_state,
                state_category=state_category,
                priority=priority,
                assignee=assignee,
                requester=requester,
                q=q,
                confidential=confidential,
                sort=sort or default_sort(q),
            ),
            cursor=cursor,
            limit=limit,
        )
        return TicketListOut(items=await _outs(tickets, page.items), next_cursor=page.next_cursor)

    @post("/")
    async def create_ticket(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        tickets: NamedDependency[TicketService],
        data: JSONBody[TicketCreate],
        idempotency_key: IdempotencyKeyHeader = None,
    ) -> Response[TicketOut]:
        """Raise a ticket; `form_data` is validated against the request type's form.
        Send `Idempotency-Key` to make a retry safe."""

        async def create() -> TicketOut:
            view, clocks = await tickets.create_with_clocks(
                actor,
                request_type=data.request_type,
                title=data.title,
                description=data.description,
                form_data=data.form_data,
                requester=data.requester,
            )
            return _created_out(tickets, view, clocks)

        return await _create_once(request, actor, idempotency_key, data, create)

    @get("/{ref:str}")
    async def get_ticket(
        self,
        actor: NamedDependency[Actor],
        tickets: NamedDependency[TicketService],
        ref: FromPath[str],
    ) -> TicketOut:
        """One ticket by key (`IT-12`) or id; 404 when you may not see it."""
        return (await _outs(tickets, [await tickets.get(actor, _ref(ref))]))[0]

    @patch("/{ref:str}")
    async def update_ticket(
        self,
        actor: NamedDependency[Actor],
        tickets: NamedDependency[TicketService],
        ref: FromPath[str],
        data: JSONBody[TicketUpdate],
    ) -> TicketOut:
        """Change title or priority; `version` must be the one you read, else 409."""
        view = await tickets.update(
            actor, _ref(ref), version=data.version, title=data.title, priority=data.priority
        )
        return (await _outs(tickets, [view]))[0]

    @get("/{ref:str}/timeline")
    async def get_timeline(
        self,
        actor: NamedDependency[Actor],
        tickets: NamedDependency[TicketService],
        ref: FromPath[str],
    ) -> list[TimelineEntry]:
        """The ticket's history; requesters see only its public part."""
        return await tickets.timeline(actor, _ref(ref))

    @post("/{ref:str}/comments")
    async def create_comment(
        self,
        actor: NamedDependency[Actor],
        tickets: NamedDependency[TicketService],
        ref: FromPath[str],
        data: JSONBody[CommentCreate],
    ) -> TicketOut:
        """A public reply, or with `public: false` an internal note (agents)."""
        view = await tickets.comment(actor, _ref(ref), body=data.body, public=data.public)
        return (await _outs(tickets, [view]))[0]

    @get("/{ref:str}/transitions")
    async def list_transitions(
        self,
        actor: NamedDependency[Actor],
        tickets: NamedDependency[TicketService],
        ref: FromPath[str],
    ) -> list[TransitionOut]:
        """Transitions you may take from the current state, with the fields each asks for."""
        ticket = await tickets.get(actor, _ref(ref))
        return [
            TransitionOut(
                key=t.key, label=t.label, to_state=t.to_state, fields=Form(t.fields).json_schema()
            )
            for t in tickets.available_transitions(actor, ticket)
        ]

    @post("/{ref:str}/transitions")
    async def apply_transition(
        self,
        actor: NamedDependency[Actor],
        tickets: NamedDependency[TicketService],
        ref: FromPath[str],
        data: JSONBody[TransitionApply],
    ) -> TicketOut:
        """Move the ticket along its workflow; guards may refuse with a reason (409)."""
        view = await tickets.transition(
            actor,
            _ref(ref),
            data.transition,
            version=data.version,
            fields=data.fields,
            comment=data.comment,
        )
        return (await _outs(tickets, [view]))[0]

    @post("/{ref:str}/assignment")
    async def update_assignment(
        self,
        actor: NamedDependency[Actor],
        tickets: NamedDependency[TicketService],
        ref: FromPath[str],
        data: JSONBody[AssignmentChange],
    ) -> TicketOut:
        """Assign to an agent of the department (`""` unassigns) and/or a group."""
        view = await tickets.assign(
            actor, _ref(ref), version=data.version, assignee=data.assignee, group=data.group
        )
        return (await _outs(tickets, [view]))[0]

    @get("/{ref:str}/links")
    async def list_links(
        self,
        actor: NamedDependency[Actor],
        tickets: NamedDependency[TicketService],
        ref: FromPath[str],
    ) -> list[LinkView]:
        return await tickets.links(actor, _ref(ref))

    @post("/{ref:str}/links")
    async def create_link(
        self,
        actor: NamedDependency[Actor],
        tickets: NamedDependency[TicketService],
        ref: FromPath[str],
        data: JSONBody[LinkCreate],
    ) -> LinkView:
        """Link to another ticket: relates_to, duplicates, blocks or caused_by."""
        return await tickets.link(actor, _ref(ref), target=_ref(data.target), kind=data.kind)

    @get("/{ref:str}/children")
    async def list_children(
        self,
        actor: NamedDependency[Actor],
        tickets: NamedDependency[TicketService],
        ref: FromPath[str],
    ) -> list[TicketOut]:
        return await _outs(tickets, await tickets.children(actor, _ref(ref)))

    @post("/{ref:str}/children")
    async def create_child(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        tickets: NamedDependency[TicketService],
        ref: FromPath[str],
        data: JSONBody[ChildCreate],
        idempotency_key: IdempotencyKeyHeader = None,
    ) -> Response[TicketOut]:
        """Open a child task, in any enabled department, under this ticket (agents).
        Send `Idempotency-Key` to make a retry safe."""

        async def create() -> TicketOut:
            parent = await tickets.get(actor, _ref(ref))
            view, clocks = await tickets.create_with_clocks(
                actor,
                request_type=data.request_type,
                title=data.title,
                description=data.description,
                form_data=data.form_data,
                requester=data.requester or parent.requester.username,
                parent=parent,
            )
            return _created_out(tickets, view, clocks)

        return await _create_once(request, actor, idempotency_key, data, create)

    @get("/{ref:str}/approvals")
    async def list_approvals(
        self,
        actor: NamedDependency[Actor],
        tickets: NamedDependency[TicketService],
        ref: FromPath[str],
    ) -> list[ApprovalView]:
        return await tickets.approvals(actor, _ref(ref))

    @post("/{ref:str}/approvals")
    async def create_approval(
        self,
        actor: NamedDependency[Actor],
        tickets: NamedDependency[TicketService],
        ref: FromPath[str],
        data: JSONBody[ApprovalRequest],
    ) -> ApprovalView:
        """Ask someone to approve this ticket (agents)."""
        return await tickets.request_approval(
            actor, _ref(ref), approver=data.approver, step=data.step, rule=data.rule
        )

    @post("/{ref:str}/approvals/{approval_id:int}/decision")
    async def decide_approval(
        self,
        actor: NamedDependency[Actor],
        tickets: NamedDependency[TicketService],
        ref: FromPath[str],
        approval_id: FromPath[int],
        data: JSONBody[ApprovalDecision],
    ) -> ApprovalView:
        """The approver approves or rejects, with an optional comment."""
        return await tickets.decide_approval(
            actor, _ref(ref), approval_id, approve=data.approve, comment=data.comment
        )
