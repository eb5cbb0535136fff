"""One process's Polydesk: settings, plugin manager, Registry and plugin state.

`Runtime` lives as long as the process. `Snapshot` is what one request sees:
the Registry plus which plugins are enabled right now, and hook callers that
skip the disabled ones.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pluggy

from polydesk.core.errors import PolydeskError
from polydesk.core.hookcalls import subset_caller
from polydesk.core.i18n import register_department_catalogs
from polydesk.core.plugin_state.services import PluginStateCache, StateSnapshot
from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.registry import Registry, build_registry
from polydesk.core.settings import Settings
from polydesk.core.specs import Calendar, Department, RequestType, SLAPolicy

log = logging.getLogger("polydesk")


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
            blocked=settings.disabled_plugins,
            required=settings.required_plugins,
            modules=settings.plugin_modules,
        )
        registry = build_registry(pm)
        # Every process (server, worker, CLI) shows plugins' messages translated.
        register_department_catalogs(registry)
        return cls(
            settings=settings,
            pm=pm,
            registry=registry,
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
    _sla: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False)

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

    @functools.cached_property
    def disabled_departments(self) -> frozenset[str]:
        # Once per snapshot: every catalog and permission check asks, per request
        # type and department (the portal's home asked 44 × 116 times with 44
        # departments, rebuilding this set over every department each time).
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

    def catalog(self, department: str | None = None, actor: Any = None) -> list[RequestType]:
        """The request types `actor` may file (all offered ones but the agents-only
        types of departments `actor` is no agent of), optionally of one department."""
        types = (
            self.registry.request_types.values()
            if department is None
            else self.registry.request_types_of(department)
        )
        return [
            rt
            for rt in types
            if self.is_request_type_offered(rt)
            and (not rt.agents_only or _is_agent(actor, rt.department))
        ]

    # -- SLA configuration: the plugins' defaults with the admin's edits applied

    def sla_calendar(self, key: str) -> Calendar | None:
        """The effective calendar `key`, or None when no policy uses it."""
        if ("calendar", key) not in self._sla:
            from polydesk.core.sla.config import apply_calendar_config

            base = self.registry.calendars.get(key)
            config = self.state.sla_overrides.get(("calendar", key))
            effective = base
            if base is not None and config:
                try:
                    effective = apply_calendar_config(base, config)
                except PolydeskError:
                    log.exception("ignoring the stored edit of calendar %s", key)
            self._sla[("calendar", key)] = effective
        return self._sla[("calendar", key)]

    def sla_calendars(self) -> dict[str, Calendar]:
        return {key: self.sla_calendar(key) for key in self.registry.calendars}  # type: ignore[misc]

    def sla_policy(self, key: str) -> SLAPolicy | None:
        """The effective policy `key`: its calendars and targets as the admin left them."""
        if ("policy", key) not in self._sla:
            from polydesk.core.sla.config import apply_policy_config

            base = self.registry.sla_policies.get(key)
            effective = None
            if base is not None:
                calendars = self.sla_calendars()
                effective = dataclasses.replace(
                    base,
                    calendar=calendars[base.calendar.key],
                    targets={
                        p: dataclasses.replace(
                            t, calendar=calendars[t.calendar.key] if t.calendar else None
                        )
                        for p, t in base.targets.items()
                    },
                )
                config = self.state.sla_overrides.get(("policy", key))
                if config:
                    try:
                        effective = apply_policy_config(effective, config, calendars)
                    except PolydeskError:
                        log.exception("ignoring the stored edit of SLA policy %s", key)
            self._sla[("policy", key)] = effective
        return self._sla[("policy", key)]


def _is_agent(actor: Any, department: str) -> bool:
    return actor is not None and (actor.is_system or actor.is_agent_of(department))
