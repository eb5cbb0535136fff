"""Inbound mail tables: the department mailboxes and every message received.

`ReceivedMessage.message_id` is unique: a message is recorded in the same
transaction as the ticket or reply it produced, so a second delivery of the
same message (an SMTP retry, an IMAP re-fetch after a crash) fails on the
constraint instead of creating a second ticket.
"""

from piccolo.columns import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

import polydesk.core.db  # noqa: F401
from polydesk.core.tickets.tables import Ticket


class Mailbox(Table, tablename="mail_mailbox"):
    """One address a department receives mail at, and what a new message becomes."""

    address = Varchar(length=254, unique=True)  # stored lower-case
    department = Varchar(length=32)
    request_type = Varchar(length=100)
    #: form values every ticket from this mailbox gets (validated against the form on save)
    form_defaults = JSON(default={})
    #: "anyone", "known" (people Polydesk knows by address) or "domains"
    senders = Varchar(length=16, default="known")
    allowed_domains = Text(default="")  # one per line, when senders == "domains"
    #: a reply to a ticket the sender may not see: "new_ticket" or "reject"
    unauthorised_reply = Varchar(length=16, default="new_ticket")
    enabled = Boolean(default=True)
    imap_host = Varchar(length=255, default="")  # empty: no IMAP polling
    imap_port = Integer(default=993)
    imap_username = Varchar(length=255, default="")
    #: the NAME of the environment variable holding the password, never the password
    imap_password_env = Varchar(length=100, default="")
    imap_ca_file = Varchar(length=500, default="")  # empty: the system's CAs
    imap_folder = Varchar(length=100, default="INBOX")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ReceivedMessage(Table, tablename="mail_received_message"):
    """One message received, by Message-ID (or a hash when it has none), and what
    became of it: a ticket, a reply, or why it was dropped or refused."""

    message_id = Varchar(length=255, unique=True)
    mailbox = ForeignKey(Mailbox, null=True)
    ticket = ForeignKey(Ticket, null=True, index=True)
    sender = Varchar(length=254, default="", index=True)  # lower-case address
    outcome = Varchar(length=32)
    detail = Varchar(length=500, default="")
    received_at = Timestamptz(default=TimestamptzNow(), index=True)
