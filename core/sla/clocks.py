"""SLA clocks computed from facts.

A clock's inputs are the ticket's timeline: when it was created, every state
category it passed through, every priority it had, and its first public reply
by an agent. `compute_clock` turns those facts and the policy into the stored
result (due, warning point, status). Nothing else decides a clock, so
recomputing from the timeline always reproduces the stored values, and the
same facts explain why a clock paused or breached.

Rules:
- A clock counts business time on its calendar while the ticket is in a
  counting category (`new`, `open`, and any category the policy does not
  pause); it pauses in the policy's `pause_categories` (by default `waiting`)
  and stops in `resolved`, `closed` or `cancelled`.
- `first_response` is met by the first public reply of an agent, or when the
  ticket is resolved or closed without one; `resolution` is met when the
  ticket is resolved or closed, and runs again if it is reopened.
- The target is the one for the ticket's current priority, counted from the
  start: a priority change moves the due date, never the time already used.
- A cancelled ticket's clocks are cancelled, neither met nor breached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from polydesk.core.specs import Calendar, SLAPolicy

METRICS = ("first_response", "resolution")
STOP_CATEGORIES = ("resolved", "closed")
FOREVER = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Facts:
    """What happened to a ticket, in time order, as far as SLA clocks care."""

    created_at: dt.datetime
    #: (since, category): the ticket entered `category` at `since`; first entry at creation
    categories: Sequence[tuple[dt.datetime, str]]
    #: (since, priority): first entry at creation
    priorities: Sequence[tuple[dt.datetime, int]]
    first_agent_reply_at: dt.datetime | None = None
    #: the request's form data, for targets due on a date the requester gave
    form_data: dict | None = None


@dataclass(frozen=True)
class ClockState:
    metric: str
    policy: str
    calendar: str
    target_minutes: int
    started_at: dt.datetime
    due_at: dt.datetime | None
    warn_at: dt.datetime | None
    status: str  # running | paused | met | cancelled
    elapsed_minutes: int
    met_at: dt.datetime | None

    @property
    def breached_by_facts(self) -> bool:
        """Met after its due date (a running clock's breach is the scheduler's to record)."""
        return self.met_at is not None and self.due_at is not None and self.met_at > self.due_at


def _spans(
    categories: Sequence[tuple[dt.datetime, str]],
) -> list[tuple[dt.datetime, dt.datetime, str]]:
    spans = []
    for index, (since, category) in enumerate(categories):
        until = categories[index + 1][0] if index + 1 < len(categories) else FOREVER
        spans.append((since, until, category))
    return spans


def compute_clock(
    metric: str,
    facts: Facts,
    policy: SLAPolicy,
    business_calendar: Callable[[Calendar], object],
    now: dt.datetime,
) -> ClockState | None:
    """The clock `metric` of a ticket with these facts, or None when the policy
    sets no target for it at the ticket's priority.

    `business_calendar` compiles a `Calendar` spec into an object with
    `add(start, minutes, excluded=...)` and `between(start, end, excluded=...)`
    (see `polydesk.core.sla.calendars`); it should cache.
    """
    priority = facts.priorities[-1][1]
    target = policy.targets.get(priority)
    minutes = getattr(target, metric, None) if target is not None else None
    deadline = _deadline(metric, target, facts)
    if not minutes and deadline is None:
        return None
    calendar_spec = target.calendar or policy.calendar  # type: ignore[union-attr]
    calendar = business_calendar(calendar_spec)
    started = facts.created_at
    spans = _spans(facts.categories)
    current = spans[-1][2]

    stop_at: dt.datetime | None = None
    if metric == "first_response" and facts.first_agent_reply_at is not None:
        stop_at = facts.first_agent_reply_at
    if stop_at is None:
        stops = [since for since, _, category in spans if category in STOP_CATEGORIES]
        if current in STOP_CATEGORIES or (metric == "first_response" and stops):
            stop_at = stops[0] if metric == "first_response" else spans[-1][0]

    # Time that does not count: pauses, and (for resolution) resolved spans before a reopen.
    not_counting = [
        (since, until)
        for since, until, category in spans
        if category in policy.pause_categories
        or category in STOP_CATEGORIES
        or category == "cancelled"
    ]
    horizon = stop_at or now
    excluded = [(since, min(until, horizon)) for since, until in not_counting if since < horizon]
    elapsed = calendar.between(started, horizon, excluded=excluded)  # type: ignore[attr-defined]

    if current == "cancelled" and stop_at is None:
        status, due, warn = "cancelled", None, None
        minutes = minutes or 0  # a date-only target (due_field) has no minutes of its own
    elif deadline is not None:
        # A date the requester named: due at the end of that day, paused or not.
        local_end = dt.datetime.combine(
            deadline + dt.timedelta(days=1), dt.time(), ZoneInfo(calendar_spec.timezone)
        )
        due = local_end.astimezone(dt.UTC)
        minutes = max(1, int(calendar.between(started, due)))  # type: ignore[attr-defined]
        if stop_at is not None:
            status, warn = "met", None
        else:
            status = "running"
            warn = started + (due - started) * policy.warning_at
    elif stop_at is not None:
        status = "met"
        due = calendar.add(started, minutes, excluded=excluded)  # type: ignore[attr-defined]
        warn = None
    elif current in policy.pause_categories:
        status, due, warn = "paused", None, None
    else:
        status = "running"
        due = calendar.add(started, minutes, excluded=excluded)  # type: ignore[attr-defined]
        warn = calendar.add(started, minutes * policy.warning_at, excluded=excluded)  # type: ignore[attr-defined]
    return ClockState(
        metric=metric,
        policy=policy.key,
        calendar=calendar_spec.key,
        target_minutes=minutes,
        started_at=started,
        due_at=due,
        warn_at=warn,
        status=status,
        elapsed_minutes=int(elapsed),
        met_at=stop_at if status == "met" else None,
    )


def _deadline(metric: str, target: object, facts: Facts) -> dt.date | None:
    field = getattr(target, "due_field", None)
    if metric != "resolution" or not field or not facts.form_data:
        return None
    try:
        return dt.date.fromisoformat(str(facts.form_data.get(field) or ""))
    except ValueError:
        return None


def facts_from_timeline(
    created_at: dt.datetime,
    events: Sequence[dict],
    *,
    initial_category: str,
    initial_priority: int,
    form_data: dict | None = None,
) -> Facts:
    """Read the facts out of timeline rows (kind, data, created_at), oldest first."""
    categories: list[tuple[dt.datetime, str]] = [(created_at, initial_category)]
    priorities: list[tuple[dt.datetime, int]] = [(created_at, initial_priority)]
    first_reply = None
    for event in events:
        kind, data, at = event["kind"], event["data"] or {}, event["created_at"]
        if kind == "created":
            if "category" in data:
                categories[0] = (created_at, data["category"])
            if "priority" in data:
                priorities[0] = (created_at, int(data["priority"]))
        elif kind == "transition" and data.get("category"):
            if data["category"] != categories[-1][1]:
                categories.append((at, data["category"]))
        elif kind == "field_change" and "priority" in (data.get("changes") or {}):
            priorities.append((at, int(data["changes"]["priority"][1])))
        elif kind == "reply" and data.get("by_agent") and first_reply is None:
            first_reply = at
    return Facts(
        created_at=created_at,
        categories=categories,
        priorities=priorities,
        first_agent_reply_at=first_reply,
        form_data=form_data,
    )
