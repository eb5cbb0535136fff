"""`/api/v1/knowledge`: spaces, articles, review, history, votes, deflections, search.

Also `POST /api/v1/tickets/{ref}/article`, which turns a resolved ticket into a
draft, and `GET /api/v1/tickets/{ref}/article-links`, the articles its requester
may read, to link in a reply. Everything is a thin call into `KnowledgeService`; an article or space
the caller may not read answers 404, an action they may not take on one they
can read answers 403.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody, QueryParameter

from polydesk.core.knowledge.articles import UNSET
from polydesk.core.knowledge.files import MAX_FILE_BYTES
from polydesk.core.knowledge.schemas import (
    ArticleSummary,
    ArticleView,
    AttachmentView,
    DeflectionReport,
    DiffView,
    SearchHit,
    SpaceView,
    VersionView,
    VoteView,
)
from polydesk.core.knowledge.services import KnowledgeService
from polydesk.core.permissions import Actor
from polydesk.web.deps import provide_actor, snapshot_of


async def provide_knowledge(request: Request) -> KnowledgeService:
    return KnowledgeService(await snapshot_of(request))


class Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class SpaceCreate(Strict):
    slug: str
    name: str
    department: str | None = None
    description: str = ""
    audience: str = "everyone"  # everyone | requesters | agents
    require_review: bool = True


class ArticleCreate(Strict):
    space: str
    title: str
    body_md: str = ""
    tags: list[str] = msgspec.field(default_factory=list)
    review_by: dt.date | None = None
    note: str = ""
    language: str | None = None  # en | zh_Hans | zh_Hant | pl; default: the organisation's
    translation_of: int | None = None  # makes it a translation of that article


class ArticleUpdate(Strict):
    version: int  # the version you edited; a stale one is a 409
    title: str | None = None
    body_md: str | None = None
    tags: list[str] | None = None
    review_by: dt.date | msgspec.UnsetType | None = msgspec.UNSET
    note: str = ""
    language: str | None = None


class TranslationCreate(Strict):
    language: str  # en | zh_Hans | zh_Hant | pl


class VoteCreate(Strict):
    helpful: bool
    comment: str = ""


class DeflectionCreate(Strict):
    query: str = ""


class ReviewCreate(Strict):
    months: int | None = None  # next review this many months from today (1–24) ...
    review_by: dt.date | None = None  # ... or on this date; give exactly one
    note: str = ""


@dataclass
class FileUpload:
    file: UploadFile


class TicketArticleCreate(Strict):
    space: str | None = None  # default: the request type's knowledge space


class KnowledgeController(Controller):
    path = "/api/v1"
    tags = ["knowledge"]
    dependencies = {"actor": Provide(provide_actor), "kb": Provide(provide_knowledge)}

    # -- spaces ---------------------------------------------------------------------

    @get("/knowledge/spaces")
    async def list_spaces(
        self, actor: NamedDependency[Actor], kb: NamedDependency[KnowledgeService]
    ) -> list[SpaceView]:
        """Spaces you may read, with whether you may edit and publish in each."""
        return await kb.spaces(actor)

    @post("/knowledge/spaces")
    async def create_space(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        data: JSONBody[SpaceCreate],
    ) -> SpaceView:
        """Create a space (admins); `department` null makes it organisation-wide."""
        return await kb.create_space(actor, **msgspec.structs.asdict(data))

    @get("/knowledge/spaces/{slug:str}")
    async def get_space(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        slug: FromPath[str],
    ) -> SpaceView:
        return await kb.space(actor, slug)

    @get("/knowledge/spaces/{slug:str}/popular")
    async def most_helpful(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        slug: FromPath[str],
        limit: Annotated[int, QueryParameter(ge=1, le=50)] = 5,
    ) -> list[ArticleSummary]:
        """The space's articles readers found most helpful."""
        return await kb.most_helpful(actor, slug, limit=limit)

    @get("/knowledge/spaces/{slug:str}/report")
    async def deflection_report(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        slug: FromPath[str],
        since: FromQuery[dt.datetime | None] = None,
    ) -> DeflectionReport:
        """Deflections per article and the questions asked most (agents of the space)."""
        return await kb.deflection_report(actor, slug, since=since)

    # -- search ---------------------------------------------------------------------

    @get("/knowledge/search")
    async def search(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        q: FromQuery[str] = "",
        space: FromQuery[str | None] = None,
        department: FromQuery[str | None] = None,
        suggest: FromQuery[bool] = False,
        limit: Annotated[int, QueryParameter(ge=1, le=50)] = 10,
    ) -> list[SearchHit]:
        """Articles matching `q`, best first, with <mark>ed title and snippet.
        `suggest=true` is for typing a request's title: any word, the last a prefix."""
        if suggest:
            return await kb.suggest(actor, q, space=space, department=department, limit=limit)
        return await kb.search(actor, q, space=space, department=department, limit=limit)

    # -- articles -------------------------------------------------------------------

    @get("/knowledge/articles")
    async def list_articles(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        space: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
        tag: FromQuery[str | None] = None,
        due_for_review: FromQuery[bool] = False,
        mine: FromQuery[bool] = False,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> list[ArticleSummary]:
        """Articles you may see, most recently updated first. `due_for_review=true`:
        published ones whose review date is today or past; `mine=true`: yours."""
        return await kb.articles(
            actor,
            space=space,
            status=status,
            tag=tag,
            due_for_review=due_for_review,
            mine=mine,
            limit=limit,
        )

    @post("/knowledge/articles")
    async def create_article(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        data: JSONBody[ArticleCreate],
    ) -> ArticleView:
        """Write a draft (agents of the space's department)."""
        return await kb.create_article(actor, **msgspec.structs.asdict(data))

    @get("/knowledge/articles/{article_id:int}")
    async def get_article(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        article_id: FromPath[int],
        working_copy: FromQuery[bool] = False,
    ) -> ArticleView:
        """The published article (counted as a view), or with `working_copy=true`
        the latest version for its editors."""
        if working_copy:
            return await kb.get(actor, article_id, working_copy=True)
        return await kb.view(actor, article_id)

    @patch("/knowledge/articles/{article_id:int}")
    async def update_article(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        article_id: FromPath[int],
        data: JSONBody[ArticleUpdate],
    ) -> ArticleView:
        """Save a new version; send the `version` you edited (409 if it moved on)."""
        return await kb.update_article(
            actor,
            article_id,
            version=data.version,
            title=data.title,
            body_md=data.body_md,
            tags=data.tags,
            review_by=UNSET if data.review_by is msgspec.UNSET else data.review_by,
            note=data.note,
            language=data.language,
        )

    @get("/knowledge/articles/{article_id:int}/translations")
    async def translations(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        article_id: FromPath[int],
    ) -> list[ArticleSummary]:
        """The article's translation group you may see (itself included): the
        original first, then its translations."""
        return await kb.translations(actor, article_id)

    @post("/knowledge/articles/{article_id:int}/translations")
    async def create_translation(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        article_id: FromPath[int],
        data: JSONBody[TranslationCreate],
    ) -> ArticleView:
        """Start a translation: a draft in `language` prefilled from the article."""
        return await kb.create_translation(actor, article_id, language=data.language)

    @post("/knowledge/articles/{article_id:int}/publish")
    async def publish(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        article_id: FromPath[int],
    ) -> ArticleView:
        """Publish the latest version (leads; agents where the space needs no review)."""
        return await kb.publish(actor, article_id)

    @post("/knowledge/articles/{article_id:int}/archive")
    async def archive(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        article_id: FromPath[int],
    ) -> ArticleView:
        return await kb.archive(actor, article_id)

    @get("/knowledge/articles/{article_id:int}/versions")
    async def versions(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        article_id: FromPath[int],
    ) -> list[VersionView]:
        """Every version, newest first (editors)."""
        return await kb.versions(actor, article_id)

    @get("/knowledge/articles/{article_id:int}/diff")
    async def diff(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        article_id: FromPath[int],
        from_version: Annotated[int, QueryParameter(name="from", ge=1)],
        to_version: Annotated[int, QueryParameter(name="to", ge=1)],
    ) -> DiffView:
        """A unified diff between two versions (editors)."""
        return await kb.diff(actor, article_id, from_version, to_version)

    @post("/knowledge/articles/{article_id:int}/restore/{number:int}")
    async def restore(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        article_id: FromPath[int],
        number: FromPath[int],
    ) -> ArticleView:
        """Save an old version's content again as a new version (editors)."""
        return await kb.restore(actor, article_id, number)

    @post("/knowledge/articles/{article_id:int}/review")
    async def mark_reviewed(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        article_id: FromPath[int],
        data: JSONBody[ReviewCreate],
    ) -> ArticleView:
        """Record that the article is still right and set its next review date
        (agents of the space); the history gets a version noting it."""
        return await kb.mark_reviewed(
            actor, article_id, months=data.months, review_by=data.review_by, note=data.note
        )

    # -- files ------------------------------------------------------------------------

    @get("/knowledge/articles/{article_id:int}/attachments")
    async def list_attachments(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        article_id: FromPath[int],
    ) -> list[AttachmentView]:
        """The article's files; each `url` serves it (safe images inline, the rest
        as downloads; add `?download=1` to download an image)."""
        return await kb.attachments(actor, article_id)

    @post(
        "/knowledge/articles/{article_id:int}/attachments",
        request_max_body_size=MAX_FILE_BYTES + 64 * 1024,
    )
    async def add_attachment(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        article_id: FromPath[int],
        data: Annotated[FileUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> AttachmentView:
        """Upload one file (multipart field `file`) to the article (agents of the space)."""
        upload = data.file
        return await kb.add_attachment(
            actor,
            article_id,
            filename=upload.filename,
            content_type=upload.content_type,
            content=await upload.read(),
        )

    @delete("/knowledge/attachments/{attachment_id:int}", status_code=204)
    async def delete_attachment(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        attachment_id: FromPath[int],
    ) -> None:
        """Remove a file from its article (agents of the space)."""
        await kb.delete_attachment(actor, attachment_id)

    @post("/knowledge/articles/{article_id:int}/votes")
    async def vote(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        article_id: FromPath[int],
        data: JSONBody[VoteCreate],
    ) -> VoteView:
        """Helpful or not, with an optional comment; voting again changes your vote."""
        return await kb.vote(actor, article_id, helpful=data.helpful, comment=data.comment)

    @post("/knowledge/articles/{article_id:int}/deflections", status_code=204)
    async def deflect(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        article_id: FromPath[int],
        data: JSONBody[DeflectionCreate],
    ) -> None:
        """Record "this solved my problem", with what you searched for."""
        await kb.record_deflection(actor, article_id, query=data.query)

    # -- tickets and articles ---------------------------------------------------------

    @get("/tickets/{ref:str}/article-links")
    async def article_links(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        ref: FromPath[str],
        q: FromQuery[str] = "",
        limit: Annotated[int, QueryParameter(ge=1, le=10)] = 8,
    ) -> list[SearchHit]:
        """Published articles matching `q` that the ticket's requester may read,
        to link in a reply as `/portal/articles/{id}` (whoever may reply to it)."""
        return await kb.articles_for_reply(
            actor, int(ref) if ref.isdigit() else ref, q, limit=limit
        )

    @post("/tickets/{ref:str}/article")
    async def article_from_ticket(
        self,
        actor: NamedDependency[Actor],
        kb: NamedDependency[KnowledgeService],
        ref: FromPath[str],
        data: JSONBody[TicketArticleCreate],
    ) -> ArticleView:
        """Turn a resolved ticket into a draft article linked to it (agents)."""
        return await kb.article_from_ticket(
            actor, int(ref) if ref.isdigit() else ref, space=data.space
        )
