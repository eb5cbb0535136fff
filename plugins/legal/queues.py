"""Legal's default queues in the agents' side bar."""

from __future__ import annotations

from polydesk.core import N_, Queue

#: The state categories of work still to do (the core's `new`, `open`, `waiting`).
ACTIVE = ["new", "open", "waiting"]
CONTRACTS = ["legal.contract_review", "legal.nda"]

CONTRACT_INTAKE = Queue(
    key="legal.contract_intake",
    department="legal",
    name=N_("Contracts to triage"),
    filters={"request_type": CONTRACTS, "state_category": ["new"]},
)

UNASSIGNED = Queue(
    key="legal.unassigned",
    department="legal",
    name=N_("Unassigned"),
    filters={"assignee": "none", "confidential": False, "state_category": ["new", "open"]},
)

MY_WORK = Queue(
    key="legal.my_work",
    department="legal",
    name=N_("My work"),
    filters={"assignee": "me", "state_category": ACTIVE},
)

# The contract workflow's only `waiting` state is `negotiation`.
IN_NEGOTIATION = Queue(
    key="legal.in_negotiation",
    department="legal",
    name=N_("With the counterparty"),
    filters={"request_type": ["legal.contract_review"], "state_category": ["waiting"]},
)

#: Lists only what the viewer may see: members of the privileged team.
PRIVILEGED_MATTERS = Queue(
    key="legal.privileged_matters",
    department="legal",
    name=N_("Privileged matters"),
    filters={
        "request_type": ["legal.privileged_matter"],
        "confidential": True,
        "state_category": ACTIVE,
    },
)

QUEUES = [CONTRACT_INTAKE, UNASSIGNED, MY_WORK, IN_NEGOTIATION, PRIVILEGED_MATTERS]
