"""The admin console through the real login form: no-JS posts (303, or 422 with each
message by its field) and the htmx row swaps, for admins only."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from polydesk.core.people.services import authenticate, load_actor
from polydesk.core.sla.tables import SLAOverride

PASSWORD = "root-password-1"


async def log_in(client, username: str, password: str = PASSWORD) -> None:
    await client.get("/login")
    response = await client.post(
        "/login",
        data={"username": username, "password": password, "_csrf_token": _csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def _csrf(client) -> str:
    return client.cookies.get("polydesk_csrf")


async def post(client, url: str, data: dict | list | None = None, *, htmx: bool = False):
    """A form post as the browser sends it (with the CSRF field); htmx adds its headers."""
    fields = list(data.items()) if isinstance(data, dict) else list(data or [])
    headers = {"HX-Request": "true", "x-csrftoken": _csrf(client)} if htmx else {}
    body: dict[str, list[str]] = {}
    for name, value in [*fields, ("_csrf_token", _csrf(client))]:
        body.setdefault(name, []).append(value)
    return await client.post(url, data=body, headers=headers, follow_redirects=False)


def html(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def error_of(soup: BeautifulSoup, input_id: str) -> str:
    """The message shown by an input: its `-error` element, which the input points at."""
    field = soup.find(id=input_id)
    assert field is not None, input_id
    message = soup.find(id=f"{input_id}-error")
    assert message is not None, f"no error shown for {input_id}"
    if field.name in ("input", "select", "textarea"):
        assert field.get("aria-invalid") == "true"
        assert f"{input_id}-error" in field.get("aria-describedby", "").split()
    return message.get_text(" ", strip=True)


@pytest.fixture
async def root(client, people):
    await people.add("root", admin=True, password=PASSWORD)
    await log_in(client, "root")
    return people


# -- access ---------------------------------------------------------------------------------

ADMIN_GETS = [
    "/admin",
    "/admin/plugins",
    "/admin/departments",
    "/admin/people",
    "/admin/people/1",
    "/admin/sla",
    "/admin/sla/calendars/it.office_hours",
    "/admin/sla/policies/it.incident",
]
ADMIN_POSTS = [
    "/admin/plugins/legal/disable",
    "/admin/plugins/legal/enable",
    "/admin/request-types/legal.advice/hide",
    "/admin/request-types/legal.advice/show",
    "/admin/people",
    "/admin/people/1/access",
    "/admin/people/1/password",
    "/admin/sla/calendars/it.office_hours",
    "/admin/sla/calendars/it.office_hours/reset",
    "/admin/sla/policies/it.incident",
    "/admin/sla/policies/it.incident/reset",
]


async def test_every_section_renders(client, root):
    titles = {}
    for url in ADMIN_GETS:
        url = url.replace("/people/1", f"/people/{root.ids['alice']}")
        response = await client.get(url)
        assert response.status_code == 200, (url, response.text)
        soup = html(response)
        titles[url] = soup.h1.get_text(" ", strip=True)
        current = soup.select_one('nav[aria-label="Admin sections"] a[aria-current="page"]')
        assert current is not None, url
    assert titles["/admin"] == "Admin console"
    assert titles["/admin/plugins"] == "Plugins"
    assert titles["/admin/sla/calendars/it.office_hours"].startswith("IT service desk hours")
    overview = html(await client.get("/admin"))
    links = {a["href"] for a in overview.select("main article h2 a")}
    assert links == {"/admin/plugins", "/admin/departments", "/admin/people", "/admin/sla"}
    plugins = html(await client.get("/admin/plugins"))
    legal = plugins.find(id="plugin-legal")
    assert "legal" in legal.get_text() and legal["data-enabled"] == "true"
    assert "keeps" in plugins.find(id="plugins-note").get_text() or "Nothing is deleted" in (
        plugins.find(id="plugins-note").get_text()
    )
    departments = html(await client.get("/admin/departments"))
    assert departments.find(id="rt-legal.advice") is not None
    assert len(departments.select("section[data-department]")) == 4


@pytest.mark.parametrize("username", ["alice", "it.agent"])
async def test_only_global_admins_see_the_console(client, people, username):
    await people.add(
        f"{username}2", roles={"it": "agent"} if "agent" in username else None, password=PASSWORD
    )
    await log_in(client, f"{username}2")
    for url in ADMIN_GETS:
        url = url.replace("/people/1", f"/people/{people.ids['alice']}")
        assert (await client.get(url)).status_code == 404, url
    for url in ADMIN_POSTS:
        url = url.replace("/people/1", f"/people/{people.ids['alice']}")
        response = await post(client, url, {"password": "long-enough-1", "username": "x"})
        assert response.status_code == 404, url
    nav = html(await client.get("/")).select_one('nav[aria-label="Main"]')
    assert "/admin" not in {a["href"] for a in nav.find_all("a")}
    assert await SLAOverride.count() == 0


async def test_anonymous_visitors_are_asked_to_log_in(client, db):
    response = await client.get("/admin/people", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/admin/people"


# -- plugins and departments ---------------------------------------------------------------


async def test_disabling_a_plugin_hides_its_department_until_enabled(client, root):
    alice = await root.headers("alice")

    def legal_on_portal(response) -> bool:
        return html(response).select_one('[data-department="legal"]') is not None

    async def legal_types() -> list:
        types = (await client.get("/api/v1/request-types", headers=alice)).json()
        return [t for t in types if t["department"] == "legal"]

    assert legal_on_portal(await client.get("/")) and await legal_types()
    response = await post(client, "/admin/plugins/legal/disable")
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/plugins#plugin-legal"
    assert not legal_on_portal(await client.get("/"))
    assert await legal_types() == []
    page = html(await client.get("/admin/plugins"))
    assert page.find(id="plugin-legal")["data-enabled"] == "false"
    departments = html(await client.get("/admin/departments"))
    assert "Disabled" in departments.find(id="department-legal").header.get_text()

    # htmx: the plugin's row comes back alone, ready to swap.
    response = await post(client, "/admin/plugins/legal/enable", htmx=True)
    assert response.status_code == 200
    assert "<html" not in response.text
    row = html(response).find("article")
    assert row["id"] == "plugin-legal" and row["data-enabled"] == "true"
    assert row.form["hx-post"] == "/admin/plugins/legal/disable"
    assert legal_on_portal(await client.get("/")) and await legal_types()


async def test_unknown_plugin_is_404(client, root):
    assert (await post(client, "/admin/plugins/nope/disable")).status_code == 404


async def test_hiding_a_request_type_removes_it_from_the_catalog(client, root):
    alice = await root.headers("alice")

    async def keys() -> set[str]:
        return {t["key"] for t in (await client.get("/api/v1/request-types", headers=alice)).json()}

    assert "legal.advice" in await keys()
    response = await post(client, "/admin/request-types/legal.advice/hide")
    assert response.status_code == 303
    assert "legal.advice" not in await keys()
    row = html(await client.get("/admin/departments")).find(id="rt-legal.advice")
    assert row["data-hidden"] == "true" and "Hidden" in row.get_text()

    response = await post(client, "/admin/request-types/legal.advice/show", htmx=True)
    assert response.status_code == 200 and "<html" not in response.text
    assert html(response).find("li")["data-hidden"] == "false"
    assert "legal.advice" in await keys()
    assert (await post(client, "/admin/request-types/nope.nope/hide")).status_code == 404


# -- people ---------------------------------------------------------------------------------


async def test_creating_a_person_shows_errors_by_field_and_keeps_values(client, root):
    response = await post(
        client,
        "/admin/people",
        {
            "username": "Bad Name",
            "display_name": " ",
            "email": "bea@example.org",
            "password": "short",
        },
    )
    assert response.status_code == 422
    soup = html(response)
    assert "lower-case" in error_of(soup, "username")
    assert error_of(soup, "display_name") == "A name is required."
    assert "8 characters" in error_of(soup, "password")
    assert soup.find(id="username")["value"] == "Bad Name"
    assert soup.find(id="email")["value"] == "bea@example.org"
    assert soup.find(id="password")["value"] == ""  # never sent back
    assert soup.find(id="error-summary") is not None

    taken = await post(client, "/admin/people", {"username": "alice", "display_name": "A"})
    assert taken.status_code == 422 and "taken" in error_of(html(taken), "username")

    response = await post(
        client,
        "/admin/people",
        {
            "username": "bea",
            "display_name": "Bea Admin",
            "email": "bea@example.org",
            "password": "bea-password-1",
            "is_admin": "on",
        },
    )
    assert response.status_code == 303
    person = int(response.headers["location"].split("/")[-1].split("?")[0])
    assert (await load_actor(person)).is_admin
    page = html(await client.get(response.headers["location"]))
    assert page.find(attrs={"role": "status"}).get_text(strip=True) == "Person created."
    assert await authenticate("bea", "bea-password-1") == person


async def test_search_lists_people_and_htmx_gets_the_list_alone(client, root):
    soup = html(await client.get("/admin/people", params={"q": "hr."}))
    names = [li.a.get_text(strip=True) for li in soup.select("#people-results li")]
    assert names == ["Hr Agent", "Hr Case"]
    case = soup.find(id=f"person-{root.ids['hr.case']}").get_text(" ", strip=True)
    assert "HR: agent" in case and "case team" in case
    assert soup.find(id="q")["value"] == "hr."

    fragment = await client.get(
        "/admin/people", params={"q": "ADMIN"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in fragment.text
    assert [a.get_text(strip=True) for a in html(fragment).select("li a")] == ["Admin"]
    full = await client.get(
        "/admin/people", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in full.text


async def test_roles_and_teams_are_set_per_department(client, root):
    bob = root.ids["bob"]
    response = await post(
        client,
        f"/admin/people/{bob}/access",
        [("role.hr", "agent"), ("role.legal", "lead"), ("role.it", ""), ("team", "hr:case_team")],
    )
    assert response.status_code == 303
    actor = await load_actor(bob)
    assert dict(actor.roles) == {"hr": "agent", "legal": "lead"}
    assert actor.teams == {("hr", "case_team")} and not actor.is_admin
    soup = html(await client.get(response.headers["location"]))
    assert soup.find(id="role-hr").find("option", selected=True)["value"] == "agent"
    assert soup.find(id="team-hr-case_team").has_attr("checked")
    assert not soup.find(id="team-legal-privileged").has_attr("checked")

    # Unticking a team and choosing "None" take things away again.
    await post(client, f"/admin/people/{bob}/access", [("role.hr", ""), ("role.legal", "lead")])
    actor = await load_actor(bob)
    assert dict(actor.roles) == {"legal": "lead"} and actor.teams == frozenset()

    bad = await post(
        client, f"/admin/people/{bob}/access", [("role.hr", "boss"), ("team", "hr:case_team")]
    )
    assert bad.status_code == 422
    soup = html(bad)
    assert "Choose one of" in error_of(soup, "role-hr")
    assert soup.find(id="team-hr-case_team").has_attr("checked")  # what was typed stays
    assert dict((await load_actor(bob)).roles) == {"legal": "lead"}  # nothing saved


async def test_an_admin_cannot_remove_their_own_admin_rights(client, root):
    me = root.ids["root"]
    response = await post(client, f"/admin/people/{me}/access", [("role.it", "agent")])
    assert response.status_code == 422
    assert "own admin rights" in error_of(html(response), "is_admin")
    actor = await load_actor(me)
    assert actor.is_admin and dict(actor.roles) == {}


async def test_resetting_a_password(client, root):
    alice = root.ids["alice"]
    short = await post(client, f"/admin/people/{alice}/password", {"password": "short"})
    assert short.status_code == 422
    assert "8 characters" in error_of(html(short), "password")
    response = await post(client, f"/admin/people/{alice}/password", {"password": "alice-new-pass"})
    assert response.status_code == 303
    assert response.headers["location"].endswith("?done=password")
    assert await authenticate("alice", "alice-new-pass") == alice
    assert (
        await post(client, "/admin/people/99999/password", {"password": "x" * 9})
    ).status_code == 404


# -- SLA ----------------------------------------------------------------------------------

CALENDAR = "/admin/sla/calendars/legal.office_hours"
POLICY = "/admin/sla/policies/legal.standard"


def form_values(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """What the browser would submit for the page's edit form, untouched."""
    form = soup.select_one("form.admin-form")
    fields: list[tuple[str, str]] = []
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or name == "_csrf_token":
            continue
        if element.name == "textarea":
            fields.append((name, element.get_text()))
        elif element.name == "select":
            chosen = element.find("option", selected=True) or element.find("option")
            fields.append((name, chosen.get("value", "")))
        elif element.get("type") == "checkbox":
            if element.has_attr("checked"):
                fields.append((name, element.get("value", "on")))
        else:
            fields.append((name, element.get("value", "")))
    return fields


