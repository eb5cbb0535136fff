"""The SLA scheduler's breach and warning scans at 1,000,000 open tickets.

    .venv/bin/python benchmarks/sla_breach_scan.py                      # SQLite
    .venv/bin/python benchmarks/sla_breach_scan.py --db postgres --createdb \\
        --url postgresql://desk:desk@127.0.0.1:54329/desk_bench

Builds a fresh database with the real migrations (SQLite in a temporary data
directory; PostgreSQL in the database of `--url`, which must be empty, or which
`--createdb` creates and drops), bulk-loads N open IT incidents with one SLA
clock each in set-based SQL, ANALYZEs, then reports:

- the plans of exactly the SQL that `polydesk.core.sla.scheduler._claim` runs
  (captured from it, not copied), which must use the partial indexes
  `sla_clock_breach_scan_idx` / `sla_clock_warning_scan_idx` and no table scan;
- the claim SELECT timed on one open connection (the query itself), and through
  the scheduler's own path (`transaction()` + `_claim`, Piccolo included);
- one `fire_due(snapshot, now, limit=1000)` run, then the claim again (on
  PostgreSQL the fired rows leave dead entries at the head of the index).

The clocks: 5% met, 5% paused (no due date), 90% running with due dates spread
evenly over ±30 days around now. Running clocks that came due before the last
`--backlog-minutes` have fired already (as a live scheduler would have done);
those due within it are the backlog `fire_due` works through.

Exits non-zero when a plan does not use its partial index, or the claim SELECT's
p95 on an open connection exceeds the budget.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

#: p95 of one claim SELECT on an open connection.
BUDGET_MS = 10.0
KINDS = ("breach", "warning")
PENDING = {"breach": "unfired breaches", "warning": "unfired warnings"}
INDEXES = {"breach": "sla_clock_breach_scan_idx", "warning": "sla_clock_warning_scan_idx"}
SPAN = 60 * 86_400  # due dates over ±30 days
STRIDE = 2_654_435_761  # prime: i * STRIDE % SPAN spreads consecutive ids evenly
WARN_LEAD = 6 * 3_600  # warnings 6 hours before the due date (80% of 30 h)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--url", help="postgresql://user:pass@host:port/database (PostgreSQL)")
    parser.add_argument(
        "--createdb",
        action="store_true",
        help="create the --url database first and drop it at the end",
    )
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200, help="timed executions per query")
    parser.add_argument("--fire-limit", type=int, default=1000, help="fire_due's limit")
    parser.add_argument(
        "--backlog-minutes",
        type=int,
        default=120,
        help="running clocks due within this many minutes before now are not fired yet",
    )
    parser.add_argument("--no-pool", action="store_true", help="PostgreSQL: no connection pool")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite data directory")
    args = parser.parse_args()
    if args.db == "postgres" and not args.url:
        parser.error("--db postgres needs --url postgresql://...")
    return args


# -- Environment: set before polydesk is imported (tables read it once) ---------


def configure_environment(args: argparse.Namespace) -> Path:
    data_dir = Path(tempfile.mkdtemp(prefix="polydesk-bench-"))
    os.environ["POLYDESK_DATA_DIR"] = str(data_dir)
    os.environ["PICCOLO_CONF"] = "polydesk.core.piccolo_conf"
    os.environ["POLYDESK_DB_POOL"] = "0"  # the pool, if any, is started explicitly below
    os.environ.pop("POLYDESK_DISABLE_PLUGINS", None)
    if args.db == "postgres":
        os.environ["DATABASE_URL"] = args.url
    else:
        os.environ.pop("DATABASE_URL", None)
    return data_dir


def pg_config(url: str, database: str | None = None) -> dict[str, Any]:
    parts = urlparse(url)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "database": database or parts.path.lstrip("/"),
    }


async def create_database(url: str) -> None:
    import asyncpg

    name = pg_config(url)["database"]
    conn = await asyncpg.connect(**pg_config(url, "postgres"))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def drop_database(url: str) -> None:
    import asyncpg

    name = pg_config(url)["database"]
    conn = await asyncpg.connect(**pg_config(url, "postgres"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


# -- The scheduler's SQL, from the scheduler itself ---------------------------


async def scheduler_claim_sql(kind: str, now: dt.datetime) -> str:
    """The SQL `_claim(kind, now)` runs, with `{}` for its one parameter, `now`."""
    from polydesk.core.db import is_postgres_engine
    from polydesk.core.sla.scheduler import claim_sql

    return claim_sql(kind, postgres=is_postgres_engine())


# -- Bulk load -------------------------------------------------------------------

# One ticket per i in 1..n, id = i, and one clock with id = i. `due` is an epoch
# second; k = i % 100 picks the clock's status: 0-4 met, 5-9 paused, else running.
SQLITE_SERIES = """
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < :n),
g AS (SELECT i, i % 100 AS k, :now + (i * :stride) % :span - :span / 2 AS due FROM s)
"""
SQLITE_TS = "strftime('%Y-%m-%d %H:%M:%S+00:00', {}, 'unixepoch')"  # Piccolo's format


def _ts_sqlite(expr: str) -> str:
    return SQLITE_TS.format(expr)


SQLITE_TICKETS = f"""{SQLITE_SERIES}
INSERT INTO ticket (id, key, number, department, request_type, title, description,
    form_data, state, state_category, priority, requester, assignment_group,
    created_at, updated_at, sla_due_at, version)
