"""Malformed and hostile input on the API and the forms: always a clear 4xx in the
API's error shape, never a 500, and nothing stored changes. Odd but legitimate
unicode is accepted and comes back exactly as sent.
"""

from __future__ import annotations

import json

import pytest

JSON = {"content-type": "application/json"}


@pytest.fixture
async def ticket(desk, cast, form_of):
    return await desk.create(
        await cast.actor("alice"),
        request_type="it.incident",
        title="Target",
        form_data=form_of("it.incident"),
    )


def endpoints(key: str) -> list[tuple[str, str]]:
    return [
        ("POST", "/api/v1/tickets"),
        ("PATCH", f"/api/v1/tickets/{key}"),
        ("POST", f"/api/v1/tickets/{key}/comments"),
        ("POST", f"/api/v1/tickets/{key}/transitions"),
        ("POST", f"/api/v1/tickets/{key}/assignment"),
        ("POST", f"/api/v1/tickets/{key}/links"),
        ("POST", f"/api/v1/tickets/{key}/approvals"),
    ]


def assert_clear_4xx(response, status=400):
    assert response.status_code == status, response.text[:300]
    body = response.json()
    assert body["status_code"] == status and body["detail"]


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"",
        b"null",
        b"[]",
        b'"a string"',
        b'{"title": "x",}',
        b"\xef\xbb\xbf{}",
    ],
    ids=["broken", "empty", "null", "array", "string", "trailing-comma", "bom"],
)
async def test_malformed_json_is_a_400_on_every_write(client, cast, ticket, raw, unchanged):
    headers = {**await cast.headers("it.agent"), **JSON}
    async with unchanged():
        for method, url in endpoints(ticket.key):
            response = await client.request(method, url, content=raw, headers=headers)
            assert 400 <= response.status_code < 500, (url, raw, response.text[:200])
            assert response.json()["detail"]


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/tickets", {"request_type": "it.incident", "title": 123}, "title"),
        ("/api/v1/tickets", {"request_type": ["it.incident"], "title": "x"}, "request_type"),
        (
            "/api/v1/tickets",
            {"request_type": "it.incident", "title": "x", "form_data": []},
            "form_data",
        ),
        ("/api/v1/tickets/{key}", {"version": 1, "priority": "high"}, "priority"),
        ("/api/v1/tickets/{key}", {"version": 1.5, "title": "x"}, "version"),
        ("/api/v1/tickets/{key}/comments", {"body": "x", "public": "no"}, "public"),
        ("/api/v1/tickets/{key}/comments", {"body": {"text": "x"}}, "body"),
        ("/api/v1/tickets/{key}/transitions", {"transition": None}, "transition"),
        ("/api/v1/tickets/{key}/approvals", {"approver": "bob", "step": "first"}, "step"),
    ],
)
async def test_wrong_types_are_a_400_naming_the_field(
    client, cast, ticket, url, body, field, unchanged
):
    url = url.format(key=ticket.key)
    method = "PATCH" if url.endswith(ticket.key) else "POST"
    async with unchanged():
        response = await client.request(
            method, url, json=body, headers=await cast.headers("it.agent")
        )
    assert_clear_4xx(response)
    assert field in {e["field"] for e in response.json()["errors"]} or field in response.text


@pytest.mark.parametrize(
    ("tail", "body"),
    [
        ("/comments", {"body": "x", "author": "bob"}),
        ("/transitions", {"transition": "start", "state": "closed"}),
        ("/assignment", {"assignee": "it.agent", "role": "lead"}),
        ("/links", {"target": "IT-1", "created_by": "admin"}),
        ("/approvals", {"approver": "bob", "state": "approved"}),
    ],
)
async def test_unknown_fields_are_refused_on_every_write(
    client, cast, ticket, tail, body, unchanged
):
    async with unchanged():
        response = await client.post(
            f"/api/v1/tickets/{ticket.key}{tail}", json=body, headers=await cast.headers("it.agent")
        )
    assert_clear_4xx(response)
    unknown = next(
        k for k in body if k not in ("body", "transition", "assignee", "target", "approver")
    )
    assert unknown in response.text


