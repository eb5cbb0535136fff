"""`/api/v1/admin/mail` (admins: the outbound queue, retries, template overrides) and
`/api/v1/me/notifications` (everyone: which notifications I get)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody

from polydesk.core.errors import NotFound, ValidationFailed
from polydesk.core.mail import outbound_overrides
from polydesk.core.mail.outbound import NOTIFICATIONS
from polydesk.core.mail.outbound_sender import (
    mail_configured,
    queue_counts,
    retry_now,
    unsent_messages,
)
from polydesk.core.mail.preferences import preferences, set_preferences
from polydesk.core.permissions import Actor
from polydesk.web.deps import provide_actor, runtime_of
from polydesk.web.mail_templates import MailRenderer


def require_admin(actor: Actor) -> None:
    """Admins only; for everyone else the resource does not exist."""
    if not actor.is_admin:
        raise NotFound("No such resource.")


def mail_renderer(request: Request, overrides: dict[str, dict[str, str]]) -> MailRenderer:
    return MailRenderer(request.app.state.mail_env, overrides)


async def queue_status(request: Request) -> dict[str, Any]:
    """What the admin page and API show: configuration, counts, unsent messages."""
    settings = runtime_of(request).settings
    return {
        "configured": mail_configured(settings),
        "smtp_host": settings.smtp_host,
        "mail_from": settings.mail_from,
        "counts": await queue_counts(),
        "messages": await unsent_messages(),
    }


async def save_template(
    request: Request, actor: Actor, kind: str, parts: dict[str, Any]
) -> dict[str, str]:
    """Check and store an override; refused (422, by part) when a part does not
    compile or render, and then nothing is saved."""
    if kind not in {n.kind for n in NOTIFICATIONS}:
        raise NotFound("No such notification.")
    unknown = set(parts) - set(outbound_overrides.PARTS)
    if unknown:
        raise ValidationFailed({k: "Unknown part." for k in sorted(unknown)})
    clean = {p: parts.get(p) or "" for p in outbound_overrides.PARTS}
    if not all(isinstance(v, str) for v in clean.values()):
        raise ValidationFailed(
            {p: "Give the template as text." for p, v in clean.items() if not isinstance(v, str)}
        )
    errors = mail_renderer(request, {}).check_override(kind, clean)
    if errors:
        raise ValidationFailed(errors)
    runtime = runtime_of(request)
    await outbound_overrides.save_override(kind, clean, actor.person_id, runtime.clock())
    return await outbound_overrides.get_override(kind)


class MailAdminApiController(Controller):
    path = "/api/v1/admin/mail"
    tags = ["admin"]
    dependencies = {"actor": Provide(provide_actor)}

    @get("/")
    async def status(self, request: Request, actor: NamedDependency[Actor]) -> dict[str, Any]:
        """Whether SMTP is configured, counts by status, and the failed and pending messages."""
        require_admin(actor)
        return await queue_status(request)

    @post("/{mail_id:int}/retry", status_code=200)
    async def retry(
        self, request: Request, actor: NamedDependency[Actor], mail_id: FromPath[int]
    ) -> dict[str, Any]:
        """Send a failed or waiting message on the next round, with fresh attempts."""
        require_admin(actor)
        await retry_now(mail_id, runtime_of(request).clock())
        return {"id": mail_id, "status": "pending"}

    @get("/templates")
    async def templates(self, actor: NamedDependency[Actor]) -> list[dict[str, Any]]:
        """Every notification with the admin's override, if any (empty parts: the default)."""
        require_admin(actor)
        overrides = await outbound_overrides.all_overrides()
        return [
            {"kind": n.kind, "label": n.label, "override": overrides.get(n.kind)}
            for n in NOTIFICATIONS
        ]

    @put("/templates/{kind:str}")
    async def put_template(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        kind: FromPath[str],
        data: JSONBody[dict[str, Any]],
    ) -> dict[str, str]:
        """Override `subject`, `text` and/or `html` (Jinja2, sandboxed)."""
        require_admin(actor)
        return await save_template(request, actor, kind, data)

    @delete("/templates/{kind:str}", status_code=200)
    async def reset_template(
        self, actor: NamedDependency[Actor], kind: FromPath[str]
    ) -> dict[str, str]:
        """Back to the default templates."""
        require_admin(actor)
        await outbound_overrides.reset_override(kind)
        return await outbound_overrides.get_override(kind)


class MyNotificationsApiController(Controller):
    path = "/api/v1/me/notifications"
    tags = ["session"]
    dependencies = {"actor": Provide(provide_actor)}

    @get("/")
    async def list_preferences(self, actor: NamedDependency[Actor]) -> list[dict[str, Any]]:
        """Each notification, whether you get it, and whether it is mandatory (and why)."""
        return await preferences(actor.person_id)

    @put("/")
    async def update_preferences(
        self, actor: NamedDependency[Actor], data: JSONBody[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Turn notifications on or off: `{"public_reply": false}`."""
        return await set_preferences(actor.person_id, data)
