"""HR's request catalog: one constant per request type, each next to its form."""

from __future__ import annotations

from polydesk.core import N_, Form, FormField, Priority, RequestType, VisibleWhen
from polydesk.core import gettext as _

KNOWLEDGE_SPACE = "hr"

#: Confidential cases are visible to their requester and this team only.
CASE_TEAM = "case_team"

LOCATIONS = (
    ("warsaw", N_("Warsaw office")),
    ("krakow", N_("Kraków office")),
    ("gdansk", N_("Gdańsk office")),
    ("remote", N_("Remote")),
)

# -- Joiners and leavers -------------------------------------------------------

ONBOARDING_FORM = Form(
    (
        FormField(
            key="new_hire_name",
            type="text",
            label=N_("New hire's full name"),
            required=True,
            max_length=200,
            example=N_("Zofia Nowak"),
        ),
        FormField(
            key="personal_email",
            type="email",
            label=N_("New hire's personal email"),
            help=N_("We send the first-day information here before they have a company account."),
        ),
        FormField(key="start_date", type="date", label=N_("Start date"), required=True),
        FormField(key="manager", type="person", label=N_("Manager"), required=True),
        FormField(
            key="job_title",
            type="text",
            label=N_("Role (job title)"),
            required=True,
            max_length=200,
            example=N_("Payroll specialist"),
        ),
        FormField(
            key="employment_type",
            type="select",
            label=N_("Employment type"),
            required=True,
            choices=(
                ("employee", N_("Employment contract")),
                ("fixed_term", N_("Fixed-term contract")),
                ("contractor", N_("Contractor (B2B)")),
                ("intern", N_("Internship")),
            ),
        ),
        FormField(
            key="location", type="select", label=N_("Location"), required=True, choices=LOCATIONS
        ),
        FormField(
            key="equipment",
            type="multiselect",
            label=N_("Equipment"),
            help=N_("IT prepares it for the first day."),
            choices=(
                ("laptop", N_("Laptop")),
                ("monitor", N_("Monitor")),
                ("docking_station", N_("Docking station")),
                ("headset", N_("Headset")),
                ("mobile_phone", N_("Mobile phone")),
                ("access_card", N_("Office access card")),
            ),
        ),
        FormField(
            key="system_access",
            type="textarea",
            label=N_("Systems and shared folders needed"),
            help=N_("For example: CRM (read), Finance shared folder, GitHub team 'payments'."),
        ),
    )
)

ONBOARDING = RequestType(
    key="hr.onboarding",
    department="hr",
    name=N_("Onboard a new hire"),
    description=N_("Contract, equipment, accounts and a desk ready for someone's first day."),
    category=N_("Joiners and leavers"),
    workflow="hr.lifecycle",
    sla_policy="hr.onboarding",
    form=ONBOARDING_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

OFFBOARDING_FORM = Form(
    (
        FormField(key="employee", type="person", label=N_("Who is leaving?"), required=True),
        FormField(key="last_day", type="date", label=N_("Last working day"), required=True),
        FormField(
            key="reason",
            type="select",
            label=N_("Reason"),
            required=True,
            choices=(
                ("resignation", N_("Resignation")),
                ("end_of_contract", N_("End of a fixed-term contract")),
                ("mutual_agreement", N_("Mutual agreement")),
                ("dismissal", N_("Dismissal")),
                ("retirement", N_("Retirement")),
            ),
        ),
        FormField(
            key="access_removal",
            type="select",
            label=N_("Remove access"),
            help=N_("Choose 'immediately' only when HR or Legal asked for it."),
            required=True,
            choices=(
                ("end_of_last_day", N_("At the end of the last working day")),
                ("immediately", N_("Immediately")),
            ),
        ),
        FormField(
            key="mailbox",
            type="select",
            label=N_("Their mailbox afterwards"),
            required=True,
            choices=(
                ("forward_to_manager", N_("Forward to the manager for 90 days")),
                ("auto_reply", N_("Auto-reply with a contact, then close")),
            ),
        ),
        FormField(
            key="equipment_return",
            type="textarea",
            label=N_("Equipment to return"),
            help=N_("Laptop, phone, access card… and where they will hand them in."),
        ),
    )
)

OFFBOARDING = RequestType(
    key="hr.offboarding",
    department="hr",
    name=N_("Offboard a leaver"),
    description=N_("Final pay, equipment return and access removal for someone leaving."),
    category=N_("Joiners and leavers"),
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
            label=N_("Letter"),
            required=True,
            choices=(
                ("employment", N_("Confirmation of employment")),
                ("salary", N_("Confirmation of employment and salary (e.g. for a bank)")),
                ("visa", N_("Visa or residence permit support")),
                ("reference", N_("Reference letter")),
            ),
        ),
        FormField(
            key="addressed_to",
            type="text",
            label=N_("Addressed to"),
            help=N_("Bank, embassy or office; leave empty for 'To whom it may concern'."),
            max_length=300,
        ),
        FormField(
            key="language",
            type="select",
            label=N_("Language"),
            required=True,
            choices=(("en", N_("English")), ("pl", N_("Polish"))),
        ),
        FormField(
            key="delivery",
            type="select",
            label=N_("Delivery"),
            required=True,
            choices=(
                ("pdf", N_("PDF with an electronic signature, by email")),
                ("paper", N_("Signed paper copy, to collect from HR")),
            ),
        ),
        FormField(key="needed_by", type="date", label=N_("Needed by")),
    )
)

