"""Ticket rules: create, read, list, comment, assign, update, transition, link.

Every change runs in one transaction that also appends its timeline event and
its outbox event, and bumps the ticket's version. Updates carry the version the
caller saw; a stale one raises `Conflict` with the ticket as it is now. Every
read goes through `visible_tickets_where`, so a ticket the actor may not see is
`NotFound`, never `PermissionDenied`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import msgspec

from polydesk.core.db import transaction
from polydesk.core.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from polydesk.core.events import (
    ApprovalDecided,
    ApprovalRequested,
    CommentAdded,
    Event,
    TicketAssigned,
    TicketCreated,
    TicketTransitioned,
    TicketUpdated,
)
from polydesk.core.forms import Form, masked
from polydesk.core.hookcalls import gather
from polydesk.core.i18n import Message
from polydesk.core.i18n import gettext as _
from polydesk.core.outbox.services import enqueue
from polydesk.core.people.tables import Person
from polydesk.core.permissions import Actor, can, sees_new_ticket, visible_tickets_where
from polydesk.core.runtime import Snapshot
from polydesk.core.sla.services import (
    NO_DUE_DATE,
    due_of,
    insert_clocks,
    new_ticket_clocks,
    recompute_clocks,
)
from polydesk.core.specs import (
    ACTIVE_CATEGORIES,
    Priority,
    RequestType,
    TicketDraft,
    Transition,
    Workflow,
)
from polydesk.core.tickets.schemas import (
    ApprovalView,
    LinkView,
    PersonRef,
    TicketPage,
    TicketView,
    TimelineEntry,
)
from polydesk.core.tickets.search import match_where, newest
from polydesk.core.tickets.tables import (
    Approval,
    DepartmentCounter,
    Ticket,
    TicketLink,
    TimelineEvent,
)

MAX_TITLE = 200
MAX_BODY = 50_000
MAX_PAGE = 200
LINK_KINDS = ("relates_to", "duplicates", "blocks", "caused_by")
FINAL_CATEGORIES = ("closed", "cancelled")
#: Ids, priorities and steps are 32-bit integer columns on PostgreSQL: a larger
#: number from a URL or a cursor is refused before it reaches the database.
MAX_INT = 2**31 - 1
MAX_APPROVAL_STEP = 100
DONE_CATEGORIES = ("resolved", "closed", "cancelled")


class TicketFilters(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Filters of the ticket list; every field narrows, none widens."""

    department: list[str] | None = None
    request_type: list[str] | None = None
    state: list[str] | None = None
    state_category: list[str] | None = None
    priority: list[int] | None = None
    assignee: str | None = None  # "me", "none" or a username
    requester: str | None = None  # "me" or a username
    parent: int | None = None
    q: str | None = None  # words in the title or description, or a ticket key
    confidential: bool | None = None  # only confidential tickets (True) or none of them (False)
    sort: str = "sla"  # "sla" (due first) or "newest"


def _ticket_columns() -> list[Any]:
    return [
        *Ticket.all_columns(),
        Ticket.requester.username.as_alias("requester_username"),
        Ticket.requester.display_name.as_alias("requester_name"),
        Ticket.assignee.username.as_alias("assignee_username"),
        Ticket.assignee.display_name.as_alias("assignee_name"),
    ]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _written(text: str | Message) -> tuple[str, dict[str, Any]]:
    """Text Polydesk writes (plain, or a `Message` a plugin wrote) as what is stored:
    its English text, and the message's data for showing it in each reader's language."""
    if isinstance(text, Message):
        return str(text), {"message": text.to_data()}
    return text or "", {}


