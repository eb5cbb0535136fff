"""A request still carrying an old session id must not log the browser out.

Issue 8's lost session: a logged-in requester's next page found no session. The
browser had sent requests (the login page's htmx script, a language switch) with
a session id that no longer existed — the one the login had just rotated away, or
a stale one — and the server answered them with `Set-Cookie: polydesk_session=null`.
When such an answer arrived after the login's, the browser dropped the new session
cookie and the next page was sent to the login page (seen in the browser suite under
load, with the SQLite pool on and off). Now an id that identifies nobody gets no
cookie back; logging out still deletes the cookie.
"""

from __future__ import annotations

from polydesk.web.defaults.auth import SESSION_KEY  # noqa: F401 - the session's content

PASSWORD = "correct-horse-battery"


async def _log_in(client, username: str) -> str:
    csrf = client.cookies.get("polydesk_csrf")
    out = await client.post(
        "/api/v1/session",
        json={"username": username, "password": PASSWORD},
        headers={"x-csrftoken": csrf},
    )
    assert out.status_code == 200, out.text
    return client.cookies.get("polydesk_session")


async def test_a_late_answer_to_a_request_with_the_old_id_keeps_the_new_login(
    client, people
) -> None:
    await people.add("gina", password=PASSWORD)
    await people.add("hugo", password=PASSWORD)
    await client.get("/login")
    old = await _log_in(client, "gina")
    new = await _log_in(client, "hugo")  # a new id; gina's is gone
    assert new != old
    # A request the browser sent with the old id before the login answered (the
    # login page's script, say), answered after the login.
    csrf = client.cookies.get("polydesk_csrf")
    late = await client.get(
        "/static/vendor/htmx-2.0.11.min.js",
        headers={"cookie": f"polydesk_session={old}; polydesk_csrf={csrf}"},
    )
    assert late.status_code == 200
    me = await client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["username"] == "hugo"


async def test_logging_out_still_makes_the_browser_forget_its_session(client, people) -> None:
    await people.add("gina", password=PASSWORD)
    await client.get("/login")
    await _log_in(client, "gina")
    csrf = client.cookies.get("polydesk_csrf")
    out = await client.delete("/api/v1/session", headers={"x-csrftoken": csrf})
    assert out.status_code == 204
    assert 'polydesk_session="null"' in out.headers.get("set-cookie", "") or (
        "polydesk_session=null" in out.headers.get("set-cookie", "")
    )
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_a_late_answer_for_a_session_ended_meanwhile_does_not_bring_it_back(
    app, client, people
) -> None:
    """A request that loaded its session before a logout (the list's minute
    refresh, say) and is answered after it: neither the session row nor its
    cookie comes back, so the logout sticks. A session that still exists is
    renewed and keeps its cookie."""
    from litestar.testing import RequestFactory

    from polydesk.core.people.tables import WebSession
    from polydesk.web.session_store import RotatingSessionConfig

    await people.add("gina", password=PASSWORD)
    await client.get("/login")
    ended = await _log_in(client, "gina")
    csrf = client.cookies.get("polydesk_csrf")
    assert (
        await client.delete("/api/v1/session", headers={"x-csrftoken": csrf})
    ).status_code == 204
    await people.add("hugo", password=PASSWORD)
    await client.get("/login")
    alive = await _log_in(client, "hugo")

    config = RotatingSessionConfig(key="polydesk_session", store="sessions")
    backend = config._backend_class(config=config)

    async def answer(session_id: str) -> list[tuple[bytes, bytes]]:
        request = RequestFactory(app=app).get("/requests", cookies=f"polydesk_session={session_id}")
        message = {"type": "http.response.start", "status": 200, "headers": []}
        await backend.store_in_message({"person": 1}, message, request)
        return [(k, v) for k, v in message["headers"] if k.lower() == b"set-cookie"]

    assert await answer(ended) == []
    assert not await WebSession.exists().where(WebSession.key == ended)
    renewed = await answer(alive)
    assert len(renewed) == 1 and f"polydesk_session={alive}".encode() in renewed[0][1]
