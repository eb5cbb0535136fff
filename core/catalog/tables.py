"""Departments and request types as synced from the Registry, with admin settings."""

from piccolo.columns import Boolean, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

import polydesk.core.db  # noqa: F401


class DepartmentRecord(Table, tablename="department"):
    slug = Varchar(length=32, unique=True)
    name = Varchar(length=100)
    plugin = Varchar(length=100)
    key_prefix = Varchar(length=10)
    synced_at = Timestamptz(default=TimestamptzNow())


class RequestTypeRecord(Table, tablename="request_type"):
    key = Varchar(length=64, unique=True)
    department = Varchar(length=32, index=True)
    name = Varchar(length=200)
    confidential = Boolean(default=False)
    hidden = Boolean(default=False)  # an admin can hide a type from the catalog
    synced_at = Timestamptz(default=TimestamptzNow())
