"""IT's request forms: what each request type asks, as data the core validates."""

from __future__ import annotations

from polydesk.core import N_, Form, FormField, VisibleWhen
from polydesk.core import gettext as _

SERVICES = (
    ("email", N_("Email and calendar (Microsoft 365)")),
    ("teams", N_("Teams and video calls")),
    ("vpn", N_("VPN / remote access")),
    ("wifi", N_("Office Wi-Fi and network")),
    ("workstation", N_("Laptop or desktop")),
    ("printing", N_("Printing and scanning")),
    ("file_shares", N_("File shares and SharePoint")),
    ("erp", N_("ERP (finance and purchasing)")),
    ("crm", N_("CRM")),
    ("phone", N_("Mobile phone")),
    ("other", N_("Something else")),
)

LEVELS_HELP = N_("High, medium or low; together they set the priority.")

# -- Incident: something is broken ------------------------------------------

INCIDENT_FORM = Form(
    (
        FormField(
            key="affected_service",
            type="select",
            label=N_("Affected service"),
            required=True,
            choices=SERVICES,
        ),
        FormField(
            key="category",
            type="select",
            label=N_("Category"),
            required=True,
            choices=(
                ("hardware", N_("Hardware")),
                ("software", N_("Software or application")),
                ("network", N_("Network or connectivity")),
                ("access", N_("Login or permissions")),
                ("security", N_("Security (phishing, lost device, virus)")),
                ("other", N_("Other")),
            ),
        ),
        FormField(
            key="impact",
            type="select",
            label=N_("Impact: who is affected?"),
            help=LEVELS_HELP,
            required=True,
            choices=(
                ("high", N_("High: the whole company, a site or customers")),
                ("medium", N_("Medium: a team or a department")),
                ("low", N_("Low: just me")),
            ),
        ),
        FormField(
            key="urgency",
            type="select",
            label=N_("Urgency: how badly is work blocked?"),
            help=LEVELS_HELP,
            required=True,
            choices=(
                ("high", N_("High: work has stopped")),
                ("medium", N_("Medium: work is slowed down")),
                ("low", N_("Low: there is a workaround, it can wait")),
            ),
        ),
        FormField(
            key="asset_tag",
            type="text",
            label=N_("Asset tag"),
            help=N_("The sticker on the device, e.g. LT-01234."),
            max_length=20,
            visible_when=VisibleWhen("category", ("hardware",)),
        ),
        FormField(
            key="error_message",
            type="textarea",
            label=N_("Exact error message"),
            help=N_("Copy it or describe the screenshot; it speeds up the search."),
        ),
    )
)

# -- Service requests ---------------------------------------------------------

JUSTIFICATION = FormField(
    key="business_justification",
    type="textarea",
    label=N_("Business justification"),
    help=N_("What you need it for; your manager and the budget owner read this."),
    required=True,
)

SOFTWARE_FORM = Form(
    (
        FormField(
            key="software",
            type="select",
            label=N_("Software"),
            required=True,
            choices=(
                ("visio", N_("Microsoft Visio")),
                ("project", N_("Microsoft Project")),
                ("acrobat_pro", N_("Adobe Acrobat Pro")),
                ("creative_cloud", N_("Adobe Creative Cloud")),
                ("jetbrains", N_("JetBrains IDE")),
                ("tableau", N_("Tableau Desktop")),
                ("other", N_("Other (name it below)")),
            ),
        ),
        FormField(
            key="software_other",
            type="text",
            label=N_("Which software, and which edition?"),
            required=True,
            max_length=200,
            visible_when=VisibleWhen("software", ("other",)),
        ),
        FormField(
            key="asset_tag",
            type="text",
            label=N_("Install on (asset tag)"),
            help=N_("Leave empty for your main laptop."),
            max_length=20,
        ),
        JUSTIFICATION,
        FormField(key="needed_by", type="date", label=N_("Needed by")),
    )
)

