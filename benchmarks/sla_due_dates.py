"""Due dates for 100,000 tickets on office hours with public holidays.

Run as a script for a report:

    .venv/bin/python benchmarks/sla_due_dates.py

or under pytest-benchmark for statistics and comparisons between runs:

    .venv/bin/pytest benchmarks/sla_due_dates.py -p no:cacheprovider

The calendar is Mon–Fri 08:00–18:00 in Europe/Warsaw with Polish public
holidays; tickets start at random instants over 2026 with targets from one
hour to five working days (seeded, so every run computes the same dates).
The budget is one second for all 100,000 on one core, calendar compilation
and the first build of its working intervals included.
"""

from __future__ import annotations

import datetime as dt
import platform
import random
import sys
import time

from polydesk.core.sla.calendars import BusinessCalendar, compile_calendar
from polydesk.core.specs import Calendar

TICKETS = 100_000
BUDGET_SECONDS = 1.0
SEED = 20_260_101

OFFICE_HOURS = Calendar(
    key="bench.office_hours",
    name="Office hours (Mon–Fri 08:00–18:00)",
    timezone="Europe/Warsaw",
    hours={day: (("08:00", "18:00"),) for day in range(1, 6)},
    holidays_country="PL",
)

Ticket = tuple[dt.datetime, int]


def make_tickets(count: int = TICKETS, seed: int = SEED) -> list[Ticket]:
    """(created, target minutes): instants over 2026, targets 1 h to 5 working days."""
    rng = random.Random(seed)
    year_start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    seconds_in_year = 365 * 24 * 3600
    return [
        (
            year_start + dt.timedelta(seconds=rng.randrange(seconds_in_year)),
            rng.randint(60, 5 * 600),
        )
        for _ in range(count)
    ]


def due_dates(calendar: BusinessCalendar, tickets: list[Ticket]) -> list[dt.datetime]:
    return [calendar.add(created, minutes) for created, minutes in tickets]


def due_dates_with_a_pause(calendar: BusinessCalendar, tickets: list[Ticket]) -> list[dt.datetime]:
    """Each ticket waits for its requester for a day, three hours after it was raised."""
    three_hours, one_day = dt.timedelta(hours=3), dt.timedelta(days=1)
    return [
        calendar.add(
            created, minutes, excluded=[(created + three_hours, created + three_hours + one_day)]
        )
        for created, minutes in tickets
    ]


def machine() -> str:
    return (
        f"{platform.platform()}; {platform.machine()} {platform.processor() or ''}".rstrip()
        + f"; {platform.python_implementation()} {platform.python_version()}"
    )


def main() -> int:
    tickets = make_tickets()

    began = time.perf_counter()
    calendar = compile_calendar(OFFICE_HOURS)
    compiled = time.perf_counter()
    cold = due_dates(calendar, tickets)
    cold_end = time.perf_counter()
    warm = due_dates(calendar, tickets)
    warm_end = time.perf_counter()
    due_dates_with_a_pause(calendar, tickets)
    paused_end = time.perf_counter()
    assert cold == warm

    total = cold_end - began
    rows = [
        ("compile + cold cache", total),
        ("warm cache", warm_end - cold_end),
        ("warm, one pause each", paused_end - warm_end),
    ]
    print(
        f"SLA due dates for {TICKETS:,} tickets on {OFFICE_HOURS.name}, Europe/Warsaw, PL holidays"
    )
    print(f"  (compiling the calendar: {(compiled - began) * 1000:.1f} ms)")
    for label, seconds in rows:
        print(f"  {label:<22} {seconds:8.3f} s  {seconds / TICKETS * 1e6:6.2f} µs/ticket")
    print(f"  latest due date: {max(cold).isoformat()}")
    print(f"  machine: {machine()}")
    within = total < BUDGET_SECONDS
    print(f"  budget {BUDGET_SECONDS:.1f} s: {'OK' if within else 'EXCEEDED'}")
    return 0 if within else 1


def test_benchmark_due_dates_for_100k_tickets(benchmark):
    tickets = make_tickets()

    def compile_and_compute() -> list[dt.datetime]:
        return due_dates(compile_calendar(OFFICE_HOURS), tickets)

    began = time.perf_counter()
    result = benchmark.pedantic(compile_and_compute, rounds=3, iterations=1)
    assert len(result) == TICKETS
    # Every round compiles afresh, so even the slowest includes the cold cache.
    assert (time.perf_counter() - began) / 3 < BUDGET_SECONDS


if __name__ == "__main__":
    sys.exit(main())
