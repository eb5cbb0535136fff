"""Articles: drafts, versions, diff, restore, publishing rules, optimistic versions."""

from __future__ import annotations

import pytest

from polydesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


async def test_every_save_is_a_version_with_author_and_note(kb, people):
    agent = await people.actor("it.agent")
    article = await kb.create_article(
        agent, space="it", title="VPN on macOS", body_md="Install the client.", tags=["VPN", "mac"]
    )
    assert (article.status, article.version, article.tags) == ("draft", 1, ["vpn", "mac"])
    assert article.owner.username == "it.agent" and article.can_edit and not article.can_publish
    edited = await kb.update_article(
        agent, article.id, version=1, body_md="Install the client.\n\nThen sign in.", note="sign in"
    )
    assert edited.version == 2 and "Then sign in." in edited.body_md
    history = await kb.versions(agent, article.id)
    assert [(v.number, v.note, v.author.username) for v in history] == [
        (2, "sign in", "it.agent"),
        (1, "First version", "it.agent"),
    ]


async def test_an_unchanged_save_adds_no_version(kb, people):
    agent = await people.actor("it.agent")
    article = await kb.create_article(agent, space="it", title="Same", body_md="Body")
    again = await kb.update_article(agent, article.id, version=1, title="Same", body_md="Body")
    assert again.version == 1


async def test_a_stale_version_is_a_conflict_with_the_current_article(kb, people):
    agent = await people.actor("it.agent")
    article = await kb.create_article(agent, space="it", title="Printers", body_md="One")
    await kb.update_article(agent, article.id, version=1, body_md="Two")
    with pytest.raises(Conflict) as caught:
        await kb.update_article(agent, article.id, version=1, body_md="Three")
    assert caught.value.current.version == 2
    assert (await kb.get(agent, article.id, working_copy=True)).body_md == "Two"


async def test_diff_is_unified_and_restore_makes_a_new_version(kb, people):
    agent = await people.actor("it.agent")
    article = await kb.create_article(
        agent, space="it", title="Reset a password", body_md="Step one.\nStep two.\n"
    )
    await kb.update_article(
        agent, article.id, version=1, title="Reset your password", body_md="Step one.\nStep 2.\n"
    )
    diff = await kb.diff(agent, article.id, 1, 2)
    assert "-# Reset a password" in diff.unified and "+# Reset your password" in diff.unified
    assert "-Step two." in diff.unified and "+Step 2." in diff.unified
    assert diff.unified.startswith("--- version 1\n+++ version 2")
    assert {line.kind for line in diff.lines} >= {"#", "@", "-", "+", " "}
    restored = await kb.restore(agent, article.id, 1, version=2)
    assert (restored.version, restored.title) == (3, "Reset a password")
    assert (await kb.versions(agent, article.id))[0].note == "Restored version 1"
    with pytest.raises(NotFound):
        await kb.diff(agent, article.id, 1, 9)


async def test_agents_cannot_publish_where_review_is_required_leads_can(kb, people):
    agent = await people.actor("it.agent")
    lead = await people.actor("it.lead")
    alice = await people.actor("alice")
    article = await kb.create_article(agent, space="it", title="Wi-Fi", body_md="Join Guest.")
    with pytest.raises(PermissionDenied):
        await kb.publish(agent, article.id)
    with pytest.raises(NotFound):  # a draft does not exist for readers
        await kb.get(alice, article.id)
    published = await kb.publish(lead, article.id)
    assert (published.status, published.published_version) == ("published", 1)
    assert (await kb.get(alice, article.id)).body_md == "Join Guest."
    with pytest.raises(PermissionDenied):
        await kb.archive(agent, article.id)
    assert (await kb.archive(lead, article.id)).status == "archived"
    with pytest.raises(NotFound):
        await kb.get(alice, article.id)


async def test_an_agents_edit_of_a_published_article_waits_for_review(kb, people):
    agent = await people.actor("it.agent")
    lead = await people.actor("it.lead")
    alice = await people.actor("alice")
    article = await kb.create_article(agent, space="it", title="Wi-Fi", body_md="Join Guest.")
    await kb.publish(lead, article.id)
    await kb.update_article(agent, article.id, version=1, body_md="Join Staff.")
    assert (await kb.get(alice, article.id)).body_md == "Join Guest."
    working = await kb.get(agent, article.id, working_copy=True)
    assert working.body_md == "Join Staff." and working.has_unpublished_changes
    await kb.publish(lead, article.id)
    assert (await kb.get(alice, article.id)).body_md == "Join Staff."
    # A lead's own edit goes live at once.
    await kb.update_article(lead, article.id, version=2, body_md="Join Corp.")
    assert (await kb.get(alice, article.id)).body_md == "Join Corp."


async def test_without_review_agents_publish(kb, people):
    admin = await people.actor("admin")
    agent = await people.actor("it.agent")
    await kb.create_space(
        admin, slug="it-howto", name="How-tos", department="it", require_review=False
    )
    article = await kb.create_article(agent, space="it-howto", title="Teams", body_md="Call.")
    assert (await kb.publish(agent, article.id)).status == "published"


async def test_readers_and_other_departments_cannot_write(kb, people):
    alice = await people.actor("alice")
    hr = await people.actor("hr.agent")
    with pytest.raises(PermissionDenied):
        await kb.create_article(alice, space="it", title="Mine", body_md="x")
    with pytest.raises(PermissionDenied):
        await kb.create_article(hr, space="it", title="Mine", body_md="x")
    agent = await people.actor("it.agent")
    article = await kb.create_article(agent, space="it", title="Ours", body_md="x")
    await kb.publish(await people.actor("it.lead"), article.id)
    with pytest.raises(PermissionDenied):
        await kb.update_article(alice, article.id, version=1, body_md="defaced")
    with pytest.raises(PermissionDenied):
        await kb.versions(alice, article.id)


async def test_bad_input_is_refused_field_by_field(kb, people):
    agent = await people.actor("it.agent")
    with pytest.raises(ValidationFailed) as caught:
        await kb.create_article(
            agent, space="it", title=" ", body_md="x" * 100_001, tags=["t" * 41]
        )
    assert set(caught.value.fields) == {"title", "body_md", "tags"}
    assert await kb.articles(agent, space="it", status="draft") == []


async def test_slugs_are_unique_per_space(kb, people):
    agent = await people.actor("it.agent")
    first = await kb.create_article(agent, space="it", title="Zażółć gęślą jaźń!", body_md="")
    second = await kb.create_article(agent, space="it", title="Zażółć gęślą jaźń", body_md="")
    chinese = await kb.create_article(agent, space="it", title="重置密码", body_md="")
    assert (first.slug, second.slug, chinese.slug) == (
        "zazolc-gesla-jazn",
        "zazolc-gesla-jazn-2",
        "article",
    )


async def test_list_by_status_and_tag(kb, people):
    agent = await people.actor("it.agent")
    lead = await people.actor("it.lead")
    a = await kb.create_article(agent, space="it", title="A", body_md="", tags=["vpn"])
    await kb.create_article(agent, space="it", title="B", body_md="", tags=["vpn-client"])
    await kb.publish(lead, a.id)
    alice = await people.actor("alice")
    assert [s.title for s in await kb.articles(alice)] == ["A"]
    assert {s.title for s in await kb.articles(agent, space="it")} == {"A", "B"}
    assert [s.title for s in await kb.articles(agent, tag="vpn")] == ["A"]
    assert [s.title for s in await kb.articles(agent, status="draft")] == ["B"]
