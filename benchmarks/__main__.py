"""`python -m benchmarks generate|run`: the scale harness (see benchmarks/README.md)."""

from __future__ import annotations

import argparse
import sys


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    from benchmarks.generate import Target

    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="fill a fresh database with N tickets")
    gen.add_argument("--size", type=int, default=10_000, help="tickets (default 10,000)")
    gen.add_argument(
        "--db",
        type=Target.parse,
        required=True,
        help="sqlite:DIR (a data directory) or postgresql://user:pass@host:port/db; emptied first",
    )
    gen.add_argument(
        "--departments",
        type=int,
        default=0,
        metavar="N",
        help="N generated departments besides the bundled four (benchmarks/generated_departments.py)",
    )
    gen.add_argument("--quiet", action="store_true", help="no progress bar")

    run = commands.add_parser("run", help="serve a generated database and drive it with wrk")
    run.add_argument("--db", type=Target.parse, required=True, help="as for generate")
    run.add_argument("--size", type=int, help="generate this many tickets first (else reuse)")
    run.add_argument(
        "--departments",
        type=int,
        metavar="N",
        help="the generated departments the server loads (default: as many as the database has)",
    )
    run.add_argument("--workers", type=int, default=1, help="polydesk serve --workers")
    run.add_argument(
        "--scenario",
        action="append",
        help="run only these (repeatable): create, queue, ticket, search, home, admin, mixed",
    )
    run.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    run.add_argument("--connections", type=int, default=4, help="wrk connections (not mixed)")
    run.add_argument("--mixed-connections", type=int, default=50)
    run.add_argument("--port", type=int, default=0, help="0: a free port")
    run.add_argument("--json", help="also write the results to this JSON file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.command == "generate":
        from benchmarks.generate import main as generate

        return generate(args)
    from benchmarks.scenarios import main as run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
