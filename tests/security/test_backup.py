"""`polydesk backup` and `polydesk restore` of the SQLite database, as an operator runs them."""

from __future__ import annotations

import asyncio
import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from polydesk.core.backup import backup_sqlite
from polydesk.core.db import is_postgres_engine
from polydesk.core.tickets.services import TicketService

POLYDESK = str(Path(sys.executable).with_name("polydesk"))


def polydesk(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PICCOLO_CONF")}
    environ.update(POLYDESK_DATA_DIR=str(data_dir), **env)
    return subprocess.run(
        [POLYDESK, *args], capture_output=True, text=True, env=environ, timeout=180
    )


def rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def sqlite_only() -> None:
    if is_postgres_engine():
        pytest.skip(
            "backup and restore are SQLite commands; the SQLite run covers them (PostgreSQL: pg_dump)"
        )


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly migrated Polydesk database with no tickets, made by the CLI."""
    data_dir = tmp_path_factory.mktemp("empty")
    done = polydesk(data_dir, "migrate")
    assert done.returncode == 0, done.stderr
    return data_dir / "polydesk.sqlite3"


async def test_a_backup_taken_while_tickets_are_written_is_consistent_and_restorable(
    sqlite_only, runtime, people, settings, incident_form, tmp_path
):
    alice = await people.actor("alice")
    service = TicketService(await runtime.snapshot())
    stop = asyncio.Event()
    created = 0

    async def keep_writing() -> None:
        nonlocal created
        while not stop.is_set():
            await service.create(
                alice, request_type="it.incident", title=f"T{created}", form_data=incident_form()
            )
            created += 1

    writer = asyncio.create_task(keep_writing())
    while created < 5:
        await asyncio.sleep(0.01)
    backup = tmp_path / "desk.backup"
    # In a thread, so the writer keeps committing while the copy is taken.
    summary = await asyncio.to_thread(backup_sqlite, settings.sqlite_path, backup)
    await asyncio.sleep(0.2)
    stop.set()
    await writer
    assert 5 <= summary.tickets < created, "the copy was taken in the middle of the writes"

    # The copy is one self-contained, intact file...
    assert rows(backup, "PRAGMA integrity_check") == [("ok",)]
    assert rows(backup, "PRAGMA journal_mode") == [("delete",)]
    # ...and a snapshot: every ticket in it is whole (creation event, both clocks),
    # and the department counter agrees with the tickets.
    assert rows(
        backup,
        "SELECT count(*) FROM ticket t WHERE NOT EXISTS (SELECT 1 FROM timeline_event e "
        "WHERE e.ticket = t.id AND e.kind = 'created') "
        "OR (SELECT count(*) FROM sla_clock c WHERE c.ticket = t.id) != 2",
    ) == [(0,)]
    assert rows(backup, "SELECT last_number FROM department_counter WHERE department='it'") == [
        (summary.tickets,)
    ]

    # Restored into an empty data directory, it brings the tickets back.
    data_dir = tmp_path / "restored"
    done = polydesk(data_dir, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert f"Restored {summary.tickets} tickets" in done.stdout
    restored = data_dir / "polydesk.sqlite3"
    assert rows(restored, "SELECT count(*) FROM ticket") == [(summary.tickets,)]
    assert rows(restored, "PRAGMA journal_mode") == [("wal",)]


def test_restore_over_an_existing_database_needs_yes_and_keeps_the_old_one(
    sqlite_only, empty_db, tmp_path
):
    # A backup with a ticket in it: an empty database plus one row, via the CLI's copy.
    source = tmp_path / "source"
    source.mkdir()
    (source / "polydesk.sqlite3").write_bytes(empty_db.read_bytes())
    conn = sqlite3.connect(source / "polydesk.sqlite3")
    with conn:
        conn.execute("INSERT INTO person (username, display_name, email) VALUES ('ada', 'Ada', '')")
    conn.close()
    backup = tmp_path / "with-ada.backup"
    done = polydesk(source, "backup", str(backup))
    assert done.returncode == 0, done.stderr
    assert "1 people" in done.stdout

    live_dir = tmp_path / "live"
    assert polydesk(live_dir, "migrate").returncode == 0
    live = live_dir / "polydesk.sqlite3"
    before = rows(live, "SELECT username FROM person")
    refused = polydesk(live_dir, "restore", str(backup))
    assert refused.returncode != 0
    assert "--yes" in refused.stderr and "would be replaced" in refused.stderr
    assert rows(live, "SELECT username FROM person") == before == []

    done = polydesk(live_dir, "restore", str(backup), "--yes")
    assert done.returncode == 0, done.stderr
    assert rows(live, "SELECT username FROM person") == [("ada",)]
    aside = live_dir / "polydesk.sqlite3.before-restore"
    assert rows(aside, "SELECT username FROM person") == []
    assert rows(aside, "PRAGMA integrity_check") == [("ok",)]
    # The restored database serves the CLI as usual.
    assert polydesk(live_dir, "plugins", "list").returncode == 0


def test_a_backup_from_an_older_version_is_migrated_forwards(sqlite_only, empty_db, tmp_path):
    # An "older" database: one without the newest core table and its migrations.
    old = tmp_path / "old.backup"
    old.write_bytes(empty_db.read_bytes())
    conn = sqlite3.connect(old)
    with conn:
        conn.execute("DROP TABLE idempotency_key")
        conn.execute("DELETE FROM migration WHERE name LIKE '2026-11-23T04:04:1%'")
    conn.close()
    data_dir = tmp_path / "data"
    done = polydesk(data_dir, "restore", str(old))
    assert done.returncode == 0, done.stderr
    restored = data_dir / "polydesk.sqlite3"
    assert rows(restored, "SELECT count(*) FROM idempotency_key") == [(0,)]
    assert rows(restored, "SELECT count(*) FROM migration") == rows(
        empty_db, "SELECT count(*) FROM migration"
    )


@pytest.mark.parametrize("kind", ["text", "truncated", "not-polydesk", "missing"])
def test_a_bad_backup_is_refused_and_the_database_is_untouched(
    sqlite_only, empty_db, tmp_path, kind
):
    bad = tmp_path / "bad.backup"
    if kind == "text":
        bad.write_text("these are not the tickets you are looking for\n")
    elif kind == "truncated":
        bad.write_bytes(empty_db.read_bytes()[: 4096 * 3])
    elif kind == "not-polydesk":
        conn = sqlite3.connect(bad)
        with conn:
            conn.execute("CREATE TABLE notes (body TEXT)")
        conn.close()
    live_dir = tmp_path / "live"
    assert polydesk(live_dir, "migrate").returncode == 0
    live = live_dir / "polydesk.sqlite3"
    before = digest(live)
    done = polydesk(live_dir, "restore", str(bad), "--yes")
    assert done.returncode != 0
    expected = {
        "text": "is not a SQLite database",
        "truncated": "damaged",
        "not-polydesk": "not Polydesk's",
        "missing": "does not exist",
    }[kind]
    assert expected in done.stderr, done.stderr
    assert digest(live) == before
    assert not (live_dir / "polydesk.sqlite3.before-restore").exists()
    assert sorted(p.name for p in live_dir.iterdir() if "restor" in p.name) == []


def test_backup_refuses_to_overwrite_the_database_itself(sqlite_only, empty_db):
    done = polydesk(empty_db.parent, "backup", str(empty_db))
    assert done.returncode != 0 and "database itself" in done.stderr


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_on_postgresql_both_commands_point_at_pg_dump_and_pg_restore(tmp_path, command):
    done = polydesk(
        tmp_path,
        command,
        str(tmp_path / "x.dump"),
        DATABASE_URL="postgresql://nobody:secret@127.0.0.1:1/nowhere",
    )
    assert done.returncode != 0
    assert 'pg_dump --format=custom --file=FILE "$DATABASE_URL"' in done.stderr
    assert 'pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" FILE' in done.stderr
    assert not (tmp_path / "x.dump").exists()
