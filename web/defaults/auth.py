"""Default actor resolution: an API token, else the session cookie (trylast)."""

from __future__ import annotations

from typing import Any

from polydesk.core.hookspecs import hookimpl
from polydesk.core.people.services import actor_for_token, load_actor
from polydesk.core.permissions import Actor
from polydesk.web.csrf import bearer_token

SESSION_KEY = "person_id"


@hookimpl(trylast=True)
async def polydesk_actor_from_request(request: Any) -> Actor | None:
    token = bearer_token(request.scope.get("headers", []))
    if token is not None:
        # A request that presents a token is judged by the token alone.
        return await actor_for_token(token)
    if "session" not in request.scope:
        return None
    person = request.session.get(SESSION_KEY)
    if not isinstance(person, int):
        return None
    return await load_actor(person)
