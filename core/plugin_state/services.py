"""Enabling and disabling plugins at runtime, visible to every worker.

The `plugin_state` rows hold the flags; the single `plugin_state_revision` row
is bumped in the same transaction as any change. A worker re-reads the flags
only when the revision it last saw has moved, and checks the revision at most
once per `ttl` seconds, so a change reaches every worker within about `ttl`
seconds without a restart.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata

import pluggy

from polydesk.core.audit.services import Author, record
from polydesk.core.catalog.tables import RequestTypeRecord
from polydesk.core.db import transaction
from polydesk.core.errors import NotFound
from polydesk.core.plugin_state.tables import PluginState, PluginStateRevision
from polydesk.core.pluginmanager import department_plugins


@dataclass(frozen=True)
class PluginStatus:
    name: str
    enabled: bool
    version: str
    description: str
    departments: tuple[str, ...]


@dataclass(frozen=True)
class StateSnapshot:
    revision: int
    disabled_plugins: frozenset[str]
    hidden_request_types: frozenset[str]
    #: admin edits of SLA calendars and policies: (kind, key) -> config
    sla_overrides: dict[tuple[str, str], dict] = field(default_factory=dict)
    #: each plugin's settings as an admin saved them
    plugin_settings: dict[str, dict] = field(default_factory=dict)


def plugin_version(pm: pluggy.PluginManager, name: str) -> tuple[str, str]:
    """(version, summary) of the distribution that provides plugin `name`."""
    for plugin, dist in pm.list_plugin_distinfo():
        if pm.get_name(plugin) == name:
            meta = dist.metadata
            return dist.version, (meta.get("Summary") or "")
    plugin = pm.get_plugin(name)
    module = getattr(plugin, "__name__", "")
    try:
        return metadata.version(module.split(".")[0]), ""
    except (metadata.PackageNotFoundError, ValueError):
        return "", ""


async def sync_plugin_rows(pm: pluggy.PluginManager) -> None:
    """Make sure every loaded plugin has a row (enabled by default) with its version."""
    async with transaction():
        existing = {row["name"]: row for row in await PluginState.select()}
        for name in department_plugins(pm):
            version, _ = plugin_version(pm, name)
            if name not in existing:
                await PluginState.insert(PluginState(name=name, enabled=True, version=version))
            elif existing[name]["version"] != version:
                await PluginState.update({PluginState.version: version}).where(
                    PluginState.name == name
                )


async def read_state() -> StateSnapshot:
    rows = await PluginState.select(PluginState.name).where(PluginState.enabled == False)  # noqa: E712
    settings_rows = await PluginState.select(PluginState.name, PluginState.settings).output(
        load_json=True
    )
    hidden = await RequestTypeRecord.select(RequestTypeRecord.key).where(
        RequestTypeRecord.hidden == True  # noqa: E712
    )
    from polydesk.core.sla.tables import SLAOverride

    overrides = await SLAOverride.select(
        SLAOverride.kind, SLAOverride.key, SLAOverride.config
    ).output(load_json=True)
    return StateSnapshot(
        revision=await read_revision(),
        disabled_plugins=frozenset(r["name"] for r in rows),
        hidden_request_types=frozenset(r["key"] for r in hidden),
        sla_overrides={(r["kind"], r["key"]): r["config"] for r in overrides},
        plugin_settings={r["name"]: r["settings"] or {} for r in settings_rows},
    )


async def read_revision() -> int:
    row = await PluginStateRevision.select(PluginStateRevision.revision).first()
    return row["revision"] if row else 0


async def bump_revision() -> None:
    """Tell every worker to re-read plugin state; call inside the change's transaction."""
    await PluginStateRevision.update(
        {PluginStateRevision.revision: PluginStateRevision.revision + 1}, force=True
    )


