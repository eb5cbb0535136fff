"""Search on the real engine (FTS5 or tsvector): languages, ranking, snippets, visibility."""

from __future__ import annotations

import pytest

from polydesk.core.errors import NotFound, ValidationFailed


@pytest.fixture
async def publish(kb, people):
    """Write and publish an article in a space (the IT lead by default)."""

    async def make(title, body, *, space="it", tags=(), by="it.lead"):
        actor = await people.actor(by)
        article = await kb.create_article(actor, space=space, title=title, body_md=body, tags=tags)
        return await kb.publish(actor, article.id)

    return make


async def _titles(kb, actor, q, **kw):
    return [hit.title for hit in await kb.search(actor, q, **kw)]


async def test_english_stemming_finds_other_forms(kb, people, publish):
    await publish("Printer jams", "When the printer jams, open the tray.")
    await publish("Mail", "Outlook keeps asking for a password.")
    alice = await people.actor("alice")
    assert await _titles(kb, alice, "printers") == ["Printer jams"]
    assert await _titles(kb, alice, "jamming printer") == ["Printer jams"]
    assert await _titles(kb, alice, "asked passwords") == ["Mail"]


async def test_polish_matches_with_and_without_diacritics(kb, people, publish):
    await publish("Zażółć gęślą jaźń", "Łódź: wniosek o urlop składa się w systemie.")
    await publish("Urlop", "Wniosek o urlop w Łodzi i w Gdańsku.")
    alice = await people.actor("alice")
    assert await _titles(kb, alice, "zazolc") == ["Zażółć gęślą jaźń"]
    assert await _titles(kb, alice, "ZAŻÓŁĆ gesla") == ["Zażółć gęślą jaźń"]
    assert await _titles(kb, alice, "lodz") == ["Zażółć gęślą jaźń"]
    assert await _titles(kb, alice, "łódź") == ["Zażółć gęślą jaźń"]
    assert set(await _titles(kb, alice, "gdansku")) == {"Urlop"}
    assert set(await _titles(kb, alice, "wniosek")) == {"Zażółć gęślą jaźń", "Urlop"}


async def test_chinese_substrings_match_without_spaces(kb, people, publish):
    await publish("重置密码", "重置密码的步骤：打开门户，点击忘记密码。")
    await publish("打印机", "打印机卡纸时，请打开纸盒。")
    alice = await people.actor("alice")
    assert await _titles(kb, alice, "密码") == ["重置密码"]
    assert await _titles(kb, alice, "忘记密码") == ["重置密码"]
    assert await _titles(kb, alice, "卡纸") == ["打印机"]
    assert await _titles(kb, alice, "纸") == ["打印机"]  # one character: a prefix of bigrams
    assert await _titles(kb, alice, "密码 打印机") == []  # every term must match
    assert await _titles(kb, alice, "码打") == []  # a substring of neither


async def test_mixed_scripts_in_one_query(kb, people, publish):
    await publish("VPN密码", "如何重置VPN密码 on a laptop")
    alice = await people.actor("alice")
    assert await _titles(kb, alice, "vpn 密码") == ["VPN密码"]
    assert await _titles(kb, alice, "VPN密码 laptops") == ["VPN密码"]


async def test_ranking_puts_the_best_match_first(kb, people, publish):
    await publish("Expenses", "Submit expenses monthly. A printer is mentioned once.")
    await publish("Printer setup", "Add the printer. Printer drivers. Printer queue.")
    await publish("Printers FAQ", "Printer questions: the printer, the printer again.")
    alice = await people.actor("alice")
    hits = await kb.search(alice, "printer")
    assert hits[-1].title == "Expenses"
    assert hits[0].score >= hits[1].score >= hits[2].score > 0


async def test_snippets_highlight_the_original_text_and_escape_the_rest(kb, people, publish):
    body = "Some intro. " * 30 + "Tap your badge on the Zażółć printer & 1 < 2.\n\n" + "x " * 200
    await publish("Badge printers", body)
    alice = await people.actor("alice")
    [hit] = await kb.search(alice, "zazolc printer")
    assert "<mark>Zażółć</mark> <mark>printer</mark> &amp; 1 &lt; 2." in hit.snippet_html
    assert hit.snippet_html.startswith("…") and len(hit.snippet_html) < 400
    assert hit.title_html == "Badge <mark>printers</mark>"
    [chinese] = [h for h in [await publish("密码", "重置密码的步骤")] if h]
    [hit] = await kb.search(alice, "密码", space="it")
    assert hit.snippet_html == "重置<mark>密码</mark>的步骤"
    assert chinese.id == hit.id


