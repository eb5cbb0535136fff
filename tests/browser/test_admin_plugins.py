"""Browser path 3 of the web issue: an admin disables Legal and enables it again.

Legal's portal card and request types disappear for everyone, its tickets stay
visible to the admin, and enabling it brings everything back. The live server is
shared by the session, so Legal is enabled again whatever happens here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _csrf(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "polydesk_csrf")


def _legal_request_types(page, live_server: str) -> list[dict]:
    response = page.request.get(f"{live_server}/api/v1/request-types")
    assert response.ok
    return [t for t in response.json() if t["department"] == "legal"]


@pytest.fixture
def requester(browser, live_server):
    """A second browser, logged in as the requester alice."""
    context = browser.new_context()
    other = context.new_page()
    other.goto(f"{live_server}/login")
    other.fill("#username", "alice")
    other.fill("#password", "demo-password")
    other.click("form[action='/login'] button[type=submit]")
    other.wait_for_url(lambda url: "/login" not in url)
    yield other
    context.close()


def test_admin_disables_legal_and_enables_it_again(
    page, live_server, login, requester, offsite_requests, screenshot
):
    login("admin")
    try:
        page.goto(f"{live_server}/admin/plugins")
        page.wait_for_load_state("domcontentloaded")  # htmx is deferred: it runs before this event
        legal = page.locator("#plugin-legal")
        expect(legal).to_contain_text("Enabled")
        before = page.request.get(f"{live_server}/api/v1/tickets?department=legal").json()
        assert before["items"], "the demo seeds Legal tickets"

        legal.get_by_role("button", name="Disable legal").click()
        # htmx swapped the row in place: no reload, the button now enables.
        expect(page.locator("#plugin-legal")).to_contain_text("Disabled")
        expect(page.locator("#plugin-legal").get_by_role("button")).to_have_text("Enable legal")
        expect(page.locator("#plugin-legal-toggle")).to_be_focused()  # keyboard users stay put
        expect(page.get_by_role("heading", name="Plugins")).to_be_visible()

        # The requester's portal and catalog lose Legal at once.
        requester.goto(f"{live_server}/")
        expect(requester.locator("[data-department]").first).to_be_visible()
        expect(requester.locator('[data-department="legal"]')).to_have_count(0)
        expect(requester.locator('[data-department="it"]')).to_have_count(1)
        assert _legal_request_types(requester, live_server) == []
        assert requester.request.get(f"{live_server}/portal/legal").status == 404
        ARTIFACTS.mkdir(exist_ok=True)
        requester.screenshot(path=str(ARTIFACTS / "admin-legal-disabled-requester-portal.png"))

        # The admin still sees Legal's tickets: in the API, and in the workspace.
        after = page.request.get(f"{live_server}/api/v1/tickets?department=legal").json()
        assert [t["key"] for t in after["items"]] == [t["key"] for t in before["items"]]
        page.goto(f"{live_server}/agent?department=legal")
        row = page.locator('#ticket-rows tr[data-key^="LEG-"]').first
        key = row.get_attribute("data-key")
        row.get_by_role("link").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(key)
        page.goto(f"{live_server}/admin/departments")
        expect(page.locator("#department-legal header")).to_contain_text("Disabled")

        page.goto(f"{live_server}/admin/plugins")
        page.locator("#plugin-legal").get_by_role("button", name="Enable legal").click()
        expect(page.locator("#plugin-legal")).to_contain_text("Enabled")
    finally:
        # Other browser tests share this server: Legal must be back whatever happened.
        page.request.post(
            f"{live_server}/api/v1/plugins/legal/enable", headers={"x-csrftoken": _csrf(page)}
        )

    requester.goto(f"{live_server}/")
    expect(requester.locator('[data-department="legal"]')).to_have_count(1)
    assert _legal_request_types(requester, live_server)
    assert requester.request.get(f"{live_server}/portal/legal").ok
    page.goto(f"{live_server}/admin/plugins")
    expect(page.locator("#plugin-legal")).to_contain_text("Enabled")
    assert offsite_requests == []
    screenshot()
