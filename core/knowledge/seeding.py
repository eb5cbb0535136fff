"""Plugin spaces and their Markdown seed articles.

A seed file is Markdown with a small front matter block::

    ---
    title: Printing and scanning in the office
    tags: [printing, scanning]
    ---
    # Printing and scanning
    ...

The file name (without `.md`) is the article's slug, which makes seeding
idempotent: a file whose slug exists in the space is skipped, so edits made
in Polydesk are never overwritten.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from polydesk.core.knowledge.tables import Article, Space
from polydesk.core.specs import KnowledgeSpace


def parse_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split `---` front matter (`key: value`, `key: [a, b]`) from the body."""
    if not text.startswith("---"):
        return {}, text
    head, sep, body = text[3:].partition("\n---")
    if not sep:
        return {}, text
    meta: dict[str, Any] = {}
    for line in head.strip().splitlines():
        key, colon, value = line.partition(":")
        if not colon:
            continue
        value = value.strip()
        if value.startswith("[") and value.endswith("]"):
            meta[key.strip()] = [
                v.strip().strip("'\"") for v in value[1:-1].split(",") if v.strip()
            ]
        else:
            meta[key.strip()] = value.strip("'\"")
    return meta, body.lstrip("\n")


def plugin_space_fields(space: KnowledgeSpace) -> dict[str, Any]:
    """The columns a plugin's declaration sets (not public means agents only)."""
    return {
        "department": space.department,
        "name": space.name,
        "audience": "everyone" if space.public else "agents",
    }


async def sync_plugin_spaces(spaces: dict[str, KnowledgeSpace], *, update: bool) -> None:
    """Insert declared spaces that have no row yet; with `update`, refresh the
    department, name and audience of existing plugin rows from the declaration."""
    existing = {r["slug"]: r for r in await Space.select(Space.slug, Space.source)}
    for slug, space in spaces.items():
        fields = plugin_space_fields(space)
        if slug not in existing:
            row = Space(slug=slug, source="plugin", require_review=True, **fields)
            await Space.insert(row).on_conflict(action="DO NOTHING")
        elif update and existing[slug]["source"] == "plugin":
            await Space.update({getattr(Space, k): v for k, v in fields.items()}).where(
                Space.slug == slug
            )


def seed_files(space: KnowledgeSpace) -> list[Path]:
    if space.seed_dir is None or not Path(space.seed_dir).is_dir():
        return []
    return sorted(Path(space.seed_dir).glob("*.md"))


async def existing_slugs(space_id: int) -> set[str]:
    return {r["slug"] for r in await Article.select(Article.slug).where(Article.space == space_id)}
