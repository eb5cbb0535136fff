"""Writing and querying the search index on either engine.

SQLite: the FTS5 table `kb_article_fts` (title, tags, body; porter stemming
over `unicode61 remove_diacritics 2`; prefix indexes), whose rowid is the
article's id. What a reader may see is checked through the covering index
`kb_article_visibility_idx` (id, status, space): article rows are large and
their status sits behind the bodies, so reading them per match was the cost.
PostgreSQL: `kb_article.search_vector`, a tsvector under a GIN index, built
with the `english` configuration (stemming) and weighted title A, tags B, body D.

Both hold `text.index_text()` of the reader's copy, written by the service in
the same transaction as the article (not by triggers: folding and CJK bigrams
are Python, and SQL triggers cannot call it).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from polydesk.core.db import is_postgres_engine
from polydesk.core.knowledge.query import Query
from polydesk.core.knowledge.tables import Article
from polydesk.core.knowledge.text import index_text

TS_CONFIG = "english"
#: bm25 column weights on SQLite (title, tags, body); PostgreSQL uses A/B/D.
BM25 = "bm25(kb_article_fts, 8.0, 4.0, 1.0)"
#: Each tier ranks at most this many matches: the newest ones.
WINDOW = 1000
_PG_VECTOR = (
    f"setweight(to_tsvector('{TS_CONFIG}', {{}}), 'A') || "
    f"setweight(to_tsvector('{TS_CONFIG}', {{}}), 'B') || "
    f"setweight(to_tsvector('{TS_CONFIG}', {{}}), 'D')"
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
    clause = f"(v.status = 'published' AND v.space IN ({_ids(published)}))"
    if drafts:
        clause += f" OR (v.status = 'draft' AND v.space IN ({_ids(drafts)}))"
    return f"({clause})"


def _tier_sqlite(visible: str, tier: int, limit: int) -> str:
    """One ranked tier: bm25 among the WINDOW newest matches of the MATCH argument
    (given twice: for the match and for the window's lower bound)."""
    return (
        f"SELECT * FROM (SELECT v.id AS id, -{BM25} AS score, {tier} AS tier "
        "FROM kb_article_fts JOIN kb_article v INDEXED BY kb_article_visibility_idx "
        f"ON v.id = kb_article_fts.rowid WHERE kb_article_fts MATCH {{}} AND {visible} "
        "AND kb_article_fts.rowid >= coalesce((SELECT rowid FROM kb_article_fts "
        f"WHERE kb_article_fts MATCH {{}} ORDER BY rowid DESC LIMIT 1 OFFSET {WINDOW - 1}), 0) "
        f"ORDER BY score DESC, v.id LIMIT {limit})"
    )


def _tier_postgres(visible: str, tier: int, limit: int) -> str:
    """The same on PostgreSQL, with ts_rank_cd (length-normalised) and the GIN index."""
    return (
        f"SELECT * FROM (SELECT v.id AS id, ts_rank_cd(v.search_vector, q, 1) AS score, "
        f"{tier} AS tier FROM kb_article v, to_tsquery('{TS_CONFIG}', {{}}) q "
        f"WHERE v.search_vector @@ q AND {visible} AND v.id >= coalesce((SELECT w.id "
        f"FROM kb_article w WHERE w.search_vector @@ to_tsquery('{TS_CONFIG}', {{}}) "
        f"AND {visible.replace('v.', 'w.')} ORDER BY w.id DESC OFFSET {WINDOW - 1} LIMIT 1), 0) "
        f"ORDER BY score DESC, v.id LIMIT {limit}) t{tier}"
    )


# Tiers are ranked on ids only; long bodies are read for the hits on the page.
_HITS = (
    "SELECT a.id, a.space, a.slug, a.title, a.body_text, a.tags, a.status, "
    "a.helpful_count, r.score, r.tier FROM ({tiers}) r JOIN kb_article a ON a.id = r.id "
    "ORDER BY r.tier, r.score DESC, a.id"
)


async def search_rows(
    query: Query, *, published: Collection[int], drafts: Collection[int], limit: int
) -> list[dict[str, Any]]:
    """The best `limit` visible articles matching `query`, best first, with what a
    hit shows (title, body_text, tags, …) and a `score` (higher is better).

    Two tiers: articles whose title or tags match come first, then the rest;
    each is ranked by the engine among its WINDOW newest matches, so a query
    that matches half the corpus costs what one matching a thousand does.
    """
    if not query or not (published or drafts):
        return []
    visible = _visible(published, drafts)
    if is_postgres_engine():
        tier, args = _tier_postgres, [query.tsquery("AB")] * 2 + [query.tsquery()] * 2
    else:
        tier, args = _tier_sqlite, [query.fts5("title tags")] * 2 + [query.fts5()] * 2
    tiers = f"{tier(visible, 0, limit)} UNION ALL {tier(visible, 1, limit)}"
    seen: set[int] = set()
    hits = []
    for row in await Article.raw(_HITS.format(tiers=tiers), *args):
        if row["id"] not in seen:
            seen.add(row["id"])
            hits.append(row)
    return hits[:limit]
