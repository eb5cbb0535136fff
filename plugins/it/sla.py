"""IT calendars and SLA policies (targets are minutes of business time)."""

from __future__ import annotations

from polydesk.core import N_, Calendar, Priority, SLAPolicy, SLATarget

TIMEZONE = "Europe/Warsaw"

#: On-call engineers answer P1 incidents at any hour.
ROUND_THE_CLOCK = Calendar(key="it.24x7", name=N_("IT on-call, 24×7"), timezone=TIMEZONE)

#: The service desk is staffed Monday to Friday, 08:00–18:00, except Polish holidays.
OFFICE_HOURS = Calendar(
    key="it.office_hours",
    name=N_("IT service desk hours (Mon–Fri 08:00–18:00)"),
    timezone=TIMEZONE,
    hours={day: (("08:00", "18:00"),) for day in range(1, 6)},
    holidays_country="PL",
)

#: P1 incidents are answered within the hour and fixed within four, at any hour.
P1_TARGET = SLATarget(first_response=60, resolution=240, calendar=ROUND_THE_CLOCK)

INCIDENT_SLA = SLAPolicy(
    key="it.incident",
    name=N_("Incidents"),
    calendar=OFFICE_HOURS,
    targets={
        Priority.P1: P1_TARGET,
        Priority.P2: SLATarget(first_response=120, resolution=600),
        Priority.P3: SLATarget(first_response=600, resolution=1_800),
        Priority.P4: SLATarget(first_response=1_200, resolution=6_000),
    },
)

SERVICE_REQUEST_SLA = SLAPolicy(
    key="it.service_request",
    name=N_("Service requests"),
    calendar=OFFICE_HOURS,
    targets={
        Priority.P1: SLATarget(first_response=60, resolution=480),
        Priority.P2: SLATarget(first_response=60, resolution=240),
        Priority.P3: SLATarget(first_response=480, resolution=3_000),
        Priority.P4: SLATarget(first_response=1_200, resolution=6_000),
    },
)

#: Changes and problems: someone picks them up within a working day; how long
#: they take is planned per change, so there is no resolution target.
INTERNAL_SLA = SLAPolicy(
    key="it.internal",
    name=N_("Changes and problems"),
    calendar=OFFICE_HOURS,
    targets={priority: SLATarget(first_response=600) for priority in Priority},
)

#: A leaver's access goes at the end of their last day: the resolution is due
#: then (the form's `last_day`), whatever the priority; someone schedules it
#: within a working day.
ACCESS_REMOVAL_SLA = SLAPolicy(
    key="it.access_removal",
    name=N_("Leavers' access removal"),
    calendar=OFFICE_HOURS,
    targets={
        priority: SLATarget(
            first_response=60 if priority == Priority.P1 else 600, due_field="last_day"
        )
        for priority in Priority
    },
)

SLA_POLICIES = [INCIDENT_SLA, SERVICE_REQUEST_SLA, INTERNAL_SLA, ACCESS_REMOVAL_SLA]
