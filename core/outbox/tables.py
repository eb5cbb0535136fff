"""Events waiting to leave their transaction (plugin reactions, notifications)."""

from piccolo.columns import JSON, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

import polydesk.core.db  # noqa: F401


class OutboxMessage(Table, tablename="outbox_message"):
    event = Varchar(length=64)
    payload = JSON(default={})
    created_at = Timestamptz(default=TimestamptzNow())
    available_at = Timestamptz(default=TimestamptzNow())
    attempts = Integer(default=0)
    delivered_at = Timestamptz(null=True, default=None)
    failed_at = Timestamptz(null=True, default=None)  # gave up after MAX_ATTEMPTS
    last_error = Text(default="")
