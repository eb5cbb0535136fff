"""Agent ticket keyword search at scale, in-process, per kind of word.

    .venv/bin/python benchmarks/ticket_search_pg.py \\
        --db postgresql://desk:desk@127.0.0.1:54329/desk_bench_perf_1m --runs 5
    .venv/bin/python benchmarks/ticket_search_pg.py --db sqlite:/tmp/polydesk-bench/1m \\
        --sort default,sla --verify

Runs over a database made by `python -m benchmarks generate` (read only; it
applies no migration, so use one the server has already migrated) and times,
as the generator's IT agent (`bench.it.agent1`), the service calls behind a
search of the ticket list:

- `api`: `TicketService.list(q=word, limit=50)`, what `GET /api/v1/tickets?q=`
  runs: in the order `--sort` says, by default the API's for a search (newest
  first; `--sort sla` is an explicit `sort=sla`);
- `next`: the page after it (its cursor), as "load more" asks for it;
- `html`: `count(cap=1000)` then that list, what the agent list fragment runs.

The words are the ones the scale scenarios search for (`benchmarks/scenarios.py`:
60 draws from the English vocabulary, deduplicated), put in kinds by how many
tickets they match: `common` (5% of the tickets or more), `mid` (0.5–5%),
`rare` (less); then `prefix` (each of those words' first four letters, as
typed half-way), `two` (two of the words, as two prefixes ANDed) and `absent`
(made-up words no ticket holds). Each query runs `--runs` times after one
warm-up round, in each order of `--sort` in turn (so `default,sla` compares
today's search with the SLA-ordered one, the default before, under the same
load); prints the load average, then p50 / p95 / max per call and kind.

`--verify` also checks, for every query, on either engine: in SLA order, that
`match_where`'s ids are exactly the newest `WINDOW` tickets holding the words
(one plain query); newest first, that the first two pages and the count are
exactly those of a plain query over every visible match (ids newest first).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import statistics
import sys
import time
from pathlib import Path

AGENT = "bench.it.agent1"
KINDS = ("common", "mid", "rare", "prefix", "two", "absent")
ABSENT = ("zqxwv", "qqqjjj", "xylophonic", "printerzz")


def _configure(db: str) -> None:
    # Before anything imports a Piccolo table (PICCOLO_CONF reads these once).
    os.environ.pop("DATABASE_URL", None)
    if db.startswith("sqlite:"):
        os.environ["POLYDESK_DATA_DIR"] = str(Path(db.removeprefix("sqlite:")).resolve())
    else:
        os.environ["DATABASE_URL"] = db
        os.environ.setdefault("POLYDESK_DATA_DIR", "/tmp/polydesk-bench/ticket-search")
    os.environ["PICCOLO_CONF"] = "polydesk.core.piccolo_conf"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def scenario_words() -> list[str]:
    """The distinct words of the scale scenarios' ticket searches, in their order."""
    from benchmarks.knowledge_search import vocabularies
    from benchmarks.scenarios import SEED

    rng = random.Random(SEED + 10)
    vocab = vocabularies(random.Random(SEED + 2))["en"]
    return list(dict.fromkeys(vocab.query_words(rng, 1)[0] for _ in range(60)))


async def _matches(word: str) -> int:
    from polydesk.core.db import is_postgres_engine
    from polydesk.core.tickets.search import TS_CONFIG
    from polydesk.core.tickets.tables import Ticket

    if is_postgres_engine():
        sql = f"SELECT count(*) AS n FROM ticket_search WHERE search_vector @@ to_tsquery('{TS_CONFIG}', {{}})"
        return (await Ticket.raw(sql, word))[0]["n"]
    return (
        await Ticket.raw(
            "SELECT count(*) AS n FROM ticket_fts WHERE ticket_fts MATCH {}", f'"{word}"'
        )
    )[0]["n"]


async def queries() -> list[tuple[str, str]]:
    """(kind, q) for every query, untimed: kinds by the share of tickets matched."""
    from polydesk.core.tickets.tables import Ticket

    total = (await Ticket.raw("SELECT max(id) AS n FROM ticket"))[0]["n"] or 1
    words = scenario_words()
    out = []
    for word in words:
        share = await _matches(word) / total
        out.append(("common" if share >= 0.05 else "mid" if share >= 0.005 else "rare", word))
    out += [("prefix", p) for p in dict.fromkeys(w[:4] for w in words)]
    out += [("two", f"{a} {b[:5]}") for a, b in zip(words[::2], words[1::2], strict=False)]
    out += [("absent", w) for w in ABSENT]
    return out


def _all_matches(q: str) -> tuple[str, str]:
    """SQL of the ids of every ticket holding the words of `q`, and its parameter."""
    from polydesk.core.db import is_postgres_engine
    from polydesk.core.tickets.search import TS_CONFIG, words

    terms = words(q)
    if is_postgres_engine():
        return (
            "SELECT ticket AS id FROM ticket_search WHERE search_vector @@ "
            f"to_tsquery('{TS_CONFIG}', {{}})",
            " & ".join(f"{t}:*" for t in terms),
        )
    return (
        "SELECT rowid AS id FROM ticket_fts WHERE ticket_fts MATCH {}",
        " ".join(f'"{t}"*' for t in terms),
    )


