"""Sessions through the real login routes: a new session id at every login, the
id held before it (anonymous, or planted by someone else) identifies nobody
afterwards, logout ends the session on the server, and the cookie's flags."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from polydesk.core.people.tables import WebSession
from polydesk.core.runtime import Runtime
from polydesk.web.app import create_app

PASSWORD = "correct-horse-battery"
COOKIE = "polydesk_session"


def _csrf(client: AsyncTestClient) -> str:
    return client.cookies.get("polydesk_csrf")


def _use_session(client: AsyncTestClient, session_id: str) -> None:
    """Present `session_id` as the browser's session cookie (the CSRF cookie kept)."""
    csrf = _csrf(client)
    client.cookies.clear()
    client.cookies.set("polydesk_csrf", csrf, domain="testserver.local")
    client.cookies.set(COOKIE, session_id, domain="testserver.local")


async def _form_login(client: AsyncTestClient, username: str, password: str = PASSWORD):
    return await client.post(
        "/login",
        data={"username": username, "password": password, "_csrf_token": _csrf(client)},
        follow_redirects=False,
    )


async def _who(client: AsyncTestClient) -> str | None:
    me = await client.get("/api/v1/me")
    return me.json()["username"] if me.status_code == 200 else None


async def test_anonymous_visitors_get_no_session(client):
    """No row and no cookie per visitor: nothing to plant, nothing to fill the table."""
    for url in ("/login", "/"):
        response = await client.get(url)
        assert response.status_code == 200
        assert not any(h.startswith(f"{COOKIE}=") for h in response.headers.get_list("set-cookie"))
    assert await WebSession.count() == 0


async def test_web_login_gives_a_new_session_id_and_the_old_one_identifies_nobody(client, people):
    await people.add("carol", password=PASSWORD)
    await client.get("/login")
    before = "b" * 64  # the id this browser held before logging in
    _use_session(client, before)

    response = await _form_login(client, "carol")
    assert response.status_code == 303
    logged_in = client.cookies.get(COOKIE)
    assert logged_in and logged_in != before
    assert await _who(client) == "carol"

    _use_session(client, before)
    assert await _who(client) is None
    assert await WebSession.count() == 1  # carol's, under the new id only
    assert await WebSession.exists().where(WebSession.key == logged_in)


async def test_api_login_gives_a_new_session_id_and_the_old_one_identifies_nobody(client, people):
    await people.add("carol", password=PASSWORD)
    await people.add("dave", password=PASSWORD)
    await client.get("/login")
    await _form_login(client, "dave")
    before = client.cookies.get(COOKIE)
    response = await client.post(
        "/api/v1/session",
        json={"username": "carol", "password": PASSWORD},
        headers={"x-csrftoken": _csrf(client)},
    )
    assert response.status_code == 200
    logged_in = client.cookies.get(COOKIE)
    assert logged_in and logged_in != before
    assert await _who(client) == "carol"
    _use_session(client, before)
    assert await _who(client) is None


async def test_a_planted_session_id_is_not_kept_at_login(client, people):
    """Session fixation: someone makes the victim's browser carry an id they know."""
    await people.add("carol", password=PASSWORD)
    await client.get("/login")
    planted = "a" * 64
    _use_session(client, planted)
    assert (await _form_login(client, "carol")).status_code == 303
    assert client.cookies.get(COOKIE) != planted
    assert await _who(client) == "carol"
    _use_session(client, planted)
    assert await _who(client) is None


async def test_logging_in_again_as_someone_else_ends_the_first_session(client, people):
    await people.add("carol", password=PASSWORD)
    await people.add("dave", password=PASSWORD)
    await client.get("/login")
    await _form_login(client, "carol")
    carols = client.cookies.get(COOKIE)
    await _form_login(client, "dave")
    assert await _who(client) == "dave"
    _use_session(client, carols)
    assert await _who(client) is None


async def test_web_logout_ends_the_session_on_the_server(client, people):
    await people.add("carol", password=PASSWORD)
    await client.get("/login")
    await _form_login(client, "carol")
    session = client.cookies.get(COOKIE)
    assert await WebSession.exists().where(WebSession.key == session)

    out = await client.post("/logout", data={"_csrf_token": _csrf(client)}, follow_redirects=False)
    assert out.status_code == 303
    assert await _who(client) is None
    assert not await WebSession.exists().where(WebSession.key == session)
    # A copy of the cookie taken before logout (another tab, a thief) is worthless.
    _use_session(client, session)
    assert await _who(client) is None


async def test_api_logout_ends_the_session_on_the_server(client, people):
    await people.add("carol", password=PASSWORD)
    await client.get("/login")
    await client.post(
        "/api/v1/session",
        json={"username": "carol", "password": PASSWORD},
        headers={"x-csrftoken": _csrf(client)},
    )
    session = client.cookies.get(COOKIE)
    out = await client.delete("/api/v1/session", headers={"x-csrftoken": _csrf(client)})
    assert out.status_code == 204
    _use_session(client, session)
    assert await _who(client) is None


def _session_cookie_header(response) -> str:
    headers = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{COOKIE}=")]
    assert headers, response.headers
    return headers[-1].lower()


async def test_session_cookie_is_httponly_and_samesite_lax_not_secure_by_default(client, people):
    await people.add("carol", password=PASSWORD)
    await client.get("/login")
    header = _session_cookie_header(await _form_login(client, "carol"))
    assert "httponly" in header and "samesite=lax" in header
    assert "secure" not in header.replace("samesite", "")


@pytest.mark.parametrize("secure", [True])
async def test_secure_cookies_setting_marks_session_and_csrf_cookies_secure(
    runtime: Runtime, people, secure
):
    import dataclasses

    await people.add("carol", password=PASSWORD)
    runtime.settings = dataclasses.replace(runtime.settings, secure_cookies=secure)
    app = create_app(runtime=runtime, background=False)
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as client:
        page = await client.get("/login")
        csrf_header = [h for h in page.headers.get_list("set-cookie") if "polydesk_csrf" in h]
        assert csrf_header and "secure" in csrf_header[0].lower()
        header = _session_cookie_header(await _form_login(client, "carol"))
        assert "; secure" in header and "httponly" in header
