"""Search and suggestions over the articles a reader may see.

The engine ranks (bm25 on SQLite, ts_rank_cd on PostgreSQL) among the
articles of the spaces the actor may read (published only) or edit (drafts
too), in one query that also loads the hits on the page; each hit then gets a
highlighted title and snippet cut from its original text.
"""

from __future__ import annotations

from typing import Any

from polydesk.core.errors import NotFound, ValidationFailed
from polydesk.core.i18n import gettext as _
from polydesk.core.knowledge.base import KnowledgeBase, json_list
from polydesk.core.knowledge.index import search_rows
from polydesk.core.knowledge.query import Query, parse_query
from polydesk.core.knowledge.schemas import SearchHit
from polydesk.core.knowledge.snippets import highlight, snippet
from polydesk.core.permissions import Actor

MAX_QUERY = 200
MAX_HITS = 50


class SearchOps(KnowledgeBase):
    async def _scope(
        self, actor: Actor, space: str | None, department: str | None
    ) -> tuple[list[int], list[int]]:
        """Ids of the spaces whose published articles, and whose drafts, the actor may find."""
        spaces = await self._readable_spaces(actor)
        if space is not None:
            spaces = [(s, a) for s, a in spaces if s.slug == space]
            if not spaces:
                raise NotFound(_("No such knowledge space."))
        if department is not None:
            spaces = [(s, a) for s, a in spaces if s.department in (department, None)]
        return [s.id for s, _ in spaces], [s.id for s, a in spaces if a.edit]

    async def search(
        self,
        actor: Actor,
        q: str,
        *,
        space: str | None = None,
        department: str | None = None,
        limit: int = 10,
        prefix_last: bool = False,
        any_term: bool = False,
    ) -> list[SearchHit]:
        """Articles matching every word of `q`, best first, with highlights.

        Narrow with `space` (a slug) or `department` (its spaces plus the
        organisation-wide ones). `prefix_last` and `any_term` are for typing
        suggestions (see `suggest`).
        """
        if len(q or "") > MAX_QUERY:
            raise ValidationFailed({"q": _("At most %(max)s characters.", max=MAX_QUERY)})
        query = parse_query(q or "", prefix_last=prefix_last, any_term=any_term)
        if not query:
            return []
        published, drafts = await self._scope(actor, space, department)
        rows = await search_rows(
            query, published=published, drafts=drafts, limit=max(1, min(limit, MAX_HITS))
        )
        return await self._hits(query, rows)

    async def suggest(
        self,
        actor: Actor,
        title: str,
        *,
        department: str | None = None,
        space: str | None = None,
        limit: int = 5,
    ) -> list[SearchHit]:
        """Articles that may answer a request while its title is being typed:
        any of the words, the last one as a prefix, published articles only."""
        hits = await self.search(
            actor,
            title,
            space=space,
            department=department,
            limit=limit * 2,
            prefix_last=True,
            any_term=True,
        )
        return [h for h in hits if h.status == "published"][:limit]

    async def _hits(self, query: Query, rows: list[dict[str, Any]]) -> list[SearchHit]:
        spaces = await self._all_spaces()
        return [
            SearchHit(
                id=row["id"],
                space=spaces[row["space"]].slug,
                department=spaces[row["space"]].department,
                slug=row["slug"],
                title=row["title"],
                title_html=highlight(row["title"], query),
                snippet_html=snippet(row["body_text"], query),
                tags=json_list(row["tags"]),
                status=row["status"],
                score=float(row["score"]),
                helpful_count=row["helpful_count"],
            )
            for row in rows
        ]
