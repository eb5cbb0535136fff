"""Legal's request catalog: one constant per request type, each next to its form."""

from __future__ import annotations

from polydesk.core import N_, Form, FormField, Priority, RequestType, VisibleWhen

KNOWLEDGE_SPACE = "legal"

#: Privileged matters are visible to their requester and this team only.
# Translators: the name of Legal's team that sees privileged matters (a team key).
PRIVILEGED_TEAM = N_("privileged")

CURRENCIES = (
    ("PLN", "PLN"),
    ("EUR", "EUR"),
    ("USD", "USD"),
    ("GBP", "GBP"),
)

BUSINESS_OWNER = FormField(
    key="business_owner",
    type="person",
    label=N_("Business owner"),
    help=N_("Who is accountable for the relationship and answers Legal's questions."),
    required=True,
)

# -- Contract review ------------------------------------------------------------

CONTRACT_REVIEW_FORM = Form(
    (
        FormField(
            key="counterparty",
            type="text",
            label=N_("Counterparty"),
            help=N_("Full legal name, e.g. Acme Sp. z o.o."),
            required=True,
            max_length=300,
        ),
        FormField(
            key="contract_type",
            type="select",
            label=N_("Type of contract"),
            required=True,
            choices=(
                ("nda", N_("Non-disclosure agreement (on their paper)")),
                ("msa", N_("Master services agreement")),
                ("sow", N_("Statement of work")),
                ("dpa", N_("Data processing agreement")),
                ("other", N_("Other")),
            ),
        ),
        FormField(
            key="contract_type_other",
            type="text",
            label=N_("What kind of contract?"),
            help=N_("Lease, licence, distribution, settlement…"),
            required=True,
            max_length=200,
            visible_when=VisibleWhen("contract_type", ("other",)),
        ),
        FormField(
            key="value",
            type="money",
            label=N_("Total value"),
            help=N_("Over the whole term, before VAT; 0 if nothing is paid."),
            required=True,
            min=0,
        ),
        FormField(
            key="currency", type="select", label=N_("Currency"), required=True, choices=CURRENCIES
        ),
        FormField(
            key="deadline",
            type="date",
            label=N_("Needs to be signed by"),
            help=(
                N_(
                    "Allow ten working days for a full review; the nearer the date, the higher "
                    "the priority. At least two working days from today."
                )
            ),
            required=True,
        ),
        BUSINESS_OWNER,
        FormField(
            key="paper",
            type="select",
            label=N_("Whose template is it?"),
            required=True,
            choices=(
                ("ours", N_("Ours")),
                ("theirs", N_("The counterparty's")),
            ),
        ),
        FormField(
            key="document",
            type="file",
            label=N_("The contract"),
            help=N_("Word format if you have it, so we can mark it up."),
            required=True,
        ),
        FormField(
            key="key_terms",
            type="textarea",
            label=N_("Anything unusual"),
            help=N_(
                "Exclusivity, uncapped liability, automatic renewal, penalties, data transfers…"
            ),
        ),
    )
)

CONTRACT_REVIEW = RequestType(
    key="legal.contract_review",
    department="legal",
    name=N_("Contract review"),
    description=N_("Have a contract reviewed, negotiated and approved for signature."),
    category=N_("Contracts"),
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
            label=N_("Counterparty"),
            help=N_("Full legal name, e.g. Acme Sp. z o.o."),
            required=True,
            max_length=300,
        ),
        FormField(
            key="counterparty_address",
            type="textarea",
            label=N_("Counterparty's registered address"),
            required=True,
            max_length=500,
        ),
        FormField(
            key="direction",
            type="select",
            label=N_("Who shares confidential information?"),
            required=True,
            choices=(
                ("mutual", N_("Both sides (mutual NDA)")),
                ("we_disclose", N_("Only we do")),
                ("they_disclose", N_("Only they do")),
            ),
        ),
        FormField(
            key="purpose",
            type="textarea",
            label=N_("Purpose"),
            help=N_("Why information is shared, e.g. 'evaluating a joint offer for a tender'."),
            required=True,
            max_length=1_000,
        ),
        BUSINESS_OWNER,
        FormField(
            key="signatory_name",
            type="text",
            label=N_("Counterparty's signatory"),
            required=True,
            max_length=200,
        ),
        FormField(
            key="signatory_email",
            type="email",
            label=N_("Signatory's email"),
            help=N_("The NDA goes there for electronic signature."),
            required=True,
        ),
        FormField(
            key="template_changed",
            type="checkbox",
            label=N_("The counterparty changed our template"),
            help=(
                N_(
                    "Tick it if they edited our NDA or sent comments on it: a lawyer then reviews "
                    "the changes. Unticked, a paralegal sends our template the same day."
                )
            ),
        ),
    )
)

