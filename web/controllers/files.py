"""Downloading ticket attachments: only for those who may see them, never inline."""

from __future__ import annotations

from urllib.parse import quote

from litestar import Request, Response, get
from litestar.params import FromPath

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
    # Always a download, never rendered by the browser: an uploaded HTML file
    # must not run in Polydesk's origin.
    return Response(
        content,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(meta.filename)}",
            "X-Content-Type-Options": "nosniff",
        },
    )
