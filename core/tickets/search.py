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


def match_where(q: str) -> Any | None:
    """A WHERE condition on `ticket` for the query `q`; None when it has no words."""
    terms = words(q)
    if not terms:
        return None
    if is_postgres_engine():
        condition = WhereRaw(
            '"ticket"."id" IN (SELECT ticket FROM ('
            "SELECT ticket FROM ticket_search WHERE search_vector @@ to_tsquery("
            f"'{TS_CONFIG}', {{}}) ORDER BY ticket DESC LIMIT {WINDOW}) AS matched)",
            " & ".join(f"{t}:*" for t in terms),
        )
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
