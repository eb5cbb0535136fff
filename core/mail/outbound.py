"""Outbound notifications: each domain event becomes at most one queued mail per
recipient and kind.

`notify` runs inside the outbox delivery's transaction (`deliver_one`), so the
queued mails commit together with the event's delivery mark, and the unique
index on (outbox event, recipient, kind) with ON CONFLICT DO NOTHING keeps a
retried or concurrently delivered event from queueing anything twice.

Confidentiality is decided here, once, when a mail is queued: every recipient
is checked with the same `TicketService.get` a page uses (the central
`visible_tickets_where` and `can("ticket.view")`), as themselves. Someone who
may not see the ticket gets nothing, not even its title. Internal notes are
never queued, and the form summary always masks sensitive fields (mail is
read in places a portal page is not). Rendering (Jinja2) and sending happen in
the web layer's sender, from the context stored here.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from email.utils import make_msgid
from typing import Any

from polydesk.core.errors import NotFound
from polydesk.core.events import (
    ApprovalDecided,
    ApprovalRequested,
    CommentAdded,
    Event,
    SLABreached,
    SLAWarning,
    TicketAssigned,
    TicketCreated,
)
from polydesk.core.forms import masked
from polydesk.core.i18n import N_
from polydesk.core.mail.outbound_tables import NotificationPreference, OutboundMail
from polydesk.core.people.services import load_actor
from polydesk.core.people.tables import Membership, Person
from polydesk.core.permissions import Actor
from polydesk.core.specs import Priority
from polydesk.core.tickets.tables import Approval, TimelineEvent

# English in the stored context; the templates show them with `| translate`.
METRIC_LABELS = {"first_response": N_("First response"), "resolution": N_("Resolution")}
#: The priority labels of `Priority.label`, for the mail catalog.
PRIORITY_LABELS = (N_("P1 · critical"), N_("P2 · high"), N_("P3 · medium"), N_("P4 · low"))


@dataclass(frozen=True)
class Notification:
    """One kind of notification: what people see on their preferences page.

    `label`, `description` and `why` are English (`N_`), shown with `| translate`."""

    kind: str
    label: str
    description: str
    #: Sent whatever the person's preference says; `why` explains it on the page.
    mandatory: bool = False
    why: str = ""
    #: Extra context keys of this kind, with sample values (previews, override checks).
    sample: dict[str, Any] = field(default_factory=dict)


NOTIFICATIONS: tuple[Notification, ...] = (
    Notification(
        "ticket_created",
        N_("Request received"),
        N_("An acknowledgement with the ticket key when a request is raised for you."),
        sample={
            "form": [{"label": "Impact", "value": "One person"}],
            "description": "The laptop does not start.",
        },
    ),
    Notification(
        "public_reply",
        N_("Replies to your requests"),
        N_("When someone else answers a request you raised."),
        sample={"author_name": "Ivy Agent", "body": "Please try restarting it."},
    ),
    Notification(
        "assigned",
        N_("Tickets assigned to you"),
        N_("When someone else assigns a ticket to you (agents)."),
        sample={"assigned_by": "Lena Lead", "priority": "P2 High"},
    ),
    Notification(
        "approval_needed",
        N_("Approvals waiting for you"),
        N_("When a request needs your approval."),
        mandatory=True,
        why=N_("A request waits until you decide, and many approvers never open the portal."),
        sample={"requester_name": "Alice Example", "step": 1},
    ),
    Notification(
        "sla_warning",
        N_("SLA warnings"),
        N_("When a ticket of a department you lead nears its SLA target (leads)."),
        sample={
            "metric": "Resolution",
            "due_at": "2026-01-05 14:00 UTC",
            "due_at_utc": "2026-01-05T14:00:00+00:00",
        },
    ),
    Notification(
        "sla_breached",
        N_("SLA breaches"),
        N_("When a ticket of a department you lead misses its SLA target (leads)."),
        sample={
            "metric": "Resolution",
            "due_at": "2026-01-05 14:00 UTC",
            "due_at_utc": "2026-01-05T14:00:00+00:00",
        },
    ),
)
KINDS: dict[str, Notification] = {n.kind: n for n in NOTIFICATIONS}

#: Keys every notification's context carries (see `_context`), with sample values.
COMMON_SAMPLE: dict[str, Any] = {
    "ticket_key": "IT-1042",
    "ticket_title": "Laptop does not start",
    "ticket_url": "http://127.0.0.1:8000/requests/IT-1042",
    "state": "open",
    "department_name": "IT",
    "request_type_name": "Incident",
    "recipient_name": "Alice Example",
    "site_url": "http://127.0.0.1:8000",
    "preferences_url": "http://127.0.0.1:8000/me/notifications",
}


def sample_context(kind: str) -> dict[str, Any]:
    """A full context for `kind` with made-up values (template checks and previews)."""
    return {**COMMON_SAMPLE, **KINDS[kind].sample}


@dataclass(frozen=True)
class Planned:
    kind: str
    person_id: int
    extra: dict[str, Any] = field(default_factory=dict)


async def notify(snapshot: Any, outbox_id: int, event: Event, now: dt.datetime) -> int:
    """Queue the notifications `event` calls for; returns how many were queued.

    Call inside the outbox delivery's transaction. Departments that are disabled
    send nothing (their tickets are hidden from everyone but admins)."""
    if not snapshot.is_department_enabled(event.department):
        return 0
    queued = 0
    for plan in await _plan(event):
        queued += await _queue(snapshot, outbox_id, event, plan, now)
    return queued


async def _person_id(username: str | None) -> int | None:
    if not username:
        return None
    row = await Person.select(Person.id).where(Person.username == username).first()
    return row["id"] if row else None


async def _plan(event: Event) -> list[Planned]:
    """Who should hear about `event`, before preferences and permissions."""
    if isinstance(event, TicketCreated):
        if event.parent_id is not None:
            return []  # a child task is the department's own work, not a new request
        person = await _person_id(event.requester)
        return [Planned("ticket_created", person)] if person else []
    if isinstance(event, CommentAdded):
        return await _plan_reply(event)
    if isinstance(event, TicketAssigned):
        if not event.assignee or event.assignee == event.actor:
            return []
        person = await _person_id(event.assignee)
        return [Planned("assigned", person, {"assigned_by": event.actor or ""})] if person else []
    if isinstance(event, ApprovalRequested):
        row = await Approval.select().where(Approval.id == event.approval_id).first()
        if row is None or row["state"] != "pending" or await _waits_on_earlier_step(row):
            return []
        return [Planned("approval_needed", row["approver"], {"step": row["step"]})]
    if isinstance(event, ApprovalDecided):
        if event.decision != "approved":
            return []
        # The next sequential step may be open now: tell its approvers.
        pending = await Approval.select().where(
            (Approval.ticket == event.ticket_id)
            & (Approval.state == "pending")
            & (Approval.step > event.step)
        )
        return [
            Planned("approval_needed", row["approver"], {"step": row["step"]})
            for row in pending
            if not await _waits_on_earlier_step(row)
        ]
    if isinstance(event, SLAWarning | SLABreached):
        if isinstance(event, SLABreached) and not event.notify_lead:
            return []
        kind = "sla_warning" if isinstance(event, SLAWarning) else "sla_breached"
        leads = await Membership.select(Membership.person).where(
            (Membership.department == event.department) & (Membership.role == "lead")
        )
        extra = {
            "metric": METRIC_LABELS.get(event.metric, event.metric),
            "due_at": _when(event.due_at),
            # The instant, so each recipient reads it in their own zone and language.
            "due_at_utc": _utc_iso(event.due_at),
        }
        return [Planned(kind, row["person"], extra) for row in leads]
    return []


def _when(iso: str) -> str:
    try:
        return dt.datetime.fromisoformat(iso).astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return iso


def _utc_iso(iso: str) -> str:
    try:
        return dt.datetime.fromisoformat(iso).astimezone(dt.UTC).isoformat()
    except ValueError:
        return ""


async def _waits_on_earlier_step(approval: dict[str, Any]) -> bool:
    return await Approval.exists().where(
        (Approval.ticket == approval["ticket"])
        & (Approval.step < approval["step"])
        & (Approval.state != "approved")
    )


async def _plan_reply(event: CommentAdded) -> list[Planned]:
    """A public reply by someone other than the requester goes to the requester.
    Internal notes are never mailed."""
    if not event.public:
        return []
    query = TimelineEvent.select(
        TimelineEvent.body,
        TimelineEvent.data,
        TimelineEvent.actor.display_name.as_alias("author_name"),
        TimelineEvent.ticket.requester.as_alias("requester"),
        TimelineEvent.ticket.requester.username.as_alias("requester_username"),
    ).where(
        (TimelineEvent.ticket == event.ticket_id)
        & (TimelineEvent.kind == "reply")
        & (TimelineEvent.public == True)  # noqa: E712
    )
    if event.version:
        query = query.where(TimelineEvent.ticket_version == event.version)
    else:  # an event written before CommentAdded carried the version
        query = query.where(TimelineEvent.actor.username == event.actor)
    row = await query.order_by(TimelineEvent.id, ascending=False).output(load_json=True).first()
    if row is None or row["requester_username"] == event.actor:
        return []
    data = json.loads(row["data"]) if isinstance(row["data"], str) else row["data"] or {}
    context = {"author_name": row["author_name"] or "Polydesk", "body": row["body"]}
    if data.get("message"):
        # A note Polydesk wrote: the templates show it in the recipient's language.
        context["body_message"] = data["message"]
    return [Planned("public_reply", row["requester"], context)]


async def wants(person_id: int, kind: str) -> bool:
    """Whether `person_id` gets notifications of `kind` (mandatory ones always)."""
    if KINDS[kind].mandatory:
        return True
    row = (
        await NotificationPreference.select(NotificationPreference.enabled)
        .where((NotificationPreference.person == person_id) & (NotificationPreference.kind == kind))
        .first()
    )
    return True if row is None else bool(row["enabled"])


async def _queue(
    snapshot: Any, outbox_id: int, event: Event, plan: Planned, now: dt.datetime
) -> int:
    from polydesk.core.tickets.services import TicketService

    if not await wants(plan.person_id, plan.kind):
        return 0
    person = (
        await Person.select(Person.email, Person.display_name)
        .where(Person.id == plan.person_id)
        .first()
    )
    if person is None or not person["email"]:
        return 0  # nowhere to send it; the portal still shows everything
    actor = await load_actor(plan.person_id)
    if actor is None:
        return 0  # deactivated
    try:
        # The recipient as the actor: the one permission check every page uses.
        ticket = await TicketService(snapshot).get(actor, event.ticket_id)
    except NotFound:
        return 0
    settings = snapshot.runtime.settings
    context = {**_context(snapshot, ticket, actor, plan.kind), **plan.extra}
    if "assigned_by" in context:
        context["assigned_by"] = await _display_name(context["assigned_by"])
    domain = settings.mail_from.rpartition("@")[2] or "localhost"
    inserted = (
        await OutboundMail.insert(
            OutboundMail(
                outbox_event=outbox_id,
                kind=plan.kind,
                recipient=plan.person_id,
                to_address=person["email"],
                ticket=ticket.id,
                department=ticket.department,
                context=context,
                message_id=make_msgid(idstring=f"{ticket.key}.{plan.kind}", domain=domain),
                status="pending",
                attempts=0,
                available_at=now,
                created_at=now,
            )
        )
        .on_conflict(action="DO NOTHING")
        .returning(OutboundMail.id)
    )
    return len(inserted)


async def _display_name(username: str) -> str:
    row = await Person.select(Person.display_name).where(Person.username == username).first()
    return (row["display_name"] if row else "") or username or "Polydesk"


def _context(snapshot: Any, ticket: Any, actor: Actor, kind: str) -> dict[str, Any]:
    """What every template may show about `ticket`, as `actor` may see it."""
    settings = snapshot.runtime.settings
    registry = snapshot.registry
    rt = registry.request_types.get(ticket.request_type)
    department = registry.departments.get(ticket.department)
    base = settings.base_url
    agent = actor.is_agent_of(ticket.department) and actor.person_id != ticket.requester.id
    path = f"/agent/tickets/{ticket.key}" if agent else f"/requests/{ticket.key}"
    context: dict[str, Any] = {
        "ticket_key": ticket.key,
        "ticket_title": ticket.title,
        "ticket_url": base + path,
        "state": ticket.state,
        "department_name": department.name if department else ticket.department,
        "request_type_name": rt.name if rt else ticket.request_type,
        "recipient_name": actor.display_name or actor.username,
        "site_url": base,
        "preferences_url": base + "/me/notifications",
        "priority": _priority_label(ticket.priority),
        "requester_name": ticket.requester.display_name or ticket.requester.username,
    }
    if kind == "ticket_created":
        context["description"] = ticket.description
        context["form"] = _form_summary(rt, ticket.form_data) if rt else []
    return context


def _priority_label(value: int) -> str:
    try:
        return Priority(value).label
    except ValueError:
        return str(value)


def _form_summary(rt: Any, values: dict[str, Any]) -> list[dict[str, str]]:
    """The answered form fields, labelled, sensitive ones masked for everyone."""
    shown = masked(rt.form, values)
    summary = []
    for f in rt.form.fields:
        value = shown.get(f.key)
        if value in (None, "", [], False) or not rt.form.is_visible(f, values):
            continue
        if f.type == "file":
            continue
        choices = dict(f.choices)
        # `choices`: the declared labels of the answer, which mail translates;
        # `value`: the English text (typed answers as typed).
        labels: list[str] = []
        if isinstance(value, list):
            labels = [str(choices.get(v, v)) for v in value]
            text = ", ".join(labels)
        elif value is True:
            text = "Yes"
            labels = [text]
        else:
            text = str(choices.get(value, value)) if not isinstance(value, dict) else ""
            if not isinstance(value, dict) and value in choices:
                labels = [text]
        if text:
            item = {"label": f.label, "value": text}
            if labels:
                item["choices"] = labels
            summary.append(item)
    return summary
