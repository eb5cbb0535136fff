"""HR's default queues in the agents' side bar."""

from __future__ import annotations

from polydesk.core import N_, Queue
from polydesk.core.specs import ACTIVE_CATEGORIES

ACTIVE = list(ACTIVE_CATEGORIES)

UNASSIGNED = Queue(
    key="hr.unassigned",
    department="hr",
    name=N_("Unassigned requests"),
    filters={"assignee": "none", "confidential": False, "state_category": ["new", "open"]},
)

MY_WORK = Queue(
    key="hr.my_work",
    department="hr",
    name=N_("My work"),
    filters={"assignee": "me", "state_category": ACTIVE},
)

JOINERS_AND_LEAVERS = Queue(
    key="hr.joiners_and_leavers",
    department="hr",
    name=N_("Joiners and leavers"),
    filters={"request_type": ["hr.onboarding", "hr.offboarding"], "state_category": ACTIVE},
)

#: HR's own steps of joiners and leavers, and what HR does for a disabled IT or Finance.
HR_TASKS = Queue(
    key="hr.tasks",
    department="hr",
    name=N_("Joiner and leaver tasks"),
    filters={"request_type": ["hr.task"], "state_category": ACTIVE},
)

# The leave workflow's only `waiting` state is `pending_approval`.
LEAVE_AWAITING_APPROVAL = Queue(
    key="hr.leave_awaiting_approval",
    department="hr",
    name=N_("Leave awaiting approval"),
    filters={"request_type": ["hr.leave"], "state_category": ["waiting"]},
)

#: Lists only what the viewer may see, so other HR agents see an empty queue.
CONFIDENTIAL_CASES = Queue(
    key="hr.cases",
    department="hr",
    name=N_("Confidential cases"),
    filters={"request_type": ["hr.case"], "confidential": True, "state_category": ACTIVE},
)

QUEUES = [
    UNASSIGNED,
    MY_WORK,
    JOINERS_AND_LEAVERS,
    HR_TASKS,
    LEAVE_AWAITING_APPROVAL,
    CONFIDENTIAL_CASES,
]
