"""One process's Polydesk: settings, plugin manager, Registry and plugin state.

`Runtime` lives as long as the process. `Snapshot` is what one request sees:
the Registry plus which plugins are enabled right now, and hook callers that
skip the disabled ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pluggy
from polydesk.core.hookcalls import subset_caller
from polydesk.core.plugin_state.services import PluginStateCache, StateSnapshot
from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.registry import Registry, build_registry
from polydesk.core.settings import Settings
from polydesk.core.specs import Department, RequestType


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Runtime:
    settings: Settings
    pm: pluggy.PluginManager
    registry: Registry
    plugin_states: PluginStateCache
    clock: Callable[[], dt.datetime] = utcnow

    @classmethod
    def create(
        cls,
        settings: Settings | None = None,
        pm: pluggy.PluginManager | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> Runtime:
        settings = settings or Settings.from_env()
        pm = pm or create_plugin_manager(
            blocked=settings.disabled_plugins, required=settings.required_plugins
        )
        return cls(
            settings=settings,
            pm=pm,
            registry=build_registry(pm),
            plugin_states=PluginStateCache(ttl=settings.plugin_state_ttl),
            clock=clock,
        )

    async def snapshot(self) -> Snapshot:
        return Snapshot(self, await self.plugin_states.get())

    def departments_by_plugin(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        for slug, plugin in self.registry.department_plugin.items():
            result.setdefault(plugin, []).append(slug)
        return result


@dataclass(frozen=True)
class Snapshot:
    runtime: Runtime
    state: StateSnapshot
    _hooks: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def registry(self) -> Registry:
        return self.runtime.registry

    @property
    def pm(self) -> pluggy.PluginManager:
        return self.runtime.pm

    def now(self) -> dt.datetime:
        return self.runtime.clock()

    @property
    def disabled_plugins(self) -> frozenset[str]:
        return self.state.disabled_plugins

    @property
    def disabled_departments(self) -> frozenset[str]:
        return frozenset(
            slug
            for slug, plugin in self.registry.department_plugin.items()
            if plugin in self.state.disabled_plugins
        )

    def hook(self, name: str) -> Any:
        """The hook `name`, called on enabled plugins only."""
        if name not in self._hooks:
            self._hooks[name] = subset_caller(self.pm, name, self.state.disabled_plugins)
        return self._hooks[name]

    def is_department_enabled(self, slug: str) -> bool:
        return slug in self.registry.departments and slug not in self.disabled_departments

    def enabled_departments(self) -> list[Department]:
        return [d for d in self.registry.departments.values() if self.is_department_enabled(d.slug)]

    def is_request_type_offered(self, rt: RequestType) -> bool:
        """In the catalog: its department is enabled and no admin hid it."""
        return (
            self.is_department_enabled(rt.department)
            and rt.key not in self.state.hidden_request_types
        )

    def catalog(self, department: str | None = None) -> list[RequestType]:
        return [
            rt
            for rt in self.registry.request_types.values()
            if self.is_request_type_offered(rt)
            and (department is None or rt.department == department)
        ]
