"""Clock rules, computed from facts alone (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from polydesk.core.sla.clocks import Facts, compute_clock, facts_from_timeline
from polydesk.core.sla.services import business_calendar
from polydesk.core.specs import Calendar, SLAPolicy, SLATarget

WARSAW = dt.timezone(dt.timedelta(hours=1))  # CET, for readable instants in November
OFFICE = Calendar(
    key="test.office",
    name="Office",
    timezone="Europe/Warsaw",
    hours={day: (("09:00", "17:00"),) for day in range(1, 6)},
    holidays_country="PL",
)
ROUND = Calendar(key="test.24x7", name="24x7")
POLICY = SLAPolicy(
    key="test.policy",
    name="Test",
    calendar=OFFICE,
    targets={
        1: SLATarget(first_response=30, resolution=120, calendar=ROUND),
        2: SLATarget(first_response=60, resolution=240),
        3: SLATarget(first_response=240, resolution=960),
        4: SLATarget(resolution=2400),
    },
)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """An instant in November 2026, Warsaw time (Monday the 16th to Friday the 20th)."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=WARSAW)


def facts(created, categories=(), priorities=(), reply=None, priority=2):
    return Facts(
        created_at=created,
        categories=[(created, "new"), *categories],
        priorities=[(created, priority), *priorities],
        first_agent_reply_at=reply,
    )


def clock(metric, f, now):
    return compute_clock(metric, f, POLICY, business_calendar, now)


def test_a_running_clock_is_due_after_its_target_in_business_time():
    # Friday 16:00 + 4 business hours on 09–17 Mon–Fri = Monday 12:00.
    c = clock("resolution", facts(at(20, 16)), now=at(20, 16, 30))
    assert c.status == "running"
    assert c.due_at == at(23, 12)
    assert c.warn_at == at(23, 11, 12)  # 80% of 240 minutes = 192 minutes
    assert c.target_minutes == 240


def test_p1_runs_round_the_clock_on_its_own_calendar():
    c = clock("resolution", facts(at(20, 23), priority=1), now=at(20, 23))
    assert c.due_at == at(21, 1)  # Saturday 01:00: the 24x7 calendar of the P1 target
    assert c.calendar == "test.24x7"


def test_a_pause_over_the_weekend_resumes_with_the_remaining_time():
    # Running Friday 15:00–16:00 (1 h used), waiting until Monday 10:00, 3 h left.
    f = facts(at(20, 15), categories=[(at(20, 16), "waiting"), (at(23, 10), "open")])
    paused = clock(
        "resolution", facts(at(20, 15), categories=[(at(20, 16), "waiting")]), now=at(22, 12)
    )
    assert paused.status == "paused" and paused.due_at is None
    assert paused.elapsed_minutes == 60
    resumed = clock("resolution", f, now=at(23, 10))
    assert resumed.status == "running"
    assert resumed.due_at == at(23, 13)


def test_first_response_is_met_by_the_first_agent_reply():
    f = facts(at(16, 9), reply=at(16, 9, 45))
    c = clock("first_response", f, now=at(16, 12))
    assert c.status == "met" and c.met_at == at(16, 9, 45) and not c.breached_by_facts
    late = clock("first_response", facts(at(16, 9), reply=at(16, 11)), now=at(16, 12))
    assert late.breached_by_facts  # due 10:00, answered 11:00


def test_internal_notes_do_not_count_as_a_response():
    created = at(16, 9)
    events = [
        {"kind": "created", "data": {"category": "new", "priority": 2}, "created_at": created},
        {"kind": "note", "data": {}, "created_at": at(16, 9, 10)},
        {"kind": "reply", "data": {"by_agent": False}, "created_at": at(16, 9, 20)},
    ]
    f = facts_from_timeline(created, events, initial_category="new", initial_priority=2)
    assert f.first_agent_reply_at is None
    assert clock("first_response", f, now=at(16, 9, 30)).status == "running"


def test_a_priority_change_moves_the_due_date_but_keeps_the_time_used():
    f = facts(at(16, 9), priorities=[(at(16, 10), 3)])
    c = clock("resolution", f, now=at(16, 10))
    assert c.target_minutes == 960 and c.due_at == at(17, 17)  # 16 business hours from Monday 09:00


def test_resolution_is_met_on_resolve_and_runs_again_on_reopen():
    f = facts(at(16, 9), categories=[(at(16, 10), "resolved")])
    met = clock("resolution", f, now=at(16, 11))
    assert met.status == "met" and met.met_at == at(16, 10)
    reopened = facts(at(16, 9), categories=[(at(16, 10), "resolved"), (at(16, 12), "open")])
    again = clock("resolution", reopened, now=at(16, 12))
    # 1 h used before resolving; the 2 h while resolved do not count: due 12:00 + 3 h.
    assert again.status == "running" and again.due_at == at(16, 15)


def test_cancelled_tickets_stop_their_clocks_unmet():
    c = clock(
        "resolution", facts(at(16, 9), categories=[(at(16, 10), "cancelled")]), now=at(16, 11)
    )
    assert c.status == "cancelled" and c.due_at is None and c.met_at is None


def test_no_target_means_no_clock():
    assert clock("first_response", facts(at(16, 9), priority=4), now=at(16, 9)) is None


def test_due_dates_never_move_backwards_while_time_only_passes():
    f = facts(at(20, 16))
    dues = {
        clock("resolution", f, now=at(20, 16) + dt.timedelta(minutes=m)).due_at
        for m in range(0, 600, 37)
    }
    assert len(dues) == 1


@pytest.mark.parametrize("category", ["waiting"])
def test_pausing_and_resuming_at_once_changes_nothing(category):
    plain = clock("resolution", facts(at(16, 9)), now=at(16, 10))
    blip = clock(
        "resolution",
        facts(at(16, 9), categories=[(at(16, 10), category), (at(16, 10), "open")]),
        now=at(16, 10),
    )
    assert blip.due_at == plain.due_at


def test_a_target_can_be_due_on_the_date_the_requester_named():
    """A contract review is due at the end of its requested deadline (Warsaw time)."""
    policy = SLAPolicy(
        key="test.deadline",
        name="Deadline",
        calendar=OFFICE,
        targets={3: SLATarget(first_response=240, resolution=2400, due_field="deadline")},
    )
    f = Facts(
        created_at=at(16, 9),
        categories=[(at(16, 9), "new")],
        priorities=[(at(16, 9), 3)],
        form_data={"deadline": "2026-11-18"},
    )
    c = compute_clock("resolution", f, policy, business_calendar, at(16, 9))
    assert c.due_at == dt.datetime(2026, 11, 18, 23, 0, tzinfo=dt.UTC)  # midnight in Warsaw
    assert c.status == "running" and at(16, 9) < c.warn_at < c.due_at
    no_date = Facts(
        created_at=at(16, 9),
        categories=[(at(16, 9), "new")],
        priorities=[(at(16, 9), 3)],
        form_data={},
    )
    assert (
        compute_clock("resolution", no_date, policy, business_calendar, at(16, 9)).target_minutes
        == 2400
    )
    # The first response target is unaffected.
    assert compute_clock("first_response", f, policy, business_calendar, at(16, 9)).due_at == at(
        16, 13
    )