def replace(fields: list[tuple[str, str]], **changes: str) -> list[tuple[str, str]]:
    changes = {k.replace("__", "."): v for k, v in changes.items()}
    return [(k, changes.get(k, v)) for k, v in fields]


@pytest.fixture
async def api(client, root):
    """`await api("calendars", key)`: the item as the SLA API shows it now."""
    headers = await root.headers("admin")

    async def item(kind: str, key: str) -> dict:
        items = (await client.get(f"/api/v1/sla/{kind}", headers=headers)).json()
        return next(i for i in items if i["key"] == key)

    return item


async def test_calendar_edit_saves_and_shows_the_new_hours(client, root, api):
    fields = form_values(html(await client.get(CALENDAR)))
    assert ("hours.1", "09:00-17:00") in fields and ("hours.6", "") in fields
    edited = replace(
        fields,
        hours__1="08:00-12:00, 13:00-17:00",
        hours__6="10:00-14:00",
        custom_holidays="2026-12-24, 2026-12-31",
        special_days="2026-12-23 08:00-12:00\n2026-12-30",
        holidays_subdivision="",
    )
    response = await post(client, CALENDAR, edited)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == CALENDAR + "?done=saved"
    config = (await api("calendars", "legal.office_hours"))["config"]
    assert config["hours"]["1"] == [["08:00", "12:00"], ["13:00", "17:00"]]
    assert config["hours"]["6"] == [["10:00", "14:00"]] and "7" not in config["hours"]
    assert config["custom_holidays"] == ["2026-12-24", "2026-12-31"]
    assert config["special_days"] == {"2026-12-23": [["08:00", "12:00"]], "2026-12-30": []}
    soup = html(await client.get(response.headers["location"]))
    assert soup.find(id="hours-1")["value"] == "08:00-12:00, 13:00-17:00"
    assert "Saved" in soup.find(attrs={"role": "status"}).get_text()
    listing = html(await client.get("/admin/sla")).find(id="calendar-legal.office_hours")
    assert (
        "Mon 08:00–12:00, 13:00–17:00" in listing.get_text(" ") and "edited" in listing.get_text()
    )

    # Restore the default: the plugin's hours are back and the item is no longer edited.
    response = await post(client, CALENDAR + "/reset")
    assert response.status_code == 303 and response.headers["location"].endswith("?done=restored")
    restored = await api("calendars", "legal.office_hours")
    assert restored["config"]["hours"]["1"] == [["09:00", "17:00"]] and not restored["edited"]


