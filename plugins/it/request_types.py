"""IT's request catalog: one constant per request type."""

from __future__ import annotations

from polydesk.core import N_, Priority, RequestType
from polydesk.plugins.it.forms import (
    ACCESS_FORM,
    ACCESS_REMOVAL_FORM,
    CHANGE_FORM,
    HARDWARE_FORM,
    INCIDENT_FORM,
    PASSWORD_RESET_FORM,
    PROBLEM_FORM,
    SOFTWARE_FORM,
)

KNOWLEDGE_SPACE = "it"

# -- Incident: something is broken ------------------------------------------

INCIDENT = RequestType(
    key="it.incident",
    department="it",
    name=N_("Report an incident"),
    description=N_("Something is broken or not working as it should."),
    category=N_("Something is broken"),
    workflow="it.incident",
    sla_policy="it.incident",
    form=INCIDENT_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

# -- Service requests ---------------------------------------------------------

SOFTWARE_REQUEST = RequestType(
    key="it.software",
    department="it",
    name=N_("Request software"),
    description=N_("A licence or an installation of software from the catalog or beyond."),
    category=N_("Request something"),
    workflow="it.service_request",
    sla_policy="it.service_request",
    form=SOFTWARE_FORM,
    default_priority=Priority.P4,
    knowledge_space=KNOWLEDGE_SPACE,
)

HARDWARE_REQUEST = RequestType(
    key="it.hardware",
    department="it",
    name=N_("Request hardware"),
    description=N_("A laptop, monitor, headset, phone or other equipment."),
    category=N_("Request something"),
    workflow="it.service_request",
    sla_policy="it.service_request",
    form=HARDWARE_FORM,
    default_priority=Priority.P4,
    knowledge_space=KNOWLEDGE_SPACE,
)

ACCESS_REQUEST = RequestType(
    key="it.access",
    department="it",
    name=N_("Request access to a system"),
    description=N_("Permissions for an application, a shared folder or a repository."),
    category=N_("Request something"),
    workflow="it.access_request",
    sla_policy="it.service_request",
    form=ACCESS_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

PASSWORD_RESET = RequestType(
    key="it.password_reset",
    department="it",
    name=N_("Password reset or account unlock"),
    description=N_("Locked out, forgotten password or a new phone for two-factor sign-in."),
    category=N_("Accounts and access"),
    workflow="it.fast_track",
    sla_policy="it.service_request",
    form=PASSWORD_RESET_FORM,
    default_priority=Priority.P2,
    knowledge_space=KNOWLEDGE_SPACE,
)

ACCESS_REMOVAL = RequestType(
    key="it.access_removal",
    department="it",
    name=N_("Remove a leaver's access"),
    description=N_(
        "Disable accounts, hand over the mailbox and collect equipment on the last day."
    ),
    category=N_("Accounts and access"),
    workflow="it.access_removal",
    sla_policy="it.access_removal",
    form=ACCESS_REMOVAL_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

# -- Change and problem: raised mostly by IT staff ----------------------------

CHANGE_REQUEST = RequestType(
    key="it.change",
    department="it",
    name=N_("Change request"),
    description=N_("Plan a change to a production service (for IT staff)."),
    category=N_("For IT staff"),
    agents_only=True,
    workflow="it.change",
    sla_policy="it.internal",
    form=CHANGE_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

PROBLEM = RequestType(
    key="it.problem",
    department="it",
    name=N_("Problem"),
    description=N_("Find and remove the cause of recurring incidents (for IT staff)."),
    category=N_("For IT staff"),
    agents_only=True,
    workflow="it.problem",
    sla_policy="it.internal",
    form=PROBLEM_FORM,
    default_priority=Priority.P3,
    knowledge_space=KNOWLEDGE_SPACE,
)

REQUEST_TYPES = [
    INCIDENT,
    SOFTWARE_REQUEST,
    HARDWARE_REQUEST,
    ACCESS_REQUEST,
    PASSWORD_RESET,
    ACCESS_REMOVAL,
    CHANGE_REQUEST,
    PROBLEM,
]
