"""Files on articles: documents to download and images the body can show.

A file belongs to the article, not to one version: versions are the history
of the text, a file is shared by every version that links to it, and restoring
an old version must not bring back or drop files. It is stored in the database
(every worker can serve it), limited in size, named for display only, and
served only to people who may read the article: readers of a published
article, its space's agents for drafts and archived ones; anyone else gets
NotFound, exactly as for the article.

Whether a file may be shown inline is decided from its first bytes, never
from the name or the type the browser claimed: only PNG, JPEG, GIF and WebP
(raster formats that cannot carry script). Everything else, SVG and HTML
included, is only ever a download.
"""

from __future__ import annotations

import hashlib
from typing import Any

from polydesk.core.db import transaction
from polydesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from polydesk.core.i18n import gettext as _
from polydesk.core.knowledge.base import KnowledgeBase
from polydesk.core.knowledge.files import (
    IMAGE_TYPES,
    MAX_FILE_BYTES,
    MAX_FILES_PER_ARTICLE,
    article_attachments,
    attachment_columns,
    attachment_view,
    sniff_image,
)
from polydesk.core.knowledge.schemas import AttachmentView
from polydesk.core.knowledge.tables import ArticleAttachment
from polydesk.core.permissions import Actor
from polydesk.core.tickets.attachments import safe_filename


class AttachmentOps(KnowledgeBase):
    async def add_attachment(
        self,
        actor: Actor,
        article_id: int,
        *,
        filename: str,
        content_type: str,
        content: bytes,
    ) -> AttachmentView:
        """Store a file on an article (its space's agents). The name is kept for
        display only; an image is recognised from its bytes (see `sniff_image`)."""
        name = safe_filename(filename)
        if not content:
            raise ValidationFailed({"file": _("“%(name)s” is empty.", name=name)})
        if len(content) > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // (1024 * 1024)
            raise ValidationFailed(
                {"file": _("“%(name)s” is larger than %(mb)s MB.", name=name, mb=limit)}
            )
        async with transaction():
            _row, access = await self._load(actor, article_id)
            if not access.edit:
                raise PermissionDenied(_("Only agents of this department can add files."))
            count = await ArticleAttachment.count().where(ArticleAttachment.article == article_id)
            if count >= MAX_FILES_PER_ARTICLE:
                raise ValidationFailed(
                    {"file": _("An article has at most %(max)s files.", max=MAX_FILES_PER_ARTICLE)}
                )
            claimed = (content_type or "").split(";")[0].strip().lower()
            if claimed in IMAGE_TYPES or claimed == "image/svg+xml":
                claimed = "application/octet-stream"  # an image only if its bytes say so
            rows = await ArticleAttachment.insert(
                ArticleAttachment(
                    article=article_id,
                    filename=name,
                    content_type=(sniff_image(content) or claimed or "application/octet-stream")[
                        :100
                    ],
                    size=len(content),
                    content=content,
                    sha256=hashlib.sha256(content).hexdigest(),
                    uploaded_by=None if actor.is_system else actor.person_id,
                    created_at=self._now(),
                )
            ).returning(ArticleAttachment.id)
        return await self._attachment(rows[0]["id"])

    async def attachments(self, actor: Actor, article_id: int) -> list[AttachmentView]:
        """The files of an article the actor may read, oldest first."""
        await self._load(actor, article_id)
        return await article_attachments(article_id)

    async def read_attachment(
        self, actor: Actor, attachment_id: int
    ) -> tuple[AttachmentView, bytes]:
        """A file's metadata and bytes; NotFound unless the actor may read its article."""
        row = await self._readable_row(actor, attachment_id)
        content = (
            await ArticleAttachment.select(ArticleAttachment.content)
            .where(ArticleAttachment.id == attachment_id)
            .first()
        )
        return await self._attachment(row["id"]), bytes(content["content"])

    async def delete_attachment(self, actor: Actor, attachment_id: int) -> int:
        """Remove a file (its space's agents); returns the article's id. A body
        that still shows or links the file then shows a broken link."""
        async with transaction():
            row = await self._readable_row(actor, attachment_id)
            _article, access = await self._load(actor, row["article"])
            if not access.edit:
                raise PermissionDenied(_("Only agents of this department can remove files."))
            await ArticleAttachment.delete().where(ArticleAttachment.id == attachment_id)
        return row["article"]

    async def _readable_row(self, actor: Actor, attachment_id: int) -> dict[str, Any]:
        row = (
            await ArticleAttachment.select(ArticleAttachment.id, ArticleAttachment.article)
            .where(ArticleAttachment.id == attachment_id)
            .first()
        )
        if row is None:
            raise NotFound(_("No such file."))
        try:
            await self._load(actor, row["article"])
        except NotFound:
            raise NotFound(_("No such file.")) from None
        return row

    async def _attachment(self, attachment_id: int) -> AttachmentView:
        row = (
            await ArticleAttachment.select(*attachment_columns())
            .where(ArticleAttachment.id == attachment_id)
            .first()
        )
        return attachment_view(row)
