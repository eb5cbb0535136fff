"""HR workflows: joiners and leavers, everyday requests, leave approval, confidential cases."""

from __future__ import annotations

from polydesk.core import N_, FormField, State, Transition, Workflow

AGENTS = ("agent", "lead", "admin")
REQUESTER_AND_AGENTS = ("requester", *AGENTS)
LEADS = ("lead", "admin")

# -- Joiners and leavers: HR coordinates child tasks for IT, facilities, payroll --

LIFECYCLE_WORKFLOW = Workflow(
    key="hr.lifecycle",
    name=N_("Joiner or leaver"),
    initial_state="new",
    states=(
        State("new", N_("New"), "new"),
        State("preparing", N_("Preparing"), "open"),
        State("waiting_for_manager", N_("Waiting for the manager"), "waiting"),
        State("completed", N_("Complete"), "resolved"),
        State("closed", N_("Closed"), "closed"),
        State("cancelled", N_("Cancelled"), "cancelled"),
    ),
    transitions=(
        Transition("start", N_("Start preparing"), ("new",), "preparing"),
        Transition(
            "ask_manager",
            N_("Ask the manager"),
            ("new", "preparing"),
            "waiting_for_manager",
        ),
        Transition(
            "reply",
            N_("Reply with the information"),
            ("waiting_for_manager",),
            "preparing",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "resolve",
            N_("All tasks done: complete"),
            ("preparing",),
            "completed",
            guards=("children_done",),
        ),
        Transition(
            "reopen",
            N_("Something is missing: reopen"),
            ("completed",),
            "preparing",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition("close", N_("Close"), ("completed",), "closed"),
        Transition(
            "cancel",
            N_("Cancel"),
            ("new", "preparing", "waiting_for_manager"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
            fields=(
                FormField(
                    key="cancel_reason",
                    type="textarea",
                    label=N_("Why it is cancelled"),
                    help=N_("For example: the offer was declined, the resignation was withdrawn."),
                    required=True,
                ),
            ),
        ),
    ),
)

# -- Everyday requests: letters and payroll questions -------------------------

STANDARD_WORKFLOW = Workflow(
    key="hr.standard",
    name=N_("HR request"),
    initial_state="new",
    states=(
        State("new", N_("New"), "new"),
        State("in_progress", N_("In progress"), "open"),
        State("waiting_for_requester", N_("Waiting for requester"), "waiting"),
        State("resolved", N_("Answered"), "resolved"),
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
            "resolve",
            N_("Answer"),
            ("new", "in_progress", "waiting_for_requester"),
            "resolved",
            fields=(
                FormField(
                    key="resolution_note",
                    type="textarea",
                    label=N_("Answer, or what was sent"),
                    required=True,
                ),
            ),
        ),
        Transition(
            "reopen",
            N_("Not answered: reopen"),
            ("resolved",),
            "in_progress",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition("close", N_("Close"), ("resolved",), "closed", roles=REQUESTER_AND_AGENTS),
        Transition("cancel", N_("Cancel"), ("new",), "cancelled", roles=REQUESTER_AND_AGENTS),
    ),
)

# -- Leave: the manager approves, HR records it ------------------------------

LEAVE_WORKFLOW = Workflow(
    key="hr.leave",
    name=N_("Leave request"),
    initial_state="new",
    states=(
        State("new", N_("Submitted"), "new"),
        State("pending_approval", N_("Waiting for the manager's approval"), "waiting"),
        State("approved", N_("Approved"), "resolved"),
        State("recorded", N_("Recorded"), "closed"),
        State("rejected", N_("Not approved"), "closed"),
        State("withdrawn", N_("Withdrawn"), "cancelled"),
    ),
    transitions=(
        Transition(
            "send_for_approval",
            N_("Send to the manager for approval"),
            ("new",),
            "pending_approval",
        ),
        Transition(
            "approve",
            N_("Approved"),
            ("pending_approval",),
            "approved",
            guards=("approvals_granted",),
        ),
        Transition(
            "reject",
            N_("Not approved"),
            ("new", "pending_approval"),
            "rejected",
            fields=(
                FormField(
                    key="rejection_reason",
                    type="textarea",
                    label=N_("Why the leave cannot be approved"),
                    help=N_("Suggest other dates if you can."),
                    required=True,
                ),
            ),
        ),
        Transition("record", N_("Recorded in the HR system"), ("approved",), "recorded"),
        Transition(
            "withdraw",
            N_("Withdraw"),
            ("new", "pending_approval", "approved"),
            "withdrawn",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Confidential case: grievance, harassment, investigation ------------------

CASE_WORKFLOW = Workflow(
    key="hr.case",
    name=N_("Confidential HR case"),
    initial_state="new",
    states=(
        State("new", N_("New"), "new"),
        State("under_review", N_("Under review"), "open"),
        State("investigation", N_("Formal investigation"), "open"),
        State("waiting_for_requester", N_("Waiting for the employee"), "waiting"),
        State("concluded", N_("Concluded"), "resolved"),
        State("closed", N_("Closed"), "closed"),
        State("withdrawn", N_("Withdrawn"), "cancelled"),
    ),
    transitions=(
        Transition("review", N_("Start review"), ("new",), "under_review"),
        Transition(
            "investigate",
            N_("Open a formal investigation"),
            ("under_review",),
            "investigation",
            roles=LEADS,
        ),
        Transition(
            "ask_requester",
            N_("Ask the employee"),
            ("under_review", "investigation"),
            "waiting_for_requester",
        ),
        Transition(
            "reply",
            N_("Reply"),
            ("waiting_for_requester",),
            "under_review",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "conclude",
            N_("Conclude"),
            ("under_review", "investigation"),
            "concluded",
            roles=LEADS,
            fields=(
                FormField(
                    key="outcome",
                    type="select",
                    label=N_("Outcome"),
                    required=True,
                    choices=(
                        ("upheld", N_("Upheld")),
                        ("partially_upheld", N_("Partially upheld")),
                        ("not_upheld", N_("Not upheld")),
                        ("resolved_informally", N_("Resolved informally")),
                        ("referred", N_("Referred elsewhere (e.g. Legal)")),
                    ),
                ),
                FormField(
                    key="outcome_summary",
                    type="textarea",
                    label=N_("Outcome, as explained to the employee"),
                    required=True,
                ),
            ),
        ),
        Transition(
            "appeal",
            N_("Appeal the outcome"),
            ("concluded",),
            "under_review",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition("close", N_("Close"), ("concluded",), "closed", roles=LEADS),
        Transition(
            "withdraw",
            N_("Withdraw"),
            ("new", "under_review", "waiting_for_requester"),
            "withdrawn",
            roles=("requester", *LEADS),
        ),
    ),
)

WORKFLOWS = [LIFECYCLE_WORKFLOW, STANDARD_WORKFLOW, LEAVE_WORKFLOW, CASE_WORKFLOW]
