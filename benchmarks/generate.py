"""Fill a fresh database with a generated organisation of N tickets.

    python -m benchmarks generate --size 10000 --db sqlite:/tmp/polydesk-bench/10k
    python -m benchmarks generate --size 1000000 \\
        --db postgresql://desk:desk@127.0.0.1:54329/desk_bench_perf
    python -m benchmarks generate --size 100000 --departments 40 \\
        --db sqlite:/tmp/polydesk-bench/100k-44

The real migrations first (so every table, index and trigger is the one the
server uses), then, with a fixed seed:

- with `--departments N`, N more departments from the plugin module
  `benchmarks/generated_departments.py`, loaded through the `POLYDESK_PLUGINS`
  setting as a third-party plugin would be (see `Target.environment`);
- people: an admin, per department a lead and agents (more for IT; in a
  generated department three agents, every other one also an agent of the next
  department, so they serve one or two), the rest requesters with managers —
  2,000 in all — with roles, the leads in their department's confidential
  teams, one password (`bench-password`) and an API token each for the admin,
  the leads, the agents and the first requesters (`pd_bench_<username>`, see
  `token_for`);
- tickets over every department's request types (IT the busiest; with generated
  departments the four bundled ones keep half the tickets), created
  over the last two years, denser towards now. Each walks its own workflow to a
  state that fits its age (most old tickets closed, recent ones new, open or
  waiting), with a timeline of 2–30 events (created, assignment, transitions,
  public replies from both sides, internal notes, the odd priority change); one
  ticket in 500 has exactly 30 events, for the ticket-page scenario;
- SLA clocks computed from that timeline by the real clock code
  (`facts_from_timeline` + `compute_clock`), so `sla_due_at`, due, warning,
  paused and met clocks agree with the history; warnings and breaches already
  due are marked fired, as the scheduler would have done;
- knowledge articles (the knowledge benchmark's generator and loader);
- the key counters after the generated tickets, so the server numbers new
  tickets after them.

Bulk inserts: executemany in large transactions on SQLite (synchronous=OFF for
the loader's connection only; the server later opens its own durable ones),
COPY on PostgreSQL (synchronous_commit off for the loader's session), then
ANALYZE / VACUUM (ANALYZE).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import os
import random
import sqlite3
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

SEED = 8_000_008
PASSWORD = "bench-password"
PEOPLE = 2_000
#: Share of the tickets per department, and how many agents each has.
DEPARTMENT_WEIGHT = {"it": 0.55, "hr": 0.20, "finance": 0.15, "legal": 0.10}
AGENTS = {"it": 60, "hr": 25, "finance": 20, "legal": 12}
#: With generated departments: the bundled ones' share of all tickets, and the
#: agents of each generated department (every other one also serves the next).
BUNDLED_SHARE = 0.5
GENERATED_AGENTS = 3
GENERATED_PLUGIN = "generated=benchmarks.generated_departments"
REPOSITORY = Path(__file__).resolve().parent.parent
TOKEN_REQUESTERS = 50  # requesters with an API token (ticket creation scenario)
SPAN_DAYS = 730
CHUNK = 20_000  # tickets generated and inserted at a time
FULL_TIMELINE_EVERY = 500  # one ticket in this many has exactly 30 events
MAX_EVENTS = 30

#: The final state's category by the ticket's age: (max age in days, weights).
CATEGORY_BY_AGE = (
    (1, {"new": 40, "open": 35, "waiting": 15, "resolved": 8, "cancelled": 2}),
    (7, {"new": 10, "open": 30, "waiting": 15, "resolved": 30, "closed": 12, "cancelled": 3}),
    (30, {"new": 2, "open": 8, "waiting": 5, "closed": 80, "cancelled": 5}),
    (10**6, {"new": 0.2, "open": 0.8, "waiting": 0.5, "closed": 93.5, "cancelled": 5}),
)
#: Resolved tickets were touched within this many days: IT closes resolved ones
#: after five quiet days, which a live server would have done already.
RESOLVED_QUIET_DAYS = 4


def token_for(username: str) -> str:
    """The API token the generator gives `username` (the harness uses it)."""
    return f"pd_bench_{username}"


def department_weights(departments: list[str]) -> dict[str, float]:
    """Each department's share of the tickets. The bundled four keep their ratios;
    with generated departments they have `BUNDLED_SHARE` of the tickets and the
    generated ones the rest, the first the busiest (weight 1/sqrt(rank))."""
    generated = [d for d in departments if d not in DEPARTMENT_WEIGHT]
    bundled = [d for d in departments if d in DEPARTMENT_WEIGHT]
    own = sum(DEPARTMENT_WEIGHT[d] for d in bundled) or 1.0
    share = BUNDLED_SHARE if generated else 1.0
    weights = {d: share * DEPARTMENT_WEIGHT[d] / own for d in bundled}
    ranks = {d: 1 / (k**0.5) for k, d in enumerate(generated, 1)}
    total = sum(ranks.values()) or 1.0
    weights.update({d: (1 - share) * r / total for d, r in ranks.items()})
    return weights


# -- where ------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A database: `sqlite:DIR` (a data directory, as POLYDESK_DATA_DIR) or a PostgreSQL URL."""

    kind: str  # sqlite | postgres
    location: str  # data directory or URL
    departments: int = 0  # generated departments (benchmarks/generated_departments.py)

    @classmethod
    def parse(cls, value: str) -> Target:
        if value.startswith(("postgresql://", "postgres://")):
            return cls("postgres", value)
        if value.startswith("sqlite:"):
            path = value.removeprefix("sqlite:")
            if path.endswith(".sqlite3"):  # a file name: its stem becomes the data directory
                path = path.removesuffix(".sqlite3")
            return cls("sqlite", str(Path(path).resolve()))
        raise argparse.ArgumentTypeError("--db is sqlite:DIR or postgresql://…")

    @property
    def postgres(self) -> bool:
        return self.kind == "postgres"

    def environment(self) -> dict[str, str]:
        """The server's environment for this database (production settings otherwise)."""
        env = {"PICCOLO_CONF": "polydesk.core.piccolo_conf", "POLYDESK_DB_POOL": "1"}
        if self.departments:
            # Loaded like an installed plugin; importable from the repository root.
            from benchmarks.generated_departments import COUNT_VARIABLE

            env["POLYDESK_PLUGINS"] = GENERATED_PLUGIN
            env[COUNT_VARIABLE] = str(self.departments)
            path = os.environ.get("PYTHONPATH", "")
            env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPOSITORY), path) if p)
        if self.postgres:
            env["DATABASE_URL"] = self.location
            env["POLYDESK_DATA_DIR"] = f"/tmp/polydesk-bench/pg-{self.database}"
        else:
            env["POLYDESK_DATA_DIR"] = self.location
        return env

    def apply(self) -> None:
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("POLYDESK_DISABLE_PLUGINS", None)
        os.environ.pop("POLYDESK_PLUGINS", None)
        os.environ.update(self.environment())
        os.environ["POLYDESK_DB_POOL"] = "0"  # the loader's own process needs no pool

    @property
    def database(self) -> str:
        return urlparse(self.location).path.lstrip("/") if self.postgres else ""

    def pg_config(self, database: str | None = None) -> dict[str, Any]:
        parts = urlparse(self.location)
        return {
            "host": parts.hostname or "127.0.0.1",
            "port": parts.port or 5432,
            "user": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "database": database or parts.path.lstrip("/"),
        }

    @property
    def sqlite_path(self) -> Path:
        return Path(self.location) / "polydesk.sqlite3"


