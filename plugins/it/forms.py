"""IT's request forms: what each request type asks, as data the core validates."""

from __future__ import annotations

from polydesk.core import Form, FormField, VisibleWhen

SERVICES = (
    ("email", "Email and calendar (Microsoft 365)"),
    ("teams", "Teams and video calls"),
    ("vpn", "VPN / remote access"),
    ("wifi", "Office Wi-Fi and network"),
    ("workstation", "Laptop or desktop"),
    ("printing", "Printing and scanning"),
    ("file_shares", "File shares and SharePoint"),
    ("erp", "ERP (finance and purchasing)"),
    ("crm", "CRM"),
    ("phone", "Mobile phone"),
    ("other", "Something else"),
)

LEVELS_HELP = "High, medium or low; together they set the priority."

# -- Incident: something is broken ------------------------------------------

INCIDENT_FORM = Form(
    (
        FormField(
            key="affected_service",
            type="select",
            label="Affected service",
            required=True,
            choices=SERVICES,
        ),
        FormField(
            key="category",
            type="select",
            label="Category",
            required=True,
            choices=(
                ("hardware", "Hardware"),
                ("software", "Software or application"),
                ("network", "Network or connectivity"),
                ("access", "Login or permissions"),
                ("security", "Security (phishing, lost device, virus)"),
                ("other", "Other"),
            ),
        ),
        FormField(
            key="impact",
            type="select",
            label="Impact: who is affected?",
            help=LEVELS_HELP,
            required=True,
            choices=(
                ("high", "High: the whole company, a site or customers"),
                ("medium", "Medium: a team or a department"),
                ("low", "Low: just me"),
            ),
        ),
        FormField(
            key="urgency",
            type="select",
            label="Urgency: how badly is work blocked?",
            help=LEVELS_HELP,
            required=True,
            choices=(
                ("high", "High: work has stopped"),
                ("medium", "Medium: work is slowed down"),
                ("low", "Low: there is a workaround, it can wait"),
            ),
        ),
        FormField(
            key="asset_tag",
            type="text",
            label="Asset tag",
            help="The sticker on the device, e.g. LT-01234.",
            max_length=20,
            visible_when=VisibleWhen("category", ("hardware",)),
        ),
        FormField(
            key="error_message",
            type="textarea",
            label="Exact error message",
            help="Copy it or describe the screenshot; it speeds up the search.",
        ),
    )
)

# -- Service requests ---------------------------------------------------------

JUSTIFICATION = FormField(
    key="business_justification",
    type="textarea",
    label="Business justification",
    help="What you need it for; your manager and the budget owner read this.",
    required=True,
)

SOFTWARE_FORM = Form(
    (
        FormField(
            key="software",
            type="select",
            label="Software",
            required=True,
            choices=(
                ("visio", "Microsoft Visio"),
                ("project", "Microsoft Project"),
                ("acrobat_pro", "Adobe Acrobat Pro"),
                ("creative_cloud", "Adobe Creative Cloud"),
                ("jetbrains", "JetBrains IDE"),
                ("tableau", "Tableau Desktop"),
                ("other", "Other (name it below)"),
            ),
        ),
        FormField(
            key="software_other",
            type="text",
            label="Which software, and which edition?",
            required=True,
            max_length=200,
            visible_when=VisibleWhen("software", ("other",)),
        ),
        FormField(
            key="asset_tag",
            type="text",
            label="Install on (asset tag)",
            help="Leave empty for your main laptop.",
            max_length=20,
        ),
        JUSTIFICATION,
        FormField(key="needed_by", type="date", label="Needed by"),
    )
)

HARDWARE_FORM = Form(
    (
        FormField(
            key="item",
            type="select",
            label="What do you need?",
            required=True,
            choices=(
                ("laptop", "Laptop"),
                ("monitor", "Monitor"),
                ("docking_station", "Docking station"),
                ("keyboard_mouse", "Keyboard and mouse"),
                ("headset", "Headset"),
                ("mobile_phone", "Mobile phone"),
                ("other", "Other"),
            ),
        ),
        FormField(
            key="reason",
            type="select",
            label="Reason",
            required=True,
            choices=(
                ("replacement", "Replace a broken or lost device"),
                ("upgrade", "Upgrade: the current one is too slow or too small"),
                ("additional", "Additional equipment"),
            ),
        ),
        FormField(
            key="replaced_asset_tag",
            type="text",
            label="Asset tag of the device to replace",
            required=True,
            max_length=20,
            visible_when=VisibleWhen("reason", ("replacement",)),
        ),
        FormField(
            key="delivery_location",
            type="text",
            label="Deliver to",
            help="Office and desk, or a home address for remote staff.",
            required=True,
            max_length=300,
        ),
        JUSTIFICATION,
        FormField(key="needed_by", type="date", label="Needed by"),
    )
)

