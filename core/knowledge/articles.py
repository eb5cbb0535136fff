"""Article lifecycle: create, edit (every save a version), publish, archive, restore.

Readers get the published version; an edit by someone who may publish goes
live at once, an edit by an agent in a space that requires review waits as
the latest version until a lead publishes it. Every change runs in one
transaction with its version row and its search index entry.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from piccolo.columns.combination import WhereRaw

from polydesk.core.db import transaction
from polydesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from polydesk.core.i18n import gettext as _
from polydesk.core.knowledge.access import SpaceAccess
from polydesk.core.knowledge.base import KnowledgeBase, json_list
from polydesk.core.knowledge.diff import as_text, unified_diff
from polydesk.core.knowledge.index import write_index, write_status
from polydesk.core.knowledge.render import plain_text, render_markdown
from polydesk.core.knowledge.review import due_where
from polydesk.core.knowledge.schemas import ArticleSummary, ArticleView, DiffView, VersionView
from polydesk.core.knowledge.tables import Article, ArticleVersion
from polydesk.core.knowledge.text import clean_input, tokens
from polydesk.core.permissions import Actor
from polydesk.core.tickets.schemas import PersonRef

MAX_TITLE = 200
MAX_BODY = 100_000
MAX_TAGS = 20
MAX_TAG = 40
MAX_NOTE = 200
MAX_LIST = 200
STATUSES = ("draft", "published", "archived")
UNSET: Any = object()


def slugify(title: str) -> str:
    """A URL-safe slug from the title's folded Latin words ("article" if none)."""
    words = [t.term for t in tokens(title) if not t.cjk and t.term.isascii()]
    return "-".join(words)[:80].strip("-") or "article"


def clean_content(
    title: str, body_md: str, tags: Sequence[str], note: str = ""
) -> tuple[str, str, list[str], str]:
    """Trimmed, NFC-normalised title, body, tags and note; ValidationFailed per field."""
    errors: dict[str, str] = {}
    title = clean_input(title).strip()
    body_md = clean_input(body_md)
    if not title:
        errors["title"] = _("A title is required.")
    elif len(title) > MAX_TITLE:
        errors["title"] = _("At most %(max)s characters.", max=MAX_TITLE)
    if len(body_md) > MAX_BODY:
        errors["body_md"] = _("At most %(max)s characters.", max=MAX_BODY)
    cleaned = list(dict.fromkeys(clean_input(t).strip().lower() for t in tags if t.strip()))
    if len(cleaned) > MAX_TAGS:
        errors["tags"] = _("At most %(max)s tags.", max=MAX_TAGS)
    elif any(len(t) > MAX_TAG for t in cleaned):
        errors["tags"] = _("A tag has at most %(max)s characters.", max=MAX_TAG)
    if len(note or "") > MAX_NOTE:
        errors["note"] = _("At most %(max)s characters.", max=MAX_NOTE)
    if errors:
        raise ValidationFailed(errors)
    return title, body_md, cleaned, (note or "").strip()


def _version_view(row: dict[str, Any]) -> VersionView:
    author = None
    if row["author"] is not None:
        author = PersonRef(
            id=row["author"], username=row["author_username"], display_name=row["author_name"]
        )
    return VersionView(
        number=row["number"],
        title=row["title"],
        body_md=row["body_md"],
        tags=json_list(row["tags"]),
        author=author,
        created_at=row["created_at"],
        note=row["note"],
    )


