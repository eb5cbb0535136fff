"""`/api/v1/plugins`: admins list, enable and disable department plugins;
`/api/v1/admin`: the audit log and people's API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from polydesk.core.audit.services import list_events
from polydesk.core.errors import NotFound, PermissionDenied
from polydesk.core.people.services import list_api_tokens, person_id, revoke_api_token
from polydesk.core.permissions import Actor
from polydesk.core.plugin_state.services import (
    list_plugins,
    set_plugin_enabled,
    set_plugin_settings,
)
from polydesk.core.runtime import Runtime
from polydesk.web.controllers.api_session import TokenInfo, author_of, token_infos
from polydesk.web.deps import provide_actor, runtime_of
from polydesk.web.schemas import PluginOut


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied("Only administrators manage plugins.")


async def _plugins(runtime: Runtime) -> list[PluginOut]:
    statuses = await list_plugins(runtime.pm, runtime.departments_by_plugin())
    return [
        PluginOut(
            name=s.name,
            enabled=s.enabled,
            version=s.version,
            description=s.description,
            departments=list(s.departments),
        )
        for s in statuses.values()
    ]


class PluginController(Controller):
    path = "/api/v1/plugins"
    tags = ["admin"]
    dependencies = {"actor": Provide(provide_actor)}

    @get("/")
    async def list_plugins(
        self, request: Request, actor: NamedDependency[Actor]
    ) -> list[PluginOut]:
        """Every installed department plugin, enabled or not."""
        _require_admin(actor)
        return await _plugins(runtime_of(request))

    @post("/{name:str}/enable")
    async def enable_plugin(
        self, request: Request, actor: NamedDependency[Actor], name: FromPath[str]
    ) -> PluginOut:
        """Enable a plugin in every worker (within the state TTL, default 1 s)."""
        return await self._set(request, actor, name, True)

    @post("/{name:str}/disable")
    async def disable_plugin(
        self, request: Request, actor: NamedDependency[Actor], name: FromPath[str]
    ) -> PluginOut:
        """Disable a plugin: its portal and request types hide; its data stays."""
        return await self._set(request, actor, name, False)

    @get("/{name:str}/settings")
    async def get_plugin_settings(
        self, request: Request, actor: NamedDependency[Actor], name: FromPath[str]
    ) -> dict[str, Any]:
        """The plugin's settings as saved by an admin (empty: the plugin's defaults)."""
        _require_admin(actor)
        runtime = runtime_of(request)
        if name not in await list_plugins(runtime.pm, None):
            raise NotFound(f"No plugin named {name!r} is installed.")
        return (await runtime.snapshot()).state.plugin_settings.get(name, {})

    @put("/{name:str}/settings")
    async def update_plugin_settings(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        name: FromPath[str],
        data: JSONBody[dict[str, Any]],
    ) -> dict[str, Any]:
        """Save the plugin's settings (it validates them; 422 per field otherwise)."""
        _require_admin(actor)
        runtime = runtime_of(request)
        saved = await set_plugin_settings(runtime.pm, name, data, author=author_of(request, actor))
        runtime.plugin_states.invalidate()
        return saved

    async def _set(self, request: Request, actor: Actor, name: str, enabled: bool) -> PluginOut:
        _require_admin(actor)
        runtime = runtime_of(request)
        await set_plugin_enabled(runtime.pm, name, enabled, author=author_of(request, actor))
        runtime.plugin_states.invalidate()
        return next(p for p in await _plugins(runtime) if p.name == name)


async def admins_only(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard: anonymous callers get 401, everyone but global admins 404."""
    actor = await provide_actor(connection)  # type: ignore[arg-type]
    if not actor.is_admin:
        raise NotFound("No such endpoint.")


class AuditEventOut(msgspec.Struct, kw_only=True):
    id: int
    at: dt.datetime
    actor: str  # a username, or "cli" / "system"
    action: str
    target: str
    changes: dict[str, Any]
    client_address: str


class AuditPageOut(msgspec.Struct, kw_only=True):
    items: list[AuditEventOut]
    #: pass as `before` for the next (older) page; null on the last page
    next_before: int | None


class AdminApiController(Controller):
    path = "/api/v1/admin"
    tags = ["admin"]
    guards = [admins_only]
    dependencies = {"actor": Provide(provide_actor)}

    @get("/audit")
    async def list_audit_events(
        self,
        action: FromQuery[str] = "",
        person: FromQuery[str] = "",
        before: FromQuery[int | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> AuditPageOut:
        """Admin actions, newest first; filter by `action` and by `person` (a
        username, `cli` or `system`); keyset pages through `before`."""
        page = await list_events(action=action, person=person, before=before, limit=limit)
        return AuditPageOut(
            items=[
                AuditEventOut(
                    id=e.id,
                    at=e.at,
                    actor=e.actor_name,
                    action=e.action,
                    target=e.target,
                    changes=e.changes,
                    client_address=e.client_address,
                )
                for e in page.events
            ],
            next_before=page.next_before,
        )

    @get("/people/{username:str}/tokens")
    async def list_person_tokens(self, username: FromPath[str]) -> list[TokenInfo]:
        """A person's API tokens (never the tokens themselves)."""
        return token_infos(await list_api_tokens(await person_id(username)))

    @delete("/people/{username:str}/tokens/{token_id:int}", status_code=204)
    async def revoke_person_token(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        username: FromPath[str],
        token_id: FromPath[int],
    ) -> None:
        """Revoke one of a person's API tokens (audited)."""
        await revoke_api_token(
            await person_id(username), token_id, author=author_of(request, actor)
        )
