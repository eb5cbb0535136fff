"""A vendor's bank details are seen in full by Finance's agents on the ticket, and by nobody else."""

from __future__ import annotations

BANK = {
    "iban": ("DE89 3704 0044 0532 0130 00", "••••3000"),
    "swift_bic": ("HASPDEHHXXX", "••••HXXX"),
    "bank_account_holder": ("Nordwind GmbH", "••••GmbH"),
}


def bank_details(ticket: dict) -> dict[str, str]:
    return {key: ticket["form_data"][key] for key in BANK}


FULL = {key: full for key, (full, _) in BANK.items()}
MASKED = {key: masked for key, (_, masked) in BANK.items()}


async def test_bank_details_are_masked_for_all_but_finance_agents_on_the_ticket(
    finance, client, people
):
    filed = await client.post(
        "/api/v1/tickets",
        json={
            "request_type": "finance.vendor_onboarding",
            "title": "Onboard Nordwind",
            "form_data": finance.VENDOR,
        },
        headers=await people.headers("alice"),
    )
    assert filed.status_code == 201
    # The requester typed them, but once filed sees them masked like everyone else.
    assert bank_details(filed.json()) == MASKED
    key = filed.json()["key"]
    assert filed.json()["form_data"]["bank_name"] == "Hamburger Sparkasse"  # not sensitive

    async def seen_by(username: str) -> dict[str, str]:
        response = await client.get(
            f"/api/v1/tickets/{key}", headers=await people.headers(username)
        )
        assert response.status_code == 200
        return bank_details(response.json())

    assert await seen_by("finance.agent") == FULL
    assert await seen_by("finance.lead") == FULL
    assert await seen_by("alice") == MASKED
    assert await seen_by("admin") == MASKED  # a global admin is not a finance agent

    # Lists mask, even for Finance's agents.
    for username in ("finance.agent", "admin", "alice"):
        listed = await client.get(
            "/api/v1/tickets?department=finance", headers=await people.headers(username)
        )
        (row,) = [t for t in listed.json()["items"] if t["key"] == key]
        assert bank_details(row) == MASKED, username

    # An agent of another department cannot open it at all.
    hidden = await client.get(f"/api/v1/tickets/{key}", headers=await people.headers("it.agent"))
    assert hidden.status_code == 404


async def test_the_timeline_never_carries_bank_details_in_clear(finance, client, people):
    ticket = await finance.file("alice", "finance.vendor_onboarding", finance.VENDOR)
    agent = await people.headers("finance.agent")
    for transition, fields in (
        ("start_verification", {}),
        ("verify", {"bank_verification": ["callback"]}),
    ):
        response = await client.post(
            f"/api/v1/tickets/{ticket.key}/transitions",
            json={"transition": transition, "fields": fields},
            headers=agent,
        )
        assert response.status_code == 201
    await finance.deliver()
    for username in ("alice", "admin", "finance.lead"):
        timeline = await client.get(
            f"/api/v1/tickets/{ticket.key}/timeline", headers=await people.headers(username)
        )
        text = timeline.text
        assert "3704 0044" not in text and "HASPDEHHXXX" not in text, username
