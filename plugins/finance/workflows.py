"""Finance workflows: purchase, expense reimbursement, queries, vendor onboarding."""

from __future__ import annotations

from polydesk.core import N_, FormField, State, Transition, Workflow

AGENTS = ("agent", "lead", "admin")
REQUESTER_AND_AGENTS = ("requester", *AGENTS)


def rejection(label: str) -> FormField:
    return FormField(key="rejection_reason", type="textarea", label=label, required=True)


# -- Purchase: approved before anything is ordered --------------------------

PURCHASE_WORKFLOW = Workflow(
    key="finance.purchase",
    name=N_("Purchase request"),
    initial_state="new",
    states=(
        State("new", N_("New"), "new"),
        State("pending_approval", N_("Pending approval"), "waiting"),
        State("approved", N_("Approved"), "open"),
        State("ordered", N_("Ordered"), "open"),
        State("received", N_("Received"), "resolved"),
        State("closed", N_("Closed"), "closed"),
        State("rejected", N_("Rejected"), "closed"),
        State("cancelled", N_("Cancelled"), "cancelled"),
    ),
    transitions=(
        Transition(
            "submit_for_approval",
            N_("Checked: send for approval"),
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
            N_("Reject"),
            ("new", "pending_approval"),
            "rejected",
            fields=(rejection(N_("Why the purchase is rejected")),),
        ),
        Transition(
            "place_order",
            N_("Order placed"),
            ("approved",),
            "ordered",
            fields=(
                FormField(
                    key="po_number",
                    type="text",
                    label=N_("Purchase order number"),
                    help=N_("From the ERP, e.g. PO-204518."),
                    required=True,
                    pattern=r"PO-[0-9]{6}",
                    example="PO-204518",
                ),
            ),
        ),
        Transition(
            "receive",
            N_("Goods or service received"),
            ("ordered",),
            "received",
            roles=REQUESTER_AND_AGENTS,
            fields=(
                FormField(key="received_on", type="date", label=N_("Received on"), required=True),
            ),
        ),
        Transition("close", N_("Invoice matched: close"), ("received",), "closed"),
        Transition(
            "cancel",
            N_("Cancel"),
            ("new", "pending_approval", "approved"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Expense reimbursement: the manager, then Finance, approve before payment --

EXPENSE_WORKFLOW = Workflow(
    key="finance.expense",
    name=N_("Expense reimbursement"),
    initial_state="new",
    states=(
        State("new", N_("Submitted"), "new"),
        State("pending_approval", N_("Pending approval"), "waiting"),
        State("in_review", N_("Approved: to be paid"), "open"),
        State("waiting_for_requester", N_("Waiting for requester"), "waiting"),
        State("paid", N_("Paid"), "resolved"),
        State("closed", N_("Closed"), "closed"),
        State("rejected", N_("Rejected"), "closed"),
        State("cancelled", N_("Cancelled"), "cancelled"),
    ),
    transitions=(
        Transition(
            "submit_for_approval",
            N_("Send for approval"),
            ("new",),
            "pending_approval",
        ),
        Transition(
            "approve",
            N_("Approved"),
            ("pending_approval",),
            "in_review",
            guards=("approvals_granted",),
        ),
        Transition(
            "ask_requester",
            N_("Ask for a receipt or details"),
            ("in_review",),
            "waiting_for_requester",
        ),
        Transition(
            "reply",
            N_("Reply with the information"),
            ("waiting_for_requester",),
            "in_review",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "pay",
            N_("Paid"),
            ("in_review",),
            "paid",
            guards=("approvals_granted",),
            fields=(
                FormField(
                    key="amount_paid",
                    type="money",
                    label=N_("Amount paid (PLN)"),
                    required=True,
                    min=0,
                ),
                FormField(
                    key="payment_reference",
                    type="text",
                    label=N_("Payment reference"),
                    required=True,
                    max_length=50,
                ),
            ),
        ),
        Transition(
            "reopen",
            N_("Paid amount is wrong: reopen"),
            ("paid",),
            "in_review",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition("close", N_("Close"), ("paid",), "closed"),
        Transition(
            "reject",
            N_("Reject"),
            ("new", "pending_approval", "in_review", "waiting_for_requester"),
            "rejected",
            fields=(rejection(N_("Why it cannot be reimbursed")),),
        ),
        Transition(
            "cancel",
            N_("Cancel"),
            ("new", "pending_approval", "waiting_for_requester"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Invoice and accounts-payable queries ------------------------------------

QUERY_WORKFLOW = Workflow(
    key="finance.query",
    name=N_("Finance query"),
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
                    key="resolution_note", type="textarea", label=N_("Answer"), required=True
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

# -- Vendor onboarding: bank details are verified out of band, then approved --

VENDOR_WORKFLOW = Workflow(
    key="finance.vendor",
    name=N_("Vendor onboarding"),
    initial_state="new",
    states=(
        State("new", N_("New"), "new"),
        State("verification", N_("Verifying details"), "open"),
        State("pending_approval", N_("Pending approval"), "waiting"),
        State("active", N_("Vendor created"), "resolved"),
        State("closed", N_("Closed"), "closed"),
        State("rejected", N_("Rejected"), "closed"),
        State("cancelled", N_("Cancelled"), "cancelled"),
    ),
    transitions=(
        Transition("start_verification", N_("Start verification"), ("new",), "verification"),
        Transition(
            "verify",
            N_("Details verified: send for approval"),
            ("verification",),
            "pending_approval",
            fields=(
                FormField(
                    key="bank_verification",
                    type="multiselect",
                    label=N_("How the bank account was verified"),
                    help=N_("A callback is mandatory; never use a phone number from the request."),
                    required=True,
                    choices=(
                        ("callback", N_("Called the vendor on a number from its own website")),
                        ("white_list", N_("Account is on the Polish VAT white list")),
                        ("bank_letter", N_("Bank letter checked against the account holder")),
                    ),
                ),
            ),
        ),
        Transition(
            "approve",
            N_("Approved: vendor created in the ERP"),
            ("pending_approval",),
            "active",
            guards=("approvals_granted",),
            fields=(
                FormField(
                    key="vendor_number",
                    type="text",
                    label=N_("Vendor number in the ERP"),
                    required=True,
                    max_length=20,
                ),
            ),
        ),
        Transition(
            "reject",
            N_("Reject"),
            ("verification", "pending_approval"),
            "rejected",
            fields=(rejection(N_("Why the vendor cannot be onboarded")),),
        ),
        Transition("close", N_("Close"), ("active",), "closed"),
        Transition(
            "cancel",
            N_("Cancel"),
            ("new", "verification"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- A task for Finance, opened by another department (HR's payroll set-up) ----

TASK_WORKFLOW = Workflow(
    key="finance.task",
    name=N_("Finance task"),
    initial_state="new",
    states=(
        State("new", N_("New"), "new"),
        State("in_progress", N_("In progress"), "open"),
        State("waiting", N_("Waiting for information"), "waiting"),
        State("done", N_("Done"), "resolved"),
        State("closed", N_("Closed"), "closed"),
        State("cancelled", N_("Cancelled"), "cancelled"),
    ),
    transitions=(
        Transition("start", N_("Start work"), ("new",), "in_progress"),
        Transition("wait", N_("Waiting for information"), ("new", "in_progress"), "waiting"),
        Transition("resume", N_("Information received"), ("waiting",), "in_progress"),
        Transition(
            "complete",
            N_("Done"),
            ("new", "in_progress"),
            "done",
            fields=(
                FormField(
                    key="completion_note",
                    type="textarea",
                    label=N_("What was set up"),
                    help=N_("E.g. payroll number, first pay date; never bank details."),
                    required=True,
                ),
            ),
        ),
        Transition("reopen", N_("Reopen"), ("done",), "in_progress"),
        Transition("close", N_("Close"), ("done",), "closed"),
        Transition(
            "cancel",
            N_("Cancel"),
            ("new", "in_progress", "waiting"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

WORKFLOWS = [PURCHASE_WORKFLOW, EXPENSE_WORKFLOW, QUERY_WORKFLOW, VENDOR_WORKFLOW, TASK_WORKFLOW]
