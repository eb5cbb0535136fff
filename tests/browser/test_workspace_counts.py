"""The workspace side bar's counts in Chromium: they arrive after the page, by htmx,
in one request, under the Content-Security-Policy, and stay through the list's updates."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# As in test_csp.py: every document records the policy's violations before its own scripts.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def shown_counts(page: Page) -> dict[str, str]:
    """Queue link id → the count shown beside it (its visible text)."""
    return page.locator(".queues a.queue-link").evaluate_all(
        "links => Object.fromEntries(links.map(a => [a.id,"
        " document.getElementById(a.id + '-count').firstChild.textContent.trim()]))"
    )


def test_the_counts_appear_after_the_page_and_survive_the_list_updates(
    page: Page, live_server, login, offsite_requests, screenshot
):
    violations: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    counts_requests: list[str] = []
    page.on(
        "request", lambda r: counts_requests.append(r.url) if "/agent/counts" in r.url else None
    )
    login("it.agent")
    # What the counts must be: the page without JavaScript's (the <noscript> link).
    plain = page.request.get(f"{live_server}/agent/counts")
    assert plain.status == 200
    expected = dict(re.findall(r'id="([\w-]+)-count" title="[^"]*">([^<]+)<', plain.text()))
    assert len(expected) >= 6 and any(n != "0" for n in expected.values())

    page.goto(f"{live_server}/agent")
    nav = page.get_by_role("navigation", name="Queues")
    p1 = nav.get_by_role("link", name=re.compile("P1 and P2 incidents"))
    expect(page.locator("#" + p1.get_attribute("id") + "-count")).to_have_text(re.compile(r"\d"))
    assert shown_counts(page) == expected
    # Announced with the link, as "12 tickets", once loaded.
    expect(p1).to_have_accessible_description(re.compile(r"^\d+\+? tickets$"))
    assert counts_requests == [f"{live_server}/agent/counts"]

    # Filtering (htmx) and the list's minute refresh replace the list, not the counts.
    page.select_option("#filter-priority", "3")
    expect(page).to_have_url(re.compile(r"priority=3"))
    refresh = page.locator("#list-tail").get_attribute("hx-get")
    page.evaluate(
        "url => htmx.ajax('GET', url, {target: '#ticket-list', swap: 'outerHTML'})", refresh
    )
    page.wait_for_load_state("networkidle")
    assert shown_counts(page) == expected
    assert len(counts_requests) == 1
    assert violations == [] and page.evaluate("window.__cspViolations") == []
    screenshot()
    assert offsite_requests == []
