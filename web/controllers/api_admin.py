"""`/api/v1/plugins`: admins list, enable and disable department plugins."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody

from polydesk.core.errors import NotFound, PermissionDenied
from polydesk.core.permissions import Actor
from polydesk.core.plugin_state.services import (
    list_plugins,
    set_plugin_enabled,
    set_plugin_settings,
)
from polydesk.core.runtime import Runtime
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
        saved = await set_plugin_settings(runtime.pm, name, data)
        runtime.plugin_states.invalidate()
        return saved

    async def _set(self, request: Request, actor: Actor, name: str, enabled: bool) -> PluginOut:
        _require_admin(actor)
        runtime = runtime_of(request)
        await set_plugin_enabled(runtime.pm, name, enabled)
        runtime.plugin_states.invalidate()
        return next(p for p in await _plugins(runtime) if p.name == name)
