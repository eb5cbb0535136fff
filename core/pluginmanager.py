"""Build a fresh plugin manager: hookspecs, core defaults, then entry points."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable

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
    modules: Iterable[str] = (),
) -> pluggy.PluginManager:
    """Return a new `PluginManager` with every hookspec and plugin loaded.

    `blocked` names plugins never to load (the `POLYDESK_DISABLE_PLUGINS`
    setting); this is different from an admin disabling a department at runtime,
    which keeps the plugin loaded and only hides it. `extra_plugins` are
    `(module_or_object, name)` pairs registered like entry points (tests use it
    for an outside department). `modules` are the `POLYDESK_PLUGINS` entries,
    imported and registered like entry points (see `plugin_modules`).
    `required` names plugins that must be present.
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
    for plugin, name in [*plugin_modules(modules, skip=pm.is_blocked), *extra_plugins]:
        if pm.is_blocked(name):
            continue
        if pm.get_plugin(name) is not None:  # an entry point has that name already
            raise ConfigurationError(f"two plugins are named {name!r}", plugin=name)
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


def plugin_modules(
    entries: Iterable[str], skip: Callable[[str], bool] = lambda name: False
) -> list[tuple[object, str]]:
    """Import each `name=dotted.module` (or `dotted.module`, then named by its
    path) of the `POLYDESK_PLUGINS` setting, as `(module, name)` pairs: a plugin
    module that is importable (on `PYTHONPATH`) but has no distribution and entry
    point, such as one in development. Names `skip` answers true for (blocked
    ones) are not imported. A bad entry stops startup with a message saying which."""
    found: list[tuple[object, str]] = []
    for entry in entries:
        name, equals, dotted = (part.strip() for part in entry.rpartition("="))
        name = name if equals else dotted
        if not _DOTTED.match(dotted) or not name or "/" in name:
            raise ConfigurationError(
                f"POLYDESK_PLUGINS: {entry!r} is not name=dotted.module or dotted.module"
            )
        if skip(name):
            continue
        try:
            module = importlib.import_module(dotted)
        except Exception as exc:  # ImportError, or the module itself failing
            raise ConfigurationError(
                f"POLYDESK_PLUGINS: could not import {dotted!r}: {exc!r}", plugin=name
            ) from exc
        found.append((module, name))
    return found


_DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")

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
