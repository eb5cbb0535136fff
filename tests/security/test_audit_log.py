"""The audit log of admin actions, through the real routes: each kind of admin
action writes its event (who, from where, what changed, never a secret), a
refused change writes none, only admins read the log (others get 404), and the
log pages newest first with keyset cursors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from polydesk.core.audit.services import CLI, Author, list_events, record, redact
from polydesk.core.audit.tables import AuditEvent

PASSWORD = "root-password-1"


def _csrf(client) -> str:
    return client.cookies.get("polydesk_csrf")


async def post(client, url: str, data: dict | list | None = None):
    """A form post as the browser sends it, CSRF field included."""
    fields = list(data.items()) if isinstance(data, dict) else list(data or [])
    body: dict[str, list[str]] = {}
    for name, value in [*fields, ("_csrf_token", _csrf(client))]:
        body.setdefault(name, []).append(value)
    return await client.post(url, data=body, follow_redirects=False)


@pytest.fixture
async def root(client, people):
    """A global admin logged in through the web form; `people.headers("root")` for the API."""
    await people.add("root", admin=True, password=PASSWORD)
    await client.get("/login")
    response = await client.post(
        "/login",
        data={"username": "root", "password": PASSWORD, "_csrf_token": _csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return people


async def events(action: str | None = None) -> list[dict]:
    query = AuditEvent.select().order_by(AuditEvent.id).output(load_json=True)
    if action:
        query = query.where(AuditEvent.action == action)
    return await query


async def the_event(action: str) -> dict:
    rows = await events(action)
    assert len(rows) == 1, (action, rows, await events())
    return rows[0]


def _all_text(rows: list[dict]) -> str:
    return repr(rows)


# -- each kind of admin action ---------------------------------------------------------


async def test_plugin_enable_and_disable_on_the_web_and_api(client, root):
    assert (await post(client, "/admin/plugins/legal/disable")).status_code == 303
    disabled = await the_event("plugin.disabled")
    assert disabled["actor_name"] == "root" and disabled["actor"] == root.ids["root"]
    assert disabled["target"] == "plugin:legal"
    assert disabled["changes"] == {"before": {"enabled": True}, "after": {"enabled": False}}
    assert disabled["client_address"] == "testclient"

    api = await client.post("/api/v1/plugins/legal/enable", headers=await root.headers("admin"))
    assert api.status_code == 201
    enabled = await the_event("plugin.enabled")
    assert enabled["actor_name"] == "admin"
    assert enabled["changes"] == {"before": {"enabled": False}, "after": {"enabled": True}}


async def test_plugin_settings_change_records_before_and_after(client, root):
    admin = await root.headers("admin")
    url = "/api/v1/plugins/finance/settings"
    assert (await client.put(url, json={"finance_lead_above": 2000}, headers=admin)).is_success
    assert (await client.put(url, json={"finance_lead_above": 3000}, headers=admin)).is_success
    changed = await events("plugin.settings_changed")
    assert [e["changes"] for e in changed] == [
        {"before": {}, "after": {"finance_lead_above": 2000}},
        {"before": {"finance_lead_above": 2000}, "after": {"finance_lead_above": 3000}},
    ]
    assert changed[0]["target"] == "plugin:finance"


async def test_request_type_hide_and_show(client, root):
    await post(client, "/admin/request-types/legal.advice/hide")
    await post(client, "/admin/request-types/legal.advice/show")
    assert [(e["action"], e["target"]) for e in await events()] == [
        ("request_type.hidden", "request_type:legal.advice"),
        ("request_type.shown", "request_type:legal.advice"),
    ]


async def test_creating_a_person_records_them_without_the_password(client, root):
    response = await post(
        client,
        "/admin/people",
        {
            "username": "newbie",
            "display_name": "New Bie",
            "email": "newbie@example.org",
            "password": "s3cret-password",
        },
    )
    assert response.status_code == 303
    created = await the_event("person.created")
    assert created["target"] == "person:newbie"
    assert created["changes"] == {
        "after": {
            "username": "newbie",
            "display_name": "New Bie",
            "email": "newbie@example.org",
            "is_admin": False,
        }
    }
    assert "s3cret" not in _all_text(await events()) and "argon2" not in _all_text(await events())


async def test_role_team_and_admin_changes_record_before_and_after(client, root):
    alice = root.ids["alice"]
    await post(client, f"/admin/people/{alice}/access", [("role.it", "agent")])
    role = await the_event("person.role_changed")
    assert role["target"] == "person:alice"
    assert role["changes"] == {
        "before": {"roles": {"it": None}},
        "after": {"roles": {"it": "agent"}},
    }

    await post(
        client,
        f"/admin/people/{alice}/access",
        [("role.it", "agent"), ("role.hr", "agent"), ("team", "hr:case_team"), ("is_admin", "on")],
    )
    roles = await events("person.role_changed")
    assert roles[-1]["changes"] == {
        "before": {"roles": {"hr": None}, "is_admin": False},
        "after": {"roles": {"hr": "agent"}, "is_admin": True},
    }
    team = await the_event("person.team_changed")
    assert team["changes"] == {"before": {"teams": []}, "after": {"teams": ["hr:case_team"]}}

    # Saving the same access again changes nothing, and records nothing.
    count = len(await events())
    await post(
        client,
        f"/admin/people/{alice}/access",
        [("role.it", "agent"), ("role.hr", "agent"), ("team", "hr:case_team"), ("is_admin", "on")],
    )
    assert len(await events()) == count


async def test_a_password_reset_is_recorded_without_the_password(client, root):
    alice = root.ids["alice"]
    response = await post(client, f"/admin/people/{alice}/password", {"password": "brand-new-pw-1"})
    assert response.status_code == 303
    reset = await the_event("person.password_reset")
    assert reset["target"] == "person:alice" and reset["changes"] == {}
    assert "brand-new" not in _all_text(await events())


async def test_sla_calendar_and_policy_edits_and_resets(client, root):
    admin = await root.headers("admin")
    put = await client.put(
        "/api/v1/sla/calendars/it.office_hours", json={"name": "IT hours"}, headers=admin
    )
    assert put.status_code == 200
    calendar = await the_event("sla.calendar_changed")
    assert calendar["target"] == "calendar:it.office_hours"
    assert calendar["changes"]["before"] is None
    assert calendar["changes"]["after"]["name"] == "IT hours"
    assert calendar["changes"]["reset"] is False

    put = await client.put(
        "/api/v1/sla/policies/it.incident", json={"warning_at": 0.5}, headers=admin
    )
    assert put.status_code == 200
    assert (await post(client, "/admin/sla/policies/it.incident/reset")).status_code == 303
    edit, reset = await events("sla.policy_changed")
    assert edit["actor_name"] == "admin" and edit["changes"]["after"]["warning_at"] == 0.5
    assert reset["actor_name"] == "root" and reset["changes"]["reset"] is True
    assert reset["changes"]["before"]["warning_at"] == 0.5 and reset["changes"]["after"] is None


# -- refused changes write nothing -----------------------------------------------------


async def test_refused_changes_write_nothing(client, root):
    alice = root.ids["alice"]
    admin = await root.headers("admin")
    agent = await root.headers("it.agent")
    refused = [
        await post(client, f"/admin/people/{alice}/password", {"password": "short"}),
        await post(client, "/admin/people", {"username": "alice", "display_name": "Again"}),
        await post(client, f"/admin/people/{alice}/access", [("role.it", "emperor")]),
        await post(client, f"/admin/people/{root.ids['root']}/access", []),  # own admin rights
        await post(client, "/admin/plugins/nope/disable"),
        await post(client, "/admin/request-types/nope.nothing/hide"),
        await post(client, "/admin/sla/policies/it.incident", {"warning_at": "250"}),
        await client.put("/api/v1/plugins/finance/settings", json={"cfo_above": -1}, headers=admin),
        await client.put(
            "/api/v1/sla/calendars/it.office_hours",
            json={"timezone": "Mars/Olympus"},
            headers=admin,
        ),
        await client.post("/api/v1/plugins/legal/disable", headers=agent),
        await client.put(
            "/api/v1/sla/policies/it.incident", json={"warning_at": 0.5}, headers=agent
        ),
        await client.delete(f"/api/v1/admin/people/alice/tokens/{10**6}", headers=admin),
    ]
    assert [r.status_code for r in refused] == [
        422,
        422,
        422,
        422,
        404,
        404,
        422,
        422,
        422,
        403,
        403,
        404,
    ]
    assert await events() == []


# -- who may read the log --------------------------------------------------------------


@pytest.mark.parametrize("username", ["alice", "it.agent", "it.lead"])
async def test_only_admins_read_the_log_everyone_else_gets_404(client, people, username):
    await record(CLI, "plugin.disabled", "plugin:legal")
    headers = await people.headers(username)
    assert (await client.get("/api/v1/admin/audit", headers=headers)).status_code == 404
    assert (
        await client.get("/api/v1/admin/audit", headers=await people.headers("admin"))
    ).is_success
    await people.add(
        f"{username}2", roles=dict((await people.actor(username)).roles), password=PASSWORD
    )
    await client.get("/login")
    await client.post(
        "/login",
        data={"username": f"{username}2", "password": PASSWORD, "_csrf_token": _csrf(client)},
    )
    page = await client.get("/admin/audit")
    assert page.status_code == 404 and "plugin:legal" not in page.text


async def test_anonymous_callers_must_log_in(client, db):
    assert (await client.get("/api/v1/admin/audit")).status_code == 401
    page = await client.get("/admin/audit", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/admin/audit"


# -- reading the log -------------------------------------------------------------------


async def _fill(root, count: int) -> None:
    root_author = Author(root.ids["root"], "root", "192.0.2.1")
    for n in range(count):
        author = root_author if n % 2 else CLI
        await record(author, "plugin.disabled" if n % 3 else "person.created", f"item:{n}")


async def test_the_api_filters_and_pages_newest_first(client, root):
    await _fill(root, 75)
    admin = await root.headers("admin")
    first = (await client.get("/api/v1/admin/audit", headers=admin)).json()
    assert [e["target"] for e in first["items"]] == [f"item:{n}" for n in range(74, 24, -1)]
    second = (
        await client.get(
            "/api/v1/admin/audit", params={"before": first["next_before"]}, headers=admin
        )
    ).json()
    assert [e["target"] for e in second["items"]] == [f"item:{n}" for n in range(24, -1, -1)]
    assert second["next_before"] is None

    by_root = (
        await client.get(
            "/api/v1/admin/audit", params={"person": "root", "limit": 200}, headers=admin
        )
    ).json()["items"]
    assert [e["target"] for e in by_root] == [f"item:{n}" for n in range(73, 0, -2)]
    assert {e["client_address"] for e in by_root} == {"192.0.2.1"}
    created = (
        await client.get(
            "/api/v1/admin/audit", params={"action": "person.created", "limit": 200}, headers=admin
        )
    ).json()["items"]
    assert [e["target"] for e in created] == [f"item:{n}" for n in range(72, -1, -3)]
    bad = await client.get("/api/v1/admin/audit", params={"limit": 0}, headers=admin)
    assert bad.status_code == 400


async def test_the_admin_page_filters_pages_and_is_in_the_navigation(client, root):
    await _fill(root, 60)
    page = await client.get("/admin/audit")
    soup = BeautifulSoup(page.text, "html.parser")
    nav = soup.select_one('nav[aria-label="Admin sections"] a[aria-current="page"]')
    assert nav is not None and nav["href"] == "/admin/audit"
    rows = soup.select("table.audit tbody tr")
    assert len(rows) == 50 and "item:59" in rows[0].get_text()
    older = soup.select_one('a[rel="next"]')["href"]
    rest = BeautifulSoup((await client.get(older)).text, "html.parser")
    assert [r.select("td")[3].get_text() for r in rest.select("table.audit tbody tr")] == [
        f"item:{n}" for n in range(9, -1, -1)
    ]
    assert rest.select_one('a[rel="next"]') is None

    filtered = BeautifulSoup(
        (
            await client.get("/admin/audit", params={"action": "person.created", "person": "cli"})
        ).text,
        "html.parser",
    )
    targets = [r.select("td")[3].get_text() for r in filtered.select("table.audit tbody tr")]
    assert targets == [f"item:{n}" for n in range(54, -1, -6)]
    assert filtered.select_one("#action option[selected]")["value"] == "person.created"


async def test_changes_are_escaped_on_the_page(client, root):
    await record(
        CLI, "plugin.settings_changed", "plugin:it", {"after": {"x": "<script>alert(1)</script>"}}
    )
    page = await client.get("/admin/audit")
    assert "<script>alert(1)" not in page.text


async def test_secrets_never_reach_the_log(db):
    await record(
        CLI,
        "plugin.settings_changed",
        "plugin:mail",
        {"after": {"smtp_password": "hunter2", "nested": [{"api_token": "pd_x"}], "host": "mx"}},
    )
    (event,) = (await list_events()).events
    assert event.changes == {
        "after": {
            "smtp_password": "[redacted]",
            "nested": [{"api_token": "[redacted]"}],
            "host": "mx",
        }
    }
    assert redact({"Password_Hash": "argon2...", "ok": {1, 2}}) == {
        "Password_Hash": "[redacted]",
        "ok": [1, 2],
    }


# -- the command line ------------------------------------------------------------------


@pytest.mark.slow
def test_command_line_admin_actions_are_recorded_as_cli(tmp_path: Path):
    polydesk = str(Path(sys.executable).with_name("polydesk"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PICCOLO_CONF")}
    env.update(POLYDESK_DATA_DIR=str(tmp_path / "data"), POLYDESK_NEW_PASSWORD="long-enough-1")

    def run(*args: str) -> str:
        result = subprocess.run(
            [polydesk, *args], capture_output=True, text=True, env=env, timeout=120
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    run("migrate")
    run("user", "create", "ada", "--admin", "--role", "it:lead")
    token = run("user", "token", "ada", "--name", "cron").strip()
    run("plugins", "disable", "legal")
    run("user", "unlock", "ada")  # not locked: nothing to record
    lines = run("audit").splitlines()
    assert [line.split()[2:4] for line in lines] == [
        ["cli", "plugin.disabled"],
        ["cli", "token.created"],
        ["cli", "person.created"],
    ]
    assert '"roles": {"it": "lead"}' in lines[2] and "long-enough" not in "".join(lines)
    assert token not in "".join(lines)
    assert run("audit", "--action", "token.created").count("\n") == 1
