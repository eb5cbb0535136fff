"""A Litestar `Store` on the `web_session` table, so sessions are shared by every
worker and logout ends a session everywhere."""

from __future__ import annotations

import datetime as dt

from litestar.stores.base import Store

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
