"""HR workflows: joiners and leavers, everyday requests, leave approval, confidential cases."""

from __future__ import annotations

from polydesk.core import FormField, State, Transition, Workflow

AGENTS = ("agent", "lead", "admin")
REQUESTER_AND_AGENTS = ("requester", *AGENTS)
LEADS = ("lead", "admin")

# -- Joiners and leavers: HR coordinates child tasks for IT, facilities, payroll --

LIFECYCLE_WORKFLOW = Workflow(
    key="hr.lifecycle",
    name="Joiner or leaver",
    initial_state="new",
    states=(
        State("new", "New", "new"),
        State("preparing", "Preparing", "open"),
        State("waiting_for_manager", "Waiting for the manager", "waiting"),
        State("completed", "Complete", "resolved"),
        State("closed", "Closed", "closed"),
        State("cancelled", "Cancelled", "cancelled"),
    ),
    transitions=(
        Transition("start", "Start preparing", ("new",), "preparing"),
        Transition(
            "ask_manager",
            "Ask the manager",
            ("new", "preparing"),
            "waiting_for_manager",
        ),
        Transition(
            "reply",
            "Reply with the information",
            ("waiting_for_manager",),
            "preparing",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "resolve",
            "All tasks done: complete",
            ("preparing",),
            "completed",
            guards=("children_done",),
        ),
        Transition(
            "reopen",
            "Something is missing: reopen",
            ("completed",),
            "preparing",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition("close", "Close", ("completed",), "closed"),
        Transition(
            "cancel",
            "Cancel",
            ("new", "preparing", "waiting_for_manager"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
            fields=(
                FormField(
                    key="cancel_reason",
                    type="textarea",
                    label="Why it is cancelled",
                    help="For example: the offer was declined, the resignation was withdrawn.",
                    required=True,
                ),
            ),
        ),
    ),
)

# -- Everyday requests: letters and payroll questions -------------------------

STANDARD_WORKFLOW = Workflow(
    key="hr.standard",
    name="HR request",
    initial_state="new",
    states=(
        State("new", "New", "new"),
        State("in_progress", "In progress", "open"),
        State("waiting_for_requester", "Waiting for requester", "waiting"),
        State("resolved", "Answered", "resolved"),
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
            "resolve",
            "Answer",
            ("new", "in_progress", "waiting_for_requester"),
            "resolved",
            fields=(
                FormField(
                    key="resolution_note",
                    type="textarea",
                    label="Answer, or what was sent",
                    required=True,
                ),
            ),
        ),
        Transition(
            "reopen",
            "Not answered: reopen",
            ("resolved",),
            "in_progress",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition("close", "Close", ("resolved",), "closed", roles=REQUESTER_AND_AGENTS),
        Transition("cancel", "Cancel", ("new",), "cancelled", roles=REQUESTER_AND_AGENTS),
    ),
)

# -- Leave: the manager approves, HR records it ------------------------------

LEAVE_WORKFLOW = Workflow(
    key="hr.leave",
    name="Leave request",
    initial_state="new",
    states=(
        State("new", "Submitted", "new"),
        State("pending_approval", "Waiting for the manager's approval", "waiting"),
        State("approved", "Approved", "resolved"),
        State("recorded", "Recorded", "closed"),
        State("rejected", "Not approved", "closed"),
        State("withdrawn", "Withdrawn", "cancelled"),
    ),
    transitions=(
        Transition(
            "send_for_approval",
            "Send to the manager for approval",
            ("new",),
            "pending_approval",
        ),
        Transition(
            "approve",
            "Approved",
            ("pending_approval",),
            "approved",
            guards=("approvals_granted",),
        ),
        Transition(
            "reject",
            "Not approved",
            ("new", "pending_approval"),
            "rejected",
            fields=(
                FormField(
                    key="rejection_reason",
                    type="textarea",
                    label="Why the leave cannot be approved",
                    help="Suggest other dates if you can.",
                    required=True,
                ),
            ),
        ),
        Transition("record", "Recorded in the HR system", ("approved",), "recorded"),
        Transition(
            "withdraw",
            "Withdraw",
            ("new", "pending_approval", "approved"),
            "withdrawn",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Confidential case: grievance, harassment, investigation ------------------

CASE_WORKFLOW = Workflow(
    key="hr.case",
    name="Confidential HR case",
    initial_state="new",
    states=(
        State("new", "New", "new"),
        State("under_review", "Under review", "open"),
        State("investigation", "Formal investigation", "open"),
        State("waiting_for_requester", "Waiting for the employee", "waiting"),
        State("concluded", "Concluded", "resolved"),
        State("closed", "Closed", "closed"),
        State("withdrawn", "Withdrawn", "cancelled"),
    ),
    transitions=(
        Transition("review", "Start review", ("new",), "under_review"),
        Transition(
            "investigate",
            "Open a formal investigation",
            ("under_review",),
            "investigation",
            roles=LEADS,
        ),
        Transition(
            "ask_requester",
            "Ask the employee",
            ("under_review", "investigation"),
            "waiting_for_requester",
        ),
        Transition(
            "reply",
            "Reply",
            ("waiting_for_requester",),
            "under_review",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "conclude",
            "Conclude",
            ("under_review", "investigation"),
            "concluded",
            roles=LEADS,
            fields=(
                FormField(
                    key="outcome",
                    type="select",
                    label="Outcome",
                    required=True,
                    choices=(
                        ("upheld", "Upheld"),
                        ("partially_upheld", "Partially upheld"),
                        ("not_upheld", "Not upheld"),
                        ("resolved_informally", "Resolved informally"),
                        ("referred", "Referred elsewhere (e.g. Legal)"),
                    ),
                ),
                FormField(
                    key="outcome_summary",
                    type="textarea",
                    label="Outcome, as explained to the employee",
                    required=True,
                ),
            ),
        ),
        Transition(
            "appeal",
            "Appeal the outcome",
            ("concluded",),
            "under_review",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition("close", "Close", ("concluded",), "closed", roles=LEADS),
        Transition(
            "withdraw",
            "Withdraw",
            ("new", "under_review", "waiting_for_requester"),
            "withdrawn",
            roles=("requester", *LEADS),
        ),
    ),
)

WORKFLOWS = [LIFECYCLE_WORKFLOW, STANDARD_WORKFLOW, LEAVE_WORKFLOW, CASE_WORKFLOW]
