"""Stored and reflected script injection: every page that shows a title, a body, a
comment, a form value, an article or a file name shows it as text.

A payload "ran" if the parsed page holds an element the payload created: a
<script> with its marker, any element with an on* attribute, or a link or
image whose URL starts with `javascript:`.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

PAYLOADS = [
    "<script>alert('pwn1')</script>",
    "\"><img src=x onerror=alert('pwn2')>",
    "<a href=\"javascript:alert('pwn3')\">click</a>",
    "</textarea><svg onload=alert('pwn4')>",
    "{{ 7*7 }}{% raw %}<iframe src=javascript:alert('pwn5')>",
]


def injected(html: str) -> list[str]:
    """Elements on the page that an injected payload would have created."""
    page = BeautifulSoup(html, "html.parser")
    found = []
    for tag in page.find_all(True):
        if tag.name == "script" and "pwn" in (tag.string or ""):
            found.append(str(tag))
        if any(attr.lower().startswith("on") for attr in tag.attrs):
            found.append(str(tag)[:80])
        for attr in ("href", "src", "action", "formaction"):
            value = str(tag.get(attr) or "").strip().lower()
            if value.startswith("javascript:"):
                found.append(str(tag)[:80])
        if tag.name in ("iframe", "svg", "img") and "pwn" in str(tag):
            found.append(str(tag)[:80])
    return found


def test_the_detector_sees_every_payload_when_it_is_not_escaped():
    """The control for the tests below: unescaped, each payload is found."""
    for payload in PAYLOADS:
        assert injected(f"<main><p>{payload}</p></main>"), payload


@pytest.mark.parametrize("payload", PAYLOADS)
async def test_ticket_text_is_escaped_on_every_page(client, cast, desk, form_of, payload, login):
    requester = await cast.actor("carol")
    agent = await cast.actor("it.agent")
    form = form_of("it.incident")
    text_fields = [
        f.key
        for f in desk.registry.request_types["it.incident"].form.fields
        if f.type in ("text", "textarea")
    ]
    for key in text_fields:
        limit = desk.registry.request_types["it.incident"].form.field(key).max_length or 100
        form[key] = payload[:limit]
    ticket = await desk.create(
        requester,
        request_type="it.incident",
        title=payload[:200],
        description=payload,
        form_data=form,
    )
    await desk.comment(agent, ticket.id, body=payload)
    await desk.comment(agent, ticket.id, body=payload, public=False)
    child = await desk.create(
        agent,
        request_type="it.incident",
        title=f"child {payload}"[:200],
        form_data=form_of("it.incident"),
        requester="carol",
        parent=ticket.id,
    )
    await desk.link(agent, child.id, target=ticket.id, kind="relates_to")
    from polydesk.core.tickets.attachments import add_attachment

    await add_attachment(
        desk,
        requester,
        ticket.id,
        filename=f"{payload}.pdf",
        content_type="text/html",
        content=b"x",
    )
    await login("carol")
    for url in ("/", "/requests", f"/requests/{ticket.key}", f"/requests/{child.key}"):
        response = await client.get(url)
        assert response.status_code == 200, url
        assert not injected(response.text), (url, injected(response.text))
    assert "pwn" in (await client.get(f"/requests/{ticket.key}")).text  # shown, as text
    await login("it.agent")
    for url in (
        "/agent",
        "/agent?q=pwn&state_category=any",
        f"/agent/tickets/{ticket.key}",
        f"/agent/tickets/{child.key}",
        f"/agent/tickets/{ticket.key}/sla",
    ):
        response = await client.get(url)
        assert response.status_code == 200, url
        assert not injected(response.text), (url, injected(response.text))
    fragment = await client.get("/agent?state_category=any", headers={"HX-Request": "true"})
    assert not injected(fragment.text)


async def test_downloads_never_render_and_file_names_cannot_split_headers(
    client, cast, desk, form_of, login
):
    from polydesk.core.tickets.attachments import add_attachment

    carol = await cast.actor("carol")
    ticket = await desk.create(
        carol, request_type="it.incident", title="Files", form_data=form_of("it.incident")
    )
    meta = await add_attachment(
        desk,
        carol,
        ticket.id,
        filename='../../etc/passwd\r\nSet-Cookie: stolen=1; "x.html',
        content_type="text/html",
        content=b"<script>alert('pwn')</script>",
    )
    assert "/" not in meta.filename and "\r" not in meta.filename and "\n" not in meta.filename
    await login("carol")
    response = await client.get(f"/tickets/{ticket.key}/attachments/{meta.id}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "stolen" not in response.headers.get("set-cookie", "")
    assert "\n" not in response.headers["content-disposition"]


async def test_articles_are_sanitised_on_the_portal_and_in_the_workspace(client, cast, login):
    admin = await cast.headers("admin")
    body_md = "\n\n".join(
        [
            "Hello <script>alert('pwn1')</script>",
            "<img src=x onerror=\"alert('pwn2')\">",
            "[click](javascript:alert('pwn3'))",
            "<a href=\"JaVaScRiPt:alert('pwn4')\">x</a>",
            "<div onclick=\"alert('pwn5')\">div</div>",
            '<iframe src="https://evil.example"></iframe>',
        ]
    )
    created = await client.post(
        "/api/v1/knowledge/articles",
        json={"space": "it", "title": "<script>alert('pwn0')</script> VPN", "body_md": body_md},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    article = created.json()
    published = await client.post(
        f"/api/v1/knowledge/articles/{article['id']}/publish", json={}, headers=admin
    )
    assert published.status_code in (200, 201)
    api = await client.get(f"/api/v1/knowledge/articles/{article['id']}", headers=admin)
    assert not injected(api.json().get("body_html", ""))
    await login("carol")
    page = await client.get(f"/portal/articles/{article['id']}")
    assert page.status_code == 200 and not injected(page.text), injected(page.text)
    assert "<iframe" not in page.text
    search = await client.get("/search?q=VPN")
    assert not injected(search.text)
    hits = await client.get("/api/v1/knowledge/search", params={"q": "VPN"}, headers=admin)
    for hit in hits.json():
        assert not injected(hit.get("title_html", "") + hit.get("snippet_html", ""))
    await login("it.lead")
    for url in (f"/agent/knowledge/{article['id']}", "/agent/knowledge"):
        response = await client.get(url)
        assert response.status_code == 200 and not injected(response.text), url


@pytest.mark.parametrize(
    "url",
    [
        "/search?q=%22%3E%3Cscript%3Ealert('pwn')%3C/script%3E",
        "/agent?q=%22%3E%3Cimg%20src=x%20onerror=alert('pwn')%3E",
        "/requests/%3Cscript%3Ealert('pwn')%3C%2Fscript%3E",
        "/portal/it/suggest?title=%3Cimg%20src=x%20onerror=alert('pwn')%3E",
        "/login?next=javascript:alert('pwn')",
        "/portal/%3Csvg%20onload=alert('pwn')%3E",
    ],
)
async def test_reflected_input_is_escaped(client, cast, login, url):
    await login("it.agent")
    response = await client.get(url)
    assert response.status_code < 500
    assert not injected(response.text), injected(response.text)


async def test_the_portal_request_form_refilled_after_an_error_escapes_what_was_typed(
    client, cast, login, form_of
):
    csrf = await login("carol")
    fields = {f"f_{k}": v for k, v in form_of("it.incident").items()}
    fields["f_impact"] = "not-a-choice"
    response = await client.post(
        "/portal/it/new/it.incident",
        data={
            "_csrf_token": csrf,
            "title": PAYLOADS[1],
            "description": PAYLOADS[3],
            **fields,
        },
    )
    assert response.status_code == 422
    assert not injected(response.text), injected(response.text)
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("#title")["value"] == PAYLOADS[1]
