"""The knowledge search index and the unique pairs Piccolo's columns cannot express.

Written by hand, in its own file because Piccolo runs a migration's raw steps
before its add_table steps. The index differs by engine:

- SQLite: an FTS5 table, rowid = kb_article.id. It stores its own copy of the
  normalised text (folded diacritics, CJK bigrams) because that text is made in
  Python and differs from the article's columns, so it can be neither
  external-content nor filled by triggers; the service writes it in the
  article's transaction. Porter stemming for English; `remove_diacritics 2`
  also folds what the Python normaliser already folded, harmlessly.
- PostgreSQL: a tsvector column with a GIN index, filled the same way.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

ID = "2026-11-23T01:44:49:000000"
VERSION = "1.38.0"
DESCRIPTION = "knowledge search index and unique pairs"

COMMON = [
    "CREATE UNIQUE INDEX kb_article_space_slug_uq ON kb_article (space, slug)",
    "CREATE INDEX kb_article_space_status_idx ON kb_article (space, status, helpful_count)",
    "CREATE UNIQUE INDEX kb_article_version_uq ON kb_article_version (article, number)",
    "CREATE UNIQUE INDEX kb_vote_person_uq ON kb_vote (article, person)",
    "CREATE INDEX kb_deflection_space_idx ON kb_deflection (space, created_at)",
]
COMMON_BACKWARDS = [
    "DROP INDEX kb_deflection_space_idx",
    "DROP INDEX kb_vote_person_uq",
    "DROP INDEX kb_article_version_uq",
    "DROP INDEX kb_article_space_status_idx",
    "DROP INDEX kb_article_space_slug_uq",
]
SQLITE = [
    "CREATE VIRTUAL TABLE kb_article_fts USING fts5("
    "title, tags, body, tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3')",
    # Search checks each match's status and space here, never in the wide article row.
    "CREATE INDEX kb_article_visibility_idx ON kb_article (id, status, space)",
]
SQLITE_BACKWARDS = ["DROP INDEX kb_article_visibility_idx", "DROP TABLE kb_article_fts"]
POSTGRES = [
    "ALTER TABLE kb_article ADD COLUMN search_vector tsvector",
    "CREATE INDEX kb_article_search_idx ON kb_article USING GIN (search_vector)",
]
POSTGRES_BACKWARDS = [
    "DROP INDEX kb_article_search_idx",
    "ALTER TABLE kb_article DROP COLUMN search_vector",
]


class RawTable(Table):
    pass


def _is_postgres() -> bool:
    return isinstance(RawTable._meta.db, PostgresEngine)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="knowledge", description=DESCRIPTION)

    async def run():
        for statement in COMMON + (POSTGRES if _is_postgres() else SQLITE):
            await RawTable.raw(statement)

    async def run_backwards():
        for statement in (
            POSTGRES_BACKWARDS if _is_postgres() else SQLITE_BACKWARDS
        ) + COMMON_BACKWARDS:
            await RawTable.raw(statement)

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