HARDWARE_FORM = Form(
    (
        FormField(
            key="item",
            type="select",
            label=N_("What do you need?"),
            required=True,
            choices=(
                ("laptop", N_("Laptop")),
                ("monitor", N_("Monitor")),
                ("docking_station", N_("Docking station")),
                ("keyboard_mouse", N_("Keyboard and mouse")),
                ("headset", N_("Headset")),
                ("mobile_phone", N_("Mobile phone")),
                ("other", N_("Other")),
            ),
        ),
        FormField(
            key="reason",
            type="select",
            label=N_("Reason"),
            required=True,
            choices=(
                ("replacement", N_("Replace a broken or lost device")),
                ("upgrade", N_("Upgrade: the current one is too slow or too small")),
                ("additional", N_("Additional equipment")),
            ),
        ),
        FormField(
            key="replaced_asset_tag",
            type="text",
            label=N_("Asset tag of the device to replace"),
            required=True,
            max_length=20,
            visible_when=VisibleWhen("reason", ("replacement",)),
        ),
        FormField(
            key="delivery_location",
            type="text",
            label=N_("Deliver to"),
            help=N_("Office and desk, or a home address for remote staff."),
            required=True,
            max_length=300,
        ),
        JUSTIFICATION,
        FormField(key="needed_by", type="date", label=N_("Needed by")),
    )
)

ACCESS_FORM = Form(
    (
        FormField(
            key="system",
            type="select",
            label=N_("System"),
            required=True,
            choices=(
                ("erp", N_("ERP (finance and purchasing)")),
                ("crm", N_("CRM")),
                ("file_share", N_("A shared folder or SharePoint site")),
                ("github", N_("GitHub organisation")),
                ("cloud", N_("Cloud console (AWS / Azure)")),
                ("vpn", N_("VPN")),
                ("other", N_("Other (name it below)")),
            ),
        ),
        FormField(
            key="system_detail",
            type="text",
            label=N_("Which folder, site, repository or system exactly?"),
            required=True,
            max_length=300,
            visible_when=VisibleWhen("system", ("file_share", "github", "cloud", "other")),
        ),
        FormField(
            key="access_level",
            type="select",
            label=N_("Access level"),
            required=True,
            choices=(
                ("read", N_("Read only")),
                ("write", N_("Read and write")),
                ("admin", N_("Administrator")),
            ),
        ),
        FormField(
            key="for_person",
            type="person",
            label=N_("Who needs the access?"),
            help=N_("Leave empty if it is for you."),
        ),
        FormField(
            key="access_until",
            type="date",
            label=N_("Temporary until"),
            help=N_("Leave empty for permanent access; it is reviewed every quarter."),
        ),
        JUSTIFICATION,
    )
)

PASSWORD_RESET_FORM = Form(
    (
        FormField(
            key="account",
            type="select",
            label=N_("Account"),
            required=True,
            choices=(
                ("company_login", N_("Company login (Windows, Microsoft 365)")),
                ("vpn", N_("VPN")),
                ("erp", N_("ERP")),
                ("crm", N_("CRM")),
                ("other", N_("Other")),
            ),
        ),
        FormField(
            key="problem",
            type="select",
            label=N_("What happened?"),
            required=True,
            choices=(
                ("forgotten", N_("I forgot my password")),
                ("locked", N_("My account is locked")),
                ("mfa", N_("New phone: reset my two-factor authentication")),
            ),
        ),
        FormField(
            key="callback_phone",
            type="text",
            label=N_("Phone number we can call you on"),
            help=N_("We call back to confirm it is you before resetting anything."),
            required=True,
            max_length=30,
            pattern=r"\+?[0-9][0-9 ()-]{5,24}",
            example="+48 22 123 45 67",
        ),
    )
)

MAILBOX_CHOICES = (
    ("forward_to_manager", N_("Forward to the manager for 90 days")),
    ("auto_reply", N_("Auto-reply with a contact, then close")),
)

