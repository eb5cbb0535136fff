"""People, their department roles and teams, API tokens and web sessions."""

from piccolo.columns import (
    JSON,
    Boolean,
    Bytea,
    ForeignKey,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

import polydesk.core.db  # noqa: F401  (sets PICCOLO_CONF before tables resolve their engine)


class Person(Table, tablename="person"):
    username = Varchar(length=150, unique=True)
    display_name = Varchar(length=200)
    email = Varchar(length=254, default="", index=True)
    password_hash = Varchar(length=200, default="")
    is_admin = Boolean(default=False)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    #: who approves this person's requests when a rule says "the manager"
    manager = ForeignKey(references="self", null=True, default=None)
    #: chosen language (e.g. "pl", "zh_Hans"); "" = the browser's, else the organisation's
    locale = Varchar(length=16, default="")
    #: IANA time zone (e.g. "Europe/Warsaw"); "" = the organisation's default
    timezone = Varchar(length=64, default="")


class Membership(Table, tablename="membership"):
    """A person's role in one department (unique per person and department)."""

    person = ForeignKey(references=Person, index=True)
    department = Varchar(length=32, index=True)
    role = Varchar(length=16)


class TeamMembership(Table, tablename="team_membership"):
    """Membership of a named team inside a department (e.g. HR's case team)."""

    person = ForeignKey(references=Person, index=True)
    department = Varchar(length=32)
    team = Varchar(length=64)


class ApiToken(Table, tablename="api_token"):
    """A script's credential. Only the SHA-256 of the token is stored."""

    person = ForeignKey(references=Person, index=True)
    name = Varchar(length=100)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class WebSession(Table, tablename="web_session"):
    """Server-side session data, so any worker can serve any browser and logout
    ends the session for all of them."""

    key = Varchar(length=128, unique=True)
    data = Bytea()
    expires_at = Timestamptz(null=True, default=None, index=True)
    meta = JSON(default={})


class LoginFailure(Table, tablename="login_failure"):
    """A failed login, kept while it counts towards a lock (per username and per
    client address). In the database, so every worker sees the same count."""

    username = Varchar(length=150, index=True)
    client_address = Varchar(length=64, index=True)
    at = Timestamptz(index=True)


class LoginLock(Table, tablename="login_lock"):
    """A username refused until `locked_until`, whatever the password.

    By username rather than by person, so an unknown name locks exactly like a
    real one and the lock tells an attacker nothing."""

    username = Varchar(length=150, unique=True)
    locked_until = Timestamptz()
    locked_at = Timestamptz()
