"""The agent workspace: queues, the ticket list and the ticket page.

Every page works without JavaScript (GET filter form, POST forms answered with
303); htmx only swaps fragments: the list for the filter form, rows for "load
more", a transition's fields, a child task's fields, the SLA badges. The list
URL is the state: queue links, saved views and the filter form all produce
the same query string (lists as repeated keys), so any view can be shared.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXTemplate
from litestar.response import Redirect, Template

from polydesk.core.db import transaction
from polydesk.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from polydesk.core.forms import Form
from polydesk.core.i18n import N_
from polydesk.core.i18n import gettext as _
from polydesk.core.knowledge.services import KnowledgeService
from polydesk.core.permissions import Actor, can
from polydesk.core.sla.services import clock_view, clocks_for
from polydesk.core.specs import ACTIVE_CATEGORIES, STATE_CATEGORIES, Priority, Transition
from polydesk.core.tickets.attachments import (
    MAX_ATTACHMENT_BYTES,
    MAX_FILES_PER_UPLOAD,
    MAX_UPLOAD_BODY_BYTES,
    add_attachment,
    list_attachments,
)
from polydesk.core.tickets.saved_queues import delete_queue, save_queue, saved_queues
from polydesk.core.tickets.schemas import TicketView, TimelineEntry
from polydesk.core.tickets.search import default_sort
from polydesk.core.tickets.services import LINK_KINDS, TicketFilters, TicketService
from polydesk.web.deps import snapshot_of
from polydesk.web.forms import uploads_from_post, values_from_post
from polydesk.web.i18n import field_value, translate
from polydesk.web.rendering import base_context, is_htmx, page, require_actor

COUNT_CAP = 1000
PAGE_SIZE = 50
MAX_PAGE = 200
ACTIVE = tuple(ACTIVE_CATEGORIES)
#: Permissions the ticket page asks about once, to show only usable controls.
TICKET_ACTIONS = ("reply", "note", "update", "assign", "link", "create_child")


# -- the list's state, as the URL carries it ----------------------------------


@dataclass(frozen=True)
class ListView:
    """One view of the ticket list: what the query string says, cleaned.

    No `state_category` in the URL means the active categories; `any` means
    every state (so a queue without a state filter links with `state_category=any`).
    """

    department: tuple[str, ...] = ()
    state_category: tuple[str, ...] | None = ACTIVE
    priority: tuple[int, ...] = ()
    assignee: str = ""
    request_type: tuple[str, ...] = ()
    q: str = ""
    sort: str = "sla"
    confidential: bool | None = None

    def params(self) -> list[tuple[str, str]]:
        """The canonical query parameters; lists as repeated keys, defaults left out."""
        pairs: list[tuple[str, str]] = [("department", d) for d in self.department]
        if self.state_category is None:
            pairs.append(("state_category", "any"))
        elif self.state_category != ACTIVE:
            pairs += [("state_category", s) for s in self.state_category]
        pairs += [("priority", str(p)) for p in self.priority]
        if self.assignee:
            pairs.append(("assignee", self.assignee))
        pairs += [("request_type", r) for r in self.request_type]
        if self.q:
            pairs.append(("q", self.q))
        if self.sort != default_sort(self.q):
            pairs.append(("sort", self.sort))
        if self.confidential is not None:
            pairs.append(("confidential", "1" if self.confidential else "0"))
        return pairs

    @property
    def query(self) -> str:
        return urlencode(self.params())

    @property
    def url(self) -> str:
        return f"/agent?{self.query}" if self.query else "/agent"

    def stored(self) -> dict[str, Any]:
        """The view as saved-queue filters (TicketFilters keys)."""
        return {
            "department": list(self.department) or None,
            "state_category": list(self.state_category) if self.state_category else None,
            "priority": list(self.priority) or None,
            "assignee": self.assignee or None,
            "request_type": list(self.request_type) or None,
            "q": self.q or None,
            "sort": self.sort,
        }


def _split(values: Iterable[str]) -> list[str]:
    """Repeated keys and comma-joined values (what a filter <select> submits), deduplicated."""
    out: list[str] = []
    for raw in values:
        for part in str(raw).split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def parse_view(pairs: Iterable[tuple[str, str]]) -> ListView:
    """A ListView from query pairs; unknown values are dropped, never an error."""
    got: dict[str, list[str]] = {}
    for key, value in pairs:
        if isinstance(value, str):
            got.setdefault(key, []).append(value)
    states = _split(got.get("state_category", []))
    state_category: tuple[str, ...] | None = ACTIVE
    if "state_category" in got:
        chosen = tuple(s for s in states if s in STATE_CATEGORIES)
        state_category = None if "any" in states or not chosen else chosen
    q = " ".join((got.get("q") or [""])[-1].split())[:200]
    # No sort chosen (the select's default option is sent as ""): a search lists newest first.
    sort = (got.get("sort") or [""])[-1]
    confidential = (got.get("confidential") or [""])[-1].lower()
    return ListView(
        department=tuple(_split(got.get("department", []))),
        state_category=state_category,
        priority=tuple(
            int(p) for p in _split(got.get("priority", [])) if p in ("1", "2", "3", "4")
        ),
        assignee=(got.get("assignee") or [""])[-1].strip()[:150],
        request_type=tuple(_split(got.get("request_type", []))),
        q=q,
        sort=sort if sort in ("sla", "newest") else default_sort(q),
        confidential={"1": True, "true": True, "0": False, "false": False}.get(confidential),
    )


def view_from_filters(filters: dict[str, Any], department: str | None = None) -> ListView:
    """The ListView of a plugin queue or a saved view (TicketFilters-shaped dicts)."""
    states = filters.get("state_category")
    return ListView(
        department=tuple(filters.get("department") or ([department] if department else [])),
        state_category=tuple(states) if states else None,
        priority=tuple(int(p) for p in filters.get("priority") or ()),
        assignee=filters.get("assignee") or "",
        request_type=tuple(filters.get("request_type") or ()),
        q=filters.get("q") or "",
        sort=filters.get("sort") or default_sort(filters.get("q")),
        confidential=filters.get("confidential"),
    )


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


def count_label(count: int) -> str:
    return f"{COUNT_CAP - 1}+" if count >= COUNT_CAP else str(count)


# -- the workspace --------------------------------------------------------------

#: Names shown for state categories and changed fields (translated where shown).
CATEGORY_LABELS = {
    "new": N_("New"),
    "open": N_("Open"),
    "waiting": N_("Waiting"),
    "resolved": N_("Resolved"),
    "closed": N_("Closed"),
    "cancelled": N_("Cancelled"),
}
FIELD_NAMES = {"priority": N_("Priority"), "title": N_("Title")}
#: `Priority.label` (core/specs.py), marked here where the workspace shows it.
PRIORITY_LABELS = (N_("P1 · critical"), N_("P2 · high"), N_("P3 · medium"), N_("P4 · low"))


#: Side bars with more departments than this fold those the person does not serve.
FOLD_ABOVE = 6


class Workspace:
    """What one agent may list: their departments (admins: all), with the services."""

    def __init__(self, actor: Actor, tickets: TicketService) -> None:
        self.actor = actor
        self.tickets = tickets
        self.registry = tickets.registry
        snapshot = tickets.snapshot
        if actor.is_admin:
            self.scope = list(self.registry.departments)
        else:
            self.scope = [d for d in actor.agent_departments if snapshot.is_department_enabled(d)]

    def filters(self, view: ListView) -> TicketFilters | None:
        """TicketFilters for `view` within the agent's departments; None if nothing can match."""
        departments = [d for d in view.department if d in self.scope]
        if (view.department and not departments) or not self.scope:
            return None
        request_types = list(view.request_type) or None
        if view.confidential is not None:
            # Confidentiality comes with the request type, so the queue flag narrows
            # the types (TicketFilters has no `confidential` key yet).
            allowed = [
                key
                for key, rt in self.registry.request_types.items()
                if (rt.confidential_team is not None) is view.confidential
            ]
            request_types = [k for k in (request_types or allowed) if k in allowed]
            if not request_types:
                return None
        return TicketFilters(
            department=departments or (None if self.actor.is_admin else self.scope),
            state_category=list(view.state_category) if view.state_category else None,
            priority=list(view.priority) or None,
            assignee=view.assignee or None,
            request_type=request_types,
            q=view.q or None,
            sort=view.sort,
        )

    async def count(self, view: ListView) -> int:
        filters = self.filters(view)
        if filters is None:
            return 0
        return await self.tickets.count(self.actor, filters, cap=COUNT_CAP)

    async def listing(
        self, view: ListView, cursor: str | None, limit: int, shown_before: int = 0
    ) -> dict[str, Any]:
        """One page of rows with their SLA clocks (one query for all clocks).

        `shown_before` rows are already on screen (earlier pages): the list's
        minute refresh reloads that many plus these, so "load more" survives it.
        """
        filters = self.filters(view)
        items: list[TicketView] = []
        next_cursor = None
        if filters is not None:
            result = await self.tickets.list(self.actor, filters, cursor=cursor, limit=limit)
            items, next_cursor = result.items, result.next_cursor
        clocks = await clocks_for([t.id for t in items])
        snapshot = self.tickets.snapshot
        rows = [
            {
                "ticket": t,
                "clocks": [clock_view(snapshot, c) for c in clocks[t.id]],
                "request_type": self.registry.request_types[t.request_type].name,
            }
            for t in items
        ]
        base = view.query + "&" if view.query else ""
        shown = min(max(shown_before + len(rows), 1), MAX_PAGE)
        size = f"limit={limit}&" if limit != PAGE_SIZE else ""
        return {
            "view": view,
            "query": view.query,
            "rows": rows,
            # "Load more" removes the focused button; the first new row takes the focus.
            "focus_first": cursor is not None,
            "next_url": f"/agent?{base}{size}cursor={next_cursor}&shown={shown}"
            if next_cursor
            else None,
            "refresh_url": f"/agent?{base}refresh=1&limit={shown}",
        }

    async def sidebar(
        self, current: ListView, *, counts: bool = True, only: str | None = None
    ) -> dict[str, Any]:
        """Queue links per department, then the agent's saved views. Each link has a
        stable id, so a list fragment can refresh which one is current, and the
        counts (`counts=True`: one capped count per link) arrive out of band after
        the page (`counts=False`: no count queries; the page shows placeholders).

        With more than `FOLD_ABOVE` departments (an administrator of a large
        organisation sees them all), only the departments the person serves and
        the current view's stay open; the others are folded and counted only when
        opened (`only=<slug>`: that department's links alone, counted).
        """
        fold = len(self.scope) > FOLD_ABOVE
        served = set(self.actor.agent_departments) | set(current.department)
        groups = []
        for slug in self.scope:
            if only is not None and slug != only:
                continue
            folded = fold and slug not in served and only is None
            entries = [(_("All active"), ListView(department=(slug,)))]
            entries += [
                (translate(q.name), view_from_filters(q.filters, slug))
                for q in self.registry.queues_of(slug)
            ]
            queues = await self._links(f"queue-{slug}", entries, current, counts and not folded)
            groups.append(
                {
                    "department": self.registry.departments[slug],
                    "queues": queues,
                    "folded": folded,
                }
            )
        if only is not None:
            return {"sidebar": groups, "saved": [], "counted": counts}
        saved = await saved_queues(self.actor)
        views = await self._links(
            "view", [(s["name"], view_from_filters(s["filters"])) for s in saved], current, counts
        )
        for link, s in zip(views, saved, strict=True):
            link["view_id"] = s["id"]
        return {"sidebar": groups, "saved": views, "counted": counts}

    async def _links(
        self, prefix: str, entries: list[tuple[str, ListView]], current: ListView, counts: bool
    ) -> list[dict[str, Any]]:
        return [
            {
                "id": f"{prefix}-{n}",
                "name": name,
                "url": view.url,
                "count": count_label(await self.count(view)) if counts else None,
                "current": view == current,
            }
            for n, (name, view) in enumerate(entries)
        ]

    def options(self, view: ListView) -> dict[str, list[tuple[str, str, bool]]]:
        """(value, label, selected) for each filter <select>; a combination the URL
        holds (a queue's P1+P2, say) becomes one option of comma-joined values."""
        departments = [(d, translate(self.registry.departments[d].name)) for d in self.scope]
        types = [
            (
                key,
                f"{translate(rt.name)} ({translate(self.registry.departments[rt.department].name)})",
            )
            for key, rt in self.registry.request_types.items()
            if rt.department in self.scope
        ]
        states = [(",".join(ACTIVE), _("Active (new, open, waiting)"))]
        states += [(c, _(CATEGORY_LABELS.get(c, c.capitalize()))) for c in STATE_CATEGORIES]
        states += [("any", _("Any state"))]
        assignees = [("me", _("Me")), ("none", _("Unassigned"))]
        if view.assignee and view.assignee not in ("me", "none"):
            assignees.append((view.assignee, view.assignee))
        return {
            "department": _options([("", _("All my departments")), *departments], view.department),
            "state_category": _options(
                states, ("any",) if view.state_category is None else view.state_category
            ),
            "priority": _options(
                [("", _("Any priority"))] + [(str(p.value), _(p.label)) for p in Priority],
                tuple(str(p) for p in view.priority),
            ),
            "assignee": _options([("", _("Anyone")), *assignees], (view.assignee,)),
            "request_type": _options([("", _("Any request type")), *types], view.request_type),
            "sort": sort_options(view),
        }