async def reset(target: Target) -> None:
    """An empty database: the SQLite directory emptied, the PostgreSQL schema rebuilt."""
    if target.postgres:
        import asyncpg

        conn = await asyncpg.connect(**target.pg_config())
        try:
            await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        finally:
            await conn.close()
    else:
        directory = Path(target.location)
        directory.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target.sqlite_path}{suffix}").unlink(missing_ok=True)


# -- the organisation ----------------------------------------------------------------


@dataclass
class Person:
    id: int
    username: str
    display_name: str
    is_admin: bool = False
    manager: int | None = None


@dataclass
class Org:
    people: list[Person] = field(default_factory=list)
    agents: dict[str, list[Person]] = field(default_factory=dict)
    leads: dict[str, Person] = field(default_factory=dict)
    requesters: list[Person] = field(default_factory=list)
    memberships: list[tuple[int, str, str]] = field(default_factory=list)
    teams: list[tuple[int, str, str]] = field(default_factory=list)
    tokens: list[Person] = field(default_factory=list)


FIRST = [
    "Ada",
    "Ben",
    "Chen",
    "Dana",
    "Emil",
    "Fatima",
    "Greta",
    "Hugo",
    "Ines",
    "Jan",
    "Kasia",
    "Liam",
    "Mia",
    "Noah",
    "Olga",
    "Piotr",
]
LAST = [
    "Kowalska",
    "Martin",
    "Nowak",
    "Wei",
    "Schmidt",
    "Rossi",
    "Garcia",
    "Smith",
    "Dubois",
    "Novak",
    "Silva",
    "Jensen",
]


