"""The self-service portal: home, department portals, request forms, my requests."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.response import Template

from polydesk.web.deps import snapshot_of
from polydesk.web.rendering import page


class PortalController(Controller):
    include_in_schema = False

    @get("/")
    async def home(self, request: Request) -> Template:
        snapshot = await snapshot_of(request)
        cards = [
            {"department": d, "request_types": snapshot.catalog(d.slug)}
            for d in snapshot.enabled_departments()
        ]
        return await page(request, "portal/home.html", {"cards": cards})
