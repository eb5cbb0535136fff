"""Laws of business-time arithmetic, checked on random instants and durations.

Three calendars that stress different parts: office hours in Warsaw with
Polish holidays (weekends, holidays, DST), night shifts in New York with
New York holidays (shifts across midnight and DST), and a 24×7 clock.
Examples are derandomized so CI runs the same cases every time.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polydesk.core.sla.calendars import BusinessCalendar, compile_calendar
from polydesk.core.specs import Calendar

UTC = dt.UTC
ONE_SECOND = 1 / 60  # in minutes

CALENDARS: dict[str, BusinessCalendar] = {
    "warsaw-office": compile_calendar(
        Calendar(
            key="warsaw-office",
            name="Warsaw office",
            timezone="Europe/Warsaw",
            hours={day: (("08:00", "18:00"),) for day in range(1, 6)},
            holidays_country="PL",
            special_days={"2026-12-31": (("08:00", "12:00"),)},
        )
    ),
    "new-york-nights": compile_calendar(
        Calendar(
            key="new-york-nights",
            name="New York night shifts",
            timezone="America/New_York",
            hours={
                **{day: (("22:00", "06:00"),) for day in range(1, 6)},
                6: (("10:00", "14:00"),),
                # Meets both DST changes: 30 minutes in March, 2 hours in November.
                7: (("01:30", "02:30"),),
            },
            holidays_country="US",
            holidays_subdivision="NY",
        )
    ),
    "24x7": compile_calendar(Calendar(key="24x7", name="24×7", timezone="Europe/Warsaw")),
}
NAMES = sorted(CALENDARS)

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)

FIRST = dt.datetime(2025, 1, 1, tzinfo=UTC)
LAST = dt.datetime(2028, 12, 31, tzinfo=UTC)

instants = st.integers(0, int((LAST - FIRST).total_seconds())).map(
    lambda seconds: FIRST + dt.timedelta(seconds=seconds)
)
#: Business minutes up to 20 working days of 10 hours, with seconds.
durations = st.integers(0, 20 * 600 * 60).map(lambda seconds: seconds / 60)
pauses = st.lists(
    st.tuples(instants, st.integers(0, 5 * 24 * 3600)).map(
        lambda pair: (pair[0], pair[0] + dt.timedelta(seconds=pair[1]))
    ),
    max_size=4,
)


def close(a: dt.datetime, b: dt.datetime) -> bool:
    return abs((a - b).total_seconds()) <= 1


@pytest.mark.parametrize("name", NAMES)
@PROPERTY_SETTINGS
@given(start=instants, minutes=durations)
def test_between_undoes_add(name, start, minutes):
    calendar = CALENDARS[name]
    due = calendar.add(start, minutes)
    assert due >= start
    assert calendar.between(start, due) == pytest.approx(minutes, abs=ONE_SECOND)


@pytest.mark.parametrize("name", NAMES)
@PROPERTY_SETTINGS
@given(start=instants, minutes=durations, excluded=pauses)
def test_between_undoes_add_with_pauses(name, start, minutes, excluded):
    calendar = CALENDARS[name]
    due = calendar.add(start, minutes, excluded=excluded)
    assert calendar.between(start, due, excluded=excluded) == pytest.approx(minutes, abs=ONE_SECOND)


@pytest.mark.parametrize("name", NAMES)
@PROPERTY_SETTINGS
@given(start=instants, a=durations, b=durations)
def test_add_is_monotonic_in_the_duration(name, start, a, b):
    calendar = CALENDARS[name]
    shorter, longer = sorted((a, b))
    assert calendar.add(start, shorter) <= calendar.add(start, longer)


@pytest.mark.parametrize("name", NAMES)
@PROPERTY_SETTINGS
@given(first=instants, second=instants, minutes=durations, excluded=pauses)
def test_due_dates_never_move_backwards_as_time_passes(name, first, second, minutes, excluded):
    calendar = CALENDARS[name]
    earlier, later = sorted((first, second))
    assert calendar.add(earlier, minutes) <= calendar.add(later, minutes)
    assert calendar.add(earlier, minutes, excluded=excluded) <= calendar.add(
        later, minutes, excluded=excluded
    )


@pytest.mark.parametrize("name", NAMES)
@PROPERTY_SETTINGS
@given(instant=instants)
def test_adding_nothing_at_a_working_instant_returns_it(name, instant):
    calendar = CALENDARS[name]
    working = calendar.next_working(instant)
    assert working >= instant
    assert calendar.is_working(working)
    assert calendar.add(working, 0) == working
    assert calendar.between(instant, working) == 0


@pytest.mark.parametrize("name", NAMES)
@PROPERTY_SETTINGS
@given(start=instants, minutes=durations, at=instants)
def test_a_pause_of_zero_length_changes_nothing(name, start, minutes, at):
    calendar = CALENDARS[name]
    due = calendar.add(start, minutes)
    assert calendar.add(start, minutes, excluded=[(at, at)]) == due
    assert calendar.between(start, due, excluded=[(at, at)]) == calendar.between(start, due)


@pytest.mark.parametrize("name", NAMES)
@PROPERTY_SETTINGS
@given(start=instants, a=durations, b=durations)
def test_splitting_a_duration_changes_nothing(name, start, a, b):
    calendar = CALENDARS[name]
    assert close(calendar.add(calendar.add(start, a), b), calendar.add(start, a + b))


@pytest.mark.parametrize("name", NAMES)
@PROPERTY_SETTINGS
@given(start=instants, middle=instants, end=instants)
def test_between_adds_up_over_consecutive_spans(name, start, middle, end):
    calendar = CALENDARS[name]
    start, middle, end = sorted((start, middle, end))
    assert calendar.between(start, middle) + calendar.between(middle, end) == pytest.approx(
        calendar.between(start, end), abs=ONE_SECOND
    )


@pytest.mark.parametrize("name", NAMES)
@PROPERTY_SETTINGS
@given(start=instants, end=instants, excluded=pauses)
def test_pauses_only_ever_remove_time(name, start, end, excluded):
    calendar = CALENDARS[name]
    assert 0 <= calendar.between(start, end, excluded=excluded) <= calendar.between(start, end)