SELECT i, 'IT-' || i, i, 'it', 'it.incident', 'Benchmark incident ' || i, '', '{{}}',
    CASE WHEN k BETWEEN 5 AND 9 THEN 'waiting_for_requester' ELSE 'in_progress' END,
    CASE WHEN k BETWEEN 5 AND 9 THEN 'waiting' ELSE 'open' END,
    1 + i % 4, :requester, '',
    {_ts_sqlite("due - 3 * 86400")}, {_ts_sqlite(":now")},
    CASE WHEN k >= 10 THEN {_ts_sqlite("due")} ELSE :no_due_date END, 1
FROM g
"""

SQLITE_CLOCKS = f"""{SQLITE_SERIES}
INSERT INTO sla_clock (id, ticket, metric, policy, calendar, target_minutes, started_at,
    due_at, warn_at, status, elapsed_minutes, met_at, warned_at, breached_at, updated_at)
SELECT i, i, CASE WHEN k < 5 THEN 'first_response' ELSE 'resolution' END,
    'it.incident', 'it.office_hours', CASE WHEN k < 5 THEN 600 ELSE 1800 END,
    {_ts_sqlite("due - 3 * 86400")},
    CASE WHEN k BETWEEN 5 AND 9 THEN NULL ELSE {_ts_sqlite("due")} END,
    CASE WHEN k BETWEEN 5 AND 9 THEN NULL ELSE {_ts_sqlite("due - :warn_lead")} END,
    CASE WHEN k < 5 THEN 'met' WHEN k < 10 THEN 'paused' ELSE 'running' END,
    0,
    CASE WHEN k < 5 THEN {_ts_sqlite("due - 3 * 86400 + 1800")} END,
    CASE WHEN k >= 10 AND due - :warn_lead < :cutoff THEN {_ts_sqlite("due - :warn_lead")} END,
    CASE WHEN k >= 10 AND due < :cutoff THEN {_ts_sqlite("due")} END,
    {_ts_sqlite(":now")}
FROM g
"""

PG_SERIES = """
FROM (SELECT i, i % 100 AS k, $1::bigint + (i * $2::bigint) % $3::bigint - $3::bigint / 2 AS due
      FROM generate_series(1, $4::integer) AS i) AS g
"""

PG_TICKETS = f"""
INSERT INTO ticket (id, key, number, department, request_type, title, description,
    form_data, state, state_category, priority, requester, assignment_group,
    created_at, updated_at, sla_due_at, version)
SELECT i, 'IT-' || i, i, 'it', 'it.incident', 'Benchmark incident ' || i, '', '{{}}',
    CASE WHEN k BETWEEN 5 AND 9 THEN 'waiting_for_requester' ELSE 'in_progress' END,
    CASE WHEN k BETWEEN 5 AND 9 THEN 'waiting' ELSE 'open' END,
    1 + i % 4, $5::integer, '',
    to_timestamp(due - 3 * 86400), to_timestamp($1::bigint),
    CASE WHEN k >= 10 THEN to_timestamp(due) ELSE $6::timestamptz END, 1
{PG_SERIES}
"""

PG_CLOCKS = f"""
INSERT INTO sla_clock (id, ticket, metric, policy, calendar, target_minutes, started_at,
    due_at, warn_at, status, elapsed_minutes, met_at, warned_at, breached_at, updated_at)
