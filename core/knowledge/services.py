"""Knowledge services: spaces, articles, review, history, feedback, search.

`KnowledgeService(snapshot)` is what the API and the pages call, one per
request like `TicketService`; its operations live in small modules by job
(`articles`, `feedback`, `search`) and are gathered here. Reads narrow to what
the actor may see (NotFound otherwise); every change is one transaction.
"""

from __future__ import annotations

import re
from pathlib import Path

from polydesk.core.db import transaction
from polydesk.core.errors import PermissionDenied, ValidationFailed
from polydesk.core.i18n import LOCALES
from polydesk.core.i18n import gettext as _
from polydesk.core.knowledge.access import AUDIENCES
from polydesk.core.knowledge.articles import ArticleOps
from polydesk.core.knowledge.attachments import AttachmentOps
from polydesk.core.knowledge.feedback import FeedbackOps
from polydesk.core.knowledge.from_ticket import DONE, draft_from_ticket
from polydesk.core.knowledge.links import LinkOps
from polydesk.core.knowledge.review import ReviewOps
from polydesk.core.knowledge.schemas import ArticleView, SpaceView
from polydesk.core.knowledge.search import SearchOps
from polydesk.core.knowledge.seeding import (
    existing_slugs,
    parse_front_matter,
    seed_files,
    sync_plugin_spaces,
)
from polydesk.core.knowledge.tables import Article, Space
from polydesk.core.knowledge.translations import TranslationOps
from polydesk.core.permissions import SYSTEM, Actor
from polydesk.core.runtime import Snapshot
from polydesk.core.tickets.services import TicketService

_SPACE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


class KnowledgeService(
    ArticleOps, AttachmentOps, ReviewOps, LinkOps, FeedbackOps, SearchOps, TranslationOps
):
    """Knowledge operations as one actor sees them, against one request's Snapshot."""

    # -- spaces ----------------------------------------------------------------------

    async def spaces(self, actor: Actor) -> list[SpaceView]:
        """The spaces the actor may read, with what they may do in each."""
        return [self._with_access(s, a) for s, a in await self._readable_spaces(actor)]

    async def space(self, actor: Actor, slug: str) -> SpaceView:
        """One space the actor may read, or NotFound."""
        return self._with_access(*await self._space_by_slug(actor, slug))

    async def spaces_of_department(self, actor: Actor, department: str) -> list[SpaceView]:
        """The readable spaces of one department (a department portal shows these)."""
        return [s for s in await self.spaces(actor) if s.department == department]

    async def create_space(
        self,
        actor: Actor,
        *,
        slug: str,
        name: str,
        department: str | None = None,
        description: str = "",
        audience: str = "everyone",
        require_review: bool = True,
    ) -> SpaceView:
        """Create a space (global admins). `department` None is organisation-wide."""
        if not (actor.is_admin or actor.is_system):
            raise PermissionDenied(_("Only administrators can create knowledge spaces."))
        errors: dict[str, str] = {}
        if not _SPACE_SLUG.match(slug or ""):
            errors["slug"] = _("Use 2–63 lower-case letters, digits or dashes.")
        elif slug in {s.slug for s in (await self._all_spaces()).values()}:
            errors["slug"] = _("This slug is taken.")
        if not (name or "").strip() or len(name) > 200:
            errors["name"] = _("A name of at most 200 characters is required.")
        if department is not None and department not in self.registry.departments:
            errors["department"] = _("No such department.")
        if audience not in AUDIENCES:
            errors["audience"] = _("Choose one of: %(choices)s.", choices=", ".join(AUDIENCES))
        if len(description or "") > 2000:
            errors["description"] = _("At most 2000 characters.")
        if errors:
            raise ValidationFailed(errors)
        async with transaction():
            await Space.insert(
                Space(
                    slug=slug,
                    department=department,
                    name=name.strip(),
                    description=(description or "").strip(),
                    audience=audience,
                    require_review=require_review,
                    source="admin",
                    created_at=self._now(),
                )
            )
        self._forget_spaces()
        return await self.space(actor, slug)

    # -- tickets become articles ------------------------------------------------------

    async def article_from_ticket(
        self, actor: Actor, ticket_ref: int | str, *, space: str | None = None
    ) -> ArticleView:
        """Turn a resolved ticket into a draft: its title, its description as the
        question and its resolution (or last public agent reply) as the answer,
        linked back to the ticket. `space` defaults to the request type's space."""
        tickets = TicketService(self.snapshot)
        ticket = await tickets.get(actor, ticket_ref)
        if ticket.confidential:
            raise ValidationFailed({"ticket": _("A confidential ticket cannot become an article.")})
        if ticket.state_category not in DONE:
            raise ValidationFailed({"ticket": _("Only a resolved ticket can become an article.")})
        if space is None:
            space = self._default_space(ticket.request_type, ticket.department)
        if space is None:
            raise ValidationFailed({"space": _("This department has no knowledge space.")})
        title, body = draft_from_ticket(ticket, await tickets.timeline(actor, ticket.id))
        return await self.create_article(
            actor,
            space=space,
            title=title,
            body_md=body,
            note=f"From ticket {ticket.key}",
            source_ticket=ticket.id,
        )

    def _default_space(self, request_type: str, department: str) -> str | None:
        rt = self.registry.request_types.get(request_type)
        if rt is not None and rt.knowledge_space:
            return rt.knowledge_space
        for slug, declared in self.registry.knowledge_spaces.items():
            if declared.department == department:
                return slug
        return None