async def test_bad_calendar_is_refused_by_field_and_nothing_is_saved(client, root, api):
    before = await api("calendars", "legal.office_hours")
    fields = form_values(html(await client.get(CALENDAR)))
    bad = replace(
        fields,
        timezone="Mars/Olympus",
        hours__1="09:00-09:00",
        hours__2="nine to five",
        holidays_country="XX",
        special_days="2026-02-30 08:00-12:00",
    )
    response = await post(client, CALENDAR, bad)
    assert response.status_code == 422
    soup = html(response)
    assert "nine to five" in error_of(soup, "hours-2")
    assert soup.find(id="hours-2")["value"] == "nine to five"  # kept as typed
    assert await SLAOverride.count() == 0

    # With the text well-formed, the SLA service judges the values, each by its field.
    bad = replace(bad, hours__2="09:00-17:00")
    response = await post(client, CALENDAR, bad)
    assert response.status_code == 422
    soup = html(response)
    assert "Unknown time zone 'Mars/Olympus'" in error_of(soup, "timezone")
    assert "has no length" in error_of(soup, "hours-1")
    assert "Unknown holidays country 'XX'" in error_of(soup, "holidays_country")
    assert error_of(soup, "special_days").startswith("2026-02-30:")
    assert soup.find(id="timezone")["value"] == "Mars/Olympus"
    summary = soup.find(id="error-summary")
    assert {a["href"] for a in summary.find_all("a")} >= {"#timezone", "#hours-1", "#special_days"}
    assert await SLAOverride.count() == 0
    assert await api("calendars", "legal.office_hours") == before

    # A week with no working time at all is refused on the hours fieldset.
    closed = replace(fields, **{f"hours__{d}": "" for d in range(1, 8)})
    response = await post(client, CALENDAR, closed)
    assert response.status_code == 422
    assert "no working time" in error_of(html(response), "hours")


