"""The agent workspace: queues, the ticket list and the ticket page."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.response import Template

from polydesk.web.rendering import page, require_actor


class AgentController(Controller):
    path = "/agent"
    include_in_schema = False

    @get("/")
    async def workspace(self, request: Request) -> Template:
        await require_actor(request)
        return await page(request, "agent/workspace.html")