EMPLOYMENT_LETTER = RequestType(
    key="hr.employment_letter",
    department="hr",
    name=N_("Request an employment letter"),
    description=N_("Confirmation of employment or salary, visa support, reference letter."),
    category=N_("Letters and documents"),
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
            label=N_("Topic"),
            required=True,
            choices=(
                ("payslip", N_("My payslip or pay amount")),
                ("tax", N_("Tax (PIT-2, PIT-11, tax relief)")),
                ("overtime", N_("Overtime or on-call pay")),
                ("bank_account", N_("Change of bank account")),
                ("medical", N_("Private medical care")),
                ("sports_card", N_("Sports card")),
                ("pension", N_("PPK pension plan")),
                ("other", N_("Something else")),
            ),
        ),
        FormField(
            key="pay_period",
            type="text",
            label=N_("Pay month concerned"),
            help=N_("As YYYY-MM, e.g. 2026-01."),
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
    name=N_("Ask about pay or benefits"),
    description=N_("Payslips, tax forms, overtime, bank details, medical care, sports card, PPK."),
    category=N_("Pay and benefits"),
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
            label=N_("Type of leave"),
            required=True,
            choices=(
                ("annual", N_("Annual leave")),
                ("on_demand", N_("Leave on demand (up to 4 days a year)")),
                ("occasional", N_("Occasional leave (wedding, birth, bereavement)")),
                ("childcare", N_("Childcare leave (2 days a year)")),
                ("force_majeure", N_("Force majeure leave (urgent family matter)")),
                ("unpaid", N_("Unpaid leave")),
            ),
        ),
        FormField(key="start_date", type="date", label=N_("First day of leave"), required=True),
        FormField(key="end_date", type="date", label=N_("Last day of leave"), required=True),
        FormField(
            key="occasion",
            type="text",
            label=N_("Occasion"),
            help=N_("For example: my wedding, birth of my child, funeral of a grandparent."),
            required=True,
            max_length=200,
            visible_when=VisibleWhen("leave_type", ("occasional",)),
        ),
        FormField(
            key="cover",
            type="person",
            label=N_("Who covers for you"),
            help=N_("Leave empty if nobody needs to."),
        ),
    )
)

LEAVE_REQUEST = RequestType(
    key="hr.leave",
    department="hr",
    name=N_("Request leave"),
    description=N_(
        "Annual, on-demand, occasional, childcare or unpaid leave; your manager approves."
    ),
    category=N_("Time off"),
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
            label=N_("What is it about?"),
            required=True,
            choices=(
                ("grievance", N_("A grievance about how I am treated at work")),
                ("harassment", N_("Harassment, bullying or discrimination")),
                ("investigation", N_("Something I think HR should investigate")),
                ("other", N_("Something else I want to raise in confidence")),
            ),
        ),
        FormField(
            key="people_involved",
            type="textarea",
            label=N_("People involved"),
            help=N_("Names and roles, including any witnesses."),
        ),
        FormField(
            key="when_it_happened",
            type="date",
            label=N_("When it happened"),
            help=N_("The most recent occasion if it happened more than once."),
        ),
        FormField(
            key="preferred_contact",
            type="select",
            label=N_("How should we contact you?"),
            required=True,
            choices=(
                ("portal", N_("Only through this ticket")),
                ("phone", N_("By phone")),
                ("in_person", N_("In person, away from my team")),
            ),
        ),
    )
)

CONFIDENTIAL_CASE = RequestType(
    key="hr.case",
    department="hr",
    name=N_("Raise a confidential concern"),
    description=N_("Grievance, harassment or anything else you want HR to handle in confidence."),
    category=N_("Confidential"),
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
        return {"end_date": _("The last day of leave must be on or after the first day.")}
    return None
