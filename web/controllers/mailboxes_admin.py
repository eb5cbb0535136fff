"""Department mailboxes for administrators: `/admin/mailboxes` (pages) and
`/api/v1/admin/mailboxes` (JSON). Non-admins get 404 from both."""

from __future__ import annotations

import json
from typing import Any

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import Redirect, Template

from polydesk.core.errors import NotFound, ValidationFailed
from polydesk.core.i18n import N_
from polydesk.core.i18n import gettext as _
from polydesk.core.mail.inbound_tables import ReceivedMessage
from polydesk.core.mail.mailboxes import (
    REPLY_POLICIES,
    SENDER_POLICIES,
    MailboxInput,
    MailboxView,
    get_mailbox,
    list_mailboxes,
    save_mailbox,
)
from polydesk.core.permissions import Actor
from polydesk.web.controllers.admin import admin_only
from polydesk.web.deps import provide_actor, snapshot_of
from polydesk.web.rendering import page

RECENT = 20
NOTICES = {"created": N_("Mailbox created."), "saved": N_("Mailbox saved.")}
#: The policies' labels (core/mail/mailboxes.py), shown with `translate` in the form.
SHOWN_HERE = (
    N_("Anyone (unknown senders become requesters)"),
    N_("Only people Polydesk knows by their address"),
    N_("Only addresses at the listed domains"),
    N_("becomes a new ticket"),
    N_("is refused"),
)
TEXT_FIELDS = (
    "address",
    "request_type",
    "senders",
    "unauthorised_reply",
    "imap_host",
    "imap_username",
    "imap_password_env",
    "imap_ca_file",
    "imap_folder",
)


def _values_of(view: MailboxView | None) -> dict[str, Any]:
    if view is None:
        return {
            "senders": "known",
            "unauthorised_reply": "new_ticket",
            "enabled": True,
            "imap_port": "993",
            "imap_folder": "INBOX",
            "form_defaults": "{}",
        }
    return {
        **{name: getattr(view, name) for name in TEXT_FIELDS},
        "form_defaults": json.dumps(view.form_defaults, indent=2, ensure_ascii=False),
        "allowed_domains": "\n".join(view.allowed_domains),
        "enabled": view.enabled,
        "imap_port": str(view.imap_port),
    }


def _values_from_form(form: Any) -> dict[str, Any]:
    """The form as typed, to parse and to show again."""
    values = {name: str(form.get(name) or "").strip() for name in TEXT_FIELDS}
    values["form_defaults"] = str(form.get("form_defaults") or "").strip()
    values["allowed_domains"] = str(form.get("allowed_domains") or "")
    values["imap_port"] = str(form.get("imap_port") or "993").strip()
    values["enabled"] = form.get("enabled") == "on"
    return values


def _input_of(values: dict[str, Any]) -> MailboxInput:
    """A MailboxInput; bad JSON or port numbers raise ValidationFailed with their field."""
    errors: dict[str, str] = {}
    try:
        defaults = json.loads(values["form_defaults"] or "{}")
        if not isinstance(defaults, dict):
            raise ValueError
    except ValueError:
        errors["form_defaults"] = _(
            "Enter a JSON object, e.g. %(example)s.", example='{"impact": "low"}'
        )
        defaults = {}
    try:
        port = int(values["imap_port"])
    except ValueError:
        errors["imap_port"] = _("Enter a port number.")
        port = 0
    if errors:
        raise ValidationFailed(errors)
    return MailboxInput(
        **{name: values[name] for name in TEXT_FIELDS},
        form_defaults=defaults,
        allowed_domains=values["allowed_domains"].replace(",", "\n").split(),
        enabled=values["enabled"],
        imap_port=port,
    )


async def _recent(mailbox_id: int) -> list[dict[str, Any]]:
    return (
        await ReceivedMessage.select(
            ReceivedMessage.received_at,
            ReceivedMessage.sender,
            ReceivedMessage.outcome,
            ReceivedMessage.detail,
            ReceivedMessage.ticket.key.as_alias("ticket_key"),
        )
        .where(ReceivedMessage.mailbox == mailbox_id)
        .order_by(ReceivedMessage.id, ascending=False)
        .limit(RECENT)
    )


