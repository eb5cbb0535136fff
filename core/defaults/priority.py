"""Default prioritisation: the request type's default priority."""

from polydesk.core.hookspecs import hookimpl
from polydesk.core.specs import Priority, TicketDraft


@hookimpl(trylast=True)
def polydesk_priority(draft: TicketDraft) -> Priority:
    return draft.request_type.default_priority
