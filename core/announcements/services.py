"""Department announcements: posted by a department's leads, shown on its portal.

A department's leads (role "lead" or "admin" there) and global admins post,
end and delete announcements. An announcement is active while now lies between
its `starts_at` and `ends_at` (open-ended when there is none); announcements of
a disabled department are never shown. The body is plain text: templates
escape it like any other value.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from polydesk.core.announcements.tables import Announcement
from polydesk.core.db import transaction
from polydesk.core.errors import NotFound, ValidationFailed
from polydesk.core.i18n import N_
from polydesk.core.i18n import gettext as _
from polydesk.core.permissions import Actor
from polydesk.core.runtime import Snapshot

SEVERITIES = {"info": N_("Information"), "warning": N_("Warning"), "outage": N_("Outage")}
#: Shown on the portal home as well as on the department's own portal.
HOME_SEVERITIES = ("outage", "warning")
MANAGER_ROLES = ("lead", "admin")
MAX_TITLE = 200
MAX_BODY = 5000
MAX_LINK = 500
FIELDS = (
    Announcement.id,
    Announcement.department,
    Announcement.title,
    Announcement.body,
    Announcement.link,
    Announcement.severity,
    Announcement.starts_at,
    Announcement.ends_at,
    Announcement.created_at,
)


def may_manage(snapshot: Snapshot, actor: Actor | None, department: str) -> bool:
    """Whether `actor` posts, ends and deletes the announcements of an enabled `department`."""
    if actor is None or not snapshot.is_department_enabled(department):
        return False
    return actor.is_admin or actor.role_in(department) in MANAGER_ROLES


def _require_manager(snapshot: Snapshot, actor: Actor, department: str) -> None:
    if not may_manage(snapshot, actor, department):
        raise NotFound(_("No such page."))


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _view(row: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    starts, ends = _aware(row["starts_at"]), row["ends_at"] and _aware(row["ends_at"])
    if starts > now:
        status = "scheduled"
    elif ends is not None and ends <= now:
        status = "ended"
    else:
        status = "active"
    return {
        **row,
        "starts_at": starts,
        "ends_at": ends,
        "status": status,
        "severity_label": SEVERITIES.get(row["severity"], row["severity"]),
    }


def validate(
    *,
    title: str,
    body: str = "",
    link: str = "",
    severity: str = "info",
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
) -> dict[str, str]:
    """A message per refused field (empty when everything is acceptable)."""
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("A title is required.")
    elif len(title.strip()) > MAX_TITLE:
        errors["title"] = _("At most %(max)s characters.", max=MAX_TITLE)
    if len(body) > MAX_BODY:
        errors["body"] = _("At most %(max)s characters.", max=MAX_BODY)
    link = link.strip()
    if len(link) > MAX_LINK:
        errors["link"] = _("At most %(max)s characters.", max=MAX_LINK)
    elif link and not (
        link.startswith(("https://", "http://"))
        or (link.startswith("/") and not link.startswith("//"))
    ):
        errors["link"] = _("Give a web address starting with https:// (or a path starting with /).")
    if severity not in SEVERITIES:
        errors["severity"] = _("Choose information, warning or outage.")
    if starts_at is not None and ends_at is not None and _aware(ends_at) <= _aware(starts_at):
        errors["ends_at"] = _("The end must come after the start.")
    return errors


async def post_announcement(
    snapshot: Snapshot,
    actor: Actor,
    department: str,
    *,
    title: str,
    body: str = "",
    link: str = "",
    severity: str = "info",
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """Post an announcement for `department` (its leads and global admins only)."""
    _require_manager(snapshot, actor, department)
    now = snapshot.now()
    starts_at = _aware(starts_at) if starts_at is not None else now
    ends_at = _aware(ends_at) if ends_at is not None else None
    errors = validate(
        title=title, body=body, link=link, severity=severity, starts_at=starts_at, ends_at=ends_at
    )
    if errors:
        raise ValidationFailed(errors)
    rows = await Announcement.insert(
        Announcement(
            department=department,
            title=title.strip(),
            body=body.strip(),
            link=link.strip(),
            severity=severity,
            starts_at=starts_at,
            ends_at=ends_at,
            author=actor.person_id,
            created_at=now,
        )
    ).returning(Announcement.id)
    return await _get(rows[0]["id"], now)


async def _get(announcement_id: int, now: dt.datetime) -> dict[str, Any]:
    row = await Announcement.select(*FIELDS).where(Announcement.id == announcement_id).first()
    if row is None:
        raise NotFound(_("No such announcement."))
    return _view(row, now)


async def _managed(snapshot: Snapshot, actor: Actor, department: str, announcement_id: int) -> None:
    _require_manager(snapshot, actor, department)
    found = await Announcement.exists().where(
        (Announcement.id == announcement_id) & (Announcement.department == department)
    )
    if not found:
        raise NotFound(_("No such announcement."))


async def end_announcement(
    snapshot: Snapshot, actor: Actor, department: str, announcement_id: int
) -> dict[str, Any]:
    """End it now (it stays listed for its managers as ended)."""
    now = snapshot.now()
    async with transaction():
        await _managed(snapshot, actor, department, announcement_id)
        current = await _get(announcement_id, now)
        if current["status"] != "ended":
            values: dict[Any, Any] = {Announcement.ends_at: now}
            if current["status"] == "scheduled":
                # Ended before it started: it never shows.
                values[Announcement.starts_at] = now
            await Announcement.update(values).where(Announcement.id == announcement_id)
    return await _get(announcement_id, now)


async def delete_announcement(
    snapshot: Snapshot, actor: Actor, department: str, announcement_id: int
) -> None:
    async with transaction():
        await _managed(snapshot, actor, department, announcement_id)
        await Announcement.delete().where(Announcement.id == announcement_id)


async def department_announcements(
    snapshot: Snapshot, actor: Actor, department: str
) -> list[dict[str, Any]]:
    """Every announcement of `department`, newest first, for its managers."""
    _require_manager(snapshot, actor, department)
    now = snapshot.now()
    rows = (
        await Announcement.select(*FIELDS)
        .where(Announcement.department == department)
        .order_by(Announcement.starts_at, ascending=False)
        .order_by(Announcement.id, ascending=False)
    )
    return [_view(r, now) for r in rows]


async def active_announcements(
    snapshot: Snapshot,
    department: str | None = None,
    *,
    severities: tuple[str, ...] | None = None,
) -> list[dict[str, Any]]:
    """Announcements shown now (of one department, or of every enabled one),
    outages first, then warnings, then the newest."""
    now = snapshot.now()
    enabled = [d.slug for d in snapshot.enabled_departments()]
    if department is not None:
        enabled = [d for d in enabled if d == department]
    if not enabled:
        return []
    where = (
        Announcement.department.is_in(enabled)
        & (Announcement.starts_at <= now)
        & (Announcement.ends_at.is_null() | (Announcement.ends_at > now))
    )
    if severities is not None:
        where = where & Announcement.severity.is_in(list(severities))
    rows = await Announcement.select(*FIELDS).where(where)
    order = {s: i for i, s in enumerate(("outage", "warning", "info"))}
    views = [_view(r, now) for r in rows]
    views.sort(key=lambda v: (-v["starts_at"].timestamp(), -v["id"]))
    views.sort(key=lambda v: order.get(v["severity"], 9))
    names = {d.slug: d.name for d in snapshot.enabled_departments()}
    for v in views:
        v["department_name"] = names.get(v["department"], v["department"])
    return views
