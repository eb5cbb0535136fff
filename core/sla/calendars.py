"""Business-time arithmetic for SLA clocks: pure, no database.

`compile_calendar(spec)` validates a `Calendar` spec and returns a
`BusinessCalendar`, which answers four questions in business time:

- `add(start, minutes, excluded=...)`: when have `minutes` of working time
  passed after `start` (the due date of a clock);
- `between(start, end, excluded=...)`: how many working minutes lie in
  `[start, end)` (the time a clock has used);
- `is_working(instant)` and `next_working(instant)`.

`excluded` spans (SLA pauses) never count, even when they are working time.

How working time is built
-------------------------
Each local date has *shifts*: its `special_days` entry if it has one (an empty
tuple closes the day), else nothing if it is a public holiday (the `holidays`
package, for `holidays_country`/`holidays_subdivision`) or a custom holiday,
else the weekly `hours` of its ISO weekday. An empty `hours` means 00:00–24:00
every day. A shift belongs to the date it starts on: an overnight shift
(end at or before start, e.g. 22:00–06:00) that starts on a holiday is not
worked, one that starts the day before a holiday is worked in full.

Shifts are wall-clock times in the calendar's time zone, turned into UTC with
`zoneinfo`, so a shift is as long in real time as the wall clock says across a
DST change (00:00–06:00 is 5 hours on a spring-forward night, 7 hours on a
fall-back night). A wall time is mapped to the first instant at which the
clock on the wall shows that time or later:

- a time that does not exist (the spring gap, e.g. 02:30 in Europe/Warsaw on
  the last Sunday of March) maps forward to the end of the gap (03:00 CEST);
  a shift lying wholly inside the gap vanishes;
- an ambiguous time (the autumn repeat, e.g. 02:30 on the last Sunday of
  October) means its first occurrence (`fold=0`, still CEST).

Speed
-----
All arithmetic is on UTC epoch seconds. Working intervals are built once per
*local year* (the shifts of every date, merged and clipped to the year), with
running totals, so `add` and `between` are two binary searches within a year
and a sum of yearly totals across years: nothing walks minutes or days. A
24×7 calendar is plain arithmetic. If no working time exists within two years
of an instant, `ValueError` is raised rather than looping.

Results are aware datetimes in UTC. A result later than the last instant a
`datetime` can hold (a clock paused until year 9999) is `NEVER`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from polydesk.core.errors import ValidationFailed
from polydesk.core.i18n import gettext as _
from polydesk.core.specs import Calendar

__all__ = ["NEVER", "BusinessCalendar", "compile_calendar"]

UTC = dt.UTC

#: What `add` returns when the answer lies beyond what a datetime can hold.
NEVER = dt.datetime.max.replace(tzinfo=UTC)

_MAX_TS = NEVER.timestamp()
_DAY = 1440  # minutes
_TIME = re.compile(r"(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_AVERAGE_YEAR = 365.2425 * 86400
#: Years in a row without any working time before giving up.
_EMPTY_YEARS_LIMIT = 2

Shift = tuple[int, int]  # (start, end) in minutes after local midnight; end may pass 1440


# -- compiling and validating -------------------------------------------------------------


def compile_calendar(spec: Calendar) -> BusinessCalendar:
    """Validate `spec` and compile it for fast business-time arithmetic.

    Bad configuration raises `ValidationFailed` with one message per field key:
    `timezone`, `holidays_country`, `holidays_subdivision`, `hours.<weekday>`,
    `custom_holidays`, `special_days.<date>`, and `hours` when the week has no
    working time at all.
    """
    errors: dict[str, str] = {}

    zone: ZoneInfo | None = None
    try:
        if not isinstance(spec.timezone, str) or not spec.timezone:
            raise ValueError
        zone = ZoneInfo(spec.timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        errors["timezone"] = _(
            "Unknown time zone %(zone)s; use an IANA name such as 'Europe/Warsaw'.",
            zone=repr(spec.timezone),
        )

    country, subdivision = spec.holidays_country, spec.holidays_subdivision
    if country:
        try:
            holidays.country_holidays(country, years=2000)
        except (NotImplementedError, KeyError, ValueError, TypeError):
            errors["holidays_country"] = _(
                "Unknown holidays country %(country)s; use an ISO 3166 code the "
                "`holidays` package supports, such as 'PL' or 'US'.",
                country=repr(country),
            )
        else:
            if subdivision:
                try:
                    holidays.country_holidays(country, subdiv=subdivision, years=2000)
                except (NotImplementedError, KeyError, ValueError, TypeError):
                    known = holidays.list_supported_countries().get(country, [])
                    hint = f" (known: {', '.join(known[:12])}{', …' if len(known) > 12 else ''})"
                    errors["holidays_subdivision"] = _(
                        "%(subdivision)s is not a subdivision of %(country)s in the "
                        "`holidays` package%(hint)s.",
                        subdivision=repr(subdivision),
                        country=repr(country),
                        hint=hint if known else "",
                    )
    elif subdivision:
        errors["holidays_subdivision"] = _("A subdivision needs a holidays_country.")

    weekly: dict[int, tuple[Shift, ...]] = {}
    if not isinstance(spec.hours, Mapping):
        errors["hours"] = _("Map ISO weekdays (1 = Monday … 7 = Sunday) to (start, end) pairs.")
    else:
        for weekday, pairs in spec.hours.items():
            field = f"hours.{weekday}"
            if isinstance(weekday, bool) or not isinstance(weekday, int) or not 1 <= weekday <= 7:
                errors[field] = _("Weekdays are 1 (Monday) to 7 (Sunday).")
                continue
            shifts = _parse_shifts(pairs, field, errors)
            if shifts is not None:
                weekly[weekday] = shifts

    custom: set[dt.date] = set()
    bad_dates = []
    if isinstance(spec.custom_holidays, str) or not isinstance(spec.custom_holidays, Iterable):
        errors["custom_holidays"] = _('Give a tuple of ISO dates, e.g. ("2026-12-24",).')
    else:
        for value in spec.custom_holidays:
            day = _parse_date(value)
            if day is None:
                bad_dates.append(repr(value))
            else:
                custom.add(day)
    if bad_dates:
        errors["custom_holidays"] = _(
            "Not an ISO date (YYYY-MM-DD): %(dates)s.", dates=", ".join(bad_dates)
        )

    special: dict[dt.date, tuple[Shift, ...]] = {}
    if not isinstance(spec.special_days, Mapping):
        errors["special_days"] = _("Map ISO dates (YYYY-MM-DD) to (start, end) pairs.")
    for value, pairs in (
        spec.special_days if isinstance(spec.special_days, Mapping) else {}
    ).items():
        field = f"special_days.{value}"
        day = _parse_date(value)
        if day is None:
            errors[field] = _("%(value)s is not an ISO date (YYYY-MM-DD).", value=repr(value))
            continue
        shifts = _parse_shifts(pairs, field, errors)
        if shifts is not None:
            special[day] = shifts

    hours_valid = not any(key.startswith("hours") for key in errors)
    if spec.hours and hours_valid and not any(weekly.values()):
        errors["hours"] = _(
            "The week has no working time; give at least one (start, end) pair, "
            "or no hours at all for round the clock."
        )

    if errors:
        raise ValidationFailed(errors, f"Calendar {spec.key!r} is not valid.")
    assert zone is not None
    if not spec.hours:
        weekly = {weekday: ((0, _DAY),) for weekday in range(1, 8)}
    return BusinessCalendar(spec, zone, weekly, frozenset(custom), special)


def _parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _parse_time(value: object) -> int | None:
    """Minutes after midnight of "HH:MM"; "24:00" is 1440 (only valid as an end)."""
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    hours, minutes = (match[1], match[2]) if match[1] is not None else (match[3], match[4])
    return int(hours) * 60 + int(minutes)


def _parse_shifts(pairs: object, field: str, errors: dict[str, str]) -> tuple[Shift, ...] | None:
    """The (start, end) pairs of one day as minutes; None (and an error) if malformed."""
    if isinstance(pairs, str) or not isinstance(pairs, Iterable):
        errors[field] = _('Give (start, end) pairs, e.g. (("08:00", "18:00"),).')
        return None
    shifts: list[Shift] = []
    for pair in pairs:
        if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2:
            errors[field] = _(
                '%(pair)s is not a (start, end) pair; write (("08:00", "18:00"),) '
                "even for a single interval.",
                pair=repr(pair),
            )
            return None
        start, end = _parse_time(pair[0]), _parse_time(pair[1])
        if start is None or start == _DAY or end is None:
            bad = pair[0] if start is None or start == _DAY else pair[1]
            errors[field] = _(
                "%(value)s is not a time of day as HH:MM (00:00 to 23:59).", value=repr(bad)
            )
            return None
        if end == start:
            errors[field] = _(
                "%(start)s–%(end)s has no length; for a whole day write ('00:00', '24:00').",
                start=pair[0],
                end=pair[1],
            )
            return None
        if end < start:  # overnight: ends the next day
            end += _DAY
        shifts.append((start, end))
    shifts.sort()
    for (start_a, end_a), (start_b, end_b) in pairwise(shifts):
        if start_b < end_a:
            errors[field] = _(
                "%(first)s and %(second)s overlap.",
                first=f"{_hhmm(start_a)}–{_hhmm(end_a)}",
                second=f"{_hhmm(start_b)}–{_hhmm(end_b)}",
            )
            return None
    return tuple(shifts)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


# -- the compiled calendar ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Year:
    """Working intervals of one local year, merged and clipped to [lo, hi)."""

    lo: float
    hi: float
    starts: list[float]
    ends: list[float]
    cum_start: list[float]  # business seconds from lo to starts[i]
    cum_end: list[float]  # business seconds from lo to ends[i]

    @property
    def total(self) -> float:
        return self.cum_end[-1] if self.cum_end else 0.0

    def used(self, t: float) -> float:
        """Business seconds in [lo, t)."""
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0.0
        if t >= self.ends[i]:
            return self.cum_end[i]
        return self.cum_start[i] + (t - self.starts[i])

    def instant(self, used: float) -> float:
        """The first instant by which `used` business seconds (0 < used <= total) have passed."""
        j = bisect_left(self.cum_end, used)
        return self.starts[j] + (used - self.cum_start[j])


class BusinessCalendar:
    """A compiled `Calendar`: working time in UTC epoch seconds, cached per local year."""

    __slots__ = (
        "_always",
        "_custom",
        "_holiday_years",
        "_special",
        "_weekly",
        "_year_starts",
        "_years",
        "key",
        "name",
        "spec",
        "zone",
    )

    def __init__(
        self,
        spec: Calendar,
        zone: ZoneInfo,
        weekly: dict[int, tuple[Shift, ...]],
        custom: frozenset[dt.date],
        special: dict[dt.date, tuple[Shift, ...]],
    ) -> None:
        self.spec = spec
        self.key = spec.key
        self.name = spec.name
        self.zone = zone
        self._weekly = {weekday: weekly.get(weekday, ()) for weekday in range(1, 8)}
        self._custom = custom
        self._special = special
        self._always = (
            not custom
            and not special
            and not spec.holidays_country
            and all(shifts == ((0, _DAY),) for shifts in self._weekly.values())
        )
        self._holiday_years: dict[int, frozenset[dt.date]] = {}
        self._year_starts: dict[int, float] = {}
        self._years: dict[int, _Year] = {}

    def __repr__(self) -> str:
        kind = "24×7" if self._always else "business hours"
        return f"<BusinessCalendar {self.key!r} {self.zone.key} {kind}>"

    # -- public API ---------------------------------------------------------------------

    def add(
        self,
        start: dt.datetime,
        minutes: float,
        *,
        excluded: Sequence[tuple[dt.datetime, dt.datetime]] = (),
    ) -> dt.datetime:
        """The instant when `minutes` of business time have passed after `start`.

        Time inside `excluded` spans does not count. Adding 0 minutes returns
        `start` itself; otherwise the result lies in working time or at the end
        of a working interval (a 10-hour target from 08:00 on a 08:00–18:00 day
        is due at 18:00 that day, not at 08:00 the next working day).
        """
        s = _ts(start, "start")
        if not math.isfinite(minutes) or minutes < 0:
            raise ValueError(f"minutes must be a finite number >= 0, not {minutes!r}")
        remaining = minutes * 60.0
        if remaining == 0:
            return _dt(s)
        pos = s
        for x_start, x_end in _merge(excluded, s):
            if x_start > pos:
                available = self._between(pos, x_start)
                if available >= remaining:
                    return _dt(self._add(pos, remaining))
                remaining -= available
            pos = max(pos, x_end)
        return _dt(self._add(pos, remaining))

    def between(
        self,
        start: dt.datetime,
        end: dt.datetime,
        *,
        excluded: Sequence[tuple[dt.datetime, dt.datetime]] = (),
    ) -> float:
        """Business minutes in [start, end) outside the `excluded` spans; 0 if end <= start."""
        s, e = _ts(start, "start"), _ts(end, "end")
        if e <= s:
            return 0.0
        seconds = self._between(s, e)
        for x_start, x_end in _merge(excluded, s):
            if x_start >= e:
                break
            seconds -= self._between(x_start if x_start > s else s, min(x_end, e))
        return max(seconds, 0.0) / 60.0

    def is_working(self, instant: dt.datetime) -> bool:
        """Whether `instant` is working time (intervals include their start, not their end)."""
        t = _ts(instant, "instant")
        if self._always:
            return True
        year = self._year(self._year_of(t))
        i = bisect_right(year.starts, t) - 1
        return i >= 0 and t < year.ends[i]

    def next_working(self, instant: dt.datetime) -> dt.datetime:
        """`instant` (in UTC) if it is working time, else the start of the next working interval."""
        t = _ts(instant, "instant")
        if self._always:
            return _dt(t)
        y = self._year_of(t)
        year = self._year(y)
        i = bisect_right(year.starts, t) - 1
        if i >= 0 and t < year.ends[i]:
            return _dt(t)
        if i + 1 < len(year.starts):
            return _dt(year.starts[i + 1])
        empty = 0
        while True:
            y += 1
            if y > dt.MAXYEAR:
                return NEVER
            year = self._year(y)
            if year.starts:
                return _dt(year.starts[0])
            empty += 1
            if empty >= _EMPTY_YEARS_LIMIT:
                raise ValueError(
                    f"Calendar {self.key!r} has no working time within two years after {instant}."
                )

    # -- epoch-second arithmetic ---------------------------------------------------------

    def _between(self, a: float, b: float) -> float:
        """Business seconds in [a, b)."""
        if b <= a:
            return 0.0
        if self._always:
            return b - a
        ya, yb = self._year_of(a), self._year_of(b)
        first = self._year(ya)
        if ya == yb:
            return first.used(b) - first.used(a)
        seconds = first.total - first.used(a)
        for y in range(ya + 1, yb):
            seconds += self._year(y).total
        return seconds + self._year(yb).used(b)

    def _add(self, a: float, seconds: float) -> float:
        """The instant by which `seconds` (> 0) business seconds have passed after `a`."""
        if self._always:
            return min(a + seconds, _MAX_TS)
        y = self._year_of(a)
        year = self._year(y)
        target = year.used(a) + seconds
        empty = 0
        while target > year.total:
            target -= year.total
            y += 1
            if y > dt.MAXYEAR:
                return _MAX_TS
            year = self._year(y)
            empty = empty + 1 if not year.starts else 0
            if empty >= _EMPTY_YEARS_LIMIT:
                raise ValueError(
                    f"Calendar {self.key!r} has no working time within two years after "
                    f"{_dt(a).isoformat()}."
                )
        return year.instant(target)

    def _year_of(self, t: float) -> int:
        """The local calendar year that instant `t` falls in."""
        if t >= _MAX_TS:
            return dt.MAXYEAR
        y = min(max(1970 + int(t // _AVERAGE_YEAR), dt.MINYEAR), dt.MAXYEAR)
        while y > dt.MINYEAR and t < self._year_start(y):
            y -= 1
        while y < dt.MAXYEAR and t >= self._year_start(y + 1):
            y += 1
        return y

    def _year_start(self, y: int) -> float:
        start = self._year_starts.get(y)
        if start is None:
            start = self._year_starts[y] = self._wall_to_utc(dt.date(y, 1, 1), 0)
        return start

    def _year(self, y: int) -> _Year:
        """Working intervals of local year `y` (built once, then cached)."""
        year = self._years.get(y)
        if year is not None:
            return year
        lo = self._year_start(y) if y > dt.MINYEAR else -math.inf
        hi = self._year_start(y + 1) if y < dt.MAXYEAR else math.inf
        pieces: list[tuple[float, float]] = []
        day = dt.date(y - 1, 12, 31) if y > dt.MINYEAR else dt.date(y, 1, 1)
        last = dt.date(y, 12, 31)
        one = dt.timedelta(days=1)
        while True:
            for a, b in self._day_intervals(day):
                a, b = max(a, lo), min(b, hi)
                if a < b:
                    pieces.append((a, b))
            if day == last:
                break
            day += one
        pieces.sort()
        starts: list[float] = []
        ends: list[float] = []
        for a, b in pieces:
            if ends and a <= ends[-1]:
                ends[-1] = max(ends[-1], b)
            else:
                starts.append(a)
                ends.append(b)
        cum_start: list[float] = []
        cum_end: list[float] = []
        total = 0.0
        for a, b in zip(starts, ends, strict=True):
            cum_start.append(total)
            total += b - a
            cum_end.append(total)
        year = _Year(lo, hi, starts, ends, cum_start, cum_end)
        if len(self._years) >= 64:  # far-apart instants: keep memory bounded
            self._years.clear()
        self._years[y] = year
        return year

    def _day_intervals(self, day: dt.date) -> list[tuple[float, float]]:
        """The shifts starting on local date `day`, as UTC epoch-second pairs."""
        return [
            (a, b)
            for a, b in (
                (self._wall_to_utc(day, start), self._wall_to_utc(day, end))
                for start, end in self._shifts(day)
            )
            if a < b  # a shift wholly inside a DST gap vanishes
        ]

    def _shifts(self, day: dt.date) -> tuple[Shift, ...]:
        special = self._special.get(day)
        if special is not None:
            return special
        if day in self._custom or day in self._holidays(day.year):
            return ()
        return self._weekly[day.isoweekday()]

    def _holidays(self, y: int) -> frozenset[dt.date]:
        found = self._holiday_years.get(y)
        if found is None:
            found = frozenset()
            if self.spec.holidays_country:
                found = frozenset(
                    holidays.country_holidays(
                        self.spec.holidays_country,
                        subdiv=self.spec.holidays_subdivision or None,
                        years=y,
                    ).keys()
                )
            self._holiday_years[y] = found
        return found

    def _wall_to_utc(self, day: dt.date, minute: int) -> float:
        """The first instant at which the wall clock shows `minute` after midnight of `day`
        or later: gap times move to the end of the gap, repeated times take the first."""
        days, minute = divmod(minute, _DAY)
        try:
            if days:
                day += dt.timedelta(days=days)
            wall = dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60)
        except OverflowError:
            return math.inf
        local = wall.replace(tzinfo=self.zone)  # fold=0: first occurrence when repeated
        try:
            t = local.timestamp()
        except (OverflowError, ValueError):
            return math.inf if day.year > 5000 else -math.inf
        before, after = local.utcoffset(), local.replace(fold=1).utcoffset()
        if after is None or before is None or after <= before:
            return t  # exists (or is ambiguous: fold=0 is the first occurrence)
        # In a gap the clock jumps from before to after; find the jump by bisection.
        lo, hi = math.floor(t - (after - before).total_seconds()), math.ceil(t)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if dt.datetime.fromtimestamp(mid, self.zone).replace(tzinfo=None) >= wall:
                hi = mid
            else:
                lo = mid
        return float(hi)


# -- helpers ------------------------------------------------------------------------------


def _ts(value: dt.datetime, name: str) -> float:
    if not isinstance(value, dt.datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (with a time zone), got {value!r}")
    return value.timestamp()


def _dt(t: float) -> dt.datetime:
    if t >= _MAX_TS:
        return NEVER
    return dt.datetime.fromtimestamp(t, UTC)


def _merge(
    spans: Iterable[tuple[dt.datetime, dt.datetime]], after: float
) -> list[tuple[float, float]]:
    """Excluded spans as sorted, disjoint epoch-second pairs ending after `after`."""
    pairs = []
    for span_start, span_end in spans:
        a, b = _ts(span_start, "excluded start"), _ts(span_end, "excluded end")
        if b > a and b > after:
            pairs.append((a, b))
    pairs.sort()
    merged: list[tuple[float, float]] = []
    for a, b in pairs:
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged
