"""Plugin spaces and their Markdown seed articles."""

from __future__ import annotations

from polydesk.core.knowledge.seeding import parse_front_matter
from polydesk.core.knowledge.services import seed_plugin_articles
from polydesk.core.knowledge.tables import Article, ArticleVersion, Space


def test_front_matter():
    meta, body = parse_front_matter(
        "---\ntitle: Leave policy - how: much\ntags: [leave, 'time-off']\n---\n# Leave\n"
    )
    assert meta == {"title": "Leave policy - how: much", "tags": ["leave", "time-off"]}
    assert body == "# Leave\n"
    assert parse_front_matter("# No front matter") == ({}, "# No front matter")


async def test_seeding_imports_every_plugin_file_once(runtime, people, kb):
    snapshot = await runtime.snapshot()
    added = await seed_plugin_articles(snapshot)
    files = sum(
        len(list(s.seed_dir.glob("*.md")))
        for s in runtime.registry.knowledge_spaces.values()
        if s.seed_dir
    )
    assert added == files > 0
    assert await seed_plugin_articles(snapshot) == 0
    assert await Article.count() == files and await ArticleVersion.count() == files
    assert await Space.count() == len(runtime.registry.knowledge_spaces)
    alice = await people.actor("alice")
    [hit] = await kb.search(alice, "FollowMe badge", space="it")
    assert hit.title == "Printing and scanning in the office" and hit.slug == "printers"
    article = await kb.get(alice, hit.id)
    assert article.status == "published" and article.owner is None
    assert "printing" in article.tags and "<table>" in article.body_html


async def test_seeding_leaves_edited_articles_alone(runtime, people, kb):
    snapshot = await runtime.snapshot()
    await seed_plugin_articles(snapshot)
    lead = await people.actor("it.lead")
    [summary] = [a for a in await kb.articles(lead, space="it") if a.slug == "vpn"]
    await kb.update_article(lead, summary.id, version=1, body_md="Our own words.")
    await seed_plugin_articles(snapshot)
    assert (await kb.get(lead, summary.id)).body_md == "Our own words."
