"""Polydesk's core: the public API a plugin uses.

Everything a plugin needs is re-exported here; anything else under
`polydesk.core` is internal and may change.
"""

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

__all__ = [
    "Action",
    "ApprovalDecided",
    "Assignment",
    "Calendar",
    "CommentAdded",
    "ConfigurationError",
    "Conflict",
    "Department",
    "Escalation",
    "Event",
    "Form",
    "FormField",
    "InvalidTransition",
    "KnowledgeSpace",
    "MenuLink",
    "NotFound",
    "PermissionDenied",
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
    "Transition",
    "ValidationFailed",
    "VisibleWhen",
    "Workflow",
    "hookimpl",
]
