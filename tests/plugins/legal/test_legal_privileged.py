"""A privileged matter is seen by its requester and Legal's privileged team, and by nobody else."""

from __future__ import annotations

from polydesk.core.tickets.services import TicketFilters, TicketService

MATTER = {
    "matter_type": "regulator",
    "other_parties": "UODO (the data protection authority)",
    "preserve_documents": True,
}
OUTSIDERS = ("legal.paralegal", "legal.lead", "it.agent", "admin")


async def visible_count(legal, username: str, **filters) -> int:
    legal.runtime.plugin_states.invalidate()
    service = TicketService(await legal.runtime.snapshot())
    return await service.count(await legal.people.actor(username), TicketFilters(**filters))


async def test_only_the_requester_and_the_privileged_team_see_the_matter(legal):
    filed = await legal.file("alice", "legal.privileged_matter", MATTER, "Inspection notice")
    assert filed.status_code == 201
    matter = filed.json()
    key = matter["key"]
    assert matter["confidential"] is True
    # An ordinary Legal request beside it, which every Legal agent sees.
    advice = await legal.file("bob", "legal.advice", {"area": "ip"}, "Logo licence")
    await legal.deliver()

    for username in ("alice", "legal.counsel"):
        assert (await legal.get(username, key)).status_code == 200, username

    for username in OUTSIDERS:
        headers = await legal.people.headers(username)
        assert (await legal.get(username, key)).status_code == 404, username
        for path in ("timeline", "transitions", "approvals", "children", "links"):
            response = await legal.client.get(f"/api/v1/tickets/{key}/{path}", headers=headers)
            assert response.status_code == 404, (username, path)
        commented = await legal.client.post(
            f"/api/v1/tickets/{key}/comments", json={"body": "hello?"}, headers=headers
        )
        assert commented.status_code == 404, username
        moved = await legal.move(username, key, "open_matter")
        assert moved.status_code == 404, username

        # Never in their lists, searches or counts.
        for query in (
            "",
            "?department=legal",
            f"?q={key}",
            "?request_type=legal.privileged_matter",
        ):
            listed = await legal.client.get(f"/api/v1/tickets{query}", headers=headers)
            assert key not in {t["key"] for t in listed.json()["items"]}, (username, query)
        assert await visible_count(legal, username, request_type=["legal.privileged_matter"]) == 0

    assert await visible_count(legal, "legal.paralegal", department=["legal"]) == 1  # the advice
    assert await visible_count(legal, "legal.counsel", department=["legal"]) == 2
    assert advice.json()["confidential"] is False


async def test_the_privileged_team_works_the_matter(legal):
    key = await legal.file("alice", "legal.privileged_matter", MATTER, "Inspection")
    key = key.json()["key"]
    opened = await legal.move("legal.counsel", key, "open_matter")
    assert opened.json()["state"] == "active"
    # Concluding is for leads; a lead outside the team cannot even find it.
    assert (await legal.move("legal.counsel", key, "conclude", outcome="x")).status_code == 403
    assert (await legal.move("legal.lead", key, "conclude", outcome="x")).status_code == 404


async def test_only_the_privileged_team_files_a_matter_for_someone(legal):
    """A Legal agent outside the privileged team is refused before anything is stored."""
    body = {
        "request_type": "legal.privileged_matter",
        "title": "Raised for Alice",
        "form_data": MATTER,
        "requester": "alice",
    }
    headers = await legal.people.headers("legal.paralegal")
    refused = await legal.client.post("/api/v1/tickets", json=body, headers=headers)
    assert refused.status_code == 403
    assert "team this confidential request belongs to" in refused.json()["detail"]
    assert await visible_count(legal, "alice", request_type=["legal.privileged_matter"]) == 0

    headers = await legal.people.headers("legal.counsel")
    filed = await legal.client.post("/api/v1/tickets", json=body, headers=headers)
    assert filed.status_code == 201, filed.text
    assert await visible_count(legal, "alice", request_type=["legal.privileged_matter"]) == 1