def _to_view(row: dict[str, Any], approver_ids: Sequence[int] = ()) -> TicketView:
    assignee = None
    if row["assignee"] is not None:
        assignee = PersonRef(
            id=row["assignee"], username=row["assignee_username"], display_name=row["assignee_name"]
        )
    due = row["sla_due_at"]
    return TicketView(
        id=row["id"],
        key=row["key"],
        department=row["department"],
        request_type=row["request_type"],
        title=row["title"],
        description=row["description"],
        form_data=_json(row["form_data"]) or {},
        state=row["state"],
        state_category=row["state_category"],
        priority=row["priority"],
        requester=PersonRef(
            id=row["requester"],
            username=row["requester_username"],
            display_name=row["requester_name"],
        ),
        assignee=assignee,
        assignment_group=row["assignment_group"],
        confidential=row["confidential_team"] is not None,
        parent_id=row["parent"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        first_response_at=row["first_response_at"],
        resolved_at=row["resolved_at"],
        closed_at=row["closed_at"],
        sla_due_at=None if due is None or due >= NO_DUE_DATE else due,
        version=row["version"],
        confidential_team=row["confidential_team"],
        approver_ids=tuple(approver_ids),
    )


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed({"cursor": _("This cursor is not valid.")}) from None
    if not isinstance(values, list) or not values:
        raise ValidationFailed({"cursor": _("This cursor is not valid.")})
    return values


class TicketService:
    """Ticket operations as one actor sees them, against one request's Snapshot."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.registry = snapshot.registry

    # -- helpers ----------------------------------------------------------

    def _now(self) -> dt.datetime:
        return self.snapshot.now()

    def _can(self, actor: Actor, action: str, resource: Any) -> bool:
        return can(self.snapshot.pm, self.snapshot.disabled_plugins, actor, action, resource)

    def workflow_of(self, ticket: TicketView) -> Workflow:
        return self.registry.workflows[self.registry.request_types[ticket.request_type].workflow]

    async def _load(self, actor: Actor, ref: int | str) -> TicketView:
        if isinstance(ref, int) and not 0 < ref <= MAX_INT:
            raise NotFound(_("No such ticket."))
        where = Ticket.id == ref if isinstance(ref, int) else Ticket.key == str(ref).upper()
        row = (
            await Ticket.select(*_ticket_columns())
            .where(where & visible_tickets_where(actor, self.snapshot.disabled_departments))
            .output(load_json=True)
            .first()
        )
        if row is None:
            raise NotFound(_("No such ticket."))
        approvers = await Approval.select(Approval.approver).where(Approval.ticket == row["id"])
        ticket = _to_view(row, [a["approver"] for a in approvers])
        if not self._can(actor, "ticket.view", ticket):
            raise NotFound(_("No such ticket."))
        return self._masked(ticket, reveal=actor.is_system or actor.is_agent_of(ticket.department))

    async def _read(self, actor: Actor, ref: int | str | TicketView) -> TicketView:
        """`_load` for read-only side queries; a TicketView this service already
        loaded for `actor` is taken as it is (a ticket page asks for its timeline,
        files, links, children and approvals: one load instead of six)."""
        return ref if isinstance(ref, TicketView) else await self._load(actor, ref)

    def _masked(self, ticket: TicketView, *, reveal: bool) -> TicketView:
        """Sensitive form fields in full only for the department's agents on the ticket itself."""
        rt = self.registry.request_types.get(ticket.request_type)
        if reveal or rt is None or not any(f.sensitive for f in rt.form.fields):
            return ticket
        return msgspec.structs.replace(ticket, form_data=masked(rt.form, ticket.form_data))

    async def _event(
        self,
        ticket_id: int,
        kind: str,
        actor: Actor,
        *,
        version: int,
        public: bool,
        body: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        await TimelineEvent.insert(
            TimelineEvent(
                ticket=ticket_id,
                kind=kind,
                actor=None if actor.is_system else actor.person_id,
                public=public,
                body=body,
                data=data or {},
                ticket_version=version,
                created_at=self._now(),
            )
        )

    async def _bump(
        self, ticket: TicketView, expected_version: int | None, values: dict[Any, Any]
    ) -> int:
        """Apply `values` if the version still matches; returns the new version.

        Without an expected version (replies, links, children, approvals) a racing
        writer is never refused: the row's version is incremented in place, so
        PostgreSQL waits for the other transaction and numbers this change after it.
        """
        if expected_version is None:
            rows = (
                await Ticket.update(
                    {**values, Ticket.version: Ticket.version + 1, Ticket.updated_at: self._now()}
                )
                .where(Ticket.id == ticket.id)
                .returning(Ticket.version)
            )
            return rows[0]["version"]
        if expected_version != ticket.version:
            raise Conflict(_("The ticket was changed by someone else."), current=ticket)
        new_version = ticket.version + 1
        updated = (
            await Ticket.update(
                {**values, Ticket.version: new_version, Ticket.updated_at: self._now()}
            )
            .where((Ticket.id == ticket.id) & (Ticket.version == ticket.version))
            .returning(Ticket.id)
        )
        if not updated:
            raise Conflict(_("The ticket was changed by someone else."), current=ticket)
        return new_version

    async def _emit(self, event: Event) -> None:
        await enqueue(event, self._now())

    async def _person(self, username: str) -> int:
        row = await Person.select(Person.id).where(Person.username == username).first()
        if row is None:
            raise ValidationFailed(
                {"username": _("No person named %(name)s.", name=repr(username))}
            )
        return row["id"]

    async def _person_ref(self, username: str) -> PersonRef:
        row = (
            await Person.select(Person.id, Person.username, Person.display_name)
            .where(Person.username == username)
            .first()
        )
        if row is None:
            raise ValidationFailed(
                {"username": _("No person named %(name)s.", name=repr(username))}
            )
        return PersonRef(id=row["id"], username=row["username"], display_name=row["display_name"])

    # -- create -------------------------------------------------------------

    async def create(
        self,
        actor: Actor,
        *,
        request_type: str,
        title: str,
        description: str = "",
        form_data: dict[str, Any] | None = None,
        requester: str | None = None,
        parent: int | str | TicketView | None = None,
    ) -> TicketView:
        """Open a ticket of `request_type` for `actor` (or, for agents, for `requester`).

        Validates the title and the form (every channel uses this), asks plugins
        for extra validation, priority and routing, takes the next human key of
        the department, and records the creation on the timeline and outbox.
        """
        view, _clocks = await self.create_with_clocks(
            actor,
            request_type=request_type,
            title=title,
            description=description,
            form_data=form_data,
            requester=requester,
            parent=parent,
        )
        return view

    async def create_with_clocks(
        self,
        actor: Actor,
        *,
        request_type: str,
        title: str,
        description: str = "",
        form_data: dict[str, Any] | None = None,
        requester: str | None = None,
        parent: int | str | TicketView | None = None,
    ) -> tuple[TicketView, list[dict[str, Any]]]:
        """`create`, also returning the SLA clocks it started as stored rows (what
        `clocks_for` reads), so an answer needs no read after the commit."""
        rt = self.registry.request_types.get(request_type)
        if rt is None or not (self.snapshot.is_request_type_offered(rt) or actor.is_system):
            raise ValidationFailed({"request_type": _("No such request type.")})
        if rt.agents_only and not (actor.is_system or actor.is_agent_of(rt.department)):
            raise ValidationFailed(
                {"request_type": _("Only the department's agents file this type.")}
            )
        errors: dict[str, str] = {}
        title = (title or "").strip()
        if not title:
            errors["title"] = _("A title is required.")
        elif len(title) > MAX_TITLE:
            errors["title"] = _("At most %(max)s characters.", max=MAX_TITLE)
        if len(description or "") > MAX_BODY:
            errors["description"] = _("At most %(max)s characters.", max=MAX_BODY)
        try:
            cleaned = rt.form.validate(form_data)
        except ValidationFailed as exc:
            errors.update({f"form_data.{k}": v for k, v in exc.fields.items()})
            cleaned = {}
        if errors:
            raise ValidationFailed(errors)
        for extra in await gather(
            self.snapshot.hook("polydesk_validate_request")(
                request_type=rt, form_data=cleaned, actor=actor
            )
        ):
            errors.update({f"form_data.{k}": v for k, v in extra.items()})
        if errors:
            raise ValidationFailed(errors)

        requester_ref = PersonRef(
            id=actor.person_id, username=actor.username, display_name=actor.display_name
        )
        if requester and requester != actor.username:
            if not self._can(actor, "ticket.create_on_behalf", rt):
                if rt.confidential_team and actor.is_agent_of(rt.department):
                    raise PermissionDenied(
                        _(
                            "Only the team this confidential request belongs to can raise "
                            "it for someone else: ask that team, or the person, to raise it."
                        )
                    )
                raise PermissionDenied(
                    _("Only agents of this department can raise tickets for others.")
                )
            requester_ref = await self._person_ref(requester)
        parent_view = await self._read(actor, parent) if parent is not None else None
        if parent_view is not None and not self._can(actor, "ticket.create_child", parent_view):
            raise PermissionDenied(
                _("Only agents of the parent's department can create child tasks.")
            )
        if parent_view is not None and requester is None and actor.is_system:
            requester_ref = parent_view.requester
        if actor.is_system and requester_ref.id == 0:
            raise ValidationFailed({"requester": _("A system-created ticket needs a requester.")})

        draft = TicketDraft(
            department=rt.department,
            request_type=rt,
            title=title,
            description=description or "",
            form_data=cleaned,
            requester=requester_ref.username,
        )
        priority = Priority(
            self.snapshot.hook("polydesk_priority")(draft=draft) or rt.default_priority
        )
        route = self.snapshot.hook("polydesk_route_ticket")(draft=draft)
        assignee = await self._person_ref(route.assignee) if route and route.assignee else None
        workflow = self.registry.workflows[rt.workflow]
        initial = workflow.state(workflow.initial_state)
        prefix = self.registry.departments[rt.department].key_prefix
        now = self._now()
        # Everything that needs no lock happens before BEGIN: on SQLite the
        # transaction holds the database's one write lock, which every other
        # creation waits for. A new ticket's clocks follow from what it is
        # created with, so they are computed here rather than read back.
        clocks = new_ticket_clocks(
            self.snapshot,
            rt.key,
            created_at=now,
            category=initial.category,
            priority=int(priority),
            form_data=cleaned,
        )
        created = TimelineEvent(
            kind="created",
            actor=None if actor.is_system else actor.person_id,
            public=True,
            body="",
            data={
                "request_type": rt.key,
                "priority": int(priority),
                "state": initial.key,
                "category": initial.category,
            },
            ticket_version=1,
            created_at=now,
        )
        view = TicketView(
            id=0,
            key="",
            department=rt.department,
            request_type=rt.key,
            title=title,
            description=description or "",
            form_data=json.loads(json.dumps(cleaned)),  # as it reads back from the database
            state=initial.key,
            state_category=initial.category,
            priority=int(priority),
            requester=requester_ref,
            assignee=assignee,
            assignment_group=(route.group if route and route.group else "") or "",
            confidential=rt.confidential_team is not None,
            parent_id=parent_view.id if parent_view else None,
            created_at=now,
            updated_at=now,
            first_response_at=None,
            resolved_at=None,
            closed_at=None,
            sla_due_at=None,
            version=1,
            confidential_team=rt.confidential_team,
        )
        due = due_of(clocks)

        async with transaction():
            number_rows = await DepartmentCounter.raw(
                "UPDATE department_counter SET last_number = last_number + 1 "
                "WHERE department = {} RETURNING last_number",
                rt.department,
            )
            if not number_rows:
                raise NotFound(f"Department {rt.department!r} has not been synced; run migrate.")
            number = number_rows[0]["last_number"]
            key = f"{prefix}-{number}"
            rows = await Ticket.insert(
                Ticket(
                    key=key,
                    number=number,
                    department=rt.department,
                    request_type=rt.key,
                    title=title,
                    description=view.description,
                    form_data=cleaned,
                    state=initial.key,
                    state_category=initial.category,
                    priority=int(priority),
                    requester=requester_ref.id,
                    assignee=assignee.id if assignee else None,
                    assignment_group=view.assignment_group,
                    confidential_team=rt.confidential_team,
                    parent=view.parent_id,
                    created_at=now,
                    updated_at=now,
                    sla_due_at=due,
                    version=1,
                )
            ).returning(Ticket.id)
            ticket_id = rows[0]["id"]
            created.ticket = ticket_id
            events = [created]
            if parent_view is not None:
                events.append(
                    TimelineEvent(
                        ticket=parent_view.id,
                        kind="child_created",
                        actor=created.actor,
                        public=False,
                        body="",
                        data={"child_id": ticket_id, "child_key": key},
                        ticket_version=parent_view.version,
                        created_at=now,
                    )
                )
            await TimelineEvent.insert(*events)
            await self._emit(
                TicketCreated(
                    ticket_id=ticket_id,
                    ticket_key=key,
                    department=rt.department,
                    request_type=rt.key,
                    requester=requester_ref.username,
                    parent_id=view.parent_id,
                )
            )
            clock_rows = await insert_clocks(ticket_id, clocks, now)
        view = msgspec.structs.replace(
            view,
            id=ticket_id,
            key=key,
            sla_due_at=None if due >= NO_DUE_DATE else due,
        )
        # What `_load` would answer, without reading the ticket back: the
        # creator may not see it (a confidential type filed on someone's behalf).
        seen = sees_new_ticket(
            actor,
            department=view.department,
            requester_id=view.requester.id,
            confidential_team=view.confidential_team,
            disabled_departments=self.snapshot.disabled_departments,
        )
        if not (seen and self._can(actor, "ticket.view", view)):
            raise NotFound(_("No such ticket."))
        reveal = actor.is_system or actor.is_agent_of(view.department)
        return self._masked(view, reveal=reveal), clock_rows

    # -- read ---------------------------------------------------------------

    async def get(self, actor: Actor, ref: int | str | TicketView) -> TicketView:
        """The ticket, or `NotFound` when it does not exist or `actor` may not see it."""
        return await self._read(actor, ref)

    def _where(self, actor: Actor, filters: TicketFilters) -> Any:
        """The WHERE clause of a ticket list: visibility first, then the filters."""
        where: Any = visible_tickets_where(actor, self.snapshot.disabled_departments)
        if filters.department:
            where &= Ticket.department.is_in(filters.department)
        if filters.request_type:
            where &= Ticket.request_type.is_in(filters.request_type)
        if filters.state:
            where &= Ticket.state.is_in(filters.state)
        if filters.state_category:
            where &= Ticket.state_category.is_in(filters.state_category)
        if filters.priority:
            if not set(filters.priority) <= {p.value for p in Priority}:
                raise ValidationFailed({"priority": _("Choose priorities from 1 (P1) to 4 (P4).")})
            where &= Ticket.priority.is_in(filters.priority)
        if filters.assignee == "me":
            where &= Ticket.assignee == actor.person_id
        elif filters.assignee == "none":
            where &= Ticket.assignee.is_null()
        elif filters.assignee:
            where &= Ticket.assignee.username == filters.assignee
        if filters.requester == "me":
            where &= Ticket.requester == actor.person_id
        elif filters.requester:
            where &= Ticket.requester.username == filters.requester
        if filters.parent is not None:
            where &= Ticket.parent == filters.parent
        if filters.confidential is True:
            where &= Ticket.confidential_team.is_not_null()
        elif filters.confidential is False:
            where &= Ticket.confidential_team.is_null()
        if filters.q and filters.sort != "newest":  # (newest first: `search.newest` walks)
            # Words in the title or description, through the search index; a key finds its ticket.
            matched = match_where(filters.q)
            if matched is not None:
                where &= matched
        if filters.sort not in ("sla", "newest"):
            raise ValidationFailed({"sort": _("Sort by 'sla' or 'newest'.")})
        return where

    async def count(
        self, actor: Actor, filters: TicketFilters | None = None, *, cap: int = 1000
    ) -> int:
        """How many tickets match, counting at most `cap` (a badge shows "999+").

        The count reads at most `cap` index entries, so a queue badge costs the
        same at a million tickets as at a hundred.
        """
        filters = filters or TicketFilters()
        categories = list(dict.fromkeys(filters.state_category or []))
        if len(categories) > 1 and not filters.q:  # (a search is bounded by its own index)
            # State by state, each capped by what is left: one range of
            # ticket_queue_idx each, where a list of states made the planner
            # walk the request-type index instead (P1/P2 queue at 1M: 480 ms).
            total = 0
            for category in categories:
                one = msgspec.structs.replace(filters, state_category=[category])
                total += await self.count(actor, one, cap=cap - total)
                if total >= cap:
                    break
            return total
        where = self._where(actor, filters)
        if filters.q and filters.sort == "newest":  # a search: its newest `cap` visible matches
            select = lambda: Ticket.select(Ticket.id)  # noqa: E731
            found = await newest(filters.q, select, where, below=None, want=cap)
            if found is not None:
                return len(found)
        capped = Ticket.select(Ticket.id).where(where).limit(cap)
        # Counted by the database: fetching up to `cap` rows to count them in
        # Python was most of the workspace's side bar (6 queues, 20 ms each).
        rows = await Ticket.raw("SELECT count(*) AS n FROM ({}) AS capped", capped.querystrings[0])
        return rows[0]["n"]

    async def list(
        self,
        actor: Actor,
        filters: TicketFilters | None = None,
        *,
        cursor: str | None = None,
        limit: int = 50,
    ) -> TicketPage:
        """A page of the tickets `actor` may see, keyset-paginated.

        `sort="sla"` orders by SLA due date then id (the queue order, served by
        `ticket_queue_idx`); `sort="newest"` by id descending.
        """
        filters = filters or TicketFilters()
        limit = max(1, min(limit, MAX_PAGE))
        where = self._where(actor, filters)

        query: Any = Ticket.select(*_ticket_columns()).output(load_json=True).limit(limit + 1)
        rows: list[dict[str, Any]] = []
        if filters.sort == "sla":
            if cursor:
                due_raw, last_id = ([*decode_cursor(cursor), None, None])[:2]
                try:
                    due = dt.datetime.fromisoformat(due_raw)
                    last_id = int(last_id)
                    if not 0 <= last_id <= MAX_INT:
                        raise ValueError(last_id)
                except (TypeError, ValueError, OverflowError):
                    raise ValidationFailed({"cursor": _("This cursor is not valid.")}) from None
                # The plain range first: PostgreSQL cannot start an index scan at
                # an OR, and read the queue from its head to the cursor (1M: 220 ms).
                where &= (Ticket.sla_due_at >= due) & (
                    (Ticket.sla_due_at > due) | ((Ticket.sla_due_at == due) & (Ticket.id > last_id))
                )
            query = query.where(where).order_by(Ticket.sla_due_at, Ticket.id)
            categories = list(dict.fromkeys(filters.state_category or []))
            if len(categories) > 1 and not filters.q:  # a search: its index bounds it
                # One ordered range of ticket_queue_idx per category, merged here:
                # across several categories the index has no single SLA order, and
                # the database read and sorted every active ticket (0.4 s at 1M).
                parts = [
                    Ticket.select(*_ticket_columns())
                    .output(load_json=True)
                    .where(where & (Ticket.state_category == category))
                    .order_by(Ticket.sla_due_at, Ticket.id)
                    .limit(limit + 1)
                    for category in categories
                ]
                merged = [row for part in parts for row in await part]
                query = None
                rows = sorted(merged, key=lambda r: (r["sla_due_at"], r["id"]))[: limit + 1]
        else:
            last_id = None
            if cursor:
                try:
                    last_id = int(decode_cursor(cursor)[0])
                    if not 0 <= last_id <= MAX_INT:
                        raise ValueError(last_id)
                except (TypeError, ValueError, OverflowError):
                    raise ValidationFailed({"cursor": _("This cursor is not valid.")}) from None
                where &= Ticket.id < last_id
            query = query.where(where).order_by(Ticket.id, ascending=False)
            if filters.q:  # a search: its matches walked newest first (search.py)
                found = await newest(
                    filters.q,
                    lambda: Ticket.select(*_ticket_columns()).output(load_json=True),
                    where,
                    below=last_id,
                    want=limit + 1,
                )
                if found is not None:
                    query, rows = None, found

        if query is not None:
            rows = await query
        more = len(rows) > limit
        rows = rows[:limit]
        items = [_to_view(r) for r in rows]
        # Plugins may deny more than the baseline SQL; they never widen it.
        items = [self._masked(t, reveal=False) for t in items if self._can(actor, "ticket.view", t)]
        next_cursor = None
        if more and rows:
            last = rows[-1]
            next_cursor = encode_cursor(
                [last["sla_due_at"].isoformat(), last["id"]]
                if filters.sort == "sla"
                else [last["id"]]
            )
        return TicketPage(items=items, next_cursor=next_cursor)

    async def timeline(self, actor: Actor, ref: int | str | TicketView) -> list[TimelineEntry]:
        """The ticket's history, oldest first; requesters see only the public part."""
        ticket = await self._read(actor, ref)
        query = TimelineEvent.select(
            *TimelineEvent.all_columns(),
            TimelineEvent.actor.username.as_alias("actor_username"),
            TimelineEvent.actor.display_name.as_alias("actor_name"),
        ).where(TimelineEvent.ticket == ticket.id)
        if not self._sees_internal(actor, ticket):
            query = query.where(TimelineEvent.public == True)  # noqa: E712
        rows = await query.order_by(TimelineEvent.id).output(load_json=True)
        reveal = actor.is_system or actor.is_agent_of(ticket.department)
        return [
            TimelineEntry(
                id=r["id"],
                kind=r["kind"],
                public=r["public"],
                actor=PersonRef(
                    id=r["actor"], username=r["actor_username"], display_name=r["actor_name"]
                )
                if r["actor"] is not None
                else None,
                body=r["body"],
                data=self._masked_event(ticket, r["kind"], _json(r["data"]) or {}, reveal),
                ticket_version=r["ticket_version"],
                created_at=r["created_at"],
            )
            for r in rows
        ]

    def _masked_event(
        self, ticket: TicketView, kind: str, data: dict[str, Any], reveal: bool
    ) -> dict[str, Any]:
        """Sensitive fields asked for by a transition are masked on the timeline too."""
        if reveal or kind != "transition" or not data.get("fields"):
            return data
        try:
            transition = self.workflow_of(ticket).transition(data.get("transition", ""))
        except KeyError:
            return data
        return {**data, "fields": masked(Form(transition.fields), data["fields"])}

    def _sees_internal(self, actor: Actor, ticket: TicketView) -> bool:
        return self._can(actor, "ticket.note", ticket)

    # -- change -------------------------------------------------------------

    async def comment(
        self, actor: Actor, ref: int | str, *, body: str | Message, public: bool = True
    ) -> TicketView:
        """Add a public reply or an internal note (agents only).

        The first public reply by an agent sets `first_response_at`. A `Message` body
        (written by Polydesk or a plugin) is shown in each reader's language.
        """
        body, written = _written(body)
        body = body.strip()
        if not body:
            raise ValidationFailed({"body": _("Write something first.")})
        if len(body) > MAX_BODY:
            raise ValidationFailed({"body": _("At most %(max)s characters.", max=MAX_BODY)})
        async with transaction():
            ticket = await self._load(actor, ref)
            action = "ticket.reply" if public else "ticket.note"
            if not self._can(actor, action, ticket):
                raise PermissionDenied(_("Only agents of this department can add internal notes."))
            values: dict[Any, Any] = {}
            is_agent_reply = (
                public
                and actor.is_agent_of(ticket.department)
                and actor.person_id != ticket.requester.id
            )
            if is_agent_reply and ticket.first_response_at is None:
                values[Ticket.first_response_at] = self._now()
            version = await self._bump(ticket, None, values)
            await self._event(
                ticket.id,
                "reply" if public else "note",
                actor,
                version=version,
                public=public,
                body=body,
                data={**written, "by_agent": is_agent_reply} if public else written,
            )
            if is_agent_reply:
                await recompute_clocks(self.snapshot, ticket.id)
            await self._emit(
                CommentAdded(
                    ticket_id=ticket.id,
                    ticket_key=ticket.key,
                    department=ticket.department,
                    public=public,
                    actor=actor.username,
                    version=version,
                )
            )
        return await self._load(actor, ticket.id)

    async def assign(
        self,
        actor: Actor,
        ref: int | str,
        *,
        version: int | None,
        assignee: str | None = None,
        group: str | None = None,
    ) -> TicketView:
        """Assign to an agent of the ticket's department (or nobody) and/or a group."""
        async with transaction():
            ticket = await self._load(actor, ref)
            if not self._can(actor, "ticket.assign", ticket):
                raise PermissionDenied(_("Only agents of this department can assign tickets."))
            values: dict[Any, Any] = {}
            data: dict[str, Any] = {}
            if assignee is not None:
                if assignee == "":
                    values[Ticket.assignee] = None
                    data["assignee"] = None
                else:
                    person = await self._agent_of(ticket, assignee)
                    values[Ticket.assignee] = person
                    data["assignee"] = assignee
                data["previous_assignee"] = ticket.assignee.username if ticket.assignee else None
            if group is not None:
                values[Ticket.assignment_group] = group.strip()[:64]
                data["group"] = group.strip()[:64]
            if not values:
                raise ValidationFailed({"assignee": _("Give an assignee or a group.")})
            new_version = await self._bump(ticket, version, values)
            await self._event(
                ticket.id, "assignment", actor, version=new_version, public=False, data=data
            )
            await self._emit(
                TicketAssigned(
                    ticket_id=ticket.id,
                    ticket_key=ticket.key,
                    department=ticket.department,
                    assignee=data.get("assignee"),
                    group=data.get("group"),
                    actor=actor.username,
                )
            )
        return await self._load(actor, ticket.id)

    async def _agent_of(self, ticket: TicketView, username: str) -> int:
        from polydesk.core.people.tables import Membership

        row = (
            await Membership.select(Membership.person)
            .where(
                (Membership.person.username == username)
                & (Membership.department == ticket.department)
                & Membership.role.is_in(["agent", "lead", "admin"])
            )
            .first()
        )
        if row is None:
            raise ValidationFailed(
                {"assignee": _("%(name)s is not an agent of this department.", name=repr(username))}
            )
        return row["person"]

    async def update(
        self,
        actor: Actor,
        ref: int | str,
        *,
        version: int | None,
        title: str | None = None,
        priority: int | None = None,
    ) -> TicketView:
        """Change the title or priority (agents); each change lands on the timeline."""
        async with transaction():
            ticket = await self._load(actor, ref)
            if not self._can(actor, "ticket.update", ticket):
                raise PermissionDenied(_("Only agents of this department can edit tickets."))
            values: dict[Any, Any] = {}
            changes: dict[str, list[Any]] = {}
            if title is not None:
                title = title.strip()
                if not title or len(title) > MAX_TITLE:
                    raise ValidationFailed(
                        {"title": _("Give a title of 1–%(max)s characters.", max=MAX_TITLE)}
                    )
                if title != ticket.title:
                    values[Ticket.title] = title
                    changes["title"] = [ticket.title, title]
            if priority is not None:
                if priority not in {p.value for p in Priority}:
                    raise ValidationFailed(
                        {"priority": _("Choose a priority from 1 (P1) to 4 (P4).")}
                    )
                if priority != ticket.priority:
                    values[Ticket.priority] = priority
                    changes["priority"] = [ticket.priority, priority]
            if not values:
                if version is not None and version != ticket.version:
                    raise Conflict(_("The ticket was changed by someone else."), current=ticket)
                return ticket
            new_version = await self._bump(ticket, version, values)
            await self._event(
                ticket.id,
                "field_change",
                actor,
                version=new_version,
                public="priority" not in changes or len(changes) > 1,
                data={"changes": changes},
            )
            if "priority" in changes:
                await recompute_clocks(self.snapshot, ticket.id)
            await self._emit(
                TicketUpdated(
                    ticket_id=ticket.id,
                    ticket_key=ticket.key,
                    department=ticket.department,
                    changed=tuple(changes),
                    actor=actor.username,
                )
            )
        return await self._load(actor, ticket.id)

    # -- workflow -----------------------------------------------------------

    def _allowed_by_role(self, actor: Actor, ticket: TicketView, t: Transition) -> bool:
        if actor.is_system:
            return True
        role = actor.role_in(ticket.department)
        if role is not None and role in t.roles and role != "requester":
            return True
        if actor.is_admin and "admin" in t.roles:
            return True
        return "requester" in t.roles and actor.person_id == ticket.requester.id

    def _from_matches(self, workflow: Workflow, ticket: TicketView, t: Transition) -> bool:
        if "*" in t.from_states:
            return ticket.state_category not in FINAL_CATEGORIES and ticket.state != t.to_state
        return ticket.state in t.from_states

    def available_transitions(self, actor: Actor, ticket: TicketView) -> list[Transition]:
        """Transitions from the ticket's state that `actor`'s role may take (guards not run)."""
        workflow = self.workflow_of(ticket)
        return [
            t
            for t in workflow.transitions
            if self._from_matches(workflow, ticket, t) and self._allowed_by_role(actor, ticket, t)
        ]

    async def transition(
        self,
        actor: Actor,
        ref: int | str,
        transition: str,
        *,
        version: int | None,
        fields: dict[str, Any] | None = None,
        comment: str | Message = "",
    ) -> TicketView:
        """Move the ticket along its workflow.

        Refuses transitions not allowed from the current state or for the actor's
        role, asks for the transition's required fields, and runs its guards
        (`polydesk_transition_guard`) inside the transaction; a veto raises
        `InvalidTransition` with the plugin's reason.
        """
        comment_text, comment_data = _written(comment)
        async with transaction():
            ticket = await self._load(actor, ref)
            workflow = self.workflow_of(ticket)
            try:
                t = workflow.transition(transition)
            except KeyError:
                raise InvalidTransition(
                    _("There is no transition %(key)s.", key=repr(transition))
                ) from None
            if not self._from_matches(workflow, ticket, t):
                raise InvalidTransition(
                    _(
                        "%(transition)s is not possible from state %(state)s.",
                        transition=repr(_(t.label)),
                        state=repr(ticket.state),
                    )
                )
            if not self._allowed_by_role(actor, ticket, t):
                raise PermissionDenied(
                    _("Your role may not %(transition)s this ticket.", transition=repr(_(t.label)))
                )
            if version is not None and version != ticket.version:
                raise Conflict(_("The ticket was changed by someone else."), current=ticket)
            cleaned = Form(t.fields).validate(fields)
            for guard in t.guards:
                reasons = await gather(
                    self.snapshot.hook("polydesk_transition_guard")(
                        ticket=ticket, transition=t, guard=guard, actor=actor
                    )
                )
                if reasons:
                    raise InvalidTransition("; ".join(str(r) for r in reasons))
            target = workflow.state(t.to_state)
            now = self._now()
            values: dict[Any, Any] = {
                Ticket.state: target.key,
                Ticket.state_category: target.category,
            }
            if cleaned:
                values[Ticket.form_data] = {**ticket.form_data, **cleaned}
            if target.category == "resolved":
                values[Ticket.resolved_at] = now
            elif target.category in FINAL_CATEGORIES:
                values[Ticket.closed_at] = now
                if ticket.resolved_at is None and target.category == "closed":
                    values[Ticket.resolved_at] = now
            else:
                values[Ticket.resolved_at] = None
                values[Ticket.closed_at] = None
            new_version = await self._bump(ticket, version, values)
            await self._event(
                ticket.id,
                "transition",
                actor,
                version=new_version,
                public=t.public,
                body=comment_text.strip()[:MAX_BODY],
                data={
                    **comment_data,
                    "transition": t.key,
                    "label": t.label,
                    "from": ticket.state,
                    "to": target.key,
                    "category": target.category,
                    "fields": cleaned,
                },
            )
            if target.category != workflow.state(ticket.state).category:
                await recompute_clocks(self.snapshot, ticket.id)
            await self._emit(
                TicketTransitioned(
                    ticket_id=ticket.id,
                    ticket_key=ticket.key,
                    department=ticket.department,
                    transition=t.key,
                    from_state=ticket.state,
                    to_state=target.key,
                    to_category=target.category,
                    actor=actor.username,
                )
            )
        return await self._load(actor, ticket.id)

    # -- links and children -------------------------------------------------

    async def link(self, actor: Actor, ref: int | str, *, target: int | str, kind: str) -> LinkView:
        """Link two tickets the actor can see (agents of the source's department)."""
        if kind not in LINK_KINDS:
            raise ValidationFailed(
                {"kind": _("Choose one of: %(choices)s.", choices=", ".join(LINK_KINDS))}
            )
        async with transaction():
            source = await self._load(actor, ref)
            if not self._can(actor, "ticket.link", source):
                raise PermissionDenied(_("Only agents of this department can link tickets."))
            try:
                other = await self._load(actor, target)
            except NotFound:
                raise ValidationFailed({"target": _("No such ticket.")}) from None
            if other.id == source.id:
                raise ValidationFailed({"target": _("A ticket cannot be linked to itself.")})
            if await TicketLink.exists().where(
                (TicketLink.source == source.id)
                & (TicketLink.target == other.id)
                & (TicketLink.kind == kind)
            ):
                raise ValidationFailed({"target": _("These tickets are already linked so.")})
            await TicketLink.insert(
                TicketLink(source=source.id, target=other.id, kind=kind, created_at=self._now())
            )
            version = await self._bump(source, None, {})
            await self._event(
                source.id,
                "link",
                actor,
                version=version,
                public=False,
                data={"kind": kind, "target_id": other.id, "target_key": other.key},
            )
        return LinkView(kind=kind, ticket_id=other.id, ticket_key=other.key, direction="outgoing")

    async def links(self, actor: Actor, ref: int | str | TicketView) -> list[LinkView]:
        """Links from and to the ticket, leaving out tickets the actor may not see."""
        ticket = await self._read(actor, ref)
        outgoing = await TicketLink.select(
            TicketLink.kind,
            TicketLink.target.id.as_alias("tid"),
            TicketLink.target.key.as_alias("tkey"),
        ).where(TicketLink.source == ticket.id)
        incoming = await TicketLink.select(
            TicketLink.kind,
            TicketLink.source.id.as_alias("tid"),
            TicketLink.source.key.as_alias("tkey"),
        ).where(TicketLink.target == ticket.id)
        # Visibility of the few linked tickets only: `IN (visible tickets)` made
        # SQLite list every ticket the actor may see (2.4 s at 1M tickets).
        others = list({r["tid"] for r in [*outgoing, *incoming]})
        seen: set[int] = set()
        if others:
            visible = visible_tickets_where(actor, self.snapshot.disabled_departments)
            rows = await Ticket.select(Ticket.id).where(Ticket.id.is_in(others) & visible)
            seen = {r["id"] for r in rows}
        return [
            LinkView(kind=r["kind"], ticket_id=r["tid"], ticket_key=r["tkey"], direction="outgoing")
            for r in outgoing
            if r["tid"] in seen
        ] + [
            LinkView(kind=r["kind"], ticket_id=r["tid"], ticket_key=r["tkey"], direction="incoming")
            for r in incoming
            if r["tid"] in seen
        ]

    async def children(self, actor: Actor, ref: int | str | TicketView) -> list[TicketView]:
        """Child tickets the actor may see, oldest first."""
        ticket = await self._read(actor, ref)
        page = await self.list(
            actor, TicketFilters(parent=ticket.id, sort="newest"), limit=MAX_PAGE
        )
        return list(reversed(page.items))

    async def side_lists(self, ticket: TicketView) -> set[str]:
        """Which of the ticket's side lists have any rows at all, whoever may see them:
        "children", "links", "approvals", "attachments". One query, so a page can skip
        the (visibility-filtered) queries of the empty ones; most tickets have none.
        `ticket` was read by the caller, with its permission check."""
        rows = await Ticket.raw(
            "SELECT"
            " EXISTS (SELECT 1 FROM ticket WHERE parent = {}) AS children,"
            " EXISTS (SELECT 1 FROM ticket_link WHERE source = {})"
            " OR EXISTS (SELECT 1 FROM ticket_link WHERE target = {}) AS links,"
            " EXISTS (SELECT 1 FROM approval WHERE ticket = {}) AS approvals,"
            " EXISTS (SELECT 1 FROM attachment WHERE ticket = {}) AS attachments",
            *[ticket.id] * 5,
        )
        return {name for name, present in rows[0].items() if present}

    # -- approvals ----------------------------------------------------------

    async def request_approval(
        self,
        actor: Actor,
        ref: int | str,
        *,
        approver: str,
        step: int = 1,
        rule: str | Message = "",
    ) -> ApprovalView:
        """Ask `approver` to approve the ticket (agents, or the system for plugins).

        `rule` says why they are asked; a `Message` is shown in each reader's language."""
        rule, rule_written = _written(rule)
        rule = rule[:100]
        if not 1 <= step <= MAX_APPROVAL_STEP:
            raise ValidationFailed(
                {"step": _("Give a step from 1 to %(max)s.", max=MAX_APPROVAL_STEP)}
            )
        async with transaction():
            ticket = await self._load(actor, ref)
            if not self._can(actor, "ticket.update", ticket):
                raise PermissionDenied(_("Only agents of this department can request approvals."))
            approver_id = await self._person(approver)
            rows = await Approval.insert(
                Approval(
                    ticket=ticket.id,
                    step=step,
                    approver=approver_id,
                    rule=rule,
                    rule_message=rule_written.get("message", {}),
                    state="pending",
                    created_at=self._now(),
                )
            ).returning(Approval.id)
            version = await self._bump(ticket, None, {})
            await self._event(
                ticket.id,
                "approval_requested",
                actor,
                version=version,
                public=True,
                data={
                    "approver": approver,
                    "step": step,
                    "rule": rule,
                    **({"rule_message": rule_written["message"]} if rule_written else {}),
                },
            )
            await self._emit(
                ApprovalRequested(
                    ticket_id=ticket.id,
                    ticket_key=ticket.key,
                    department=ticket.department,
                    approval_id=rows[0]["id"],
                    approver=approver,
                    step=step,
                    actor=actor.username,
                )
            )
        return (await self.approvals(actor, ticket.id, _ids=[rows[0]["id"]]))[0]

    async def approvals(
        self, actor: Actor, ref: int | str | TicketView, *, _ids: list[int] | None = None
    ) -> list[ApprovalView]:
        ticket = await self._read(actor, ref)
        query = Approval.select(
            *Approval.all_columns(),
            Approval.approver.username.as_alias("approver_username"),
            Approval.approver.display_name.as_alias("approver_name"),
        ).where(Approval.ticket == ticket.id)
        if _ids:
            query = query.where(Approval.id.is_in(_ids))
        rows = await query.order_by(Approval.step).order_by(Approval.id)
        return [
            ApprovalView(
                id=r["id"],
                step=r["step"],
                approver=PersonRef(
                    id=r["approver"],
                    username=r["approver_username"],
                    display_name=r["approver_name"],
                ),
                rule=r["rule"],
                state=r["state"],
                comment=r["comment"],
                decided_at=r["decided_at"],
                rule_message=_json(r["rule_message"]) or None,
            )
            for r in rows
        ]

    async def decide_approval(
        self, actor: Actor, ref: int | str, approval_id: int, *, approve: bool, comment: str = ""
    ) -> ApprovalView:
        """The approver approves or rejects; sequential steps wait for earlier ones."""
        async with transaction():
            ticket = await self._load(actor, ref)
            row = (
                await Approval.select()
                .where((Approval.id == approval_id) & (Approval.ticket == ticket.id))
                .first()
            )
            if row is None:
                raise NotFound(_("No such approval."))
            if row["approver"] != actor.person_id:
                raise PermissionDenied(_("This approval is someone else's to decide."))
            if row["state"] != "pending":
                raise InvalidTransition(_("This approval has already been decided."))
            if await Approval.exists().where(
                (Approval.ticket == ticket.id)
                & (Approval.step < row["step"])
                & (Approval.state != "approved")
            ):
                raise InvalidTransition(_("An earlier approval step has not been granted yet."))
            state = "approved" if approve else "rejected"
            await Approval.update(
                {
                    Approval.state: state,
                    Approval.comment: (comment or "").strip()[:MAX_BODY],
                    Approval.decided_at: self._now(),
                }
            ).where(Approval.id == approval_id)
            version = await self._bump(ticket, None, {})
            await self._event(
                ticket.id,
                "approval",
                actor,
                version=version,
                public=True,
                body=(comment or "").strip()[:MAX_BODY],
                data={"approval_id": approval_id, "decision": state, "step": row["step"]},
            )
            await self._emit(
                ApprovalDecided(
                    ticket_id=ticket.id,
                    ticket_key=ticket.key,
                    department=ticket.department,
                    approval_id=approval_id,
                    decision=state,
                    step=row["step"],
                    actor=actor.username,
                )
            )
        return (await self.approvals(actor, ticket.id, _ids=[approval_id]))[0]


def active_categories() -> tuple[str, ...]:
    return ACTIVE_CATEGORIES


def request_type_or_404(snapshot: Snapshot, key: str) -> RequestType:
    rt = snapshot.registry.request_types.get(key)
    if rt is None or not snapshot.is_request_type_offered(rt):
        raise NotFound(_("No such request type."))
    return rt
