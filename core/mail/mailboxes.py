"""Department mailboxes: which address feeds which department, as what request
type, from whom, and (optionally) which IMAP mailbox to poll for it.

The IMAP password is never stored: a mailbox names the environment variable
that holds it (`imap_password_env`). Secrets then live where the deployment
keeps its other secrets, are left out of database backups and dumps, and
rotate without touching Polydesk's data or its secret key.
"""

from __future__ import annotations

import os
import re
from typing import Any

import msgspec

from polydesk.core.errors import NotFound, ValidationFailed
from polydesk.core.i18n import gettext as _
from polydesk.core.mail.inbound_parse import valid_address
from polydesk.core.mail.inbound_tables import Mailbox
from polydesk.core.registry import Registry

SENDER_POLICIES = {
    "anyone": "Anyone (unknown senders become requesters)",
    "known": "Only people Polydesk knows by their address",
    "domains": "Only addresses at the listed domains",
}
REPLY_POLICIES = {
    "new_ticket": "becomes a new ticket",
    "reject": "is refused",
}
_DOMAIN = re.compile(
    r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$"
)
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")


class MailboxView(msgspec.Struct, kw_only=True):
    id: int
    address: str
    department: str
    request_type: str
    form_defaults: dict[str, Any]
    senders: str
    allowed_domains: list[str]
    unauthorised_reply: str
    enabled: bool
    imap_host: str
    imap_port: int
    imap_username: str
    imap_password_env: str
    imap_ca_file: str
    imap_folder: str

    @property
    def polls_imap(self) -> bool:
        return bool(self.imap_host)


class MailboxInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What an admin sends to create or change a mailbox."""

    address: str
    request_type: str
    form_defaults: dict[str, Any] = {}
    senders: str = "known"
    allowed_domains: list[str] = []
    unauthorised_reply: str = "new_ticket"
    enabled: bool = True
    imap_host: str = ""
    imap_port: int = 993
    imap_username: str = ""
    imap_password_env: str = ""
    imap_ca_file: str = ""
    imap_folder: str = "INBOX"


def _view(row: dict[str, Any]) -> MailboxView:
    form = row["form_defaults"]
    if isinstance(form, str):
        form = msgspec.json.decode(form or "{}")
    return MailboxView(
        id=row["id"],
        address=row["address"],
        department=row["department"],
        request_type=row["request_type"],
        form_defaults=form or {},
        senders=row["senders"],
        allowed_domains=[d for d in (row["allowed_domains"] or "").split() if d],
        unauthorised_reply=row["unauthorised_reply"],
        enabled=row["enabled"],
        imap_host=row["imap_host"],
        imap_port=row["imap_port"],
        imap_username=row["imap_username"],
        imap_password_env=row["imap_password_env"],
        imap_ca_file=row["imap_ca_file"],
        imap_folder=row["imap_folder"],
    )


async def list_mailboxes(*, enabled_only: bool = False) -> list[MailboxView]:
    """Every mailbox, by address."""
    query = Mailbox.select().order_by(Mailbox.address)
    if enabled_only:
        query = query.where(Mailbox.enabled == True)  # noqa: E712
    return [_view(r) for r in await query]


async def get_mailbox(mailbox_id: int) -> MailboxView:
    row = await Mailbox.select().where(Mailbox.id == mailbox_id).first()
    if row is None:
        raise NotFound(_("No such mailbox."))
    return _view(row)


async def find_mailbox(addresses: list[str]) -> MailboxView | None:
    """The first enabled mailbox among `addresses` (envelope recipients, in order)."""
    wanted = [a.strip().lower() for a in addresses if a and a.strip()]
    if not wanted:
        return None
    rows = await Mailbox.select().where(
        Mailbox.address.is_in(wanted) & (Mailbox.enabled == True)  # noqa: E712
    )
    by_address = {r["address"]: r for r in rows}
    for address in wanted:
        if address in by_address:
            return _view(by_address[address])
    return None


def validate(registry: Registry, data: MailboxInput) -> dict[str, Any]:
    """Check a mailbox against the catalog; returns the column values or raises
    `ValidationFailed` with an error per field."""
    errors: dict[str, str] = {}
    address = data.address.strip().lower()
    if not valid_address(address):
        errors["address"] = _("Enter an email address, like it@example.org.")
    rt = registry.request_types.get(data.request_type)
    cleaned: dict[str, Any] = {}
    if rt is None:
        errors["request_type"] = _("Choose a request type.")
    elif rt.agents_only:
        errors["request_type"] = _(
            "Only agents file this request type; choose one requesters may raise."
        )
    else:
        try:
            cleaned = rt.form.validate(dict(data.form_defaults))
        except ValidationFailed as exc:
            errors.update({f"form_defaults.{k}": v for k, v in exc.fields.items()})
            errors.setdefault(
                "form_defaults", _("Every ticket from this mailbox needs these form values.")
            )
    if data.senders not in SENDER_POLICIES:
        errors["senders"] = _("Choose who may write.")
    domains = sorted({d.strip().lower().lstrip("@") for d in data.allowed_domains if d.strip()})
    bad = [d for d in domains if not _DOMAIN.match(d)]
    if bad:
        errors["allowed_domains"] = _("Not a domain: %(domains)s.", domains=", ".join(bad[:3]))
    elif data.senders == "domains" and not domains:
        errors["allowed_domains"] = _("List at least one domain.")
    if data.unauthorised_reply not in REPLY_POLICIES:
        errors["unauthorised_reply"] = _("Choose what happens to such a reply.")
    host = data.imap_host.strip()
    if host:
        if not re.match(r"^[A-Za-z0-9.-]{1,253}$|^\[[0-9A-Fa-f:.]+\]$", host):
            errors["imap_host"] = _("Enter a host name.")
        if not 1 <= data.imap_port <= 65535:
            errors["imap_port"] = _("Enter a port between 1 and 65535.")
        if not data.imap_username.strip():
            errors["imap_username"] = _("Enter the IMAP user name.")
        if not _ENV_NAME.match(data.imap_password_env.strip()):
            errors["imap_password_env"] = _(
                "Enter the name of the environment variable that holds the password."
            )
        ca = data.imap_ca_file.strip()
        if ca and not os.path.isfile(ca):
            errors["imap_ca_file"] = _("No such file on the server.")
        if not data.imap_folder.strip():
            errors["imap_folder"] = _("Enter a folder, usually INBOX.")
    if errors:
        raise ValidationFailed(errors)
    assert rt is not None
    return {
        Mailbox.address: address,
        Mailbox.department: rt.department,
        Mailbox.request_type: rt.key,
        Mailbox.form_defaults: cleaned,
        Mailbox.senders: data.senders,
        Mailbox.allowed_domains: "\n".join(domains),
        Mailbox.unauthorised_reply: data.unauthorised_reply,
        Mailbox.enabled: data.enabled,
        Mailbox.imap_host: host,
        Mailbox.imap_port: data.imap_port,
        Mailbox.imap_username: data.imap_username.strip(),
        Mailbox.imap_password_env: data.imap_password_env.strip(),
        Mailbox.imap_ca_file: data.imap_ca_file.strip(),
        Mailbox.imap_folder: data.imap_folder.strip() or "INBOX",
    }


async def save_mailbox(
    registry: Registry, data: MailboxInput, mailbox_id: int | None = None
) -> MailboxView:
    """Create a mailbox (`mailbox_id` None) or replace one's settings."""
    values = validate(registry, data)
    taken = Mailbox.exists().where(Mailbox.address == values[Mailbox.address])
    if mailbox_id is not None:
        await get_mailbox(mailbox_id)
        taken = taken.where(Mailbox.id != mailbox_id)
    if await taken:
        raise ValidationFailed({"address": _("Another mailbox has this address.")})
    if mailbox_id is None:
        row = Mailbox(**{column._meta.name: value for column, value in values.items()})
        rows = await Mailbox.insert(row).returning(Mailbox.id)
        mailbox_id = rows[0]["id"]
    else:
        from polydesk.core.runtime import utcnow

        await Mailbox.update({**values, Mailbox.updated_at: utcnow()}).where(
            Mailbox.id == mailbox_id
        )
    return await get_mailbox(mailbox_id)


def imap_password(mailbox: MailboxView) -> str | None:
    """The IMAP password from the environment variable the mailbox names."""
    return os.environ.get(mailbox.imap_password_env) if mailbox.imap_password_env else None


#: Where the demo's department mailboxes live (`it@demo.example.org`, ...).
DEMO_MAIL_DOMAIN = "demo.example.org"


async def seed_demo_mailboxes(registry: Registry) -> list[str]:
    """One mailbox per department for the demo, open to anyone, each making the
    department's simplest public request type (the one with the fewest required
    fields, filled with sample values). Skips addresses that exist; returns all."""
    from polydesk.core.demo import sample_form_data

    addresses = []
    for slug in registry.departments:
        address = f"{slug}@{DEMO_MAIL_DOMAIN}"
        addresses.append(address)
        candidates = [
            rt
            for rt in registry.request_types.values()
            if rt.department == slug and not rt.agents_only and not rt.confidential_team
        ]
        if not candidates or await Mailbox.exists().where(Mailbox.address == address):
            continue
        rt = min(candidates, key=lambda r: sum(1 for f in r.form.fields if f.required))
        await save_mailbox(
            registry,
            MailboxInput(
                address=address,
                request_type=rt.key,
                form_defaults=sample_form_data(rt.form),
                senders="anyone",
            ),
        )
    return addresses
