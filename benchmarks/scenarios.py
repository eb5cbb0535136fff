"""Drive a real `polydesk serve` over a generated database with `wrk`.

    python -m benchmarks run --db sqlite:/tmp/polydesk-bench/10k --workers 1
    python -m benchmarks run --db postgresql://…/desk_bench_perf --size 100000 --workers 2
    python -m benchmarks run --db sqlite:/tmp/polydesk-bench/10k --scenario queue
    python -m benchmarks run --db sqlite:/tmp/polydesk-bench/100k-44 --departments 40

Starts `polydesk serve --workers N` on 127.0.0.1 (it applies any migration
newer than the generated database first) with production settings (connection pool on, no reload, its ordinary logging), checks every
request of every scenario once (each must answer 2xx), then measures each
scenario with `wrk` (Debian's package) for `--duration` seconds after a
2-second warm-up, sampling the server's memory (VmRSS of every worker, from
/proc) five times a second. Requests come from files the harness writes, one
request a line, replayed by benchmarks/wrk/requests.lua; agents authenticate
with API tokens (the same actor lookup as a session cookie, without CSRF).

Scenarios, as an IT agent unless said otherwise:

- create: POST /api/v1/tickets as 50 requesters in turn (form data validated,
  timeline, SLA clocks and outbox written);
- queue: the IT "open" queue sorted by SLA due — the workspace list fragment with
  its count (HTML, what a queue click fetches) and the API list, first page and
  deep pages (keyset cursors from 50% to 95% down the queue);
- ticket: the workspace page of tickets with 30 timeline events;
- search: knowledge search (API), ticket keyword search (API and HTML list);
- home: the whole workspace page, and the htmx request that then fills its
  side bar's counts (one per queue link), as the IT agent and as the admin
  (every department's queues);
- admin: the admin console pages that list departments and plugins (console,
  plugins, departments with their request types, SLA policies and calendars),
  as the admin; portal: the portal's home (every department's catalog
  entry) as a requester;
- mixed: 80% reads / 20% writes (creations and replies), 50 connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks.generate import AGENTS, SEED, Target, token_for

LUA = Path(__file__).with_name("wrk") / "requests.lua"
POLYDESK = str(Path(sys.executable).with_name("polydesk"))
WORK = Path("/tmp/polydesk-bench/run")
AGENT = "bench.it.agent1"
ADMIN = "bench.admin"
QUEUE = {"department": "it", "state_category": "open"}

#: Targets at 1,000,000 tickets (issue 8): (kind, value); p95 in ms or req/s.
TARGETS: dict[str, tuple[str, float]] = {
    "create": ("rps", 500),
    "queue-html-first": ("p95", 50),
    "queue-html-deep": ("p95", 50),
    "queue-api-first": ("p95", 30),
    "queue-api-deep": ("p95", 30),
    "ticket-html": ("p95", 40),
    "kb-search": ("p95", 20),
    "ticket-search-api": ("p95", 20),
    "ticket-search-html": ("p95", 20),
    "home": ("p95", 200),
}
ADMIN_PAGES = {
    "admin-console": "/admin/",
    "admin-plugins": "/admin/plugins",
    "admin-departments": "/admin/departments",
    "admin-sla": "/admin/sla",
}
GROUPS = {
    "create": ["create"],
    "queue": ["queue-html-first", "queue-html-deep", "queue-api-first", "queue-api-deep"],
    "ticket": ["ticket-html"],
    "search": ["kb-search", "ticket-search-api", "ticket-search-html"],
    "home": ["home", "home-counts", "home-admin", "home-admin-counts"],
    "admin": [*ADMIN_PAGES, "portal-home"],
    "mixed": ["mixed"],
}
#: Read-only first, so they see the generated data as it was loaded.
ORDER = ["queue", "ticket", "search", "home", "admin", "create", "mixed"]


@dataclass
class Request:
    method: str
    path: str
    token: str = "-"
    htmx: bool = False
    body: Any = None

    def line(self) -> str:
        body = "-" if self.body is None else json.dumps(self.body, separators=(",", ":"))
        return "\t".join([self.method, self.path, self.token, "1" if self.htmx else "0", body])


# -- what to ask for: read from the generated database ---------------------------------


async def _rows(target: Target, sql: str) -> list[tuple]:
    if target.postgres:
        import asyncpg

        conn = await asyncpg.connect(**target.pg_config())
        try:
            return [tuple(r) for r in await conn.fetch(sql)]
        finally:
            await conn.close()
    import sqlite3

    conn = sqlite3.connect(target.sqlite_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


async def generated_departments(target: Target) -> int:
    """How many generated departments the database was filled with (their
    counters are written for every department, busy or not)."""
    rows = await _rows(target, "SELECT department FROM department_counter")
    return sum(1 for (slug,) in rows if slug not in AGENTS)


def _when(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


async def build_requests(target: Target) -> dict[str, list[Request]]:
    """Every scenario's requests, from what the database holds."""
    from benchmarks.knowledge_search import vocabularies
    from polydesk.core.demo import sample_form_data
    from polydesk.core.runtime import Runtime
    from polydesk.core.settings import Settings
    from polydesk.core.tickets.services import encode_cursor

    rng = random.Random(SEED + 10)
    agent = token_for(AGENT)
    where = "department = 'it' AND state_category = 'open'"
    size = (await _rows(target, f"SELECT count(*) FROM ticket WHERE {where}"))[0][0]
    cursors = []
    for share in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
        row = await _rows(
            target,
            f"SELECT sla_due_at, id FROM ticket WHERE {where} ORDER BY sla_due_at, id "
            f"LIMIT 1 OFFSET {int(size * share)}",
        )
        if row:
            cursors.append(encode_cursor([_when(row[0][0]).isoformat(), row[0][1]]))
    long_keys = [
        r[0]
        for r in await _rows(
            target,
            "SELECT key FROM ticket WHERE version = 30 AND department = 'it' ORDER BY id LIMIT 40",
        )
    ]
    open_keys = [
        r[0]
        for r in await _rows(
            target, f"SELECT key FROM ticket WHERE {where} ORDER BY id DESC LIMIT 200"
        )
    ]
    requesters = [
        r[0]
        for r in await _rows(
            target,
            "SELECT p.username FROM person p JOIN api_token t ON t.person = p.id "
            "WHERE p.username LIKE 'bench.user%' OR p.username LIKE 'bench.manager%' ORDER BY p.id",
        )
    ]
    registry = Runtime.create(Settings.from_env()).registry
    types = [
        rt for rt in registry.request_types.values() if rt.department == "it" and not rt.agents_only
    ]
    vocab = vocabularies(random.Random(SEED + 2))["en"]
    words = [vocab.query_words(rng, 1)[0] for _ in range(60)]

    def queue(**extra: Any) -> str:
        return urlencode({**QUEUE, **extra})

    r: dict[str, list[Request]] = {}
    r["create"] = [
        Request(
            "POST",
            "/api/v1/tickets",
            token_for(requesters[k % len(requesters)]),
            body={
                "request_type": (rt := types[k % len(types)]).key,
                "title": " ".join(vocab.query_words(rng, 3)).capitalize() + f" — benchmark {k}",
                "description": " ".join(vocab.sample(rng, 30)),
                "form_data": sample_form_data(rt.form, k),
            },
        )
        for k in range(500)
    ]
    r["queue-html-first"] = [Request("GET", f"/agent?{queue()}", agent, htmx=True)]
    r["queue-html-deep"] = [
        Request("GET", f"/agent?{queue(cursor=c)}", agent, htmx=True) for c in cursors
    ]
    r["queue-api-first"] = [Request("GET", f"/api/v1/tickets?{queue(limit=50)}", agent)]
    r["queue-api-deep"] = [
        Request("GET", f"/api/v1/tickets?{queue(limit=50, cursor=c)}", agent) for c in cursors
    ]
    r["ticket-html"] = [Request("GET", f"/agent/tickets/{k}", agent) for k in long_keys]
    r["kb-search"] = [
        Request("GET", f"/api/v1/knowledge/search?{urlencode({'q': w})}", agent) for w in words
    ]
    r["ticket-search-api"] = [
        Request("GET", f"/api/v1/tickets?{urlencode({'q': w, 'limit': 50})}", agent) for w in words
    ]
    r["ticket-search-html"] = [
        Request("GET", f"/agent?{urlencode({'q': w})}", agent, htmx=True) for w in words
    ]
    r["home"] = [Request("GET", "/agent", agent)]
    r["home-counts"] = [Request("GET", "/agent/counts", agent, htmx=True)]
    r["home-admin"] = [Request("GET", "/agent", token_for(ADMIN))]
    r["home-admin-counts"] = [Request("GET", "/agent/counts", token_for(ADMIN), htmx=True)]
    for scenario, path in ADMIN_PAGES.items():
        r[scenario] = [Request("GET", path, token_for(ADMIN))]
    r["portal-home"] = [Request("GET", "/", token_for(requesters[0]))]
    # Mixed: 80% reads over every read above, 20% writes (half creations, half replies).
    reads = [
        *(r["queue-html-first"] * 6),
        *r["queue-html-deep"],
        *(r["queue-api-first"] * 6),
        *r["queue-api-deep"],
        *r["ticket-html"][:20],
        *[Request("GET", f"/api/v1/tickets/{k}", agent) for k in open_keys[:20]],
        *r["kb-search"][:10],
        *r["ticket-search-api"][:10],
        *(r["home"] * 4),
    ]
    mixed = [rng.choice(reads) for _ in range(800)]
    mixed += r["create"][:100]
    mixed += [
        Request(
            "POST",
            f"/api/v1/tickets/{open_keys[k % len(open_keys)]}/comments",
            agent,
            body={"body": " ".join(vocab.sample(rng, 20)), "public": bool(k % 2)},
        )
        for k in range(100)
    ]
    rng.shuffle(mixed)
    r["mixed"] = mixed
    return r


