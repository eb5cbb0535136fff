"""Mailboxes in the admin console and the API: list, add, edit, field errors that
store nothing, 404 for everyone but admins."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from polydesk.core.mail.inbound_tables import Mailbox

PASSWORD = "root-password-1"
FORM = {
    "address": "IT@Desk.Example.org",
    "request_type": "hr.payroll",
    "form_defaults": json.dumps({"topic": "other"}),
    "senders": "domains",
    "allowed_domains": "example.org\npartner.example",
    "unauthorised_reply": "reject",
    "enabled": "on",
    "imap_host": "",
    "imap_port": "993",
    "imap_folder": "INBOX",
}


async def log_in(client, username: str) -> None:
    await client.get("/login")
    response = await client.post(
        "/login",
        data={
            "username": username,
            "password": PASSWORD,
            "_csrf_token": client.cookies.get("polydesk_csrf"),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


async def post(client, url: str, data: dict):
    return await client.post(
        url,
        data={**data, "_csrf_token": client.cookies.get("polydesk_csrf")},
        follow_redirects=False,
    )


def error_of(response, input_id: str) -> str:
    soup = BeautifulSoup(response.text, "html.parser")
    found = soup.find(id=f"{input_id}-error")
    return found.get_text(strip=True) if found else ""


async def test_an_admin_adds_and_edits_a_mailbox(client, people) -> None:
    await people.add("root", admin=True, password=PASSWORD)
    await log_in(client, "root")

    listing = await client.get("/admin/mailboxes")
    assert listing.status_code == 200
    assert BeautifulSoup(listing.text, "html.parser").find(
        "a", href="/admin/mailboxes", attrs={"aria-current": "page"}
    )

    created = await post(client, "/admin/mailboxes", FORM)
    assert created.status_code == 303
    row = await Mailbox.select().first()
    assert (row["address"], row["department"], row["senders"], row["allowed_domains"]) == (
        "it@desk.example.org",
        "hr",
        "domains",
        "example.org\npartner.example",
    )
    page = await client.get(created.headers["location"])
    assert "Mailbox created." in page.text and "Nothing received yet." in page.text

    edited = await post(
        client, f"/admin/mailboxes/{row['id']}", {**FORM, "senders": "anyone", "enabled": ""}
    )
    assert edited.status_code == 303
    row = await Mailbox.select().first()
    assert (row["senders"], row["enabled"]) == ("anyone", False)
    assert "it@desk.example.org" in (await client.get("/admin/mailboxes")).text


async def test_bad_input_is_shown_by_its_field_and_nothing_is_stored(client, people) -> None:
    await people.add("root", admin=True, password=PASSWORD)
    await log_in(client, "root")

    bad_json = await post(client, "/admin/mailboxes", {**FORM, "form_defaults": "{nope"})
    assert bad_json.status_code == 422
    assert "JSON object" in error_of(bad_json, "form_defaults")

    bad = await post(
        client,
        "/admin/mailboxes",
        {
            **FORM,
            "address": "not an address",
            "form_defaults": "{}",
            "imap_host": "imap.example.org",
            "imap_password_env": "not a name!",
        },
    )
    assert bad.status_code == 422
    assert "email address" in error_of(bad, "address")
    assert "needs these form values" in error_of(bad, "form_defaults")
    assert "environment variable" in error_of(bad, "imap_password_env")
    assert "user name" in error_of(bad, "imap_username")
    soup = BeautifulSoup(bad.text, "html.parser")
    assert soup.find(id="address")["value"] == "not an address"  # what was typed is kept
    assert await Mailbox.count() == 0


async def test_mailboxes_are_hidden_from_everyone_but_admins(client, people) -> None:
    await people.add("agent", roles={"it": "lead"}, password=PASSWORD)
    await log_in(client, "agent")

    assert (await client.get("/admin/mailboxes")).status_code == 404
    api = await client.get("/api/v1/admin/mailboxes", headers=await people.headers("agent"))
    assert api.status_code == 404


async def test_the_api_creates_and_updates_mailboxes(client, people) -> None:
    await people.add("root", admin=True)
    headers = await people.headers("root")
    body = {
        "address": "legal@desk.example.org",
        "request_type": "legal.advice",
        "form_defaults": {"area": "other"},
    }

    created = await client.post("/api/v1/admin/mailboxes", json=body, headers=headers)
    assert created.status_code == 201, created.text
    mailbox = created.json()
    assert (mailbox["department"], mailbox["senders"], mailbox["imap_password_env"]) == (
        "legal",
        "known",
        "",
    )

    refused = await client.post("/api/v1/admin/mailboxes", json=body, headers=headers)
    assert refused.status_code == 422 and "address" in refused.text

    updated = await client.put(
        f"/api/v1/admin/mailboxes/{mailbox['id']}",
        json={**body, "senders": "anyone"},
        headers=headers,
    )
    assert updated.status_code == 200 and updated.json()["senders"] == "anyone"
    listed = await client.get("/api/v1/admin/mailboxes", headers=headers)
    assert [m["address"] for m in listed.json()] == ["legal@desk.example.org"]
