"""Default routing: every ticket lands in its department's general group."""

from polydesk.core.hookspecs import hookimpl
from polydesk.core.specs import Assignment, TicketDraft


@hookimpl(trylast=True)
def polydesk_route_ticket(draft: TicketDraft) -> Assignment:
    return Assignment(group="general")