# -- the server -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _rss_kib(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Server:
    """`polydesk serve` in a subprocess, with a memory sampler over its workers."""

    def __init__(self, target: Target, workers: int, port: int) -> None:
        self.target = target
        self.workers = workers
        self.port = port or _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = WORK / f"serve-{self.port}.log"
        self.proc: subprocess.Popen | None = None
        self.peak_sum = 0
        self.peak_one = 0
        self.startup_s = 0.0  # from spawning to the first healthy answer
        self.ready_rss_kib = 0  # VmRSS summed over the workers then, before any request
        self._stop = threading.Event()
        self._sampler: threading.Thread | None = None

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("POLYDESK_", "DATABASE_"))}
        env.update(self.target.environment())
        env.setdefault("POLYDESK_SQLITE_POOL", "1")  # as by default
        Path(env["POLYDESK_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
        spawned = time.monotonic()
        self.proc = subprocess.Popen(
            [POLYDESK, "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", str(self.workers)],
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        import httpx

        deadline = time.monotonic() + 900  # a first start may migrate (index) a big database
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"polydesk serve exited: {self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.base}/-/health", timeout=2).status_code == 200:
                    self.startup_s = time.monotonic() - spawned
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        else:
            raise SystemExit(f"polydesk serve did not answer: {self.log.read_text()[-3000:]}")
        if self.workers > 1:  # every worker up before measuring
            while len(_children(self.proc.pid)) < self.workers and time.monotonic() < deadline:
                time.sleep(0.3)
        self.ready_rss_kib = sum(_rss_kib(p) for p in self.worker_pids())
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def worker_pids(self) -> list[int]:
        assert self.proc is not None
        if self.workers == 1:
            return [self.proc.pid]
        # uvicorn's supervisor forks the workers (plus, on some versions, a helper).
        return [p for p in _children(self.proc.pid) if _rss_kib(p) > 20_000] or [self.proc.pid]

    def _sample(self) -> None:
        pids: list[int] = []
        last = 0.0
        while not self._stop.is_set():
            if time.monotonic() - last > 2:
                pids, last = self.worker_pids(), time.monotonic()
            sizes = [_rss_kib(p) for p in pids]
            self.peak_sum = max(self.peak_sum, sum(sizes))
            self.peak_one = max(self.peak_one, max(sizes, default=0))
            time.sleep(0.2)

    def reset_peak(self) -> None:
        self.peak_sum = self.peak_one = 0

    def stop(self) -> None:
        self._stop.set()
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


# -- measuring ---------------------------------------------------------------------------


@dataclass
class Result:
    scenario: str
    connections: int
    rps: float
    p50: float
    p95: float
    p99: float
    max: float
    requests: int
    errors: int
    rss_sum_mib: float
    rss_worker_mib: float
    extra: dict[str, Any] = field(default_factory=dict)

    def verdict(self, size: int) -> str:
        target = TARGETS.get(self.scenario)
        if target is None:
            return ""
        kind, value = target
        got = self.rps if kind == "rps" else self.p95
        ok = got >= value if kind == "rps" else got <= value
        label = f"≥ {value:g}/s" if kind == "rps" else f"p95 ≤ {value:g} ms"
        return f"{'met' if ok else 'MISSED'} ({label})"


def check(server: Server, requests: list[Request]) -> None:
    """Each distinct request once: it must answer 2xx (else the figures mean nothing)."""
    import httpx

    seen = set()
    with httpx.Client(base_url=server.base, timeout=60) as client:
        for req in requests:
            if req.line() in seen or len(seen) > 12:
                continue
            seen.add(req.line())
            headers = {"Authorization": f"Bearer {req.token}"} if req.token != "-" else {}
            if req.htmx:
                headers["HX-Request"] = "true"
            response = client.request(req.method, req.path, headers=headers, json=req.body)
            if not 200 <= response.status_code < 300:
                raise SystemExit(
                    f"{req.method} {req.path} answered {response.status_code}: "
                    f"{response.text[:500]}"
                )


def wrk(server: Server, requests: list[Request], connections: int, seconds: int) -> dict:
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"requests-{server.port}.tsv"
    path.write_text("\n".join(r.line() for r in requests) + "\n")
    threads = min(2, connections)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
         "-s", str(LUA), server.base],
        env={**os.environ, "BENCH_REQUESTS": str(path)},
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip
    for line in out.stdout.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[6:])
    raise SystemExit(f"wrk said nothing usable:\n{out.stdout}\n{out.stderr}")


