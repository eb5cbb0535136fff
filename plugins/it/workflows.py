"""IT workflows: incident, service request, access request, fast track, access removal,
problem (the change workflow lives in `changes.py`)."""

from __future__ import annotations

from polydesk.core import FormField, State, Transition, Workflow

AGENTS = ("agent", "lead", "admin")
REQUESTER_AND_AGENTS = ("requester", *AGENTS)
LEADS = ("lead", "admin")

#: Resolved (fulfilled, done) tickets close by themselves after this many days
#: without activity; any comment or change restarts the count.
AUTO_CLOSE_DAYS = 5

RESOLUTION_CODES = (
    ("fixed", "Fixed"),
    ("workaround", "Workaround provided"),
    ("configuration", "Configuration changed"),
    ("supplier", "Fixed by the supplier"),
    ("advice", "Advice given, nothing was broken"),
    ("no_fault_found", "No fault found"),
    ("duplicate", "Duplicate of another ticket"),
)

RESOLUTION_FIELDS = (
    FormField(
        key="resolution_code",
        type="select",
        label="Resolution code",
        required=True,
        choices=RESOLUTION_CODES,
    ),
    FormField(
        key="resolution_note",
        type="textarea",
        label="Resolution note",
        help="What was wrong and what you did; the requester reads this.",
        required=True,
    ),
)

# -- Incident ---------------------------------------------------------------

#: A major incident is a state of the incident workflow rather than a flag:
#: everyone sees it on the ticket, it cannot be half-set, and resolving from it
#: is what resolves the incidents linked to it (`major_incidents.py`).
MAJOR_INCIDENT_STATE = "major_incident"

INCIDENT_WORKFLOW = Workflow(
    key="it.incident",
    name="Incident",
    initial_state="new",
    states=(
        State("new", "New", "new"),
        State("in_progress", "In progress", "open"),
        State("waiting_for_requester", "Waiting for requester", "waiting"),
        State(MAJOR_INCIDENT_STATE, "Major incident", "open"),
        State("resolved", "Resolved", "resolved"),
        State("closed", "Closed", "closed"),
        State("cancelled", "Cancelled", "cancelled"),
    ),
    transitions=(
        Transition("start", "Start work", ("new",), "in_progress"),
        Transition(
            "promote",
            "Promote to major incident",
            ("new", "in_progress", "waiting_for_requester"),
            MAJOR_INCIDENT_STATE,
            fields=(
                FormField(
                    key="major_incident_summary",
                    type="textarea",
                    label="What is down, for whom, and who leads the response",
                    help="Link the incidents it causes to this ticket; they are resolved with it.",
                    required=True,
                ),
            ),
        ),
        Transition(
            "demote",
            "Not a major incident after all",
            (MAJOR_INCIDENT_STATE,),
            "in_progress",
        ),
        Transition(
            "ask_requester",
            "Ask the requester",
            ("new", "in_progress"),
            "waiting_for_requester",
        ),
        Transition(
            "reply",
            "Reply with the information",
            ("waiting_for_requester",),
            "in_progress",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "resolve",
            "Resolve",
            ("new", "in_progress", "waiting_for_requester", MAJOR_INCIDENT_STATE),
            "resolved",
            fields=RESOLUTION_FIELDS,
        ),
        Transition(
            "reopen",
            "Still broken: reopen",
            ("resolved",),
            "in_progress",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "close",
            "Confirm the fix and close",
            ("resolved",),
            "closed",
            roles=REQUESTER_AND_AGENTS,
            auto_after_days=AUTO_CLOSE_DAYS,
        ),
        Transition("cancel", "Cancel", ("new",), "cancelled", roles=REQUESTER_AND_AGENTS),
    ),
)

# -- Service requests (software, hardware) -----------------------------------