def sort_options(view: ListView) -> list[tuple[str, str, bool]]:
    """The sort select: the order used, its default option valued "" (not chosen), so
    that typing a search into a view whose sort nobody chose lists it newest first."""
    default = default_sort(view.q)
    sorts = [("sla", _("SLA due first")), ("newest", _("Newest first"))]
    return _options(
        [("" if value == default else value, label) for value, label in sorts],
        ("" if view.sort == default else view.sort,),
    )


def _options(
    choices: list[tuple[str, str]], current: tuple[str, ...]
) -> list[tuple[str, str, bool]]:
    value = ",".join(current)
    labels = dict(choices)
    if value not in labels:
        choices = [*choices, (value, " + ".join(labels.get(v, v) for v in current))]
    return [(v, label, v == value) for v, label in choices]


# -- the ticket page ---------------------------------------------------------------


@dataclass
class Outcome:
    """How a ticket form came back: which form, what was typed, what went wrong."""

    form_name: str = ""
    values: dict[str, Any] | None = None  # first value per key, for plain inputs
    posted: Any = None  # the submitted multidict, for form fields (multi-selects)
    errors: dict[str, str] | None = None
    conflict: dict[str, Any] | None = None
    veto: str = ""
    transition: str | None = None
    child_type: str | None = None