SELECT i, i, CASE WHEN k < 5 THEN 'first_response' ELSE 'resolution' END,
    'it.incident', 'it.office_hours', CASE WHEN k < 5 THEN 600 ELSE 1800 END,
    to_timestamp(due - 3 * 86400),
    CASE WHEN k BETWEEN 5 AND 9 THEN NULL ELSE to_timestamp(due) END,
    CASE WHEN k BETWEEN 5 AND 9 THEN NULL ELSE to_timestamp(due - $5::bigint) END,
    CASE WHEN k < 5 THEN 'met' WHEN k < 10 THEN 'paused' ELSE 'running' END,
    0,
    CASE WHEN k < 5 THEN to_timestamp(due - 3 * 86400 + 1800) END,
    CASE WHEN k >= 10 AND due - $5::bigint < $6::bigint THEN to_timestamp(due - $5::bigint) END,
    CASE WHEN k >= 10 AND due < $6::bigint THEN to_timestamp(due) END,
    to_timestamp($1::bigint)
{PG_SERIES}
"""


def load_sqlite(path: Path, n: int, now: dt.datetime, backlog: int) -> dict[str, float]:
    from polydesk.core.sla.services import NO_DUE_DATE

    epoch = int(now.timestamp())
    timings: dict[str, float] = {}
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # Loader-only settings; the timed queries below use ordinary connections.
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -524288")  # 512 MiB
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("BEGIN")
        requester = conn.execute(
            "INSERT INTO person (username, display_name, email, password_hash, is_admin,"
            " active, created_at) VALUES ('bench.requester', 'Bench Requester', '', '',"
            " 0, 1, ?) RETURNING id",
            (now,),
        ).fetchone()[0]
        params = {"n": n, "now": epoch, "stride": STRIDE, "span": SPAN}
        started = time.perf_counter()
        conn.execute(SQLITE_TICKETS, {**params, "requester": requester, "no_due_date": NO_DUE_DATE})
        timings["tickets"] = time.perf_counter() - started
        started = time.perf_counter()
        conn.execute(
            SQLITE_CLOCKS, {**params, "warn_lead": WARN_LEAD, "cutoff": epoch - backlog * 60}
        )
        timings["clocks"] = time.perf_counter() - started
        conn.execute("DELETE FROM department_counter WHERE department = 'it'")
        conn.execute(
            "INSERT INTO department_counter (department, last_number) VALUES ('it', ?)", (n,)
        )
        started = time.perf_counter()
        conn.execute("COMMIT")
        timings["commit"] = time.perf_counter() - started
        started = time.perf_counter()
        conn.execute("ANALYZE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        timings["analyze"] = time.perf_counter() - started
    finally:
        conn.close()
    return timings


async def load_postgres(url: str, n: int, now: dt.datetime, backlog: int) -> dict[str, float]:
    import asyncpg

    from polydesk.core.sla.services import NO_DUE_DATE

    epoch = int(now.timestamp())
    timings: dict[str, float] = {}
    conn = await asyncpg.connect(**pg_config(url))
    try:
        await conn.execute("SET synchronous_commit = off")  # loader session only
        await conn.execute("SET maintenance_work_mem = '256MB'")
        async with conn.transaction():
            requester = await conn.fetchval(
                "INSERT INTO person (username, display_name, email, password_hash, is_admin,"
                " active, created_at) VALUES ('bench.requester', 'Bench Requester', '', '',"
                " false, true, $1) RETURNING id",
                now,
            )
            started = time.perf_counter()
            await conn.execute(PG_TICKETS, epoch, STRIDE, SPAN, n, requester, NO_DUE_DATE)
            timings["tickets"] = time.perf_counter() - started
            started = time.perf_counter()
            await conn.execute(PG_CLOCKS, epoch, STRIDE, SPAN, n, WARN_LEAD, epoch - backlog * 60)
            timings["clocks"] = time.perf_counter() - started
            for table in ("ticket", "sla_clock"):
                await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), $1)", n)
            await conn.execute("DELETE FROM department_counter WHERE department = 'it'")
            await conn.execute(
                "INSERT INTO department_counter (department, last_number) VALUES ('it', $1)", n
            )
        started = time.perf_counter()
        # What autovacuum would have done by now on a table this size.
        await conn.execute("VACUUM (ANALYZE) ticket, sla_clock")
        timings["analyze"] = time.perf_counter() - started
    finally:
        await conn.close()
    return timings


# -- Measurements ----------------------------------------------------------------


def percentiles(samples_ms: list[float]) -> str:
    return (
        f"median {statistics.median(samples_ms):.3f} ms, p95 {p95_of(samples_ms):.3f} ms, "
        f"max {max(samples_ms):.3f} ms ({len(samples_ms)} runs)"
    )


def p95_of(samples_ms: list[float]) -> float:
    ordered = sorted(samples_ms)
    return ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]


class SQLiteProbe:
    """One open sqlite3 connection for plans and query timings."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.row_factory = sqlite3.Row

    async def plan(self, sql: str, now: dt.datetime) -> str:
        rows = self.conn.execute("EXPLAIN QUERY PLAN " + sql.format("?"), (now,)).fetchall()
        return "\n".join(f"{'  ' if row[1] else ''}{row[3]}" for row in rows)

    async def time_claim(self, sql: str, now: dt.datetime, runs: int) -> tuple[list[float], Any]:
        query = sql.format("?")
        samples, row = [], None
        for _ in range(runs):
            started = time.perf_counter()
            row = self.conn.execute(query, (now,)).fetchall()
            samples.append((time.perf_counter() - started) * 1000)
        return samples, row

    async def version(self) -> str:
        return f"SQLite {sqlite3.sqlite_version} (Python sqlite3 module)"

    async def count_pending(self, kind: str, now: dt.datetime) -> int:
        at, fired = ("due_at", "breached_at") if kind == "breach" else ("warn_at", "warned_at")
        return self.conn.execute(
            f"SELECT count(*) FROM sla_clock WHERE status = 'running' AND {fired} IS NULL"
            f" AND {at} <= ?",
            (now,),
        ).fetchone()[0]

    async def close(self) -> None:
        self.conn.close()


