"""A confidential HR case is seen by its requester and the case team only: everyone else
gets 404, and it never shows in their lists, searches or counts."""

from __future__ import annotations

import pytest

from polydesk.core.tickets.services import TicketFilters

CASE = {
    "category": "harassment",
    "people_involved": "My team lead, in the weekly meeting.",
    "preferred_contact": "in_person",
}
OUTSIDERS = ("hr.agent", "it.agent", "admin")
READS = ("", "/timeline", "/transitions", "/approvals", "/children", "/links")


@pytest.fixture
async def case(client, people) -> dict:
    created = await client.post(
        "/api/v1/tickets",
        json={"request_type": "hr.case", "title": "Comments about my accent", "form_data": CASE},
        headers=await people.headers("alice"),
    )
    assert created.status_code == 201, created.text
    return created.json()


@pytest.mark.parametrize("outsider", OUTSIDERS)
async def test_another_hr_agent_another_department_and_an_admin_get_404(
    client, people, case, outsider
):
    headers = await people.headers(outsider)
    for ref in (case["key"], str(case["id"])):
        for read in READS:
            response = await client.get(f"/api/v1/tickets/{ref}{read}", headers=headers)
            assert response.status_code == 404, (outsider, read)
    writes = {
        "/comments": {"body": "Hello?", "public": False},
        "/transitions": {"transition": "review"},
        "/links": {"target": "HR-999", "kind": "relates_to"},
        "/children": {"request_type": "hr.task", "title": "x", "form_data": {}},
    }
    for path, body in writes.items():
        response = await client.post(
            f"/api/v1/tickets/{case['key']}{path}", json=body, headers=headers
        )
        assert response.status_code == 404, (outsider, path)


@pytest.mark.parametrize("outsider", OUTSIDERS)
async def test_the_case_never_shows_in_their_lists_searches_or_counts(
    client, people, personnel, case, outsider
):
    await personnel.file("bob", "hr.payroll", {"topic": "sports_card"}, "Sports card")
    headers = await people.headers(outsider)
    for query in ("", "?department=hr", "?request_type=hr.case", "?q=accent", f"?q={case['key']}"):
        listed = await client.get(f"/api/v1/tickets{query}", headers=headers)
        assert case["key"] not in {t["key"] for t in listed.json()["items"]}, query
    service = await personnel.service()
    actor = await people.actor(outsider)
    assert await service.count(actor, TicketFilters(request_type=["hr.case"])) == 0
    assert await service.count(actor, TicketFilters(confidential=True)) == 0  # HR's case queue
    hr_count = await service.count(actor, TicketFilters(department=["hr"]))
    assert hr_count == (0 if outsider == "it.agent" else 1)  # bob's payroll question only


async def test_linking_to_the_case_reveals_no_more_than_a_missing_ticket(
    client, people, personnel, case
):
    headers = await people.headers("hr.agent")
    mine = await personnel.file("hr.agent", "hr.payroll", {"topic": "sports_card"}, "Card")
    answers = []
    for target in (case["key"], "HR-999"):
        response = await client.post(
            f"/api/v1/tickets/{mine.key}/links",
            json={"target": target, "kind": "relates_to"},
            headers=headers,
        )
        answers.append((response.status_code, response.json()["errors"]))
    assert answers[0] == answers[1] and answers[0][0] == 422


async def test_the_requester_and_the_case_team_see_it(client, people, personnel, case):
    for username in ("alice", "hr.case"):
        headers = await people.headers(username)
        seen = await client.get(f"/api/v1/tickets/{case['key']}", headers=headers)
        assert seen.status_code == 200 and seen.json()["confidential"] is True
        listed = await client.get("/api/v1/tickets?department=hr", headers=headers)
        assert [t["key"] for t in listed.json()["items"]] == [case["key"]]
    team = await people.actor("hr.case")
    service = await personnel.service()
    assert await service.count(team, TicketFilters(request_type=["hr.case"])) == 1
    assert await service.count(team, TicketFilters(confidential=True)) == 1


async def test_an_hr_agent_outside_the_case_team_cannot_file_a_case_for_someone(client, people):
    """Refused before anything is stored: once filed, the agent could not see the case."""
    body = {
        "request_type": "hr.case",
        "title": "Raised at the front desk",
        "form_data": CASE,
        "requester": "alice",
    }
    refused = await client.post(
        "/api/v1/tickets", json=body, headers=await people.headers("hr.agent")
    )
    assert refused.status_code == 403
    assert "team this confidential request belongs to" in refused.json()["detail"]
    alice = await client.get("/api/v1/tickets", headers=await people.headers("alice"))
    assert alice.json()["items"] == []

    filed = await client.post("/api/v1/tickets", json=body, headers=await people.headers("hr.case"))
    assert filed.status_code == 201, filed.text
    assert filed.json()["requester"]["username"] == "alice"
    alice = await client.get("/api/v1/tickets", headers=await people.headers("alice"))
    assert [t["key"] for t in alice.json()["items"]] == [filed.json()["key"]]