STANDARD_NDA = RequestType(
    key="legal.nda",
    department="legal",
    name=N_("Standard NDA (fast track)"),
    description=(
        N_(
            "Our own NDA template, sent for e-signature within a working day; a lawyer looks "
            "only at changes the counterparty made to it. If the counterparty insists on its "
            "own paper, request a contract review instead."
        )
    ),
    category=N_("Contracts"),
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
            label=N_("Area of law"),
            required=True,
            choices=(
                ("commercial", N_("Commercial and contracts")),
                ("data_protection", N_("Data protection (GDPR)")),
                ("employment", N_("Employment")),
                ("ip", N_("Intellectual property")),
                ("competition", N_("Competition and consumer law")),
                ("regulatory", N_("Regulatory and compliance")),
                ("other", N_("Other or not sure")),
            ),
        ),
        FormField(
            key="needed_by",
            type="date",
            label=N_("Needed by"),
            help=N_("Tell us what happens on that date, in the description."),
        ),
        FormField(
            key="documents",
            type="file",
            label=N_("Supporting documents"),
            help=N_("Emails, drafts, letters received."),
        ),
    )
)

LEGAL_ADVICE = RequestType(
    key="legal.advice",
    department="legal",
    name=N_("Ask for legal advice"),
    description=N_("A legal question about a decision, a project, a letter you received."),
    category=N_("Advice"),
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
            label=N_("Type of matter"),
            required=True,
            choices=(
                ("litigation", N_("Litigation, or a claim threatened against us")),
                ("regulator", N_("Regulator inquiry, inspection or dawn raid")),
                ("investigation", N_("Internal investigation")),
                ("whistleblowing", N_("Whistleblowing report")),
                ("other", N_("Other sensitive matter")),
            ),
        ),
        FormField(
            key="other_parties",
            type="textarea",
            label=N_("Other parties and their lawyers"),
            max_length=2_000,
        ),
        FormField(
            key="next_deadline",
            type="date",
            label=N_("Next deadline"),
            help=N_("Court date, regulator's response date, limitation date."),
        ),
        FormField(
            key="preserve_documents",
            type="checkbox",
            label=N_("Documents must be preserved (legal hold)"),
            help=N_("Legal then tells IT to suspend deletion for the people involved."),
        ),
    )
)

PRIVILEGED_MATTER = RequestType(
    key="legal.privileged_matter",
    department="legal",
    name=N_("Privileged matter"),
    description=(
        N_(
            "Litigation, regulators, investigations and whistleblowing, handled under legal "
            "privilege by a restricted team."
        )
    ),
    category=N_("Confidential"),
    workflow="legal.matter",
    sla_policy="legal.matter",
    form=PRIVILEGED_MATTER_FORM,
    default_priority=Priority.P2,
    confidential_team=PRIVILEGED_TEAM,
    knowledge_space=KNOWLEDGE_SPACE,
)

REQUEST_TYPES = [CONTRACT_REVIEW, STANDARD_NDA, LEGAL_ADVICE, PRIVILEGED_MATTER]
