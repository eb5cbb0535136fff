"""Finance workflows: purchase, expense reimbursement, queries, vendor onboarding."""

from __future__ import annotations

from polydesk.core import FormField, State, Transition, Workflow

AGENTS = ("agent", "lead", "admin")
REQUESTER_AND_AGENTS = ("requester", *AGENTS)


def rejection(label: str) -> FormField:
    return FormField(key="rejection_reason", type="textarea", label=label, required=True)


# -- Purchase: approved before anything is ordered --------------------------

PURCHASE_WORKFLOW = Workflow(
    key="finance.purchase",
    name="Purchase request",
    initial_state="new",
    states=(
        State("new", "New", "new"),
        State("pending_approval", "Pending approval", "waiting"),
        State("approved", "Approved", "open"),
        State("ordered", "Ordered", "open"),
        State("received", "Received", "resolved"),
        State("closed", "Closed", "closed"),
        State("rejected", "Rejected", "closed"),
        State("cancelled", "Cancelled", "cancelled"),
    ),
    transitions=(
        Transition(
            "submit_for_approval",
            "Checked: send for approval",
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
            "Reject",
            ("new", "pending_approval"),
            "rejected",
            fields=(rejection("Why the purchase is rejected"),),
        ),
        Transition(
            "place_order",
            "Order placed",
            ("approved",),
            "ordered",
            fields=(
                FormField(
                    key="po_number",
                    type="text",
                    label="Purchase order number",
                    help="From the ERP, e.g. PO-204518.",
                    required=True,
                    pattern=r"PO-[0-9]{6}",
                    example="PO-204518",
                ),
            ),
        ),
        Transition(
            "receive",
            "Goods or service received",
            ("ordered",),
            "received",
            roles=REQUESTER_AND_AGENTS,
            fields=(FormField(key="received_on", type="date", label="Received on", required=True),),
        ),
        Transition("close", "Invoice matched: close", ("received",), "closed"),
        Transition(
            "cancel",
            "Cancel",
            ("new", "pending_approval", "approved"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Expense reimbursement: the manager, then Finance, approve before payment --

EXPENSE_WORKFLOW = Workflow(
    key="finance.expense",
    name="Expense reimbursement",
    initial_state="new",
    states=(
        State("new", "Submitted", "new"),
        State("pending_approval", "Pending approval", "waiting"),
        State("in_review", "Approved: to be paid", "open"),
        State("waiting_for_requester", "Waiting for requester", "waiting"),
        State("paid", "Paid", "resolved"),
        State("closed", "Closed", "closed"),
        State("rejected", "Rejected", "closed"),
        State("cancelled", "Cancelled", "cancelled"),
    ),
    transitions=(
        Transition(
            "submit_for_approval",
            "Send for approval",
            ("new",),
            "pending_approval",
        ),
        Transition(
            "approve",
            "Approved",
            ("pending_approval",),
            "in_review",
            guards=("approvals_granted",),
        ),
        Transition(
            "ask_requester",
            "Ask for a receipt or details",
            ("in_review",),
            "waiting_for_requester",
        ),
        Transition(
            "reply",
            "Reply with the information",
            ("waiting_for_requester",),
            "in_review",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition(
            "pay",
            "Paid",
            ("in_review",),
            "paid",
            guards=("approvals_granted",),
            fields=(
                FormField(
                    key="amount_paid",
                    type="money",
                    label="Amount paid (PLN)",
                    required=True,
                    min=0,
                ),
                FormField(
                    key="payment_reference",
                    type="text",
                    label="Payment reference",
                    required=True,
                    max_length=50,
                ),
            ),
        ),
        Transition(
            "reopen",
            "Paid amount is wrong: reopen",
            ("paid",),
            "in_review",
            roles=REQUESTER_AND_AGENTS,
        ),
        Transition("close", "Close", ("paid",), "closed"),
        Transition(
            "reject",
            "Reject",
            ("new", "pending_approval", "in_review", "waiting_for_requester"),
            "rejected",
            fields=(rejection("Why it cannot be reimbursed"),),
        ),
        Transition(
            "cancel",
            "Cancel",
            ("new", "pending_approval", "waiting_for_requester"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- Invoice and accounts-payable queries ------------------------------------

QUERY_WORKFLOW = Workflow(
    key="finance.query",
    name="Finance query",
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
                FormField(key="resolution_note", type="textarea", label="Answer", required=True),
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

# -- Vendor onboarding: bank details are verified out of band, then approved --

VENDOR_WORKFLOW = Workflow(
    key="finance.vendor",
    name="Vendor onboarding",
    initial_state="new",
    states=(
        State("new", "New", "new"),
        State("verification", "Verifying details", "open"),
        State("pending_approval", "Pending approval", "waiting"),
        State("active", "Vendor created", "resolved"),
        State("closed", "Closed", "closed"),
        State("rejected", "Rejected", "closed"),
        State("cancelled", "Cancelled", "cancelled"),
    ),
    transitions=(
        Transition("start_verification", "Start verification", ("new",), "verification"),
        Transition(
            "verify",
            "Details verified: send for approval",
            ("verification",),
            "pending_approval",
            fields=(
                FormField(
                    key="bank_verification",
                    type="multiselect",
                    label="How the bank account was verified",
                    help="A callback is mandatory; never use a phone number from the request.",
                    required=True,
                    choices=(
                        ("callback", "Called the vendor on a number from its own website"),
                        ("white_list", "Account is on the Polish VAT white list"),
                        ("bank_letter", "Bank letter checked against the account holder"),
                    ),
                ),
            ),
        ),
        Transition(
            "approve",
            "Approved: vendor created in the ERP",
            ("pending_approval",),
            "active",
            guards=("approvals_granted",),
            fields=(
                FormField(
                    key="vendor_number",
                    type="text",
                    label="Vendor number in the ERP",
                    required=True,
                    max_length=20,
                ),
            ),
        ),
        Transition(
            "reject",
            "Reject",
            ("verification", "pending_approval"),
            "rejected",
            fields=(rejection("Why the vendor cannot be onboarded"),),
        ),
        Transition("close", "Close", ("active",), "closed"),
        Transition(
            "cancel",
            "Cancel",
            ("new", "verification"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

# -- A task for Finance, opened by another department (HR's payroll set-up) ----

TASK_WORKFLOW = Workflow(
    key="finance.task",
    name="Finance task",
    initial_state="new",
    states=(
        State("new", "New", "new"),
        State("in_progress", "In progress", "open"),
        State("waiting", "Waiting for information", "waiting"),
        State("done", "Done", "resolved"),
        State("closed", "Closed", "closed"),
        State("cancelled", "Cancelled", "cancelled"),
    ),
    transitions=(
        Transition("start", "Start work", ("new",), "in_progress"),
        Transition("wait", "Waiting for information", ("new", "in_progress"), "waiting"),
        Transition("resume", "Information received", ("waiting",), "in_progress"),
        Transition(
            "complete",
            "Done",
            ("new", "in_progress"),
            "done",
            fields=(
                FormField(
                    key="completion_note",
                    type="textarea",
                    label="What was set up",
                    help="E.g. payroll number, first pay date; never bank details.",
                    required=True,
                ),
            ),
        ),
        Transition("reopen", "Reopen", ("done",), "in_progress"),
        Transition("close", "Close", ("done",), "closed"),
        Transition(
            "cancel",
            "Cancel",
            ("new", "in_progress", "waiting"),
            "cancelled",
            roles=REQUESTER_AND_AGENTS,
        ),
    ),
)

WORKFLOWS = [PURCHASE_WORKFLOW, EXPENSE_WORKFLOW, QUERY_WORKFLOW, VENDOR_WORKFLOW, TASK_WORKFLOW]