class ArticleOps(KnowledgeBase):
    # -- writing helpers ---------------------------------------------------------

    async def _reader_copy(
        self,
        row: dict[str, Any],
        content: tuple[str, str, list[str], str],
        values: dict[Any, Any],
    ) -> None:
        """Make `content` what readers of article `row` get (with `values`), and index it."""
        title, body_md, tags = content[:3]
        text = plain_text(body_md)
        await Article.update(
            {
                Article.title: title,
                Article.body_md: body_md,
                Article.body_html: render_markdown(body_md),
                Article.body_text: text,
                Article.tags: tags,
                **values,
            }
        ).where(Article.id == row["id"])
        status = values.get(Article.status, row["status"])
        await write_index(row["id"], title, tags, text, space=row["space"], status=status)

    async def _add_version(
        self,
        actor: Actor,
        article_id: int,
        number: int,
        content: tuple[str, str, list[str], str],
    ) -> None:
        title, body_md, tags, note = content
        await ArticleVersion.insert(
            ArticleVersion(
                article=article_id,
                number=number,
                title=title,
                body_md=body_md,
                tags=tags,
                author=None if actor.is_system else actor.person_id,
                created_at=self._now(),
                note=note,
            )
        )

    async def _unique_slug(self, space_id: int, base: str) -> str:
        rows = await Article.select(Article.slug).where(
            (Article.space == space_id) & Article.slug.like(f"{base}%")
        )
        taken = {r["slug"] for r in rows}
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        return slug

    # -- create and edit -----------------------------------------------------------

    async def create_article(
        self,
        actor: Actor,
        *,
        space: str,
        title: str,
        body_md: str = "",
        tags: Sequence[str] = (),
        review_by: dt.date | None = None,
        note: str = "",
        source_ticket: int | None = None,
        slug: str | None = None,
        publish: bool = False,
        language: str | None = None,
        translation_of: int | None = None,
    ) -> ArticleView:
        """Write a new draft (version 1) in `space`; agents of its department.

        `publish=True` publishes it at once when the actor may publish there
        (seeding does this); otherwise it stays a draft. `language` defaults to
        the organisation's; `translation_of` makes it a translation of that
        article (of its original, if that is itself a translation).
        """
        space_view, access = await self._space_by_slug(actor, space)
        if not access.edit:
            raise PermissionDenied(_("Only agents of this department can write articles here."))
        language = self._language(language)
        original = None
        if translation_of is not None:
            original = await self._original_for(actor, translation_of, language)
        content = clean_content(title, body_md, tags, note or "First version")
        now = self._now()
        live = publish and access.publish
        async with transaction():
            rows = await Article.insert(
                Article(
                    space=space_view.id,
                    slug=await self._unique_slug(space_view.id, slug or slugify(content[0])),
                    status="published" if live else "draft",
                    owner=None if actor.is_system else actor.person_id,
                    review_by=review_by,
                    version=1,
                    published_version=1 if live else None,
                    created_at=now,
                    updated_at=now,
                    published_at=now if live else None,
                    source_ticket=source_ticket,
                    language=language,
                    translation_of=original,
                )
            ).returning(Article.id)
            article_id = rows[0]["id"]
            await self._add_version(actor, article_id, 1, content)
            row = {
                "id": article_id,
                "space": space_view.id,
                "status": "published" if live else "draft",
            }
            await self._reader_copy(row, content, {})
        return await self.get(actor, article_id, working_copy=True)

    async def _save(
        self,
        actor: Actor,
        row: dict[str, Any],
        access: SpaceAccess,
        content: tuple[str, str, list[str], str],
        expected_version: int | None,
        values: dict[Any, Any],
    ) -> None:
        """Store `content` as the next version, live if the actor may publish."""
        if expected_version is not None and expected_version != row["version"]:
            raise Conflict(
                _("The article was changed by someone else."),
                current=await self._view(row, access, working_copy=True),
            )
        number = row["version"] + 1
        updated = (
            await Article.update(
                {Article.version: number, Article.updated_at: self._now(), **values}
            )
            .where((Article.id == row["id"]) & (Article.version == row["version"]))
            .returning(Article.id)
        )
        if not updated:
            raise Conflict(_("The article was changed by someone else."))
        await self._add_version(actor, row["id"], number, content)
        if row["status"] != "published":
            await self._reader_copy(row, content, {})
        elif access.publish:
            await self._reader_copy(row, content, {Article.published_version: number})

    async def update_article(
        self,
        actor: Actor,
        article_id: int,
        *,
        version: int | None,
        title: str | None = None,
        body_md: str | None = None,
        tags: Sequence[str] | None = None,
        review_by: dt.date | None = UNSET,
        note: str = "",
        language: str | None = None,
    ) -> ArticleView:
        """Save a new version with the fields given (the rest as in the latest version).

        `version` is the version the editor started from; a stale one raises
        `Conflict` with the article as it is now. `language` relabels the article
        (not a new version); its translation group may hold each language once.
        """
        async with transaction():
            row, access = await self._load(actor, article_id)
            if not access.edit:
                raise PermissionDenied(_("Only agents of this department can edit articles."))
            latest = await self._version(row["id"], row["version"])
            content = clean_content(
                latest.title if title is None else title,
                latest.body_md if body_md is None else body_md,
                latest.tags if tags is None else tags,
                note,
            )
            values = {} if review_by is UNSET else {Article.review_by: review_by}
            if language is not None and language != row["language"]:
                await self._check_language_free(row, self._language(language))
                values[Article.language] = language
            if content[:3] == (latest.title, latest.body_md, latest.tags):
                if values:
                    await Article.update(values).where(Article.id == row["id"])
                return await self.get(actor, article_id, working_copy=True)
            await self._save(actor, row, access, content, version, values)
        return await self.get(actor, article_id, working_copy=True)

    # -- review ----------------------------------------------------------------------

    async def publish(self, actor: Actor, article_id: int) -> ArticleView:
        """Make the latest version what readers see (leads; agents where no review)."""
        async with transaction():
            row, access = await self._load(actor, article_id)
            if not access.publish:
                raise PermissionDenied(_("Only leads can publish in this space."))
            if row["status"] != "published" or row["published_version"] != row["version"]:
                latest = await self._version(row["id"], row["version"])
                now = self._now()
                await self._reader_copy(
                    row,
                    (latest.title, latest.body_md, latest.tags, latest.note),
                    {
                        Article.status: "published",
                        Article.published_version: row["version"],
                        Article.published_at: now,
                        Article.updated_at: now,
                    },
                )
        return await self.get(actor, article_id, working_copy=True)

    async def archive(self, actor: Actor, article_id: int) -> ArticleView:
        """Take the article away from readers; it can be published again later."""
        async with transaction():
            _row, access = await self._load(actor, article_id)
            if not access.publish:
                raise PermissionDenied(_("Only leads can archive in this space."))
            await Article.update(
                {Article.status: "archived", Article.updated_at: self._now()}
            ).where(Article.id == article_id)
            await write_status(article_id, "archived")
        return await self.get(actor, article_id, working_copy=True)

    # -- history -----------------------------------------------------------------------

    async def _version(self, article_id: int, number: int) -> VersionView:
        row = (
            await ArticleVersion.select(
                *ArticleVersion.all_columns(),
                ArticleVersion.author.username.as_alias("author_username"),
                ArticleVersion.author.display_name.as_alias("author_name"),
            )
            .where((ArticleVersion.article == article_id) & (ArticleVersion.number == number))
            .output(load_json=True)
            .first()
        )
        if row is None:
            raise NotFound(_("No version %(number)s of this article.", number=number))
        return _version_view(row)

    async def _editor_row(self, actor: Actor, article_id: int) -> dict[str, Any]:
        row, access = await self._load(actor, article_id)
        if not access.edit:
            raise PermissionDenied(_("Only agents of this department can see the history."))
        return row

    async def versions(self, actor: Actor, article_id: int) -> list[VersionView]:
        """Every version, newest first, with author, time and note (editors)."""
        await self._editor_row(actor, article_id)
        rows = (
            await ArticleVersion.select(
                *ArticleVersion.all_columns(),
                ArticleVersion.author.username.as_alias("author_username"),
                ArticleVersion.author.display_name.as_alias("author_name"),
            )
            .where(ArticleVersion.article == article_id)
            .order_by(ArticleVersion.number, ascending=False)
            .output(load_json=True)
        )
        return [_version_view(r) for r in rows]

    async def diff(
        self, actor: Actor, article_id: int, from_version: int, to_version: int
    ) -> DiffView:
        """A unified diff (title, tags and body) from one version to another (editors)."""
        await self._editor_row(actor, article_id)
        lines = unified_diff(
            await self._version(article_id, from_version),
            await self._version(article_id, to_version),
        )
        return DiffView(
            article_id=article_id,
            from_version=from_version,
            to_version=to_version,
            unified=as_text(lines),
            lines=lines,
        )

    async def restore(
        self, actor: Actor, article_id: int, number: int, *, version: int | None = None
    ) -> ArticleView:
        """Save version `number`'s content again, as a new version (editors)."""
        async with transaction():
            row, access = await self._load(actor, article_id)
            if not access.edit:
                raise PermissionDenied(_("Only agents of this department can restore versions."))
            old = await self._version(article_id, number)
            content = (old.title, old.body_md, old.tags, f"Restored version {number}")
            await self._save(actor, row, access, content, version, {})
        return await self.get(actor, article_id, working_copy=True)

    # -- reading -------------------------------------------------------------------------

    async def get(
        self, actor: Actor, article_id: int, *, working_copy: bool = False
    ) -> ArticleView:
        """One article, or NotFound. Readers get the published version; editors
        asking for the `working_copy` get the latest one."""
        row, access = await self._load(actor, article_id)
        return await self._view(row, access, working_copy=working_copy)

    async def articles(
        self,
        actor: Actor,
        *,
        space: str | None = None,
        status: str | None = None,
        tag: str | None = None,
        due_for_review: bool = False,
        mine: bool = False,
        limit: int = 50,
    ) -> list[ArticleSummary]:
        """Articles the actor may see, most recently updated first. Readers see
        published ones; editors may ask for `status` draft or archived too.
        `due_for_review`: published ones whose review date is today or past,
        soonest first; `mine`: the ones the actor owns."""
        if status is not None and status not in STATUSES:
            raise ValidationFailed(
                {"status": _("Choose one of: %(choices)s.", choices=", ".join(STATUSES))}
            )
        spaces = await self._readable_spaces(actor)
        if space is not None:
            spaces = [(s, a) for s, a in spaces if s.slug == space]
            if not spaces:
                raise NotFound(_("No such knowledge space."))
        readable = [s.id for s, _ in spaces]
        editable = [s.id for s, a in spaces if a.edit]
        visible = Article.space.is_in(readable or [0]) & (Article.status == "published")
        if editable:
            visible = visible | Article.space.is_in(editable)
        query = Article.select(*Article.all_columns()).where(visible)
        if status is not None:
            query = query.where(Article.status == status)
        tag = (tag or "").strip().lower()
        if tag:
            query = query.where(_has_tag(tag))
        if mine:
            query = query.where(Article.owner == actor.person_id)
        if due_for_review:
            query = query.where(due_where(self._now().date())).order_by(Article.review_by)
        rows = await (
            query.order_by(Article.updated_at, ascending=False)
            .limit(max(1, min(limit, MAX_LIST)))
            .output(load_json=True)
        )
        if tag:  # LIKE narrowed it; this makes it exact
            rows = [r for r in rows if tag in json_list(r["tags"])]
        return await self._summaries(rows)


def _has_tag(tag: str) -> WhereRaw:
    """`tags` (a JSON list) holds `tag`, on both engines and either JSON encoder."""
    variants = sorted({json.dumps(tag), json.dumps(tag, ensure_ascii=False)})
    return WhereRaw(
        " OR ".join(["CAST(tags AS TEXT) LIKE {}"] * len(variants)),
        *[f"%{v}%" for v in variants],
    )
