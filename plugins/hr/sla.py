"""HR's calendar and SLA policies (targets are minutes of business time)."""

from __future__ import annotations

from polydesk.core import N_, Calendar, Priority, SLAPolicy, SLATarget

WORKING_DAY = 8 * 60

#: HR is in the office Monday to Friday, 09:00–17:00, except Polish holidays.
OFFICE_HOURS = Calendar(
    key="hr.office_hours",
    name=N_("HR office hours (Mon–Fri 09:00–17:00)"),
    timezone="Europe/Warsaw",
    hours={day: (("09:00", "17:00"),) for day in range(1, 6)},
    holidays_country="PL",
)

STANDARD_SLA = SLAPolicy(
    key="hr.standard",
    name=N_("HR requests"),
    calendar=OFFICE_HOURS,
    targets={
        Priority.P1: SLATarget(first_response=60, resolution=WORKING_DAY),
        Priority.P2: SLATarget(first_response=240, resolution=2 * WORKING_DAY),
        Priority.P3: SLATarget(first_response=WORKING_DAY, resolution=5 * WORKING_DAY),
        Priority.P4: SLATarget(first_response=2 * WORKING_DAY, resolution=10 * WORKING_DAY),
    },
)

#: Joiners and leavers are due on their start or last day (a date of their
#: form), not after a fixed time; someone picks them up within a working day.
ONBOARDING_SLA = SLAPolicy(
    key="hr.onboarding",
    name=N_("Joiners: ready on the start date"),
    calendar=OFFICE_HOURS,
    targets={
        priority: SLATarget(first_response=WORKING_DAY, due_field="start_date")
        for priority in Priority
    },
)

OFFBOARDING_SLA = SLAPolicy(
    key="hr.offboarding",
    name=N_("Leavers: done on the last day"),
    calendar=OFFICE_HOURS,
    targets={
        priority: SLATarget(first_response=WORKING_DAY, due_field="last_day")
        for priority in Priority
    },
)

#: HR's own steps of a joiner or leaver: due on their date when they have one,
#: else within a working week.
TASK_SLA = SLAPolicy(
    key="hr.task",
    name=N_("HR tasks"),
    calendar=OFFICE_HOURS,
    targets={
        priority: SLATarget(
            first_response=WORKING_DAY, resolution=5 * WORKING_DAY, due_field="due_date"
        )
        for priority in Priority
    },
)

#: Someone from the case team answers a concern within half a working day;
#: a case is concluded within 30 working days (formal investigations included).
CASE_SLA = SLAPolicy(
    key="hr.case",
    name=N_("Confidential cases"),
    calendar=OFFICE_HOURS,
    targets={
        priority: SLATarget(first_response=WORKING_DAY // 2, resolution=30 * WORKING_DAY)
        for priority in Priority
    },
)

SLA_POLICIES = [STANDARD_SLA, ONBOARDING_SLA, OFFBOARDING_SLA, TASK_SLA, CASE_SLA]
