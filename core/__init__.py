"""Polydesk's core: the public API a plugin uses.

Everything a plugin needs is re-exported here; anything else under
`polydesk.core` is internal and may change.
"""

from polydesk.core.desk import Desk
from polydesk.core.errors import (
    ConfigurationError,
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    PolydeskError,
    ValidationFailed,
)
from polydesk.core.events import (
    ApprovalDecided,
    ApprovalRequested,
    CommentAdded,
    Event,
    SLABreached,
    SLAWarning,
    TicketAssigned,
    TicketCreated,
    TicketTransitioned,
    TicketUpdated,
)
from polydesk.core.forms import Form, FormField, VisibleWhen
from polydesk.core.hookspecs import hookimpl
from polydesk.core.i18n import (
    N_,
    Message,
    Money,
    PluralMessage,
    gettext,
    lazy_gettext,
    ngettext,
    npgettext,
    pgettext,
)
from polydesk.core.permissions import Actor
from polydesk.core.specs import (
    Action,
    Assignment,
    Calendar,
    Department,
    Escalation,
    KnowledgeSpace,
    MenuLink,
    Priority,
    Queue,
    RequestType,
    SLAPolicy,
    SLATarget,
    State,
    TicketDraft,
    Transition,
    Workflow,
)
from polydesk.core.tickets.schemas import TicketView

__all__ = [
    "N_",
    "Action",
    "Actor",
    "ApprovalDecided",
    "ApprovalRequested",
    "Assignment",
    "Calendar",
    "CommentAdded",
    "ConfigurationError",
    "Conflict",
    "Department",
    "Desk",
    "Escalation",
    "Event",
    "Form",
    "FormField",
    "InvalidTransition",
    "KnowledgeSpace",
    "MenuLink",
    "Message",
    "Money",
    "NotFound",
    "PermissionDenied",
    "PluralMessage",
    "PolydeskError",
    "Priority",
    "Queue",
    "RequestType",
    "SLABreached",
    "SLAPolicy",
    "SLATarget",
    "SLAWarning",
    "State",
    "TicketAssigned",
    "TicketCreated",
    "TicketDraft",
    "TicketTransitioned",
    "TicketUpdated",
    "TicketView",
    "Transition",
    "ValidationFailed",
    "VisibleWhen",
    "Workflow",
    "gettext",
    "hookimpl",
    "lazy_gettext",
    "ngettext",
    "npgettext",
    "pgettext",
]
