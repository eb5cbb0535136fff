"""Knowledge pages for agents and leads: the article list, writing, editing,
review (publish / archive, review-by dates), files, history, diffs, restore,
ticket → article, and finding an article to link in a ticket reply.

Server-rendered; every form works without JavaScript (POST answered with 303,
or the page again with 422 field errors / 409 stale version / 403 refusal and
the typed text kept). People who are not agents of a department nor admins get
404: the workspace is not theirs.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from polydesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from polydesk.core.i18n import gettext as _
from polydesk.core.knowledge.articles import STATUSES
from polydesk.core.knowledge.files import MAX_FILE_BYTES, MAX_FILES_PER_ARTICLE
from polydesk.core.knowledge.review import REVIEW_MONTHS
from polydesk.core.knowledge.schemas import ArticleView, SpaceView
from polydesk.core.knowledge.services import KnowledgeService
from polydesk.core.permissions import Actor
from polydesk.core.tickets.attachments import MAX_FILES_PER_UPLOAD
from polydesk.core.tickets.services import TicketService
from polydesk.web.controllers.agent import Outcome, TicketPage
from polydesk.web.deps import snapshot_of
from polydesk.web.rendering import is_htmx, page, require_actor

LIST_LIMIT = 200
MAX_UPLOAD_BODY = (MAX_FILES_PER_UPLOAD + 2) * MAX_FILE_BYTES
MAX_QUERY = 200


async def _agent(request: Request) -> Actor:
    """The logged-in agent, lead or admin; anyone else gets a 404."""
    actor = await require_actor(request)
    if not (actor.agent_departments or actor.is_admin):
        raise NotFound(_("No such page."))
    return actor


async def _kb(request: Request) -> KnowledgeService:
    return KnowledgeService(await snapshot_of(request))


async def _editable_spaces(kb: KnowledgeService, actor: Actor) -> list[SpaceView]:
    return [s for s in await kb.spaces(actor) if s.can_edit]


def _tags(raw: str) -> list[str]:
    return [t.strip() for t in raw.split(",") if t.strip()]


def _form_values(form: Any) -> dict[str, str]:
    keys = ("space", "title", "body_md", "tags", "note", "version", "language")
    return {k: str(form.get(k, "")) for k in keys}


def _int(raw: Any) -> int | None:
    try:
        return int(str(raw))
    except (TypeError, ValueError):
        return None


def _file_error(files: list[tuple[str, str, bytes]], existing: int) -> str:
    """Why these uploads cannot be kept ("" if they can), before any is stored."""
    if not files:
        return _("Choose a file to upload.")
    if len(files) > MAX_FILES_PER_UPLOAD:
        return _("At most %(max)s files at once.", max=MAX_FILES_PER_UPLOAD)
    if existing + len(files) > MAX_FILES_PER_ARTICLE:
        return _("An article has at most %(max)s files.", max=MAX_FILES_PER_ARTICLE)
    limit = MAX_FILE_BYTES // (1024 * 1024)
    for filename, _type, content in files:
        if not content:
            return _("“%(name)s” is empty.", name=filename)
        if len(content) > MAX_FILE_BYTES:
            return _("“%(name)s” is larger than %(mb)s MB.", name=filename, mb=limit)
    return ""


async def _editable_article(kb: KnowledgeService, actor: Actor, article_id: int) -> ArticleView:
    """The working copy for its editors; anyone else gets 404."""
    article = await kb.get(actor, article_id, working_copy=True)
    if not article.can_edit:
        raise NotFound(_("No such article."))
    return article


class KnowledgePagesController(Controller):
    path = "/agent"
    include_in_schema = False

    # -- the list ------------------------------------------------------------------

    @get("/knowledge")
    async def list_articles(
        self,
        request: Request,
        space: FromQuery[str] = "",
        status: FromQuery[str] = "",
        review: FromQuery[str] = "",
        mine: FromQuery[str] = "",
    ) -> Template:
        """Articles of the spaces the agent can edit, newest first; `review=due`:
        published ones whose review date has come, `mine=1`: the agent's own."""
        actor = await _agent(request)
        kb = await _kb(request)
        spaces = await _editable_spaces(kb, actor)
        slugs = {s.slug for s in spaces}
        space = space if space in slugs else ""
        status = status if status in STATUSES else ""
        due, own = review == "due", mine == "1"
        articles = []
        if slugs:
            found = await kb.articles(
                actor,
                space=space or None,
                status=status or None,
                due_for_review=due,
                mine=own,
                limit=LIST_LIMIT,
            )
            articles = [a for a in found if a.space in slugs]
        names = {s.slug: s.name for s in spaces}
        context = {
            "spaces": spaces,
            "space_names": names,
            "articles": articles,
            "chosen_space": space,
            "chosen_status": status,
            "statuses": STATUSES,
            "due": due,
            "mine": own,
            "today": kb.snapshot.now().date(),
        }
        return await page(request, "knowledge/list.html", context)

    # -- writing -------------------------------------------------------------------

    @get("/knowledge/new")
    async def new_article(self, request: Request, space: FromQuery[str] = "") -> Template:
        actor = await _agent(request)
        spaces = await _editable_spaces(await _kb(request), actor)
        if not spaces:
            raise NotFound(_("No knowledge space of yours."))
        return await self._new_page(request, spaces, {"space": space}, {})

    @post("/knowledge/new")
    async def create_article(self, request: Request) -> Template | Redirect:
        actor = await _agent(request)
        kb = await _kb(request)
        form = await request.form()
        values = _form_values(form)
        try:
            article = await kb.create_article(
                actor,
                space=values["space"],
                title=values["title"],
                body_md=values["body_md"],
                tags=_tags(values["tags"]),
                note=values["note"],
                language=values["language"] or None,
            )
        except ValidationFailed as exc:
            errors, status = exc.fields, 422
        except (NotFound, PermissionDenied):
            errors, status = {"space": _("Choose one of your spaces.")}, 422
        else:
            return Redirect(f"/agent/knowledge/{article.id}", status_code=303)
        spaces = await _editable_spaces(kb, actor)
        return await self._new_page(request, spaces, values, errors, status_code=status)

    async def _new_page(
        self,
        request: Request,
        spaces: list[SpaceView],
        values: dict[str, str],
        errors: dict[str, str],
        *,
        status_code: int = 200,
    ) -> Template:
        context = {
            "spaces": spaces,
            "values": {"language": (await _kb(request)).default_language(), **values},
            "errors": errors,
        }
        return await page(request, "knowledge/new.html", context, status_code=status_code)

    # -- one article -----------------------------------------------------------------

    @get("/knowledge/{article_id:int}")
    async def get_article(self, request: Request, article_id: FromPath[int]) -> Template:
        actor = await _agent(request)
        kb = await _kb(request)
        article = await _editable_article(kb, actor, article_id)
        return await self._article_page(request, kb, actor, article)

    async def _article_page(
        self,
        request: Request,
        kb: KnowledgeService,
        actor: Actor,
        article: ArticleView,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        conflict: dict[str, Any] | None = None,
        refusal: str = "",
        file_errors: dict[str, str] | None = None,
        review_errors: dict[str, str] | None = None,
        review_values: dict[str, str] | None = None,
        translation_errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        context = {
            "a": article,
            "versions": await kb.versions(actor, article.id),
            "translations": await kb.translations(actor, article.id),
            "translation_errors": translation_errors or {},
            "values": values
            or {
                "title": article.title,
                "body_md": article.body_md,
                "tags": ", ".join(article.tags),
                "note": "",
                "language": article.language,
            },
            "errors": errors or {},
            "conflict": conflict,
            "refusal": refusal,
            "file_errors": file_errors or {},
            "review_errors": review_errors or {},
            "review_values": review_values or {"months": "6", "note": ""},
            "review_months": REVIEW_MONTHS,
            "max_file_mb": MAX_FILE_BYTES // (1024 * 1024),
        }
        return await page(request, "knowledge/article.html", context, status_code=status_code)

    @post("/knowledge/{article_id:int}")
    async def update_article(
        self, request: Request, article_id: FromPath[int]
    ) -> Template | Redirect:
        actor = await _agent(request)
        kb = await _kb(request)
        await _editable_article(kb, actor, article_id)
        form = await request.form()
        values = _form_values(form)
        version = _int(values["version"])
        errors: dict[str, str] = {}
        conflict = None
        try:
            if version is None:
                raise ValidationFailed({"version": _("Reload the page and try again.")})
            await kb.update_article(
                actor,
                article_id,
                version=version,
                title=values["title"],
                body_md=values["body_md"],
                tags=_tags(values["tags"]),
                note=values["note"],
                language=values["language"] or None,
            )
        except ValidationFailed as exc:
            errors, status = exc.fields, 422
        except Conflict:
            conflict, status = {"seen": version}, 409
        else:
            return Redirect(f"/agent/knowledge/{article_id}", status_code=303)
        fresh = await _editable_article(kb, actor, article_id)
        return await self._article_page(
            request,
            kb,
            actor,
            fresh,
            values=values,
            errors=errors,
            conflict=conflict,
            status_code=status,
        )

    @post("/knowledge/{article_id:int}/translations")
    async def add_translation(
        self, request: Request, article_id: FromPath[int]
    ) -> Template | Redirect:
        """ "Add a translation": a draft in the chosen language, prefilled from this one."""
        actor = await _agent(request)
        kb = await _kb(request)
        article = await _editable_article(kb, actor, article_id)
        language = str((await request.form()).get("language", ""))
        try:
            draft = await kb.create_translation(actor, article_id, language=language)
        except ValidationFailed as exc:
            return await self._article_page(
                request, kb, actor, article, translation_errors=exc.fields, status_code=422
            )
        return Redirect(f"/agent/knowledge/{draft.id}", status_code=303)

    @post("/knowledge/{article_id:int}/publish")
    async def publish(self, request: Request, article_id: FromPath[int]) -> Template | Redirect:
        return await self._review(request, article_id, "publish")

    @post("/knowledge/{article_id:int}/archive")
    async def archive(self, request: Request, article_id: FromPath[int]) -> Template | Redirect:
        return await self._review(request, article_id, "archive")

    async def _review(self, request: Request, article_id: int, action: str) -> Template | Redirect:
        actor = await _agent(request)
        kb = await _kb(request)
        await _editable_article(kb, actor, article_id)
        try:
            if action == "publish":
                await kb.publish(actor, article_id)
            else:
                await kb.archive(actor, article_id)
        except PermissionDenied as exc:
            fresh = await _editable_article(kb, actor, article_id)
            return await self._article_page(
                request, kb, actor, fresh, refusal=str(exc), status_code=403
            )
        return Redirect(f"/agent/knowledge/{article_id}", status_code=303)

    @post("/knowledge/{article_id:int}/review")
    async def mark_reviewed(
        self, request: Request, article_id: FromPath[int]
    ) -> Template | Redirect:
        """Record that the article is still right; the next review in N months."""
        actor = await _agent(request)
        kb = await _kb(request)
        await _editable_article(kb, actor, article_id)
        form = await request.form()
        values = {"months": str(form.get("months", "")), "note": str(form.get("note", ""))}
        months = _int(values["months"])
        try:
            if months is None:
                raise ValidationFailed({"months": _("Choose when it is next reviewed.")})
            await kb.mark_reviewed(actor, article_id, months=months, note=values["note"])
        except ValidationFailed as exc:
            fresh = await _editable_article(kb, actor, article_id)
            return await self._article_page(
                request,
                kb,
                actor,
                fresh,
                review_errors=exc.fields,
                review_values=values,
                status_code=422,
            )
        return Redirect(f"/agent/knowledge/{article_id}#review", status_code=303)

    # -- files -----------------------------------------------------------------------

    @post("/knowledge/{article_id:int}/files", request_max_body_size=MAX_UPLOAD_BODY)
    async def add_files(self, request: Request, article_id: FromPath[int]) -> Template | Redirect:
        """Upload documents or images to the article; all are checked before any is kept."""
        actor = await _agent(request)
        kb = await _kb(request)
        article = await _editable_article(kb, actor, article_id)
        form = await request.form()
        uploads = [f for f in form.getall("files", []) if getattr(f, "filename", None)]
        files = [(f.filename, f.content_type or "", await f.read()) for f in uploads]
        error = _file_error(files, len(article.attachments))
        try:
            if error:
                raise ValidationFailed({"files": error})
            for filename, content_type, content in files:
                await kb.add_attachment(
                    actor, article_id, filename=filename, content_type=content_type, content=content
                )
        except ValidationFailed as exc:
            fresh = await _editable_article(kb, actor, article_id)
            message = " ".join(exc.fields.values())
            return await self._article_page(
                request, kb, actor, fresh, file_errors={"files": message}, status_code=422
            )
        return Redirect(f"/agent/knowledge/{article_id}#files", status_code=303)

    @post("/knowledge/{article_id:int}/files/{file_id:int}/delete")
    async def delete_file(
        self, request: Request, article_id: FromPath[int], file_id: FromPath[int]
    ) -> Redirect:
        actor = await _agent(request)
        kb = await _kb(request)
        article = await _editable_article(kb, actor, article_id)
        if file_id not in {f.id for f in article.attachments}:
            raise NotFound(_("No such file."))
        await kb.delete_attachment(actor, file_id)
        return Redirect(f"/agent/knowledge/{article_id}#files", status_code=303)

    # -- history ---------------------------------------------------------------------

    @get("/knowledge/{article_id:int}/diff")
    async def diff(
        self,
        request: Request,
        article_id: FromPath[int],
    ) -> Template:
        actor = await _agent(request)
        kb = await _kb(request)
        article = await _editable_article(kb, actor, article_id)
        params = request.query_params
        start = _int(params.get("from")) or 1
        end = _int(params.get("to")) or article.version
        view = await kb.diff(actor, article_id, start, end)
        numbers = list(range(article.version, 0, -1))
        context = {"a": article, "diff": view, "numbers": numbers}
        return await page(request, "knowledge/diff.html", context)

    @post("/knowledge/{article_id:int}/restore/{number:int}")
    async def restore(
        self, request: Request, article_id: FromPath[int], number: FromPath[int]
    ) -> Template | Redirect:
        actor = await _agent(request)
        kb = await _kb(request)
        await _editable_article(kb, actor, article_id)
        form = await request.form()
        version = _int(form.get("version"))
        try:
            await kb.restore(actor, article_id, number, version=version)
        except Conflict:
            fresh = await _editable_article(kb, actor, article_id)
            return await self._article_page(
                request, kb, actor, fresh, conflict={"seen": version}, status_code=409
            )
        return Redirect(f"/agent/knowledge/{article_id}", status_code=303)

    # -- links to articles in replies ---------------------------------------------------

    @get("/tickets/{key:str}/article-links")
    async def find_article_links(
        self, request: Request, key: FromPath[str], q: FromQuery[str] = ""
    ) -> Template:
        """Published articles the ticket's requester may read, each with its link:
        for htmx the results beside the reply form ("Insert link"), without
        JavaScript a page with the text to copy."""
        actor = await _agent(request)
        snapshot = await snapshot_of(request)
        ticket = await TicketPage(actor, TicketService(snapshot)).ticket(key)
        q = " ".join(q.split())[:MAX_QUERY]
        hits = await KnowledgeService(snapshot).articles_for_reply(actor, ticket.id, q)
        context = {"t": ticket, "q": q, "hits": hits}
        if is_htmx(request):
            return await page(request, "knowledge/_link_results.html", context)
        return await page(request, "knowledge/links.html", context)

    # -- tickets become articles -------------------------------------------------------

    @post("/tickets/{key:str}/article")
    async def article_from_ticket(
        self, request: Request, key: FromPath[str]
    ) -> Template | Redirect:
        actor = await _agent(request)
        snapshot = await snapshot_of(request)
        kb = KnowledgeService(snapshot)
        pages = TicketPage(actor, TicketService(snapshot))
        ticket = await pages.ticket(key)
        try:
            article = await kb.article_from_ticket(actor, ticket.id)
        except (ValidationFailed, PermissionDenied) as exc:
            message = (
                " ".join(exc.fields.values()) if isinstance(exc, ValidationFailed) else str(exc)
            )
            context = await pages.context(ticket, Outcome(veto=message))
            return await page(request, "agent/ticket.html", context, status_code=422)
        return Redirect(f"/agent/knowledge/{article.id}", status_code=303)
