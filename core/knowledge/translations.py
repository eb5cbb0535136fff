"""Articles in several languages: translation groups and the reader's language.

An article has a `language`; a translation points at its original with
`translation_of` (always the original, so a group is the original plus the
articles pointing at it, each language at most once). Readers get the group's
article in their language when one is published: on the article page, and in
lists and search results, which show one article per group. Lists keep their
order and cost one extra query for the page, never a change to the index.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import msgspec

from polydesk.core.errors import ValidationFailed
from polydesk.core.i18n import LOCALES
from polydesk.core.i18n import gettext as _
from polydesk.core.knowledge.base import KnowledgeBase
from polydesk.core.knowledge.query import Query, parse_query
from polydesk.core.knowledge.schemas import ArticleSummary, ArticleView, SearchHit
from polydesk.core.knowledge.snippets import highlight, snippet
from polydesk.core.knowledge.tables import Article
from polydesk.core.permissions import Actor

T = TypeVar("T", ArticleSummary, SearchHit)


def _root(row: dict[str, Any]) -> int:
    return row["translation_of"] or row["id"]


class TranslationOps(KnowledgeBase):
    async def create_translation(
        self, actor: Actor, article_id: int, *, language: str
    ) -> ArticleView:
        """A new draft in `language` translating `article_id`, in the same space,
        prefilled with the original's latest title, body and tags (editors)."""
        if not language:
            raise ValidationFailed({"language": _("Choose a language.")})
        original = await self.get(actor, article_id, working_copy=True)
        return await self.create_article(  # type: ignore[attr-defined]
            actor,
            space=original.space,
            title=original.title,
            body_md=original.body_md,
            tags=original.tags,
            note=f"Translation of article {original.translation_of or original.id}",
            language=self._language(language),
            translation_of=original.id,
        )

    async def translations(self, actor: Actor, article_id: int) -> list[ArticleSummary]:
        """Every article of `article_id`'s translation group the actor may see
        (itself included): the original first, then in the order of LOCALES."""
        row, _access = await self._load(actor, article_id)
        visible = []
        for member in await self._group(_root(row)):
            access = self.access(actor, await self._space(member["space"]))
            if access.read and (member["status"] == "published" or access.edit):
                visible.append(member)
        order = {code: n for n, code in enumerate(LOCALES)}
        visible.sort(key=lambda m: (m["translation_of"] is not None, order.get(m["language"], 9)))
        return await self._summaries(visible)

    async def in_language(self, actor: Actor, article_id: int, language: str) -> int:
        """Which article of `article_id`'s group a reader of `language` gets: the
        published one in that language, else the original, else `article_id`."""
        row, _access = await self._load(actor, article_id)
        if row["language"] == language:
            return article_id
        root = _root(row)
        found = await self._published_in(actor, [root], language)
        if root not in found and root != article_id:
            found = await self._published_in(actor, [root], None)
        return found[root]["id"] if root in found else article_id

    async def _published_in(
        self, actor: Actor, roots: Sequence[int], language: str | None
    ) -> dict[int, dict[str, Any]]:
        """Per group original: its published member in `language` the actor may read
        (`language` None: the original itself, if published and readable)."""
        if not roots:
            return {}
        readable = [s.id for s, _ in await self._readable_spaces(actor)] or [0]
        where = Article.space.is_in(readable) & (Article.status == "published")
        if language is None:
            where &= Article.id.is_in(list(roots))
        else:
            in_group = Article.id.is_in(list(roots)) | Article.translation_of.is_in(list(roots))
            where &= (Article.language == language) & in_group
        rows = await Article.select(*Article.all_columns()).where(where).output(load_json=True)
        return {_root(r): r for r in rows}

    async def search_for_reader(
        self, actor: Actor, q: str, language: str, *, suggest: bool = False, **options: Any
    ) -> list[SearchHit]:
        """`search` (or `suggest`) for a reader: one hit per translation group,
        in the reader's `language` where the group has it published."""
        limit = options.pop("limit", 10)
        find = self.suggest if suggest else self.search  # type: ignore[attr-defined]
        hits = await find(actor, q, limit=limit * 2, **options)
        return (await self.prefer_language(actor, hits, language, q=q))[:limit]

    async def most_helpful_for_reader(
        self, actor: Actor, space: str, language: str, limit: int = 5
    ) -> list[ArticleSummary]:
        """`most_helpful`, one article per translation group, the reader's language first."""
        found = await self.most_helpful(actor, space, limit=limit * 3)  # type: ignore[attr-defined]
        return (await self.prefer_language(actor, found, language))[:limit]

    async def prefer_language(
        self, actor: Actor, items: Sequence[T], language: str, *, q: str = ""
    ) -> list[T]:
        """`items` (summaries or search hits, best first) with one article per
        translation group: the reader's `language` where the group has it
        published, else the best-placed one. `q` highlights swapped-in hits."""
        if not items:
            return []
        meta = {
            r["id"]: r
            for r in await Article.select(
                Article.id, Article.language, Article.translation_of
            ).where(Article.id.is_in([i.id for i in items]))
        }
        roots = {i.id: _root(meta[i.id]) if i.id in meta else i.id for i in items}
        wanted = await self._published_in(actor, sorted(set(roots.values())), language)
        query = parse_query(q, prefix_last=True, any_term=True)
        seen: set[int] = set()
        chosen: list[T] = []
        for item in items:
            root = roots[item.id]
            if root in seen:
                continue
            seen.add(root)
            row = wanted.get(root)
            if row is None or row["id"] == item.id:
                chosen.append(item)
            elif isinstance(item, SearchHit):
                chosen.append(self._swapped_hit(item, row, query))  # type: ignore[arg-type]
            else:
                chosen.append((await self._summaries([row]))[0])  # type: ignore[arg-type]
        return chosen

    def _swapped_hit(self, hit: SearchHit, row: dict[str, Any], query: Query) -> SearchHit:
        """The hit, for the same group's article in the reader's language."""
        return msgspec.structs.replace(
            hit,
            id=row["id"],
            slug=row["slug"],
            title=row["title"],
            title_html=highlight(row["title"], query),
            snippet_html=snippet(row["body_text"], query),
            tags=list(row["tags"] or []),
            status=row["status"],
            helpful_count=row["helpful_count"],
        )
