"""The Litestar application factory."""

from __future__ import annotations

import pluggy
from litestar import Litestar

from polydesk.core.runtime import Runtime
from polydesk.core.settings import Settings
from polydesk.web.plugin import PolydeskPlugin

WEB_DEFAULT_PLUGINS = ("polydesk.web.defaults.auth",)


def create_app(
    settings: Settings | None = None,
    plugin_manager: pluggy.PluginManager | None = None,
    *,
    runtime: Runtime | None = None,
    background: bool = True,
    debug: bool = False,
) -> Litestar:
    """Build the app. Tests pass their own plugin manager or runtime."""
    if runtime is None:
        runtime = Runtime.create(settings, plugin_manager)
    _register_web_defaults(runtime.pm)
    return Litestar(plugins=[PolydeskPlugin(runtime, background=background)], debug=debug)


def _register_web_defaults(pm: pluggy.PluginManager) -> None:
    import importlib

    for dotted in WEB_DEFAULT_PLUGINS:
        if pm.get_plugin(dotted) is None:
            pm.register(importlib.import_module(dotted), name=dotted)


def app_from_env() -> Litestar:
    """Entry point for ASGI servers: `uvicorn --factory polydesk.web.app:app_from_env`."""
    return create_app(Settings.from_env())
