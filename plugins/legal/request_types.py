"""Legal's request catalog: one constant per request type, each next to its form."""

from __future__ import annotations

from polydesk.core import Form, FormField, Priority, RequestType, VisibleWhen

KNOWLEDGE_SPACE = "legal"

#: Privileged matters are visible to their requester and this team only.
PRIVILEGED_TEAM = "privileged"

CURRENCIES = (
    ("PLN", "PLN"),
    ("EUR", "EUR"),
    ("USD", "USD"),
    ("GBP", "GBP"),
)

BUSINESS_OWNER = FormField(
    key="business_owner",
    type="person",
    label="Business owner",
    help="Who is accountable for the relationship and answers Legal's questions.",
    required=True,
)

# -- Contract review ------------------------------------------------------------

CONTRACT_REVIEW_FORM = Form(
    (
        FormField(
            key="counterparty",
            type="text",
            label="Counterparty",
            help="Full legal name, e.g. Acme Sp. z o.o.",
            required=True,
            max_length=300,
        ),
        FormField(
            key="contract_type",
            type="select",
            label="Type of contract",
            required=True,
            choices=(
                ("nda", "Non-disclosure agreement (on their paper)"),
                ("msa", "Master services agreement"),
                ("sow", "Statement of work"),
                ("dpa", "Data processing agreement"),
                ("other", "Other"),
            ),
        ),
        FormField(
            key="contract_type_other",
            type="text",
            label="What kind of contract?",
            help="Lease, licence, distribution, settlement…",
            required=True,
            max_length=200,
            visible_when=VisibleWhen("contract_type", ("other",)),
        ),
        FormField(
            key="value",
            type="money",
            label="Total value",
            help="Over the whole term, before VAT; 0 if nothing is paid.",
            required=True,
            min=0,
        ),
        FormField(
            key="currency", type="select", label="Currency", required=True, choices=CURRENCIES
        ),
        FormField(
            key="deadline",
            type="date",
            label="Needs to be signed by",
            help=(
                "Allow ten working days for a full review; the nearer the date, the higher "
                "the priority. At least two working days from today."
            ),
            required=True,
        ),
        BUSINESS_OWNER,
        FormField(
            key="paper",
            type="select",
            label="Whose template is it?",
            required=True,
            choices=(
                ("ours", "Ours"),
                ("theirs", "The counterparty's"),
            ),
        ),
        FormField(
            key="document",
            type="file",
            label="The contract",
            help="Word format if you have it, so we can mark it up.",
            required=True,
        ),
        FormField(
            key="key_terms",
            type="textarea",
            label="Anything unusual",
            help="Exclusivity, uncapped liability, automatic renewal, penalties, data transfers…",
        ),
    )
)

