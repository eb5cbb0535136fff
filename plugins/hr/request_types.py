"""HR's request catalog: one constant per request type, each next to its form."""

from __future__ import annotations

from polydesk.core import Form, FormField, Priority, RequestType, VisibleWhen

KNOWLEDGE_SPACE = "hr"

#: Confidential cases are visible to their requester and this team only.
CASE_TEAM = "case_team"

LOCATIONS = (
    ("warsaw", "Warsaw office"),
    ("krakow", "Kraków office"),
    ("gdansk", "Gdańsk office"),
    ("remote", "Remote"),
)

# -- Joiners and leavers -------------------------------------------------------

ONBOARDING_FORM = Form(
    (
        FormField(
            key="new_hire_name",
            type="text",
            label="New hire's full name",
            required=True,
            max_length=200,
            example="Zofia Nowak",
        ),
        FormField(
            key="personal_email",
            type="email",
            label="New hire's personal email",
            help="We send the first-day information here before they have a company account.",
        ),
        FormField(key="start_date", type="date", label="Start date", required=True),
        FormField(key="manager", type="person", label="Manager", required=True),
        FormField(
            key="job_title",
            type="text",
            label="Role (job title)",
            required=True,
            max_length=200,
            example="Payroll specialist",
        ),
        FormField(
            key="employment_type",
            type="select",
            label="Employment type",
            required=True,
            choices=(
                ("employee", "Employment contract"),
                ("fixed_term", "Fixed-term contract"),
                ("contractor", "Contractor (B2B)"),
                ("intern", "Internship"),
            ),
        ),
        FormField(
            key="location", type="select", label="Location", required=True, choices=LOCATIONS
        ),
        FormField(
            key="equipment",
            type="multiselect",
            label="Equipment",
            help="IT prepares it for the first day.",
            choices=(
                ("laptop", "Laptop"),
                ("monitor", "Monitor"),
                ("docking_station", "Docking station"),
                ("headset", "Headset"),
                ("mobile_phone", "Mobile phone"),
                ("access_card", "Office access card"),
            ),
        ),
        FormField(
            key="system_access",
            type="textarea",
            label="Systems and shared folders needed",
            help="For example: CRM (read), Finance shared folder, GitHub team 'payments'.",
        ),
    )
)