class MailboxAdminController(Controller):
    path = "/admin/mailboxes"
    include_in_schema = False
    guards = [admin_only]

    async def _page(
        self,
        request: Request,
        template: str,
        *,
        mailbox: MailboxView | None = None,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        notice: str | None = None,
        status_code: int = 200,
    ) -> Template:
        snapshot = await snapshot_of(request)
        request_types = [
            rt for rt in snapshot.registry.request_types.values() if not rt.agents_only
        ]
        return await page(
            request,
            template,
            {
                "mailbox": mailbox,
                "mailboxes": await list_mailboxes() if mailbox is None else [],
                "recent": await _recent(mailbox.id) if mailbox is not None else [],
                "request_types": request_types,
                "departments": snapshot.registry.departments,
                "sender_policies": SENDER_POLICIES,
                "reply_policies": REPLY_POLICIES,
                "values": values if values is not None else _values_of(mailbox),
                "errors": errors or {},
                "notice": notice,
            },
            status_code=status_code,
        )

    @get("/")
    async def list_mailboxes(self, request: Request) -> Template:
        return await self._page(request, "admin/mailboxes.html")

    @post("/")
    async def create_mailbox(self, request: Request) -> Template | Redirect:
        return await self._save(request, None)

    @get("/{mailbox_id:int}")
    async def get_mailbox(
        self, request: Request, mailbox_id: FromPath[int], done: FromQuery[str | None] = None
    ) -> Template:
        return await self._page(
            request,
            "admin/mailbox.html",
            mailbox=await get_mailbox(mailbox_id),
            notice=_(NOTICES[done]) if done in NOTICES else None,
        )

    @post("/{mailbox_id:int}")
    async def update_mailbox(
        self, request: Request, mailbox_id: FromPath[int]
    ) -> Template | Redirect:
        return await self._save(request, mailbox_id)

    async def _save(self, request: Request, mailbox_id: int | None) -> Template | Redirect:
        existing = await get_mailbox(mailbox_id) if mailbox_id is not None else None
        snapshot = await snapshot_of(request)
        form = await request.form()
        values = _values_from_form(form)
        try:
            saved = await save_mailbox(snapshot.registry, _input_of(values), mailbox_id)
        except ValidationFailed as exc:
            template = "admin/mailbox.html" if existing else "admin/mailboxes.html"
            return await self._page(
                request,
                template,
                mailbox=existing,
                values=values,
                errors=exc.fields,
                status_code=422,
            )
        done = "saved" if existing else "created"
        return Redirect(f"/admin/mailboxes/{saved.id}?done={done}", status_code=303)


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise NotFound("No such page.")


class MailboxApiController(Controller):
    path = "/api/v1/admin/mailboxes"
    tags = ["admin"]
    dependencies = {"actor": Provide(provide_actor)}

    @get("/")
    async def list_mailboxes(self, actor: NamedDependency[Actor]) -> list[MailboxView]:
        """Every department mailbox (IMAP passwords are never stored: only the
        name of the environment variable that holds one)."""
        _require_admin(actor)
        return await list_mailboxes()

    @post("/")
    async def create_mailbox(
        self, request: Request, actor: NamedDependency[Actor], data: JSONBody[MailboxInput]
    ) -> MailboxView:
        """Create a mailbox; 422 with an error per field when it is not valid."""
        _require_admin(actor)
        return await save_mailbox((await snapshot_of(request)).registry, data)

    @get("/{mailbox_id:int}")
    async def get_mailbox(
        self, actor: NamedDependency[Actor], mailbox_id: FromPath[int]
    ) -> MailboxView:
        """One mailbox."""
        _require_admin(actor)
        return await get_mailbox(mailbox_id)

    @put("/{mailbox_id:int}")
    async def update_mailbox(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        mailbox_id: FromPath[int],
        data: JSONBody[MailboxInput],
    ) -> MailboxView:
        """Replace a mailbox's settings."""
        _require_admin(actor)
        return await save_mailbox((await snapshot_of(request)).registry, data, mailbox_id)
