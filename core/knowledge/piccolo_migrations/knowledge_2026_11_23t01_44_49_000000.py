"""The knowledge search indexes and the unique pairs Piccolo's columns cannot express.

Written by hand, in its own file because Piccolo runs a migration's raw steps
before its add_table steps. The indexes differ by engine:

- SQLite: two FTS5 tables, rowid = kb_article.id: one over title, tags and
  body, one over title and tags (the cheap "title matches" tier). They store
  their own copy of the normalised text (folded diacritics, CJK bigrams)
  because that text is made in Python and differs from the article's columns,
  so they can be neither external-content nor filled by triggers; the service
  writes them in the article's transaction. Porter stemming for English;
  `remove_diacritics 2` also folds what the Python normaliser already folded,
  harmlessly; prefix indexes of 2 and 3 characters keep typing-time prefix
  queries cheap. A covering index (id, status, space) lets search check
  visibility without reading the wide article rows.
- PostgreSQL: a narrow table kb_article_search (article, space, status and two
  tsvectors: everything, and title with tags) with GIN indexes, filled the
  same way; narrow because search visits the row of every match it considers.
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
    "CREATE VIRTUAL TABLE kb_article_title_fts USING fts5("
    "title, tags, tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3')",
    # Search checks each match's status and space here, never in the wide article row.
    "CREATE INDEX kb_article_visibility_idx ON kb_article (id, status, space)",
]
SQLITE_BACKWARDS = [
    "DROP INDEX kb_article_visibility_idx",
    "DROP TABLE kb_article_title_fts",
    "DROP TABLE kb_article_fts",
]
POSTGRES = [
    "CREATE TABLE kb_article_search ("
    "article integer PRIMARY KEY REFERENCES kb_article (id) ON DELETE CASCADE, "
    "space integer NOT NULL, status varchar(16) NOT NULL, "
    "search_vector tsvector NOT NULL, title_vector tsvector NOT NULL)",
    "CREATE INDEX kb_article_search_idx ON kb_article_search USING GIN (search_vector)",
    "CREATE INDEX kb_article_title_search_idx ON kb_article_search USING GIN (title_vector)",
]
POSTGRES_BACKWARDS = ["DROP TABLE kb_article_search"]


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