async def test_suggestions_take_the_last_word_as_a_prefix_and_any_word(kb, people, publish):
    await publish("VPN on a laptop", "Install the client to connect.")
    await publish("Printer jams", "Open the tray.")
    alice = await people.actor("alice")
    assert [h.title for h in await kb.suggest(alice, "my vp")] == ["VPN on a laptop"]
    both = await kb.suggest(alice, "vpn printer")
    assert {h.title for h in both} == {"VPN on a laptop", "Printer jams"}
    assert await kb.suggest(alice, "the a") == []


async def test_search_shows_only_what_the_reader_may_see(kb, people, publish):
    admin = await people.actor("admin")
    await kb.create_space(
        admin, slug="it-internal", name="IT runbooks", department="it", audience="agents"
    )
    await publish("Public VPN guide", "vpn for everyone")
    await publish("Internal VPN runbook", "vpn restart procedure", space="it-internal")
    agent = await people.actor("it.agent")
    await kb.create_article(agent, space="it", title="Draft VPN notes", body_md="vpn draft")
    alice = await people.actor("alice")
    hr = await people.actor("hr.agent")
    assert await _titles(kb, alice, "vpn") == ["Public VPN guide"]
    assert await _titles(kb, hr, "vpn") == ["Public VPN guide"]
    assert set(await _titles(kb, agent, "vpn")) == {
        "Public VPN guide",
        "Internal VPN runbook",
        "Draft VPN notes",
    }
    assert len(await _titles(kb, admin, "vpn")) == 3
    assert await _titles(kb, agent, "vpn", space="it-internal") == ["Internal VPN runbook"]
    with pytest.raises(NotFound):
        await kb.search(alice, "vpn", space="it-internal")
    assert await kb.suggest(agent, "vpn draft") == [] or all(
        h.status == "published" for h in await kb.suggest(agent, "vpn draft")
    )


async def test_a_disabled_department_hides_its_space(kb, runtime, people, publish):
    from polydesk.core.knowledge.services import KnowledgeService
    from polydesk.core.plugin_state.services import set_plugin_enabled

    await publish("VPN guide", "vpn")
    await set_plugin_enabled(runtime.pm, runtime.registry.department_plugin["it"], False)
    runtime.plugin_states.invalidate()
    later = KnowledgeService(await runtime.snapshot())
    assert await _titles(later, await people.actor("alice"), "vpn") == []
    assert await _titles(later, await people.actor("admin"), "vpn") == ["VPN guide"]


async def test_reindexing_follows_edits_and_archiving(kb, people, publish):
    article = await publish("Wi-Fi", "Join the guest network.")
    lead = await people.actor("it.lead")
    alice = await people.actor("alice")
    await kb.update_article(lead, article.id, version=1, body_md="Join the staff network.")
    assert await _titles(kb, alice, "guest") == []
    assert await _titles(kb, alice, "staff") == ["Wi-Fi"]
    await kb.archive(lead, article.id)
    assert await _titles(kb, alice, "staff") == []


async def test_queries_cannot_inject_engine_syntax(kb, people, publish):
    await publish("Quotes", 'He said "hello" (really) - OR not: NEAR/2 *')
    alice = await people.actor("alice")
    for q in ['"', "'", 'hello" OR "x', "NEAR(", "a:*", "-", "*", "!(", "&|"]:
        await kb.search(alice, q)
    assert await _titles(kb, alice, 'hello"') == ["Quotes"]
    with pytest.raises(ValidationFailed):
        await kb.search(alice, "x" * 201)


async def test_each_tier_ranks_the_newest_matches_whatever_their_age(
    kb, people, publish, monkeypatch
):
    """With a window of 3, searches rank exactly the 3 newest matches: found near
    the newest article, further back, or (a narrow query) at the very start. On
    PostgreSQL those are the window's id-range steps."""
    from polydesk.core.knowledge import index

    monkeypatch.setattr(index, "WINDOW", 3)
    monkeypatch.setattr(index, "NEAR", 4)
    monkeypatch.setattr(index, "MIDDLE", 10)
    bodies = {1: "walrus zebra", 2: "walrus", 5: "walrus", 6: "yak", 7: "walrus", 14: "walrus"}
    for n in range(1, 15):
        await publish(f"Note {n}", bodies.get(n, "nothing to see"))
    alice = await people.actor("alice")
    assert set(await _titles(kb, alice, "walrus")) == {"Note 14", "Note 7", "Note 5"}
    assert await _titles(kb, alice, "zebra") == ["Note 1"]
    assert await _titles(kb, alice, "yak") == ["Note 6"]


async def test_title_matches_fill_the_page_before_body_matches(kb, people, publish):
    await publish("Laptop", "Install the VPN client, then the vpn profile.")
    await publish("VPN setup", "Connect with the client.")
    alice = await people.actor("alice")
    assert await _titles(kb, alice, "vpn", limit=1) == ["VPN setup"]
    assert await _titles(kb, alice, "vpn", limit=2) == ["VPN setup", "Laptop"]