CONTRACT_REVIEW = RequestType(
    key="legal.contract_review",
    department="legal",
    name="Contract review",
    description="Have a contract reviewed, negotiated and approved for signature.",
    category="Contracts",
    workflow="legal.contract",
    sla_policy="legal.contract",
    form=CONTRACT_REVIEW_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

# -- Standard NDA ------------------------------------------------------------------

NDA_FORM = Form(
    (
        FormField(
            key="counterparty",
            type="text",
            label="Counterparty",
            help="Full legal name, e.g. Acme Sp. z o.o.",
            required=True,
            max_length=300,
        ),
        FormField(
            key="counterparty_address",
            type="textarea",
            label="Counterparty's registered address",
            required=True,
            max_length=500,
        ),
        FormField(
            key="direction",
            type="select",
            label="Who shares confidential information?",
            required=True,
            choices=(
                ("mutual", "Both sides (mutual NDA)"),
                ("we_disclose", "Only we do"),
                ("they_disclose", "Only they do"),
            ),
        ),
        FormField(
            key="purpose",
            type="textarea",
            label="Purpose",
            help="Why information is shared, e.g. 'evaluating a joint offer for a tender'.",
            required=True,
            max_length=1_000,
        ),
        BUSINESS_OWNER,
        FormField(
            key="signatory_name",
            type="text",
            label="Counterparty's signatory",
            required=True,
            max_length=200,
        ),
        FormField(
            key="signatory_email",
            type="email",
            label="Signatory's email",
            help="The NDA goes there for electronic signature.",
            required=True,
        ),
        FormField(
            key="template_changed",
            type="checkbox",
            label="The counterparty changed our template",
            help=(
                "Tick it if they edited our NDA or sent comments on it: a lawyer then reviews "
                "the changes. Unticked, a paralegal sends our template the same day."
            ),
        ),
    )
)

STANDARD_NDA = RequestType(
    key="legal.nda",
    department="legal",
    name="Standard NDA (fast track)",
    description=(
        "Our own NDA template, sent for e-signature within a working day; a lawyer looks "
        "only at changes the counterparty made to it. If the counterparty insists on its "
        "own paper, request a contract review instead."
    ),
    category="Contracts",
    workflow="legal.nda",
    sla_policy="legal.nda",
    form=NDA_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

# -- Legal advice ---------------------------------------------------------------------

ADVICE_FORM = Form(
    (
        FormField(
            key="area",
            type="select",
            label="Area of law",
            required=True,
            choices=(
                ("commercial", "Commercial and contracts"),
                ("data_protection", "Data protection (GDPR)"),
                ("employment", "Employment"),
                ("ip", "Intellectual property"),
                ("competition", "Competition and consumer law"),
                ("regulatory", "Regulatory and compliance"),
                ("other", "Other or not sure"),
            ),
        ),
        FormField(
            key="needed_by",
            type="date",
            label="Needed by",
            help="Tell us what happens on that date, in the description.",
        ),
        FormField(
            key="documents",
            type="file",
            label="Supporting documents",
            help="Emails, drafts, letters received.",
        ),
    )
)

LEGAL_ADVICE = RequestType(
    key="legal.advice",
    department="legal",
    name="Ask for legal advice",
    description="A legal question about a decision, a project, a letter you received.",
    category="Advice",
    workflow="legal.advice",
    sla_policy="legal.standard",
    form=ADVICE_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

# -- Privileged matter -------------------------------------------------------------------

PRIVILEGED_MATTER_FORM = Form(
    (
        FormField(
            key="matter_type",
            type="select",
            label="Type of matter",
            required=True,
            choices=(
                ("litigation", "Litigation, or a claim threatened against us"),
                ("regulator", "Regulator inquiry, inspection or dawn raid"),
                ("investigation", "Internal investigation"),
                ("whistleblowing", "Whistleblowing report"),
                ("other", "Other sensitive matter"),
            ),
        ),
        FormField(
            key="other_parties",
            type="textarea",
            label="Other parties and their lawyers",
            max_length=2_000,
        ),
        FormField(
            key="next_deadline",
            type="date",
            label="Next deadline",
            help="Court date, regulator's response date, limitation date.",
        ),
        FormField(
            key="preserve_documents",
            type="checkbox",
            label="Documents must be preserved (legal hold)",
            help="Legal then tells IT to suspend deletion for the people involved.",
        ),
    )
)

PRIVILEGED_MATTER = RequestType(
    key="legal.privileged_matter",
    department="legal",
    name="Privileged matter",
    description=(
        "Litigation, regulators, investigations and whistleblowing, handled under legal "
        "privilege by a restricted team."
    ),
    category="Confidential",
    workflow="legal.matter",
    sla_policy="legal.matter",
    form=PRIVILEGED_MATTER_FORM,
    default_priority=Priority.P2,
    confidential_team=PRIVILEGED_TEAM,
    knowledge_space=KNOWLEDGE_SPACE,
)

REQUEST_TYPES = [CONTRACT_REVIEW, STANDARD_NDA, LEGAL_ADVICE, PRIVILEGED_MATTER]
