"""The self-service portal: home, search, department portals, request forms, my requests.

Every form posts to a URL of its own and answers 303 on success; a refused
form comes back as the same page with status 422, each message by its field
and the typed values kept. htmx only enhances (knowledge suggestions while the
title is typed, "Load more", "this solved my problem"); the services decide
who may see and do what, so a ticket the person may not see is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from polydesk.core.announcements.services import (
    HOME_SEVERITIES,
    active_announcements,
    may_manage,
)
from polydesk.core.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from polydesk.core.forms import Form, FormField
from polydesk.core.i18n import LOCALES, current_locale, lazy_gettext, ngettext
from polydesk.core.i18n import gettext as _
from polydesk.core.knowledge.services import KnowledgeService
from polydesk.core.permissions import Actor, can
from polydesk.core.runtime import Snapshot
from polydesk.core.sla.services import clock_view, clocks_for
from polydesk.core.specs import Department, RequestType
from polydesk.core.tickets.attachments import (
    MAX_ATTACHMENT_BYTES,
    MAX_FILES_PER_UPLOAD,
    MAX_UPLOAD_BODY_BYTES,
    add_attachment,
    list_attachments,
)
from polydesk.core.tickets.ratings import SCORES, rate, rating_of
from polydesk.core.tickets.schemas import TicketView
from polydesk.core.tickets.services import MAX_TITLE, TicketFilters, TicketService
from polydesk.web.deps import optional_actor_of, snapshot_of
from polydesk.web.forms import uploads_from_post, values_from_post
from polydesk.web.i18n import field_value
from polydesk.web.rendering import is_htmx, page, require_actor

PAGE_SIZE = 20
HOME_REQUESTS = 5
MAX_QUERY = 200
MAX_UPLOAD_BODY = MAX_UPLOAD_BODY_BYTES
FINAL = ("closed", "cancelled")
REPLY_LABELS = {
    "body": ("reply-body", lazy_gettext("Your reply")),
    "attachments": ("reply-attachments", lazy_gettext("Attachments")),
}
RATING_LABELS = {
    "score": ("score-1", lazy_gettext("Rating")),
    "comment": ("rating-comment", lazy_gettext("Comment")),
}


# -- helpers ------------------------------------------------------------------------


def _department(snapshot: Snapshot, slug: str) -> Department:
    if not snapshot.is_department_enabled(slug):
        raise NotFound(_("There is no such portal."))
    return snapshot.registry.departments[slug]


def _request_type(
    snapshot: Snapshot, slug: str, key: str, actor: Any
) -> tuple[Department, RequestType]:
    department = _department(snapshot, slug)
    for rt in snapshot.catalog(slug, actor):
        if rt.key == key:
            return department, rt
    raise NotFound(_("This request type is not offered here."))


def _grouped(request_types: list[RequestType]) -> list[tuple[str, list[RequestType]]]:
    groups: dict[str, list[RequestType]] = {}
    for rt in request_types:
        groups.setdefault(_(rt.category) if rt.category else _("Requests"), []).append(rt)
    return list(groups.items())


async def _clocks(snapshot: Snapshot, tickets: list[TicketView]) -> dict[int, list[Any]]:
    """SLA clocks of many tickets, loaded in one query."""
    rows = await clocks_for([t.id for t in tickets])
    return {tid: [clock_view(snapshot, row) for row in found] for tid, found in rows.items()}


def _names(snapshot: Snapshot) -> dict[str, str]:
    """Display names of departments and request types by slug / key, for ticket lists."""
    return {
        **{slug: _(d.name) for slug, d in snapshot.registry.departments.items()},
        **{key: _(rt.name) for key, rt in snapshot.registry.request_types.items()},
    }


def _summary(errors: dict[str, str], labels: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    """The error summary: one link per message, to its field's input (`labels`: key → id, label)."""
    items = []
    for key, message in errors.items():
        anchor, label = labels.get(key, ("", key.replace("_", " ").capitalize()))
        items.append({"href": f"#{anchor}" if anchor else "", "label": label, "message": message})
    return items


@dataclass
class Upload:
    key: str  # the form field's key, or "attachments"
    filename: str
    content_type: str
    content: bytes


