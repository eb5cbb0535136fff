"""What readers tell us: views, helpful votes, "this solved my problem".

Counters on the article are changed in the same transaction as the vote
that moves them, so the most-helpful list never needs a COUNT(*).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.query.functions.aggregate import Count

from polydesk.core.db import transaction
from polydesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from polydesk.core.i18n import gettext as _
from polydesk.core.knowledge.base import KnowledgeBase
from polydesk.core.knowledge.schemas import (
    ArticleSummary,
    ArticleView,
    DeflectionReport,
    DeflectionRow,
    QueryCount,
    VoteView,
)
from polydesk.core.knowledge.tables import Article, Deflection, Vote
from polydesk.core.permissions import Actor

MAX_COMMENT = 2000
MAX_QUERY = 200
REPORT_ROWS = 20


class FeedbackOps(KnowledgeBase):
    async def _published(self, actor: Actor, article_id: int) -> dict[str, Any]:
        row, _access = await self._load(actor, article_id)
        if row["status"] != "published":
            raise NotFound(_("No such published article."))
        return row

    async def view(self, actor: Actor, article_id: int) -> ArticleView:
        """The article as readers see it, counting one view when it is published."""
        row, access = await self._load(actor, article_id)
        if row["status"] == "published":
            await Article.update({Article.views: Article.views + 1}).where(Article.id == article_id)
            row = {**row, "views": row["views"] + 1}
        return await self._view(row, access)

    async def vote(
        self, actor: Actor, article_id: int, *, helpful: bool, comment: str = ""
    ) -> VoteView:
        """Record the actor's helpful / not helpful vote; voting again changes it."""
        comment = (comment or "").strip()
        if len(comment) > MAX_COMMENT:
            raise ValidationFailed({"comment": _("At most %(max)s characters.", max=MAX_COMMENT)})
        async with transaction():
            await self._published(actor, article_id)
            mine = (
                await Vote.select(Vote.id, Vote.helpful)
                .where((Vote.article == article_id) & (Vote.person == actor.person_id))
                .first()
            )
            counts: dict[Any, Any] = {}
            if mine is None:
                await Vote.insert(
                    Vote(
                        article=article_id,
                        person=actor.person_id,
                        helpful=helpful,
                        comment=comment,
                        created_at=self._now(),
                    )
                )
                counts = _bump(helpful, +1)
            else:
                await Vote.update(
                    {Vote.helpful: helpful, Vote.comment: comment, Vote.created_at: self._now()}
                ).where(Vote.id == mine["id"])
                if mine["helpful"] != helpful:
                    counts = {**_bump(mine["helpful"], -1), **_bump(helpful, +1)}
            if counts:
                await Article.update(counts).where(Article.id == article_id)
            row = (
                await Article.select(Article.helpful_count, Article.not_helpful_count)
                .where(Article.id == article_id)
                .first()
            )
        return VoteView(article_id=article_id, helpful=helpful, comment=comment, **row)

    async def my_vote(self, actor: Actor, article_id: int) -> bool | None:
        """True / False for the actor's vote on the article, None if they have not voted."""
        row = (
            await Vote.select(Vote.helpful)
            .where((Vote.article == article_id) & (Vote.person == actor.person_id))
            .first()
        )
        return None if row is None else row["helpful"]

    async def most_helpful(self, actor: Actor, space: str, limit: int = 5) -> list[ArticleSummary]:
        """The space's published articles readers found most helpful, for its portal."""
        space_view, _access = await self._space_by_slug(actor, space)
        rows = await (
            Article.select(*Article.all_columns())
            .where((Article.space == space_view.id) & (Article.status == "published"))
            .order_by(Article.helpful_count, ascending=False)
            .order_by(Article.not_helpful_count)
            .order_by(Article.views, ascending=False)
            .order_by(Article.id)
            .limit(max(1, min(limit, 50)))
            .output(load_json=True)
        )
        return await self._summaries(rows)

    async def record_deflection(self, actor: Actor, article_id: int, *, query: str = "") -> None:
        """Record "this solved my problem": the article answered `query`, no ticket needed."""
        query = " ".join((query or "").split()).lower()[:MAX_QUERY]
        async with transaction():
            row = await self._published(actor, article_id)
            await Deflection.insert(
                Deflection(
                    article=article_id,
                    space=row["space"],
                    person=None if actor.is_system else actor.person_id,
                    query=query,
                    created_at=self._now(),
                )
            )

    async def deflection_report(
        self, actor: Actor, space: str, *, since: dt.datetime | None = None
    ) -> DeflectionReport:
        """Deflections in a space (agents of its department): per article, and the
        questions asked most, since `since` (all time if None)."""
        space_view, access = await self._space_by_slug(actor, space)
        if not access.edit:
            raise PermissionDenied(_("Only agents of this department see the report."))
        where = Deflection.space == space_view.id
        if since is not None:
            where &= Deflection.created_at >= since
        per_article = await (
            Deflection.select(Deflection.article, Count(alias="n"))
            .where(where)
            .group_by(Deflection.article)
        )
        queries = await (
            Deflection.select(Deflection.query, Count(alias="n"))
            .where(where & (Deflection.query != ""))
            .group_by(Deflection.query)
        )
        counts = {r["article"]: r["n"] for r in per_article}
        articles = await Article.select(
            Article.id,
            Article.title,
            Article.views,
            Article.helpful_count,
            Article.not_helpful_count,
        ).where(Article.id.is_in(list(counts) or [0]))
        rows = sorted(
            (
                DeflectionRow(article_id=a["id"], deflections=counts[a["id"]], **_stats(a))
                for a in articles
            ),
            key=lambda r: (-r.deflections, r.article_id),
        )
        top = sorted(queries, key=lambda r: (-r["n"], r["query"]))[:REPORT_ROWS]
        return DeflectionReport(
            space=space_view.slug,
            since=since,
            total=sum(counts.values()),
            articles=rows[:REPORT_ROWS],
            queries=[QueryCount(r["query"], r["n"]) for r in top],
        )


def _bump(helpful: bool, step: int) -> dict[Any, Any]:
    column = Article.helpful_count if helpful else Article.not_helpful_count
    return {column: column + step}


def _stats(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("title", "views", "helpful_count", "not_helpful_count")}
