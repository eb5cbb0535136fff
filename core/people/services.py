"""People, roles and credentials: argon2 passwords, hashed API tokens, actors."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from polydesk.core.audit.services import Author, record
from polydesk.core.db import transaction
from polydesk.core.errors import NotFound, ValidationFailed
from polydesk.core.i18n import gettext as _
from polydesk.core.people.tables import ApiToken, Membership, Person, TeamMembership
from polydesk.core.permissions import Actor
from polydesk.core.specs import ROLES

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("polydesk-no-such-user")
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")
TOKEN_PREFIX = "pd_"
MIN_PASSWORD = 8
TOKEN_USE_RESOLUTION = dt.timedelta(minutes=5)
MAX_TOKEN_NAME = 100


def no_such_person() -> NotFound:
    """The error for a person id that does not exist (the same words everywhere)."""
    return NotFound(_("No such person."))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


async def create_person(
    username: str,
    display_name: str,
    *,
    email: str = "",
    password: str | None = None,
    is_admin: bool = False,
    author: Author | None = None,
    details: Mapping[str, Any] | None = None,
) -> int:
    """Create a person; returns the id. Refuses a taken or malformed username.

    With an `author` the creation is audited (``person.created``, with `details`
    such as the roles given at once)."""
    errors: dict[str, str] = {}
    if not _USERNAME.match(username):
        errors["username"] = _(
            "Use 2–63 lower-case letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit."
        )
    if not display_name.strip():
        errors["display_name"] = _("A name is required.")
    if password is not None and len(password) < MIN_PASSWORD:
        errors["password"] = _("Use at least %(min)s characters.", min=MIN_PASSWORD)
    if not errors and await Person.exists().where(Person.username == username):
        errors["username"] = _("This username is taken.")
    if errors:
        raise ValidationFailed(errors)
    async with transaction():
        rows = await Person.insert(
            Person(
                username=username,
                display_name=display_name.strip(),
                email=email,
                password_hash=hash_password(password) if password else "",
                is_admin=is_admin,
            )
        ).returning(Person.id)
        if author is not None:
            after = {
                "username": username,
                "display_name": display_name.strip(),
                "email": email,
                "is_admin": is_admin,
                **(details or {}),
            }
            await record(author, "person.created", f"person:{username}", {"after": after})
    return rows[0]["id"]


async def person_id(username: str) -> int:
    row = await Person.select(Person.id).where(Person.username == username).first()
    if row is None:
        raise NotFound(_("No person named %(name)s.", name=repr(username)))
    return row["id"]


async def set_role(person: int, department: str, role: str | None) -> None:
    """Give a person a role in a department, or remove it with `role=None`."""
    if role is not None and role not in ROLES:
        raise ValidationFailed({"role": _("Choose one of: %(choices)s.", choices=", ".join(ROLES))})
    async with transaction():
        await Membership.delete().where(
            (Membership.person == person) & (Membership.department == department)
        )
        if role is not None:
            await Membership.insert(Membership(person=person, department=department, role=role))


async def add_to_team(person: int, department: str, team: str) -> None:
    if not await TeamMembership.exists().where(
        (TeamMembership.person == person)
        & (TeamMembership.department == department)
        & (TeamMembership.team == team)
    ):
        await TeamMembership.insert(TeamMembership(person=person, department=department, team=team))


# One statement finds the caller: the person row ("p"), its department roles
# ("r") and its teams ("t"), as rows of one UNION ALL over the `caller` CTE. A
# request pays one round trip for it instead of three (four with a token),
# and nothing is cached between requests: a role an admin removes is gone on
# the next one, whichever worker serves it.
_CALLER_ROWS = """
SELECT 'p' AS kind, c.username AS a, c.display_name AS b, c.locale AS c, c.timezone AS d,
       c.id AS id, c.is_admin AS is_admin, c.token AS token, c.last_used_at AS last_used_at
FROM caller c
UNION ALL
SELECT 'r', m.department, m.role, NULL, NULL, NULL, NULL, NULL, NULL
FROM membership m JOIN caller c ON m.person = c.id
UNION ALL
SELECT 't', tm.department, tm.team, NULL, NULL, NULL, NULL, NULL, NULL
FROM team_membership tm JOIN caller c ON tm.person = c.id"""
_PERSON_COLUMNS = "p.id, p.username, p.display_name, p.is_admin, p.locale, p.timezone"
_CALLER_BY_ID = f"""WITH caller AS (
    SELECT {_PERSON_COLUMNS}, NULL AS token, NULL AS last_used_at
    FROM person p WHERE p.id = {{}} AND p.active
){_CALLER_ROWS}"""
_CALLER_BY_TOKEN = f"""WITH caller AS (
    SELECT {_PERSON_COLUMNS}, t.id AS token, t.last_used_at AS last_used_at
    FROM api_token t JOIN person p ON p.id = t.person
    WHERE t.token_hash = {{}} AND t.revoked_at IS NULL AND p.active
){_CALLER_ROWS}"""


def _actor_from_rows(rows: list[dict[str, Any]]) -> tuple[Actor | None, dict[str, Any]]:
    """The Actor built from `_CALLER_ROWS` rows (None without a person row),
    and that person row."""
    person = next((r for r in rows if r["kind"] == "p"), None)
    if person is None:
        return None, {}
    actor = Actor(
        person_id=person["id"],
        username=person["a"],
        display_name=person["b"],
        # SQLite answers 0/1 here: column converters do not reach UNION columns.
        is_admin=bool(person["is_admin"]),
        roles={r["a"]: r["b"] for r in rows if r["kind"] == "r"},
        teams=frozenset((r["a"], r["b"]) for r in rows if r["kind"] == "t"),
        locale=person["c"] or "",
        timezone=person["d"] or "",
    )
    return actor, person


def _timestamp(value: dt.datetime | str | None) -> dt.datetime | None:
    """A timestamptz read through raw SQL: PostgreSQL gives a datetime, SQLite
    the stored text (in UTC, as Piccolo writes it)."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


