"""Failed-login throttling, in the database so every worker shares it.

Two limits, both over a sliding window (15 minutes by default):

- a username with too many failures (5) is locked for the lock time (15
  minutes): every attempt is refused, the right password too, and it is not
  even checked. Usernames are counted whether or not they exist, so a lock
  tells nobody whether an account is there.
- a client address with too many failures across usernames (30) must wait
  until its oldest counted failure leaves the window: password spraying stops.

Refused attempts are not counted, so hammering a lock does not prolong it. A
successful login forgets the username's failures; an admin can unlock one.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from polydesk.core.audit.services import SYSTEM, Author, record
from polydesk.core.db import transaction
from polydesk.core.errors import AuthenticationRequired, PolydeskError
from polydesk.core.i18n import N_, ngettext
from polydesk.core.i18n import gettext as _
from polydesk.core.people.services import authenticate
from polydesk.core.people.tables import LoginFailure, LoginLock
from polydesk.core.settings import Settings

#: English here; the message raised is translated into the request's language (the JSON
#: API is English).
WRONG = N_("Wrong username or password.")


@dataclass(frozen=True)
class LoginLimits:
    max_failures: int = 5
    max_failures_per_address: int = 30
    window: dt.timedelta = dt.timedelta(minutes=15)
    lock: dt.timedelta = dt.timedelta(minutes=15)

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginLimits:
        return cls(
            max_failures=settings.login_max_failures,
            max_failures_per_address=settings.login_max_failures_per_address,
            window=dt.timedelta(minutes=settings.login_window_minutes),
            lock=dt.timedelta(minutes=settings.login_lock_minutes),
        )


class LoginThrottled(PolydeskError):
    """Too many failed logins: refused without checking the password until
    `retry_after` seconds have passed. The message says the same whether the
    username exists or not."""

    def __init__(self, retry_after: dt.timedelta) -> None:
        self.retry_after = max(1, math.ceil(retry_after.total_seconds()))
        minutes = math.ceil(self.retry_after / 60)
        super().__init__(
            ngettext(
                "Too many failed logins. Try again in %(num)s minute.",
                "Too many failed logins. Try again in %(num)s minutes.",
                minutes,
            )
        )


def normalise(username: str) -> str:
    """The key failures are counted under: usernames are lower-case anyway."""
    return username.strip().lower()[:150]


async def lock_of(username: str, now: dt.datetime) -> dt.datetime | None:
    """When the lock on `username` ends, if it is locked now."""
    row = (
        await LoginLock.select(LoginLock.locked_until)
        .where(LoginLock.username == normalise(username))
        .first()
    )
    if row is None or row["locked_until"] <= now:
        return None
    return row["locked_until"]


async def _address_wait(address: str, now: dt.datetime, limits: LoginLimits) -> dt.timedelta | None:
    if not address:
        return None
    rows = (
        await LoginFailure.select(LoginFailure.at)
        .where((LoginFailure.client_address == address) & (LoginFailure.at > now - limits.window))
        .order_by(LoginFailure.at)
    )
    excess = len(rows) - limits.max_failures_per_address
    if excess < 0:
        return None
    # The address may try again once enough of its failures have left the window.
    return rows[excess]["at"] + limits.window - now


async def check(username: str, address: str, now: dt.datetime, limits: LoginLimits) -> None:
    """Raise `LoginThrottled` when `username` is locked or `address` must wait."""
    until = await lock_of(username, now)
    if until is not None:
        raise LoginThrottled(until - now)
    wait = await _address_wait(address, now, limits)
    if wait is not None:
        raise LoginThrottled(wait)


async def record_failure(
    username: str, address: str, now: dt.datetime, limits: LoginLimits
) -> LoginThrottled | None:
    """Count a failed login; lock the username when it reached the limit.

    Returns the refusal to show when this failure locked the username or used up
    the address's allowance, else None."""
    name = normalise(username)
    async with transaction():
        # Failures that left the window count for nothing, nor do locks that ended
        # before it began (they no longer bound the count below): forget them.
        await LoginFailure.delete().where(LoginFailure.at <= now - limits.window)
        await LoginLock.delete().where(LoginLock.locked_until <= now - limits.window)
        await LoginFailure.insert(LoginFailure(username=name, client_address=address[:64], at=now))
        since = now - limits.window
        previous = (
            await LoginLock.select(LoginLock.locked_until).where(LoginLock.username == name).first()
        )
        if previous is not None:
            # Failures from before an expired lock were paid for by that lock.
            since = max(since, previous["locked_until"])
        count = await LoginFailure.count().where(
            (LoginFailure.username == name) & (LoginFailure.at > since)
        )
        if count >= limits.max_failures:
            until = now + limits.lock
            await LoginLock.raw(
                "INSERT INTO login_lock (username, locked_until, locked_at) VALUES ({}, {}, {}) "
                "ON CONFLICT (username) DO UPDATE SET locked_until = excluded.locked_until, "
                "locked_at = excluded.locked_at",
                name,
                until,
                now,
            )
            await record(
                Author(SYSTEM.person_id, SYSTEM.name, address[:64]),
                "login.locked",
                f"username:{name}",
                {"failures": count, "locked_until": until.isoformat()},
                at=now,
            )
            return LoginThrottled(limits.lock)
    wait = await _address_wait(address, now, limits)
    return LoginThrottled(wait) if wait is not None else None


async def clear_failures(username: str) -> None:
    """Forget the username's failed logins (after a successful one)."""
    await LoginFailure.delete().where(LoginFailure.username == normalise(username))


async def unlock(username: str, author: Author, now: dt.datetime) -> bool:
    """Lift the lock on `username` and forget its failures; False when it was not
    locked (nothing is recorded then)."""
    name = normalise(username)
    async with transaction():
        removed = (
            await LoginLock.delete()
            .where((LoginLock.username == name) & (LoginLock.locked_until > now))
            .returning(LoginLock.id)
        )
        await LoginLock.delete().where(LoginLock.username == name)
        await LoginFailure.delete().where(LoginFailure.username == name)
        if removed:
            await record(author, "person.unlocked", f"person:{name}", at=now)
    return bool(removed)


async def log_in(
    username: str,
    password: str,
    *,
    client_address: str,
    now: dt.datetime,
    limits: LoginLimits,
) -> int:
    """The person id for a right password, unless the username or the address is
    throttled. Raises `LoginThrottled`, or `AuthenticationRequired` for a wrong
    username or password (the same words whether the username exists or not)."""
    await check(username, client_address, now, limits)
    person = await authenticate(username, password)
    if person is None:
        refusal = await record_failure(username, client_address, now, limits)
        if refusal is not None:
            raise refusal
        raise AuthenticationRequired(_(WRONG))
    await clear_failures(username)
    return person
