"""The requested signature deadline of a contract review: checked, and turned into a priority.

The SLA engine cannot yet take a due date from a form field, so Legal does
what a plugin can: it refuses deadlines Legal cannot meet, and picks the
ticket's priority so that the resolution target of the `legal.standard`
policy lands on or before the deadline. A review due in 4 working days is P1
(2 days), in 8 is P2 (5 days), in 12 is P3 (10 days), in 15 or more is P4
(15 days).

Working days here are Monday to Friday; public holidays are not counted out
(the plugin has no holiday calendar of its own: the core's is not public API).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from polydesk.core import Priority
from polydesk.core import gettext as _
from polydesk.plugins.legal.request_types import CONTRACT_REVIEW, LEGAL_ADVICE
from polydesk.plugins.legal.sla import OFFICE_HOURS, STANDARD_SLA, WORKING_DAY

#: A contract due sooner than this cannot be reviewed at all.
MIN_WORKING_DAYS = 2


def today() -> dt.date:
    """Today in Legal's office."""
    return dt.datetime.now(ZoneInfo(OFFICE_HOURS.timezone)).date()


def working_days_until(deadline: dt.date, start: dt.date) -> int:
    """Weekdays after `start` up to and including `deadline` (0 when it has passed)."""
    days = 0
    day = start
    while day < deadline:
        day += dt.timedelta(days=1)
        if day.isoweekday() <= 5:
            days += 1
    return days


def deadline_error(deadline: str, start: dt.date) -> str | None:
    """Why `deadline` (ISO date) cannot be accepted, or None."""
    due = dt.date.fromisoformat(deadline)
    if due <= start:
        return _("The deadline must be in the future.")
    if working_days_until(due, start) < MIN_WORKING_DAYS:
        return _(
            "Give Legal at least %(days)s working days; for a signature sooner "
            "than that, call Legal first.",
            days=MIN_WORKING_DAYS,
        )
    return None


def priority_for(deadline: str, start: dt.date) -> Priority:
    """The least urgent priority whose resolution target is met by the deadline."""
    days = working_days_until(dt.date.fromisoformat(deadline), start)
    for priority in sorted(Priority, reverse=True):
        target = STANDARD_SLA.targets[priority].resolution
        if target is not None and target <= days * WORKING_DAY:
            return priority
    return Priority.P1


def request_errors(request_type: str, form_data: dict, start: dt.date) -> dict[str, str] | None:
    """Contract deadlines Legal can meet; advice not needed in the past."""
    if request_type == CONTRACT_REVIEW.key:
        error = deadline_error(form_data["deadline"], start)
        return {"deadline": error} if error else None
    needed_by = form_data.get("needed_by")
    if request_type == LEGAL_ADVICE.key and needed_by and dt.date.fromisoformat(needed_by) < start:
        return {"needed_by": _("This date has passed.")}
    return None
