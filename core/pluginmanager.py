"""Build a fresh plugin manager: hookspecs, core defaults, then entry points."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

import pluggy

from polydesk.core import hookspecs
from polydesk.core.errors import ConfigurationError

ENTRY_POINT_GROUP = "polydesk.plugins"

#: Builtin behaviour that plugins may override; registered on every manager.
DEFAULT_PLUGINS = (
    "polydesk.core.defaults.priority",
    "polydesk.core.defaults.routing",
    "polydesk.core.defaults.permissions",
    "polydesk.core.defaults.guards",
)


def create_plugin_manager(
    *,
    blocked: Iterable[str] = (),
    load_entry_points: bool = True,
    extra_plugins: Iterable[tuple[object, str]] = (),
    required: Iterable[str] = (),
) -> pluggy.PluginManager:
    """Return a new `PluginManager` with every hookspec and plugin loaded.

    `blocked` names plugins never to load (the `POLYDESK_DISABLE_PLUGINS`
    setting); this is different from an admin disabling a department at runtime,
    which keeps the plugin loaded and only hides it. `extra_plugins` are
    `(module_or_object, name)` pairs registered like entry points (tests use it
    for an outside department). `required` names plugins that must be present.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    # Historic: every plugin, including those registered later, may add hookspecs.
    pm.hook.polydesk_addhooks.call_historic(kwargs={"plugin_manager": pm})
    for name in blocked:
        pm.set_blocked(name)
    for dotted in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(dotted), name=dotted)
    if load_entry_points:
        try:
            pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        except Exception as exc:  # a broken plugin must stop startup with its name
            raise ConfigurationError(f"could not load a plugin: {exc!r}") from exc
    for plugin, name in extra_plugins:
        if not pm.is_blocked(name):
            pm.register(plugin, name=name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        plugin = getattr(exc, "plugin", None)
        name = pm.get_name(plugin) if plugin is not None else None
        raise ConfigurationError(str(exc), plugin=name or None) from exc
    missing = [name for name in required if pm.get_plugin(name) is None]
    if missing:
        raise ConfigurationError(f"required plugins are not installed: {', '.join(missing)}")
    return pm


#: Builtin plugins (core's and web's defaults) are registered under their dotted
#: module name; installed plugins under their entry-point name, which never
#: starts with this prefix.
BUILTIN_PREFIX = "polydesk."


def department_plugins(pm: pluggy.PluginManager) -> list[str]:
    """Names of the loaded, installable plugins: not builtins, not blocked."""
    return [
        name
        for name, plugin in pm.list_name_plugin()
        if plugin is not None and not name.startswith(BUILTIN_PREFIX)
    ]
