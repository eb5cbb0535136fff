"""Writing and querying the search index on either engine.

Two indexes per engine: one over title, tags and body, and a small one over
title and tags only, so "the title matches" is a cheap question of its own.

SQLite: the FTS5 tables `kb_article_fts` (title, tags, body) and
`kb_article_title_fts` (title, tags), porter stemming over `unicode61
remove_diacritics 2`, prefix indexes; rowid = the article's id. Visibility is
checked through the covering index `kb_article_visibility_idx` (id, status,
space): article rows are wide and their status sits behind the bodies.
PostgreSQL: the narrow table `kb_article_search` (article, space, status,
`search_vector` weighted title A, tags B, body D, and `title_vector`), GIN
indexes on both vectors, built with the `english` configuration (stemming).
Narrow, because a search visits the row of every match it considers: in the
article table that was one wide row (and page) per match.

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
BM25_TITLE = "bm25(kb_article_title_fts, 2.0, 1.0)"
#: Each tier ranks at most this many matches: the newest ones.
WINDOW = 1000
_PG_UPSERT = (
    "INSERT INTO kb_article_search (article, space, status, search_vector, title_vector) "
    "VALUES ({{}}, {{}}, {{}}, {all}, {title}) ON CONFLICT (article) DO UPDATE SET "
    "space = EXCLUDED.space, status = EXCLUDED.status, "
    "search_vector = EXCLUDED.search_vector, title_vector = EXCLUDED.title_vector"
).format(
    all=f"setweight(to_tsvector('{TS_CONFIG}', {{}}), 'A') || "
    f"setweight(to_tsvector('{TS_CONFIG}', {{}}), 'B') || "
    f"setweight(to_tsvector('{TS_CONFIG}', {{}}), 'D')",
    title=f"setweight(to_tsvector('{TS_CONFIG}', {{}}), 'A') || "
    f"setweight(to_tsvector('{TS_CONFIG}', {{}}), 'B')",
)


def index_fields(title: str, tags: list[str], body_text: str) -> tuple[str, str, str]:
    """The normalised title, tags and body as the engines index them."""
    return index_text(title), index_text(" ".join(tags)), index_text(body_text)


async def write_index(
    article_id: int, title: str, tags: list[str], body_text: str, *, space: int, status: str
) -> None:
    """(Re)index one article; call inside the transaction that changed it."""
    fields = index_fields(title, tags, body_text)
    if is_postgres_engine():
        await Article.raw(_PG_UPSERT, article_id, space, status, *fields, *fields[:2])
        return
    for table in ("kb_article_fts", "kb_article_title_fts"):
        await Article.raw(f"DELETE FROM {table} WHERE rowid = {{}}", article_id)
    await Article.raw(
        "INSERT INTO kb_article_fts (rowid, title, tags, body) VALUES ({}, {}, {}, {})",
        article_id,
        *fields,
    )
    await Article.raw(
        "INSERT INTO kb_article_title_fts (rowid, title, tags) VALUES ({}, {}, {})",
        article_id,
        *fields[:2],
    )


async def write_status(article_id: int, status: str) -> None:
    """Follow a status change that leaves the text alone (SQLite reads the article's own)."""
    if is_postgres_engine():
        await Article.raw(
            "UPDATE kb_article_search SET status = {} WHERE article = {}", status, article_id
        )


def _ids(values: Collection[int]) -> str:
    return ", ".join(str(int(v)) for v in sorted(values)) or "NULL"


def _visible(published: Collection[int], drafts: Collection[int], alias: str = "v") -> str:
    """Published articles of readable spaces; drafts too in the editor's spaces."""
    clause = f"({alias}.status = 'published' AND {alias}.space IN ({_ids(published)}))"
    if drafts:
        clause += f" OR ({alias}.status = 'draft' AND {alias}.space IN ({_ids(drafts)}))"
    return f"({clause})"


def _tier_sqlite(published: Collection[int], drafts: Collection[int], tier: int, limit: int) -> str:
    """One ranked tier: bm25 among the WINDOW newest matches of the MATCH argument
    (given twice: for the match and for the window's lower bound)."""
    fts, bm25 = ("kb_article_title_fts", BM25_TITLE) if tier == 0 else ("kb_article_fts", BM25)
    return (
        f"SELECT * FROM (SELECT v.id AS id, -{bm25} AS score, {tier} AS tier "
        f"FROM {fts} JOIN kb_article v INDEXED BY kb_article_visibility_idx "
        f"ON v.id = {fts}.rowid WHERE {fts} MATCH {{}} AND {_visible(published, drafts)} "
        f"AND {fts}.rowid >= coalesce((SELECT rowid FROM {fts} WHERE {fts} MATCH {{}} "
        f"ORDER BY rowid DESC LIMIT 1 OFFSET {WINDOW - 1}), 0) "
        f"ORDER BY score DESC, v.id LIMIT {limit})"
    )


#: PostgreSQL looks for a tier's window in up to three steps, newest first:
#: among the NEAR newest ids, then (for a query that looks broad enough to
#: fill the window there) down to the MIDDLE newest, then the rest.
NEAR, MIDDLE = 3000, 15000


def _window_postgres(visible: str, vector: str, tier: int, gate: str) -> list[str]:
    """CTEs w{tier}_0…2 holding (article, ctid) of the WINDOW newest visible
    matches of the query without phrases (one `{}` each), by disjoint id
    ranges; none runs unless `gate` holds.

    A broad query's newest WINDOW matches are all near the newest id, and a
    bitmap AND of the GIN index with that primary-key range reads the rows of
    those matches only, instead of one row (mostly a page) per match in the
    whole table. The middle step runs when the near one found fewer than
    WINDOW but enough that the middle range should hold the rest; otherwise
    (narrow queries) the last step takes everything older at once, without a
    bitmap of ids, which costs little when little matches. Each step runs only
    when the steps before found fewer than WINDOW; no row is read twice.
    """
    w0, w1, w2 = (f"w{tier}_{i}" for i in range(3))
    top = "(SELECT top FROM newest)"
    found = f"(SELECT count(*) FROM {w0})"
    broad = f"{found} * {MIDDLE // NEAR} >= {WINDOW // 2}"
    steps = {
        w0: f"s.article > {top} - {NEAR}",
        w1: f"s.article <= {top} - {NEAR} AND s.article > {top} - {MIDDLE} "
        f"AND {found} < {WINDOW} AND {broad}",
        # Most of the table: filtered (`+ 0`), no bitmap of its ids.
        w2: f"s.article + 0 <= {top} - CASE WHEN {broad} THEN {MIDDLE} ELSE {NEAR} END "
        f"AND {found} + (SELECT count(*) FROM {w1}) < {WINDOW}",
    }
    # ORDER BY `+ 0`: the primary key walked backwards would test every row's vector.
    return [
        f"{name} AS MATERIALIZED (SELECT s.article, s.ctid AS row "
        f"FROM kb_article_search s WHERE s.{vector} @@ to_tsquery('{TS_CONFIG}', {{}}) "
        f"AND {visible} AND {where} AND {gate} ORDER BY s.article + 0 DESC LIMIT {WINDOW})"
        for name, where in steps.items()
    ]


def _ranked_postgres(vector: str, tier: int, limit: int, phrases: bool) -> str:
    """One tier's best `limit`: ts_rank_cd (length-normalised) over its window,
    checked first against the full query (the `{}`) if it has CJK phrases.
    OFFSET 0 fences the join: each window row is fetched by its ctid, never
    (for the phrase check) through the GIN index and every candidate."""
    window = " UNION ALL ".join(f"SELECT * FROM w{tier}_{i}" for i in range(3))
    check = f"WHERE v.{vector} @@ q " if phrases else ""
    return (
        f"SELECT v.article AS id, ts_rank_cd(v.{vector}, q, 1) AS score, {tier} AS tier "
        f"FROM (SELECT v.article, v.{vector} FROM ({window} ORDER BY article DESC "
        f"LIMIT {WINDOW}) w JOIN kb_article_search v ON v.ctid = w.row OFFSET 0) v, "
        f"to_tsquery('{TS_CONFIG}', {{}}) q {check}ORDER BY score DESC, v.article LIMIT {limit}"
    )


# Tiers are ranked on ids only; long bodies are read for the hits on the page.
_HITS = (
    "SELECT a.id, a.space, a.slug, a.title, a.body_text, a.tags, a.status, "
    "a.helpful_count, r.score, r.tier FROM ({tiers}) r JOIN kb_article a ON a.id = r.id "
    "ORDER BY r.tier, r.score DESC, a.id"
)


def _search_postgres(
    query: Query, published: Collection[int], drafts: Collection[int], limit: int
) -> tuple[str, list[str]]:
    """The statement and its arguments. The window is found with the query
    without phrase operators, which the GIN index answers without reading a
    vector; a query with CJK phrases is then checked in full on the window
    only. When the title tier alone fills the page, the body tier is skipped:
    its hits would all come after the page."""
    visible = _visible(published, drafts, "s")
    full, loose = query.tsquery(), query.tsquery(phrases=False)
    phrases = full != loose
    ctes = [
        "newest AS MATERIALIZED (SELECT max(article) AS top FROM kb_article_search)",
        *_window_postgres(visible, "title_vector", 0, "TRUE"),
        f"t0 AS MATERIALIZED ({_ranked_postgres('title_vector', 0, limit, phrases)})",
        *_window_postgres(visible, "search_vector", 1, f"(SELECT count(*) FROM t0) < {limit}"),
    ]
    tiers = f"SELECT * FROM t0 UNION ALL ({_ranked_postgres('search_vector', 1, limit, phrases)})"
    sql = "WITH " + ", ".join(ctes) + " " + _HITS.format(tiers=tiers)
    # The placeholders in order: each tier's three window steps, then its full query.
    return sql, ([loose] * 3 + [full]) * 2


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
    if is_postgres_engine():
        sql, args = _search_postgres(query, published, drafts, limit)
    else:
        args = [query.fts5()] * 4
        tiers = (
            f"{_tier_sqlite(published, drafts, 0, limit)} UNION ALL "
            f"{_tier_sqlite(published, drafts, 1, limit)}"
        )
        sql = _HITS.format(tiers=tiers)
    seen: set[int] = set()
    hits = []
    for row in await Article.raw(sql, *args):
        if row["id"] not in seen:
            seen.add(row["id"])
            hits.append(row)
    return hits[:limit]
