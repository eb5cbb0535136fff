"""Database engine set-up for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
from urllib.parse import unquote, urlparse

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from polydesk.core.settings import Settings

# Tables find their engine through Piccolo's engine_finder, which reads this.
os.environ.setdefault("PICCOLO_CONF", "polydesk.core.piccolo_conf")

#: Seconds a writer waits for SQLite's lock before giving up.
SQLITE_BUSY_TIMEOUT = 30


class DurableSQLiteConnection(sqlite3.Connection):
    """A SQLite connection with Polydesk's settings, applied as it opens.

    Piccolo opens a connection per query or transaction (through aiosqlite,
    which hands its keyword arguments to `sqlite3.connect`), so the settings
    that SQLite keeps per connection are applied here, where no path can miss
    them:

    - `synchronous=FULL`: in WAL mode a commit is acknowledged only after the
      WAL is synced to disk, so an acknowledged commit survives a power loss or
      the OS dying (with NORMAL it survives a crash of the process only);
    - `foreign_keys=ON`: SQLite ignores foreign keys unless told;
    - `busy_timeout`: writers wait for the lock instead of failing at once
      (the `timeout` argument sets it; repeated here so it is visible).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.execute("PRAGMA synchronous = FULL")
        self.execute("PRAGMA foreign_keys = ON")
        self.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT * 1000}")


def create_engine(settings: Settings) -> Engine:
    """PostgreSQL when `DATABASE_URL` says so, else a SQLite file in WAL mode."""
    if settings.is_postgres:
        url = urlparse(settings.database_url)
        return PostgresEngine(
            config={
                "host": url.hostname or "127.0.0.1",
                "port": url.port or 5432,
                "user": unquote(url.username or ""),
                "password": unquote(url.password or ""),
                "database": url.path.lstrip("/"),
            }
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.sqlite_path
    # WAL lets readers work while one writer commits; it is a property of the
    # file, so setting it once here holds for every later connection.
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()
    from polydesk.core.sqlite_pool import PooledSQLiteEngine

    # Reuses connections once the web app starts its pool (POLYDESK_DB_POOL).
    return PooledSQLiteEngine(
        path=str(path), timeout=SQLITE_BUSY_TIMEOUT, factory=DurableSQLiteConnection
    )


def plugin_piccolo_apps(settings: Settings) -> list[str]:
    """Dotted paths of every loaded plugin's Piccolo app."""
    from polydesk.core.pluginmanager import create_plugin_manager

    pm = create_plugin_manager(blocked=settings.disabled_plugins, modules=settings.plugin_modules)
    apps: list[str] = []
    for result in pm.hook.polydesk_register_piccolo_apps():
        apps.extend(result or [])
    return apps


def transaction():
    """A write transaction on the configured engine.

    On SQLite it is BEGIN IMMEDIATE: the write lock is taken up front, so two
    writers queue on the busy timeout instead of failing to upgrade a read lock.
    Nested calls join the outer transaction.
    """
    from polydesk.core.tickets.tables import Ticket

    engine = Ticket._meta.db
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


def is_postgres_engine() -> bool:
    from polydesk.core.tickets.tables import Ticket

    return isinstance(Ticket._meta.db, PostgresEngine)
