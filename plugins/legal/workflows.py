"""Legal workflows: contract review, NDA fast track, advice, privileged matters."""

from __future__ import annotations

from polydesk.core import FormField, State, Transition, Workflow

AGENTS = ("agent", "lead", "admin")
REQUESTER_AND_AGENTS = ("requester", *AGENTS)
LEADS = ("lead", "admin")

SIGNATURE_FIELDS = (
    FormField(
        key="signed_copy",
        type="file",
        label="Signed copy",
        help="The fully signed PDF, with every page and annex.",
        required=True,
    ),
    FormField(key="signed_on", type="date", label="Date of the last signature", required=True),
)

# -- Contract review: intake → triage → in review ⇄ negotiation → approved → signed --

CONTRACT_WORKFLOW = Workflow(
    key="legal.contract",
    name="Contract review",
    initial_state="intake",
    states=(
        State("intake", "Intake", "new"),
        State("triage", "Triage", "open"),
        State("in_review", "In review", "open"),
        State("negotiation", "With the counterparty", "waiting"),
        State("approved", "Approved for signature", "resolved"),
        State("signed", "Signed", "closed"),
        State("rejected", "Rejected", "closed"),
        State("withdrawn", "Withdrawn", "cancelled"),
    ),
    transitions=(
        Transition("triage", "Triage", ("intake",), "triage"),
        Transition("start_review", "Start review", ("triage",), "in_review"),
        Transition(
            "send_to_counterparty",
            "Send our mark-up to the counterparty",
            ("in_review",),
            "negotiation",
            fields=(
                FormField(
                    key="redline",
                    type="file",
                    label="Our redline",
                    help="The reviewer's mark-up, with tracked changes and comments.",
                    required=True,
                ),
            ),
        ),
        Transition(
            "counterparty_replied",
            "Counterparty replied",
            ("negotiation",),
            "in_review",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "approve",
            "Approve for signature",
            ("in_review", "negotiation"),
            "approved",
            fields=(
                FormField(
                    key="approved_version",
                    type="file",
                    label="Version approved for signature",
                    required=True,
                ),
                FormField(
                    key="approval_note",
                    type="textarea",
                    label="Points the business owner should know",
                    help="Residual risks accepted, obligations to diarise, renewal dates.",
                ),
            ),
        ),
        Transition(
            "reopen",
            "Further changes: back to review",
            ("approved",),
            "in_review",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "sign",
            "Record the signature",
            ("approved",),
            "signed",
            roles=REQUESTER_AND_AGENTS,
            fields=SIGNATURE_FIELDS,
        ),
        Transition(
            "reject",
            "Advise not to sign",
            ("triage", "in_review", "negotiation"),
            "rejected",
            fields=(
                FormField(
                    key="rejection_reason",
                    type="textarea",
                    label="Why the contract should not be signed",
                    required=True,
                ),
            ),
        ),
        Transition(
            "withdraw",
            "Withdraw",
            ("intake", "triage", "in_review", "negotiation"),
            "withdrawn",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Standard NDA on our template: a paralegal sends it the same day; a lawyer
# looks only at changes the counterparty made to the template. ------------------

#: `polydesk_transition_guard` names (see `nda.py`).
TEMPLATE_UNCHANGED_GUARD = "legal.template_unchanged"
LAWYER_GUARD = "legal.lawyer"

NDA_DOCUMENT = FormField(
    key="nda_document",
    type="file",
    label="NDA on our template, filled in",
    required=True,
)

NDA_WORKFLOW = Workflow(
    key="legal.nda",
    name="Standard NDA (fast track)",
    initial_state="new",
    states=(
        State("new", "New", "new"),
        State("lawyer_review", "Changes with a lawyer", "open"),
        State("sent_for_signature", "Sent for signature", "resolved"),
        State("signed", "Signed", "closed"),
        State("withdrawn", "Withdrawn", "cancelled"),
    ),
    transitions=(
        Transition(
            "send_for_signature",
            "Send for signature",
            ("new",),
            "sent_for_signature",
            fields=(NDA_DOCUMENT,),
            guards=(TEMPLATE_UNCHANGED_GUARD,),
        ),
        Transition(
            "refer_to_lawyer",
            "The template was changed: refer to a lawyer",
            ("new",),
            "lawyer_review",
        ),
        Transition(
            "request_changes",
            "The counterparty wants changes",
            ("new", "sent_for_signature"),
            "lawyer_review",
            roles=REQUESTER_AND_AGENTS,
            fields=(
                FormField(
                    key="requested_changes",
                    type="textarea",
                    label="What they want to change",
                    help="Paste their comments or attach their mark-up to a reply.",
                    required=True,
                ),
            ),
        ),
        Transition(
            "clear_changes",
            "Changes accepted: send for signature",
            ("lawyer_review",),
            "sent_for_signature",
            fields=(
                NDA_DOCUMENT,
                FormField(
                    key="lawyer_note",
                    type="textarea",
                    label="What was accepted or refused",
                    required=True,
                ),
            ),
            guards=(LAWYER_GUARD,),
        ),
        Transition(
            "sign",
            "Record the signature",
            ("sent_for_signature",),
            "signed",
            roles=REQUESTER_AND_AGENTS,
            fields=SIGNATURE_FIELDS,
        ),
        Transition(
            "withdraw",
            "Withdraw",
            ("new", "lawyer_review", "sent_for_signature"),
            "withdrawn",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Legal advice --------------------------------------------------------------

ADVICE_WORKFLOW = Workflow(
    key="legal.advice",
    name="Legal advice",
    initial_state="new",
    states=(
        State("new", "New", "new"),
        State("in_progress", "In progress", "open"),
        State("waiting_for_requester", "Waiting for requester", "waiting"),
        State("advised", "Advice given", "resolved"),
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
            "advise",
            "Give advice",
            ("in_progress",),
            "advised",
            fields=(
                FormField(
                    key="advice_summary",
                    type="textarea",
                    label="Advice in short",
                    help="The answer and what the business should do; details go in a reply.",
                    required=True,
                ),
            ),
        ),
        Transition(
            "follow_up",
            "Follow-up question",
            ("advised",),
            "in_progress",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition("close", "Close", ("advised",), "closed", roles=REQUESTER_AND_AGENTS),
        Transition(
            "cancel",
            "Cancel",
            ("new", "waiting_for_requester"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Privileged matter: litigation, regulators, investigations -------------------

MATTER_WORKFLOW = Workflow(
    key="legal.matter",
    name="Privileged matter",
    initial_state="new",
    states=(
        State("new", "New", "new"),
        State("active", "Active", "open"),
        State("on_hold", "On hold (waiting for others)", "waiting"),
        State("concluded", "Concluded", "resolved"),
        State("closed", "Closed", "closed"),
        State("withdrawn", "Withdrawn", "cancelled"),
    ),
    transitions=(
        Transition("open_matter", "Open the matter", ("new",), "active"),
        Transition("hold", "Put on hold", ("active",), "on_hold"),
        Transition("resume", "Resume", ("on_hold",), "active"),
        Transition(
            "conclude",
            "Conclude",
            ("active", "on_hold"),
            "concluded",
            roles=LEADS,
            fields=(
                FormField(key="outcome", type="textarea", label="Outcome", required=True),
                FormField(
                    key="hold_released",
                    type="checkbox",
                    label="Legal hold released: documents may be deleted again",
                ),
            ),
        ),
        Transition("reopen", "Reopen", ("concluded",), "active", roles=LEADS),
        Transition("close", "Close", ("concluded",), "closed", roles=LEADS),
        Transition("withdraw", "Withdraw", ("new",), "withdrawn", roles=("requester", *LEADS)),
    ),
)

WORKFLOWS = [CONTRACT_WORKFLOW, NDA_WORKFLOW, ADVICE_WORKFLOW, MATTER_WORKFLOW]