ACCESS_FORM = Form(
    (
        FormField(
            key="system",
            type="select",
            label="System",
            required=True,
            choices=(
                ("erp", "ERP (finance and purchasing)"),
                ("crm", "CRM"),
                ("file_share", "A shared folder or SharePoint site"),
                ("github", "GitHub organisation"),
                ("cloud", "Cloud console (AWS / Azure)"),
                ("vpn", "VPN"),
                ("other", "Other (name it below)"),
            ),
        ),
        FormField(
            key="system_detail",
            type="text",
            label="Which folder, site, repository or system exactly?",
            required=True,
            max_length=300,
            visible_when=VisibleWhen("system", ("file_share", "github", "cloud", "other")),
        ),
        FormField(
            key="access_level",
            type="select",
            label="Access level",
            required=True,
            choices=(
                ("read", "Read only"),
                ("write", "Read and write"),
                ("admin", "Administrator"),
            ),
        ),
        FormField(
            key="for_person",
            type="person",
            label="Who needs the access?",
            help="Leave empty if it is for you.",
        ),
        FormField(
            key="access_until",
            type="date",
            label="Temporary until",
            help="Leave empty for permanent access; it is reviewed every quarter.",
        ),
        JUSTIFICATION,
    )
)

PASSWORD_RESET_FORM = Form(
    (
        FormField(
            key="account",
            type="select",
            label="Account",
            required=True,
            choices=(
                ("company_login", "Company login (Windows, Microsoft 365)"),
                ("vpn", "VPN"),
                ("erp", "ERP"),
                ("crm", "CRM"),
                ("other", "Other"),
            ),
        ),
        FormField(
            key="problem",
            type="select",
            label="What happened?",
            required=True,
            choices=(
                ("forgotten", "I forgot my password"),
                ("locked", "My account is locked"),
                ("mfa", "New phone: reset my two-factor authentication"),
            ),
        ),
        FormField(
            key="callback_phone",
            type="text",
            label="Phone number we can call you on",
            help="We call back to confirm it is you before resetting anything.",
            required=True,
            max_length=30,
            pattern=r"\+?[0-9][0-9 ()-]{5,24}",
            example="+48 22 123 45 67",
        ),
    )
)

MAILBOX_CHOICES = (
    ("forward_to_manager", "Forward to the manager for 90 days"),
    ("auto_reply", "Auto-reply with a contact, then close"),
)

#: Raised by HR's offboarding (or a manager): everything goes on the last day.
ACCESS_REMOVAL_FORM = Form(
    (
        FormField(key="employee", type="person", label="Whose access is removed?", required=True),
        FormField(
            key="last_day",
            type="date",
            label="Last working day",
            help="The request is due at the end of this day.",
            required=True,
        ),
        FormField(
            key="removal",
            type="select",
            label="Remove access",
            required=True,
            choices=(
                ("end_of_last_day", "At the end of the last working day"),
                ("immediately", "Immediately (asked for by HR or Legal)"),
            ),
        ),
        FormField(
            key="mailbox",
            type="select",
            label="Their mailbox afterwards",
            required=True,
            choices=MAILBOX_CHOICES,
        ),
        FormField(
            key="equipment_return",
            type="textarea",
            label="Equipment to collect",
            help="Laptop, phone, tokens… and where they hand them in.",
        ),
    )
)

# -- Change and problem: raised mostly by IT staff ----------------------------

CHANGE_FORM = Form(
    (
        FormField(
            key="change_type",
            type="select",
            label="Change type",
            required=True,
            choices=(
                ("standard", "Standard: pre-approved, from the standard change list"),
                ("normal", "Normal: needs change advisory board approval"),
                ("emergency", "Emergency: fixes an ongoing P1/P2 incident"),
            ),
        ),
        FormField(
            key="affected_service",
            type="select",
            label="Affected service",
            required=True,
            choices=SERVICES,
        ),
        FormField(
            key="risk",
            type="select",
            label="Risk",
            required=True,
            choices=(
                ("low", "Low: no user impact expected"),
                ("medium", "Medium: short interruption possible"),
                ("high", "High: outage or data at risk if it fails"),
            ),
        ),
        FormField(key="window_start", type="date", label="Implementation starts", required=True),
        FormField(key="window_end", type="date", label="Implementation ends", required=True),
        FormField(
            key="emergency_incident",
            type="text",
            label="Incident this change fixes",
            help="Ticket key, e.g. IT-1042.",
            required=True,
            pattern=r"IT-[0-9]+",
            example="IT-1042",
            visible_when=VisibleWhen("change_type", ("emergency",)),
        ),
        FormField(
            key="implementation_plan",
            type="textarea",
            label="Implementation plan",
            required=True,
        ),
        FormField(
            key="rollback_plan",
            type="textarea",
            label="Rollback plan",
            help="How you undo it, and how long that takes.",
            required=True,
        ),
        FormField(key="test_plan", type="textarea", label="How you will verify it worked"),
    )
)

PROBLEM_FORM = Form(
    (
        FormField(
            key="affected_service",
            type="select",
            label="Affected service",
            required=True,
            choices=SERVICES,
        ),
        FormField(
            key="related_incidents",
            type="text",
            label="Related incidents",
            help="Ticket keys separated by commas, e.g. IT-1042, IT-1057.",
            max_length=500,
            pattern=r"IT-[0-9]+(\s*,\s*IT-[0-9]+)*",
            example="IT-1042, IT-1057",
        ),
        FormField(key="root_cause", type="textarea", label="Root cause, if known"),
        FormField(key="workaround", type="textarea", label="Workaround, if any"),
    )
)


def change_window_errors(form_data: dict) -> dict[str, str] | None:
    """A change window must not end before it starts (dates are ISO strings)."""
    start, end = form_data.get("window_start"), form_data.get("window_end")
    if start and end and end < start:
        return {"window_end": "The implementation window must end on or after its start."}
    return None
