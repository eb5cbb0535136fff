"""Managing a department's announcements: the list, the form to post one, end and delete.

Only the department's leads (role "lead" or "admin" there) and global admins
see these pages; everyone else gets a 404 (anonymous visitors are asked to log
in first). Forms work without JavaScript: POST, then 303; a refused form comes
back with status 422, each message by its field and the typed values kept.
Times are entered and shown in UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from polydesk.core.announcements.services import (
    SEVERITIES,
    delete_announcement,
    department_announcements,
    end_announcement,
    may_manage,
    post_announcement,
    validate,
)
from polydesk.core.errors import NotFound, ValidationFailed
from polydesk.core.i18n import N_
from polydesk.core.i18n import gettext as _
from polydesk.core.permissions import Actor
from polydesk.core.runtime import Snapshot
from polydesk.web.deps import snapshot_of
from polydesk.web.rendering import page, require_actor

#: Fixed texts for `?done=`, so a link can never put its own words on the page.
NOTICES = {
    "posted": N_("Announcement posted."),
    "ended": N_("Announcement ended."),
    "deleted": N_("Announcement deleted."),
}
LABELS = {
    "title": N_("Title"),
    "body": N_("Message"),
    "link": N_("Link"),
    "severity": N_("Severity"),
    "starts_at": N_("Starts"),
    "ends_at": N_("Ends"),
}
INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def _parse_time(text: str) -> dt.datetime:
    """A `datetime-local` value, read as UTC."""
    return dt.datetime.fromisoformat(text.strip()).replace(tzinfo=dt.UTC)


async def _manager(request: Request, slug: str) -> tuple[Snapshot, Actor, Any]:
    actor = await require_actor(request)
    snapshot = await snapshot_of(request)
    if not may_manage(snapshot, actor, slug):
        raise NotFound(_("No such page."))
    return snapshot, actor, snapshot.registry.departments[slug]


class AnnouncementController(Controller):
    path = "/portal/{slug:str}/announcements"
    include_in_schema = False

    @get("/")
    async def manage(
        self, request: Request, slug: FromPath[str], done: FromQuery[str | None] = None
    ) -> Template:
        return await self._page(request, slug, notice=NOTICES.get(done or ""))

    @post("/")
    async def create(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        snapshot, actor, _department = await _manager(request, slug)
        posted = await request.form()
        values = {key: str(posted.get(key) or "") for key in LABELS}
        errors: dict[str, str] = {}
        times: dict[str, dt.datetime | None] = {"starts_at": None, "ends_at": None}
        for key in times:
            if values[key].strip():
                try:
                    times[key] = _parse_time(values[key])
                except ValueError:
                    errors[key] = _("Give a date and time, e.g. 2026-11-23T09:00.")
        if errors:
            # Report every other refused field along with the unreadable times.
            checked = validate(
                title=values["title"],
                body=values["body"],
                link=values["link"],
                severity=values["severity"],
                starts_at=None,
                ends_at=None,
            )
            return await self._page(
                request, slug, values=values, errors={**checked, **errors}, status_code=422
            )
        try:
            await post_announcement(
                snapshot,
                actor,
                slug,
                title=values["title"],
                body=values["body"],
                link=values["link"],
                severity=values["severity"],
                starts_at=times["starts_at"],
                ends_at=times["ends_at"],
            )
        except ValidationFailed as exc:
            return await self._page(
                request, slug, values=values, errors=exc.fields, status_code=422
            )
        return Redirect(f"/portal/{slug}/announcements?done=posted", status_code=303)

    @post("/{announcement_id:int}/end")
    async def end(
        self, request: Request, slug: FromPath[str], announcement_id: FromPath[int]
    ) -> Redirect:
        snapshot, actor, _ = await _manager(request, slug)
        await end_announcement(snapshot, actor, slug, announcement_id)
        return Redirect(f"/portal/{slug}/announcements?done=ended", status_code=303)

    @post("/{announcement_id:int}/delete")
    async def delete(
        self, request: Request, slug: FromPath[str], announcement_id: FromPath[int]
    ) -> Redirect:
        snapshot, actor, _ = await _manager(request, slug)
        await delete_announcement(snapshot, actor, slug, announcement_id)
        return Redirect(f"/portal/{slug}/announcements?done=deleted", status_code=303)

    async def _page(
        self,
        request: Request,
        slug: str,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        notice: str | None = None,
        status_code: int = 200,
    ) -> Template:
        snapshot, actor, department = await _manager(request, slug)
        context = {
            "department": department,
            "announcements": await department_announcements(snapshot, actor, slug),
            "severities": SEVERITIES,
            "values": values
            or {"severity": "info", "starts_at": snapshot.now().strftime(INPUT_FORMAT)},
            "errors": errors or {},
            "labels": LABELS,
            "notice": notice,
        }
        return await page(request, "announcements/manage.html", context, status_code=status_code)
