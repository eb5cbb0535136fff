"""`/api/v1/sla`: admins read and edit SLA calendars and policies."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody

from polydesk.core.permissions import Actor
from polydesk.core.runtime import Snapshot
from polydesk.core.sla import admin
from polydesk.web.controllers.api_session import client_address
from polydesk.web.deps import provide_actor, provide_snapshot


class SLAController(Controller):
    path = "/api/v1/sla"
    tags = ["admin"]
    dependencies = {"actor": Provide(provide_actor), "snapshot": Provide(provide_snapshot)}

    @get("/calendars")
    async def list_calendars(
        self, actor: NamedDependency[Actor], snapshot: NamedDependency[Snapshot]
    ) -> list[dict[str, Any]]:
        """Business calendars with their working hours, time zone and holidays."""
        admin.require_admin(actor)
        return admin.describe_calendars(snapshot)

    @put("/calendars/{key:str}")
    async def update_calendar(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        snapshot: NamedDependency[Snapshot],
        key: FromPath[str],
        data: JSONBody[dict[str, Any]],
    ) -> dict[str, Any]:
        """Edit a calendar (any of name, timezone, hours, holidays_country,
        holidays_subdivision, custom_holidays, special_days). Clocks follow."""
        updated = await admin.edit(
            snapshot, actor, "calendar", key, data, client_address=client_address(request)
        )
        return next(c for c in admin.describe_calendars(updated) if c["key"] == key)

    @delete("/calendars/{key:str}", status_code=200)
    async def reset_calendar(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        snapshot: NamedDependency[Snapshot],
        key: FromPath[str],
    ) -> dict[str, Any]:
        """Restore the plugin's default calendar."""
        updated = await admin.edit(
            snapshot, actor, "calendar", key, None, client_address=client_address(request)
        )
        return next(c for c in admin.describe_calendars(updated) if c["key"] == key)

    @get("/policies")
    async def list_policies(
        self, actor: NamedDependency[Actor], snapshot: NamedDependency[Snapshot]
    ) -> list[dict[str, Any]]:
        """SLA policies: targets per priority, pausing categories, warning point, escalation."""
        admin.require_admin(actor)
        return admin.describe_policies(snapshot)

    @put("/policies/{key:str}")
    async def update_policy(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        snapshot: NamedDependency[Snapshot],
        key: FromPath[str],
        data: JSONBody[dict[str, Any]],
    ) -> dict[str, Any]:
        """Edit a policy (name, targets, pause_categories, warning_at, escalation)."""
        updated = await admin.edit(
            snapshot, actor, "policy", key, data, client_address=client_address(request)
        )
        return next(p for p in admin.describe_policies(updated) if p["key"] == key)

    @delete("/policies/{key:str}", status_code=200)
    async def reset_policy(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        snapshot: NamedDependency[Snapshot],
        key: FromPath[str],
    ) -> dict[str, Any]:
        """Restore the plugin's default policy."""
        updated = await admin.edit(
            snapshot, actor, "policy", key, None, client_address=client_address(request)
        )
        return next(p for p in admin.describe_policies(updated) if p["key"] == key)
