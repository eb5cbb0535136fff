"""The workspace's search in Chromium: typed words list newest first, and the sort
select (swapped by htmx with the list) says so; a chosen SLA order stays chosen."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_typed_search_lists_newest_first_and_the_select_shows_it(
    page: Page, live_server, login, incident_form
):
    login("it.agent")
    word = f"zebra{uuid.uuid4().hex[:6]}"
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "polydesk_csrf")
    keys = []
    # The older one urgent (due first): SLA order and newest first disagree.
    for urgency in ("high", "low"):
        response = page.request.post(
            f"{live_server}/api/v1/tickets",
            data={
                "request_type": "it.incident",
                "title": f"Scanner {word} jams ({urgency})",
                "form_data": incident_form(impact="high", urgency=urgency),
                "requester": "alice",
            },
            headers={"x-csrftoken": csrf},
        )
        assert response.status == 201, response.text()
        keys.append(response.json()["key"])
    older, newer = keys

    page.goto(f"{live_server}/agent?state_category=any")
    page.wait_for_load_state("domcontentloaded")
    sort = page.locator("#filter-sort")
    expect(sort.locator("option:checked")).to_have_text("SLA due first")

    page.fill("#filter-q", word)
    expect(page).to_have_url(re.compile(f"q={word}"))
    expect(page.locator("#ticket-rows tr[data-key]")).to_have_count(2)
    rows = page.locator("#ticket-rows tr[data-key]")
    assert [rows.nth(i).get_attribute("data-key") for i in range(2)] == [newer, older]
    expect(sort.locator("option:checked")).to_have_text("Newest first")
    assert "sort=" not in page.url

    page.select_option("#filter-sort", "sla")
    expect(page).to_have_url(re.compile(r"sort=sla"))
    expect(sort.locator("option:checked")).to_have_text("SLA due first")
    expect(page.locator("#ticket-rows tr[data-key]").first).to_have_attribute("data-key", older)
