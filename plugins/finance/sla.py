"""Finance's calendar and SLA policies (targets are minutes of business time)."""

from __future__ import annotations

from polydesk.core import N_, Calendar, Priority, SLAPolicy, SLATarget

WORKING_DAY = 8 * 60

#: Finance works Monday to Friday, 08:00–16:00, except Polish holidays.
OFFICE_HOURS = Calendar(
    key="finance.office_hours",
    name=N_("Finance office hours (Mon–Fri 08:00–16:00)"),
    timezone="Europe/Warsaw",
    hours={day: (("08:00", "16:00"),) for day in range(1, 6)},
    holidays_country="PL",
)

#: Purchases, invoice queries and vendor onboarding. Waiting for approvers does
#: not count: `pending_approval` is a `waiting` state.
STANDARD_SLA = SLAPolicy(
    key="finance.standard",
    name=N_("Finance requests"),
    calendar=OFFICE_HOURS,
    targets={
        Priority.P1: SLATarget(first_response=120, resolution=WORKING_DAY),
        Priority.P2: SLATarget(first_response=240, resolution=2 * WORKING_DAY),
        Priority.P3: SLATarget(first_response=WORKING_DAY, resolution=5 * WORKING_DAY),
        Priority.P4: SLATarget(first_response=2 * WORKING_DAY, resolution=10 * WORKING_DAY),
    },
)

#: Expenses are reviewed within two working days and paid within ten.
REIMBURSEMENT_SLA = SLAPolicy(
    key="finance.reimbursement",
    name=N_("Expense reimbursement"),
    calendar=OFFICE_HOURS,
    targets={
        priority: SLATarget(first_response=2 * WORKING_DAY, resolution=10 * WORKING_DAY)
        for priority in Priority
    },
)

SLA_POLICIES = [STANDARD_SLA, REIMBURSEMENT_SLA]
