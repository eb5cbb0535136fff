"""Files on articles over HTTP: the API, the agents' page, the portal, and downloads."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

PASSWORD = "agent-password-1"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


@pytest.fixture
async def article(client, people):
    """A published IT article, made through the API by IT's lead."""
    lead = await people.headers("it.lead")
    body = {"space": "it", "title": "VPN", "body_md": "![diagram](/knowledge/files/1)"}
    made = (await client.post("/api/v1/knowledge/articles", json=body, headers=lead)).json()
    published = await client.post(f"/api/v1/knowledge/articles/{made['id']}/publish", headers=lead)
    assert published.status_code == 201
    return made["id"]


async def upload(client, headers, article_id, name, content, content_type="application/pdf"):
    return await client.post(
        f"/api/v1/knowledge/articles/{article_id}/attachments",
        files={"file": (name, content, content_type)},
        headers=headers,
    )


async def log_in(client, username: str) -> str:
    await client.get("/login")
    token = client.cookies.get("polydesk_csrf")
    response = await client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "_csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return token


async def test_api_upload_list_download_and_delete(client, people, article):
    agent = await people.headers("it.agent")
    doc = await upload(client, agent, article, "guide.pdf", b"%PDF-1.4")
    assert doc.status_code == 201, doc.text
    assert doc.json()["filename"] == "guide.pdf" and not doc.json()["is_image"]
    image = (await upload(client, agent, article, "diagram.png", PNG, "image/png")).json()
    assert image["is_image"] and image["url"] == f"/knowledge/files/{image['id']}"
    alice = await people.headers("alice")
    listed = await client.get(f"/api/v1/knowledge/articles/{article}/attachments", headers=alice)
    assert [f["filename"] for f in listed.json()] == ["guide.pdf", "diagram.png"]
    got = (await client.get(f"/api/v1/knowledge/articles/{article}", headers=alice)).json()
    assert [f["id"] for f in got["attachments"]] == [doc.json()["id"], image["id"]]
    # A requester may not add or remove files; an agent removes them.
    assert (await upload(client, alice, article, "x.pdf", b"x")).status_code == 403
    url = f"/api/v1/knowledge/attachments/{doc.json()['id']}"
    assert (await client.delete(url, headers=alice)).status_code == 403
    assert (await client.delete(url, headers=agent)).status_code == 204
    assert (await client.get(doc.json()["url"], headers=agent)).status_code == 404
    assert (await client.delete(url, headers=agent)).status_code == 404


async def test_api_bad_uploads_are_422_and_nothing_is_stored(client, people, article):
    agent = await people.headers("it.agent")
    empty = await upload(client, agent, article, "empty.pdf", b"")
    assert empty.status_code == 422 and "empty" in empty.text
    missing = await client.post(
        f"/api/v1/knowledge/articles/{article}/attachments", files={}, headers=agent
    )
    assert missing.status_code in (400, 422)
    listed = await client.get(f"/api/v1/knowledge/articles/{article}/attachments", headers=agent)
    assert listed.json() == []


async def test_downloads_images_inline_everything_else_as_attachment(client, people, article):
    agent = await people.headers("it.agent")
    doc = (await upload(client, agent, article, "évier guide.html", b"<script>x</script>")).json()
    image = (await upload(client, agent, article, "diagram.png", PNG, "image/png")).json()
    svg = (await upload(client, agent, article, "logo.svg", SVG, "image/svg+xml")).json()
    alice = await people.headers("alice")

    html = await client.get(doc["url"], headers=alice)
    assert html.status_code == 200 and html.content == b"<script>x</script>"
    assert html.headers["content-type"] == "application/octet-stream"
    assert html.headers["content-disposition"] == (
        "attachment; filename*=UTF-8''%C3%A9vier%20guide.html"
    )
    assert html.headers["x-content-type-options"] == "nosniff"

    shown = await client.get(image["url"], headers=alice)
    assert shown.content == PNG and shown.headers["content-type"] == "image/png"
    assert shown.headers["content-disposition"].startswith("inline;")
    assert shown.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in shown.headers["content-security-policy"]
    downloaded = await client.get(image["url"], params={"download": "1"}, headers=alice)
    assert downloaded.headers["content-disposition"].startswith("attachment;")

    never_inline = await client.get(svg["url"], headers=alice)
    assert never_inline.headers["content-type"] == "application/octet-stream"
    assert never_inline.headers["content-disposition"].startswith("attachment;")


async def test_files_of_a_draft_are_404_for_readers_and_other_departments(client, people):
    agent = await people.headers("it.agent")
    body = {"space": "it", "title": "Draft", "body_md": "x"}
    draft = (await client.post("/api/v1/knowledge/articles", json=body, headers=agent)).json()
    doc = (await upload(client, agent, draft["id"], "plan.pdf", b"%PDF")).json()
    assert (await client.get(doc["url"], headers=agent)).status_code == 200
    for outsider in ("alice", "hr.agent"):
        headers = await people.headers(outsider)
        assert (await client.get(doc["url"], headers=headers)).status_code == 404
        listing = f"/api/v1/knowledge/articles/{draft['id']}/attachments"
        assert (await client.get(listing, headers=headers)).status_code == 404
        gone = f"/api/v1/knowledge/attachments/{doc['id']}"
        assert (await client.delete(gone, headers=headers)).status_code == 404
    anonymous = await client.get(doc["url"], follow_redirects=False)
    assert anonymous.status_code == 303 and "/login" in anonymous.headers["location"]


async def test_agent_page_uploads_shows_and_removes_files(client, people, article):
    await people.add("kb.agent", roles={"it": "agent"}, password=PASSWORD)
    token = await log_in(client, "kb.agent")
    page = f"/agent/knowledge/{article}"
    response = await client.post(
        f"{page}/files",
        data={"_csrf_token": token},
        files=[
            ("files", ("guide.pdf", b"%PDF-1.4", "application/pdf")),
            ("files", ("diagram.png", PNG, "image/png")),
        ],
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    html = BeautifulSoup((await client.get(page)).text, "html.parser")
    items = html.select("#files .kb-file-list li")
    assert [li.select_one("a").text for li in items] == ["guide.pdf", "diagram.png"]
    image_id = items[1]["data-file"]
    assert f"![diagram.png](/knowledge/files/{image_id})" in items[1].text
    # The body's image points at the file and the sanitiser kept it.
    assert html.select_one(".kb-body img")["src"] == "/knowledge/files/1"

    empty = await client.post(
        f"{page}/files",
        data={"_csrf_token": token},
        files=[("files", ("empty.txt", b"", "text/plain"))],
        follow_redirects=False,
    )
    assert empty.status_code == 422
    error = BeautifulSoup(empty.text, "html.parser").select_one("#kb-files-error").text
    assert "empty" in error

    removed = await client.post(
        f"{page}/files/{items[0]['data-file']}/delete",
        data={"_csrf_token": token},
        follow_redirects=False,
    )
    assert removed.status_code == 303
    html = BeautifulSoup((await client.get(page)).text, "html.parser")
    assert [a.text for a in html.select("#files .kb-file-list li > a")] == ["diagram.png"]


async def test_portal_article_lists_its_files(client, people, article):
    agent = await people.headers("it.agent")
    await upload(client, agent, article, "guide.pdf", b"%PDF")
    await people.add("rita", password=PASSWORD)
    await log_in(client, "rita")
    html = BeautifulSoup((await client.get(f"/portal/articles/{article}")).text, "html.parser")
    link = html.select_one(".kb-files a")
    assert link.text == "guide.pdf" and link["href"].endswith("?download=1")
    assert (await client.get(link["href"])).content == b"%PDF"