async def set_plugin_enabled(
    pm: pluggy.PluginManager, name: str, enabled: bool, *, author: Author | None = None
) -> PluginStatus:
    """Enable or disable a loaded plugin for every worker. Its data is never touched.
    With an `author` the change is audited in the same transaction."""
    if name not in department_plugins(pm):
        raise NotFound(f"No plugin named {name!r} is installed.")
    async with transaction():
        before = (
            await PluginState.select(PluginState.enabled).where(PluginState.name == name).first()
        )
        updated = (
            await PluginState.update({PluginState.enabled: enabled, PluginState.updated_at: _now()})
            .where(PluginState.name == name)
            .returning(PluginState.name)
        )
        if not updated:
            version, _ = plugin_version(pm, name)
            await PluginState.insert(PluginState(name=name, enabled=enabled, version=version))
        await bump_revision()
        if author is not None:
            await record(
                author,
                "plugin.enabled" if enabled else "plugin.disabled",
                f"plugin:{name}",
                {
                    "before": {"enabled": before["enabled"] if before else True},
                    "after": {"enabled": enabled},
                },
            )
    return (await list_plugins(pm, registry_departments=None))[name]


async def list_plugins(
    pm: pluggy.PluginManager, registry_departments: dict[str, list[str]] | None
) -> dict[str, PluginStatus]:
    """Every loaded department plugin with its stored state."""
    rows = {row["name"]: row for row in await PluginState.select()}
    result = {}
    for name in department_plugins(pm):
        version, summary = plugin_version(pm, name)
        row = rows.get(name)
        result[name] = PluginStatus(
            name=name,
            enabled=row["enabled"] if row else True,
            version=version,
            description=summary or (pm.get_plugin(name).__doc__ or "").strip().split("\n")[0],
            departments=tuple((registry_departments or {}).get(name, ())),
        )
    return result


def _now():
    import datetime as dt

    return dt.datetime.now(dt.UTC)


class PluginStateCache:
    """A worker's view of plugin state, refreshed when the stored revision moves."""

    def __init__(self, ttl: float = 1.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._monotonic = monotonic
        self._checked_at: float | None = None
        self._snapshot: StateSnapshot | None = None

    async def get(self) -> StateSnapshot:
        now = self._monotonic()
        if self._snapshot is not None and self._checked_at is not None:
            if now - self._checked_at < self.ttl:
                return self._snapshot
            if await read_revision() == self._snapshot.revision:
                self._checked_at = now
                return self._snapshot
        self._snapshot = await read_state()
        self._checked_at = now
        return self._snapshot

    def invalidate(self) -> None:
        """Forget the cached view; this worker made a change and must see it at once."""
        self._checked_at = None
        self._snapshot = None


MAX_SETTINGS_BYTES = 20_000


async def set_plugin_settings(
    pm: pluggy.PluginManager, name: str, settings: dict, *, author: Author | None = None
) -> dict:
    """Store an admin's settings for plugin `name`, after the plugin validated them
    (`polydesk_validate_settings`); nothing is stored when any field is refused.
    With an `author` the change is audited in the same transaction."""
    import json

    from polydesk.core.errors import ValidationFailed

    if name not in department_plugins(pm):
        raise NotFound(f"No plugin named {name!r} is installed.")
    if not isinstance(settings, dict) or len(json.dumps(settings)) > MAX_SETTINGS_BYTES:
        raise ValidationFailed({"settings": "Give a JSON object of at most 20 kB."})
    errors: dict[str, str] = {}
    for answer in pm.hook.polydesk_validate_settings(plugin=name, settings=settings):
        errors.update(answer or {})
    if errors:
        raise ValidationFailed(errors)
    async with transaction():
        before = (
            await PluginState.select(PluginState.settings)
            .where(PluginState.name == name)
            .output(load_json=True)
            .first()
        )
        updated = (
            await PluginState.update(
                {PluginState.settings: settings, PluginState.updated_at: _now()}
            )
            .where(PluginState.name == name)
            .returning(PluginState.name)
        )
        if not updated:
            version, _ = plugin_version(pm, name)
            await PluginState.insert(
                PluginState(name=name, enabled=True, version=version, settings=settings)
            )
        await bump_revision()
        if author is not None:
            await record(
                author,
                "plugin.settings_changed",
                f"plugin:{name}",
                {"before": (before or {}).get("settings") or {}, "after": settings},
            )
    return settings
