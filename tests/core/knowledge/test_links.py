"""Linking articles in replies: what is offered, and which text becomes a link."""

from __future__ import annotations

import pytest

from polydesk.core.demo import sample_form_data
from polydesk.core.errors import NotFound
from polydesk.core.knowledge.links import linkify_article_paths
from polydesk.core.tickets.services import TicketService


@pytest.fixture
async def ticket(runtime, people):
    alice = await people.actor("alice")
    tickets = TicketService(await runtime.snapshot())
    return await tickets.create(
        alice,
        request_type="it.incident",
        title="VPN is down",
        description="It fails",
        form_data=sample_form_data(runtime.registry.request_types["it.incident"].form),
    )


async def test_only_published_articles_the_requester_may_read_are_offered(kb, people, ticket):
    admin = await people.actor("admin")
    await kb.create_space(
        admin, slug="it-runbooks", name="Runbooks", department="it", audience="agents"
    )
    lead = await people.actor("it.lead")
    public = await kb.create_article(lead, space="it", title="VPN setup", body_md="vpn client")
    await kb.publish(lead, public.id)
    runbook = await kb.create_article(
        lead, space="it-runbooks", title="VPN runbook", body_md="vpn restart"
    )
    await kb.publish(lead, runbook.id)
    await kb.create_article(lead, space="it", title="VPN draft", body_md="vpn draft")
    agent = await people.actor("it.agent")
    # The agent could find all three, but the requester reads only the published public one.
    assert {h.title for h in await kb.search(agent, "vpn")} == {
        "VPN setup",
        "VPN runbook",
        "VPN draft",
    }
    hits = await kb.articles_for_reply(agent, ticket.key, "vpn")
    assert [h.title for h in hits] == ["VPN setup"]
    assert await kb.articles_for_reply(agent, ticket.key, "  ") == []


async def test_someone_who_cannot_see_the_ticket_gets_not_found(kb, people, ticket):
    with pytest.raises(NotFound):
        await kb.articles_for_reply(await people.actor("bob"), ticket.key, "vpn")


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            "VPN setup: /portal/articles/12.",
            'VPN setup: <a href="/portal/articles/12" class="article-link">'
            "/portal/articles/12</a>.",
        ),
        (
            "(/portal/articles/7)",
            '(<a href="/portal/articles/7" class="article-link">/portal/articles/7</a>)',
        ),
        ("https://elsewhere.example/portal/articles/3", None),
        ("/portal/articles/5/../../admin", None),
        ("/portal/articles/8?next=//evil", None),
        ("x/portal/articles/9", None),
        ("/portal/articles/abc", None),
    ],
)
def test_only_same_site_article_paths_become_links(text, html):
    assert linkify_article_paths(text) == (html if html is not None else text.replace("&", "&amp;"))


def test_everything_else_is_escaped():
    out = linkify_article_paths('<script>alert("x")</script> /portal/articles/1 <b>')
    assert out.startswith("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <a href=")
    assert out.endswith("</a> &lt;b&gt;")
