"""Linking a help article in a reply, in Chromium: the agent searches beside the reply
form, "Insert link" puts the link where the cursor is, and the requester clicks it."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VPN_TITLE = "Connecting to the VPN from home or on the road"


def raise_incident(page: Page, live_server: str, form: dict, title: str) -> str:
    """A fresh incident for Alice, raised by the logged-in agent through the JSON API."""
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "polydesk_csrf")
    response = page.request.post(
        f"{live_server}/api/v1/tickets",
        data={
            "request_type": "it.incident",
            "title": title,
            "form_data": form,
            "requester": "alice",
        },
        headers={"x-csrftoken": csrf},
    )
    assert response.status == 201, response.text()
    return response.json()["key"]


def test_agent_inserts_an_article_link_and_the_requester_follows_it(
    page: Page, live_server, login, incident_form, offsite_requests, screenshot
):
    login("it.agent")
    key = raise_incident(
        page, live_server, incident_form(), f"VPN drops every hour {uuid.uuid4().hex[:6]}"
    )
    page.goto(f"{live_server}/agent/tickets/{key}")
    page.wait_for_load_state("domcontentloaded")  # htmx is deferred: it runs before this event

    body = page.locator("#reply-body")
    body.fill("Hello. Thanks!")
    body.evaluate("el => { el.focus(); el.setSelectionRange(6, 6); }")  # after "Hello."

    page.get_by_text("Link a help article").click()
    page.fill("#kb-link-q", "vpn")
    insert = page.locator("#kb-link-results li", has_text=VPN_TITLE).get_by_role(
        "button", name="Insert link"
    )
    expect(insert).to_be_visible()  # the results came by htmx, the page did not reload
    article_path = insert.get_attribute("data-insert").rsplit(": ", 1)[1]
    assert re.fullmatch(r"/portal/articles/\d+", article_path)
    insert.click()
    expect(body).to_have_value(f"Hello. {VPN_TITLE}: {article_path} Thanks!")
    expect(body).to_be_focused()

    page.click("#reply-form button[type=submit]")
    reply = page.locator(".timeline > li", has_text="Hello.")
    expect(reply.locator("a.article-link")).to_have_attribute("href", article_path)

    page.context.clear_cookies()
    login("alice")
    page.goto(f"{live_server}/requests/{key}")
    link = page.locator(".timeline a.article-link")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", article_path)
    screenshot()
    link.click()
    expect(page).to_have_url(f"{live_server}{article_path}")
    expect(page.locator(".kb-article > header h1")).to_have_text(VPN_TITLE)
    assert offsite_requests == []
