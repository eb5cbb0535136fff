"""Problems: a known error becomes a draft help article with its workaround."""

from __future__ import annotations

from polydesk.core.knowledge.services import KnowledgeService


async def test_a_known_error_drafts_an_article_for_agents_to_publish(runtime, people, helpdesk):
    problem = await helpdesk.file(
        "it.agent", "it.problem", helpdesk.sample("it.problem"), title="Outlook crashes on start"
    )
    await helpdesk.move("it.agent", problem.id, "investigate")
    await helpdesk.move(
        "it.agent",
        problem.id,
        "record_known_error",
        root_cause="A corrupt add-in cache after the 2.3 update.",
        workaround="Start Outlook with /safe and remove the add-in cache.",
    )
    await helpdesk.deliver()
    knowledge = KnowledgeService(await runtime.snapshot())
    agent = await people.actor("it.agent")
    drafts = await knowledge.articles(agent, status="draft")
    article = next(a for a in drafts if a.title == "Known error: Outlook crashes on start")
    body = (await knowledge.get(agent, article.id, working_copy=True)).body_md
    assert "remove the add-in cache" in body and "corrupt add-in cache" in body
    assert any("Draft help article" in note for note in await helpdesk.notes(problem.id))
    # A requester does not see the draft until a lead publishes it.
    alice = await people.actor("alice")
    assert article.id not in [a.id for a in await knowledge.articles(alice)]


async def test_the_draft_is_written_in_the_organisations_language(runtime, people, helpdesk):
    """The article is stored text everyone reads alike, so it is written in the
    organisation's language (its headings and title), with what the agent typed as is."""
    import dataclasses

    runtime.settings = dataclasses.replace(runtime.settings, default_locale="pl")
    problem = await helpdesk.file(
        "it.agent", "it.problem", helpdesk.sample("it.problem"), title="Outlook się zawiesza"
    )
    await helpdesk.move("it.agent", problem.id, "investigate")
    await helpdesk.move(
        "it.agent",
        problem.id,
        "record_known_error",
        root_cause="Uszkodzona pamięć podręczna dodatku.",
        workaround="Uruchom Outlooka z /safe.",
    )
    await helpdesk.deliver()
    knowledge = KnowledgeService(await runtime.snapshot())
    agent = await people.actor("it.agent")
    [article] = [a for a in await knowledge.articles(agent, status="draft") if "Outlook" in a.title]
    assert article.title == "Znany błąd: Outlook się zawiesza"
    body = (await knowledge.get(agent, article.id, working_copy=True)).body_md
    assert "## Przyczyna\n\nUszkodzona pamięć podręczna dodatku." in body
    assert "## Obejście\n\nUruchom Outlooka z /safe." in body
    assert "Workaround" not in body and "Symptoms" not in body
