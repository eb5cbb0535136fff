"""Views, votes, most helpful, deflections and their report."""

from __future__ import annotations

import datetime as dt

import pytest

from polydesk.core.errors import NotFound, PermissionDenied, ValidationFailed


@pytest.fixture
async def published(kb, people):
    async def make(title, body="Body."):
        lead = await people.actor("it.lead")
        article = await kb.create_article(lead, space="it", title=title, body_md=body)
        return await kb.publish(lead, article.id)

    return make


async def test_one_vote_per_person_which_they_can_change(kb, people, published):
    article = await published("VPN")
    alice, bob = await people.actor("alice"), await people.actor("bob")
    assert (await kb.vote(alice, article.id, helpful=True)).helpful_count == 1
    again = await kb.vote(alice, article.id, helpful=True, comment="Thanks")
    assert (again.helpful_count, again.not_helpful_count, again.comment) == (1, 0, "Thanks")
    changed = await kb.vote(alice, article.id, helpful=False, comment="Broke again")
    assert (changed.helpful_count, changed.not_helpful_count) == (0, 1)
    final = await kb.vote(bob, article.id, helpful=True)
    assert (final.helpful_count, final.not_helpful_count) == (1, 1)
    assert await kb.my_vote(alice, article.id) is False
    assert await kb.my_vote(await people.actor("it.agent"), article.id) is None
    with pytest.raises(ValidationFailed):
        await kb.vote(alice, article.id, helpful=True, comment="x" * 2001)


async def test_drafts_take_no_votes_and_no_deflections(kb, people):
    agent = await people.actor("it.agent")
    draft = await kb.create_article(agent, space="it", title="Draft", body_md="")
    with pytest.raises(NotFound):
        await kb.vote(agent, draft.id, helpful=True)
    with pytest.raises(NotFound):
        await kb.record_deflection(agent, draft.id, query="x")


async def test_views_count_reads_of_published_articles(kb, people, published):
    article = await published("VPN")
    alice = await people.actor("alice")
    await kb.view(alice, article.id)
    assert (await kb.view(alice, article.id)).views == 2
    assert (await kb.get(alice, article.id)).views == 2  # get() alone counts nothing


async def test_most_helpful_orders_by_helpful_votes(kb, people, published):
    a, b, c = await published("A"), await published("B"), await published("C")
    alice, bob = await people.actor("alice"), await people.actor("bob")
    await kb.vote(alice, b.id, helpful=True)
    await kb.vote(bob, b.id, helpful=True)
    await kb.vote(alice, c.id, helpful=True)
    await kb.vote(bob, a.id, helpful=False)
    top = await kb.most_helpful(alice, "it", limit=3)
    assert [s.title for s in top] == ["B", "C", "A"]


async def test_deflections_are_reported_per_space(kb, runtime, people, published):
    vpn, mail = await published("VPN"), await published("Mail")
    alice, bob = await people.actor("alice"), await people.actor("bob")
    await kb.record_deflection(alice, vpn.id, query="  VPN   on Mac ")
    await kb.record_deflection(bob, vpn.id, query="vpn on mac")
    await kb.record_deflection(bob, mail.id, query="")
    report = await kb.deflection_report(await people.actor("it.agent"), "it")
    assert report.total == 3
    assert [(r.title, r.deflections) for r in report.articles] == [("VPN", 2), ("Mail", 1)]
    assert [(q.query, q.count) for q in report.queries] == [("vpn on mac", 2)]
    later = runtime.clock() + dt.timedelta(days=1)
    assert (await kb.deflection_report(await people.actor("admin"), "it", since=later)).total == 0
    with pytest.raises(PermissionDenied):
        await kb.deflection_report(alice, "it")
    with pytest.raises(PermissionDenied):
        await kb.deflection_report(await people.actor("hr.agent"), "it")