def measure(
    server: Server, scenario: str, requests: list[Request], connections: int, seconds: int
) -> Result:
    wrk(server, requests, connections, 2)  # warm-up: caches, pool, JIT-less Python paths
    server.reset_peak()
    got = wrk(server, requests, connections, seconds)
    errors = sum(
        got[k]
        for k in (
            "status_errors",
            "connect_errors",
            "read_errors",
            "write_errors",
            "timeouts",
        )
    )
    return Result(
        scenario=scenario,
        connections=connections,
        rps=got["requests"] / (got["duration_us"] / 1e6),
        p50=got["p50"] / 1000,
        p95=got["p95"] / 1000,
        p99=got["p99"] / 1000,
        max=got["max"] / 1000,
        requests=got["requests"],
        errors=errors,
        rss_sum_mib=server.peak_sum / 1024,
        rss_worker_mib=server.peak_one / 1024,
    )


def machine() -> list[str]:
    load = os.getloadavg()
    return [
        f"platform: {platform.platform()}, {os.cpu_count()} CPUs, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        f"python: {platform.python_implementation()} {platform.python_version()}",
    ]


def table(results: list[Result], size: int | None) -> str:
    head = (
        f"{'scenario':<20} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>6} {'RSS MiB':>13}  target at 1M"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{r.scenario:<20} {r.connections:>5} {r.rps:>8.1f} {r.p50:>8.1f} {r.p95:>8.1f} "
            f"{r.p99:>8.1f} {r.errors:>6} {r.rss_sum_mib:>6.0f}/{r.rss_worker_mib:<6.0f}  "
            f"{r.verdict(size or 0)}"
        )
    return "\n".join(lines)


