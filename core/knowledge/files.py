"""Files on articles, the parts every module needs: limits, which bytes are a
safe image, the URL a file is served at, and reading an article's list.

The rules (who may add, read and remove) are in `attachments`.
"""

from __future__ import annotations

from typing import Any

from polydesk.core.knowledge.schemas import AttachmentView
from polydesk.core.knowledge.tables import ArticleAttachment
from polydesk.core.tickets.attachments import MAX_ATTACHMENT_BYTES
from polydesk.core.tickets.schemas import PersonRef

MAX_FILE_BYTES = MAX_ATTACHMENT_BYTES
MAX_FILES_PER_ARTICLE = 50
#: The only types ever served inline: raster images that cannot carry script.
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def file_url(attachment_id: int) -> str:
    """Where a file is served: inline for safe images (Markdown can show them), else a download."""
    return f"/knowledge/files/{attachment_id}"


def sniff_image(content: bytes) -> str | None:
    """The media type of a PNG, JPEG, GIF or WebP image, from its magic bytes; else None."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


def attachment_columns() -> list[Any]:
    return [
        ArticleAttachment.id,
        ArticleAttachment.article,
        ArticleAttachment.filename,
        ArticleAttachment.content_type,
        ArticleAttachment.size,
        ArticleAttachment.created_at,
        ArticleAttachment.uploaded_by,
        ArticleAttachment.uploaded_by.username.as_alias("uploader_username"),
        ArticleAttachment.uploaded_by.display_name.as_alias("uploader_name"),
    ]


def attachment_view(row: dict[str, Any]) -> AttachmentView:
    uploader = None
    if row["uploaded_by"] is not None:
        uploader = PersonRef(
            id=row["uploaded_by"],
            username=row["uploader_username"],
            display_name=row["uploader_name"],
        )
    return AttachmentView(
        id=row["id"],
        article_id=row["article"],
        filename=row["filename"],
        content_type=row["content_type"],
        size=row["size"],
        is_image=row["content_type"] in IMAGE_TYPES,
        url=file_url(row["id"]),
        uploaded_by=uploader,
        created_at=row["created_at"],
    )


async def article_attachments(article_id: int) -> list[AttachmentView]:
    """The files of one article, oldest first (the caller has checked who may read it)."""
    rows = await (
        ArticleAttachment.select(*attachment_columns())
        .where(ArticleAttachment.article == article_id)
        .order_by(ArticleAttachment.id)
    )
    return [attachment_view(r) for r in rows]
