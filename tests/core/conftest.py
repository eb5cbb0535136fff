"""Fixtures shared by the core tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from polydesk.core.people.tables import Person
from polydesk.core.sqlite_pool import PooledSQLiteEngine


@pytest.fixture
async def pooled(db: None) -> AsyncIterator[PooledSQLiteEngine]:
    """The SQLite engine with its connection pool started, as `polydesk serve` runs it."""
    engine = Person._meta.db
    assert isinstance(engine, PooledSQLiteEngine)
    await engine.start_connection_pool()
    try:
        yield engine
    finally:
        await engine.close_connection_pool()
