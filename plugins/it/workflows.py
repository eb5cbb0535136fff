"""IT workflows: incident, service request, access request, fast track, access removal,
problem (the change workflow lives in `changes.py`)."""

from __future__ import annotations

from polydesk.core import N_, FormField, State, Transition, Workflow

AGENTS = ("agent", "lead", "admin")
REQUESTER_AND_AGENTS = ("requester", *AGENTS)
LEADS = ("lead", "admin")

#: Resolved (fulfilled, done) tickets close by themselves after this many days
#: without activity; any comment or change restarts the count.
AUTO_CLOSE_DAYS = 5

RESOLUTION_CODES = (
    ("fixed", N_("Fixed")),
    ("workaround", N_("Workaround provided")),
    ("configuration", N_("Configuration changed")),
    ("supplier", N_("Fixed by the supplier")),
    ("advice", N_("Advice given, nothing was broken")),
    ("no_fault_found", N_("No fault found")),
    ("duplicate", N_("Duplicate of another ticket")),
)

RESOLUTION_FIELDS = (
    FormField(
        key="resolution_code",
        type="select",
        label=N_("Resolution code"),
        required=True,
        choices=RESOLUTION_CODES,
    ),
    FormField(
        key="resolution_note",
        type="textarea",
        label=N_("Resolution note"),
        help=N_("What was wrong and what you did; the requester reads this."),
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
    name=N_("Incident"),
    initial_state="new",
    states=(
        State("new", N_("New"), "new"),
        State("in_progress", N_("In progress"), "open"),
        State("waiting_for_requester", N_("Waiting for requester"), "waiting"),
        State(MAJOR_INCIDENT_STATE, N_("Major incident"), "open"),
        State("resolved", N_("Resolved"), "resolved"),
        State("closed", N_("Closed"), "closed"),
        State("cancelled", N_("Cancelled"), "cancelled"),
    ),
    transitions=(
        Transition("start", N_("Start work"), ("new",), "in_progress"),
        Transition(
            "promote",
            N_("Promote to major incident"),
            ("new", "in_progress", "waiting_for_requester"),
            MAJOR_INCIDENT_STATE,
            fields=(
                FormField(
                    key="major_incident_summary",
                    type="textarea",
                    label=N_("What is down, for whom, and who leads the response"),
                    help=N_(
                        "Link the incidents it causes to this ticket; they are resolved with it."
                    ),
                    required=True,
                ),
            ),
        ),
        Transition(
            "demote",
            N_("Not a major incident after all"),
            (MAJOR_INCIDENT_STATE,),
            "in_progress",
        ),
        Transition(
            "ask_requester",
            N_("Ask the requester"),
            ("new", "in_progress"),
            "waiting_for_requester",
        ),
        Transition(
            "reply",
            N_("Reply with the information"),
            ("waiting_for_requester",),
            "in_progress",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "resolve",
            N_("Resolve"),
            ("new", "in_progress", "waiting_for_requester", MAJOR_INCIDENT_STATE),
            "resolved",
            fields=RESOLUTION_FIELDS,
        ),
        Transition(
            "reopen",
            N_("Still broken: reopen"),
            ("resolved",),
            "in_progress",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "close",
            N_("Confirm the fix and close"),
            ("resolved",),
            "closed",
            roles=REQUESTER_AND_AGENTS,
            auto_after_days=AUTO_CLOSE_DAYS,
        ),
        Transition("cancel", N_("Cancel"), ("new",), "cancelled", roles=REQUESTER_AND_AGENTS),
    ),
)

# -- Service requests (software, hardware) -----------------------------------

SERVICE_REQUEST_WORKFLOW = Workflow(
    key="it.service_request",
    name=N_("Service request"),
    initial_state="new",
    states=(
        State("new", N_("New"), "new"),
        State("in_progress", N_("In progress"), "open"),
        State("waiting_for_requester", N_("Waiting for requester"), "waiting"),
        State("fulfilled", N_("Fulfilled"), "resolved"),
        State("closed", N_("Closed"), "closed"),
        State("cancelled", N_("Cancelled"), "cancelled"),
    ),
    transitions=(
        Transition("start", N_("Start work"), ("new",), "in_progress"),
        Transition(
            "ask_requester",
            N_("Ask the requester"),
            ("new", "in_progress"),
            "waiting_for_requester",
        ),
        Transition(
            "reply",
            N_("Reply with the information"),
            ("waiting_for_requester",),
            "in_progress",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "fulfil",
            N_("Mark fulfilled"),
            ("in_progress",),
            "fulfilled",
            fields=(
                FormField(
                    key="fulfilment_note",
                    type="textarea",
                    label=N_("What was delivered"),
                    help=N_("Licence key location, asset tag, pick-up point…"),
                    required=True,
                ),
            ),
        ),
        Transition(
            "reopen",
            N_("Not what I asked for: reopen"),
            ("fulfilled",),
            "in_progress",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "close",
            N_("Close"),
            ("fulfilled",),
            "closed",
            roles=REQUESTER_AND_AGENTS,
            auto_after_days=AUTO_CLOSE_DAYS,
        ),
        Transition(
            "cancel",
            N_("Cancel"),
            ("new", "in_progress", "waiting_for_requester"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Access to a system: the system owner approves first ---------------------

ACCESS_REQUEST_WORKFLOW = Workflow(
    key="it.access_request",
    name=N_("Access request"),
    initial_state="new",
    states=(
        State("new", N_("New"), "new"),
        State("pending_approval", N_("Pending approval"), "waiting"),
        State("in_progress", N_("Granting access"), "open"),
        State("fulfilled", N_("Access granted"), "resolved"),
        State("rejected", N_("Rejected"), "closed"),
        State("closed", N_("Closed"), "closed"),
        State("cancelled", N_("Cancelled"), "cancelled"),
    ),
    transitions=(
        Transition(
            "request_approval",
            N_("Send for approval"),
            ("new",),
            "pending_approval",
        ),
        Transition(
            "approve",
            N_("Approved: grant access"),
            ("pending_approval",),
            "in_progress",
            guards=("approvals_granted",),
        ),
        Transition(
            "reject",
            N_("Reject"),
            ("new", "pending_approval"),
            "rejected",
            fields=(
                FormField(
                    key="rejection_reason",
                    type="textarea",
                    label=N_("Why the access is refused"),
                    required=True,
                ),
            ),
        ),
        Transition(
            "fulfil",
            N_("Access granted"),
            ("in_progress",),
            "fulfilled",
            fields=(
                FormField(
                    key="fulfilment_note",
                    type="textarea",
                    label=N_("What was granted"),
                    help=N_("Group or role added, and when it expires if temporary."),
                    required=True,
                ),
            ),
        ),
        Transition(
            "reopen",
            N_("Access does not work: reopen"),
            ("fulfilled",),
            "in_progress",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "close",
            N_("Close"),
            ("fulfilled",),
            "closed",
            roles=REQUESTER_AND_AGENTS,
            auto_after_days=AUTO_CLOSE_DAYS,
        ),
        Transition(
            "cancel",
            N_("Cancel"),
            ("new", "pending_approval"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Password reset / account unlock: one step once identity is checked -----

FAST_TRACK_WORKFLOW = Workflow(
    key="it.fast_track",
    name=N_("Fast track (password reset, account unlock)"),
    initial_state="new",
    states=(
        State("new", N_("New"), "new"),
        State("in_progress", N_("In progress"), "open"),
        State("done", N_("Done"), "resolved"),
        State("closed", N_("Closed"), "closed"),
        State("cancelled", N_("Cancelled"), "cancelled"),
    ),
    transitions=(
        Transition(
            "complete",
            N_("Done"),
            ("new", "in_progress"),
            "done",
            fields=(
                FormField(
                    key="identity_check",
                    type="select",
                    label=N_("How the requester's identity was confirmed"),
                    help=N_("Never reset a password on the strength of an email or chat alone."),
                    required=True,
                    choices=(
                        ("callback", N_("Called back on the number in the HR system")),
                        ("in_person", N_("In person with a photo ID")),
                        ("manager", N_("Confirmed by their manager")),
                    ),
                ),
            ),
        ),
        Transition("escalate", N_("Needs more work"), ("new",), "in_progress"),
        Transition(
            "reopen",
            N_("Still locked out: reopen"),
            ("done",),
            "in_progress",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "close",
            N_("Close"),
            ("done",),
            "closed",
            roles=REQUESTER_AND_AGENTS,
            auto_after_days=AUTO_CLOSE_DAYS,
        ),
        Transition("cancel", N_("Cancel"), ("new",), "cancelled", roles=REQUESTER_AND_AGENTS),
    ),
)

# -- A leaver's access goes on their last day ----------------------------------

ACCESS_REMOVAL_WORKFLOW = Workflow(
    key="it.access_removal",
    name=N_("Access removal"),
    initial_state="new",
    states=(
        State("new", N_("New"), "new"),
        State("scheduled", N_("Scheduled for the last day"), "open"),
        State("removed", N_("Access removed"), "resolved"),
        State("closed", N_("Closed"), "closed"),
        State("cancelled", N_("Cancelled"), "cancelled"),
    ),
    transitions=(
        Transition("schedule", N_("Schedule for the last day"), ("new",), "scheduled"),
        Transition(
            "complete",
            N_("Access removed"),
            ("new", "scheduled"),
            "removed",
            fields=(
                FormField(
                    key="removal_note",
                    type="textarea",
                    label=N_("What was removed"),
                    help=N_(
                        "Accounts disabled, groups and licences freed, mailbox set up, "
                        "equipment collected (asset tags)."
                    ),
                    required=True,
                ),
            ),
        ),
        Transition("reopen", N_("Something is still active: reopen"), ("removed",), "scheduled"),
        Transition("close", N_("Close"), ("removed",), "closed", auto_after_days=AUTO_CLOSE_DAYS),
        Transition(
            "cancel",
            N_("Cancel (the person stays)"),
            ("new", "scheduled"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Problem: find the root cause behind recurring incidents -----------------

PROBLEM_WORKFLOW = Workflow(
    key="it.problem",
    name=N_("Problem"),
    initial_state="new",
    states=(
        State("new", N_("New"), "new"),
        State("investigating", N_("Investigating"), "open"),
        State("known_error", N_("Known error"), "open"),
        State("resolved", N_("Resolved"), "resolved"),
        State("closed", N_("Closed"), "closed"),
        State("cancelled", N_("Cancelled"), "cancelled"),
    ),
    transitions=(
        Transition("investigate", N_("Start investigation"), ("new",), "investigating"),
        Transition(
            "record_known_error",
            N_("Record as known error"),
            ("investigating",),
            "known_error",
            fields=(
                FormField(key="root_cause", type="textarea", label=N_("Root cause"), required=True),
                FormField(
                    key="workaround",
                    type="textarea",
                    label=N_("Workaround"),
                    help=N_("What the service desk tells users until the fix is in."),
                    required=True,
                ),
            ),
        ),
        Transition(
            "resolve",
            N_("Permanent fix in place"),
            ("investigating", "known_error"),
            "resolved",
            fields=(
                FormField(
                    key="permanent_fix",
                    type="textarea",
                    label=N_("Permanent fix"),
                    help=N_("What changed, with the change ticket key (e.g. IT-1234)."),
                    required=True,
                ),
            ),
        ),
        Transition("reopen", N_("Reopen"), ("resolved",), "investigating"),
        Transition("close", N_("Close"), ("resolved",), "closed"),
        Transition("cancel", N_("Cancel"), ("new", "investigating"), "cancelled"),
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
