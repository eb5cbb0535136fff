"""Legal's calendar and SLA policies (targets are minutes of business time)."""

from __future__ import annotations

from polydesk.core import N_, Calendar, Priority, SLAPolicy, SLATarget

WORKING_DAY = 8 * 60

#: Legal works Monday to Friday, 09:00–17:00, except Polish holidays.
OFFICE_HOURS = Calendar(
    key="legal.office_hours",
    name=N_("Legal office hours (Mon–Fri 09:00–17:00)"),
    timezone="Europe/Warsaw",
    hours={day: (("09:00", "17:00"),) for day in range(1, 6)},
    holidays_country="PL",
)

#: Contract reviews and advice. Time with the counterparty does not count: the
#: contract workflow's `negotiation` state is a `waiting` state.
STANDARD_SLA = SLAPolicy(
    key="legal.standard",
    name=N_("Contracts and advice"),
    calendar=OFFICE_HOURS,
    targets={
        Priority.P1: SLATarget(first_response=120, resolution=2 * WORKING_DAY),
        Priority.P2: SLATarget(first_response=240, resolution=5 * WORKING_DAY),
        Priority.P3: SLATarget(first_response=WORKING_DAY, resolution=10 * WORKING_DAY),
        Priority.P4: SLATarget(first_response=2 * WORKING_DAY, resolution=15 * WORKING_DAY),
    },
)

#: Contract reviews: the standard targets, but resolution is due at the end of
#: the deadline the requester gave (the form's `deadline` field).
CONTRACT_SLA = SLAPolicy(
    key="legal.contract",
    name=N_("Contract reviews (due on the requested deadline)"),
    calendar=OFFICE_HOURS,
    targets={
        priority: SLATarget(
            first_response=target.first_response, resolution=target.resolution, due_field="deadline"
        )
        for priority, target in STANDARD_SLA.targets.items()
    },
)

#: A standard NDA is sent for signature within one working day.
NDA_SLA = SLAPolicy(
    key="legal.nda",
    name=N_("Standard NDA fast track"),
    calendar=OFFICE_HOURS,
    targets={
        priority: SLATarget(first_response=240, resolution=WORKING_DAY) for priority in Priority
    },
)

#: Privileged matters run for months; only the first answer is measured.
MATTER_SLA = SLAPolicy(
    key="legal.matter",
    name=N_("Privileged matters"),
    calendar=OFFICE_HOURS,
    targets={
        Priority.P1: SLATarget(first_response=60),
        Priority.P2: SLATarget(first_response=120),
        Priority.P3: SLATarget(first_response=WORKING_DAY),
        Priority.P4: SLATarget(first_response=WORKING_DAY),
    },
)

SLA_POLICIES = [STANDARD_SLA, CONTRACT_SLA, NDA_SLA, MATTER_SLA]
