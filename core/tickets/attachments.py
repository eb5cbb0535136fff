"""Files on tickets: size-limited, named safely, shown only to those who may see them.

An attachment belongs to the ticket and optionally to the timeline entry it
came with (a reply, a note). Whoever may not see that entry (a requester and an
internal note) may not see its files either.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from polydesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from polydesk.core.i18n import gettext as _
from polydesk.core.permissions import Actor
from polydesk.core.tickets.schemas import TicketView
from polydesk.core.tickets.services import TicketService
from polydesk.core.tickets.tables import Attachment, TimelineEvent

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_UPLOAD = 10
#: A request body with room for a full set of files, so an oversized file gets a
#: message by its field instead of a bare 413 for the whole form.
MAX_UPLOAD_BODY_BYTES = (MAX_FILES_PER_UPLOAD + 2) * MAX_ATTACHMENT_BYTES
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


@dataclass(frozen=True)
class AttachmentMeta:
    id: int
    filename: str
    content_type: str
    size: int
    timeline_event: int | None


def safe_filename(name: str) -> str:
    """A display name with no path, control or reserved characters (never used as a path)."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .") or "file"
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) < 20 else name[:200]
    return name


async def add_attachment(
    tickets: TicketService,
    actor: Actor,
    ref: int | str,
    *,
    filename: str,
    content_type: str,
    content: bytes,
    timeline_event: int | None = None,
) -> AttachmentMeta:
    """Store one file on a ticket the actor may reply to."""
    ticket = await tickets.get(actor, ref)
    if not tickets._can(actor, "ticket.reply", ticket):
        raise PermissionDenied(_("You may not add files to this ticket."))
    if not content:
        raise ValidationFailed({"file": _("The file is empty.")})
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed(
            {"file": _("Files are limited to %(mb)s MB.", mb=MAX_ATTACHMENT_BYTES // (1024 * 1024))}
        )
    rows = await Attachment.insert(
        Attachment(
            ticket=ticket.id,
            timeline_event=timeline_event,
            filename=safe_filename(filename),
            content_type=(content_type or "application/octet-stream")[:100],
            size=len(content),
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=None if actor.is_system else actor.person_id,
            created_at=tickets.snapshot.now(),
        )
    ).returning(Attachment.id)
    return (await list_attachments(tickets, actor, ticket.id, _ids=[rows[0]["id"]]))[0]


async def list_attachments(
    tickets: TicketService,
    actor: Actor,
    ref: int | str | TicketView,
    *,
    _ids: list[int] | None = None,
) -> list[AttachmentMeta]:
    """Files of the ticket that `actor` may see, oldest first."""
    ticket = await tickets.get(actor, ref)
    query = Attachment.select(
        Attachment.id,
        Attachment.filename,
        Attachment.content_type,
        Attachment.size,
        Attachment.timeline_event,
    ).where(Attachment.ticket == ticket.id)
    if _ids:
        query = query.where(Attachment.id.is_in(_ids))
    if not tickets._can(actor, "ticket.note", ticket):
        internal = TimelineEvent.select(TimelineEvent.id).where(
            (TimelineEvent.ticket == ticket.id) & (TimelineEvent.public == False)  # noqa: E712
        )
        query = query.where(
            Attachment.timeline_event.is_null() | Attachment.timeline_event.not_in(internal)
        )
    rows = await query.order_by(Attachment.id)
    return [AttachmentMeta(**row) for row in rows]


async def read_attachment(
    tickets: TicketService, actor: Actor, ref: int | str, attachment_id: int
) -> tuple[AttachmentMeta, bytes]:
    """The file's metadata and bytes; NotFound unless `actor` may see it."""
    visible = await list_attachments(tickets, actor, ref, _ids=[attachment_id])
    if not visible:
        raise NotFound(_("No such file."))
    row: dict[str, Any] = (
        await Attachment.select(Attachment.content).where(Attachment.id == attachment_id).first()
    )
    return visible[0], bytes(row["content"])
