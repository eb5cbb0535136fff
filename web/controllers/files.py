"""Downloading files: ticket attachments and article files, only for those who may see them.

Ticket attachments are always downloads. Article files are downloads too,
except PNG, JPEG, GIF and WebP images (recognised by their bytes), which are
served inline so an article's Markdown can show them.
"""

from __future__ import annotations

from urllib.parse import quote

from litestar import Request, Response, get
from litestar.params import FromPath, FromQuery

from polydesk.core.knowledge.files import sniff_image
from polydesk.core.tickets.attachments import read_attachment
from polydesk.web.deps import snapshot_of
from polydesk.web.rendering import require_actor


@get("/tickets/{ref:str}/attachments/{attachment_id:int}", include_in_schema=False)
async def download_attachment(
    request: Request, ref: FromPath[str], attachment_id: FromPath[int]
) -> Response[bytes]:
    from polydesk.core.tickets.services import TicketService

    actor = await require_actor(request)
    tickets = TicketService(await snapshot_of(request))
    meta, content = await read_attachment(
        tickets, actor, int(ref) if ref.isdigit() else ref, attachment_id
    )
    return _download(content, meta.filename)


def _download(content: bytes, filename: str) -> Response[bytes]:
    # Always a download, never rendered by the browser: an uploaded HTML file
    # must not run in Polydesk's origin.
    return Response(
        content,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
            "X-Content-Type-Options": "nosniff",
        },
    )


@get("/knowledge/files/{attachment_id:int}", include_in_schema=False)
async def download_article_file(
    request: Request, attachment_id: FromPath[int], download: FromQuery[bool] = False
) -> Response[bytes]:
    """An article's file for whoever may read the article (else 404): a safe raster
    image inline (what `![…](/knowledge/files/N)` shows), anything else, or any
    file with `?download=1`, as a download."""
    from polydesk.core.knowledge.services import KnowledgeService

    actor = await require_actor(request)
    kb = KnowledgeService(await snapshot_of(request))
    meta, content = await kb.read_attachment(actor, attachment_id)
    image = sniff_image(content)
    if download or image is None:
        return _download(content, meta.filename)
    return Response(
        content,
        media_type=image,
        headers={
            "Content-Disposition": f"inline; filename*=UTF-8''{quote(meta.filename)}",
            "X-Content-Type-Options": "nosniff",
            # Opened on its own, the image is a document that may run nothing.
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-cache",
        },
    )
