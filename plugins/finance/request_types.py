"""Finance's request catalog: one constant per request type, each next to its form."""

from __future__ import annotations

from polydesk.core import N_, Form, FormField, Priority, RequestType, VisibleWhen

KNOWLEDGE_SPACE = "finance"

CURRENCIES = (
    ("PLN", "PLN"),
    ("EUR", "EUR"),
    ("USD", "USD"),
    ("GBP", "GBP"),
)
CURRENCY_CODES = tuple(code for code, _ in CURRENCIES)

COST_CENTRE = FormField(
    key="cost_centre",
    type="text",
    label=N_("Cost centre"),
    help=N_("Four digits after CC-, e.g. CC-1203; your manager knows it."),
    required=True,
    max_length=7,
    pattern=r"CC-[0-9]{4}",
    example="CC-1203",
)

PO_NUMBER = FormField(
    key="po_number",
    type="text",
    label=N_("Purchase order number"),
    help=N_("PO- and six digits, e.g. PO-204518."),
    max_length=9,
    pattern=r"PO-[0-9]{6}",
    example="PO-204518",
)

# -- Purchase request -------------------------------------------------------------

PURCHASE_FORM = Form(
    (
        FormField(
            key="item",
            type="text",
            label=N_("What are you buying?"),
            required=True,
            max_length=300,
        ),
        FormField(
            key="purchase_category",
            type="select",
            label=N_("Category"),
            required=True,
            choices=(
                ("goods", N_("Goods and equipment")),
                ("services", N_("Services and consulting")),
                ("software", N_("Software subscription")),
                ("training", N_("Training and conferences")),
                ("marketing", N_("Marketing and events")),
                ("other", N_("Other")),
            ),
        ),
        FormField(
            key="amount",
            type="money",
            label=N_("Amount, before VAT"),
            help=N_("For subscriptions, the total for the whole term."),
            required=True,
            min=0.01,
        ),
        FormField(
            key="currency", type="select", label=N_("Currency"), required=True, choices=CURRENCIES
        ),
        COST_CENTRE,
        FormField(
            key="vendor",
            type="text",
            label=N_("Vendor"),
            help=N_("New vendors must be onboarded before the order is placed."),
            required=True,
            max_length=300,
        ),
        FormField(
            key="justification",
            type="textarea",
            label=N_("Business justification"),
            help=N_("Why it is needed now, and what happens without it."),
            required=True,
        ),
        FormField(
            key="quote",
            type="file",
            label=N_("Quote or offer"),
            help=N_("Required above PLN 20,000: two quotes, above PLN 100,000: three."),
        ),
        FormField(key="needed_by", type="date", label=N_("Needed by")),
    )
)

