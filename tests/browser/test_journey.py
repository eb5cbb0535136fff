"""Issue 4, browser path 1: a request from filing to rating, across two people.

A requester files an IT incident and sees help articles while typing the title;
an agent finds it at the top of the IT incident queue, replies and resolves it;
the requester sees the reply and rates the service.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLE = "VPN disconnects every few minutes"


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", "demo-password")
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def test_requester_files_agent_resolves_requester_rates(
    browser: Browser, live_server, offsite_requests, page
):
    # --- the requester files an incident, with suggestions as the title is typed
    requester = page
    _log_in(requester, live_server, "alice")
    requester.get_by_role("link", name="IT", exact=True).click()
    requester.get_by_role("link", name="Report an incident").first.click()
    expect(requester).to_have_url(re.compile(r"/portal/it/new/it\.incident$"))
    requester.wait_for_load_state("domcontentloaded")  # htmx is deferred: it runs before this event
    requester.locator("#title").press_sequentially("VPN disconnects", delay=30)
    expect(requester.locator("#suggestions li").first).to_be_visible()
    expect(requester.locator("#suggestions")).to_contain_text("VPN")
    requester.locator("#title").press_sequentially(" every few minutes", delay=10)
    requester.fill("#description", "Since this morning the VPN drops every 5 minutes.")
    requester.select_option("#f_affected_service", index=1)
    requester.select_option("#f_category", "network")
    requester.select_option("#f_impact", "medium")
    requester.select_option("#f_urgency", "high")
    requester.get_by_role("button", name="Send request").click()
    expect(requester).to_have_url(re.compile(r"/requests/IT-\d+$"))
    key = requester.url.rsplit("/", 1)[1]
    expect(requester.get_by_role("heading", level=1)).to_contain_text(TITLE)
    requester.screenshot(path=str(_artifact("journey-1-filed")), full_page=True)

    # --- an agent, in their own browser session, finds it first in the IT incident queue
    agent_context = browser.new_context()
    agent = agent_context.new_page()
    _log_in(agent, live_server, "it.agent")
    agent.goto(f"{live_server}/agent?department=it&request_type=it.incident&sort=newest")
    first_row = agent.locator("#ticket-rows tr[data-key]").first
    expect(first_row).to_have_attribute("data-key", key)
    expect(first_row).to_contain_text(TITLE)
    expect(first_row.locator(".badge.sla").first).to_be_visible()
    first_row.get_by_role("link", name=TITLE).click()
    expect(agent.get_by_role("heading", level=1)).to_contain_text(key)
    agent.fill("#reply-body", "We reset your VPN profile; please reconnect.")
    agent.click("#reply-form button[type=submit]")
    expect(agent.locator(".timeline")).to_contain_text("reset your VPN profile")
    start = agent.get_by_role("button", name=re.compile(r"^Start"))
    if start.count():
        start.first.click()
    agent.get_by_role("button", name="Resolve…").click()
    agent.select_option("#t_resolution_code", index=1)
    agent.fill("#t_resolution_note", "VPN profile reset; the client reconnects normally.")
    agent.click("#transition-form button[type=submit]")
    expect(agent.locator(".ticket-head .badge.state")).to_have_text("Resolved")
    agent.screenshot(path=str(_artifact("journey-2-resolved")), full_page=True)
    agent_context.close()

    # --- the requester sees the reply and rates the service
    requester.goto(f"{live_server}/requests/{key}")
    expect(requester.locator("body")).to_contain_text("reset your VPN profile")
    expect(requester.locator("body")).not_to_contain_text("internal")
    requester.check("#score-5")
    requester.fill("#rating-comment", "Fixed within the hour, thank you!")
    requester.get_by_role("button", name="Send rating").click()
    expect(requester.locator("#rating")).to_contain_text("Fixed within the hour")
    requester.screenshot(path=str(_artifact("journey-3-rated")), full_page=True)
    assert offsite_requests == []


def _artifact(name: str):
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder / f"{name}.png"