async def test_round_the_clock_calendar(client, root, api):
    fields = [*form_values(html(await client.get(CALENDAR))), ("always_open", "on")]
    assert (await post(client, CALENDAR, fields)).status_code == 303
    config = (await api("calendars", "legal.office_hours"))["config"]
    assert config["hours"] == {}
    soup = html(await client.get(CALENDAR))
    assert soup.find(id="always_open").has_attr("checked")


async def test_policy_edit_saves_targets_and_escalation(client, root, api):
    fields = form_values(html(await client.get(POLICY)))
    edited = [
        (k, v)
        for k, v in replace(
            fields,
            targets__1__first_response="15",
            targets__1__resolution="120",
            targets__1__calendar="it.24x7",
            targets__4__first_response="",
            targets__4__resolution="",
            warning_at="75",
            escalation__reassign_group="legal-oncall",
        )
        if k not in ("pause_categories", "escalation.notify_lead")
    ] + [
        ("pause_categories", "waiting"),
        ("pause_categories", "new"),
        ("escalation.raise_priority", "on"),
    ]
    response = await post(client, POLICY, edited)
    assert response.status_code == 303, response.text
    config = (await api("policies", "legal.standard"))["config"]
    assert config["targets"]["1"] == {
        "first_response": 15,
        "resolution": 120,
        "calendar": "it.24x7",
        "due_field": None,
    }
    assert "4" not in config["targets"]
    assert config["warning_at"] == 0.75
    assert sorted(config["pause_categories"]) == ["new", "waiting"]
    assert config["escalation"] == {
        "notify_lead": False,
        "raise_priority": True,
        "reassign_group": "legal-oncall",
    }
    soup = html(await client.get(POLICY))
    assert soup.find(id="targets-1-first_response")["value"] == "15"
    assert soup.find(id="warning_at")["value"] == "75"
    assert soup.find(id="targets-1-calendar").find("option", selected=True)["value"] == "it.24x7"

    response = await post(client, POLICY + "/reset")
    assert response.status_code == 303
    assert not (await api("policies", "legal.standard"))["edited"]


