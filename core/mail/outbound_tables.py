"""Outbound mail tables: the queue of notifications, admins' template overrides and
people's notification preferences.

`OutboundMail` rows are written by the notifier inside the outbox delivery's
transaction; a unique index on (outbox_event, recipient, kind) — in a hand-written
migration, Piccolo has no composite unique — makes one event produce at most one
message per recipient and kind, however often or concurrently it is delivered.
"""

from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

import polydesk.core.db  # noqa: F401
from polydesk.core.people.tables import Person
from polydesk.core.tickets.tables import Ticket


class OutboundMail(Table, tablename="mail_outbound"):
    """One notification to one person, from its rendering context to its delivery."""

    outbox_event = Integer(index=True)  # the OutboxMessage it came from
    kind = Varchar(length=40)
    recipient = ForeignKey(Person, index=True)
    to_address = Varchar(length=254)
    ticket = ForeignKey(Ticket, null=True, index=True)
    department = Varchar(length=32, default="")
    #: everything the templates may show, computed (and permission-checked) when queued
    context = JSON(default={})
    message_id = Varchar(length=255, unique=True)
    status = Varchar(length=16, default="pending", index=True)  # pending, sent, failed
    attempts = Integer(default=0)
    available_at = Timestamptz(default=TimestamptzNow(), index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    sent_at = Timestamptz(null=True, default=None)
    subject = Varchar(length=300, default="")  # as last rendered, for the admin list
    last_error = Text(default="")


class MailTemplateOverride(Table, tablename="mail_template_override"):
    """An admin's replacement of one notification's subject, text and/or HTML
    template (an empty part keeps the default)."""

    kind = Varchar(length=40, unique=True)
    subject = Text(default="")
    text = Text(default="")
    html = Text(default="")
    updated_at = Timestamptz(default=TimestamptzNow())
    updated_by = ForeignKey(Person, null=True)


class NotificationPreference(Table, tablename="mail_preference"):
    """Whether a person gets one kind of notification (no row: the default, yes)."""

    person = ForeignKey(Person, index=True)
    kind = Varchar(length=40)
    enabled = Boolean(default=True)
