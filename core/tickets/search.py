"""Keyword search over tickets' titles and descriptions, through an index.

The ticket list's `q` was `title LIKE '%word%'`: a scan of every ticket the
reader may see, 0.5 s at 1,000,000 tickets. Now each word is a prefix match
in a full-text index, like knowledge search:

- SQLite: the FTS5 table `ticket_fts` (title, description) with the ticket
  table as its external content (no second copy of the text), rowid = ticket
  id, `unicode61 remove_diacritics 2` without stemming (words are prefixes as
  people type them), prefix indexes of 2 and 3 characters;
- PostgreSQL: the narrow table `ticket_search` (ticket, search_vector) with a
  GIN index, `simple` configuration (no stemming, same reason).

Triggers on `ticket` keep both in step inside the ticket's own transaction
(migration "ticket search index"), whoever writes the ticket — the service,
the mail gateway, a plugin through the Desk facade.

Matching: every word of the query must start a word of the title or the
description (a query that is a ticket key, `IT-42`, also finds that ticket by
its key). A word matching a large share of all tickets is bounded: the list
then shows the matches among the newest `WINDOW` tickets holding the words,
in the list's usual order, so a common word costs the same at a million
tickets as at ten thousand.
"""

from __future__ import annotations

import re
from typing import Any

from piccolo.columns.combination import WhereRaw

from polydesk.core.db import is_postgres_engine

#: Most matches a keyword search considers: the newest ones.
WINDOW = 5000
#: Words of a query used for matching (the rest are ignored, as before).
MAX_WORDS = 8
TS_CONFIG = "simple"
#: The PostgreSQL document of one ticket (the migration and `rebuild` use it).
PG_VECTOR = (
    f"to_tsvector('{TS_CONFIG}', coalesce({{row}}.title, '') || ' ' || "
    f"coalesce({{row}}.description, ''))"
)
_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]*-\d{1,10}$")
_WORD = re.compile(r"[^\W_]+")  # letters and digits; the rest separates


def words(q: str) -> list[str]:
    """The query's words as the index holds them (lower case, letters and digits)."""
    return _WORD.findall(q.lower())[:MAX_WORDS]


#: PostgreSQL looks for the window in id ranges of `ticket_search`, newest
#: first: every row of the NEAR newest ids checked; for a broad query (as
#: dense there as the window needs within WALK ids) the rows down to WALK;
#: then up to two ranges sized by the density seen so far (times MARGIN),
#: and the rest (see `_window_postgres`).
NEAR, WALK, MARGIN = 2048, 65536, 1.5


def _sizing(name: str, source: str) -> str:
    """A CTE `name` (walked, found, size, sized) from `source` (walked, found,
    sized): the width of the next range below `walked` that should hold the
    rest of the window at the density found so far, and whether to use it."""
    return (
        f"{name} AS MATERIALIZED (SELECT walked, found, size, "
        "sized AND found > 0 AND size * 2 < walked AS sized FROM (SELECT walked, found, "
        f"ceil({MARGIN} * ({WINDOW} - found) * ((SELECT top FROM newest) - walked) "
        f"/ greatest(found, 1))::bigint AS size, sized FROM (SELECT {source}) AS s) AS s)"
    )


