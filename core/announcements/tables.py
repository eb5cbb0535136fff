"""Announcements: one row per notice a department posts on its portal."""

from piccolo.columns import ForeignKey, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

import polydesk.core.db  # noqa: F401
from polydesk.core.people.tables import Person


class Announcement(Table, tablename="announcement"):
    """A notice shown on a department's portal between `starts_at` and `ends_at`."""

    department = Varchar(length=32, index=True)
    title = Varchar(length=200)
    body = Text(default="")  # plain text, escaped when shown
    link = Varchar(length=500, default="")
    severity = Varchar(length=16, default="info")  # info, warning, outage
    starts_at = Timestamptz(default=TimestamptzNow())
    ends_at = Timestamptz(null=True, default=None)
    author = ForeignKey(references=Person, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
