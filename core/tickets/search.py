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
its key).

Order: a search lists its matches newest first unless the reader chose a
sort (`default_sort`). Newest first, a page is the newest `limit + 1` visible
matches below the cursor, found by `newest` in a few small steps newest
first, so its cost follows the page, not the number of matches. A search in
SLA order (chosen explicitly) is bounded instead: it considers the matches
among the newest `WINDOW` tickets holding the words (`match_where`), so a
common word costs the same at a million tickets as at ten thousand.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.query import OrderByRaw

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


def default_sort(q: str | None) -> str:
    """The list's order when the reader chose none: newest first for a search
    (the matches people look for are mostly recent, and it is the order a
    search can page through cheaply), SLA due first otherwise."""
    return "newest" if q and q.strip() else "sla"


def _fts_query(terms: list[str]) -> str:
    return " ".join(f'"{t}"*' for t in terms)


def _pg_query(terms: list[str]) -> str:
    return " & ".join(f"{t}:*" for t in terms)


def match_where(q: str) -> Any | None:
    """A WHERE condition on `ticket` for the query `q`; None when it has no words.

    The matches among the newest WINDOW tickets holding the words (the SLA
    order's bound), or the ticket whose key `q` is."""
    terms = words(q)
    if not terms:
        return None
    if is_postgres_engine():
        condition = WhereRaw(
            '"ticket"."id" IN (SELECT ticket FROM ('
            "SELECT ticket FROM ticket_search WHERE search_vector @@ to_tsquery("
            f"'{TS_CONFIG}', {{}}) ORDER BY ticket DESC LIMIT {WINDOW}) AS matched)",
            _pg_query(terms),
        )
    else:
        condition = WhereRaw(
            '"ticket"."id" IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH {} '
            f"ORDER BY rowid DESC LIMIT {WINDOW})",
            _fts_query(terms),
        )
    stripped = q.strip()
    if _KEY.match(stripped):
        condition = WhereRaw('"ticket"."key" = {}', stripped.upper()) | condition
    return condition


# -- newest first: the page's matches, walked newest first -----------------------

#: The first step of a walk: PER_ROW per row wanted, at least FIRST_STEP and
#: at most MAX_STEP candidates (SQLite: FTS rowids) or ids (PostgreSQL: the
#: newest ids, tested row by row). Later steps are sized from what the steps
#: before found, times MARGIN (SQLite: at most MAX_STEP candidates).
#: SQLite's first step is generous: each step runs the FTS5 query again, and
#: a prefix shared by many words (`gen…`) costs its merged doclists each time,
#: while more rowids cost little (the tickets are read newest first by id and
#: the reading stops when the page is full).
FIRST_STEP = {"sqlite": 2048, "postgres": 4096}
PER_ROW = {"sqlite": 8, "postgres": 64}
MAX_STEP = {"sqlite": 32768, "postgres": 16384}
MARGIN = 2.0
#: SQLite: after this many candidates the rest is one plain query, so that a
#: reader who sees few of a word's many matches (a requester: their own
#: tickets) is served by the planner's own choice, not by a long walk.
WALK_LIMIT = 65536


async def newest(
    q: str, select: Callable[[], Any], where: Any, *, below: int | None, want: int
) -> list[dict[str, Any]] | None:
    """The newest `want` tickets (rows of `select()`) matching `q` and `where`
    with an id below `below` (None: any), newest first; None when `q` has no
    words (the list is then not a search).

    The matches are walked newest first in steps, each step's candidates
    checked against `where` (visibility and the list's filters) in one query;
    a step that does not fill the page continues below it, so no visible
    match is ever skipped, however many newer matches the reader may not see.

    - SQLite: the step's candidates are the newest FTS5 matches below the
      last step (`MATCH … AND rowid < ? ORDER BY rowid DESC LIMIT n`).
    - PostgreSQL: the step is a primary-key range (the knowledge search's
      technique): `ticket_search`'s GIN bitmap ANDed with the range, so a
      common word reads only its newest matches and a rare one few rows.
    """
    from polydesk.core.tickets.tables import Ticket

    terms = words(q)
    if not terms:
        return None
    if is_postgres_engine():
        rows = await _walk_postgres(_pg_query(terms), select, where, below, want)
    else:
        rows = await _walk_sqlite(_fts_query(terms), select, where, below, want)
    stripped = q.strip()
    if _KEY.match(stripped):  # the ticket of that key, in its place by id
        condition = where & (Ticket.key == stripped.upper())
        if below is not None:
            condition &= Ticket.id < below
        keyed = await select().where(condition).limit(1)
        if keyed and all(r["id"] != keyed[0]["id"] for r in rows):
            rows = sorted([*rows, *keyed], key=lambda r: r["id"], reverse=True)[:want]
    return rows


def _next_step(step: int, walked: int, found: int, want: int, engine: str) -> int:
    """SQLite: the next step's candidates, enough to fill the page at the rate so far."""
    rate = found / walked if walked else 0
    sized = math.ceil(MARGIN * (want - found) / rate) if rate else step * 8
    return min(max(sized, step * 2), MAX_STEP[engine])


