"""Review-by dates: which articles are due, and marking one reviewed.

An article's owner is asked to re-read it by its `review_by` date. A published
article whose date is today or past is *due*. Marking it reviewed sets the
next date and is recorded in the article's history as a version with the same
text and a note ("Reviewed; next review by …"), because the versions are the
article's one history: who touched it, when and why.
"""

from __future__ import annotations

import calendar
import datetime as dt

from polydesk.core.db import transaction
from polydesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from polydesk.core.i18n import gettext as _
from polydesk.core.knowledge.base import KnowledgeBase
from polydesk.core.knowledge.schemas import ArticleView
from polydesk.core.knowledge.tables import Article, ArticleVersion
from polydesk.core.permissions import Actor

#: How far ahead the next review may be set, in months.
MAX_REVIEW_MONTHS = 24
#: The choices the pages offer.
REVIEW_MONTHS = (1, 3, 6, 12)
MAX_NOTE = 200


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved `months` calendar months ahead (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def due_where(today: dt.date) -> object:
    """Published articles whose review date is today or past."""
    return (
        (Article.status == "published")
        & Article.review_by.is_not_null()
        & (Article.review_by <= today)
    )


class ReviewOps(KnowledgeBase):
    def _today(self) -> dt.date:
        return self._now().date()

    async def due_for_review_count(self, actor: Actor) -> int:
        """How many published articles the actor owns are due for review (in
        spaces they may still edit); the workspace shows it."""
        if actor.is_system:
            return 0
        editable = [s.id for s, a in await self._readable_spaces(actor) if a.edit]
        if not editable:
            return 0
        return await Article.count().where(
            due_where(self._today())
            & (Article.owner == actor.person_id)
            & Article.space.is_in(editable)
        )

    async def mark_reviewed(
        self,
        actor: Actor,
        article_id: int,
        *,
        months: int | None = None,
        review_by: dt.date | None = None,
        note: str = "",
    ) -> ArticleView:
        """Record that the article was re-read and is still right: the next
        review is `months` from today, or on `review_by` (a future date).
        Agents of the space; the history gets a version with the same text."""
        today = self._today()
        if (months is None) == (review_by is None):
            raise ValidationFailed({"months": _("Choose when it is next reviewed.")})
        if months is not None:
            if not 1 <= months <= MAX_REVIEW_MONTHS:
                raise ValidationFailed(
                    {"months": _("From 1 to %(max)s months.", max=MAX_REVIEW_MONTHS)}
                )
            review_by = add_months(today, months)
        assert review_by is not None
        if review_by <= today:
            raise ValidationFailed({"review_by": _("The next review must be after today.")})
        if review_by > add_months(today, MAX_REVIEW_MONTHS):
            raise ValidationFailed(
                {"review_by": _("At most %(max)s months from today.", max=MAX_REVIEW_MONTHS)}
            )
        note = (note or "").strip()
        if len(note) > MAX_NOTE:
            raise ValidationFailed({"note": _("At most %(max)s characters.", max=MAX_NOTE)})
        async with transaction():
            row, access = await self._load(actor, article_id)
            if not access.edit:
                raise PermissionDenied(_("Only agents of this department can review articles."))
            latest = (
                await ArticleVersion.select()
                .where(
                    (ArticleVersion.article == article_id)
                    & (ArticleVersion.number == row["version"])
                )
                .output(load_json=True)
                .first()
            )
            number = row["version"] + 1
            values = {
                Article.version: number,
                Article.review_by: review_by,
                Article.updated_at: self._now(),
            }
            if row["published_version"] == row["version"]:
                # Same text as what readers have: it stays the published version.
                values[Article.published_version] = number
            updated = (
                await Article.update(values)
                .where((Article.id == article_id) & (Article.version == row["version"]))
                .returning(Article.id)
            )
            if not updated:
                raise Conflict(_("The article was changed by someone else."))
            summary = f"Reviewed; next review by {review_by.isoformat()}"
            await ArticleVersion.insert(
                ArticleVersion(
                    article=article_id,
                    number=number,
                    title=latest["title"],
                    body_md=latest["body_md"],
                    tags=latest["tags"],
                    author=None if actor.is_system else actor.person_id,
                    created_at=self._now(),
                    note=f"{summary}: {note}"[:MAX_NOTE] if note else summary,
                )
            )
        return await self.get(actor, article_id, working_copy=True)
