"""Ticket creation at scale, in-process: statements, CPU and write-lock time per creation.

    .venv/bin/python benchmarks/ticket_create.py --db sqlite:/tmp/polydesk-bench/10k
    .venv/bin/python benchmarks/ticket_create.py \\
        --db postgresql://desk:desk@127.0.0.1:54329/desk_bench_perf --concurrency 4 --statements
    .venv/bin/python benchmarks/ticket_create.py --db sqlite:/tmp/polydesk-bench/1m --profile

Runs the real app (ASGI, in this process, no network; SQLite connections
reused as the harness's server does) over a database made by `python -m
benchmarks generate` and sends `POST /api/v1/tickets` as the generator's
requesters (their API tokens), IT request types with valid form data, `--runs`
times after five warm-up creations, `--concurrency` at a time. Prints
creations per second, the median and p95 of each, the CPU per creation (this
process, every thread: the event loop and the SQLite threads), the statements
per creation by kind, and how long each creation held its write transaction
(on SQLite the database's one write lock) with its COMMIT. `--statements`
lists one creation's statements with their times; `--profile` adds a
pyinstrument profile of the runs. It adds tickets to the database, as the
harness's create scenario does; it applies no migration.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.workspace_home import _configure, _p95

STATEMENTS: list[tuple[str, float]] = []


def _count_statements(engine: Any) -> None:
    """Time every statement the engine runs (its class: PostgresEngine has slots)."""
    cls = type(engine)
    run_querystring = cls.run_querystring

    async def timed(self: Any, querystring: Any, in_pool: bool = True) -> Any:
        started = time.perf_counter()
        try:
            return await run_querystring(self, querystring, in_pool)
        finally:
            STATEMENTS.append((str(querystring), (time.perf_counter() - started) * 1000))

    cls.run_querystring = timed


def _statement_kind(sql: str) -> str:
    """'INSERT ticket', 'UPDATE api_token', 'WITH' ...: the verb and its table."""
    words = sql.replace('"', "").split()
    verb = words[0].upper()
    if verb in ("INSERT", "DELETE") and len(words) > 2:
        return f"{verb} {words[2]}"
    if verb == "UPDATE" and len(words) > 1:
        return f"{verb} {words[1]}"
    return verb


async def _run(args: argparse.Namespace) -> None:
    import httpx

    import polydesk.core.tickets.services as services
    from benchmarks.knowledge_search import vocabularies
    from polydesk.core.demo import sample_form_data
    from polydesk.core.runtime import Runtime
    from polydesk.core.settings import Settings
    from polydesk.core.tickets.tables import Ticket
    from polydesk.web.app import create_app

    app = create_app(Settings.from_env(), background=False)
    rng = random.Random(7)
    vocab = vocabularies(random.Random(9))["en"]

    async with (
        app.lifespan(),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=120
        ) as client,
    ):
        registry = Runtime.create(Settings.from_env()).registry
        types = [
            rt
            for rt in registry.request_types.values()
            if rt.department == "it" and not rt.agents_only
        ]
        rows = await Ticket.raw(
            "SELECT p.username FROM person p JOIN api_token t ON t.person = p.id "
            "WHERE p.username LIKE 'bench.user%' ORDER BY p.id LIMIT 50"
        )
        users = [r["username"] for r in rows]
        if not users:
            raise SystemExit("no bench.user* with an API token: generate the database first")

        async def post(k: int) -> None:
            rt = types[k % len(types)]
            body = {
                "request_type": rt.key,
                "title": " ".join(vocab.query_words(rng, 3)).capitalize() + f" — create {k}",
                "description": " ".join(vocab.sample(rng, 30)),
                "form_data": sample_form_data(rt.form, k),
            }
            headers = {"Authorization": f"Bearer pd_bench_{users[k % len(users)]}"}
            response = await client.post("/api/v1/tickets", json=body, headers=headers)
            if response.status_code != 201:
                raise SystemExit(f"creation answered {response.status_code}: {response.text[:300]}")

        for k in range(5):
            await post(k)
        _count_statements(Ticket._meta.db)
        if args.statements:
            STATEMENTS.clear()
            await post(5)
            print(f"one creation, {len(STATEMENTS)} statements:")
            for sql, ms in STATEMENTS:
                print(f"  {ms:6.2f} ms  {' '.join(sql.split())[:150]}")
        STATEMENTS.clear()

        held: list[float] = []
        commits: list[float] = []
        plain_transaction = services.transaction

        @contextlib.asynccontextmanager
        async def timed_transaction():  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            async with plain_transaction():
                yield
            held.append((time.perf_counter() - started) * 1000)

        services.transaction = timed_transaction
        transaction_class = type(Ticket._meta.db.transaction())
        plain_commit = transaction_class.commit

        async def timed_commit(self: Any) -> None:
            started = time.perf_counter()
            await plain_commit(self)
            commits.append((time.perf_counter() - started) * 1000)

        transaction_class.commit = timed_commit
        latencies: list[float] = []

        async def client_loop(first: int) -> None:
            for k in range(first, args.runs, args.concurrency):
                started = time.perf_counter()
                await post(100 + k)
                latencies.append((time.perf_counter() - started) * 1000)

        profiler = None
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(async_mode="enabled", interval=0.0005)
            profiler.start()
        wall, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(client_loop(n) for n in range(args.concurrency)))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if profiler is not None:
            profiler.stop()
        services.transaction = plain_transaction
        transaction_class.commit = plain_commit

    kinds = Counter(sql.split(None, 1)[0] for sql, _ in STATEMENTS)
    print(
        f"{args.runs} creations, {args.concurrency} at a time: {args.runs / wall:.1f} per second; "
        f"median {statistics.median(latencies):.2f} ms, p95 {_p95(latencies):.2f} ms"
    )
    print(f"CPU per creation (this process, every thread): {cpu / args.runs * 1000:.2f} ms")
    print(
        f"statements per creation: {len(STATEMENTS) / args.runs:.1f} "
        + ", ".join(f"{kind} {n / args.runs:.1f}" for kind, n in kinds.most_common())
        + f" (BEGIN and COMMIT not counted); in them {sum(ms for _, ms in STATEMENTS) / args.runs:.2f} ms"
    )
    by_statement: dict[str, list[float]] = {}
    for sql, ms in STATEMENTS:
        by_statement.setdefault(_statement_kind(sql), []).append(ms)
    print(
        "median per statement: "
        + ", ".join(f"{k} {statistics.median(v):.2f} ms" for k, v in by_statement.items())
    )
    if held:
        print(
            f"write transaction held: median {statistics.median(held):.2f} ms, "
            f"p95 {_p95(held):.2f} ms (with the wait for it); COMMIT median "
            f"{statistics.median(commits) if commits else 0:.2f} ms"
        )
    print(f"load average at the end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    if profiler is not None:
        print(profiler.output_text(unicode=False, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="sqlite:<data dir> or a PostgreSQL URL")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--statements", action="store_true", help="list one creation's SQL")
    parser.add_argument("--profile", action="store_true", help="pyinstrument profile of the runs")
    args = parser.parse_args()
    _configure(args.db)
    os.environ["POLYDESK_SQLITE_POOL"] = "1"  # as the harness's server
    logging.disable(logging.INFO)
    asyncio.run(_run(args))


if __name__ == "__main__":
    main()
