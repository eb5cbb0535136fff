"""Knowledge fixtures. The kb_ tables are not in the suite's DATA_TABLES, so
`db` is extended here to empty them too before each test."""

from __future__ import annotations

import pytest

from polydesk.core.db import is_postgres_engine
from polydesk.core.knowledge.services import KnowledgeService

KB_TABLES = (
    "kb_attachment",
    "kb_deflection",
    "kb_vote",
    "kb_article_version",
    "kb_article",
    "kb_space",
)


async def empty_knowledge_tables() -> None:
    from polydesk.core.knowledge.tables import Space

    if is_postgres_engine():
        await Space.raw(f"TRUNCATE {', '.join(KB_TABLES)} RESTART IDENTITY CASCADE")
        return
    for table in (*KB_TABLES, "kb_article_fts", "kb_article_title_fts"):
        await Space.raw(f"DELETE FROM {table}")


@pytest.fixture
async def db(db: None) -> None:
    """The suite's empty database, with the knowledge tables emptied too."""
    await empty_knowledge_tables()


@pytest.fixture
async def kb(runtime) -> KnowledgeService:
    """The knowledge service on a fresh snapshot (plugin spaces appear on first use)."""
    return KnowledgeService(await runtime.snapshot())