def make_org(registry: Any, rng: random.Random) -> Org:
    org = Org()

    def person(username: str, **kw: Any) -> Person:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        p = Person(id=len(org.people) + 1, username=username, display_name=name, **kw)
        org.people.append(p)
        return p

    org.tokens.append(person("bench.admin", is_admin=True))
    teams = {(rt.department, rt.confidential_team) for rt in registry.request_types.values()}
    generated = [slug for slug in registry.departments if slug not in AGENTS]
    for slug in registry.departments:
        lead = person(f"bench.{slug}.lead")
        org.leads[slug] = lead
        org.memberships.append((lead.id, slug, "lead"))
        org.teams += [(lead.id, d, team) for d, team in teams if d == slug and team]
        org.agents[slug] = []
        for k in range(1, AGENTS.get(slug, GENERATED_AGENTS) + 1):
            agent = person(f"bench.{slug}.agent{k}")
            org.agents[slug].append(agent)
            org.memberships.append((agent.id, slug, "agent"))
        org.tokens += [lead, *org.agents[slug]]
    # A generated department's odd-numbered agents also serve the next one.
    for slug, following in itertools.pairwise(generated):
        for agent in org.agents[slug][::2]:
            org.agents[following].append(agent)
            org.memberships.append((agent.id, following, "agent"))
    manager = None
    k = 0
    while len(org.people) < PEOPLE:
        k += 1
        if k % 25 == 1:
            manager = person(f"bench.manager{k // 25 + 1}")
            org.requesters.append(manager)
            continue
        requester = person(f"bench.user{k}", manager=manager.id if manager else None)
        org.requesters.append(requester)
    org.tokens += org.requesters[:TOKEN_REQUESTERS]
    return org


# -- tickets --------------------------------------------------------------------------


@dataclass
class WorkflowPaths:
    """For one workflow: the transitions from the initial state to every reachable state."""

    paths: dict[str, list[Any]]
    by_category: dict[str, list[str]]

    @classmethod
    def of(cls, workflow: Any) -> WorkflowPaths:
        paths: dict[str, list[Any]] = {workflow.initial_state: []}
        queue = deque([workflow.initial_state])
        categories = {s.key: s.category for s in workflow.states}
        while queue:
            state = queue.popleft()
            for t in workflow.transitions:
                wildcard = "*" in t.from_states and categories[state] not in ("closed", "cancelled")
                if (state in t.from_states or wildcard) and t.to_state not in paths:
                    paths[t.to_state] = [*paths[state], t]
                    queue.append(t.to_state)
        by_category: dict[str, list[str]] = {}
        for state in paths:
            by_category.setdefault(categories[state], []).append(state)
        return cls(paths, by_category)


@dataclass
class TypeInfo:
    rt: Any
    prefix: str
    workflow: Any
    paths: WorkflowPaths
    categories: dict[str, str]
    policy: Any
    forms: list[tuple[dict[str, Any], str]]  # (form data, its JSON)
    priority: list[int]  # priority per form variant


