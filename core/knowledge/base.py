"""What every knowledge operation shares: spaces, rights, loading an article.

An article the actor may not read is `NotFound`, exactly like a missing one;
`PermissionDenied` is only for actions on things the actor can see.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import weakref
from typing import Any

import msgspec

from polydesk.core.errors import NotFound, ValidationFailed
from polydesk.core.i18n import LOCALES, language_name, normalize
from polydesk.core.i18n import gettext as _
from polydesk.core.knowledge.access import SpaceAccess, plugins_deny, space_access
from polydesk.core.knowledge.files import article_attachments
from polydesk.core.knowledge.render import render_markdown
from polydesk.core.knowledge.schemas import ArticleSummary, ArticleView, SpaceView
from polydesk.core.knowledge.seeding import sync_plugin_spaces
from polydesk.core.knowledge.tables import Article, ArticleVersion, Space
from polydesk.core.permissions import Actor
from polydesk.core.runtime import Snapshot
from polydesk.core.tickets.schemas import PersonRef

SUMMARY_COLUMNS = (
    "id",
    "slug",
    "title",
    "tags",
    "status",
    "version",
    "published_version",
    "views",
    "helpful_count",
    "not_helpful_count",
    "updated_at",
    "published_at",
    "review_by",
    "language",
    "translation_of",
)


def review_due(status: str, review_by: dt.date | None, today: dt.date) -> bool:
    """A published article whose review-by date has come (today or earlier)."""
    return status == "published" and review_by is not None and review_by <= today


def json_list(value: Any) -> list[str]:
    value = json.loads(value) if isinstance(value, str) else value
    return list(value or [])


def article_columns() -> list[Any]:
    return [
        *Article.all_columns(),
        Article.owner.username.as_alias("owner_username"),
        Article.owner.display_name.as_alias("owner_name"),
        Article.source_ticket.key.as_alias("source_ticket_key"),
    ]


#: Seconds a worker trusts its list of spaces (like the plugin state's TTL).
SPACES_TTL = 1.0
# Per plugin manager, i.e. per runtime: (read at, spaces by id).
_SPACE_CACHE: weakref.WeakKeyDictionary[Any, tuple[float, dict[int, SpaceView]]] = (
    weakref.WeakKeyDictionary()
)


async def _read_spaces(declared: dict[str, Any]) -> dict[int, SpaceView]:
    """The space rows; plugin spaces missing from the table are added first."""
    rows = await Space.select().order_by(Space.id)
    if set(declared) - {r["slug"] for r in rows}:
        await sync_plugin_spaces(declared, update=False)
        rows = await Space.select().order_by(Space.id)
    return {
        r["id"]: SpaceView(
            id=r["id"],
            slug=r["slug"],
            department=r["department"],
            name=r["name"],
            description=r["description"],
            audience=r["audience"],
            require_review=r["require_review"],
            source=r["source"],
        )
        for r in rows
    }


class KnowledgeBase:
    """Knowledge operations as one actor sees them, against one request's Snapshot."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.registry = snapshot.registry
        self._spaces: dict[int, SpaceView] | None = None

    def _now(self) -> dt.datetime:
        return self.snapshot.now()

    # -- spaces and rights ------------------------------------------------------

    async def _all_spaces(self, *, fresh: bool = False) -> dict[int, SpaceView]:
        """Every space by id, as this worker read them at most SPACES_TTL ago (spaces
        change rarely and every search needs them); `fresh` reads them now."""
        if self._spaces is None or fresh:
            cached = _SPACE_CACHE.get(self.snapshot.pm)
            if cached is not None and not fresh and time.monotonic() - cached[0] < SPACES_TTL:
                self._spaces = cached[1]
            else:
                self._spaces = await _read_spaces(self.registry.knowledge_spaces)
                _SPACE_CACHE[self.snapshot.pm] = (time.monotonic(), self._spaces)
        return self._spaces

    async def _space(self, space_id: int) -> SpaceView:
        """One space by id; a space made by another worker a moment ago is read afresh."""
        spaces = await self._all_spaces()
        if space_id not in spaces:
            spaces = await self._all_spaces(fresh=True)
        return spaces[space_id]

    def _forget_spaces(self) -> None:
        """After this worker changed spaces: the next read goes to the database."""
        self._spaces = None
        _SPACE_CACHE.pop(self.snapshot.pm, None)

    def access(self, actor: Actor, space: SpaceView) -> SpaceAccess:
        """The actor's rights in `space`: the baseline, narrowed by any plugin's veto."""
        base = space_access(actor, space, self.snapshot.disabled_departments)
        if not (base.read or base.edit):
            return base
        read = base.read and not plugins_deny(self.snapshot, actor, "knowledge.read", space)
        edit = (
            read and base.edit and not plugins_deny(self.snapshot, actor, "knowledge.edit", space)
        )
        publish = (
            edit
            and base.publish
            and not plugins_deny(self.snapshot, actor, "knowledge.publish", space)
        )
        return SpaceAccess(read=read, edit=edit, publish=publish)

    def _with_access(self, space: SpaceView, access: SpaceAccess) -> SpaceView:
        return msgspec.structs.replace(space, can_edit=access.edit, can_publish=access.publish)

    async def _readable_spaces(self, actor: Actor) -> list[tuple[SpaceView, SpaceAccess]]:
        found = []
        for space in (await self._all_spaces()).values():
            access = self.access(actor, space)
            if access.read:
                found.append((space, access))
        return found

    async def _space_by_slug(self, actor: Actor, slug: str) -> tuple[SpaceView, SpaceAccess]:
        for space in (await self._all_spaces()).values():
            if space.slug == slug:
                access = self.access(actor, space)
                if access.read:
                    return space, access
        raise NotFound(_("No such knowledge space."))

    # -- articles -----------------------------------------------------------------

    async def _load(self, actor: Actor, article_id: int) -> tuple[dict[str, Any], SpaceAccess]:
        """The article row and the actor's rights, or NotFound if they may not read it."""
        row = (
            await Article.select(*article_columns())
            .where(Article.id == article_id)
            .output(load_json=True)
            .first()
        )
        if row is None:
            raise NotFound(_("No such article."))
        access = self.access(actor, await self._space(row["space"]))
        if not access.read or (row["status"] != "published" and not access.edit):
            raise NotFound(_("No such article."))
        return row, access

    # -- languages and translation groups ---------------------------------------------

    def default_language(self) -> str:
        """The organisation's language (POLYDESK_DEFAULT_LOCALE), a new article's default."""
        return self._language(None)

    def _language(self, language: str | None) -> str:
        """`language` as one of LOCALES (None: the organisation's); ValidationFailed if unknown."""
        if language is None or language == "":
            return normalize(self.snapshot.runtime.settings.default_locale) or LOCALES[0]
        code = normalize(language)  # "zh-Hant", "pl-PL" are fine too
        if code is None:
            raise ValidationFailed(
                {"language": _("Choose one of: %(choices)s.", choices=", ".join(LOCALES))}
            )
        return code

    async def _group(self, root: int) -> list[dict[str, Any]]:
        """Every article of the translation group whose original is `root`, original first."""
        return await (
            Article.select(*Article.all_columns())
            .where((Article.id == root) | (Article.translation_of == root))
            .order_by(Article.id)
            .output(load_json=True)
        )

    async def _check_language_free(
        self, row: dict[str, Any], language: str, *, root: int | None = None
    ) -> None:
        """ValidationFailed when another article of `row`'s group is in `language`."""
        root = root or row.get("translation_of") or row["id"]
        for other in await self._group(root):
            if other["id"] != row.get("id") and other["language"] == language:
                name = language_name(language)
                raise ValidationFailed(
                    {
                        "language": _(
                            "This article already has a version in %(language)s.", language=name
                        )
                    }
                )

    async def _original_for(self, actor: Actor, article_id: int, language: str) -> int:
        """The original of `article_id`'s group, for a new translation into `language`."""
        try:
            row, _access = await self._load(actor, article_id)
        except NotFound:
            raise ValidationFailed({"translation_of": _("No such article.")}) from None
        root = row["translation_of"] or row["id"]
        await self._check_language_free({"id": None}, language, root=root)
        return root

    async def _view(
        self, row: dict[str, Any], access: SpaceAccess, *, working_copy: bool = False
    ) -> ArticleView:
        space = await self._space(row["space"])
        title, body_md, tags = row["title"], row["body_md"], json_list(row["tags"])
        body_html = row["body_html"]
        working = working_copy and access.edit and row["version"] != row["published_version"]
        if working:
            latest = (
                await ArticleVersion.select()
                .where(
                    (ArticleVersion.article == row["id"])
                    & (ArticleVersion.number == row["version"])
                )
                .output(load_json=True)
                .first()
            )
            if latest is not None:
                title, body_md, tags = latest["title"], latest["body_md"], json_list(latest["tags"])
                body_html = render_markdown(body_md)
        owner = None
        if row["owner"] is not None:
            owner = PersonRef(
                id=row["owner"], username=row["owner_username"], display_name=row["owner_name"]
            )
        return ArticleView(
            id=row["id"],
            space=space.slug,
            department=space.department,
            slug=row["slug"],
            title=title,
            body_md=body_md,
            body_html=body_html,
            tags=tags,
            status=row["status"],
            owner=owner,
            review_by=row["review_by"],
            version=row["version"],
            published_version=row["published_version"],
            working_copy=working_copy and access.edit,
            views=row["views"],
            helpful_count=row["helpful_count"],
            not_helpful_count=row["not_helpful_count"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            published_at=row["published_at"],
            source_ticket=row["source_ticket_key"],
            language=row["language"],
            translation_of=row["translation_of"],
            review_due=review_due(row["status"], row["review_by"], self._now().date()),
            attachments=await article_attachments(row["id"]),
            can_edit=access.edit,
            can_publish=access.publish,
        )

    async def _summaries(self, rows: list[dict[str, Any]]) -> list[ArticleSummary]:
        spaces = await self._all_spaces()
        return [
            ArticleSummary(
                space=spaces[r["space"]].slug,
                **{k: json_list(r[k]) if k == "tags" else r[k] for k in SUMMARY_COLUMNS},
            )
            for r in rows
        ]