PURCHASE_REQUEST = RequestType(
    key="finance.purchase",
    department="finance",
    name=N_("Purchase request"),
    description=N_("Get approval to buy goods or services before anything is ordered."),
    category=N_("Spending"),
    workflow="finance.purchase",
    sla_policy="finance.standard",
    form=PURCHASE_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

# -- Expense reimbursement -------------------------------------------------------------

EXPENSE_FORM = Form(
    (
        FormField(key="expense_date", type="date", label=N_("Date of the expense"), required=True),
        FormField(
            key="expense_category",
            type="select",
            label=N_("Category"),
            required=True,
            choices=(
                ("travel", N_("Travel: train, flight, taxi, fuel")),
                ("accommodation", N_("Accommodation")),
                ("meals", N_("Meals while travelling")),
                ("client_entertainment", N_("Client entertainment")),
                ("training", N_("Training, books, conference fees")),
                ("equipment", N_("Small equipment")),
                ("other", N_("Other")),
            ),
        ),
        FormField(
            key="amount",
            type="money",
            label=N_("Amount, including VAT"),
            required=True,
            min=0.01,
        ),
        FormField(
            key="currency", type="select", label=N_("Currency"), required=True, choices=CURRENCIES
        ),
        FormField(
            key="receipts",
            type="file",
            label=N_("Receipts or invoices"),
            help=N_("A photo or PDF of each one; an invoice in the company's name where possible."),
            required=True,
        ),
        FormField(
            key="business_purpose",
            type="textarea",
            label=N_("Business purpose"),
            required=True,
            max_length=1_000,
        ),
        FormField(
            key="attendees",
            type="textarea",
            label=N_("Who attended"),
            help=N_("Names and companies of everyone present."),
            required=True,
            visible_when=VisibleWhen("expense_category", ("client_entertainment",)),
        ),
        FormField(
            key="cost_centre",
            type="text",
            label=N_("Cost centre"),
            help=N_("Leave empty to charge your own team's cost centre."),
            max_length=7,
            pattern=r"CC-[0-9]{4}",
            example="CC-1203",
        ),
    )
)

EXPENSE_REIMBURSEMENT = RequestType(
    key="finance.expense",
    department="finance",
    name=N_("Expense reimbursement"),
    description=N_("Get back money you spent for work, with your receipts."),
    category=N_("Spending"),
    workflow="finance.expense",
    sla_policy="finance.reimbursement",
    form=EXPENSE_FORM,
    default_priority=Priority.P4,
    knowledge_space=KNOWLEDGE_SPACE,
)

# -- Invoice / accounts-payable query ----------------------------------------------------

INVOICE_QUERY_FORM = Form(
    (
        FormField(
            key="query_type",
            type="select",
            label=N_("Question"),
            required=True,
            choices=(
                ("payment_status", N_("When will this invoice be paid?")),
                ("approval", N_("I received an invoice: how do I get it approved?")),
                ("dispute", N_("The amount or the goods are wrong")),
                ("duplicate", N_("We received it twice")),
                ("wrong_details", N_("Wrong company name, address or tax number")),
                ("other", N_("Something else")),
            ),
        ),
        FormField(key="vendor", type="text", label=N_("Vendor"), required=True, max_length=300),
        FormField(
            key="invoice_number",
            type="text",
            label=N_("Invoice number"),
            help=N_("As printed on the invoice."),
            required=True,
            max_length=50,
        ),
        PO_NUMBER,
        FormField(key="amount", type="money", label=N_("Invoice amount, gross"), min=0),
        FormField(key="currency", type="select", label=N_("Currency"), choices=CURRENCIES),
        FormField(key="invoice_copy", type="file", label=N_("Copy of the invoice")),
    )
)

INVOICE_QUERY = RequestType(
    key="finance.invoice_query",
    department="finance",
    name=N_("Invoice or payment query"),
    description=N_("Questions about supplier invoices, payments and purchase orders."),
    category=N_("Invoices and vendors"),
    workflow="finance.query",
    sla_policy="finance.standard",
    form=INVOICE_QUERY_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

# -- Vendor onboarding -----------------------------------------------------------------------

# The bank details are `sensitive`: the core shows them in full only to Finance's
# agents on the ticket itself, and as "••••" plus the last four characters in
# lists, on the timeline, to the requester once filed and to admins.

VENDOR_ONBOARDING_FORM = Form(
    (
        FormField(
            key="vendor_name",
            type="text",
            label=N_("Vendor's legal name"),
            required=True,
            max_length=300,
        ),
        FormField(
            key="tax_id",
            type="text",
            label=N_("Tax number"),
            help=N_(
                "NIP for Polish companies (123-456-32-18), VAT number with country code for others."
            ),
            required=True,
            max_length=20,
            pattern=r"([A-Z]{2} ?)?[0-9A-Z][0-9A-Z -]{6,16}[0-9A-Z]",
            example="123-456-32-18",
        ),
        FormField(
            key="registered_address",
            type="textarea",
            label=N_("Registered address"),
            required=True,
            max_length=500,
        ),
        FormField(
            key="contact_email",
            type="email",
            label=N_("Vendor's accounts contact"),
            help=N_("Where remittance advice is sent."),
            required=True,
        ),
        FormField(
            key="bank_account_holder",
            type="text",
            label=N_("Account holder"),
            help=N_("Must be the vendor itself; we do not pay third parties."),
            required=True,
            max_length=300,
            sensitive=True,
        ),
        FormField(key="bank_name", type="text", label=N_("Bank"), required=True, max_length=200),
        FormField(
            key="iban",
            type="text",
            label=N_("IBAN"),
            help=N_("Country code first, e.g. PL61 1090 1014 0000 0712 1981 2874."),
            required=True,
            max_length=42,
            pattern=r"[A-Z]{2}[0-9]{2}( ?[A-Z0-9]){11,30}",
            example="PL61 1090 1014 0000 0712 1981 2874",
            sensitive=True,
        ),
        FormField(
            key="swift_bic",
            type="text",
            label=N_("SWIFT / BIC"),
            required=True,
            max_length=11,
            pattern=r"[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?",
            example="HASPDEHHXXX",
            sensitive=True,
        ),
        FormField(
            key="bank_confirmation",
            type="file",
            label=N_("Bank confirmation"),
            help=N_("A bank letter or statement header showing the account holder and IBAN."),
            required=True,
        ),
        FormField(
            key="payment_terms",
            type="select",
            label=N_("Payment terms"),
            help=N_("30 days is our standard; shorter terms need a reason in the description."),
            required=True,
            choices=(
                ("14", N_("14 days")),
                ("30", N_("30 days")),
                ("60", N_("60 days")),
            ),
        ),
    )
)

VENDOR_ONBOARDING = RequestType(
    key="finance.vendor_onboarding",
    department="finance",
    name=N_("Onboard a new vendor"),
    description=N_("Add a supplier to the ERP so that it can be ordered from and paid."),
    category=N_("Invoices and vendors"),
    workflow="finance.vendor",
    sla_policy="finance.standard",
    form=VENDOR_ONBOARDING_FORM,
    default_priority=Priority.P4,
    knowledge_space=KNOWLEDGE_SPACE,
)

# -- Payroll set-up for a new hire -------------------------------------------------------------

# HR's onboarding opens this as a child task when Finance is enabled
# (`desk.offers("finance.payroll_setup")`). The keys match HR's onboarding form,
# so HR copies `new_hire_name`, `start_date`, `job_title` and `employment_type`
# as they are; only the name and the start date are required.

PAYROLL_SETUP_FORM = Form(
    (
        FormField(
            key="new_hire_name",
            type="text",
            label=N_("New hire's full name"),
            required=True,
            max_length=200,
        ),
        FormField(key="start_date", type="date", label=N_("Start date"), required=True),
        FormField(key="job_title", type="text", label=N_("Role (job title)"), max_length=200),
        FormField(
            key="employment_type",
            type="select",
            label=N_("Employment type"),
            help=N_("Contractors (B2B) invoice us and are not put on the payroll."),
            choices=(
                ("employee", N_("Employment contract")),
                ("fixed_term", N_("Fixed-term contract")),
                ("contractor", N_("Contractor (B2B)")),
                ("intern", N_("Internship")),
            ),
        ),
        FormField(
            key="cost_centre",
            type="text",
            label=N_("Cost centre"),
            help=N_("Leave empty if the hiring manager has not said; Finance asks them."),
            max_length=7,
            pattern=r"CC-[0-9]{4}",
            example="CC-1203",
        ),
        FormField(
            key="salary_band",
            type="select",
            label=N_("Salary band"),
            help=N_("From the offer letter; the amount itself stays in the HR system."),
            choices=(
                ("B1", N_("Band 1")),
                ("B2", N_("Band 2")),
                ("B3", N_("Band 3")),
                ("B4", N_("Band 4")),
                ("B5", N_("Band 5")),
                ("B6", N_("Band 6")),
                ("B7", N_("Band 7")),
            ),
        ),
    )
)

PAYROLL_SETUP = RequestType(
    key="finance.payroll_setup",
    department="finance",
    name=N_("Payroll set-up for a new hire"),
    description=N_(
        "Put a new hire on the payroll before their first pay day. HR's onboarding opens "
        "it for you; raise it by hand only for a hire HR has not onboarded."
    ),
    category=N_("Payroll"),
    agents_only=True,
    workflow="finance.task",
    sla_policy="finance.standard",
    form=PAYROLL_SETUP_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

REQUEST_TYPES = [
    PURCHASE_REQUEST,
    EXPENSE_REIMBURSEMENT,
    INVOICE_QUERY,
    VENDOR_ONBOARDING,
    PAYROLL_SETUP,
]
