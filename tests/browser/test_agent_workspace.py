"""The agent workspace in Chromium: htmx filtering, replying, resolving, a stale save."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def log_in(page: Page, live_server: str, username: str) -> None:
    page.goto(f"{live_server}/login")
    page.fill("#username", username)
    page.fill("#password", "demo-password")
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def raise_incident(page: Page, live_server: str, form: dict, title: str) -> str:
    """A fresh incident for Alice, raised by the logged-in agent through the JSON API
    (the page's own cookies and CSRF token), so the test owns the ticket it changes."""
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


def test_agent_filters_replies_notes_and_resolves(
    page: Page, live_server, login, incident_form, offsite_requests, screenshot
):
    login("it.agent")
    title = f"Label printer prints blank pages {uuid.uuid4().hex[:6]}"
    key = raise_incident(page, live_server, incident_form(impact="low", urgency="low"), title)

    page.goto(f"{live_server}/agent")
    page.get_by_role("navigation", name="Queues").get_by_role(
        "link", name=re.compile("Unassigned incidents")
    ).click()
    expect(page).to_have_url(re.compile(r"request_type=it\.incident"))
    page.wait_for_load_state("domcontentloaded")  # htmx is deferred: it runs before this event
    # A marker that only survives if the page is never reloaded.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<div id=\"test-marker\"></div>')")

    page.select_option("#filter-priority", "4")
    expect(page).to_have_url(re.compile(r"priority=4"))
    expect(page.locator("#test-marker")).to_have_count(1)
    expect(page.locator(f'tr[data-key="{key}"]')).to_be_visible()
    badges = page.locator("#ticket-rows tr[data-key] .badge.priority").all_inner_texts()
    assert badges and set(badges) == {"P4"}
    assert "request_type=it.incident" in page.url  # the queue's filters stayed

    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(key)

    page.fill("#reply-body", "Could you try another label roll?")
    page.click("#reply-form button[type=submit]")
    reply = page.locator(".timeline > li", has_text="another label roll")
    expect(reply).to_be_visible()
    expect(reply).not_to_have_class(re.compile(r"\binternal\b"))
    expect(reply).to_contain_text("Public reply")

    page.check("input[name=visibility][value=internal]")
    page.fill("#reply-body", "Firmware 2.1 has a known bug here.")
    page.click("#reply-form button[type=submit]")
    note = page.locator(".timeline > li", has_text="Firmware 2.1")
    expect(note).to_have_class(re.compile(r"\binternal\b"))
    expect(note).to_contain_text("Internal note")

    page.get_by_role("button", name="Resolve…").click()  # htmx: the fields appear in place
    expect(page.locator("#transition-form")).to_be_visible()
    expect(page.locator("#test-marker")).to_have_count(0)  # (the reply reloaded the page)
    page.click("#transition-form button[type=submit]")  # the browser asks for the fields
    expect(page.locator("#t_resolution_code:invalid")).to_have_count(1)
    expect(page.locator("#transition-form")).to_be_visible()
    page.select_option("#t_resolution_code", "configuration")
    page.fill("#t_resolution_note", "Updated the printer firmware.")
    page.click("#transition-form button[type=submit]")
    expect(page.locator(".ticket-head .badge.state")).to_have_text("Resolved")
    expect(page.locator(".timeline")).to_contain_text("Updated the printer firmware.")
    screenshot()
    assert offsite_requests == []


def test_a_stale_save_keeps_the_reply_and_shows_what_changed(
    page: Page, browser, live_server, login, incident_form, screenshot
):
    login("it.agent")
    title = f"Docking station flickers {uuid.uuid4().hex[:6]}"
    key = raise_incident(page, live_server, incident_form(impact="medium", urgency="low"), title)
    page.goto(f"{live_server}/agent/tickets/{key}")
    typed = "Which monitor cable do you use?"
    page.fill("#reply-body", typed)

    # Meanwhile the lead, in another browser, raises the priority.
    lead_context = browser.new_context()
    lead = lead_context.new_page()
    log_in(lead, live_server, "it.lead")
    lead.goto(f"{live_server}/agent/tickets/{key}")
    lead.select_option("#d-priority", "2")
    lead.click("#details button[type=submit]")
    expect(lead.locator(".ticket-head .badge.priority")).to_have_text("P2")
    lead_context.close()

    page.click("#reply-form button[type=submit]")
    notice = page.locator("#conflict")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Someone else changed this ticket")
    expect(notice.locator("tbody tr", has_text="Priority")).to_contain_text("P2")
    expect(page.locator("#reply-body")).to_have_value(typed)
    expect(page.locator(".ticket-head .badge.priority")).to_have_text("P2")
    screenshot("test_a_stale_save_notice")

    page.click("#reply-form button[type=submit]")  # now against the current version
    expect(page.locator("#conflict")).to_have_count(0)
    expect(page.locator(".timeline > li", has_text=typed)).to_be_visible()
    screenshot()
