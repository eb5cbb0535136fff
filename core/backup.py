"""Backup and restore of the SQLite database (PostgreSQL has its own tools).

`backup_sqlite` copies the live database with SQLite's online backup API: the
copy is one consistent snapshot even while the server keeps writing (in WAL
mode the copy is a reader and blocks no writer). `restore_sqlite` checks a
file really is a Polydesk database before it touches anything, keeps the
current database aside and swaps the new one in with an atomic rename.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from polydesk.core.errors import PolydeskError

#: Tables every Polydesk database has had since its first migration.
REQUIRED_TABLES = ("migration", "person", "ticket", "timeline_event", "department_counter")
BEFORE_RESTORE_SUFFIX = ".before-restore"

PG_DUMP = 'pg_dump --format=custom --file=FILE "$DATABASE_URL"'
PG_RESTORE = 'pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" FILE'


class BackupError(PolydeskError):
    """A backup or restore was refused; nothing was changed."""


class ConfirmationRequired(BackupError):
    """Restoring would replace an existing database and `--yes` was not given."""


@dataclass(frozen=True)
class DatabaseSummary:
    """What a checked database holds, to tell the operator."""

    path: Path
    tickets: int
    people: int
    migrations: int


def postgres_advice() -> str:
    """What to use instead on PostgreSQL, with the exact commands."""
    return (
        "polydesk backup and restore handle the SQLite database only. On PostgreSQL "
        f"use its own tools:\n  backup:  {PG_DUMP}\n  restore: {PG_RESTORE}\n"
        "then run `polydesk migrate` to bring a restored older database up to date."
    )


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rwc'}"
    connection = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
    try:
        yield connection
    finally:
        connection.close()


def _fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (the directory entry is data too)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy(source: Path, target: Path, *, live: bool = False) -> None:
    """Copy `source` into a new self-contained file `target` (rollback journal,
    so the copy is one file), synced to disk. Only a `live` database (in WAL
    mode, maybe without its shared-memory file yet) is opened for writing."""
    target.unlink(missing_ok=True)
    with _connect(source, read_only=not live) as src, _connect(target) as dst:
        # pages=-1: one step, so the copy is a single snapshot of the source.
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())


def check_database(path: Path) -> DatabaseSummary:
    """Raise `BackupError` unless `path` is an intact Polydesk SQLite database."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise BackupError(f"{path} is not a SQLite database.")
    try:
        with _connect(path, read_only=True) as conn:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                raise BackupError(f"{path} is damaged: {'; '.join(result[:5])}")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            missing = [t for t in REQUIRED_TABLES if t not in tables]
            if missing:
                raise BackupError(
                    f"{path} is a SQLite database but not Polydesk's "
                    f"(no table {', '.join(missing)})."
                )
            migrations = conn.execute(
                "SELECT count(*) FROM migration WHERE app_name = 'core'"
            ).fetchone()[0]
            if not migrations:
                raise BackupError(f"{path} has no Polydesk migrations recorded.")
            return DatabaseSummary(
                path=path,
                tickets=conn.execute("SELECT count(*) FROM ticket").fetchone()[0],
                people=conn.execute("SELECT count(*) FROM person").fetchone()[0],
                migrations=migrations,
            )
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is damaged or unreadable: {exc}") from exc


def backup_sqlite(database: Path, target: Path) -> DatabaseSummary:
    """Write a consistent copy of the live `database` to `target`.

    Safe while the server runs and writes. The copy is written next to
    `target` under a temporary name, checked, then renamed over `target`, so a
    failed backup never leaves a half-written file where a good one was.
    """
    database, target = database.resolve(), target.resolve()
    if not database.exists():
        raise BackupError(f"There is no database at {database}; run `polydesk migrate` first.")
    if target == database:
        raise BackupError("The backup file cannot be the database itself.")
    if target.is_dir():
        raise BackupError(f"{target} is a directory; give a file name.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    partial = target.with_name(f".{target.name}.partial")
    try:
        _copy(database, partial, live=True)
        summary = check_database(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    _fsync_dir(target.parent)
    return DatabaseSummary(target, summary.tickets, summary.people, summary.migrations)


def restore_sqlite(backup: Path, database: Path, *, confirmed: bool) -> DatabaseSummary:
    """Replace `database` with the Polydesk backup `backup`.

    Checks the backup first (integrity, Polydesk's tables): a bad file changes
    nothing. An existing database needs `confirmed`; it is kept beside the new
    one as `<name>.before-restore`. The swap is an atomic rename. The caller
    runs the migrations afterwards, so a backup from an older version works.
    Stop the server first: connections it holds would keep the old file.
    """
    backup, database = backup.resolve(), database.resolve()
    if backup == database:
        raise BackupError("The backup file is the database itself.")
    check_database(backup)
    if database.exists() and not confirmed:
        raise ConfirmationRequired(
            f"{database} exists and would be replaced (it is kept as "
            f"{database.name}{BEFORE_RESTORE_SUFFIX}). Stop the server, then run "
            "again with --yes."
        )
    database.parent.mkdir(parents=True, exist_ok=True)
    incoming = database.with_name(f".{database.name}.restoring")
    try:
        # A private copy, so the backup file itself is never modified, and a
        # check of that copy: what is swapped in is exactly what was checked.
        _copy(backup, incoming)
        summary = check_database(incoming)
        if database.exists():
            aside = database.with_name(database.name + BEFORE_RESTORE_SUFFIX)
            with _connect(database) as live:
                # Everything committed moves from the WAL into the file.
                live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            _copy(database, aside, live=True)
        os.replace(incoming, database)
    finally:
        incoming.unlink(missing_ok=True)
    # The old database's WAL and shared-memory files must not be applied to the
    # new file (the checkpoint above emptied them).
    for suffix in ("-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    _fsync_dir(database.parent)
    with _connect(database) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
    return DatabaseSummary(database, summary.tickets, summary.people, summary.migrations)