class Generator:
    """Tickets, timelines and clocks, chunk by chunk, from one seeded RNG."""

    def __init__(self, snapshot: Any, org: Org, size: int, now: dt.datetime, postgres: bool):
        from benchmarks.knowledge_search import vocabularies
        from polydesk.core.demo import sample_form_data
        from polydesk.core.specs import Priority, TicketDraft

        self.snapshot = snapshot
        self.registry = snapshot.registry
        self.org = org
        self.size = size
        self.now = now
        self.start = now - dt.timedelta(days=SPAN_DAYS)
        self.rng = random.Random(SEED + 1)
        self.vocab = vocabularies(random.Random(SEED + 2))["en"]
        # SQLite keeps timestamps as Piccolo writes them (str of the UTC datetime).
        self.ts = (lambda d: d) if postgres else (lambda d: None if d is None else str(d))
        self.types: list[TypeInfo] = []
        weights: list[float] = []
        shares = department_weights(list(self.registry.departments))
        paths: dict[str, WorkflowPaths] = {}
        for rt in self.registry.request_types.values():
            workflow = self.registry.workflows[rt.workflow]
            if rt.workflow not in paths:
                paths[rt.workflow] = WorkflowPaths.of(workflow)
            forms, priorities = [], []
            for k in range(8):
                data = sample_form_data(rt.form, k)
                forms.append((data, json.dumps(data)))
                draft = TicketDraft(
                    department=rt.department,
                    request_type=rt,
                    title="",
                    description="",
                    form_data=data,
                    requester="",
                )
                priority = snapshot.hook("polydesk_priority")(draft=draft) or rt.default_priority
                priorities.append(int(Priority(priority)))
            self.types.append(
                TypeInfo(
                    rt=rt,
                    prefix=self.registry.departments[rt.department].key_prefix,
                    workflow=workflow,
                    paths=paths[rt.workflow],
                    categories={s.key: s.category for s in workflow.states},
                    policy=snapshot.sla_policy(rt.sla_policy),
                    forms=forms,
                    priority=priorities,
                )
            )
            siblings = sum(
                1 for o in self.registry.request_types.values() if o.department == rt.department
            )
            weight = shares[rt.department] / siblings
            weights.append(weight * (0.3 if rt.agents_only else 1.0))
        total = sum(weights)
        self.type_cum = list(_cumulative([w / total for w in weights]))
        self.numbers: dict[str, int] = {d: 0 for d in self.registry.departments}
        self.event_id = 0
        self.clock_id = 0
        self._json_cache: dict[Any, str] = {}

    # text ----------------------------------------------------------------------

    def _title(self) -> str:
        words = self.vocab.query_words(self.rng, self.rng.randint(2, 4))
        words += self.vocab.sample(self.rng, self.rng.randint(1, 4))
        return " ".join(words).capitalize()[:200]

    def _text(self, sentences: int) -> str:
        rng, vocab = self.rng, self.vocab
        return " ".join(
            " ".join(vocab.sample(rng, rng.randint(6, 16))).capitalize() + "."
            for _ in range(sentences)
        )

    def _cached_json(self, key: Any, value: Any) -> str:
        found = self._json_cache.get(key)
        if found is None:
            found = self._json_cache[key] = json.dumps(value)
        return found

    # one ticket ------------------------------------------------------------------

    def ticket(self, i: int) -> tuple[tuple, list[tuple], list[tuple]]:
        from polydesk.core.sla.clocks import METRICS, compute_clock, facts_from_timeline
        from polydesk.core.sla.services import NO_DUE_DATE, business_calendar

        rng, ts = self.rng, self.ts
        info = self.types[bisect.bisect_left(self.type_cum, rng.random() * self.type_cum[-1])]
        rt = info.rt
        ticket_id = i + 1
        self.numbers[rt.department] += 1
        number = self.numbers[rt.department]
        agents = self.org.agents[rt.department]
        if rt.agents_only:
            requester = rng.choice(agents)
        else:
            requester = self.org.requesters[int(rng.random() ** 1.5 * len(self.org.requesters))]
        # Ids follow creation time; more tickets lately (density ~ 1/sqrt(age)).
        fraction = (i + rng.random()) / self.size
        age = dt.timedelta(days=SPAN_DAYS * (1 - fraction) ** 2)
        created = (self.now - age).replace(microsecond=0)
        age_days = age.total_seconds() / 86_400
        weights = next(w for limit, w in CATEGORY_BY_AGE if age_days <= limit)
        categories = [c for c in weights if c in info.paths.by_category]
        category = rng.choices(categories, [weights[c] for c in categories])[0]
        state = rng.choice(info.paths.by_category[category])
        path = info.paths.paths[state]
        variant = rng.randrange(len(info.forms))
        form_data, form_json = info.forms[variant]
        priority = info.priority[variant]

        assignee = rng.choice(agents) if category != "new" or rng.random() < 0.3 else None
        if i % FULL_TIMELINE_EVERY == 0:
            n_events = MAX_EVENTS
        else:
            n_events = 2 + min(MAX_EVENTS - 2, int(rng.expovariate(1 / 3.5)))
        fixed = 1 + len(path) + (assignee is not None)
        n_events = max(n_events, fixed)
        extras = n_events - fixed
        # The ticket's active life: done tickets took hours to weeks; live ones run to now.
        if category in ("resolved", "closed", "cancelled"):
            life = dt.timedelta(hours=min(age_days * 24, rng.expovariate(1 / 60) + 0.5))
        else:
            life = age
        if category == "resolved":
            quiet = dt.timedelta(days=rng.uniform(0, RESOLVED_QUIET_DAYS))
            life = min(age, max(life, age - quiet))
        steps: list[Any] = ["assign"] if assignee is not None else []
        body: list[Any] = [
            rng.choice(("reply_agent", "reply_requester", "note", "reply_agent", "priority"))
            for _ in range(extras)
        ]
        # Transitions keep their order; the extras fall in between.
        slots = sorted(rng.sample(range(len(body) + len(path)), len(path)))
        merged: list[Any] = []
        b = iter(body)
        p = iter(path)
        for k in range(len(body) + len(path)):
            merged.append(next(p) if slots and k == slots[0] else next(b))
            if slots and k == slots[0]:
                slots.pop(0)
        steps += merged
        gaps = sorted(rng.random() for _ in steps)
        life_s = max(life.total_seconds(), len(steps) + 1)

        created_data = self._cached_json(
            ("created", rt.key, priority),
            {
                "request_type": rt.key,
                "priority": priority,
                "state": info.workflow.initial_state,
                "category": info.categories[info.workflow.initial_state],
            },
        )
        events: list[tuple] = []
        timeline: list[dict[str, Any]] = [
            {"kind": "created", "data": json.loads(created_data), "created_at": created}
        ]
        self.event_id += 1
        events.append(
            (
                self.event_id,
                ticket_id,
                "created",
                requester.id,
                True,
                "",
                created_data,
                1,
                ts(created),
            )
        )
        current_state = info.workflow.initial_state
        current_priority = priority
        first_response = resolved_at = closed_at = None
        last_at = created
        version = 1
        for step, gap in zip(steps, gaps, strict=True):
            at = created + dt.timedelta(seconds=int(1 + gap * life_s))
            at = min(at, self.now)
            version += 1
            self.event_id += 1
            actor = (assignee or rng.choice(agents)).id
            if step == "assign":
                data = self._cached_json(
                    ("assign", assignee.username),
                    {"assignee": assignee.username, "previous_assignee": None},
                )
                row = (
                    self.event_id,
                    ticket_id,
                    "assignment",
                    actor,
                    False,
                    "",
                    data,
                    version,
                    ts(at),
                )
            elif step == "reply_agent":
                if first_response is None:
                    first_response = at
                row = (
                    self.event_id,
                    ticket_id,
                    "reply",
                    actor,
                    True,
                    self._text(rng.randint(1, 3)),
                    '{"by_agent": true}',
                    version,
                    ts(at),
                )
                timeline.append({"kind": "reply", "data": {"by_agent": True}, "created_at": at})
            elif step == "reply_requester":
                row = (
                    self.event_id,
                    ticket_id,
                    "reply",
                    requester.id,
                    True,
                    self._text(rng.randint(1, 3)),
                    '{"by_agent": false}',
                    version,
                    ts(at),
                )
            elif step == "note":
                row = (
                    self.event_id,
                    ticket_id,
                    "note",
                    actor,
                    False,
                    self._text(rng.randint(1, 2)),
                    "{}",
                    version,
                    ts(at),
                )
            elif step == "priority":
                new = rng.choice([p for p in (1, 2, 3, 4) if p != current_priority])
                value = {"changes": {"priority": [current_priority, new]}}
                current_priority = new
                row = (
                    self.event_id,
                    ticket_id,
                    "field_change",
                    actor,
                    False,
                    "",
                    json.dumps(value),
                    version,
                    ts(at),
                )
                timeline.append({"kind": "field_change", "data": value, "created_at": at})
            else:  # a transition
                t = step
                target = info.categories[t.to_state]
                value = {
                    "transition": t.key,
                    "label": t.label,
                    "from": current_state,
                    "to": t.to_state,
                    "category": target,
                    "fields": {},
                }
                data = self._cached_json(("t", info.workflow.key, t.key, current_state), value)
                row = (
                    self.event_id,
                    ticket_id,
                    "transition",
                    actor,
                    t.public,
                    "",
                    data,
                    version,
                    ts(at),
                )
                timeline.append({"kind": "transition", "data": value, "created_at": at})
                current_state = t.to_state
                if target == "resolved":
                    resolved_at, closed_at = at, None
                elif target in ("closed", "cancelled"):
                    closed_at = at
                    if resolved_at is None and target == "closed":
                        resolved_at = at
                else:
                    resolved_at = closed_at = None
            events.append(row)
            last_at = max(last_at, at)

        facts = facts_from_timeline(
            created,
            timeline,
            initial_category=info.categories[info.workflow.initial_state],
            initial_priority=priority,
            form_data=form_data,
        )
        clocks: list[tuple] = []
        running: list[dt.datetime] = []
        if info.policy is not None:
            for metric in METRICS:
                c = compute_clock(metric, facts, info.policy, business_calendar, self.now)
                if c is None:
                    continue
                warned = breached = None
                if c.status == "running":
                    if c.due_at is not None:
                        running.append(c.due_at)
                        if c.due_at <= self.now:
                            breached = c.due_at
                    if c.warn_at is not None and c.warn_at <= self.now:
                        warned = c.warn_at
                elif (
                    c.status == "met" and c.due_at is not None and c.met_at and c.met_at > c.due_at
                ):
                    breached = c.due_at
                self.clock_id += 1
                clocks.append(
                    (
                        self.clock_id, ticket_id, c.metric, c.policy, c.calendar,
                        c.target_minutes or 0, ts(c.started_at), ts(c.due_at), ts(c.warn_at),
                        c.status, c.elapsed_minutes, ts(c.met_at), ts(warned), ts(breached),
                        ts(last_at),
                    )
                )  # fmt: skip
        due = min(running) if running else NO_DUE_DATE
        ticket = (
            ticket_id, f"{info.prefix}-{number}", number, rt.department, rt.key, self._title(),
            self._text(rng.randint(1, 4)), form_json, current_state, info.categories[current_state],
            current_priority, requester.id, assignee.id if assignee else None, "",
            rt.confidential_team, None, ts(created), ts(last_at), ts(first_response),
            ts(resolved_at), ts(closed_at), ts(due), version,
        )  # fmt: skip
        return ticket, events, clocks

    def chunks(self):
        for start in range(0, self.size, CHUNK):
            tickets, events, clocks = [], [], []
            for i in range(start, min(start + CHUNK, self.size)):
                t, e, c = self.ticket(i)
                tickets.append(t)
                events += e
                clocks += c
            yield tickets, events, clocks


