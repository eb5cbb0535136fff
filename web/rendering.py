"""Rendering pages: every page gets the same base context, gathered before rendering.

Templates never call hooks or the database; handlers (through `page`) resolve
everything first. `BASE_CONTEXT_KEYS` lists what every page receives.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from polydesk.core.errors import AuthenticationRequired
from polydesk.core.hookcalls import gather_flat
from polydesk.core.permissions import Actor
from polydesk.core.runtime import Snapshot
from polydesk.core.specs import Priority
from polydesk.web.deps import optional_actor_of, snapshot_of

BASE_CONTEXT_KEYS = ("actor", "nav", "menu_links", "departments", "current_path", "priorities")


def navigation(actor: Actor | None) -> list[dict[str, str]]:
    """The main navigation for this person's roles."""
    if actor is None:
        return [{"href": "/", "label": "Portal"}]
    links = [{"href": "/", "label": "Portal"}, {"href": "/requests", "label": "My requests"}]
    if actor.agent_departments or actor.is_admin:
        links.append({"href": "/agent", "label": "Workspace"})
    if actor.is_admin:
        links.append({"href": "/admin", "label": "Admin"})
    return links


async def base_context(request: Request) -> dict[str, Any]:
    snapshot: Snapshot = await snapshot_of(request)
    actor = await optional_actor_of(request)
    return {
        "actor": actor,
        "nav": navigation(actor),
        "menu_links": await gather_flat(
            snapshot.hook("polydesk_menu_links")(request=request, actor=actor)
        ),
        "departments": snapshot.enabled_departments(),
        "current_path": request.url.path,
        "priorities": {p.value: p.label for p in Priority},
    }


async def page(
    request: Request,
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> Template:
    """A full page, or for htmx requests whatever `template_name` renders (pass a
    `_partial.html` name for fragments). The base context is always included."""
    return Template(
        template_name=template_name,
        context={**await base_context(request), **(context or {})},
        status_code=status_code,
    )


async def require_actor(request: Request) -> Actor:
    """The logged-in person; anonymous visitors are sent to the login page."""
    actor = await optional_actor_of(request)
    if actor is None:
        raise AuthenticationRequired("Log in to continue.")
    return actor


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"
