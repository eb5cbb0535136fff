"""Core machinery under `/-/` (Datasette's convention): health and version."""

from __future__ import annotations

from importlib import metadata

from litestar import get

from polydesk.core.plugin_state.services import read_revision


@get("/-/health", include_in_schema=False)
async def health() -> dict[str, str]:
    """Up, and the database answers."""
    await read_revision()
    return {"status": "ok", "version": metadata.version("polydesk")}
