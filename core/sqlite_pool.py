"""Reused SQLite connections for the web server.

Piccolo's SQLite engine opens a new connection for every statement outside a
transaction, and for every transaction: through aiosqlite that is a new thread,
`sqlite3.connect`, Polydesk's per-connection pragmas and a close — about seven
hand-offs between the event loop and a thread for one SELECT. A page that runs
fifteen queries spent most of its time there (benchmarks/RESULTS.md).

`PooledSQLiteEngine` keeps a few open connections instead, once the app has
started its pool (`start_connection_pool()`, as on PostgreSQL, when
`POLYDESK_DB_POOL` is on). Without a started pool, and on any other event loop
than the one that started it, it behaves exactly like Piccolo's engine, so the
command line, migrations and tests are unchanged.

Every connection is still opened by `DurableSQLiteConnection` (synchronous=FULL,
foreign keys, busy timeout). A statement outside a transaction is committed
before its connection goes back; a connection whose statement or transaction
failed is closed rather than reused, so nothing half-done is ever handed on.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import (
    SQLiteEngine,
    SQLiteTransaction,
    TransactionType,
    dict_factory,
)

#: Idle connections kept per worker; more are opened under load and closed after.
POOL_SIZE = 8


class PooledSQLiteTransaction(SQLiteTransaction):
    """A transaction on a pooled connection, handed back when it ends cleanly.

    Write transactions (BEGIN IMMEDIATE) of one worker take turns on an asyncio
    lock before asking SQLite for its write lock: waiting in SQLite's busy
    handler means sleeping in growing steps (up to 100 ms) and retrying, which
    gave ticket creation a p95 of 800 ms with four clients on one worker.
    Other workers (processes) still queue on the busy timeout.
    """

    __slots__ = ("_turn",)

    async def get_connection(self) -> aiosqlite.Connection:
        return await self.engine.acquire()  # type: ignore[attr-defined]

    async def __aenter__(self) -> SQLiteTransaction:
        if self._parent is not None:
            return self._parent
        self._turn = None
        if self.transaction_type != TransactionType.deferred:
            self._turn = self.engine.write_turn()  # type: ignore[attr-defined]
        if self._turn is not None:
            await self._turn.acquire()
        try:
            self.connection = await self.get_connection()
            try:
                await self.begin()
            except BaseException:
                # Failed, or cancelled (Litestar cancels a request's other
                # dependencies when one raises): the BEGIN IMMEDIATE may still
                # run in the connection's thread and take SQLite's write lock.
                # Forgotten, the connection held it until garbage collection and
                # every writer waited out the busy timeout; it is closed instead.
                self.engine.discard(self.connection)  # type: ignore[attr-defined]
                raise
        except BaseException:
            if self._turn is not None:
                self._turn.release()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        reusable = False
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
            reusable = not self.connection.in_transaction
        finally:
            self.engine.current_transaction.reset(self.context)
            try:
                await self.engine.release(self.connection, reusable=reusable)  # type: ignore[attr-defined]
            finally:
                if self._turn is not None:
                    self._turn.release()
        return exception is None


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, reusing connections once the pool is started."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._idle: list[aiosqlite.Connection] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._writer: asyncio.Lock | None = None

    # -- the pool -----------------------------------------------------------

    async def start_connection_pool(self, **_: Any) -> None:
        self._idle = []
        self._loop = asyncio.get_running_loop()
        self._writer = asyncio.Lock()

    async def close_connection_pool(self) -> None:
        idle, self._idle, self._loop, self._writer = self._idle or [], None, None, None
        for connection in idle:
            await connection.close()

    def _pooled(self) -> bool:
        if self._idle is None:
            return False
        try:
            return asyncio.get_running_loop() is self._loop
        except RuntimeError:
            return False

    def write_turn(self) -> asyncio.Lock | None:
        """This worker's turn for write transactions (None without a started pool)."""
        return self._writer if self._pooled() else None

    async def acquire(self) -> aiosqlite.Connection:
        if self._pooled() and self._idle:
            return self._idle.pop()
        return await self.get_connection()

    async def release(self, connection: aiosqlite.Connection, *, reusable: bool) -> None:
        if reusable and self._pooled() and len(self._idle or []) < POOL_SIZE:
            self._idle.append(connection)  # type: ignore[union-attr]
        else:
            await connection.close()

    def discard(self, connection: aiosqlite.Connection) -> None:
        """Close `connection` once its thread has run what it was given (rolling
        back any transaction), without waiting: safe in a cancelled task."""
        connection.stop()

    async def get_connection(self) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(**self.connection_kwargs)
        connection.row_factory = dict_factory  # type: ignore[assignment]
        return connection  # foreign keys: DurableSQLiteConnection turned them on

    # -- statements -----------------------------------------------------------

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        if not self._pooled():
            return await super()._run_in_new_connection(query, args, query_type, table)
        connection = await self.acquire()
        reusable = False
        try:
            # Rows first, then commit: RETURNING rows must be read before the commit.
            rows = await connection.execute_fetchall(query, args or [])
            if connection.in_transaction:
                await connection.commit()
            reusable = True
            return list(rows)
        finally:
            await self.release(connection, reusable=reusable)

    async def _run_in_existing_connection(
        self,
        connection: Any,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        if not self._pooled():
            return await super()._run_in_existing_connection(
                connection, query, args, query_type, table
            )
        # Piccolo re-sends PRAGMA foreign_keys before every statement; the
        # connection factory set it once, so one hand-off per statement is enough.
        return list(await connection.execute_fetchall(query, args or []))

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
    ) -> SQLiteTransaction:
        if not self._pooled():
            return super().transaction(transaction_type, allow_nested)
        return PooledSQLiteTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )
