"""Ticket to article: a resolved ticket's question and answer as a draft."""

from __future__ import annotations

from polydesk.core.tickets.schemas import TicketView, TimelineEntry

DONE = ("resolved", "closed")
PLACEHOLDER = "_Write the answer here._"


def resolution(timeline: list[TimelineEntry]) -> str:
    """The answer: what was written when the ticket was resolved (the comment and
    any free-text field of that transition), else the last public agent reply."""
    for entry in reversed(timeline):
        if entry.kind == "transition" and entry.data.get("category") in DONE:
            fields = entry.data.get("fields") or {}
            notes = [entry.body, *(v for v in fields.values() if isinstance(v, str) and " " in v)]
            text = "\n\n".join(n.strip() for n in notes if n and n.strip())
            if text:
                return text
    for entry in reversed(timeline):
        if entry.kind == "reply" and entry.public and entry.data.get("by_agent"):
            return entry.body.strip()
    return ""


def draft_from_ticket(ticket: TicketView, timeline: list[TimelineEntry]) -> tuple[str, str]:
    """Title and Markdown body for the article a ticket becomes."""
    parts = []
    if ticket.description.strip():
        parts += ["## The question", "", ticket.description.strip(), ""]
    parts += ["## The answer", "", resolution(timeline) or PLACEHOLDER, ""]
    return ticket.title, "\n".join(parts)