#: Raised by HR's offboarding (or a manager): everything goes on the last day.
ACCESS_REMOVAL_FORM = Form(
    (
        FormField(
            key="employee", type="person", label=N_("Whose access is removed?"), required=True
        ),
        FormField(
            key="last_day",
            type="date",
            label=N_("Last working day"),
            help=N_("The request is due at the end of this day."),
            required=True,
        ),
        FormField(
            key="removal",
            type="select",
            label=N_("Remove access"),
            required=True,
            choices=(
                ("end_of_last_day", N_("At the end of the last working day")),
                ("immediately", N_("Immediately (asked for by HR or Legal)")),
            ),
        ),
        FormField(
            key="mailbox",
            type="select",
            label=N_("Their mailbox afterwards"),
            required=True,
            choices=MAILBOX_CHOICES,
        ),
        FormField(
            key="equipment_return",
            type="textarea",
            label=N_("Equipment to collect"),
            help=N_("Laptop, phone, tokens… and where they hand them in."),
        ),
    )
)

# -- Change and problem: raised mostly by IT staff ----------------------------

CHANGE_FORM = Form(
    (
        FormField(
            key="change_type",
            type="select",
            label=N_("Change type"),
            required=True,
            choices=(
                ("standard", N_("Standard: pre-approved, from the standard change list")),
                ("normal", N_("Normal: needs change advisory board approval")),
                ("emergency", N_("Emergency: fixes an ongoing P1/P2 incident")),
            ),
        ),
        FormField(
            key="affected_service",
            type="select",
            label=N_("Affected service"),
            required=True,
            choices=SERVICES,
        ),
        FormField(
            key="risk",
            type="select",
            label=N_("Risk"),
            required=True,
            choices=(
                ("low", N_("Low: no user impact expected")),
                ("medium", N_("Medium: short interruption possible")),
                ("high", N_("High: outage or data at risk if it fails")),
            ),
        ),
        FormField(
            key="window_start", type="date", label=N_("Implementation starts"), required=True
        ),
        FormField(key="window_end", type="date", label=N_("Implementation ends"), required=True),
        FormField(
            key="emergency_incident",
            type="text",
            label=N_("Incident this change fixes"),
            help=N_("Ticket key, e.g. IT-1042."),
            required=True,
            pattern=r"IT-[0-9]+",
            example="IT-1042",
            visible_when=VisibleWhen("change_type", ("emergency",)),
        ),
        FormField(
            key="implementation_plan",
            type="textarea",
            label=N_("Implementation plan"),
            required=True,
        ),
        FormField(
            key="rollback_plan",
            type="textarea",
            label=N_("Rollback plan"),
            help=N_("How you undo it, and how long that takes."),
            required=True,
        ),
        FormField(key="test_plan", type="textarea", label=N_("How you will verify it worked")),
    )
)

PROBLEM_FORM = Form(
    (
        FormField(
            key="affected_service",
            type="select",
            label=N_("Affected service"),
            required=True,
            choices=SERVICES,
        ),
        FormField(
            key="related_incidents",
            type="text",
            label=N_("Related incidents"),
            help=N_("Ticket keys separated by commas, e.g. IT-1042, IT-1057."),
            max_length=500,
            pattern=r"IT-[0-9]+(\s*,\s*IT-[0-9]+)*",
            example="IT-1042, IT-1057",
        ),
        FormField(key="root_cause", type="textarea", label=N_("Root cause, if known")),
        FormField(key="workaround", type="textarea", label=N_("Workaround, if any")),
    )
)


def change_window_errors(form_data: dict) -> dict[str, str] | None:
    """A change window must not end before it starts (dates are ISO strings)."""
    start, end = form_data.get("window_start"), form_data.get("window_end")
    if start and end and end < start:
        return {"window_end": _("The implementation window must end on or after its start.")}
    return None
