"""Department announcements through the HTML: leads post them, requesters read them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from bs4 import BeautifulSoup

from polydesk.core.announcements.tables import Announcement
from tests.web.test_portal_pages import log_in, soup


@pytest.fixture(autouse=True)
async def no_announcements(db: None) -> AsyncIterator[None]:
    """The conftest does not know this table: empty it before and after each test."""
    await Announcement.delete(force=True)
    yield
    await Announcement.delete(force=True)


def announcements(page: BeautifulSoup) -> list[dict[str, str]]:
    return [
        {
            "severity": a["data-severity"],
            "role": a["role"],
            "text": " ".join(a.get_text(" ").split()),
        }
        for a in page.select("article.announcement")
    ]


async def post(client, csrf: str, slug: str, **fields: str):
    return await client.post(
        f"/portal/{slug}/announcements",
        data={"_csrf_token": csrf, "severity": "info", "starts_at": "", **fields},
        follow_redirects=False,
    )


async def test_a_lead_posts_and_a_requester_reads_it(client, people):
    csrf = await log_in(client, people, "it.lead")
    portal = soup(await client.get("/portal/it"))
    link = portal.find("a", string="Announcements")
    assert link is not None and link["href"] == "/portal/it/announcements"
    form_page = await client.get(link["href"])
    assert form_page.status_code == 200
    assert soup(form_page).find("form", action="/portal/it/announcements") is not None

    response = await post(
        client,
        csrf,
        "it",
        title="E-mail is down",
        body="We are on it.",
        link="https://status.example.com",
        severity="outage",
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/portal/it/announcements?done=posted"
    response = await post(client, csrf, "it", title="New printers on floor 3")
    assert response.status_code == 303
    listed = soup(await client.get("/portal/it/announcements?done=posted"))
    assert "Announcement posted." in listed.get_text()
    assert len(listed.select("tr[data-announcement]")) == 2

    await log_in(client, people, "alice")
    page = soup(await client.get("/portal/it"))
    assert page.find("a", string="Announcements") is None
    shown = announcements(page)
    assert [(a["severity"], a["role"]) for a in shown] == [("outage", "alert"), ("info", "status")]
    assert "E-mail is down" in shown[0]["text"] and "We are on it." in shown[0]["text"]
    assert page.find("a", href="https://status.example.com") is not None
    # The home page carries outages and warnings only, naming the department.
    home = announcements(soup(await client.get("/")))
    assert len(home) == 1 and "E-mail is down" in home[0]["text"] and "IT" in home[0]["text"]
    # Other departments' portals do not.
    assert announcements(soup(await client.get("/portal/hr"))) == []


async def test_requesters_and_agents_get_404_on_the_manage_pages(client, people):
    csrf = await log_in(client, people, "it.lead")
    assert (await post(client, csrf, "it", title="Kept")).status_code == 303
    announcement_id = (await Announcement.select(Announcement.id).first())["id"]
    for username in ("alice", "it.agent"):
        csrf = await log_in(client, people, username)
        assert (await client.get("/portal/it/announcements")).status_code == 404
        assert (await post(client, csrf, "it", title="Sneaky")).status_code == 404
        for action in ("end", "delete"):
            response = await client.post(
                f"/portal/it/announcements/{announcement_id}/{action}",
                data={"_csrf_token": csrf},
                follow_redirects=False,
            )
            assert response.status_code == 404
    # A lead of IT does not manage HR's.
    await log_in(client, people, "it.lead")
    assert (await client.get("/portal/hr/announcements")).status_code == 404
    assert await Announcement.count() == 1
    client.cookies.clear()
    anonymous = await client.get("/portal/it/announcements", follow_redirects=False)
    assert anonymous.status_code in (302, 303, 401)


async def test_html_in_the_body_is_escaped(client, people):
    csrf = await log_in(client, people, "admin")
    body = '<script>alert("x")</script><b>bold</b>'
    response = await post(client, csrf, "it", title="<i>Title</i>", body=body, severity="warning")
    assert response.status_code == 303
    await log_in(client, people, "alice")
    for url in ("/portal/it", "/"):
        html = (await client.get(url)).text
        assert "<script>alert" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;" in html and "&lt;i&gt;Title&lt;/i&gt;" in html


async def test_refused_form_keeps_values_and_names_each_field(client, people):
    csrf = await log_in(client, people, "it.lead")
    response = await post(
        client,
        csrf,
        "it",
        title="  ",
        body="Typed text",
        starts_at="2026-11-23T10:00",
        ends_at="2026-11-23T09:00",
    )
    assert response.status_code == 422
    page = soup(response)
    assert page.find(id="title-error") is not None and page.find(id="ends_at-error") is not None
    assert page.find("textarea", id="body").get_text() == "Typed text"
    assert page.find(id="title")["aria-invalid"] == "true"
    bad_time = await post(client, csrf, "it", title="Fine", ends_at="tomorrow")
    assert bad_time.status_code == 422
    assert soup(bad_time).find(id="ends_at-error") is not None
    assert await Announcement.count() == 0


async def test_leads_end_and_delete(client, people):
    csrf = await log_in(client, people, "it.lead")
    await post(client, csrf, "it", title="First", severity="warning")
    await post(client, csrf, "it", title="Second")
    rows = await Announcement.select(Announcement.id, Announcement.title)
    ids = {r["title"]: r["id"] for r in rows}
    response = await client.post(
        f"/portal/it/announcements/{ids['First']}/end",
        data={"_csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    response = await client.post(
        f"/portal/it/announcements/{ids['Second']}/delete",
        data={"_csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    manage = soup(await client.get("/portal/it/announcements"))
    assert [r["data-status"] for r in manage.select("tr[data-announcement]")] == ["ended"]
    assert announcements(soup(await client.get("/portal/it"))) == []
    assert announcements(soup(await client.get("/"))) == []
