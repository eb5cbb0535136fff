"""The admin console: plugins, departments, people and roles, SLA calendars and policies."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.response import Template

from polydesk.core.errors import NotFound
from polydesk.web.rendering import page, require_actor


class AdminController(Controller):
    path = "/admin"
    include_in_schema = False

    @get("/")
    async def console(self, request: Request) -> Template:
        actor = await require_actor(request)
        if not actor.is_admin:
            raise NotFound("No such page.")
        return await page(request, "admin/console.html")
