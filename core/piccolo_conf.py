"""Piccolo configuration: the engine and every app's migrations.

Found through `PICCOLO_CONF=polydesk.core.piccolo_conf` (set by
`polydesk.core.db`), so the `piccolo` CLI works from any directory.
"""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry

from polydesk.core.db import create_engine, plugin_piccolo_apps
from polydesk.core.settings import Settings

_settings = Settings.from_env()

DB = create_engine(_settings)
APP_REGISTRY = AppRegistry(
    apps=[
        "polydesk.core.piccolo_app",
        "polydesk.core.knowledge.piccolo_app",
        "polydesk.core.mail.piccolo_app",
        *plugin_piccolo_apps(_settings),
    ]
)
