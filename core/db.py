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
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
    return SQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT)


def plugin_piccolo_apps(settings: Settings) -> list[str]:
    """Dotted paths of every loaded plugin's Piccolo app."""
    from polydesk.core.pluginmanager import create_plugin_manager

    pm = create_plugin_manager(blocked=settings.disabled_plugins)
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