async def _read_uploads(pairs: list[tuple[str, Any]]) -> tuple[list[Upload], dict[str, str]]:
    """The files' bytes, and a message for each field whose file cannot be kept."""
    uploads: list[Upload] = []
    errors: dict[str, str] = {}
    limit_mb = MAX_ATTACHMENT_BYTES // (1024 * 1024)
    for key, upload in pairs:
        content = await upload.read()
        if len(content) > MAX_ATTACHMENT_BYTES:
            errors[key] = _(
                "“%(filename)s” is larger than %(limit)s MB.",
                filename=upload.filename,
                limit=limit_mb,
            )
        elif not content:
            errors[key] = _("“%(filename)s” is empty.", filename=upload.filename)
        else:
            uploads.append(Upload(key, upload.filename, upload.content_type or "", content))
    return uploads, errors


def _attachments_of(posted: Any) -> list[tuple[str, Any]]:
    files = posted.getall("attachments", []) if hasattr(posted, "getall") else []
    return [("attachments", f) for f in files if getattr(f, "filename", None)]


async def _store(
    tickets: TicketService, actor: Actor, ref: int, uploads: list[Upload], event: int | None
) -> None:
    for upload in uploads:
        await add_attachment(
            tickets,
            actor,
            ref,
            filename=upload.filename,
            content_type=upload.content_type,
            content=upload.content,
            timeline_event=event,
        )


async def _event_id(
    tickets: TicketService, actor: Actor, view: TicketView, kind: str
) -> int | None:
    """The timeline entry the change that produced `view` wrote (files belong to it)."""
    for entry in reversed(await tickets.timeline(actor, view.id)):
        if entry.kind == kind and entry.ticket_version == view.version:
            return entry.id
    return None