def main(args: Any) -> int:
    target: Target = args.db
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    if args.size:
        from benchmarks.generate import generate

        target = dataclasses.replace(target, departments=args.departments or 0)
        target.apply()
        made = asyncio.run(generate(target, args.size))
        print(f"generated {made['tickets']:,} tickets in {made['total_s']:.1f} s")
    else:
        target.apply()
        found = asyncio.run(generated_departments(target))
        if args.departments is not None and args.departments != found:
            raise SystemExit(
                f"the database has {found} generated departments, not {args.departments}: "
                f"generate it with --departments {args.departments}"
            )
        target = dataclasses.replace(target, departments=found)
        target.apply()
    size = asyncio.run(_rows(target, "SELECT count(*) FROM ticket"))[0][0]
    chosen = args.scenario or ORDER
    unknown = set(chosen) - set(GROUPS)
    if unknown:
        raise SystemExit(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    requests = asyncio.run(build_requests(target))
    WORK.mkdir(parents=True, exist_ok=True)
    server = Server(target, args.workers, args.port)
    print("# Polydesk benchmark")
    for line in machine():
        print(line)
    print(
        f"database: {target.kind} ({target.location}), {size:,} tickets, "
        f"{4 + target.departments} departments; "
        f"polydesk serve --workers {args.workers}; {args.duration} s per scenario"
    )
    results: list[Result] = []
    server.start()
    print(
        f"server answered after {server.startup_s:.2f} s (its polling: ±0.3 s), "
        f"RSS then {server.ready_rss_kib / 1024:.0f} MiB",
        flush=True,
    )
    try:
        for group in [g for g in ORDER if g in chosen]:
            for scenario in GROUPS[group]:
                check(server, requests[scenario])
                connections = args.mixed_connections if scenario == "mixed" else args.connections
                result = measure(server, scenario, requests[scenario], connections, args.duration)
                results.append(result)
                print(
                    f"  {scenario}: {result.rps:.1f} req/s, p95 {result.p95:.1f} ms",
                    flush=True,
                )
    finally:
        server.stop()
    print()
    print(table(results, size))
    print(
        "RSS MiB: peak of the sum over workers / peak of one worker; latencies include "
        "queueing at the given connections"
    )
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "db": target.kind,
                    "size": size,
                    "departments": 4 + target.departments,
                    "workers": args.workers,
                    "startup_s": server.startup_s,
                    "ready_rss_mib": server.ready_rss_kib / 1024,
                    "machine": machine(),
                    "results": [r.__dict__ for r in results],
                },
                indent=2,
            )
        )
    return 0