async def verify(qs: list[tuple[str, str]], actor, service) -> int:
    """How many queries' results differ from their reference, plain queries."""
    from piccolo.columns.combination import WhereRaw

    from polydesk.core.tickets.search import WINDOW, match_where
    from polydesk.core.tickets.services import TicketFilters
    from polydesk.core.tickets.tables import Ticket

    bad = 0
    for kind, q in qs:
        sql, arg = _all_matches(q)
        window = [r["id"] for r in await Ticket.raw(f"{sql} ORDER BY id DESC LIMIT {WINDOW}", arg)]
        got = (
            await Ticket.select(Ticket.id)
            .where(match_where(q))
            .order_by(Ticket.id, ascending=False)
        )
        if [r["id"] for r in got] != window:
            bad += 1
            print(f"  DIFFERS (window): {kind} {q!r}: {len(got)} ids, reference {len(window)}")
        # Newest first: every visible match, by a plain query (the reader's WHERE).
        filters = TicketFilters(q=q, sort="newest")
        visible = service._where(actor, filters) & WhereRaw(f'"ticket"."id" IN ({sql})', arg)
        reference = [
            r["id"]
            for r in await Ticket.select(Ticket.id)
            .where(visible)
            .order_by(Ticket.id, ascending=False)
            .limit(1000)
        ]
        first = await service.list(actor, filters, limit=50)
        ids = [t.id for t in first.items]
        if first.next_cursor:
            ids += [
                t.id
                for t in (
                    await service.list(actor, filters, cursor=first.next_cursor, limit=50)
                ).items
            ]
        count = await service.count(actor, filters, cap=1000)
        if ids != reference[:100] or count != len(reference):
            bad += 1
            print(
                f"  DIFFERS (newest): {kind} {q!r}: {len(ids)} ids, count {count}, reference {len(reference)}"
            )
    return bad


async def _run(runs: int, check: bool, sorts: list[str]) -> dict[str, dict[str, list[float]]]:
    from polydesk.core.people.services import load_actor
    from polydesk.core.people.tables import Person
    from polydesk.core.runtime import Runtime
    from polydesk.core.settings import Settings
    from polydesk.core.tickets.search import default_sort
    from polydesk.core.tickets.services import TicketFilters, TicketService
    from polydesk.core.tickets.tables import Ticket

    runtime = Runtime.create(Settings.from_env())
    await Ticket._meta.db.start_connection_pool()  # as the web app does (web/plugin.py)
    try:
        person = await Person.select(Person.id).where(Person.username == AGENT).first()
        actor = await load_actor(person["id"])
        qs = await queries()
        for kind in KINDS:
            print(f"  {kind:<7} {' '.join(q for k, q in qs if k == kind)}")
        if check:
            bad = await verify(qs, actor, TicketService(await runtime.snapshot()))
            print(f"verify: {len(qs) - bad} of {len(qs)} queries identical to the reference")
        timings: dict[str, dict[str, list[float]]] = {
            f"{call}{'' if sort == 'default' else '-' + sort}": {k: [] for k in KINDS}
            for sort in sorts
            for call in ("api", "next", "html")
        }
        for n, sort, (kind, q) in (
            (n, sort, query) for n in range(runs + 1) for query in qs for sort in sorts
        ):
            # Each query in every order in turn, so that all orders see the same load.
            suffix = "" if sort == "default" else f"-{sort}"
            filters = TicketFilters(q=q, sort=default_sort(q) if sort == "default" else sort)
            snapshot = await runtime.snapshot()
            start = time.perf_counter()
            page = await TicketService(snapshot).list(actor, filters, limit=50)
            api = time.perf_counter() - start
            start = time.perf_counter()
            if page.next_cursor:
                service = TicketService(await runtime.snapshot())
                await service.list(actor, filters, cursor=page.next_cursor, limit=50)
            deeper = time.perf_counter() - start
            start = time.perf_counter()
            service = TicketService(await runtime.snapshot())
            await service.count(actor, filters, cap=1000)
            await service.list(actor, filters, limit=50)
            html = time.perf_counter() - start
            if n:  # the first round warms caches and the pool
                timings[f"api{suffix}"][kind].append(api * 1000)
                if page.next_cursor:
                    timings[f"next{suffix}"][kind].append(deeper * 1000)
                timings[f"html{suffix}"][kind].append(html * 1000)
        return timings
    finally:
        await Ticket._meta.db.close_connection_pool()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="a PostgreSQL URL or sqlite:DATA_DIR")
    parser.add_argument("--runs", type=int, default=5, help="rounds over every query")
    parser.add_argument("--verify", action="store_true", help="compare results to plain queries")
    parser.add_argument(
        "--sort",
        default="default",
        help="the list's order: `default` (the API's for a search: newest first), `sla` "
        "(explicit; the API's default before newest-first searches) or `newest`; several "
        "comma-separated are timed in turn, query by query (e.g. `default,sla`)",
    )
    args = parser.parse_args()
    _configure(args.db)
    logging.disable(logging.INFO)
    print(
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {args.db}; sort {args.sort}"
    )
    sorts = args.sort.split(",")
    if not set(sorts) <= {"default", "sla", "newest"}:
        parser.error("--sort: default, sla or newest")
    timings = asyncio.run(_run(args.runs, args.verify, sorts))
    print(f"{'call':<8} {'kind':<7} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for call, kinds in timings.items():
        every: list[float] = []
        for kind, values in [*kinds.items(), ("all", [])]:
            values = every if kind == "all" else values
            if kind != "all":
                every += values
            if values:
                print(
                    f"{call:<8} {kind:<7} {len(values):>4} {statistics.median(values):>8.1f} "
                    f"{_p95(values):>8.1f} {max(values):>8.1f}"
                )
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