def _shown(fields: tuple[FormField, ...], data: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) of each filled-in field, choices by their labels."""
    shown = []
    for f in fields:
        value = data.get(f.key)
        if value is None or value == "" or value == []:
            continue
        # Choice labels are declared by the plugin: translated; typed text is not.
        shown.append((_(f.label), field_value(f, value)))
    return shown


def _attach_limit() -> str:
    return ngettext(
        "Attach at most %(num)s file at once.",
        "Attach at most %(num)s files at once.",
        MAX_FILES_PER_UPLOAD,
    )


def _title_errors(title: str) -> dict[str, str]:
    title = title.strip()
    if not title:
        return {"title": _("A title is required.")}
    if len(title) > MAX_TITLE:
        return {"title": _("At most %(max)s characters.", max=MAX_TITLE)}
    return {}


def _matches(rt: RequestType, department: Department, words: list[str]) -> bool:
    text = " ".join((rt.name, rt.description, rt.category, department.name)).lower()
    return all(word in text for word in words)


# -- the controller -------------------------------------------------------------------


class PortalController(Controller):
    include_in_schema = False

    # -- home, search, department portals, articles ---------------------------------

    @get("/")
    async def home(self, request: Request) -> Template:
        snapshot = await snapshot_of(request)
        actor = await optional_actor_of(request)
        cards = [
            {"department": d, "request_types": snapshot.catalog(d.slug, actor)}
            for d in snapshot.enabled_departments()
        ]
        context: dict[str, Any] = {
            "cards": cards,
            "my_requests": None,
            "more_requests": False,
            "announcements": await active_announcements(snapshot, severities=HOME_SEVERITIES),
        }
        if actor is not None:
            tickets = TicketService(snapshot)
            found = await tickets.list(
                actor, TicketFilters(requester="me", sort="newest"), limit=HOME_REQUESTS
            )
            context["my_requests"] = found.items
            context["more_requests"] = found.next_cursor is not None
            context["clocks"] = await _clocks(snapshot, found.items)
            context["names"] = _names(snapshot)
        return await page(request, "portal/home.html", context)

    @get("/search")
    async def search(self, request: Request, q: FromQuery[str] = "") -> Template:
        snapshot = await snapshot_of(request)
        actor = await optional_actor_of(request)
        q = " ".join(q.split())[:MAX_QUERY]
        words = q.lower().split()
        request_types = [
            (d, rt)
            for d in snapshot.enabled_departments()
            for rt in snapshot.catalog(d.slug, actor)
            if words and _matches(rt, d, words)
        ]
        articles = []
        if actor is not None and q:
            articles = await KnowledgeService(snapshot).search_for_reader(
                actor, q, current_locale(), limit=10
            )
        context = {"q": q, "request_types": request_types, "articles": articles}
        return await page(request, "portal/search.html", context)

    @get("/portal/{slug:str}")
    async def department_portal(self, request: Request, slug: FromPath[str]) -> Template:
        snapshot = await snapshot_of(request)
        department = _department(snapshot, slug)
        actor = await optional_actor_of(request)
        knowledge = KnowledgeService(snapshot)
        spaces = []
        if actor is not None:
            for space in await knowledge.spaces_of_department(actor, slug):
                popular = await knowledge.most_helpful_for_reader(
                    actor, space.slug, current_locale(), limit=5
                )
                spaces.append((space, popular))
        context = {
            "department": department,
            "groups": _grouped(snapshot.catalog(slug, actor)),
            "spaces": spaces,
            "announcements": await active_announcements(snapshot, slug),
            "manages_announcements": may_manage(snapshot, actor, slug),
        }
        return await page(request, "portal/department.html", context)

    @get("/portal/articles/{article_id:int}")
    async def get_article(
        self,
        request: Request,
        article_id: FromPath[int],
        q: FromQuery[str] = "",
        lang: FromQuery[str] = "",
    ) -> Template:
        """The article in the reader's language when published (`lang` picks
        another one of its group), else the original; links to the others."""
        actor = await require_actor(request)
        snapshot = await snapshot_of(request)
        knowledge = KnowledgeService(snapshot)
        language = lang if lang in LOCALES else current_locale()
        article_id = await knowledge.in_language(actor, article_id, language)
        article = await knowledge.view(actor, article_id)
        context = {
            "article": article,
            "translations": await knowledge.translations(actor, article_id),
            "department": snapshot.registry.departments.get(article.department or ""),
            "q": q[:MAX_QUERY],
            "solved": request.query_params.get("solved") == "1",
            "my_vote": await knowledge.my_vote(actor, article_id),
        }
        return await page(request, "portal/article.html", context)

    @post("/portal/articles/{article_id:int}/solved")
    async def record_deflection(
        self, request: Request, article_id: FromPath[int]
    ) -> Template | Redirect:
        """ "This solved my problem": counted for the article's space; no ticket is raised."""
        actor = await require_actor(request)
        snapshot = await snapshot_of(request)
        posted = await request.form()
        query = str(posted.get("query") or "")
        await KnowledgeService(snapshot).record_deflection(actor, article_id, query=query)
        if is_htmx(request):
            beside_form = posted.get("from") == "request-form"
            context = {"article_id": article_id, "beside_form": beside_form}
            return await page(request, "portal/_solved.html", context)
        return Redirect(f"/portal/articles/{article_id}?solved=1", status_code=303)

    @post("/portal/articles/{article_id:int}/votes")
    async def vote_article(self, request: Request, article_id: FromPath[int]) -> Redirect:
        """Helpful or not: one vote per reader, changed by voting again."""
        actor = await require_actor(request)
        posted = await request.form()
        helpful = posted.get("helpful") == "yes"
        await KnowledgeService(await snapshot_of(request)).vote(actor, article_id, helpful=helpful)
        lang = posted.get("lang")  # back to the language the reader was reading
        back = f"?lang={lang}" if lang in LOCALES else ""
        return Redirect(f"/portal/articles/{article_id}{back}#vote", status_code=303)

    # -- filing a request -------------------------------------------------------------

    @get("/portal/{slug:str}/suggest")
    async def suggest_articles(
        self, request: Request, slug: FromPath[str], title: FromQuery[str] = ""
    ) -> Template:
        """Articles that may answer the request whose title is being typed (an htmx fragment)."""
        actor = await require_actor(request)
        snapshot = await snapshot_of(request)
        _department(snapshot, slug)
        title = " ".join(title.split())[:MAX_QUERY]
        hits = []
        if title:
            hits = await KnowledgeService(snapshot).search_for_reader(
                actor, title, current_locale(), suggest=True, department=slug, limit=5
            )
        context = {"hits": hits, "title": title, "oob": True}
        return await page(request, "portal/_suggestions.html", context)

    @get("/portal/{slug:str}/new/{key:str}")
    async def new_request(
        self, request: Request, slug: FromPath[str], key: FromPath[str]
    ) -> Template:
        actor = await require_actor(request)
        snapshot = await snapshot_of(request)
        department, rt = _request_type(snapshot, slug, key, actor)
        return await self._request_form(request, snapshot, department, rt)

    @post("/portal/{slug:str}/new/{key:str}", request_max_body_size=MAX_UPLOAD_BODY)
    async def create_request(
        self, request: Request, slug: FromPath[str], key: FromPath[str]
    ) -> Template | Redirect:
        actor = await require_actor(request)
        snapshot = await snapshot_of(request)
        department, rt = _request_type(snapshot, slug, key, actor)
        posted = await request.form()
        values = values_from_post(rt.form, posted)
        title = str(posted.get("title") or "")
        description = str(posted.get("description") or "")
        pairs = uploads_from_post(rt.form, posted) + _attachments_of(posted)
        errors: dict[str, str] = {}
        if len(_attachments_of(posted)) > MAX_FILES_PER_UPLOAD:
            errors["attachments"] = _attach_limit()
        uploads, upload_errors = await _read_uploads(pairs)
        tickets = TicketService(snapshot)
        try:
            if errors or upload_errors:
                # No ticket yet; still report every other field's problem in one go.
                errors.update(_title_errors(title))
                rt.form.validate(values)
                raise ValidationFailed({})
            view = await tickets.create(
                actor,
                request_type=rt.key,
                title=title,
                description=description,
                form_data=values,
            )
        except ValidationFailed as exc:
            for name, message in exc.fields.items():
                # The service's own messages are English literals; those in a catalog
                # are shown translated (form errors arrive translated already).
                errors[name.removeprefix("form_data.")] = _(message)
            errors.update(upload_errors)
            typed = {"title": title, "description": description, "values": values}
            return await self._request_form(
                request, snapshot, department, rt, typed, errors, had_files=bool(pairs)
            )
        await _store(
            tickets, actor, view.id, uploads, await _event_id(tickets, actor, view, "created")
        )
        return Redirect(f"/requests/{view.key}", status_code=303)

    async def _request_form(
        self,
        request: Request,
        snapshot: Snapshot,
        department: Department,
        rt: RequestType,
        typed: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        *,
        had_files: bool = False,
    ) -> Template:
        typed = typed or {"title": "", "description": "", "values": {}}
        errors = errors or {}
        labels = {
            "title": ("title", _("Title")),
            "description": ("description", _("Description")),
            **{f.key: (f"f_{f.key}", _(f.label)) for f in rt.form.fields},
            "attachments": ("attachments", _("Attachments")),
        }
        ordered = {k: errors[k] for k in labels if k in errors}
        ordered.update({k: v for k, v in errors.items() if k not in labels})
        context = {
            "department": department,
            "request_type": rt,
            **typed,
            "errors": ordered,
            "summary": _summary(ordered, labels),
            "had_files": had_files,
            "max_files": MAX_FILES_PER_UPLOAD,
            "max_mb": MAX_ATTACHMENT_BYTES // (1024 * 1024),
        }
        if typed["title"].strip():
            # A refused form already has a title: suggest articles without JavaScript too.
            actor = await require_actor(request)
            context["hits"] = await KnowledgeService(snapshot).search_for_reader(
                actor,
                typed["title"][:MAX_QUERY],
                current_locale(),
                suggest=True,
                department=department.slug,
                limit=5,
            )
        status = 422 if errors else 200
        return await page(request, "portal/new.html", context, status_code=status)

    # -- my requests ----------------------------------------------------------------

    @get("/requests")
    async def list_requests(
        self, request: Request, cursor: FromQuery[str | None] = None
    ) -> Template:
        actor = await require_actor(request)
        snapshot = await snapshot_of(request)
        tickets = TicketService(snapshot)
        found = await tickets.list(
            actor, TicketFilters(requester="me", sort="newest"), cursor=cursor, limit=PAGE_SIZE
        )
        context = {
            "tickets": found.items,
            "next_cursor": found.next_cursor,
            "clocks": await _clocks(snapshot, found.items),
            "names": _names(snapshot),
            "cursor": cursor,
        }
        template = "portal/_request_rows.html" if is_htmx(request) else "portal/requests.html"
        return await page(request, template, context)

    @get("/requests/{key:str}")
    async def get_request(self, request: Request, key: FromPath[str]) -> Template:
        actor = await require_actor(request)
        return await self._request_page(request, actor, key)

    @post("/requests/{key:str}/comments", request_max_body_size=MAX_UPLOAD_BODY)
    async def create_reply(self, request: Request, key: FromPath[str]) -> Template | Redirect:
        actor = await require_actor(request)
        tickets = TicketService(await snapshot_of(request))
        ticket = await tickets.get(actor, key)
        posted = await request.form()
        body = str(posted.get("body") or "")
        files = _attachments_of(posted)
        uploads, errors = await _read_uploads(files)
        if len(files) > MAX_FILES_PER_UPLOAD:
            errors["attachments"] = _attach_limit()
        try:
            if errors:
                raise ValidationFailed({})
            view = await tickets.comment(actor, ticket.id, body=body, public=True)
        except ValidationFailed as exc:
            errors = {**{k: _(v) for k, v in exc.fields.items()}, **errors}
            typed = {
                "reply_body": body,
                "reply_errors": errors,
                "reply_had_files": bool(files),
                "summary": _summary(errors, REPLY_LABELS),
            }
            return await self._request_page(request, actor, key, typed, status_code=422)
        event = await _event_id(tickets, actor, view, "reply")
        await _store(tickets, actor, view.id, uploads, event)
        return Redirect(f"/requests/{view.key}#entry-{event}", status_code=303)

    @post("/requests/{key:str}/transitions/{transition:str}", request_max_body_size=MAX_UPLOAD_BODY)
    async def apply_transition(
        self, request: Request, key: FromPath[str], transition: FromPath[str]
    ) -> Template | Redirect:
        actor = await require_actor(request)
        tickets = TicketService(await snapshot_of(request))
        ticket = await tickets.get(actor, key)
        offered = {t.key: t for t in tickets.available_transitions(actor, ticket)}
        if transition not in offered:
            raise NotFound(_("This step is not available on this request."))
        form = Form(offered[transition].fields)
        posted = await request.form()
        values = values_from_post(form, posted, prefix="t_")
        uploads, errors = await _read_uploads(uploads_from_post(form, posted, prefix="t_"))
        version = str(posted.get("version") or "")
        try:
            if errors:
                form.validate(values)
                raise ValidationFailed({})
            view = await tickets.transition(
                actor,
                ticket.id,
                transition,
                version=int(version) if version.isdigit() else None,
                fields=values,
            )
        except (ValidationFailed, Conflict, InvalidTransition) as exc:
            fields = {**getattr(exc, "fields", {}), **errors}
            labels = {f.key: (f"t_{f.key}", _(f.label)) for f in form.fields}
            typed = {
                "transition_key": transition,
                "transition_values": values,
                "transition_errors": fields,
                "summary": _summary(fields, labels),
                "notice": None if fields else str(exc),
            }
            status = 422 if fields else 409
            return await self._request_page(request, actor, key, typed, status_code=status)
        event = await _event_id(tickets, actor, view, "transition")
        await _store(tickets, actor, view.id, uploads, event)
        return Redirect(f"/requests/{view.key}", status_code=303)

    @post("/requests/{key:str}/approvals/{approval_id:int}")
    async def decide_approval(
        self, request: Request, key: FromPath[str], approval_id: FromPath[int]
    ) -> Template | Redirect:
        actor = await require_actor(request)
        tickets = TicketService(await snapshot_of(request))
        posted = await request.form()
        decision = posted.get("decision")
        if decision not in ("approve", "reject"):
            typed = {"notice": _("Choose Approve or Reject.")}
            return await self._request_page(request, actor, key, typed, status_code=422)
        try:
            view = await tickets.get(actor, key)
            await tickets.decide_approval(
                actor,
                view.id,
                approval_id,
                approve=decision == "approve",
                comment=str(posted.get("comment") or ""),
            )
        except (InvalidTransition, PermissionDenied) as exc:
            status = 403 if isinstance(exc, PermissionDenied) else 409
            return await self._request_page(
                request, actor, key, {"notice": str(exc)}, status_code=status
            )
        return Redirect(f"/requests/{view.key}", status_code=303)

    @post("/requests/{key:str}/rating")
    async def rate_request(self, request: Request, key: FromPath[str]) -> Template | Redirect:
        actor = await require_actor(request)
        tickets = TicketService(await snapshot_of(request))
        posted = await request.form()
        score = str(posted.get("score") or "")
        comment = str(posted.get("comment") or "")
        try:
            view = await tickets.get(actor, key)
            await rate(
                tickets, actor, view.id, score=int(score) if score.isdigit() else 0, comment=comment
            )
        except (ValidationFailed, InvalidTransition, PermissionDenied) as exc:
            rating_errors = getattr(exc, "fields", {})
            typed = {
                "rating_score": score,
                "rating_comment": comment,
                "rating_errors": rating_errors,
                "summary": _summary(rating_errors, RATING_LABELS),
                "notice": None if isinstance(exc, ValidationFailed) else str(exc),
            }
            status = 422 if isinstance(exc, ValidationFailed) else 409
            return await self._request_page(request, actor, key, typed, status_code=status)
        return Redirect(f"/requests/{view.key}#rating", status_code=303)

    async def _request_page(
        self,
        request: Request,
        actor: Actor,
        key: str,
        typed: dict[str, Any] | None = None,
        *,
        status_code: int = 200,
    ) -> Template:
        """One request as its requester (or approver) sees it, with every form on it."""
        snapshot = await snapshot_of(request)
        tickets = TicketService(snapshot)
        ticket = await tickets.get(actor, key)
        timeline = [e for e in await tickets.timeline(actor, ticket.id) if e.public]
        files = await list_attachments(tickets, actor, ticket.id)
        approvals = await tickets.approvals(actor, ticket.id)
        workflow = tickets.workflow_of(ticket)
        transitions = [
            {"transition": t, "form": Form(t.fields)}
            for t in tickets.available_transitions(actor, ticket)
            if "requester" in t.roles
        ]
        rating = None
        if ticket.state_category in ("resolved", "closed"):
            rating = await rating_of(tickets, actor, ticket.id)
        files_by_event: dict[int | None, list[Any]] = {}
        for meta in files:
            files_by_event.setdefault(meta.timeline_event, []).append(meta)
        rt = snapshot.registry.request_types.get(ticket.request_type)
        steps = {t.key: t.fields for t in workflow.transitions}
        context = {
            "ticket": ticket,
            "request_type": rt,
            "shown_fields": _shown(rt.form.fields, ticket.form_data) if rt else [],
            "entry_fields": {
                e.id: _shown(steps.get(e.data.get("transition"), ()), e.data.get("fields") or {})
                for e in timeline
                if e.kind == "transition"
            },
            "state_labels": {st.key: st.label for st in workflow.states},
            "department": snapshot.registry.departments.get(ticket.department),
            "state_label": workflow.state(ticket.state).label,
            "clocks": (await _clocks(snapshot, [ticket]))[ticket.id],
            "timeline": timeline,
            "files": files,
            "files_by_event": files_by_event,
            "approvals": approvals,
            "my_approvals": [
                a for a in approvals if a.state == "pending" and a.approver.id == actor.person_id
            ],
            "transitions": transitions,
            "rating": rating,
            "can_rate": rating is None
            and ticket.state_category in ("resolved", "closed")
            and ticket.requester.id == actor.person_id,
            "can_reply": ticket.state_category not in FINAL
            and can(snapshot.pm, snapshot.disabled_plugins, actor, "ticket.reply", ticket),
            "scores": SCORES,
            "max_files": MAX_FILES_PER_UPLOAD,
            "max_mb": MAX_ATTACHMENT_BYTES // (1024 * 1024),
            "reply_body": "",
            "reply_errors": {},
            "reply_had_files": False,
            "transition_key": None,
            "transition_values": {},
            "transition_errors": {},
            "rating_score": "",
            "rating_comment": "",
            "rating_errors": {},
            "notice": None,
            "summary": [],
            **(typed or {}),
        }
        return await page(request, "portal/request.html", context, status_code=status_code)
