"""A problem recorded as a known error becomes a draft help article.

The article carries the root cause and the workaround, so that agents (and,
once a lead publishes it, requesters) find the workaround while the problem is
still being fixed.
"""

from __future__ import annotations

from typing import Any

from polydesk.core import Desk, Message, TicketTransitioned

KNOWN_ERROR_TRANSITION = "record_known_error"


def is_known_error(event: Any) -> bool:
    return isinstance(event, TicketTransitioned) and event.transition == KNOWN_ERROR_TRANSITION


async def draft_known_error_article(event: TicketTransitioned, desk: Desk) -> None:
    problem = await desk.ticket(event.ticket_id)
    cause = problem.form_data.get("root_cause", "")
    workaround = problem.form_data.get("workaround", "")
    # An article is stored text that everyone reads alike: the organisation's language.
    body = desk.write(
        Message(
            "**Known error** (problem %(key)s).\n\n## Symptoms\n\n%(symptoms)s\n\n"
            "## Cause\n\n%(cause)s\n\n## Workaround\n\n%(workaround)s\n",
            key=problem.key,
            symptoms=problem.description or problem.title,
            cause=cause,
            workaround=workaround,
        )
    )
    title = desk.write(Message("Known error: %(title)s", title=problem.title))
    article = await desk.draft_article(problem.id, title=title, body_md=body, tags=("known-error",))
    if article is not None:
        await desk.comment(
            problem.id,
            Message("Draft help article #%(id)s written from this known error.", id=article.id),
        )