def _what_changed(
    entries: list[TimelineEntry], seen: int, state_labels: dict[str, str]
) -> dict[str, Any]:
    """What happened since version `seen`: field changes (first old → last new) and entries."""
    newer = [e for e in entries if e.ticket_version > seen]
    changes: dict[str, list[Any]] = {}

    def note(field: str, old: Any, new: Any) -> None:
        changes.setdefault(field, [old, new])[1] = new

    for e in newer:
        if e.kind == "transition":
            before, after = e.data.get("from", ""), e.data.get("to", "")
            note(
                _("State"),
                translate(state_labels.get(before, before)),
                translate(state_labels.get(after, after)),
            )
        elif e.kind == "field_change":
            for field, (old, new) in e.data.get("changes", {}).items():
                if field == "priority":
                    old, new = f"P{old}", f"P{new}"
                note(
                    _(FIELD_NAMES[field]) if field in FIELD_NAMES else field.capitalize(), old, new
                )
        elif e.kind == "assignment":
            if "assignee" in e.data:
                before = e.data.get("previous_assignee") or _("nobody")
                note(_("Assignee"), before, e.data["assignee"] or _("nobody"))
            if "group" in e.data:
                note(_("Group"), "…", e.data["group"] or _("none"))
    return {
        "seen": seen,
        "changes": [(f, old, new) for f, (old, new) in changes.items() if old != new],
        "entries": newer,
    }


