"""Finance's default queues in the agents' side bar."""

from __future__ import annotations

from polydesk.core import N_, Queue

#: The state categories of work still to do (the core's `new`, `open`, `waiting`).
ACTIVE = ["new", "open", "waiting"]

UNASSIGNED = Queue(
    key="finance.unassigned",
    department="finance",
    name=N_("Unassigned"),
    filters={"assignee": "none", "state_category": ["new", "open"]},
)

MY_WORK = Queue(
    key="finance.my_work",
    department="finance",
    name=N_("My work"),
    filters={"assignee": "me", "state_category": ACTIVE},
)

# The purchase workflow's only `waiting` state is `pending_approval`.
PURCHASES_AWAITING_APPROVAL = Queue(
    key="finance.purchases_awaiting_approval",
    department="finance",
    name=N_("Purchases awaiting approval"),
    filters={"request_type": ["finance.purchase"], "state_category": ["waiting"]},
)

EXPENSES_TO_PROCESS = Queue(
    key="finance.expenses_to_process",
    department="finance",
    name=N_("Expenses to process"),
    filters={"request_type": ["finance.expense"], "state_category": ["new", "open"]},
)

VENDOR_ONBOARDING = Queue(
    key="finance.vendor_onboarding",
    department="finance",
    name=N_("Vendor onboarding"),
    filters={"request_type": ["finance.vendor_onboarding"], "state_category": ACTIVE},
)

PAYROLL_SETUPS = Queue(
    key="finance.payroll_setups",
    department="finance",
    name=N_("Payroll set-ups"),
    filters={"request_type": ["finance.payroll_setup"], "state_category": ACTIVE},
)

QUEUES = [
    UNASSIGNED,
    MY_WORK,
    PURCHASES_AWAITING_APPROVAL,
    EXPENSES_TO_PROCESS,
    VENDOR_ONBOARDING,
    PAYROLL_SETUPS,
]
