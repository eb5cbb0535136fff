"""Which plugins an admin has enabled, shared by every worker through the database."""

from piccolo.columns import JSON, Boolean, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

import polydesk.core.db  # noqa: F401


class PluginState(Table, tablename="plugin_state"):
    name = Varchar(length=100, unique=True)
    enabled = Boolean(default=True)
    version = Varchar(length=50, default="")
    settings = JSON(default={})
    updated_at = Timestamptz(default=TimestamptzNow())


class PluginStateRevision(Table, tablename="plugin_state_revision"):
    """A single row; bumped in the same transaction as any PluginState change, so a
    worker knows its view is stale by reading one integer."""

    revision = Integer(default=0)