def _form_data_rows(form: Form, data: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for f in form.fields:
        if f.key not in data or data[f.key] in (None, "", []):
            continue
        value = data[f.key]
        shown = _("Yes") if value is True else _("No") if value is False else None
        rows.append((f.label, shown or field_value(f, value)))
    return rows


class TicketPage:
    """Everything the ticket page shows, gathered before rendering."""

    def __init__(self, actor: Actor, tickets: TicketService) -> None:
        self.actor = actor
        self.tickets = tickets
        self.snapshot = tickets.snapshot
        self.registry = tickets.registry

    async def ticket(self, key: str) -> TicketView:
        """The ticket, if it is one of the agent's departments' (else 404, never 403)."""
        ticket = await self.tickets.get(self.actor, key)
        if not (self.actor.is_admin or self.actor.is_agent_of(ticket.department)):
            raise NotFound(_("No such ticket."))
        return ticket

    def may(self, ticket: TicketView) -> dict[str, bool]:
        snapshot = self.snapshot
        return {
            action: can(
                snapshot.pm, snapshot.disabled_plugins, self.actor, f"ticket.{action}", ticket
            )
            for action in TICKET_ACTIONS
        }

    def transition_context(self, ticket: TicketView, outcome: Outcome) -> dict[str, Any]:
        transitions = self.tickets.available_transitions(self.actor, ticket)
        chosen: Transition | None = next(
            (t for t in transitions if t.key == outcome.transition and t.fields), None
        )
        posted = outcome.posted if outcome.form_name == "transition" else None
        form = Form(chosen.fields) if chosen else None
        return {
            "t": ticket,
            "transitions": transitions,
            "open_transition": chosen,
            "open_form": form,
            "t_values": values_from_post(form, posted, prefix="t_") if form and posted else {},
            "t_errors": (outcome.errors or {}) if outcome.form_name == "transition" else {},
            "form_name": outcome.form_name,
            "values": outcome.values or {},
        }

    def child_context(self, ticket: TicketView, outcome: Outcome) -> dict[str, Any]:
        catalog = self.snapshot.catalog(actor=self.actor)
        chosen = next((rt for rt in catalog if rt.key == outcome.child_type), None)
        mine = outcome.form_name == "child"
        errors = (outcome.errors or {}) if mine else {}
        return {
            "t": ticket,
            "catalog": [
                (d.name, [rt for rt in catalog if rt.department == d.slug])
                for d in self.snapshot.enabled_departments()
            ],
            "child_rt": chosen,
            "child_department": self.registry.departments[chosen.department] if chosen else None,
            "child_requester": _child_requester(self.actor, ticket, chosen.department)
            if chosen
            else None,
            "child_values": values_from_post(chosen.form, outcome.posted, prefix="c_")
            if chosen and mine and outcome.posted
            else {},
            "child_errors": {k.removeprefix("form_data."): v for k, v in errors.items()},
            "form_name": outcome.form_name,
            "values": outcome.values or {},
        }

    async def sla(self, ticket: TicketView) -> dict[str, Any]:
        rows = (await clocks_for([ticket.id]))[ticket.id]
        return {"t": ticket, "clocks": [clock_view(self.snapshot, c) for c in rows]}

    async def context(self, ticket: TicketView, outcome: Outcome) -> dict[str, Any]:
        tickets, actor = self.tickets, self.actor
        rt = self.registry.request_types[ticket.request_type]
        workflow = tickets.workflow_of(ticket)
        state_labels = {s.key: s.label for s in workflow.states}
        # The ticket itself, not its id: each side query reuses it instead of reloading.
        timeline = await tickets.timeline(actor, ticket)
        # One query says which side lists have rows; the (several) queries of the empty
        # ones, most tickets' links, children, approvals and files, are skipped.
        present = await tickets.side_lists(ticket)
        files: dict[int | None, list[Any]] = {}
        if "attachments" in present:
            for meta in await list_attachments(tickets, actor, ticket):
                files.setdefault(meta.timeline_event, []).append(meta)
        parent = None
        if ticket.parent_id is not None:
            try:
                parent = await tickets.get(actor, ticket.parent_id)
            except NotFound:
                parent = None  # the parent is in a department this agent cannot see
        conflict = outcome.conflict
        if conflict is not None:
            conflict = _what_changed(timeline, conflict["seen"], state_labels)
        return {
            **self.transition_context(ticket, outcome),
            **self.child_context(ticket, outcome),
            **await self.sla(ticket),
            "department": self.registry.departments[ticket.department],
            "request_type": rt,
            "state_label": state_labels.get(ticket.state, ticket.state),
            "state_labels": state_labels,
            "field_labels": {
                f.key: (f.label, dict(f.choices)) for t in workflow.transitions for f in t.fields
            },
            "form_rows": _form_data_rows(rt.form, ticket.form_data),
            "timeline": timeline,
            "files": files,
            "all_files": [m for ms in files.values() for m in ms],
            "links": await tickets.links(actor, ticket) if "links" in present else [],
            "link_kinds": LINK_KINDS,
            "parent": parent,
            "children": await tickets.children(actor, ticket) if "children" in present else [],
            "approvals": await tickets.approvals(actor, ticket) if "approvals" in present else [],
            "may": self.may(ticket),
            "form_name": outcome.form_name,
            "values": outcome.values or {},
            "errors": outcome.errors or {},
            "conflict": conflict,
            "veto": outcome.veto,
        }


def _version(form: Any) -> int:
    try:
        return int(form.get("version", ""))
    except ValueError:
        raise ValidationFailed({"version": _("Reload the page and try again.")}) from None


def _same_version(ticket: TicketView, form: Any) -> None:
    """For changes whose service takes no version (replies, links, children, approvals):
    warn the agent that the ticket moved on while they typed, as updates do."""
    if _version(form) != ticket.version:
        raise Conflict(_("The ticket was changed by someone else."), current=ticket)


def _typed(form: Any) -> dict[str, Any]:
    """What the agent submitted, first value per key (files left out), to refill forms."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "_csrf_token"}


async def _upload(
    tickets: TicketService, actor: Actor, ticket: TicketView, uploads: list[Any], entry: int | None
) -> None:
    for upload in uploads:
        await add_attachment(
            tickets,
            actor,
            ticket.id,
            filename=upload.filename,
            content_type=upload.content_type,
            content=await upload.read(),
            timeline_event=entry,
        )


async def _check_files(uploads: list[Any]) -> None:
    if len(uploads) > MAX_FILES_PER_UPLOAD:
        raise ValidationFailed(
            {"files": _("At most %(max)s files at once.", max=MAX_FILES_PER_UPLOAD)}
        )
    for upload in uploads:
        content = await upload.read()
        await upload.seek(0)
        if not content:
            raise ValidationFailed({"files": _("%(name)s is empty.", name=upload.filename)})
        if len(content) > MAX_ATTACHMENT_BYTES:
            limit = MAX_ATTACHMENT_BYTES // (1024 * 1024)
            raise ValidationFailed(
                {"files": _("%(name)s is over %(mb)s MB.", name=upload.filename, mb=limit)}
            )


Action = Callable[[Actor, TicketService, TicketView, Any], Awaitable[str]]


# -- handlers ------------------------------------------------------------------------


async def _agent(request: Request) -> Actor:
    """The logged-in agent or admin; anyone else gets a 404 (the workspace is not theirs)."""
    actor = await require_actor(request)
    if not (actor.agent_departments or actor.is_admin):
        raise NotFound(_("No such page."))
    return actor


def _wants_fragment(request: Request) -> bool:
    """An htmx request for part of a page; htmx's history restore wants the whole page."""
    return is_htmx(request) and request.headers.get("hx-history-restore-request") != "true"


def _varies(response: Template) -> Template:
    # One URL answers a page or a fragment: caches (and the Back button) must keep both.
    response.headers["Vary"] = "HX-Request"
    return response


async def _fragment(
    request: Request, name: str, context: dict[str, Any], *, push_url: str | bool = False
) -> Template:
    return _varies(
        HTMXTemplate(
            template_name=name,
            context={**await base_context(request), **context},
            push_url=push_url,
        )
    )


async def _workspace_page(
    request: Request,
    workspace: Workspace,
    view: ListView,
    listing: dict[str, Any],
    *,
    status_code: int = 200,
    counts: bool = False,
) -> Template:
    # The side bar's counts come after the page, in one htmx request (GET /agent/counts):
    # at a million tickets they were most of the page's time.
    links = await workspace.sidebar(view, counts=counts)
    context = {**listing, **links, "options": workspace.options(view)}
    # The agent's own help articles whose review date has come (a link in the side bar).
    kb = KnowledgeService(workspace.tickets.snapshot)
    context["kb_due"] = await kb.due_for_review_count(workspace.actor)
    return _varies(await page(request, "agent/workspace.html", context, status_code=status_code))


class AgentController(Controller):
    path = "/agent"
    include_in_schema = False

    @get("/")
    async def list_tickets(self, request: Request) -> Template:
        """The workspace; for htmx the list (filters, refresh) or more rows (cursor)."""
        actor = await _agent(request)
        workspace = Workspace(actor, TicketService(await snapshot_of(request)))
        params = request.query_params
        view = parse_view(params.multi_items())
        cursor = params.get("cursor") or None
        limit, shown = _int(params.get("limit"), PAGE_SIZE), _int(params.get("shown"), 0)
        listing = await workspace.listing(view, cursor, max(1, min(limit, MAX_PAGE)), shown)
        if _wants_fragment(request) and cursor:
            return await _fragment(request, "agent/_ticket_rows.html", listing)
        listing["total"] = count_label(await workspace.count(view))
        if _wants_fragment(request):
            if params.get("refresh"):
                return await _fragment(request, "agent/_ticket_list.html", listing)
            # A new view: also which side-bar link is current, and what "save" saves.
            links = await workspace.sidebar(view, counts=False)
            context = {**listing, **links, "oob": True, "sort_options": sort_options(view)}
            return await _fragment(request, "agent/_ticket_list.html", context, push_url=view.url)
        return await _workspace_page(request, workspace, view, listing)

    @get("/counts")
    async def queue_counts(self, request: Request) -> Template:
        """The side bar's counts, which the workspace page asks for once it has loaded:
        for htmx each count alone, swapped out of band into its placeholder; without
        JavaScript (the page's <noscript> link) the whole page of this view with them."""
        actor = await _agent(request)
        workspace = Workspace(actor, TicketService(await snapshot_of(request)))
        view = parse_view(request.query_params.multi_items())
        # A folded department's counts, asked for when it is opened.
        only = request.query_params.get("department_counts")
        if only is not None and only not in workspace.scope:
            raise NotFound(_("No such page."))
        if _wants_fragment(request):
            links = await workspace.sidebar(view, counts=True, only=only)
            return await _fragment(request, "agent/_queue_counts.html", links)
        if only is not None:  # without JavaScript: the page with that department open
            view = replace(view, department=(only,))
        listing = await workspace.listing(view, None, PAGE_SIZE)
        listing["total"] = count_label(await workspace.count(view))
        return await _workspace_page(request, workspace, view, listing, counts=True)

    @post("/views")
    async def create_view(self, request: Request) -> Template | Redirect:
        """Save the current list as one of the agent's views."""
        actor = await _agent(request)
        form = await request.form()
        view = parse_view(parse_qsl(str(form.get("query", "")), keep_blank_values=True))
        try:
            await save_queue(actor, str(form.get("name", "")), view.stored())
        except ValidationFailed as exc:
            workspace = Workspace(actor, TicketService(await snapshot_of(request)))
            listing = await workspace.listing(view, None, PAGE_SIZE)
            listing["total"] = count_label(await workspace.count(view))
            listing["save_name"] = form.get("name", "")
            listing["save_error"] = next(iter(exc.fields.values()))
            return await _workspace_page(request, workspace, view, listing, status_code=422)
        return Redirect(view.url, status_code=303)

    @post("/views/{view_id:int}/delete")
    async def delete_view(self, request: Request, view_id: FromPath[int]) -> Redirect:
        await delete_queue(await _agent(request), view_id)
        return Redirect("/agent", status_code=303)

    @get("/tickets/{key:str}")
    async def get_ticket(
        self,
        request: Request,
        key: FromPath[str],
        transition: FromQuery[str | None] = None,
        child_type: FromQuery[str | None] = None,
    ) -> Template:
        """The ticket page; for htmx a transition's or a child type's fields alone."""
        pages = TicketPage(await _agent(request), TicketService(await snapshot_of(request)))
        ticket = await pages.ticket(key)
        outcome = Outcome(transition=transition, child_type=child_type)
        if _wants_fragment(request) and transition:
            context = pages.transition_context(ticket, outcome)
            return await _fragment(request, "agent/_transition_form.html", context)
        if _wants_fragment(request) and child_type is not None:
            context = pages.child_context(ticket, outcome)
            return await _fragment(request, "agent/_child_form.html", context)
        context = await pages.context(ticket, outcome)
        return _varies(await page(request, "agent/ticket.html", context))

    @get("/tickets/{key:str}/sla")
    async def get_sla(self, request: Request, key: FromPath[str]) -> Template:
        """The ticket's SLA badges, re-polled by the page every minute."""
        pages = TicketPage(await _agent(request), TicketService(await snapshot_of(request)))
        context = await pages.sla(await pages.ticket(key))
        return await _fragment(request, "agent/_sla.html", context)

    @post("/tickets/{key:str}/replies", request_max_body_size=MAX_UPLOAD_BODY_BYTES)
    async def create_reply(self, request: Request, key: FromPath[str]) -> Template | Redirect:
        return await self._act(request, key, "reply", _reply)

    @post("/tickets/{key:str}/transition")
    async def apply_transition(self, request: Request, key: FromPath[str]) -> Template | Redirect:
        return await self._act(request, key, "transition", _transition)

    @post("/tickets/{key:str}/assignment")
    async def update_assignment(self, request: Request, key: FromPath[str]) -> Template | Redirect:
        return await self._act(request, key, "assignment", _assign)

    @post("/tickets/{key:str}/details")
    async def update_ticket(self, request: Request, key: FromPath[str]) -> Template | Redirect:
        return await self._act(request, key, "details", _details)

    @post("/tickets/{key:str}/links")
    async def create_link(self, request: Request, key: FromPath[str]) -> Template | Redirect:
        return await self._act(request, key, "link", _link)

    @post("/tickets/{key:str}/children")
    async def create_child(self, request: Request, key: FromPath[str]) -> Template | Redirect:
        return await self._act(request, key, "child", _child)

    @post("/tickets/{key:str}/approvals")
    async def create_approval(self, request: Request, key: FromPath[str]) -> Template | Redirect:
        return await self._act(request, key, "approval", _approval)

    async def _act(
        self, request: Request, key: str, form_name: str, action: Action
    ) -> Template | Redirect:
        """Run one ticket form: 303 back to the page, or the page again with what went
        wrong (422 field errors, 409 stale version or guard veto) and the typed values."""
        actor = await _agent(request)
        pages = TicketPage(actor, TicketService(await snapshot_of(request)))
        ticket = await pages.ticket(key)
        form = await request.form()
        outcome = Outcome(
            form_name=form_name,
            values=_typed(form),
            posted=form,
            transition=form.get("transition"),
            child_type=form.get("child_type"),
        )
        try:
            anchor = await action(actor, pages.tickets, ticket, form)
        except ValidationFailed as exc:
            status, outcome.errors = 422, exc.fields
        except Conflict:
            status, outcome.conflict = 409, {"seen": _version(form)}
        except InvalidTransition as exc:
            status, outcome.veto = 409, str(exc)
        else:
            return Redirect(f"/agent/tickets/{ticket.key}{anchor}", status_code=303)
        fresh = await pages.ticket(ticket.key)
        context = await pages.context(fresh, outcome)
        return await page(request, "agent/ticket.html", context, status_code=status)


# -- one function per ticket form; each returns the anchor to land on ---------------


async def _reply(actor: Actor, tickets: TicketService, ticket: TicketView, form: Any) -> str:
    _same_version(ticket, form)
    uploads = [u for u in form.getall("files", []) if getattr(u, "filename", "")]
    await _check_files(uploads)
    public = form.get("visibility") != "internal"
    async with transaction():  # the reply and its files, or neither
        body = str(form.get("body", ""))
        view = await tickets.comment(actor, ticket.id, body=body, public=public)
        mine = [
            e
            for e in await tickets.timeline(actor, ticket.id)
            if e.kind in ("reply", "note") and e.ticket_version == view.version
        ]
        entry = mine[-1].id if mine else None
        await _upload(tickets, actor, ticket, uploads, entry)
    return f"#entry-{entry}" if entry else "#timeline"


async def _transition(actor: Actor, tickets: TicketService, ticket: TicketView, form: Any) -> str:
    key = str(form.get("transition", ""))
    chosen = next((t for t in tickets.available_transitions(actor, ticket) if t.key == key), None)
    fields = values_from_post(Form(chosen.fields), form, prefix="t_") if chosen else {}
    await tickets.transition(
        actor,
        ticket.id,
        key,
        version=_version(form),
        fields=fields,
        comment=str(form.get("comment", "")),
    )
    return ""


async def _assign(actor: Actor, tickets: TicketService, ticket: TicketView, form: Any) -> str:
    current = ticket.assignee.username if ticket.assignee else ""
    to = form.get("to")
    wanted = {"me": actor.username, "nobody": ""}.get(to, str(form.get("assignee", "")).strip())
    group = str(form.get("group", ticket.assignment_group)).strip()
    assignee = wanted if wanted != current else None
    new_group = group if group != ticket.assignment_group else None
    if assignee is not None or new_group is not None:  # "Save" with nothing changed is fine
        await tickets.assign(
            actor, ticket.id, version=_version(form), assignee=assignee, group=new_group
        )
    return "#assignment"


async def _details(actor: Actor, tickets: TicketService, ticket: TicketView, form: Any) -> str:
    try:
        priority = int(form.get("priority") or ticket.priority)
    except ValueError:
        raise ValidationFailed(
            {"priority": _("Choose a priority from 1 (P1) to 4 (P4).")}
        ) from None
    await tickets.update(
        actor,
        ticket.id,
        version=_version(form),
        title=str(form.get("title", ticket.title)),
        priority=priority,
    )
    return ""


async def _link(actor: Actor, tickets: TicketService, ticket: TicketView, form: Any) -> str:
    _same_version(ticket, form)
    target = str(form.get("target", "")).strip()
    if not target:
        raise ValidationFailed({"target": _("Give the key of the other ticket, e.g. IT-12.")})
    await tickets.link(actor, ticket.id, target=target, kind=str(form.get("kind", "")))
    return "#links"


async def _child(actor: Actor, tickets: TicketService, ticket: TicketView, form: Any) -> str:
    _same_version(ticket, form)
    rt = tickets.snapshot.registry.request_types.get(str(form.get("child_type", "")))
    if rt is None or not tickets.snapshot.is_request_type_offered(rt):
        raise ValidationFailed({"request_type": _("Choose a request type.")})
    uploads = uploads_from_post(rt.form, form, prefix="c_")
    await _check_files([u for _, u in uploads])
    async with transaction():  # the task and its files, or neither
        child = await tickets.create(
            actor,
            request_type=rt.key,
            title=str(form.get("child_title", "")),
            description=str(form.get("child_description", "")),
            form_data=values_from_post(rt.form, form, prefix="c_"),
            requester=_child_requester(actor, ticket, rt.department),
            parent=ticket.id,
        )
        await _upload(tickets, actor, child, [u for _, u in uploads], None)
    return "#children"


def _child_requester(actor: Actor, parent: TicketView, department: str) -> str:
    """The parent's requester when the agent may raise tickets for others there, else
    the agent: an agent asking another department for a task is that task's requester."""
    return parent.requester.username if actor.is_agent_of(department) else actor.username


async def _approval(actor: Actor, tickets: TicketService, ticket: TicketView, form: Any) -> str:
    _same_version(ticket, form)
    approver = str(form.get("approver", "")).strip()
    if not approver:
        raise ValidationFailed({"username": _("Whose approval? Give a username.")})
    try:
        step = int(form.get("step") or 1)
    except ValueError:
        raise ValidationFailed({"step": _("The step is a whole number.")}) from None
    await tickets.request_approval(actor, ticket.id, approver=approver, step=max(step, 1))
    return "#approvals"
