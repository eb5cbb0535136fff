"""The Content-Security-Policy in Chromium: no page breaks it, and htmx still works under it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Runs in every document before its own scripts (Playwright injects it through
# the DevTools protocol, so the policy does not apply to it).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def violations(page: Page) -> list[str]:
    """CSP violations Chromium reported: console messages and DOM events, every page."""
    seen: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return seen


def visit(page: Page, url: str, violations: list[str]) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == [], url
    assert violations == [], url
    csp = page.evaluate("fetch(location.href).then(r => r.headers.get('content-security-policy'))")
    assert "script-src 'self'" in csp


def test_no_page_breaks_the_policy_and_htmx_still_works(
    page: Page, live_server, login, violations, offsite_requests, screenshot
):
    # A requester: the portal home and a request form whose fields come and go.
    login("alice")
    visit(page, f"{live_server}/", violations)
    expect(page.locator(".card[data-department='it']")).to_be_visible()
    # The department colour now comes from /-/departments.css, not a style attribute.
    border = page.locator(".card[data-department='it']").evaluate(
        "el => getComputedStyle(el).getPropertyValue('--dept-colour').trim()"
    )
    assert re.fullmatch(r"#[0-9a-fA-F]{3,8}", border), border
    visit(page, f"{live_server}/portal/it/new/it.incident", violations)
    page.wait_for_load_state("domcontentloaded")  # htmx is deferred: it runs before this event
    expect(page.locator("#f_asset_tag")).not_to_be_visible()
    page.select_option("#f_category", "hardware")
    expect(page.locator("#f_asset_tag")).to_be_visible()
    assert violations == [] and page.evaluate("window.__cspViolations") == []

    # An agent: the queue, filtered by htmx without a reload, and a ticket page.
    page.context.clear_cookies()
    login("it.agent")
    visit(page, f"{live_server}/agent?department=it", violations)
    page.wait_for_load_state("domcontentloaded")  # htmx is deferred: it runs before this event
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<div id=\"no-reload\"></div>')")
    page.select_option("#filter-priority", "3")
    expect(page).to_have_url(re.compile(r"priority=3"))
    expect(page.locator("#no-reload")).to_have_count(1)  # swapped by htmx, not reloaded
    assert page.evaluate("window.__cspViolations") == [] and violations == []
    ticket_key = page.locator("#ticket-rows tr[data-key]").first.get_attribute("data-key")
    visit(page, f"{live_server}/agent/tickets/{ticket_key}", violations)
    expect(page.get_by_role("heading", level=1)).to_contain_text(ticket_key)

    # An administrator: the console.
    page.context.clear_cookies()
    login("admin")
    visit(page, f"{live_server}/admin", violations)
    visit(page, f"{live_server}/admin/departments", violations)

    # The API docs: Swagger UI starts from its static script and renders the schema.
    visit(page, f"{live_server}/schema/swagger", violations)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Polydesk")
    expect(page.locator(".opblock-tag", has_text="tickets").first).to_be_visible()
    assert page.evaluate("window.__cspViolations") == [] and violations == []
    screenshot()
    assert offsite_requests == []

    # The control: an injected inline script is blocked, and reported as such.
    page.evaluate(
        "document.body.append(Object.assign(document.createElement('script'),"
        " {textContent: 'window.__ranInline = true'}))"
    )
    # Polled with evaluate: wait_for_function evals its predicate, which the CSP forbids.
    for _ in range(50):
        if page.evaluate("window.__cspViolations.length") > 0:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.__ranInline") is None
    assert "script-src" in page.evaluate("window.__cspViolations")[0]
