"""The agent's workspace home at scale, in-process: the page, then its side-bar counts.

    .venv/bin/python benchmarks/workspace_home.py --db sqlite:/tmp/polydesk-bench/1m
    .venv/bin/python benchmarks/workspace_home.py \\
        --db postgresql://desk:desk@127.0.0.1:54329/desk_bench_perf_1m --runs 20

Runs the real app (ASGI, in this process, no network) over a database made by
`python -m benchmarks generate` and times, as the generator's IT agent
(`bench.it.agent1`, its API token), `GET /agent` (the whole workspace page)
and `GET /agent/counts` (the htmx request that fills the side bar's counts
after the page; skipped where the code has no such route) one after the
other, `--runs` times after two warm-up rounds; then the same for the page
with its counts inline (`GET /agent/counts` without htmx: what `/agent` was
before the counts moved out, and what the page's <noscript> link opens). Prints the median, p95 and
max of each and the load average. Reads only (the token's use is the one
write); it applies no migration, so run it on a database the server has
already migrated.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import time
from pathlib import Path

AGENT = "bench.it.agent1"


def _configure(db: str) -> None:
    # Before anything imports a Piccolo table (PICCOLO_CONF reads these once).
    os.environ.pop("DATABASE_URL", None)
    if db.startswith("sqlite:"):
        os.environ["POLYDESK_DATA_DIR"] = str(Path(db.removeprefix("sqlite:")).resolve())
    else:
        os.environ["DATABASE_URL"] = db
        os.environ.setdefault("POLYDESK_DATA_DIR", "/tmp/polydesk-bench/workspace-home")
    os.environ["PICCOLO_CONF"] = "polydesk.core.piccolo_conf"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def _run(runs: int) -> dict[str, list[float]]:
    from litestar.testing import AsyncTestClient

    from polydesk.core.settings import Settings
    from polydesk.web.app import create_app

    app = create_app(Settings.from_env(), background=False)
    headers = {"Authorization": f"Bearer pd_bench_{AGENT}"}
    timings: dict[str, list[float]] = {"page": [], "counts": [], "inline": []}
    async with AsyncTestClient(app=app, timeout=120) as client:
        has_counts = (await client.get("/agent/counts", headers=headers)).status_code != 404
        requests = [("page", "/agent", {})]
        if has_counts:  # interleaved, so that the three see the same load
            requests += [("counts", "/agent/counts", {"HX-Request": "true"})]
            requests += [("inline", "/agent/counts", {})]
        for n in range(runs + 2):
            for name, url, extra in requests:
                start = time.perf_counter()
                response = await client.get(url, headers={**headers, **extra})
                took = time.perf_counter() - start
                assert response.status_code == 200, response.text[:500]
                if n >= 2:
                    timings[name].append(took * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="sqlite:DATA_DIR or a PostgreSQL URL")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    _configure(args.db)
    logging.disable(logging.INFO)  # not a line per request
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {args.db}")
    timings = asyncio.run(_run(args.runs))
    for name, values in timings.items():
        if not values:
            print(f"{name:>7}: (no such request in this code)")
            continue
        print(
            f"{name:>7}: median {statistics.median(values):7.1f} ms  "
            f"p95 {_p95(values):7.1f} ms  max {max(values):7.1f} ms  ({len(values)} runs)"
        )
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
