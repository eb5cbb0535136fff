"""Who reads what: audiences, drafts, other departments, admins, disabled departments."""

from __future__ import annotations

import pytest

from polydesk.core.errors import NotFound, PermissionDenied


@pytest.fixture
async def spaces(kb, people):
    """One published article in an everyone, a requesters and an agents space of IT."""
    admin = await people.actor("admin")
    await kb.create_space(
        admin, slug="it-staff", name="Staff", department="it", audience="requesters"
    )
    await kb.create_space(
        admin, slug="it-runbooks", name="Runbooks", department="it", audience="agents"
    )
    lead = await people.actor("it.lead")
    ids = {}
    for space in ("it", "it-staff", "it-runbooks"):
        article = await kb.create_article(lead, space=space, title=f"In {space}", body_md="x")
        ids[space] = (await kb.publish(lead, article.id)).id
    draft = await kb.create_article(lead, space="it", title="Draft", body_md="x")
    ids["draft"] = draft.id
    return ids


async def _readable(kb, actor, ids):
    found = set()
    for name, article_id in ids.items():
        try:
            await kb.get(actor, article_id)
        except NotFound:
            continue
        found.add(name)
    return found


async def test_each_audience_reaches_its_readers(kb, people, spaces):
    await people.add("it.requester", roles={"it": "requester"})
    cases = {
        "alice": {"it"},  # no role anywhere
        "it.requester": {"it", "it-staff"},
        "hr.agent": {"it"},  # an agent, but of another department
        "it.agent": {"it", "it-staff", "it-runbooks", "draft"},
        "it.lead": {"it", "it-staff", "it-runbooks", "draft"},
        "admin": {"it", "it-staff", "it-runbooks", "draft"},
    }
    for username, expected in cases.items():
        actor = await people.actor(username)
        assert await _readable(kb, actor, spaces) == expected, username
        listed = {s.title for s in await kb.articles(actor)}
        assert listed == {("Draft" if n == "draft" else f"In {n}") for n in expected}, username


async def test_spaces_list_only_readable_ones_with_rights(kb, people, spaces):
    slugs = {s.slug for s in await kb.spaces(await people.actor("alice"))}
    assert "it" in slugs and "it-staff" not in slugs and "it-runbooks" not in slugs
    it_spaces = await kb.spaces_of_department(await people.actor("it.agent"), "it")
    assert {s.slug for s in it_spaces} == {"it", "it-staff", "it-runbooks"}
    agent_view = await kb.space(await people.actor("it.agent"), "it")
    assert agent_view.can_edit and not agent_view.can_publish
    assert (await kb.space(await people.actor("it.lead"), "it")).can_publish
    with pytest.raises(NotFound):
        await kb.space(await people.actor("alice"), "it-runbooks")


async def test_only_admins_create_spaces(kb, people):
    with pytest.raises(PermissionDenied):
        await kb.create_space(await people.actor("it.lead"), slug="mine", name="Mine")


async def test_an_organisation_wide_space(kb, people):
    admin = await people.actor("admin")
    await kb.create_space(admin, slug="company", name="Company handbook", audience="requesters")
    article = await kb.create_article(admin, space="company", title="Holidays", body_md="x")
    await kb.publish(admin, article.id)
    assert (await kb.get(await people.actor("alice"), article.id)).title == "Holidays"
    with pytest.raises(PermissionDenied):  # any agent writes drafts, only admins publish
        await kb.publish(await people.actor("it.lead"), article.id)
