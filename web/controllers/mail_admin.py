"""`/admin/mail`: the outbound queue (failed and waiting messages, "retry now") and the
notification templates (edit an override, reset to the default). Admins only.

Forms work without JavaScript: POST, then 303; a refused template re-renders
the form with 422, the error by its part and the text kept.
"""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from polydesk.core.errors import NotFound, ValidationFailed
from polydesk.core.i18n import N_
from polydesk.core.i18n import gettext as _
from polydesk.core.mail import outbound_overrides
from polydesk.core.mail.outbound import KINDS, NOTIFICATIONS, sample_context
from polydesk.core.mail.outbound_sender import retry_now
from polydesk.web.controllers.admin import admin_only
from polydesk.web.controllers.api_mail import mail_renderer, queue_status, save_template
from polydesk.web.deps import runtime_of
from polydesk.web.rendering import page, require_actor

NOTICES = {
    "retry": N_("The message will be sent on the next round."),
    "saved": N_("Template saved. New mail uses it."),
    "reset": N_("The default template is back."),
}
#: Shown through `translate` on the pages (raised or declared elsewhere).
SHOWN_HERE = (N_("No such notification."),)


def _notice(done: str | None) -> str | None:
    notice = NOTICES.get(done or "")
    return _(notice) if notice else None


class MailAdminController(Controller):
    path = "/admin/mail"
    include_in_schema = False
    guards = [admin_only]

    @get("/")
    async def overview(self, request: Request, done: FromQuery[str | None] = None) -> Template:
        overrides = await outbound_overrides.all_overrides()
        return await page(
            request,
            "admin/mail.html",
            {
                **await queue_status(request),
                "notifications": NOTIFICATIONS,
                "kinds": KINDS,
                "overridden": set(overrides),
                "notice": _notice(done),
            },
        )

    @post("/{mail_id:int}/retry")
    async def retry(self, request: Request, mail_id: FromPath[int]) -> Redirect:
        await retry_now(mail_id, runtime_of(request).clock())
        return Redirect("/admin/mail?done=retry", status_code=303)

    async def _template_page(
        self,
        request: Request,
        kind: str,
        values: dict[str, str],
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        renderer = mail_renderer(request, {})
        defaults = {p: renderer.default_source(kind, "", p) for p in outbound_overrides.PARTS}
        return await page(
            request,
            "admin/mail_template.html",
            {
                "notification": KINDS[kind],
                "values": values,
                "defaults": defaults,
                "errors": errors or {},
                "variables": sorted(sample_context(kind)),
                "notice": _notice(request.query_params.get("done")),
            },
            status_code=status_code,
        )

    @get("/templates/{kind:str}")
    async def edit_template(self, request: Request, kind: FromPath[str]) -> Template:
        if kind not in KINDS:
            raise NotFound("No such notification.")
        return await self._template_page(request, kind, await outbound_overrides.get_override(kind))

    @post("/templates/{kind:str}")
    async def save(self, request: Request, kind: FromPath[str]) -> Template | Redirect:
        if kind not in KINDS:
            raise NotFound("No such notification.")
        actor = await require_actor(request)
        form = await request.form()
        values = {p: str(form.get(p) or "").replace("\r\n", "\n") for p in outbound_overrides.PARTS}
        try:
            await save_template(request, actor, kind, values)
        except ValidationFailed as exc:
            return await self._template_page(request, kind, values, exc.fields, 422)
        return Redirect(f"/admin/mail/templates/{kind}?done=saved", status_code=303)

    @post("/templates/{kind:str}/reset")
    async def reset(self, kind: FromPath[str]) -> Redirect:
        await outbound_overrides.reset_override(kind)
        return Redirect(f"/admin/mail/templates/{kind}?done=reset", status_code=303)