async def test_bad_policy_is_refused_by_field_and_nothing_is_saved(client, root, api):
    before = await api("policies", "legal.standard")
    fields = form_values(html(await client.get(POLICY)))
    bad = replace(
        fields,
        targets__2__first_response="0",
        targets__3__resolution="soon",
        warning_at="150",
        name="Still named",
    )
    response = await post(client, POLICY, bad)
    assert response.status_code == 422
    soup = html(response)
    assert "greater than zero" in error_of(soup, "targets-2-first_response")
    assert "whole number" in error_of(soup, "targets-3-resolution")
    assert "between 0 and 100" in error_of(soup, "warning_at")
    assert soup.find(id="targets-3-resolution")["value"] == "soon"
    assert soup.find(id="name")["value"] == "Still named"

    # Well-formed but refused by the service: an empty name.
    response = await post(client, POLICY, replace(fields, name=" "))
    assert response.status_code == 422
    assert error_of(html(response), "name") == "A name is required."
    assert await SLAOverride.count() == 0
    assert await api("policies", "legal.standard") == before


async def test_saving_an_untouched_form_changes_nothing(client, root, api, runtime):
    """The form is a lossless view of every calendar and policy the plugins ship."""
    for kind, keys in (
        ("calendars", runtime.registry.calendars),
        ("policies", runtime.registry.sla_policies),
    ):
        for key in keys:
            before = await api(kind, key)
            url = f"/admin/sla/{kind}/{key}"
            response = await post(client, url, form_values(html(await client.get(url))))
            assert response.status_code == 303, (url, response.text)
            after = await api(kind, key)
            assert after["config"] == before["config"], url
            assert after["edited"]


async def test_a_target_may_be_due_by_a_date_field_of_the_form(client, root, api):
    url = "/admin/sla/policies/hr.onboarding"
    soup = html(await client.get(url))
    due = soup.find(id="targets-3-due_field")
    assert due.find("option", selected=True)["value"] == "start_date"
    fields = replace(form_values(soup), targets__3__due_field="")
    assert (await post(client, url, fields)).status_code == 303
    assert (await api("policies", "hr.onboarding"))["config"]["targets"]["3"]["due_field"] is None


async def test_unknown_sla_items_are_404(client, root):
    assert (await client.get("/admin/sla/calendars/nope")).status_code == 404
    assert (await client.get("/admin/sla/widgets/it.24x7")).status_code == 404
    assert (await post(client, "/admin/sla/policies/nope", {"name": "x"})).status_code == 404