async def test_a_20_mb_body_is_a_413_and_nothing_is_stored(client, cast, ticket, unchanged):
    huge = json.dumps(
        {"request_type": "it.incident", "title": "big", "description": "x" * (20 * 1024 * 1024)}
    ).encode()
    async with unchanged():
        for method, url in endpoints(ticket.key)[:3]:
            response = await client.request(
                method, url, content=huge, headers={**await cast.headers("it.agent"), **JSON}
            )
            assert_clear_4xx(response, 413)


@pytest.mark.parametrize("depth", [10_000, 100_000])
async def test_deeply_nested_json_is_a_400(client, cast, ticket, depth, unchanged):
    nested = b"[" * depth + b"]" * depth
    bodies = [
        nested,
        b'{"request_type": "it.incident", "title": "x", "form_data": {"a": ' + nested + b"}}",
        b'{"body": ' + b'{"a":' * depth + b"1" + b"}" * depth + b"}",
    ]
    async with unchanged():
        for raw in bodies:
            for method, url in endpoints(ticket.key)[:3]:
                response = await client.request(
                    method, url, content=raw, headers={**await cast.headers("it.agent"), **JSON}
                )
                assert_clear_4xx(response)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"request_type": "it.incident", "title": "\xff\xfe"}',
        b'{"request_type": "it.incident", "title": "caf\xc3"}',
        b'{"request_type": "it.incident", "title": "\xed\xa0\x80"}',  # a lone surrogate
        b'{"request_type": "it.incident", "title": "\\ud800"}',  # the same, escaped
    ],
    ids=["ff-fe", "truncated", "surrogate", "escaped-surrogate"],
)
async def test_invalid_utf8_is_a_400(client, cast, raw, unchanged):
    async with unchanged():
        response = await client.post(
            "/api/v1/tickets", content=raw, headers={**await cast.headers("alice"), **JSON}
        )
    assert 400 <= response.status_code < 500, response.text[:200]
    assert response.json()["detail"]


async def test_nul_characters_are_a_400_in_json_forms_paths_and_filters(
    client, cast, ticket, form_of, login, unchanged
):
    agent = await cast.headers("it.agent")
    csrf = await login("carol")
    nul_bodies = [
        ("POST", "/api/v1/tickets", {"request_type": "it.incident", "title": "a\x00b"}, "title"),
        (
            "POST",
            "/api/v1/tickets",
            {
                "request_type": "it.incident",
                "title": "ok",
                "form_data": {**form_of("it.incident"), "details\x00": "x"},
            },
            "form_data.details\x00",
        ),
        ("PATCH", f"/api/v1/tickets/{ticket.key}", {"version": 1, "title": "\x00"}, "title"),
        ("POST", f"/api/v1/tickets/{ticket.key}/comments", {"body": "hi\x00"}, "body"),
        ("POST", f"/api/v1/tickets/{ticket.key}/assignment", {"group": "\x00"}, "group"),
        ("POST", f"/api/v1/tickets/{ticket.key}/links", {"target": "IT-\x00"}, "target"),
        ("POST", f"/api/v1/tickets/{ticket.key}/approvals", {"approver": "b\x00b"}, "approver"),
    ]
    async with unchanged():
        for method, url, body, field in nul_bodies:
            response = await client.request(method, url, json=body, headers=agent)
            assert_clear_4xx(response)
            assert "NUL" in response.json()["detail"]
            assert response.json()["errors"][0]["field"] == field.replace("\x00", "\\u0000") or (
                response.json()["errors"][0]["field"] == field
            )
        for url in (
            f"/api/v1/tickets/{ticket.key}%00",
            "/api/v1/tickets?q=VPN%00",
            "/api/v1/tickets?assignee=%00",
            "/api/v1/knowledge/search?q=%00",
        ):
            assert_clear_4xx(await client.get(url, headers=agent))
        fields = {f"f_{k}": v for k, v in form_of("it.incident").items()}
        posted = await client.post(
            "/portal/it/new/it.incident",
            data={"_csrf_token": csrf, "title": "Form\x00title", **fields},
            follow_redirects=False,
        )
        assert posted.status_code == 400 and "NUL" in posted.text