async def _walk_sqlite(
    match: str, select: Callable[[], Any], where: Any, below: int | None, want: int
) -> list[dict[str, Any]]:
    from polydesk.core.tickets.tables import Ticket

    rows: list[dict[str, Any]] = []
    step, walked = min(max(FIRST_STEP["sqlite"], PER_ROW["sqlite"] * want), MAX_STEP["sqlite"]), 0
    while True:
        bound = "" if below is None else f"AND rowid < {int(below)} "
        matches = f"SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH {{}} {bound}"
        if walked >= WALK_LIMIT:  # the rest at once, as the planner sees fit
            rest = WhereRaw(f'"ticket"."id" IN ({matches})', match)
            return rows + await _newest_first(select().where(where & rest), want - len(rows))
        # The step's candidates in the statement itself (no round trip through
        # Python): SQLite lists them, then reads their tickets by id, newest
        # first, and stops when the page is full.
        candidates = f"{matches}ORDER BY rowid DESC LIMIT {step}"
        step_where = where & WhereRaw(f'"ticket"."id" IN ({candidates})', match)
        rows += await _newest_first(select().where(step_where), want - len(rows))
        if len(rows) >= want:
            return rows
        edge = await Ticket.raw(
            f"SELECT count(*) AS n, min(rowid) AS low FROM ({candidates}) AS step", match
        )
        if edge[0]["n"] < step:  # no older match
            return rows
        below, walked = edge[0]["low"], walked + step
        step = _next_step(step, walked, len(rows), want, "sqlite")


async def _walk_postgres(
    tsquery: str, select: Callable[[], Any], where: Any, below: int | None, want: int
) -> list[dict[str, Any]]:
    from polydesk.core.tickets.tables import Ticket

    rows: list[dict[str, Any]] = []
    # One read transaction, so that its settings hold for these statements only: a
    # parallel worker costs more to start (10 ms on a busy machine) than a step.
    async with Ticket._meta.db.transaction():
        newest_id = await Ticket.raw(
            "SELECT max(ticket) AS top, "
            "set_config('max_parallel_workers_per_gather', '0', true) AS workers, "
            "set_config('jit', 'off', true) AS jit FROM ticket_search"
        )
        if below is None:
            below = (newest_id[0]["top"] or 0) + 1
        step = min(max(FIRST_STEP["postgres"], PER_ROW["postgres"] * want), MAX_STEP["postgres"])
        walked = matched = 0
        query = f"to_tsquery('{TS_CONFIG}', {{}})"
        while below > 0 and len(rows) < want:
            low = max(below - step, 0)
            # The bounds are written into the statement (integers computed here), so
            # each step is planned for its own range.
            if walked and not low:  # the rest at once, as the planner sees fit
                rest = WhereRaw(
                    f'"ticket"."id" < {int(below)} AND "ticket"."id" IN (SELECT ticket '
                    f"FROM ticket_search WHERE search_vector @@ {query} AND ticket < {int(below)})",
                    tsquery,
                )
                rows += await _newest_first(
                    select().where(where & rest), want - len(rows), walk=False
                )
                break
            # First the newest ids row by row (a function, not `@@`, so no GIN
            # bitmap: that costs the words' whole posting lists, and a common word
            # fills the page here); then the GIN bitmap ANDed with a key range.
            test = f"search_vector @@ {query}" if walked else f"ts_match_vq(search_vector, {query})"
            found = await Ticket.raw(
                f"SELECT ticket FROM ticket_search WHERE ticket >= {int(low)} "
                f"AND ticket < {int(below)} AND {test}",
                tsquery,
            )
            if found:
                ids = WhereRaw('"ticket"."id" = ANY({})', [r["ticket"] for r in found])
                rows += await _newest_first(select().where(where & ids), want - len(rows))
            if not walked and len(rows) < want:
                # From here on, bitmaps only: with a prefix (`word:*`) the planner
                # overrates the GIN lookup and tests the range's vectors one by
                # one instead (35,000 ids: 45 ms, against 4.5 ms for the bitmaps).
                await Ticket.raw("SELECT set_config('enable_indexscan', 'off', true)")
            walked, matched, below = walked + below - low, matched + len(found), low
            step = _range_after(walked, matched, len(rows), want, below)
    return rows


def _range_after(walked: int, matched: int, found: int, want: int, below: int) -> int:
    """PostgreSQL: the width of the next id range, from the matches per id and
    the share of them visible so far, so that it should fill the page; at least
    the width walked (ranges double), and everything below when that is near."""
    if not matched:  # few matches in the whole table: the rest costs little
        return below
    share = (found + 0.5) / (matched + 1)
    width = math.ceil(MARGIN * (want - found) / share * walked / matched)
    width = max(width, walked)
    return below if width * 2 >= below else width


async def _newest_first(query: Any, limit: int, *, walk: bool = True) -> list[dict[str, Any]]:
    from polydesk.core.tickets.tables import Ticket

    order = Ticket.id if walk else OrderByRaw('"ticket"."id" + 0')
    return await query.order_by(order, ascending=False).limit(limit)


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
