"""Articles in several languages: translation groups, the reader's language first."""

from __future__ import annotations

import pytest

from polydesk.core.errors import NotFound, ValidationFailed


async def _group(kb, lead, space="it"):
    """A published English original with a published Polish translation."""
    original = await kb.create_article(
        lead, space=space, title="Connect to the VPN", body_md="Open the VPN client.", publish=True
    )
    polish = await kb.create_translation(lead, original.id, language="pl")
    await kb.update_article(
        lead, polish.id, version=1, title="Połącz się z VPN", body_md="Otwórz klienta VPN."
    )
    await kb.publish(lead, polish.id)
    return original, await kb.get(lead, polish.id)


async def test_an_article_has_the_organisation_language_unless_chosen(kb, people):
    agent = await people.actor("it.agent")
    plain = await kb.create_article(agent, space="it", title="Printers")
    assert (plain.language, plain.translation_of) == ("en", None)
    chinese = await kb.create_article(agent, space="it", title="打印机", language="zh-Hans")
    assert chinese.language == "zh_Hans"
    with pytest.raises(ValidationFailed) as caught:
        await kb.create_article(agent, space="it", title="Drucker", language="de")
    assert "language" in caught.value.fields


async def test_a_translation_is_a_draft_prefilled_from_the_original_and_linked(kb, people):
    agent = await people.actor("it.agent")
    original = await kb.create_article(
        agent, space="it", title="Reset a password", body_md="Use the portal.", tags=["password"]
    )
    draft = await kb.create_translation(agent, original.id, language="zh_Hant")
    assert (draft.status, draft.language, draft.translation_of) == ("draft", "zh_Hant", original.id)
    assert (draft.title, draft.body_md, draft.tags) == (
        original.title,
        "Use the portal.",
        ["password"],
    )
    # A translation of a translation joins the original's group.
    third = await kb.create_translation(agent, draft.id, language="pl")
    assert third.translation_of == original.id
    group = await kb.translations(agent, third.id)
    assert [(a.id, a.language) for a in group] == [
        (original.id, "en"),
        (draft.id, "zh_Hant"),
        (third.id, "pl"),
    ]


async def test_a_group_holds_each_language_once(kb, people):
    agent = await people.actor("it.agent")
    original = await kb.create_article(agent, space="it", title="Wi-Fi")
    polish = await kb.create_translation(agent, original.id, language="pl")
    with pytest.raises(ValidationFailed) as caught:
        await kb.create_translation(agent, original.id, language="pl")
    assert "Polski" in caught.value.fields["language"]
    with pytest.raises(ValidationFailed):  # the original's own language is taken too
        await kb.create_translation(agent, polish.id, language="en")
    with pytest.raises(ValidationFailed):
        await kb.update_article(agent, polish.id, version=1, language="en")
    relabelled = await kb.update_article(agent, polish.id, version=1, language="zh_Hans")
    assert (relabelled.language, relabelled.version) == ("zh_Hans", 1)
    assert [a.language for a in await kb.translations(agent, original.id)] == ["en", "zh_Hans"]


async def test_only_readers_of_the_original_may_translate_it(kb, people):
    hr_article = await kb.create_article(
        await people.actor("hr.agent"), space="hr", title="Leave policy"
    )
    with pytest.raises(NotFound):
        await kb.create_translation(await people.actor("it.agent"), hr_article.id, language="pl")


async def test_readers_get_their_language_when_published_else_the_original(kb, people):
    lead = await people.actor("it.lead")
    original, polish = await _group(kb, lead)
    chinese = await kb.create_translation(lead, original.id, language="zh_Hans")  # a draft
    alice = await people.actor("alice")
    assert await kb.in_language(alice, original.id, "pl") == polish.id
    assert await kb.in_language(alice, polish.id, "en") == original.id
    # The Chinese one is not published: a Chinese reader gets the original.
    assert await kb.in_language(alice, polish.id, "zh_Hans") == original.id
    assert [a.id for a in await kb.translations(alice, original.id)] == [original.id, polish.id]
    with pytest.raises(NotFound):
        await kb.get(alice, chinese.id)


async def test_lists_and_search_show_one_article_per_group_in_the_reader_language(kb, people):
    lead = await people.actor("it.lead")
    original, polish = await _group(kb, lead)
    other = await kb.create_article(
        lead, space="it", title="VPN on a phone", body_md="Install the VPN app.", publish=True
    )
    alice = await people.actor("alice")
    popular = await kb.most_helpful_for_reader(alice, "it", "pl", limit=5)
    assert sorted(a.id for a in popular) == sorted([polish.id, other.id])
    assert [a.id for a in await kb.most_helpful_for_reader(alice, "it", "en")] != []
    assert original.id in [a.id for a in await kb.most_helpful_for_reader(alice, "it", "en")]
    assert polish.id not in [a.id for a in await kb.most_helpful_for_reader(alice, "it", "en")]
    # English words find the English original; a Polish reader gets the Polish one.
    hits = await kb.search_for_reader(alice, "vpn client", "pl")
    assert [h.id for h in hits] == [polish.id]
    assert hits[0].title == "Połącz się z VPN" and "<mark>" in hits[0].snippet_html
    english = await kb.search_for_reader(alice, "vpn", "en")
    assert {h.id for h in english} == {original.id, other.id}
    suggested = await kb.search_for_reader(alice, "vpn cli", "pl", suggest=True, department="it")
    assert polish.id in [h.id for h in suggested] and original.id not in [h.id for h in suggested]


async def test_seeded_translations_join_their_originals_once(runtime, kb, people):
    from polydesk.core.knowledge.services import seed_article_translations, seed_plugin_articles

    snapshot = await runtime.snapshot()
    await seed_plugin_articles(snapshot)
    added = await seed_article_translations(snapshot)
    assert added == 2 * len(runtime.registry.knowledge_spaces) and added > 0
    assert await seed_article_translations(snapshot) == 0
    alice = await people.actor("alice")
    [reset] = [a for a in await kb.articles(alice, space="it") if a.slug == "password-reset"]
    group = await kb.translations(alice, reset.id)
    assert [(a.language, a.slug) for a in group] == [
        ("en", "password-reset"),
        ("zh_Hans", "password-reset-zh-hans"),
        ("pl", "password-reset-pl"),
    ]
    polish = await kb.get(alice, await kb.in_language(alice, reset.id, "pl"))
    assert polish.title.startswith("Zapomniane hasło") and polish.status == "published"