async def seed_plugin_articles(snapshot: Snapshot) -> int:
    """Sync the plugins' spaces into the database and import their Markdown
    seed articles as published articles. Idempotent: an article whose slug (the
    file name) exists in its space is left alone. Returns how many were added."""
    await sync_plugin_spaces(snapshot.registry.knowledge_spaces, update=True)
    service = KnowledgeService(snapshot)
    service._forget_spaces()
    spaces = {s.slug: s for s in await service.spaces(SYSTEM)}
    added = 0
    for slug, declared in snapshot.registry.knowledge_spaces.items():
        taken = await existing_slugs(spaces[slug].id)
        for path in seed_files(declared):
            if path.stem in taken:
                continue
            meta, body = parse_front_matter(path.read_text(encoding="utf-8"))
            tags = meta.get("tags") or []
            await service.create_article(
                SYSTEM,
                space=slug,
                title=str(meta.get("title") or path.stem.replace("-", " ").capitalize()),
                body_md=body,
                tags=[tags] if isinstance(tags, str) else tags,
                note=f"Seeded from {path.name}",
                slug=path.stem,
                publish=True,
            )
            added += 1
    return added


async def seed_article_translations(snapshot: Snapshot) -> int:
    """Import the plugins' translated seed articles (the demo calls this):
    `<seed_dir>/translations/<slug>.<language>.md` becomes a published translation
    of the seed article `<slug>`, slug `<slug>-<language>`. Idempotent like
    `seed_plugin_articles`; a file whose original is missing is skipped."""
    service = KnowledgeService(snapshot)
    spaces = {s.slug: s for s in await service.spaces(SYSTEM)}
    added = 0
    for slug, declared in snapshot.registry.knowledge_spaces.items():
        if slug not in spaces or declared.seed_dir is None:
            continue
        folder = Path(declared.seed_dir) / "translations"
        rows = await Article.select(Article.id, Article.slug).where(
            Article.space == spaces[slug].id
        )
        ids = {r["slug"]: r["id"] for r in rows}
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            original, _, language = path.stem.rpartition(".")
            own_slug = f"{original}-{language.lower().replace('_', '-')}"
            if original not in ids or language not in LOCALES or own_slug in ids:
                continue
            meta, body = parse_front_matter(path.read_text(encoding="utf-8"))
            tags = meta.get("tags") or []
            await service.create_article(
                SYSTEM,
                space=slug,
                title=str(meta.get("title") or original),
                body_md=body,
                tags=[tags] if isinstance(tags, str) else tags,
                note=f"Seeded from {path.name}",
                slug=own_slug,
                publish=True,
                language=language,
                translation_of=ids[original],
            )
            added += 1
    return added
