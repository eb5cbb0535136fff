"""IT's default queues in the agents' side bar."""

from __future__ import annotations

from polydesk.core import N_, Queue
from polydesk.core.specs import ACTIVE_CATEGORIES

ACTIVE = list(ACTIVE_CATEGORIES)

UNASSIGNED_INCIDENTS = Queue(
    key="it.unassigned_incidents",
    department="it",
    name=N_("Unassigned incidents"),
    filters={
        "request_type": ["it.incident"],
        "assignee": "none",
        "state_category": ["new", "open"],
    },
)

P1_P2_INCIDENTS = Queue(
    key="it.p1_p2",
    department="it",
    name=N_("P1 and P2 incidents"),
    filters={"request_type": ["it.incident"], "priority": [1, 2], "state_category": ACTIVE},
)

MY_WORK = Queue(
    key="it.my_work",
    department="it",
    name=N_("My work"),
    filters={"assignee": "me", "state_category": ACTIVE},
)

SERVICE_REQUESTS = Queue(
    key="it.service_requests",
    department="it",
    name=N_("Open service requests"),
    filters={
        "request_type": ["it.software", "it.hardware", "it.access", "it.password_reset"],
        "state_category": ACTIVE,
    },
)

# The change workflow's only `waiting` state is `awaiting_approval`.
CHANGES_AWAITING_APPROVAL = Queue(
    key="it.changes_awaiting_approval",
    department="it",
    name=N_("Changes awaiting approval"),
    filters={"request_type": ["it.change"], "state_category": ["waiting"]},
)

QUEUES = [
    UNASSIGNED_INCIDENTS,
    P1_P2_INCIDENTS,
    MY_WORK,
    SERVICE_REQUESTS,
    CHANGES_AWAITING_APPROVAL,
]