ODD_TITLES = [
    "Printer \u202egnp.exe\u202c broke",  # right-to-left override
    "VPN 🔥🔥 down — again 👩\u200d💻",  # emoji and a zero-width joiner
    "zero\u200bwidth\u200cjoin\ufeffers",  # zero-width space, non-joiner, BOM
    "Ze\u0301rtificat e\u0300 o\u0308",  # combining marks (not NFC-normalised)
    "重置密码 · パスワード · 비밀번호",
    "\u05e9\u05dc\u05d5\u05dd mixed עברית and English",
]


@pytest.mark.parametrize("title", ODD_TITLES)
async def test_odd_unicode_round_trips_unchanged(client, cast, title, form_of, login):
    alice = await cast.headers("alice")
    created = await client.post(
        "/api/v1/tickets",
        json={
            "request_type": "it.incident",
            "title": title,
            "description": title * 3,
            "form_data": form_of("it.incident"),
        },
        headers=alice,
    )
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    read = (await client.get(f"/api/v1/tickets/{key}", headers=alice)).json()
    assert read["title"] == title and read["description"] == title * 3
    comment = await client.post(
        f"/api/v1/tickets/{key}/comments", json={"body": title}, headers=alice
    )
    assert comment.status_code == 201
    timeline = (await client.get(f"/api/v1/tickets/{key}/timeline", headers=alice)).json()
    assert timeline[-1]["body"] == title
    listed = await client.get("/api/v1/tickets", params={"q": key}, headers=alice)
    assert [t["title"] for t in listed.json()["items"]] == [title]
    await login("alice")
    from bs4 import BeautifulSoup

    page = BeautifulSoup((await client.get(f"/requests/{key}")).text, "html.parser")
    assert page.h1.get_text().strip().endswith(title) or title in page.h1.get_text()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/tickets/99999999999999999999", 404),
        ("/api/v1/tickets/2147483648/timeline", 404),
        ("/api/v1/tickets/0", 404),
        ("/api/v1/tickets?priority=99999999999999999999", 422),
        ("/api/v1/tickets?priority=0", 422),
        ("/api/v1/tickets?priority=-1", 422),
        ("/api/v1/tickets?sort=newest&cursor=WzEwMDAwMDAwMDAwMDAwMDAwMDAwMDBd", 422),
        ("/api/v1/tickets?sort=newest&cursor=WzFlMzAwXQ", 422),
        ("/api/v1/tickets?cursor=WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwgMWU5OV0", 422),
        ("/api/v1/tickets?cursor=!!!", 422),
        ("/api/v1/tickets?limit=1000000", 400),
        ("/api/v1/tickets?sort=oldest", 422),
    ],
)
async def test_out_of_range_numbers_and_bad_cursors_are_4xx(client, cast, ticket, url, status):
    response = await client.get(url, headers=await cast.headers("it.agent"))
    assert_clear_4xx(response, status)


async def test_an_approval_step_beyond_the_column_is_422(client, cast, ticket, unchanged):
    async with unchanged():
        response = await client.post(
            f"/api/v1/tickets/{ticket.key}/approvals",
            json={"approver": "bob", "step": 2**40},
            headers=await cast.headers("it.agent"),
        )
    assert_clear_4xx(response, 422)
    assert response.json()["errors"][0]["field"] == "step"


@pytest.mark.parametrize(
    "title", ["", "   ", "\t\n", "x" * 201], ids=["empty", "spaces", "whitespace", "too-long"]
)
async def test_blank_or_overlong_titles_are_422(client, cast, title, form_of, unchanged):
    async with unchanged():
        response = await client.post(
            "/api/v1/tickets",
            json={
                "request_type": "it.incident",
                "title": title,
                "form_data": form_of("it.incident"),
            },
            headers=await cast.headers("alice"),
        )
    assert_clear_4xx(response, 422)
    assert response.json()["errors"][0]["field"] == "title"
