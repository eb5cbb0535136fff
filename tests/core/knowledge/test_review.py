"""Review-by dates: the due list, the owner's count, and marking an article reviewed."""

from __future__ import annotations

import datetime as dt

import pytest

from polydesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from polydesk.core.knowledge.review import add_months


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)
    assert add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)


@pytest.fixture
def today(kb):
    return kb.snapshot.now().date()


async def _published(kb, people, title, review_by, owner="it.lead"):
    actor = await people.actor(owner)
    article = await kb.create_article(
        actor, space="it", title=title, body_md="Body", review_by=review_by
    )
    lead = await people.actor("it.lead")
    return await kb.publish(lead, article.id)


async def test_due_means_published_with_a_review_date_today_or_past(kb, people, today):
    past = await _published(kb, people, "Past", today - dt.timedelta(days=30))
    due_today = await _published(kb, people, "Today", today)
    await _published(kb, people, "Later", today + dt.timedelta(days=1))
    await _published(kb, people, "Never", None)
    lead = await people.actor("it.lead")
    await kb.create_article(lead, space="it", title="Draft", review_by=today - dt.timedelta(1))
    due = await kb.articles(lead, due_for_review=True)
    assert [a.title for a in due] == ["Past", "Today"]  # the oldest date first
    assert due[0].review_by == past.review_by
    assert (await kb.get(lead, past.id)).review_due
    assert (await kb.get(lead, due_today.id)).review_due
    assert not (await kb.get(lead, (await kb.articles(lead, status="draft"))[0].id)).review_due


async def test_the_count_is_of_the_actors_own_due_articles(kb, people, today):
    await _published(kb, people, "Lead's", today - dt.timedelta(days=1))
    await _published(kb, people, "Agent's", today - dt.timedelta(days=1), owner="it.agent")
    await _published(kb, people, "Agent's later", today + dt.timedelta(days=9), owner="it.agent")
    assert await kb.due_for_review_count(await people.actor("it.agent")) == 1
    assert await kb.due_for_review_count(await people.actor("it.lead")) == 1
    assert await kb.due_for_review_count(await people.actor("hr.agent")) == 0
    mine = await kb.articles(await people.actor("it.agent"), due_for_review=True, mine=True)
    assert [a.title for a in mine] == ["Agent's"]


async def test_marking_reviewed_sets_the_next_date_and_records_a_version(kb, people, today):
    article = await _published(kb, people, "VPN", today - dt.timedelta(days=3))
    agent = await people.actor("it.agent")
    reviewed = await kb.mark_reviewed(agent, article.id, months=6, note="still right")
    assert reviewed.review_by == add_months(today, 6) and not reviewed.review_due
    assert (reviewed.version, reviewed.published_version) == (2, 2)  # same text, still live
    assert not reviewed.has_unpublished_changes
    history = await kb.versions(agent, article.id)
    assert history[0].note == f"Reviewed; next review by {add_months(today, 6)}: still right"
    assert (history[0].author.username, history[0].body_md) == ("it.agent", "Body")
    assert await kb.articles(agent, due_for_review=True) == []


async def test_marking_reviewed_with_pending_changes_keeps_them_pending(kb, people, today):
    article = await _published(kb, people, "VPN", today)
    agent = await people.actor("it.agent")
    await kb.update_article(agent, article.id, version=1, body_md="New text")
    reviewed = await kb.mark_reviewed(agent, article.id, review_by=today + dt.timedelta(days=40))
    assert (reviewed.version, reviewed.published_version) == (3, 1)
    assert reviewed.body_md == "New text"
    alice = await people.actor("alice")
    assert (await kb.get(alice, article.id)).body_md == "Body"


async def test_bad_review_dates_and_who_may_review(kb, people, today):
    article = await _published(kb, people, "VPN", today)
    agent = await people.actor("it.agent")
    for kwargs in (
        {},
        {"months": 0},
        {"months": 25},
        {"review_by": today},
        {"review_by": today + dt.timedelta(days=800)},
        {"months": 3, "review_by": today + dt.timedelta(days=9)},
    ):
        with pytest.raises(ValidationFailed):
            await kb.mark_reviewed(agent, article.id, **kwargs)
    for reader in ("alice", "hr.agent"):  # they read it, but it is not theirs to review
        with pytest.raises(PermissionDenied):
            await kb.mark_reviewed(await people.actor(reader), article.id, months=3)
    assert (await kb.get(agent, article.id)).version == 1
    draft = await kb.create_article(agent, space="it", title="Draft", body_md="x")
    with pytest.raises(NotFound):
        await kb.mark_reviewed(await people.actor("alice"), draft.id, months=3)
