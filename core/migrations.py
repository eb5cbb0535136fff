"""Apply every app's migrations and sync the Registry into the database."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import run_forwards

from polydesk.core.catalog.services import sync_catalog
from polydesk.core.errors import ConfigurationError
from polydesk.core.plugin_state.services import sync_plugin_rows
from polydesk.core.runtime import Runtime


async def migrate(runtime: Runtime, *, quiet: bool = False) -> None:
    """Run the core's and every loaded plugin's migrations forwards, then sync
    departments, request types and plugin rows. Safe to run again."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output) if quiet else contextlib.nullcontext():
        result = await run_forwards(app_name="all")
    if not result.success:
        raise ConfigurationError(f"migrations failed: {result.message}\n{output.getvalue()}")
    await sync_catalog(runtime.registry)
    await sync_plugin_rows(runtime.pm)
