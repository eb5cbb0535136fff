"""A Litestar `Store` on the `web_session` table, so sessions are shared by every
worker and logout ends a session everywhere; and session rotation at login."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.base import Store
from litestar.types import Empty, Message, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items

from polydesk.core.people.tables import WebSession


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class DatabaseSessionStore(Store):
    async def set(
        self, key: str, value: str | bytes, expires_in: int | dt.timedelta | None = None
    ) -> None:
        data = value.encode() if isinstance(value, str) else value
        expires_at = None
        if expires_in is not None:
            seconds = (
                expires_in.total_seconds() if isinstance(expires_in, dt.timedelta) else expires_in
            )
            expires_at = _now() + dt.timedelta(seconds=seconds)
        await WebSession.raw(
            "INSERT INTO web_session (key, data, expires_at, meta) VALUES ({}, {}, {}, {}) "
            "ON CONFLICT (key) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
            key,
            data,
            expires_at,
            "{}",
        )

    async def get(self, key: str, renew_for: int | dt.timedelta | None = None) -> bytes | None:
        row = (
            await WebSession.select(WebSession.data, WebSession.expires_at)
            .where(WebSession.key == key)
            .first()
        )
        if row is None:
            return None
        if row["expires_at"] is not None and row["expires_at"] <= _now():
            await self.delete(key)
            return None
        if renew_for is not None and row["expires_at"] is not None:
            seconds = (
                renew_for.total_seconds() if isinstance(renew_for, dt.timedelta) else renew_for
            )
            await WebSession.update(
                {WebSession.expires_at: _now() + dt.timedelta(seconds=seconds)}
            ).where(WebSession.key == key)
        return bytes(row["data"])

    async def renew(self, key: str, value: bytes, expires_in: int | None) -> bool:
        """Save `value` under `key` only while that session exists; False when a
        login or logout ended it meanwhile (it is not brought back)."""
        expires_at = None if expires_in is None else _now() + dt.timedelta(seconds=expires_in)
        rows = (
            await WebSession.update({WebSession.data: value, WebSession.expires_at: expires_at})
            .where(WebSession.key == key)
            .returning(WebSession.id)
        )
        return bool(rows)

    async def delete(self, key: str) -> None:
        await WebSession.delete().where(WebSession.key == key)

    async def delete_all(self) -> None:
        await WebSession.delete(force=True)

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        row = await WebSession.select(WebSession.expires_at).where(WebSession.key == key).first()
        if row is None or row["expires_at"] is None:
            return None
        return int((row["expires_at"] - _now()).total_seconds())

    async def delete_expired(self) -> int:
        """Remove expired sessions; returns how many."""
        rows = (
            await WebSession.delete().where(WebSession.expires_at < _now()).returning(WebSession.id)
        )
        return len(rows)


#: Set in the request scope by `rotate_session`: the new session id to answer with.
_ROTATED = "polydesk.session.rotated_id"


def rotate_session(request: ASGIConnection, data: dict[str, Any]) -> None:
    """Start `data` under a new session id and end the one the browser held.

    Called at login, so an id the browser held before (a previous login's, or
    one an attacker planted) never identifies the person who logs in.
    """
    request.scope[_ROTATED] = secrets.token_hex(32)  # type: ignore[literal-required]
    request.set_session(data)


class RotatingSessionBackend(ServerSideSessionBackend):
    """Litestar's server-side sessions keep the id from the cookie for as long as
    it exists, and store an empty session for every visitor. This one answers
    with a new id when the session was rotated (deleting the old one), stores
    and sends nothing while nobody is logged in, and renews a logged-in session
    only while it still exists."""

    def get_session_id(self, connection: ASGIConnection) -> str:
        return connection.scope.get(_ROTATED) or super().get_session_id(connection)  # type: ignore[return-value]

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection
    ) -> None:
        cookie = connection.cookies.get(self.config.key)
        held = cookie if cookie and cookie != "null" else None
        store = self.config.get_store_from_app(connection.scope["app"])
        if connection.scope.get(_ROTATED):
            if held:
                await self.delete(held, store=store)
        elif scope_session is not Empty and not scope_session:
            # Nobody is logged in: store nothing (no row per anonymous visitor)
            # and send no cookie. Not even one deleting an id that identifies
            # nobody: the answer to a request sent with the id a login just
            # rotated away can arrive after the login's answer, and would delete
            # the new session's cookie (the next page asked to log in again).
            # Logging out (an Empty session) still deletes the cookie.
            return
        elif scope_session is not Empty and held and isinstance(store, DatabaseSessionStore):
            # A logged-in request: renew its session, but only while it exists. A
            # late answer for an id a login or logout has ended meanwhile neither
            # brings the session back nor sets its cookie over the new one.
            data = self.serialize_data(scope_session, connection.scope)
            max_age = int(self.config.max_age) if self.config.max_age is not None else None
            if await store.renew(held, data, max_age):
                params = extract_dataclass_items(
                    self.config, exclude_none=True, include=Cookie.__dict__.keys()
                )
                MutableScopeHeaders.from_message(message).add(
                    "Set-Cookie",
                    Cookie(value=held, key=self.config.key, **dict(params)).to_header(header=""),
                )
            return
        await super().store_in_message(scope_session, message, connection)


@dataclass
class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend
