"""The ticket keyword-search index (polydesk.core.tickets.search).

SQLite: an FTS5 table over the ticket table's title and description (external
content, so the text is not stored twice), kept in step by triggers.
PostgreSQL: a narrow table of search vectors with a GIN index, kept in step by
a trigger. Both are filled from the existing tickets here.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

ID = "2026-11-23T04:52:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "ticket search index"

SQLITE = [
    "CREATE VIRTUAL TABLE ticket_fts USING fts5(title, description, content='ticket', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE TRIGGER ticket_fts_insert AFTER INSERT ON ticket BEGIN "
    "INSERT INTO ticket_fts (rowid, title, description) "
    "VALUES (new.id, new.title, new.description); END",
    "CREATE TRIGGER ticket_fts_update AFTER UPDATE OF title, description ON ticket BEGIN "
    "INSERT INTO ticket_fts (ticket_fts, rowid, title, description) "
    "VALUES ('delete', old.id, old.title, old.description); "
    "INSERT INTO ticket_fts (rowid, title, description) "
    "VALUES (new.id, new.title, new.description); END",
    "CREATE TRIGGER ticket_fts_delete AFTER DELETE ON ticket BEGIN "
    "INSERT INTO ticket_fts (ticket_fts, rowid, title, description) "
    "VALUES ('delete', old.id, old.title, old.description); END",
    "INSERT INTO ticket_fts (ticket_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER ticket_fts_delete",
    "DROP TRIGGER ticket_fts_update",
    "DROP TRIGGER ticket_fts_insert",
    "DROP TABLE ticket_fts",
]
_VECTOR = (
    "to_tsvector('simple', coalesce({row}.title, '') || ' ' || coalesce({row}.description, ''))"
)
POSTGRES = [
    "CREATE TABLE ticket_search ("
    "ticket integer PRIMARY KEY REFERENCES ticket (id) ON DELETE CASCADE, "
    "search_vector tsvector NOT NULL)",
    "CREATE INDEX ticket_search_idx ON ticket_search USING GIN (search_vector)",
    "CREATE FUNCTION ticket_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "INSERT INTO ticket_search (ticket, search_vector) "
    f"VALUES (NEW.id, {_VECTOR.format(row='NEW')}) "
    "ON CONFLICT (ticket) DO UPDATE SET search_vector = EXCLUDED.search_vector; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER ticket_search_sync AFTER INSERT OR UPDATE OF title, description "
    "ON ticket FOR EACH ROW EXECUTE FUNCTION ticket_search_sync()",
    "INSERT INTO ticket_search (ticket, search_vector) "
    f"SELECT t.id, {_VECTOR.format(row='t')} FROM ticket t",
]
POSTGRES_BACKWARDS = [
    "DROP TRIGGER ticket_search_sync ON ticket",
    "DROP FUNCTION ticket_search_sync()",
    "DROP TABLE ticket_search",
]


class RawTable(Table):
    pass


def _is_postgres() -> bool:
    return isinstance(RawTable._meta.db, PostgresEngine)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run():
        for statement in POSTGRES if _is_postgres() else SQLITE:
            await RawTable.raw(statement)

    async def run_backwards():
        for statement in POSTGRES_BACKWARDS if _is_postgres() else SQLITE_BACKWARDS:
            await RawTable.raw(statement)

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