def _window_postgres() -> str:
    """The ids of the newest WINDOW tickets whose vector matches the query
    (each `{}`), in one statement, by disjoint id ranges.

    The plain `ORDER BY ticket DESC LIMIT WINDOW` walks the primary key
    backwards testing each vector: fine for a word in a fifth of the tickets,
    but one in 2% of them read 250,000 rows (0.3–0.7 s at 1,000,000). A GIN
    bitmap of every match costs the word's whole posting list plus a heap page
    per match (a word in 10% of the tickets: 100,000 pages). So:

    - `n0`, `n1`: the newest rows walked, each row's vector tested (a
      function call, not `@@`, so that no GIN bitmap is built): NEAR rows
      always, WALK rows when the first NEAR held enough matches to fill the
      window there. Common words stop here.
    - `r0`, `r1`: a bitmap AND of the GIN index with a primary-key range just
      below what was walked, sized (times MARGIN) by the density found so
      far; then, if it fell short, one more below it, sized again. Words in a
      few percent of tickets read the heap pages of about WINDOW matches.
    - `r2`: everything older (the id bound a filter, `+ 0`, so no bitmap of
      ids): cheap when little matches, so rare words cost one GIN lookup.

    Each step runs only when the ones before found fewer than WINDOW (a
    one-time filter on their count); the ranges cover every id once, newest
    first, so the result is exactly the newest WINDOW matches.
    """
    q = "(SELECT q FROM query)"
    top = "(SELECT top FROM newest)"
    # Computed once each (every `(SELECT …)` in a condition is its own InitPlan).
    walked = "(SELECT walked FROM sizing)"  # the lowest id walked
    size = "(SELECT size FROM sizing)"  # the first range's width
    sized = "(SELECT sized FROM sizing)"  # whether ranges come before the rest
    found = "(SELECT found FROM sizing)"  # matches walked
    low, found1 = "(SELECT walked FROM resizing)", "(SELECT found FROM resizing)"  # after r0
    size1, sized1 = "(SELECT size FROM resizing)", "(SELECT sized FROM resizing)"

    def step(name: str, where: str, *, walk: bool = False, limit: str = str(WINDOW)) -> str:
        # The query as a parameter everywhere: one plan for every word (the
        # steps' gates choose), and no estimate that makes it look costly
        # enough for JIT or parallel workers.
        match = f"ts_match_vq(search_vector, {q})" if walk else f"search_vector @@ {q}"
        order = "ticket" if walk else "ticket + 0"  # `+ 0`: no backward walk of the key
        return (
            f"{name} AS MATERIALIZED (SELECT ticket FROM ticket_search WHERE {match} "
            f"AND {where} ORDER BY {order} DESC LIMIT {limit})"
        )

    broad = f"(SELECT n FROM n0_count) * {WALK // NEAR} >= {WINDOW}"
    ctes = [
        f"query AS MATERIALIZED (SELECT to_tsquery('{TS_CONFIG}', {{}}) AS q)",
        "newest AS MATERIALIZED (SELECT max(ticket) AS top FROM ticket_search)",
        step("n0", f"ticket > {top} - {NEAR}", walk=True),
        "n0_count AS MATERIALIZED (SELECT count(*) AS n FROM n0)",
        step(
            "n1",
            f"ticket > {top} - {WALK} AND ticket <= {top} - {NEAR} AND {broad}",
            walk=True,
            limit=f"{WINDOW} - (SELECT n FROM n0_count)",
        ),
        # Ranges only when the rest of the table holds many more matches than
        # the window needs; otherwise one GIN lookup of the rest reads few pages.
        # (Each count in a CTE of its own: an inlined one would run per use.)
        f"walked AS MATERIALIZED (SELECT {top} - CASE WHEN {broad} THEN {WALK} ELSE {NEAR} END "
        "AS walked, (SELECT n FROM n0_count) + (SELECT count(*) FROM n1) AS found)",
        _sizing("sizing", "walked, found, TRUE AS sized FROM walked"),
        # The upper bound as a filter: with the lower one alone as its index
        # condition the planner ANDs the key's bitmap with the GIN one.
        step(
            "r0",
            f"ticket > {walked} - {size} AND ticket + 0 <= {walked} "
            f"AND {sized} AND {found} < {WINDOW}",
        ),
        # The second range sized again, by the density down to the first's end.
        "r0_done AS MATERIALIZED (SELECT walked - CASE WHEN sized THEN size ELSE 0 END "
        "AS walked, found + (SELECT count(*) FROM r0) AS found, sized FROM sizing)",
        _sizing("resizing", "walked, found, sized FROM r0_done"),
        step(
            "r1",
            f"ticket > {low} - {size1} AND ticket + 0 <= {low} "
            f"AND {sized1} AND {found1} < {WINDOW}",
        ),
        step(
            "r2",
            f"ticket + 0 <= {low} - CASE WHEN {sized1} THEN {size1} ELSE 0 END "
            f"AND {found1} + (SELECT count(*) FROM r1) < {WINDOW}",
        ),
    ]
    steps = " UNION ALL ".join(f"SELECT ticket FROM {s}" for s in ("n0", "n1", "r0", "r1", "r2"))
    return (
        "WITH " + ", ".join(ctes) + f" SELECT ticket FROM ({steps}) AS steps "
        f"ORDER BY ticket DESC LIMIT {WINDOW}"
    )


def match_where(q: str) -> Any | None:
    """A WHERE condition on `ticket` for the query `q`; None when it has no words.

    The tickets matching every word (as prefixes) among the newest WINDOW
    that do, or whose key `q` is.
    """
    terms = words(q)
    if not terms:
        return None
    if is_postgres_engine():
        tsquery = " & ".join(f"{t}:*" for t in terms)
        window = _window_postgres()
        condition = WhereRaw(f'"ticket"."id" IN ({window})', *[tsquery] * window.count("{}"))
    else:
        condition = WhereRaw(
            '"ticket"."id" IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH {} '
            f"ORDER BY rowid DESC LIMIT {WINDOW})",
            " ".join(f'"{t}"*' for t in terms),
        )
    stripped = q.strip()
    if _KEY.match(stripped):
        condition = WhereRaw('"ticket"."key" = {}', stripped.upper()) | condition
    return condition


async def rebuild() -> None:
    """Rebuild the whole index from the tickets (after a bulk load without triggers)."""
    from polydesk.core.tickets.tables import Ticket

    if is_postgres_engine():
        await Ticket.raw("TRUNCATE ticket_search")
        await Ticket.raw(
            "INSERT INTO ticket_search (ticket, search_vector) "
            f"SELECT t.id, {PG_VECTOR.format(row='t')} FROM ticket t"
        )
    else:
        await Ticket.raw("INSERT INTO ticket_fts (ticket_fts) VALUES ('rebuild')")
