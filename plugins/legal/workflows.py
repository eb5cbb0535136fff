"""Legal workflows: contract review, NDA fast track, advice, privileged matters."""

from __future__ import annotations

from polydesk.core import N_, FormField, State, Transition, Workflow

AGENTS = ("agent", "lead", "admin")
REQUESTER_AND_AGENTS = ("requester", *AGENTS)
LEADS = ("lead", "admin")

SIGNATURE_FIELDS = (
    FormField(
        key="signed_copy",
        type="file",
        label=N_("Signed copy"),
        help=N_("The fully signed PDF, with every page and annex."),
        required=True,
    ),
    FormField(key="signed_on", type="date", label=N_("Date of the last signature"), required=True),
)

# -- Contract review: intake → triage → in review ⇄ negotiation → approved → signed --

CONTRACT_WORKFLOW = Workflow(
    key="legal.contract",
    name=N_("Contract review"),
    initial_state="intake",
    states=(
        State("intake", N_("Intake"), "new"),
        State("triage", N_("Triage"), "open"),
        State("in_review", N_("In review"), "open"),
        State("negotiation", N_("With the counterparty"), "waiting"),
        State("approved", N_("Approved for signature"), "resolved"),
        State("signed", N_("Signed"), "closed"),
        State("rejected", N_("Rejected"), "closed"),
        State("withdrawn", N_("Withdrawn"), "cancelled"),
    ),
    transitions=(
        Transition("triage", N_("Triage"), ("intake",), "triage"),
        Transition("start_review", N_("Start review"), ("triage",), "in_review"),
        Transition(
            "send_to_counterparty",
            N_("Send our mark-up to the counterparty"),
            ("in_review",),
            "negotiation",
            fields=(
                FormField(
                    key="redline",
                    type="file",
                    label=N_("Our redline"),
                    help=N_("The reviewer's mark-up, with tracked changes and comments."),
                    required=True,
                ),
            ),
        ),
        Transition(
            "counterparty_replied",
            N_("Counterparty replied"),
            ("negotiation",),
            "in_review",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "approve",
            N_("Approve for signature"),
            ("in_review", "negotiation"),
            "approved",
            fields=(
                FormField(
                    key="approved_version",
                    type="file",
                    label=N_("Version approved for signature"),
                    required=True,
                ),
                FormField(
                    key="approval_note",
                    type="textarea",
                    label=N_("Points the business owner should know"),
                    help=N_("Residual risks accepted, obligations to diarise, renewal dates."),
                ),
            ),
        ),
        Transition(
            "reopen",
            N_("Further changes: back to review"),
            ("approved",),
            "in_review",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "sign",
            N_("Record the signature"),
            ("approved",),
            "signed",
            roles=REQUESTER_AND_AGENTS,
            fields=SIGNATURE_FIELDS,
        ),
        Transition(
            "reject",
            N_("Advise not to sign"),
            ("triage", "in_review", "negotiation"),
            "rejected",
            fields=(
                FormField(
                    key="rejection_reason",
                    type="textarea",
                    label=N_("Why the contract should not be signed"),
                    required=True,
                ),
            ),
        ),
        Transition(
            "withdraw",
            N_("Withdraw"),
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
    label=N_("NDA on our template, filled in"),
    required=True,
)

NDA_WORKFLOW = Workflow(
    key="legal.nda",
    name=N_("Standard NDA (fast track)"),
    initial_state="new",
    states=(
        State("new", N_("New"), "new"),
        State("lawyer_review", N_("Changes with a lawyer"), "open"),
        State("sent_for_signature", N_("Sent for signature"), "resolved"),
        State("signed", N_("Signed"), "closed"),
        State("withdrawn", N_("Withdrawn"), "cancelled"),
    ),
    transitions=(
        Transition(
            "send_for_signature",
            N_("Send for signature"),
            ("new",),
            "sent_for_signature",
            fields=(NDA_DOCUMENT,),
            guards=(TEMPLATE_UNCHANGED_GUARD,),
        ),
        Transition(
            "refer_to_lawyer",
            N_("The template was changed: refer to a lawyer"),
            ("new",),
            "lawyer_review",
        ),
        Transition(
            "request_changes",
            N_("The counterparty wants changes"),
            ("new", "sent_for_signature"),
            "lawyer_review",
            roles=REQUESTER_AND_AGENTS,
            fields=(
                FormField(
                    key="requested_changes",
                    type="textarea",
                    label=N_("What they want to change"),
                    help=N_("Paste their comments or attach their mark-up to a reply."),
                    required=True,
                ),
            ),
        ),
        Transition(
            "clear_changes",
            N_("Changes accepted: send for signature"),
            ("lawyer_review",),
            "sent_for_signature",
            fields=(
                NDA_DOCUMENT,
                FormField(
                    key="lawyer_note",
                    type="textarea",
                    label=N_("What was accepted or refused"),
                    required=True,
                ),
            ),
            guards=(LAWYER_GUARD,),
        ),
        Transition(
            "sign",
            N_("Record the signature"),
            ("sent_for_signature",),
            "signed",
            roles=REQUESTER_AND_AGENTS,
            fields=SIGNATURE_FIELDS,
        ),
        Transition(
            "withdraw",
            N_("Withdraw"),
            ("new", "lawyer_review", "sent_for_signature"),
            "withdrawn",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Legal advice --------------------------------------------------------------

ADVICE_WORKFLOW = Workflow(
    key="legal.advice",
    name=N_("Legal advice"),
    initial_state="new",
    states=(
        State("new", N_("New"), "new"),
        State("in_progress", N_("In progress"), "open"),
        State("waiting_for_requester", N_("Waiting for requester"), "waiting"),
        State("advised", N_("Advice given"), "resolved"),
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
            "advise",
            N_("Give advice"),
            ("in_progress",),
            "advised",
            fields=(
                FormField(
                    key="advice_summary",
                    type="textarea",
                    label=N_("Advice in short"),
                    help=N_("The answer and what the business should do; details go in a reply."),
                    required=True,
                ),
            ),
        ),
        Transition(
            "follow_up",
            N_("Follow-up question"),
            ("advised",),
            "in_progress",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition("close", N_("Close"), ("advised",), "closed", roles=REQUESTER_AND_AGENTS),
        Transition(
            "cancel",
            N_("Cancel"),
            ("new", "waiting_for_requester"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Privileged matter: litigation, regulators, investigations -------------------

MATTER_WORKFLOW = Workflow(
    key="legal.matter",
    name=N_("Privileged matter"),
    initial_state="new",
    states=(
        State("new", N_("New"), "new"),
        State("active", N_("Active"), "open"),
        State("on_hold", N_("On hold (waiting for others)"), "waiting"),
        State("concluded", N_("Concluded"), "resolved"),
        State("closed", N_("Closed"), "closed"),
        State("withdrawn", N_("Withdrawn"), "cancelled"),
    ),
    transitions=(
        Transition("open_matter", N_("Open the matter"), ("new",), "active"),
        Transition("hold", N_("Put on hold"), ("active",), "on_hold"),
        Transition("resume", N_("Resume"), ("on_hold",), "active"),
        Transition(
            "conclude",
            N_("Conclude"),
            ("active", "on_hold"),
            "concluded",
            roles=LEADS,
            fields=(
                FormField(key="outcome", type="textarea", label=N_("Outcome"), required=True),
                FormField(
                    key="hold_released",
                    type="checkbox",
                    label=N_("Legal hold released: documents may be deleted again"),
                ),
            ),
        ),
        Transition("reopen", N_("Reopen"), ("concluded",), "active", roles=LEADS),
        Transition("close", N_("Close"), ("concluded",), "closed", roles=LEADS),
        Transition("withdraw", N_("Withdraw"), ("new",), "withdrawn", roles=("requester", *LEADS)),
    ),
)

WORKFLOWS = [CONTRACT_WORKFLOW, NDA_WORKFLOW, ADVICE_WORKFLOW, MATTER_WORKFLOW]
