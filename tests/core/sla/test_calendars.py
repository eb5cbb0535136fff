"""Business-time arithmetic: due dates a desk would actually see.

Local times are written in the calendar's zone; the UTC equivalents worked out
by hand sit in the comments, so a wrong offset cannot hide behind a conversion.
Warsaw is CET (UTC+1) in winter and CEST (UTC+2) in summer; in 2026 the clocks
go forward on Sunday 29 March (02:00 → 03:00) and back on Sunday 25 October
(03:00 → 02:00). New York is EST (UTC−5) / EDT (UTC−4); in 2026 the clocks go
forward on Sunday 8 March (02:00 → 03:00) and back on Sunday 1 November
(02:00 → 01:00).
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest

from polydesk.core.errors import ValidationFailed
from polydesk.core.sla.calendars import NEVER, BusinessCalendar, compile_calendar
from polydesk.core.specs import Calendar

UTC = dt.UTC
WARSAW = ZoneInfo("Europe/Warsaw")
NEW_YORK = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEKDAYS = range(1, 6)


def warsaw(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WARSAW)


def new_york(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NEW_YORK)


def shanghai(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def office(**changes) -> BusinessCalendar:
    """Mon–Fri 08:00–18:00 in Warsaw, closed on Polish public holidays."""
    spec = {
        "key": "office",
        "name": "Office hours",
        "timezone": "Europe/Warsaw",
        "hours": {day: (("08:00", "18:00"),) for day in WEEKDAYS},
        "holidays_country": "PL",
    }
    return compile_calendar(Calendar(**{**spec, **changes}))


OFFICE = office()


# -- office hours, weekends and holidays -----------------------------------------------------


def test_two_hours_from_friday_afternoon_are_due_monday_morning():
    due = OFFICE.add(warsaw(2026, 6, 12, 17, 0), 120)  # Friday 17:00: one hour left that day
    assert due == warsaw(2026, 6, 15, 9, 0)  # Monday 09:00 CEST
    assert due == utc(2026, 6, 15, 7, 0)
    assert due.tzinfo is UTC


def test_a_target_that_fills_the_day_is_due_at_closing_time_not_next_morning():
    assert OFFICE.add(warsaw(2026, 6, 12, 8, 0), 600) == warsaw(2026, 6, 12, 18, 0)
    assert OFFICE.add(warsaw(2026, 6, 12, 8, 0), 601) == warsaw(2026, 6, 15, 8, 1)


def test_a_ticket_raised_at_night_starts_counting_at_opening_time():
    assert OFFICE.add(warsaw(2026, 6, 10, 23, 30), 30) == warsaw(2026, 6, 11, 8, 30)
    assert OFFICE.add(warsaw(2026, 6, 13, 11, 0), 60) == warsaw(2026, 6, 15, 9, 0)  # Saturday


def test_independence_day_11_november_is_skipped():
    # Tuesday 17:00 → 1 h on Tuesday; Wednesday 11 November is a holiday; 1 h on Thursday.
    assert OFFICE.add(warsaw(2026, 11, 10, 17, 0), 120) == warsaw(2026, 11, 12, 9, 0)
    assert OFFICE.between(warsaw(2026, 11, 11, 0, 0), warsaw(2026, 11, 12, 0, 0)) == 0


def test_christmas_eve_christmas_and_boxing_day_2026_are_skipped():
    # Wed 23 Dec 17:00: 1 h; Thu 24 and Fri 25 are holidays, then the weekend
    # (Sat 26 is a holiday too); Monday 28 December 08:00 + 1 h (CET, UTC+1).
    due = OFFICE.add(warsaw(2026, 12, 23, 17, 0), 120)
    assert due == warsaw(2026, 12, 28, 9, 0)
    assert due == utc(2026, 12, 28, 8, 0)
    assert OFFICE.between(warsaw(2026, 12, 23, 8, 0), warsaw(2026, 12, 29, 8, 0)) == 2 * 600


def test_half_day_special_day():
    # New Year's Eve is a half day; 1 January is a holiday; then the weekend.
    calendar = office(special_days={"2026-12-31": (("08:00", "12:00"),)})
    due = calendar.add(warsaw(2026, 12, 31, 8, 0), 6 * 60)  # 4 h on Thursday, 2 h on Monday
    assert due == warsaw(2027, 1, 4, 10, 0)
    assert calendar.is_working(warsaw(2026, 12, 31, 11, 59))
    assert not calendar.is_working(warsaw(2026, 12, 31, 12, 0))


def test_special_day_overrides_a_public_holiday():
    calendar = office(special_days={"2026-11-11": (("10:00", "14:00"),)})
    assert calendar.add(warsaw(2026, 11, 10, 17, 0), 120) == warsaw(2026, 11, 11, 11, 0)


def test_special_day_with_no_hours_closes_a_working_day():
    calendar = office(special_days={"2026-06-15": ()})
    assert calendar.add(warsaw(2026, 6, 12, 17, 0), 120) == warsaw(2026, 6, 16, 9, 0)


def test_custom_holiday_closes_the_day():
    calendar = office(custom_holidays=("2026-06-15",))  # a company day off, Monday
    assert calendar.add(warsaw(2026, 6, 12, 17, 0), 120) == warsaw(2026, 6, 16, 9, 0)
    assert not calendar.is_working(warsaw(2026, 6, 15, 12, 0))


def test_a_week_with_no_working_time_is_skipped():
    closed = {f"2026-06-{day}": () for day in range(15, 20)}  # Monday 15 to Friday 19 June
    calendar = office(special_days=closed)
    assert calendar.add(warsaw(2026, 6, 12, 17, 0), 120) == warsaw(2026, 6, 22, 9, 0)
    assert calendar.next_working(warsaw(2026, 6, 12, 18, 0)) == warsaw(2026, 6, 22, 8, 0)


def test_no_working_time_for_years_raises_instead_of_looping():
    mondays = dt.date(2026, 1, 5)
    closed = tuple(
        (mondays + dt.timedelta(weeks=week)).isoformat() for week in range(52 * 4)
    )  # every Monday of 2026–2029
    calendar = compile_calendar(
        Calendar(
            key="mondays",
            name="Mondays only",
            timezone="Europe/Warsaw",
            hours={1: (("08:00", "16:00"),)},
            custom_holidays=closed,
        )
    )
    with pytest.raises(ValueError, match="no working time"):
        calendar.add(warsaw(2026, 1, 1, 12, 0), 60)
    with pytest.raises(ValueError, match="no working time"):
        calendar.next_working(warsaw(2026, 1, 1, 12, 0))


def test_round_the_clock_apart_from_holidays():
    # No weekly hours but a holiday country: every day 00:00–24:00 except holidays.
    calendar = compile_calendar(
        Calendar(
            key="almost",
            name="24×7 except holidays",
            timezone="Europe/Warsaw",
            holidays_country="PL",
        )
    )
    assert calendar.is_working(warsaw(2026, 11, 10, 3, 0))
    assert calendar.is_working(warsaw(2026, 11, 14, 3, 0))  # Saturday
    assert not calendar.is_working(warsaw(2026, 11, 11, 12, 0))
    assert calendar.add(warsaw(2026, 11, 10, 23, 0), 120) == warsaw(2026, 11, 12, 1, 0)


# -- is_working / next_working / between -------------------------------------------------------


def test_working_intervals_include_their_start_and_exclude_their_end():
    assert OFFICE.is_working(warsaw(2026, 6, 12, 8, 0))
    assert OFFICE.is_working(warsaw(2026, 6, 12, 17, 59, 59))
    assert not OFFICE.is_working(warsaw(2026, 6, 12, 18, 0))
    assert not OFFICE.is_working(warsaw(2026, 6, 13, 12, 0))  # Saturday


def test_next_working():
    working = warsaw(2026, 6, 12, 10, 0)
    assert OFFICE.next_working(working) == working
    assert OFFICE.next_working(warsaw(2026, 6, 12, 18, 0)) == warsaw(2026, 6, 15, 8, 0)
    assert OFFICE.next_working(warsaw(2026, 11, 10, 19, 0)) == warsaw(2026, 11, 12, 8, 0)
    assert OFFICE.next_working(warsaw(2026, 12, 31, 18, 0)) == warsaw(2027, 1, 4, 8, 0)


def test_between_is_the_inverse_of_add():
    start = warsaw(2026, 6, 12, 17, 0)
    assert OFFICE.between(start, warsaw(2026, 6, 15, 9, 0)) == 120
    assert OFFICE.between(start, start) == 0
    assert OFFICE.between(warsaw(2026, 6, 15, 9, 0), start) == 0  # end before start
    # A week without holidays: 5 × 10 h.
    assert OFFICE.between(warsaw(2026, 6, 15, 0, 0), warsaw(2026, 6, 22, 0, 0)) == 3000
    for minutes in (1, 59, 60, 600, 601, 2 * 600 + 30, 5 * 600, 40 * 600):
        due = OFFICE.add(start, minutes)
        assert OFFICE.between(start, due) == minutes


def test_between_across_a_year_boundary():
    # Mon 28 Dec to Mon 4 Jan 2027: 28, 29, 30, 31 December (1 January is a holiday).
    assert OFFICE.between(warsaw(2026, 12, 28, 0, 0), warsaw(2027, 1, 4, 0, 0)) == 4 * 600
    assert OFFICE.add(warsaw(2026, 12, 28, 8, 0), 4 * 600 + 1) == warsaw(2027, 1, 4, 8, 1)


def test_fractional_minutes_and_seconds():
    assert OFFICE.add(warsaw(2026, 6, 12, 17, 59, 30), 1.5) == warsaw(2026, 6, 15, 8, 1)
    assert OFFICE.between(warsaw(2026, 6, 12, 17, 59, 30), warsaw(2026, 6, 15, 8, 1)) == 1.5


def test_inputs_must_be_aware_and_minutes_not_negative():
    with pytest.raises(ValueError, match="aware"):
        OFFICE.add(dt.datetime(2026, 6, 12, 17, 0), 60)
    with pytest.raises(ValueError, match="minutes"):
        OFFICE.add(warsaw(2026, 6, 12, 17, 0), -1)


def test_adding_zero_minutes_returns_the_start_itself():
    saturday = warsaw(2026, 6, 13, 12, 0)
    assert OFFICE.add(saturday, 0) == saturday
    assert OFFICE.add(warsaw(2026, 6, 12, 9, 0), 0) == warsaw(2026, 6, 12, 9, 0)


# -- excluded spans (pauses) -------------------------------------------------------------------


def test_a_pause_over_the_weekend_resumes_with_the_remaining_time():
    start = warsaw(2026, 6, 12, 16, 0)  # Friday
    assert OFFICE.add(start, 240) == warsaw(2026, 6, 15, 10, 0)  # 2 h Friday, 2 h Monday
    # Waiting for the customer from Friday 17:00 to Monday 10:00: 1 h was used on
    # Friday, 3 h remain from Monday 10:00.
    pause = [(warsaw(2026, 6, 12, 17, 0), warsaw(2026, 6, 15, 10, 0))]
    due = OFFICE.add(start, 240, excluded=pause)
    assert due == warsaw(2026, 6, 15, 13, 0)
    assert OFFICE.between(start, due, excluded=pause) == 240


def test_a_pause_outside_working_hours_changes_nothing():
    start = warsaw(2026, 6, 12, 16, 0)
    weekend = [(warsaw(2026, 6, 13, 10, 0), warsaw(2026, 6, 14, 20, 0))]
    assert OFFICE.add(start, 240, excluded=weekend) == OFFICE.add(start, 240)
    assert OFFICE.between(start, warsaw(2026, 6, 16, 0, 0), excluded=weekend) == 2 * 60 + 600


def test_pauses_may_overlap_and_come_in_any_order():
    start = warsaw(2026, 6, 12, 16, 0)
    pauses = [
        (warsaw(2026, 6, 15, 11, 0), warsaw(2026, 6, 15, 12, 0)),
        (warsaw(2026, 6, 12, 16, 30), warsaw(2026, 6, 12, 17, 0)),
        (warsaw(2026, 6, 15, 11, 30), warsaw(2026, 6, 15, 12, 30)),
        (warsaw(2026, 6, 1, 9, 0), warsaw(2026, 6, 2, 9, 0)),  # long before the start
    ]
    # Friday 16:00–16:30 (0.5 h) and 17:00–18:00 (1 h), Monday 08:00–11:00 (3 h) = 4.5 h.
    due = OFFICE.add(start, 270, excluded=pauses)
    assert due == warsaw(2026, 6, 15, 11, 0)
    # 30 more minutes resume after the merged pause 11:00–12:30.
    assert OFFICE.add(start, 300, excluded=pauses) == warsaw(2026, 6, 15, 13, 0)
    assert OFFICE.between(start, warsaw(2026, 6, 15, 13, 0), excluded=pauses) == 300


def test_a_pause_that_started_before_the_clock_delays_it():
    pause = [(warsaw(2026, 6, 12, 9, 0), warsaw(2026, 6, 12, 15, 0))]
    assert OFFICE.add(warsaw(2026, 6, 12, 10, 0), 60, excluded=pause) == warsaw(2026, 6, 12, 16, 0)


def test_a_pause_of_zero_length_changes_nothing():
    start = warsaw(2026, 6, 12, 16, 0)
    instant = warsaw(2026, 6, 12, 17, 0)
    assert OFFICE.add(start, 240, excluded=[(instant, instant)]) == OFFICE.add(start, 240)


def test_an_open_pause_ending_in_the_far_future_answers_at_once():
    start = warsaw(2026, 6, 12, 16, 0)
    until = dt.datetime(9999, 12, 31, tzinfo=UTC)  # how an open span is often written
    began = time.perf_counter()
    due = OFFICE.add(start, 120, excluded=[(warsaw(2026, 6, 12, 17, 0), until)])
    # Friday 31 December 9999: 01:00 in Warsaw when the pause ends; 1 h from 08:00.
    assert due == warsaw(9999, 12, 31, 9, 0)
    assert OFFICE.add(start, 120, excluded=[(warsaw(2026, 6, 12, 17, 0), NEVER)]) == NEVER
    assert OFFICE.add(start, 20 * 600, excluded=[(warsaw(2026, 6, 12, 17, 0), until)]) == NEVER
    assert OFFICE.between(start, warsaw(2026, 6, 15, 9, 0), excluded=[(start, NEVER)]) == 0
    assert time.perf_counter() - began < 0.5


# -- overnight shifts --------------------------------------------------------------------------


NIGHTS = compile_calendar(
    Calendar(
        key="nights",
        name="Night shift",
        timezone="Europe/Warsaw",
        hours={day: (("22:00", "06:00"),) for day in WEEKDAYS},  # Mon night … Fri night
        holidays_country="PL",
    )
)


def test_overnight_shift_across_a_weekend():
    # Friday 23:00: 7 h until Saturday 06:00; no shift on Saturday or Sunday night;
    # the last hour from Monday 22:00.
    assert NIGHTS.add(warsaw(2026, 6, 12, 23, 0), 8 * 60) == warsaw(2026, 6, 15, 23, 0)
    assert NIGHTS.is_working(warsaw(2026, 6, 13, 5, 59))  # Saturday morning: Friday's shift
    assert not NIGHTS.is_working(warsaw(2026, 6, 13, 23, 0))  # Saturday night
    assert NIGHTS.next_working(warsaw(2026, 6, 13, 6, 0)) == warsaw(2026, 6, 15, 22, 0)


def test_overnight_shift_starting_on_a_holiday_is_not_worked():
    # Tuesday 10 November 22:00 runs into the 11 November holiday and is worked in
    # full; the shift that would start on the holiday is not; Thursday's is.
    assert NIGHTS.is_working(warsaw(2026, 11, 11, 3, 0))
    assert not NIGHTS.is_working(warsaw(2026, 11, 11, 23, 0))
    assert NIGHTS.add(warsaw(2026, 11, 10, 22, 0), 9 * 60) == warsaw(2026, 11, 12, 23, 0)


def test_shifts_running_into_each_other_are_merged():
    calendar = compile_calendar(
        Calendar(
            key="shifts",
            name="Three shifts",
            timezone="Europe/Warsaw",
            hours={1: (("06:00", "14:00"), ("14:00", "22:00"), ("22:00", "06:00"))},
        )
    )
    # Monday 06:00 to Tuesday 06:00 is one continuous day of work.
    assert calendar.between(warsaw(2026, 6, 15, 0, 0), warsaw(2026, 6, 17, 0, 0)) == 24 * 60
    assert calendar.add(warsaw(2026, 6, 15, 6, 0), 24 * 60) == warsaw(2026, 6, 16, 6, 0)
    assert calendar.add(warsaw(2026, 6, 15, 6, 0), 24 * 60 + 1) == warsaw(2026, 6, 22, 6, 1)


def test_a_night_shift_overlapping_the_next_morning_counts_once():
    calendar = compile_calendar(
        Calendar(
            key="handover",
            name="Handover",
            timezone="Europe/Warsaw",
            hours={1: (("22:00", "06:00"),), 2: (("05:00", "13:00"),)},
        )
    )
    # Monday 22:00 to Tuesday 13:00 without a break: 15 h, not 8 h + 8 h.
    assert calendar.between(warsaw(2026, 6, 15, 0, 0), warsaw(2026, 6, 17, 0, 0)) == 15 * 60
    assert calendar.add(warsaw(2026, 6, 15, 22, 0), 15 * 60) == warsaw(2026, 6, 16, 13, 0)


# -- 24×7 --------------------------------------------------------------------------------------


def test_round_the_clock_is_plain_elapsed_time():
    calendar = compile_calendar(Calendar(key="24x7", name="24×7", timezone="Europe/Warsaw"))
    start = warsaw(2026, 6, 13, 23, 0)  # a Saturday night counts like any hour
    assert calendar.add(start, 90) == start + dt.timedelta(minutes=90)
    assert calendar.is_working(start)
    # Across the spring DST change: 01:00 CET (00:00 UTC) + 2 h = 02:00 UTC = 04:00 CEST.
    assert calendar.add(warsaw(2026, 3, 29, 1, 0), 120) == warsaw(2026, 3, 29, 4, 0)
    assert calendar.between(warsaw(2026, 3, 29, 0, 0), warsaw(2026, 3, 30, 0, 0)) == 23 * 60
    pause = [(warsaw(2026, 6, 14, 0, 0), warsaw(2026, 6, 14, 1, 0))]
    assert calendar.add(start, 90, excluded=pause) == warsaw(2026, 6, 14, 1, 30)
    assert calendar.between(start, warsaw(2026, 6, 14, 1, 30), excluded=pause) == 90


# -- DST ---------------------------------------------------------------------------------------


def early_hours(zone: str) -> BusinessCalendar:
    return compile_calendar(
        Calendar(
            key="early",
            name="Early hours",
            timezone=zone,
            hours={day: (("00:00", "06:00"),) for day in range(1, 8)},
        )
    )


def test_warsaw_spring_forward_shortens_the_night_by_an_hour():
    calendar = early_hours("Europe/Warsaw")
    # Sunday 29 March: 00:00 CET = Sat 23:00 UTC, 06:00 CEST = 04:00 UTC → 5 real hours.
    assert calendar.between(warsaw(2026, 3, 29, 0, 0), warsaw(2026, 3, 30, 0, 0)) == 5 * 60
    assert calendar.add(warsaw(2026, 3, 29, 0, 0), 5 * 60) == utc(2026, 3, 29, 4, 0)
    # One more minute: Monday 00:01 CEST = Sunday 22:01 UTC.
    assert calendar.add(warsaw(2026, 3, 29, 0, 0), 5 * 60 + 1) == utc(2026, 3, 29, 22, 1)
    # Saturday has the full 6 hours.
    assert calendar.between(warsaw(2026, 3, 28, 0, 0), warsaw(2026, 3, 29, 0, 0)) == 6 * 60


def test_warsaw_fall_back_lengthens_the_night_by_an_hour():
    calendar = early_hours("Europe/Warsaw")
    # Sunday 25 October: 00:00 CEST = Sat 22:00 UTC, 06:00 CET = 05:00 UTC → 7 real hours.
    assert calendar.between(warsaw(2026, 10, 25, 0, 0), warsaw(2026, 10, 26, 0, 0)) == 7 * 60
    # 6 hours after midnight the wall clock reads only 05:00 (CET, 04:00 UTC).
    due = calendar.add(warsaw(2026, 10, 25, 0, 0), 6 * 60)
    assert due == utc(2026, 10, 25, 4, 0)
    assert due.astimezone(WARSAW).strftime("%H:%M %Z") == "05:00 CET"


def test_office_hours_across_dst_weekends_in_warsaw():
    # Friday 27 March 17:00 CET (16:00 UTC) + 2 h → Monday 30 March 09:00 CEST (07:00 UTC).
    assert OFFICE.add(warsaw(2026, 3, 27, 17, 0), 120) == utc(2026, 3, 30, 7, 0)
    # Friday 23 October 17:00 CEST (15:00 UTC) + 2 h → Monday 26 October 09:00 CET (08:00 UTC).
    assert OFFICE.add(warsaw(2026, 10, 23, 17, 0), 120) == utc(2026, 10, 26, 8, 0)


def test_a_shift_starting_in_the_spring_gap_starts_when_the_gap_ends():
    calendar = compile_calendar(
        Calendar(
            key="gap", name="Sunday", timezone="Europe/Warsaw", hours={7: (("02:30", "04:00"),)}
        )
    )
    # 02:30 does not exist on 29 March; the shift starts at 03:00 CEST (01:00 UTC)
    # and ends at 04:00 CEST (02:00 UTC): one hour.
    saturday = warsaw(2026, 3, 28, 12, 0)
    assert calendar.next_working(saturday) == utc(2026, 3, 29, 1, 0)
    assert calendar.between(saturday, warsaw(2026, 3, 30, 0, 0)) == 60
    # On 25 October 02:30 happens twice; the shift starts at the first (CEST, 00:30 UTC)
    # and ends at 04:00 CET (03:00 UTC): two and a half hours.
    assert calendar.next_working(warsaw(2026, 10, 24, 12, 0)) == utc(2026, 10, 25, 0, 30)
    assert calendar.between(warsaw(2026, 10, 24, 12, 0), warsaw(2026, 10, 26, 0, 0)) == 150


def test_a_shift_wholly_inside_the_spring_gap_vanishes():
    calendar = compile_calendar(
        Calendar(
            key="gap", name="Sunday", timezone="Europe/Warsaw", hours={7: (("02:00", "02:45"),)}
        )
    )
    assert calendar.between(warsaw(2026, 3, 29, 0, 0), warsaw(2026, 3, 30, 0, 0)) == 0
    assert calendar.next_working(warsaw(2026, 3, 28, 12, 0)) == warsaw(2026, 4, 5, 2, 0)


NY_OFFICE = compile_calendar(
    Calendar(
        key="ny",
        name="New York office",
        timezone="America/New_York",
        hours={day: (("09:00", "17:00"),) for day in WEEKDAYS},
        holidays_country="US",
        holidays_subdivision="NY",
    )
)


def test_new_york_office_across_dst_weekends():
    # Friday 6 March 16:00 EST (21:00 UTC) + 2 h → Monday 9 March 10:00 EDT (14:00 UTC).
    assert NY_OFFICE.add(new_york(2026, 3, 6, 16, 0), 120) == utc(2026, 3, 9, 14, 0)
    # Friday 30 October 16:00 EDT (20:00 UTC) + 2 h → Monday 2 November 10:00 EST (15:00 UTC).
    assert NY_OFFICE.add(new_york(2026, 10, 30, 16, 0), 120) == utc(2026, 11, 2, 15, 0)


def test_new_york_overnight_shifts_across_dst():
    calendar = compile_calendar(
        Calendar(
            key="ny-nights",
            name="New York nights",
            timezone="America/New_York",
            hours={day: (("22:00", "06:00"),) for day in range(1, 8)},
        )
    )
    # Sat 7 March 22:00 EST (Sun 03:00 UTC) → Sun 06:00 EDT (10:00 UTC): 7 hours.
    assert calendar.between(new_york(2026, 3, 7, 12, 0), new_york(2026, 3, 8, 12, 0)) == 7 * 60
    assert calendar.add(new_york(2026, 3, 7, 22, 0), 7 * 60) == utc(2026, 3, 8, 10, 0)
    # Sat 31 October 22:00 EDT (Sun 02:00 UTC) → Sun 06:00 EST (11:00 UTC): 9 hours.
    assert calendar.between(new_york(2026, 10, 31, 12, 0), new_york(2026, 11, 1, 12, 0)) == 9 * 60
    assert calendar.add(new_york(2026, 10, 31, 22, 0), 8 * 60) == utc(2026, 11, 1, 10, 0)


# -- other countries -----------------------------------------------------------------------------


def test_new_york_state_holidays_come_with_the_subdivision():
    federal = compile_calendar(
        Calendar(
            key="us",
            name="US office",
            timezone="America/New_York",
            hours={day: (("09:00", "17:00"),) for day in WEEKDAYS},
            holidays_country="US",
        )
    )
    # Election Day (Tuesday 3 November 2026) is a holiday in New York State only.
    start = new_york(2026, 11, 2, 16, 0)
    assert federal.add(start, 120) == new_york(2026, 11, 3, 10, 0)
    assert NY_OFFICE.add(start, 120) == new_york(2026, 11, 4, 10, 0)
    # Lincoln's Birthday (Thursday 12 February) is a New York holiday too.
    assert NY_OFFICE.add(new_york(2026, 2, 11, 16, 0), 120) == new_york(2026, 2, 13, 10, 0)
    # Both close for Thanksgiving.
    assert not federal.is_working(new_york(2026, 11, 26, 12, 0))
    assert not NY_OFFICE.is_working(new_york(2026, 11, 26, 12, 0))


CN_OFFICE = compile_calendar(
    Calendar(
        key="cn",
        name="Shanghai office",
        timezone="Asia/Shanghai",
        hours={day: (("09:00", "18:00"),) for day in WEEKDAYS},
        holidays_country="CN",
    )
)


def test_china_golden_week():
    # Wednesday 30 September 17:00: 1 h; 1–7 October are days off; Thursday 8th 09:00 + 1 h.
    due = CN_OFFICE.add(shanghai(2026, 9, 30, 17, 0), 120)
    assert due == shanghai(2026, 10, 8, 10, 0)
    assert due == utc(2026, 10, 8, 2, 0)  # China has no DST: always UTC+8


def test_china_spring_festival():
    # Friday 13 February 17:00: 1 h; 16–20 and 23 February are days off.
    assert CN_OFFICE.add(shanghai(2026, 2, 13, 17, 0), 120) == shanghai(2026, 2, 24, 10, 0)


def test_china_make_up_working_weekend_via_special_days():
    # The `holidays` package lists the days off but not the weekends worked in
    # exchange (10 October 2026 is a working Saturday); special_days adds them.
    assert CN_OFFICE.add(shanghai(2026, 10, 9, 17, 0), 120) == shanghai(2026, 10, 12, 10, 0)
    calendar = compile_calendar(
        Calendar(
            key="cn",
            name="Shanghai office",
            timezone="Asia/Shanghai",
            hours={day: (("09:00", "18:00"),) for day in WEEKDAYS},
            holidays_country="CN",
            special_days={"2026-10-10": (("09:00", "18:00"),)},
        )
    )
    assert calendar.add(shanghai(2026, 10, 9, 17, 0), 120) == shanghai(2026, 10, 10, 10, 0)


# -- bad configuration ------------------------------------------------------------------------


def invalid(**changes) -> dict[str, str]:
    spec = {
        "key": "bad",
        "name": "Bad",
        "timezone": "Europe/Warsaw",
        "hours": {day: (("08:00", "18:00"),) for day in WEEKDAYS},
    }
    with pytest.raises(ValidationFailed) as caught:
        compile_calendar(Calendar(**{**spec, **changes}))
    return caught.value.fields


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timezone": "Europe/Warszawa"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"timezone": "../etc/passwd"}, "timezone"),
        ({"holidays_country": "XX"}, "holidays_country"),
        ({"holidays_country": "US", "holidays_subdivision": "ZZ"}, "holidays_subdivision"),
        ({"holidays_subdivision": "NY"}, "holidays_subdivision"),
        ({"hours": {1: (("8:00", "18:00"),)}}, "hours.1"),
        ({"hours": {1: (("08:00", "25:00"),)}}, "hours.1"),
        ({"hours": {1: (("08:60", "18:00"),)}}, "hours.1"),
        ({"hours": {1: (("24:00", "06:00"),)}}, "hours.1"),
        ({"hours": {1: (("08:00", 18),)}}, "hours.1"),
        ({"hours": {2: (("08:00", "08:00"),)}}, "hours.2"),
        ({"hours": {1: ("08:00", "18:00")}}, "hours.1"),  # forgot the outer tuple
        ({"hours": {0: (("08:00", "18:00"),)}}, "hours.0"),
        ({"hours": {8: (("08:00", "18:00"),)}}, "hours.8"),
        ({"hours": {"1": (("08:00", "18:00"),)}}, "hours.1"),
        ({"hours": {3: (("08:00", "12:00"), ("11:00", "14:00"))}}, "hours.3"),
        ({"hours": {3: (("22:00", "06:00"), ("23:00", "23:30"))}}, "hours.3"),
        ({"custom_holidays": ("2026-13-01",)}, "custom_holidays"),
        ({"custom_holidays": ("11/11/2026",)}, "custom_holidays"),
        ({"custom_holidays": "2026-11-11"}, "custom_holidays"),  # a string, not a tuple
        ({"special_days": [("2026-12-24", ())]}, "special_days"),
        ({"special_days": {"2026-02-30": ()}}, "special_days.2026-02-30"),
        ({"special_days": {"2026-12-24": (("13:00", "12:00:00"),)}}, "special_days.2026-12-24"),
        ({"hours": {1: (), 2: ()}}, "hours"),
    ],
)
def test_bad_configuration_names_the_field(changes, field):
    fields = invalid(**changes)
    assert list(fields) == [field]
    assert fields[field]


def test_a_week_without_hours_is_refused_even_with_special_days():
    fields = invalid(hours={1: ()}, special_days={"2026-06-13": (("08:00", "12:00"),)})
    assert list(fields) == ["hours"]


def test_every_problem_is_reported_at_once():
    fields = invalid(
        timezone="Nowhere/Special",
        holidays_country="XX",
        hours={1: (("08:00", "08:00"),), 9: (("08:00", "10:00"),)},
        custom_holidays=("tomorrow",),
    )
    assert set(fields) == {"timezone", "holidays_country", "hours.1", "hours.9", "custom_holidays"}


def test_edge_cases_that_are_valid():
    calendar = compile_calendar(
        Calendar(
            key="ok",
            name="OK",
            timezone="Europe/Warsaw",
            hours={
                1: (("00:00", "24:00"),),  # a whole day
                2: (("08:00", "12:00"), ("12:00", "16:00")),  # back to back
                3: (("18:00", "00:00"),),  # until midnight
            },
            special_days={"2026-06-20": (("10:00", "11:00"),)},  # a working Saturday
        )
    )
    assert calendar.between(warsaw(2026, 6, 15, 0, 0), warsaw(2026, 6, 22, 0, 0)) == (
        24 * 60 + 8 * 60 + 6 * 60 + 60
    )
    assert calendar.add(warsaw(2026, 6, 16, 11, 0), 120) == warsaw(2026, 6, 16, 13, 0)