ONBOARDING = RequestType(
    key="hr.onboarding",
    department="hr",
    name="Onboard a new hire",
    description="Contract, equipment, accounts and a desk ready for someone's first day.",
    category="Joiners and leavers",
    workflow="hr.lifecycle",
    sla_policy="hr.onboarding",
    form=ONBOARDING_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

OFFBOARDING_FORM = Form(
    (
        FormField(key="employee", type="person", label="Who is leaving?", required=True),
        FormField(key="last_day", type="date", label="Last working day", required=True),
        FormField(
            key="reason",
            type="select",
            label="Reason",
            required=True,
            choices=(
                ("resignation", "Resignation"),
                ("end_of_contract", "End of a fixed-term contract"),
                ("mutual_agreement", "Mutual agreement"),
                ("dismissal", "Dismissal"),
                ("retirement", "Retirement"),
            ),
        ),
        FormField(
            key="access_removal",
            type="select",
            label="Remove access",
            help="Choose 'immediately' only when HR or Legal asked for it.",
            required=True,
            choices=(
                ("end_of_last_day", "At the end of the last working day"),
                ("immediately", "Immediately"),
            ),
        ),
        FormField(
            key="mailbox",
            type="select",
            label="Their mailbox afterwards",
            required=True,
            choices=(
                ("forward_to_manager", "Forward to the manager for 90 days"),
                ("auto_reply", "Auto-reply with a contact, then close"),
            ),
        ),
        FormField(
            key="equipment_return",
            type="textarea",
            label="Equipment to return",
            help="Laptop, phone, access card… and where they will hand them in.",
        ),
    )
)

OFFBOARDING = RequestType(
    key="hr.offboarding",
    department="hr",
    name="Offboard a leaver",
    description="Final pay, equipment return and access removal for someone leaving.",
    category="Joiners and leavers",
    workflow="hr.lifecycle",
    sla_policy="hr.offboarding",
    form=OFFBOARDING_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

# -- Everyday requests ----------------------------------------------------------

EMPLOYMENT_LETTER_FORM = Form(
    (
        FormField(
            key="letter_type",
            type="select",
            label="Letter",
            required=True,
            choices=(
                ("employment", "Confirmation of employment"),
                ("salary", "Confirmation of employment and salary (e.g. for a bank)"),
                ("visa", "Visa or residence permit support"),
                ("reference", "Reference letter"),
            ),
        ),
        FormField(
            key="addressed_to",
            type="text",
            label="Addressed to",
            help="Bank, embassy or office; leave empty for 'To whom it may concern'.",
            max_length=300,
        ),
        FormField(
            key="language",
            type="select",
            label="Language",
            required=True,
            choices=(("en", "English"), ("pl", "Polish")),
        ),
        FormField(
            key="delivery",
            type="select",
            label="Delivery",
            required=True,
            choices=(
                ("pdf", "PDF with an electronic signature, by email"),
                ("paper", "Signed paper copy, to collect from HR"),
            ),
        ),
        FormField(key="needed_by", type="date", label="Needed by"),
    )
)

EMPLOYMENT_LETTER = RequestType(
    key="hr.employment_letter",
    department="hr",
    name="Request an employment letter",
    description="Confirmation of employment or salary, visa support, reference letter.",
    category="Letters and documents",
    workflow="hr.standard",
    sla_policy="hr.standard",
    form=EMPLOYMENT_LETTER_FORM,
    default_priority=Priority.P4,
    knowledge_space=KNOWLEDGE_SPACE,
)

PAYROLL_FORM = Form(
    (
        FormField(
            key="topic",
            type="select",
            label="Topic",
            required=True,
            choices=(
                ("payslip", "My payslip or pay amount"),
                ("tax", "Tax (PIT-2, PIT-11, tax relief)"),
                ("overtime", "Overtime or on-call pay"),
                ("bank_account", "Change of bank account"),
                ("medical", "Private medical care"),
                ("sports_card", "Sports card"),
                ("pension", "PPK pension plan"),
                ("other", "Something else"),
            ),
        ),
        FormField(
            key="pay_period",
            type="text",
            label="Pay month concerned",
            help="As YYYY-MM, e.g. 2026-01.",
            max_length=7,
            pattern=r"[0-9]{4}-(0[1-9]|1[0-2])",
            example="2026-01",
            visible_when=VisibleWhen("topic", ("payslip", "tax", "overtime")),
        ),
    )
)

PAYROLL_QUESTION = RequestType(
    key="hr.payroll",
    department="hr",
    name="Ask about pay or benefits",
    description="Payslips, tax forms, overtime, bank details, medical care, sports card, PPK.",
    category="Pay and benefits",
    workflow="hr.standard",
    sla_policy="hr.standard",
    form=PAYROLL_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

LEAVE_FORM = Form(
    (
        FormField(
            key="leave_type",
            type="select",
            label="Type of leave",
            required=True,
            choices=(
                ("annual", "Annual leave"),
                ("on_demand", "Leave on demand (up to 4 days a year)"),
                ("occasional", "Occasional leave (wedding, birth, bereavement)"),
                ("childcare", "Childcare leave (2 days a year)"),
                ("force_majeure", "Force majeure leave (urgent family matter)"),
                ("unpaid", "Unpaid leave"),
            ),
        ),
        FormField(key="start_date", type="date", label="First day of leave", required=True),
        FormField(key="end_date", type="date", label="Last day of leave", required=True),
        FormField(
            key="occasion",
            type="text",
            label="Occasion",
            help="For example: my wedding, birth of my child, funeral of a grandparent.",
            required=True,
            max_length=200,
            visible_when=VisibleWhen("leave_type", ("occasional",)),
        ),
        FormField(
            key="cover",
            type="person",
            label="Who covers for you",
            help="Leave empty if nobody needs to.",
        ),
    )
)

LEAVE_REQUEST = RequestType(
    key="hr.leave",
    department="hr",
    name="Request leave",
    description="Annual, on-demand, occasional, childcare or unpaid leave; your manager approves.",
    category="Time off",
    workflow="hr.leave",
    sla_policy="hr.standard",
    form=LEAVE_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

# -- Confidential case ---------------------------------------------------------------

CASE_FORM = Form(
    (
        FormField(
            key="category",
            type="select",
            label="What is it about?",
            required=True,
            choices=(
                ("grievance", "A grievance about how I am treated at work"),
                ("harassment", "Harassment, bullying or discrimination"),
                ("investigation", "Something I think HR should investigate"),
                ("other", "Something else I want to raise in confidence"),
            ),
        ),
        FormField(
            key="people_involved",
            type="textarea",
            label="People involved",
            help="Names and roles, including any witnesses.",
        ),
        FormField(
            key="when_it_happened",
            type="date",
            label="When it happened",
            help="The most recent occasion if it happened more than once.",
        ),
        FormField(
            key="preferred_contact",
            type="select",
            label="How should we contact you?",
            required=True,
            choices=(
                ("portal", "Only through this ticket"),
                ("phone", "By phone"),
                ("in_person", "In person, away from my team"),
            ),
        ),
    )
)

CONFIDENTIAL_CASE = RequestType(
    key="hr.case",
    department="hr",
    name="Raise a confidential concern",
    description="Grievance, harassment or anything else you want HR to handle in confidence.",
    category="Confidential",
    workflow="hr.case",
    sla_policy="hr.case",
    form=CASE_FORM,
    default_priority=Priority.P2,
    confidential_team=CASE_TEAM,
    knowledge_space=KNOWLEDGE_SPACE,
)

REQUEST_TYPES = [
    ONBOARDING,
    OFFBOARDING,
    EMPLOYMENT_LETTER,
    PAYROLL_QUESTION,
    LEAVE_REQUEST,
    CONFIDENTIAL_CASE,
]


def leave_dates_errors(form_data: dict) -> dict[str, str] | None:
    """Leave must not end before it starts (dates are ISO strings)."""
    start, end = form_data.get("start_date"), form_data.get("end_date")
    if start and end and end < start:
        return {"end_date": "The last day of leave must be on or after the first day."}
    return None