SERVICE_REQUEST_WORKFLOW = Workflow(
    key="it.service_request",
    name="Service request",
    initial_state="new",
    states=(
        State("new", "New", "new"),
        State("in_progress", "In progress", "open"),
        State("waiting_for_requester", "Waiting for requester", "waiting"),
        State("fulfilled", "Fulfilled", "resolved"),
        State("closed", "Closed", "closed"),
        State("cancelled", "Cancelled", "cancelled"),
    ),
    transitions=(
        Transition("start", "Start work", ("new",), "in_progress"),
        Transition(
            "ask_requester",
            "Ask the requester",
            ("new", "in_progress"),
            "waiting_for_requester",
        ),
        Transition(
            "reply",
            "Reply with the information",
            ("waiting_for_requester",),
            "in_progress",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "fulfil",
            "Mark fulfilled",
            ("in_progress",),
            "fulfilled",
            fields=(
                FormField(
                    key="fulfilment_note",
                    type="textarea",
                    label="What was delivered",
                    help="Licence key location, asset tag, pick-up point…",
                    required=True,
                ),
            ),
        ),
        Transition(
            "reopen",
            "Not what I asked for: reopen",
            ("fulfilled",),
            "in_progress",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "close",
            "Close",
            ("fulfilled",),
            "closed",
            roles=REQUESTER_AND_AGENTS,
            auto_after_days=AUTO_CLOSE_DAYS,
        ),
        Transition(
            "cancel",
            "Cancel",
            ("new", "in_progress", "waiting_for_requester"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Access to a system: the system owner approves first ---------------------

ACCESS_REQUEST_WORKFLOW = Workflow(
    key="it.access_request",
    name="Access request",
    initial_state="new",
    states=(
        State("new", "New", "new"),
        State("pending_approval", "Pending approval", "waiting"),
        State("in_progress", "Granting access", "open"),
        State("fulfilled", "Access granted", "resolved"),
        State("rejected", "Rejected", "closed"),
        State("closed", "Closed", "closed"),
        State("cancelled", "Cancelled", "cancelled"),
    ),
    transitions=(
        Transition(
            "request_approval",
            "Send for approval",
            ("new",),
            "pending_approval",
        ),
        Transition(
            "approve",
            "Approved: grant access",
            ("pending_approval",),
            "in_progress",
            guards=("approvals_granted",),
        ),
        Transition(
            "reject",
            "Reject",
            ("new", "pending_approval"),
            "rejected",
            fields=(
                FormField(
                    key="rejection_reason",
                    type="textarea",
                    label="Why the access is refused",
                    required=True,
                ),
            ),
        ),
        Transition(
            "fulfil",
            "Access granted",
            ("in_progress",),
            "fulfilled",
            fields=(
                FormField(
                    key="fulfilment_note",
                    type="textarea",
                    label="What was granted",
                    help="Group or role added, and when it expires if temporary.",
                    required=True,
                ),
            ),
        ),
        Transition(
            "reopen",
            "Access does not work: reopen",
            ("fulfilled",),
            "in_progress",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "close",
            "Close",
            ("fulfilled",),
            "closed",
            roles=REQUESTER_AND_AGENTS,
            auto_after_days=AUTO_CLOSE_DAYS,
        ),
        Transition(
            "cancel",
            "Cancel",
            ("new", "pending_approval"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Password reset / account unlock: one step once identity is checked -----

FAST_TRACK_WORKFLOW = Workflow(
    key="it.fast_track",
    name="Fast track (password reset, account unlock)",
    initial_state="new",
    states=(
        State("new", "New", "new"),
        State("in_progress", "In progress", "open"),
        State("done", "Done", "resolved"),
        State("closed", "Closed", "closed"),
        State("cancelled", "Cancelled", "cancelled"),
    ),
    transitions=(
        Transition(
            "complete",
            "Done",
            ("new", "in_progress"),
            "done",
            fields=(
                FormField(
                    key="identity_check",
                    type="select",
                    label="How the requester's identity was confirmed",
                    help="Never reset a password on the strength of an email or chat alone.",
                    required=True,
                    choices=(
                        ("callback", "Called back on the number in the HR system"),
                        ("in_person", "In person with a photo ID"),
                        ("manager", "Confirmed by their manager"),
                    ),
                ),
            ),
        ),
        Transition("escalate", "Needs more work", ("new",), "in_progress"),
        Transition(
            "reopen",
            "Still locked out: reopen",
            ("done",),
            "in_progress",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "close",
            "Close",
            ("done",),
            "closed",
            roles=REQUESTER_AND_AGENTS,
            auto_after_days=AUTO_CLOSE_DAYS,
        ),
        Transition("cancel", "Cancel", ("new",), "cancelled", roles=REQUESTER_AND_AGENTS),
    ),
)

# -- A leaver's access goes on their last day ----------------------------------

ACCESS_REMOVAL_WORKFLOW = Workflow(
    key="it.access_removal",
    name="Access removal",
    initial_state="new",
    states=(
        State("new", "New", "new"),
        State("scheduled", "Scheduled for the last day", "open"),
        State("removed", "Access removed", "resolved"),
        State("closed", "Closed", "closed"),
        State("cancelled", "Cancelled", "cancelled"),
    ),
    transitions=(
        Transition("schedule", "Schedule for the last day", ("new",), "scheduled"),
        Transition(
            "complete",
            "Access removed",
            ("new", "scheduled"),
            "removed",
            fields=(
                FormField(
                    key="removal_note",
                    type="textarea",
                    label="What was removed",
                    help="Accounts disabled, groups and licences freed, mailbox set up, "
                    "equipment collected (asset tags).",
                    required=True,
                ),
            ),
        ),
        Transition("reopen", "Something is still active: reopen", ("removed",), "scheduled"),
        Transition("close", "Close", ("removed",), "closed", auto_after_days=AUTO_CLOSE_DAYS),
        Transition(
            "cancel",
            "Cancel (the person stays)",
            ("new", "scheduled"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Problem: find the root cause behind recurring incidents -----------------

PROBLEM_WORKFLOW = Workflow(
    key="it.problem",
    name="Problem",
    initial_state="new",
    states=(
        State("new", "New", "new"),
        State("investigating", "Investigating", "open"),
        State("known_error", "Known error", "open"),
        State("resolved", "Resolved", "resolved"),
        State("closed", "Closed", "closed"),
        State("cancelled", "Cancelled", "cancelled"),
    ),
    transitions=(
        Transition("investigate", "Start investigation", ("new",), "investigating"),
        Transition(
            "record_known_error",
            "Record as known error",
            ("investigating",),
            "known_error",
            fields=(
                FormField(key="root_cause", type="textarea", label="Root cause", required=True),
                FormField(
                    key="workaround",
                    type="textarea",
                    label="Workaround",
                    help="What the service desk tells users until the fix is in.",
                    required=True,
                ),
            ),
        ),
        Transition(
            "resolve",
            "Permanent fix in place",
            ("investigating", "known_error"),
            "resolved",
            fields=(
                FormField(
                    key="permanent_fix",
                    type="textarea",
                    label="Permanent fix",
                    help="What changed, with the change ticket key (e.g. IT-1234).",
                    required=True,
                ),
            ),
        ),
        Transition("reopen", "Reopen", ("resolved",), "investigating"),
        Transition("close", "Close", ("resolved",), "closed"),
        Transition("cancel", "Cancel", ("new", "investigating"), "cancelled"),
    ),
)

WORKFLOWS = [
    INCIDENT_WORKFLOW,
    SERVICE_REQUEST_WORKFLOW,
    ACCESS_REQUEST_WORKFLOW,
    FAST_TRACK_WORKFLOW,
    ACCESS_REMOVAL_WORKFLOW,
    PROBLEM_WORKFLOW,
]