def _cumulative(values: list[float]):
    total = 0.0
    for value in values:
        total += value
        yield total


TICKET_COLUMNS = (
    "id, key, number, department, request_type, title, description, form_data, state, "
    "state_category, priority, requester, assignee, assignment_group, confidential_team, "
    "parent, created_at, updated_at, first_response_at, resolved_at, closed_at, sla_due_at, "
    "version"
)
EVENT_COLUMNS = "id, ticket, kind, actor, public, body, data, ticket_version, created_at"
CLOCK_COLUMNS = (
    "id, ticket, metric, policy, calendar, target_minutes, started_at, due_at, warn_at, "
    "status, elapsed_minutes, met_at, warned_at, breached_at, updated_at"
)
PERSON_COLUMNS = (
    "id, username, display_name, email, password_hash, is_admin, active, created_at, manager"
)


def _columns(spec: str) -> list[str]:
    return [c.strip() for c in spec.split(",")]


def _marks(spec: str, postgres: bool = False) -> str:
    n = len(_columns(spec))
    return ", ".join(f"${k}" for k in range(1, n + 1)) if postgres else ", ".join("?" * n)


# -- loaders --------------------------------------------------------------------------


class SQLiteLoader:
    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        # Loader-only settings; the server's connections stay durable (synchronous=FULL).
        self.conn.execute("PRAGMA synchronous = OFF")
        self.conn.execute("PRAGMA cache_size = -1048576")  # 1 GiB
        self.conn.execute("PRAGMA temp_store = MEMORY")

    async def without_triggers(self) -> list[str]:
        """Drop the ticket table's triggers (the search index's) for the load; returns them."""
        found = [
            (name, sql)
            for name, sql in self.conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ticket'"
            )
        ]
        for name, _ in found:
            self.conn.execute(f"DROP TRIGGER {name}")
        return [sql for _, sql in found]

    async def with_triggers(self, saved: list[str]) -> None:
        for sql in saved:
            self.conn.execute(sql)

    async def rows(self, table: str, spec: str, rows: list[tuple]) -> None:
        self.conn.execute("BEGIN")
        self.conn.executemany(f"INSERT INTO {table} ({spec}) VALUES ({_marks(spec)})", rows)
        self.conn.execute("COMMIT")

    async def execute(self, sql: str, *args: Any) -> None:
        self.conn.execute(sql.replace("$1", "?").replace("$2", "?"), args)

    async def fetch(self, sql: str) -> list[tuple]:
        return self.conn.execute(sql).fetchall()

    async def finish(self, tables: list[str]) -> None:
        self.conn.execute("ANALYZE")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()