async def load_actor(person: int) -> Actor | None:
    """The Actor for an active person, with roles and teams (one statement);
    None for an unknown or deactivated person."""
    actor, _row = _actor_from_rows(await Person.raw(_CALLER_BY_ID, person))
    return actor


async def actor_for_token(token: str) -> Actor | None:
    """The Actor an API token speaks for, found with one statement; None when
    the token is unknown or revoked or its person deactivated. Records the
    token's use (at most one write per `TOKEN_USE_RESOLUTION`)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    actor, row = _actor_from_rows(await Person.raw(_CALLER_BY_TOKEN, _token_hash(token)))
    if actor is not None:
        await _record_token_use(row["token"], _timestamp(row["last_used_at"]))
    return actor


async def _record_token_use(token_id: int, last_used_at: dt.datetime | None) -> None:
    now = dt.datetime.now(dt.UTC)
    # "Last used" to within a few minutes is enough; writing it on every call
    # would make each read-only API request a write (SQLite's one write lock).
    if last_used_at is None or now - last_used_at > TOKEN_USE_RESOLUTION:
        await ApiToken.update({ApiToken.last_used_at: now}).where(ApiToken.id == token_id)


async def authenticate(username: str, password: str) -> int | None:
    """The person id when the password matches an active person, else None."""
    row = (
        await Person.select(Person.id, Person.password_hash)
        .where((Person.username == username) & (Person.active == True))  # noqa: E712
        .first()
    )
    if row is None or not row["password_hash"]:
        _verify(_DUMMY_HASH, password)
        return None
    return row["id"] if _verify(row["password_hash"], password) else None


async def set_password(person: int, password: str, *, author: Author | None = None) -> None:
    """Set a new password; with an `author` (an admin's reset) it is audited,
    without the password."""
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(
            {"password": _("Use at least %(min)s characters.", min=MIN_PASSWORD)}
        )
    async with transaction():
        rows = (
            await Person.update({Person.password_hash: hash_password(password)})
            .where(Person.id == person)
            .returning(Person.username)
        )
        if author is not None and rows:
            await record(author, "person.password_reset", f"person:{rows[0]['username']}")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_api_token(person: int, name: str) -> str:
    """Create a token for scripts. The plain token is returned once and never stored."""
    return (await issue_api_token(person, name)).token


async def issue_api_token(person: int, name: str, *, author: Author | None = None) -> CreatedToken:
    """Create a token for scripts: its id, name and the plain token, returned once
    and never stored. With an `author` its creation is audited."""
    name = name.strip() or "token"
    if len(name) > MAX_TOKEN_NAME:
        raise ValidationFailed({"name": _("At most %(max)s characters.", max=MAX_TOKEN_NAME)})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with transaction():
        rows = await ApiToken.insert(
            ApiToken(person=person, name=name, token_hash=_token_hash(token))
        ).returning(ApiToken.id)
        if author is not None:
            await record(
                author,
                "token.created",
                f"person:{await _username(person)}",
                {"token_id": rows[0]["id"], "name": name},
            )
    return CreatedToken(rows[0]["id"], name, token)


@dataclass(frozen=True)
class CreatedToken:
    id: int
    name: str
    token: str  # the only time it is seen


async def _username(person: int) -> str:
    row = await Person.select(Person.username).where(Person.id == person).first()
    return row["username"] if row else str(person)


async def list_api_tokens(person: int) -> list[dict[str, Any]]:
    """The person's tokens, newest first, revoked ones included (never the hash)."""
    return await (
        ApiToken.select(
            ApiToken.id,
            ApiToken.name,
            ApiToken.created_at,
            ApiToken.last_used_at,
            ApiToken.revoked_at,
        )
        .where(ApiToken.person == person)
        .order_by(ApiToken.id, ascending=False)
    )


async def revoke_api_token(person: int, token_id: int, *, author: Author | None = None) -> None:
    """Revoke one of `person`'s tokens (NotFound when it is not theirs or already
    revoked); with an `author` it is audited."""
    async with transaction():
        updated = (
            await ApiToken.update({ApiToken.revoked_at: dt.datetime.now(dt.UTC)})
            .where(
                (ApiToken.id == token_id)
                & (ApiToken.person == person)
                & ApiToken.revoked_at.is_null()
            )
            .returning(ApiToken.id, ApiToken.name)
        )
        if not updated:
            raise NotFound(_("No such token."))
        if author is not None:
            await record(
                author,
                "token.revoked",
                f"person:{await _username(person)}",
                {"token_id": token_id, "name": updated[0]["name"]},
            )


async def set_manager(person: int, manager: int | None) -> None:
    """Say who approves `person`'s requests as their manager (None: nobody)."""
    if manager == person:
        raise ValidationFailed({"manager": _("Nobody is their own manager.")})
    if manager is not None and not await Person.exists().where(Person.id == manager):
        raise ValidationFailed({"manager": _("No such person.")})
    await Person.update({Person.manager: manager}).where(Person.id == person)


async def manager_of(username: str) -> str | None:
    """The username of the person's manager, if one is set."""
    row = (
        await Person.select(Person.manager.username.as_alias("manager"))
        .where(Person.username == username)
        .first()
    )
    return row["manager"] if row else None
