"""Writing and querying the search index on either engine.

SQLite: the FTS5 table `kb_article_fts` (title, tags, body; porter stemming
over `unicode61 remove_diacritics 2`), whose rowid is the article's id.
PostgreSQL: `kb_article.search_vector`, a tsvector under a GIN index, built
with the `english` configuration (stemming) and weighted title A, tags B, body D.

Both hold `text.index_text()` of the reader's copy, written by the service in
the same transaction as the article (not by triggers: folding and CJK bigrams
are Python, and SQL triggers cannot call it).
"""

from __future__ import annotations

from collections.abc import Collection

from polydesk.core.db import is_postgres_engine
from polydesk.core.knowledge.query import Query
from polydesk.core.knowledge.tables import Article
from polydesk.core.knowledge.text import index_text

TS_CONFIG = "english"
# bm25 column weights (title, tags, body) on SQLite; PostgreSQL uses A/B/D.
BM25 = "bm25(kb_article_fts, 8.0, 4.0, 1.0)"
_PG_VECTOR = (
    f"setweight(to_tsvector('{TS_CONFIG}', {{}}), 'A') || setweight(to_tsvector('{TS_CONFIG}', {{}}), 'B')"
    f" || setweight(to_tsvector('{TS_CONFIG}', {{}}), 'D')"
)


def index_fields(title: str, tags: list[str], body_text: str) -> tuple[str, str, str]:
    """The normalised title, tags and body as the engines index them."""
    return index_text(title), index_text(" ".join(tags)), index_text(body_text)


async def write_index(article_id: int, title: str, tags: list[str], body_text: str) -> None:
    """(Re)index one article; call inside the transaction that changed it."""
    fields = index_fields(title, tags, body_text)
    if is_postgres_engine():
        await Article.raw(
            f"UPDATE kb_article SET search_vector = {_PG_VECTOR} WHERE id = {{}}",
            *fields,
            article_id,
        )
        return
    await Article.raw("DELETE FROM kb_article_fts WHERE rowid = {}", article_id)
    await Article.raw(
        "INSERT INTO kb_article_fts (rowid, title, tags, body) VALUES ({}, {}, {}, {})",
        article_id,
        *fields,
    )


def _ids(values: Collection[int]) -> str:
    return ", ".join(str(int(v)) for v in sorted(values)) or "NULL"


def _visible(published: Collection[int], drafts: Collection[int]) -> str:
    """Published articles of readable spaces; drafts too in the editor's spaces."""
    clause = f"(a.status = 'published' AND a.space IN ({_ids(published)}))"
    if drafts:
        clause += f" OR (a.status = 'draft' AND a.space IN ({_ids(drafts)}))"
    return f"({clause})"


async def ranked_ids(
    query: Query, *, published: Collection[int], drafts: Collection[int], limit: int
) -> list[tuple[int, float]]:
    """Ids of matching visible articles and their scores (higher is better), best first."""
    if not query or not (published or drafts):
        return []
    visible = _visible(published, drafts)
    if is_postgres_engine():
        rows = await Article.raw(
            "SELECT a.id AS id, ts_rank_cd(a.search_vector, q, 1) AS score "
            f"FROM kb_article a, to_tsquery('{TS_CONFIG}', {{}}) q "
            f"WHERE a.search_vector @@ q AND {visible} "
            "ORDER BY score DESC, a.id LIMIT {}",
            query.tsquery(),
            limit,
        )
        return [(r["id"], float(r["score"])) for r in rows]
    rows = await Article.raw(
        f"SELECT a.id AS id, {BM25} AS score "
        "FROM kb_article_fts JOIN kb_article a ON a.id = kb_article_fts.rowid "
        f"WHERE kb_article_fts MATCH {{}} AND {visible} "
        "ORDER BY score, a.id LIMIT {}",
        query.fts5(),
        limit,
    )
    # bm25() is lower-is-better (negative); flip it so both engines agree.
    return [(r["id"], -float(r["score"])) for r in rows]


async def delete_index(article_ids: Collection[int]) -> None:
    """Forget articles (the PostgreSQL vector goes with its row)."""
    if article_ids and not is_postgres_engine():
        await Article.raw(f"DELETE FROM kb_article_fts WHERE rowid IN ({_ids(article_ids)})")