class PostgresLoader:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    @classmethod
    async def open(cls, target: Target) -> PostgresLoader:
        import asyncpg

        conn = await asyncpg.connect(**target.pg_config())
        await conn.execute("SET synchronous_commit = off")  # this session only
        await conn.execute("SET maintenance_work_mem = '256MB'")
        return cls(conn)

    async def without_triggers(self) -> list[str]:
        await self.conn.execute("ALTER TABLE ticket DISABLE TRIGGER USER")
        return []

    async def with_triggers(self, saved: list[str]) -> None:
        await self.conn.execute("ALTER TABLE ticket ENABLE TRIGGER USER")

    async def rows(self, table: str, spec: str, rows: list[tuple]) -> None:
        await self.conn.copy_records_to_table(table, columns=_columns(spec), records=rows)

    async def execute(self, sql: str, *args: Any) -> None:
        await self.conn.execute(sql, *args)

    async def fetch(self, sql: str) -> list[tuple]:
        return [tuple(r) for r in await self.conn.fetch(sql)]

    async def finish(self, tables: list[str]) -> None:
        for table in tables:
            await self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        await self.conn.execute("VACUUM (ANALYZE)")
        await self.conn.close()


# -- the run ----------------------------------------------------------------------------


def articles_for(size: int) -> int:
    return max(500, min(10_000, size // 100))


async def generate(target: Target, size: int, *, quiet: bool = False) -> dict[str, Any]:
    """Build the database of `target` with `size` tickets; returns what it made."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from polydesk.core.migrations import migrate
    from polydesk.core.people.services import hash_password
    from polydesk.core.runtime import Runtime
    from polydesk.core.settings import Settings
    from polydesk.core.tickets.search import rebuild as rebuild_search_index

    started = time.perf_counter()
    await reset(target)
    settings = Settings.from_env()
    runtime = Runtime.create(settings)
    await migrate(runtime, quiet=True)
    migrated = time.perf_counter() - started
    snapshot = await runtime.snapshot()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    rng = random.Random(SEED)
    org = make_org(runtime.registry, rng)
    postgres = target.postgres
    loader: Any = (
        await PostgresLoader.open(target) if postgres else SQLiteLoader(target.sqlite_path)
    )
    ts = (lambda d: d) if postgres else (lambda d: None if d is None else str(d))

    password = hash_password(PASSWORD)
    await loader.rows(
        "person",
        PERSON_COLUMNS,
        [
            (p.id, p.username, p.display_name, f"{p.username}@bench.example.org", password,
             p.is_admin, True, ts(now), p.manager)
            for p in org.people
        ],
    )  # fmt: skip
    await loader.rows(
        "membership",
        "id, person, department, role",
        [(k, *m) for k, m in enumerate(org.memberships, 1)],
    )
    await loader.rows(
        "team_membership",
        "id, person, department, team",
        [(k, *m) for k, m in enumerate(org.teams, 1)],
    )
    await loader.rows(
        "api_token",
        "id, person, name, token_hash, created_at, last_used_at",
        [
            (k, p.id, "bench", hashlib.sha256(token_for(p.username).encode()).hexdigest(),
             ts(now), ts(now))
            for k, p in enumerate(org.tokens, 1)
        ],
    )  # fmt: skip

    generator = Generator(snapshot, org, size, now, postgres)
    # The search index's triggers would index row by row; it is rebuilt once after.
    triggers = await loader.without_triggers()
    counts = {"tickets": 0, "events": 0, "clocks": 0}
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=quiet,
    ) as progress:
        task = progress.add_task("tickets", total=size)
        for tickets, events, clocks in generator.chunks():
            await loader.rows("ticket", TICKET_COLUMNS, tickets)
            await loader.rows("timeline_event", EVENT_COLUMNS, events)
            await loader.rows("sla_clock", CLOCK_COLUMNS, clocks)
            counts["tickets"] += len(tickets)
            counts["events"] += len(events)
            counts["clocks"] += len(clocks)
            progress.advance(task, len(tickets))
    await loader.with_triggers(triggers)
    await rebuild_search_index()
    for department, last in generator.numbers.items():
        await loader.execute("DELETE FROM department_counter WHERE department = $1", department)
        await loader.execute(
            "INSERT INTO department_counter (department, last_number) VALUES ($1, $2)",
            department,
            last,
        )
    tickets_done = time.perf_counter()

    # Knowledge: the knowledge benchmark's corpus and loader.
    articles = articles_for(size)
    await _articles(target, loader, articles, now)
    counts["articles"] = articles
    await loader.finish(
        ["person", "membership", "team_membership", "api_token", "ticket", "timeline_event",
         "sla_clock", "department_counter"]
    )  # fmt: skip
    finished = time.perf_counter()
    return {
        **counts,
        "departments": len(runtime.registry.departments),
        "people": len(org.people),
        "migrate_s": migrated,
        "tickets_s": tickets_done - started - migrated,
        "total_s": finished - started,
        "now": now.isoformat(),
    }


async def _articles(target: Target, loader: Any, n: int, now: dt.datetime) -> None:
    from benchmarks import knowledge_search as kb
    from polydesk.core.knowledge.services import KnowledgeService
    from polydesk.core.permissions import SYSTEM
    from polydesk.core.runtime import Runtime
    from polydesk.core.settings import Settings

    snapshot = await Runtime.create(Settings.from_env()).snapshot()
    service = KnowledgeService(snapshot)
    await service.create_space(
        SYSTEM, slug="it-runbooks", name="IT runbooks", department="it", audience="agents"
    )
    space_ids = {s.slug: s.id for s in await service.spaces(SYSTEM)}
    stamp = now.strftime("%Y-%m-%d %H:%M:%S+00:00")
    rows = [kb._prepared(a, space_ids, stamp) for a in kb.make_corpus(n)]
    if target.postgres:
        await kb.load_postgres(target.location, rows, stamp)
    else:
        kb.load_sqlite(target.sqlite_path, rows, stamp)


def main(args: argparse.Namespace) -> int:
    target = dataclasses.replace(args.db, departments=args.departments)
    target.apply()
    made = asyncio.run(generate(target, args.size, quiet=args.quiet))
    print(
        f"{made['departments']} departments, {made['tickets']:,} tickets, {made['events']:,} timeline events, "
        f"{made['clocks']:,} SLA clocks, {made['people']:,} people, "
        f"{made['articles']:,} articles in {made['total_s']:.1f} s "
        f"(migrations {made['migrate_s']:.1f} s, tickets {made['tickets_s']:.1f} s)"
    )
    return 0