class PostgresProbe:
    """One open asyncpg connection for plans and query timings."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    @classmethod
    async def open(cls, url: str) -> PostgresProbe:
        import asyncpg

        return cls(await asyncpg.connect(**pg_config(url)))

    async def plan(self, sql: str, now: dt.datetime) -> str:
        tr = self.conn.transaction()
        await tr.start()
        try:  # EXPLAIN ANALYZE runs the query: its row lock is rolled back
            rows = await self.conn.fetch("EXPLAIN (ANALYZE, BUFFERS) " + sql.format("$1"), now)
        finally:
            await tr.rollback()
        return "\n".join(row[0] for row in rows)

    async def time_claim(self, sql: str, now: dt.datetime, runs: int) -> tuple[list[float], Any]:
        query = sql.format("$1")
        samples, row = [], None
        for _ in range(runs):
            async with self.conn.transaction():  # FOR UPDATE: one transaction per claim
                started = time.perf_counter()
                row = await self.conn.fetch(query, now)
                samples.append((time.perf_counter() - started) * 1000)
        return samples, row

    async def version(self) -> str:
        return await self.conn.fetchval("SELECT version()")

    async def count_pending(self, kind: str, now: dt.datetime) -> int:
        at, fired = ("due_at", "breached_at") if kind == "breach" else ("warn_at", "warned_at")
        return await self.conn.fetchval(
            f"SELECT count(*) FROM sla_clock WHERE status = 'running' AND {fired} IS NULL"
            f" AND {at} <= $1",
            now,
        )

    async def close(self) -> None:
        await self.conn.close()


async def time_scheduler_path(kind: str, now: dt.datetime, runs: int) -> list[float]:
    """What each claim costs the scheduler: its transaction plus `_claim` via Piccolo."""
    from polydesk.core.db import transaction
    from polydesk.core.sla.scheduler import _claim

    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        async with transaction():
            await _claim(kind, now)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def say(*parts: Any) -> None:
    print(*parts, flush=True)


def machine() -> list[str]:
    cpu = platform.processor() or "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    return [
        f"platform: {platform.platform()}",
        f"cpu: {cpu}, {os.cpu_count()} logical CPUs, memory {memory}",
        f"python: {platform.python_implementation()} {platform.python_version()}",
    ]


def check_plan(kind: str, plan: str) -> bool:
    uses_index = INDEXES[kind] in plan
    full_scan = "Seq Scan" in plan or "SCAN sla_clock" in plan
    return uses_index and not full_scan


async def run(args: argparse.Namespace) -> bool:
    from polydesk.core.db import is_postgres_engine
    from polydesk.core.migrations import migrate
    from polydesk.core.runtime import Runtime
    from polydesk.core.settings import Settings
    from polydesk.core.sla.scheduler import fire_due
    from polydesk.core.tickets.tables import Ticket

    settings = Settings.from_env()
    postgres = args.db == "postgres"
    assert is_postgres_engine() == postgres
    ok = True

    say("# SLA breach scan benchmark")
    for line in machine():
        say(line)
    say(f"tickets: {args.tickets:,} (one SLA clock each)")

    if postgres:
        import asyncpg

        conn = await asyncpg.connect(**pg_config(args.url))
        try:
            existing = await conn.fetchval("SELECT to_regclass('public.ticket') IS NOT NULL")
        finally:
            await conn.close()
        if existing:
            raise SystemExit("the database is not empty: give an empty one, or use --createdb")

    started = time.perf_counter()
    runtime = Runtime.create(settings)
    await migrate(runtime, quiet=True)
    migrate_s = time.perf_counter() - started

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    started = time.perf_counter()
    if postgres:
        load = await load_postgres(args.url, args.tickets, now, args.backlog_minutes)
    else:
        load = load_sqlite(settings.sqlite_path, args.tickets, now, args.backlog_minutes)
    load_s = time.perf_counter() - started

    probe: Any = (
        await PostgresProbe.open(args.url) if postgres else SQLiteProbe(settings.sqlite_path)
    )
    pool = postgres and not args.no_pool
    if pool:  # as the web app does at start-up (web/plugin.py)
        await Ticket._meta.db.start_connection_pool()
    try:
        say(f"database: {await probe.version()}")
        if not postgres:
            size = settings.sqlite_path.stat().st_size
            say(f"database file: {size / 1024 / 1024:.0f} MiB")
        say(f"now: {now.isoformat()}")
        say("")
        say("## Load")
        say(f"migrations: {migrate_s:.2f} s")
        say(
            f"bulk load: {load_s:.1f} s ("
            + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in load.items())
            + ")"
        )
        for kind in KINDS:
            say(f"{PENDING[kind]} due at now: {await probe.count_pending(kind, now):,}")

        sqls = {kind: await scheduler_claim_sql(kind, now) for kind in KINDS}
        say("")
        say("## Plans (the SQL captured from polydesk.core.sla.scheduler._claim)")
        for kind in KINDS:
            plan = await probe.plan(sqls[kind], now)
            good = check_plan(kind, plan)
            ok = ok and good
            say(f"\n### {kind}\n")
            say(sqls[kind].replace("{}", "$1" if postgres else "?"))
            say("")
            say(plan)
            say(
                f"\n-> {'uses' if good else 'DOES NOT USE'} {INDEXES[kind]}"
                f"{'' if good else ' (or scans the table)'}"
            )

        async def timings(label: str) -> None:
            nonlocal ok
            say("")
            say(f"## Claim timings, {label}")
            for kind in KINDS:
                samples, row = await probe.time_claim(sqls[kind], now, args.runs)
                p95 = p95_of(samples)
                ok = ok and p95 <= BUDGET_MS
                say(f"{kind} claim SELECT, open connection: {percentiles(samples)}")
                say(f"  claims: {dict(row[0]) if row else None}")
            for kind in KINDS:
                samples = await time_scheduler_path(kind, now, args.runs)
                say(
                    f"{kind} scheduler path (transaction() + _claim via Piccolo"
                    f"{', pooled' if pool else ', new connection each' if postgres else ''}):"
                    f" {percentiles(samples)}"
                )

        await timings("before fire_due")

        say("")
        say(f"## fire_due(snapshot, now, limit={args.fire_limit})")
        snapshot = await runtime.snapshot()
        started = time.perf_counter()
        fired = await fire_due(snapshot, now, limit=args.fire_limit)
        seconds = time.perf_counter() - started
        total = sum(fired.values())
        say(
            f"fired {fired} in {seconds:.2f} s"
            + (
                f" ({seconds / total * 1000:.2f} ms per event, transaction included)"
                if total
                else ""
            )
        )
        for kind in KINDS:
            say(f"{PENDING[kind]} due after it: {await probe.count_pending(kind, now):,}")

        await timings("after fire_due")
        if postgres:
            say("")
            say("## Plans after fire_due")
            for kind in KINDS:
                say(f"\n### {kind}\n")
                say(await probe.plan(sqls[kind], now))
        say("")
        say(
            f"RESULT: {'OK' if ok else 'FAILED'} (partial indexes used; claim SELECT p95"
            f" within {BUDGET_MS:g} ms on an open connection)"
        )
    finally:
        await probe.close()
        if pool:
            await Ticket._meta.db.close_connection_pool()
    return ok


def main() -> int:
    args = parse_args()
    data_dir = configure_environment(args)
    ok = False
    try:
        if args.db == "postgres" and args.createdb:
            asyncio.run(create_database(args.url))
        ok = asyncio.run(run(args))
    finally:
        if args.db == "postgres" and args.createdb and not args.keep:
            asyncio.run(drop_database(args.url))
        if args.keep:
            print(f"kept: {data_dir if args.db == 'sqlite' else args.url}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
