"""A large organisation's side bar: departments the person does not serve are folded.

With more departments than `FOLD_ABOVE` (here the four bundled ones and four
more from a plugin), an administrator sees every department; only those they
serve, and the one of the view on screen, stay open and are counted after the
page. A folded department is counted when it is opened (htmx, on `toggle`), or
without JavaScript through its own link.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from polydesk.core import Department, Queue
from polydesk.core.demo import sample_form_data
from polydesk.core.hookspecs import hookimpl
from polydesk.core.pluginmanager import create_plugin_manager
from polydesk.core.tickets.services import TicketService
from polydesk.web.controllers.agent import FOLD_ABOVE

HX = {"HX-Request": "true"}
EXTRA = [f"site{n}" for n in range(1, 5)]


class MoreDepartments:
    """Four small departments, each with one queue (what forty generated ones look like)."""

    @hookimpl
    def polydesk_register_departments(self):
        return [Department(slug=s, name=f"Site {s[-1]}", key_prefix=s.upper()) for s in EXTRA]

    @hookimpl
    def polydesk_register_queues(self):
        return [Queue(f"{s}.new", s, "New", {"state_category": ["new"]}) for s in EXTRA]


@pytest.fixture
def plugin_manager():
    pm = create_plugin_manager()
    pm.register(MoreDepartments(), name="more-departments")
    return pm


@pytest.fixture
async def desk(runtime, people):
    await people.add("it.admin", roles={"it": "agent"}, admin=True)
    desk = TicketService(await runtime.snapshot())
    assert len(desk.registry.departments) > FOLD_ABOVE
    return desk


async def raise_ticket(desk, people, rt: str, title: str):
    form = sample_form_data(desk.registry.request_types[rt].form)
    actor = await people.actor("alice")
    return await desk.create(actor, request_type=rt, title=title, form_data=form)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def groups(page: BeautifulSoup) -> dict[str, bool]:
    """Department slug → whether its group is folded."""
    return {
        h3["data-department"]: h3.find_parent("details", class_="queue-fold") is not None
        for h3 in page.select(".queues-nav h3[data-department]")
    }


def counted(response) -> dict[str, str]:
    """Count span id → the number an htmx counts answer swaps in."""
    spans = soup(response).find_all("span", recursive=False)
    assert all(s["hx-swap-oob"] == "true" for s in spans)
    return {s["id"]: s.contents[0].strip() for s in spans}


async def test_an_admin_sees_the_departments_they_serve_open_and_the_others_folded(
    client, desk, people
):
    await raise_ticket(desk, people, "it.incident", "Mail is down")
    await raise_ticket(desk, people, "hr.employment_letter", "A letter")
    await raise_ticket(desk, people, "hr.employment_letter", "Another letter")
    headers = await people.headers("it.admin")

    page = soup(await client.get("/agent", headers=headers))
    folded = groups(page)
    assert set(folded) == {"it", "hr", "legal", "finance", *EXTRA}
    assert [slug for slug, f in folded.items() if not f] == ["it"]
    # The page's one counts request counts IT (and the saved views), nothing folded.
    trigger = page.select_one("#queue-counts")
    first = counted(await client.get(trigger["hx-get"], headers={**headers, **HX}))
    assert first["queue-it-0-count"] == "1"
    assert all(i.startswith("queue-it-") for i in first)

    # Opening HR asks for HR's counts alone.
    hr = page.select_one('details.queue-fold:has(h3[data-department="hr"])')
    assert hr["hx-trigger"] == "toggle once" and not hr.has_attr("open")
    assert hr.select_one("a.queue-link").get_text() == "All active"
    assert hr.select_one(".count.pending")
    opened = counted(await client.get(hr["hx-get"], headers={**headers, **HX}))
    assert opened["queue-hr-0-count"] == "2"
    assert set(opened) == {s["id"] for s in hr.select(".count")}


async def test_a_pure_admin_has_everything_folded_but_the_view_on_screen(client, desk, people):
    await raise_ticket(desk, people, "hr.employment_letter", "A letter")
    headers = await people.headers("admin")
    page = soup(await client.get("/agent", headers=headers))
    assert all(groups(page).values())
    # The view on screen keeps its department open (its link is the current one).
    page = soup(await client.get("/agent", params={"department": "hr"}, headers=headers))
    assert [slug for slug, f in groups(page).items() if not f] == ["hr"]
    assert page.select_one('a.queue-link[aria-current="page"]')["id"] == "queue-hr-0"


async def test_without_javascript_a_folded_department_has_a_link_to_its_counts(
    client, desk, people
):
    await raise_ticket(desk, people, "hr.employment_letter", "A letter")
    headers = await people.headers("it.admin")
    page = soup(await client.get("/agent", headers=headers))
    link = page.select_one('details.queue-fold:has(h3[data-department="hr"]) noscript a')
    whole = soup(await client.get(link["href"], headers=headers))
    assert not groups(whole)["hr"]
    assert whole.select_one("#queue-hr-0-count").contents[0].strip() == "1"
    assert [tr["data-key"] for tr in whole.select("tr[data-key]")] == ["HR-1"]


async def test_counts_of_a_department_outside_ones_scope_are_not_found(client, desk, people):
    it_agent = await people.headers("it.agent")
    for slug in ("hr", "nowhere"):
        url = f"/agent/counts?department_counts={slug}"
        response = await client.get(url, headers={**it_agent, **HX})
        assert response.status_code == 404
    admin = await people.headers("admin")
    response = await client.get("/agent/counts?department_counts=nowhere", headers=admin)
    assert response.status_code == 404 and "No such page." in response.text
