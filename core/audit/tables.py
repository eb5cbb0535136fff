"""Audit events: one row per admin action, never edited or deleted by Polydesk."""

from piccolo.columns import JSON, ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

import polydesk.core.db  # noqa: F401  (sets PICCOLO_CONF before tables resolve their engine)
from polydesk.core.people.tables import Person


class AuditEvent(Table, tablename="audit_event"):
    at = Timestamptz()
    #: the person who acted; None for the command line and Polydesk itself
    actor = ForeignKey(
        references=Person, null=True, default=None, on_delete=OnDelete.set_null, index=True
    )
    #: the actor's username at the time, or "cli" / "system"
    actor_name = Varchar(length=150)
    action = Varchar(length=64, index=True)
    #: what was acted on, e.g. "person:alice", "plugin:it", "policy:it.incident"
    target = Varchar(length=200, default="")
    #: what changed (before/after where cheap); never a secret
    changes = JSON(default={})
    client_address = Varchar(length=64, default="")
