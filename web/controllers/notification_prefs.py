"""`/me/notifications`: each person chooses which notification e-mails they get."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from polydesk.core.mail.outbound import NOTIFICATIONS
from polydesk.core.mail.preferences import preferences, set_preferences
from polydesk.web.rendering import page, require_actor


class NotificationPrefsController(Controller):
    path = "/me/notifications"
    include_in_schema = False

    @get("/")
    async def show(self, request: Request, done: FromQuery[str | None] = None) -> Template:
        actor = await require_actor(request)
        return await page(
            request,
            "notifications.html",
            {"preferences": await preferences(actor.person_id), "saved": done == "saved"},
        )

    @post("/")
    async def save(self, request: Request) -> Redirect:
        """Checked boxes are on, the others off; mandatory ones are not in the form."""
        actor = await require_actor(request)
        form = await request.form()
        await set_preferences(
            actor.person_id,
            {n.kind: form.get(n.kind) == "on" for n in NOTIFICATIONS if not n.mandatory},
        )
        return Redirect("/me/notifications?done=saved", status_code=303)
