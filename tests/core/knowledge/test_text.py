"""The one normalisation behind index, query and highlight."""

from __future__ import annotations

from polydesk.core.knowledge.query import parse_query
from polydesk.core.knowledge.snippets import highlight, snippet
from polydesk.core.knowledge.text import fold, index_text, tokens


def test_folding_strips_diacritics_including_letters_nfkd_leaves_alone():
    assert fold("Zażółć") == "zazolc"
    assert fold("GĘŚLĄ") == "gesla"
    assert fold("ŁÓDŹ") == "lodz" and fold("łódź") == "lodz"
    assert fold("Straße") == "strasse" and fold("Ørsted") == "orsted"
    assert fold("Ｐｒｉｎｔｅｒ") == "printer"  # full-width forms


def test_cjk_runs_become_overlapping_bigrams_with_offsets():
    found = tokens("VPN密码重置ok")
    assert [t.term for t in found] == ["vpn", "密码", "码重", "重置", "置", "ok"]
    assert [(t.start, t.end) for t in found if t.cjk] == [(3, 5), (4, 6), (5, 7), (6, 7)]
    assert index_text("重置密码的步骤") == "重置 置密 密码 码的 的步 步骤 骤"


def test_queries_quote_terms_and_phrase_cjk():
    query = parse_query('How do I "reset" 重置密码?')
    assert query.fts5() == '"reset" AND "重置 置密 密码"'
    assert query.tsquery() == "'reset' & ('重置' <-> '置密' <-> '密码')"
    assert parse_query("码").fts5() == '"码"*'
    typing = parse_query("my vp", prefix_last=True, any_term=True)
    assert typing.fts5() == '"vp"*' and typing.tsquery() == "'vp':*"
    assert parse_query("vpn ", prefix_last=True).fts5() == '"vpn"'  # a finished word
    assert parse_query("the").fts5() == '"the"'  # only stop words: keep them
    assert not parse_query("the a", any_term=True)
    assert not parse_query("!!! ''")


def test_highlight_marks_folded_stemmed_and_cjk_matches_and_escapes_the_rest():
    query = parse_query("zazolc printers 密码")
    assert (
        highlight("<b>Zażółć</b> & printer: 重置密码", query)
        == "&lt;b&gt;<mark>Zażółć</mark>&lt;/b&gt; &amp; <mark>printer</mark>: 重置<mark>密码</mark>"
    )


def test_snippet_is_a_window_around_the_matches():
    text = "intro " * 100 + "the VPN client needs a restart " + "outro " * 100
    cut = snippet(text, parse_query("vpn restart"))
    assert cut.startswith("…") and cut.endswith("…")
    assert "<mark>VPN</mark> client needs a <mark>restart</mark>" in cut
    assert len(cut) < 260
    assert snippet("short text", parse_query("nothing")) == "short text"
