"""SLA clocks: one row per ticket and metric, derived from the ticket's timeline."""

from piccolo.columns import JSON, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

import polydesk.core.db  # noqa: F401
from polydesk.core.tickets.tables import Ticket


class SLAClock(Table, tablename="sla_clock"):
    """The stored result of computing one clock from its facts.

    `due_at`, `warn_at`, `status` and `met_at` are recomputed whenever an input
    changes (state, priority, first reply, calendar); `warned_at` and
    `breached_at` record that the scheduler fired the event, exactly once.
    """

    ticket = ForeignKey(references=Ticket, index=True)
    metric = Varchar(length=16)  # first_response | resolution
    policy = Varchar(length=64)
    calendar = Varchar(length=64)
    target_minutes = Integer()
    started_at = Timestamptz()
    due_at = Timestamptz(null=True, default=None)  # None while paused or stopped early
    warn_at = Timestamptz(null=True, default=None)
    status = Varchar(length=16)  # running | paused | met | cancelled
    elapsed_minutes = Integer(default=0)  # business minutes used when last computed
    met_at = Timestamptz(null=True, default=None)
    warned_at = Timestamptz(null=True, default=None)
    breached_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class SLAOverride(Table, tablename="sla_override"):
    """An admin's edit of a plugin's calendar or policy, applied over its default.

    `kind` is "calendar" or "policy"; `config` holds the edited fields in the
    shape of the spec (validated before it is saved). Deleting the row restores
    the plugin's default.
    """

    kind = Varchar(length=16)
    key = Varchar(length=64)
    config = JSON(default={})
    updated_at = Timestamptz(default=TimestamptzNow())
    updated_by = Varchar(length=150, default="")
