"""Tickets, their append-only timeline, links, approvals and key counters."""

from piccolo.columns import (
    JSON,
    Boolean,
    Bytea,
    ForeignKey,
    Integer,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

import polydesk.core.db  # noqa: F401
from polydesk.core.people.tables import Person


class Ticket(Table, tablename="ticket"):
    key = Varchar(length=32, unique=True)  # human key, e.g. IT-1042
    number = Integer()
    # No single-column indexes on department, requester, assignee and parent:
    # ticket_queue_idx, ticket_requester_created_idx, ticket_assignee_queue_idx
    # and ticket_children_idx lead with them (each index costs every INSERT).
    department = Varchar(length=32)
    request_type = Varchar(length=64, index=True)
    title = Varchar(length=200)
    description = Text(default="")
    form_data = JSON(default={})
    state = Varchar(length=40)
    state_category = Varchar(length=16)
    priority = SmallInt(default=3)
    requester = ForeignKey(references=Person)
    assignee = ForeignKey(references=Person, null=True)
    assignment_group = Varchar(length=64, default="")
    confidential_team = Varchar(length=64, null=True, default=None)
    parent = ForeignKey(references="self", null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    first_response_at = Timestamptz(null=True, default=None)
    resolved_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    # Never NULL, so queue ordering and keyset pages behave the same on SQLite
    # and PostgreSQL; tickets without a clock carry a far-future sentinel.
    sla_due_at = Timestamptz()
    version = Integer(default=1)


class TimelineEvent(Table, tablename="timeline_event"):
    """One entry of a ticket's history. Rows are inserted, never updated or deleted."""

    ticket = ForeignKey(references=Ticket, index=True)
    kind = Varchar(length=32)
    actor = ForeignKey(references=Person, null=True)
    public = Boolean(default=False)
    body = Text(default="")
    data = JSON(default={})
    ticket_version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())


class TicketLink(Table, tablename="ticket_link"):
    source = ForeignKey(references=Ticket, index=True)
    target = ForeignKey(references=Ticket, index=True)
    kind = Varchar(length=32)
    created_at = Timestamptz(default=TimestamptzNow())


class Approval(Table, tablename="approval"):
    """One approver's decision on a ticket; `step` orders sequential approvals."""

    ticket = ForeignKey(references=Ticket, index=True)
    step = SmallInt(default=1)
    approver = ForeignKey(references=Person, index=True)
    rule = Varchar(length=100, default="")
    #: The rule as a translatable `i18n.Message` (`to_data`) when a plugin wrote one.
    rule_message = JSON(default={})
    state = Varchar(length=16, default="pending")
    comment = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    decided_at = Timestamptz(null=True, default=None)


class DepartmentCounter(Table, tablename="department_counter"):
    """The last ticket number per department, bumped in the ticket's own transaction."""

    department = Varchar(length=32, unique=True)
    last_number = Integer(default=0)


class TicketRating(Table, tablename="ticket_rating"):
    """The requester's satisfaction with a resolved ticket (one per ticket)."""

    ticket = ForeignKey(references=Ticket, unique=True)
    person = ForeignKey(references=Person)
    score = SmallInt()  # 1 (very unhappy) to 5 (very happy)
    comment = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Attachment(Table, tablename="attachment"):
    """A file on a ticket, stored in the database so every worker can serve it.

    `filename` is what the uploader called it (shown, never used as a path);
    files are served only to people who may see the ticket, as downloads.
    """

    ticket = ForeignKey(references=Ticket, index=True)
    timeline_event = ForeignKey(references=TimelineEvent, null=True)
    filename = Varchar(length=255)
    content_type = Varchar(length=100)
    size = Integer()
    content = Bytea()
    sha256 = Varchar(length=64)
    uploaded_by = ForeignKey(references=Person, null=True)
    created_at = Timestamptz(default=TimestamptzNow())


class SavedQueue(Table, tablename="saved_queue"):
    """An agent's own view of the ticket list: a name and the list's filters."""

    person = ForeignKey(references=Person, index=True)
    name = Varchar(length=100)
    filters = JSON(default={})
    created_at = Timestamptz(default=TimestamptzNow())
