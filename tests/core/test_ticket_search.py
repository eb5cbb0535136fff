"""Keyword search of the ticket list through its index (polydesk.core.tickets.search).

Words are prefixes of words in the title or the description, every word must
match, a ticket key finds its ticket, edits are searchable at once (the index
follows in the ticket's own transaction), visibility still applies, and any
text typed in the box is a query, never an error.
"""

from __future__ import annotations

import pytest

from polydesk.core.tickets.services import TicketFilters, TicketService


@pytest.fixture
async def tickets(runtime) -> TicketService:
    return TicketService(await runtime.snapshot())


async def _keys(tickets: TicketService, actor, q: str) -> list[str]:
    page = await tickets.list(actor, TicketFilters(q=q, sort="newest"))
    return [t.key for t in page.items]


async def test_words_match_titles_and_descriptions_by_prefix(tickets, people, incident_form):
    alice, agent = await people.actor("alice"), await people.actor("it.agent")
    vpn = await tickets.create(
        alice,
        request_type="it.incident",
        title="VPN drops every hour",
        description="Since Monday the Zażółć client disconnects.",
        form_data=incident_form(),
    )
    printer = await tickets.create(
        alice,
        request_type="it.incident",
        title="Printer on floor 3",
        description="Paper jam after the VPN outage.",
        form_data=incident_form(),
    )
    assert await _keys(tickets, agent, "vpn") == [printer.key, vpn.key]
    assert await _keys(tickets, agent, "VPN drop") == [vpn.key]  # every word, as a prefix
    assert await _keys(tickets, agent, "MONDAY zażółć") == [vpn.key]  # any case
    assert await _keys(tickets, agent, "jam printer") == [printer.key]
    assert await _keys(tickets, agent, "scanner") == []
    assert await _keys(tickets, agent, vpn.key.lower()) == [vpn.key]  # a key finds its ticket


async def test_a_changed_title_is_searchable_at_once(tickets, people, incident_form):
    alice, agent = await people.actor("alice"), await people.actor("it.agent")
    ticket = await tickets.create(
        alice, request_type="it.incident", title="Mail is slow", form_data=incident_form()
    )
    await tickets.update(agent, ticket.id, version=ticket.version, title="Calendar sync broken")
    assert await _keys(tickets, agent, "calendar") == [ticket.key]
    assert await _keys(tickets, agent, "slow") == []


async def test_search_finds_only_what_the_reader_may_see(tickets, people, incident_form):
    alice, bob = await people.actor("alice"), await people.actor("bob")
    agent, hr = await people.actor("it.agent"), await people.actor("hr.agent")
    mine = await tickets.create(
        alice, request_type="it.incident", title="Keyboard sticky", form_data=incident_form()
    )
    assert await _keys(tickets, alice, "keyboard") == [mine.key]
    assert await _keys(tickets, agent, "keyboard") == [mine.key]
    assert await _keys(tickets, bob, "keyboard") == []
    assert await _keys(tickets, hr, "keyboard") == []
    assert await _keys(tickets, bob, mine.key) == []


@pytest.mark.parametrize(
    ("typed", "finds"),
    [
        ('"', True),  # no words: no filter
        ('"vpn', True),
        ("vpn*", True),
        ("NOT vpn", False),  # "not" is a word to find, not an operator
        ("vpn OR", False),
        ("a:b", False),
        ("(x", False),
        ("x & y | !z", False),
        ("-", True),
        ("%_", True),
        ("NEAR(vpn down)", False),
        ("vpn:* & down", True),
    ],
)
async def test_anything_typed_is_a_query_never_an_error(
    tickets, people, incident_form, typed, finds
):
    alice, agent = await people.actor("alice"), await people.actor("it.agent")
    await tickets.create(
        alice, request_type="it.incident", title="VPN down", form_data=incident_form()
    )
    page = await tickets.list(agent, TicketFilters(q=typed))
    assert bool(page.items) == finds


async def test_the_agent_list_searches_descriptions_too(client, people, incident_form, runtime):
    alice = await people.actor("alice")
    service = TicketService(await runtime.snapshot())
    ticket = await service.create(
        alice,
        request_type="it.incident",
        title="Cannot print",
        description="The toner cartridge reports an error.",
        form_data=incident_form(),
    )
    response = await client.get(
        "/api/v1/tickets", params={"q": "cartridge"}, headers=await people.headers("it.agent")
    )
    assert response.status_code == 200
    assert [t["key"] for t in response.json()["items"]] == [ticket.key]


# -- the window: exactly the newest WINDOW matches, whichever way they are found --

GENERATED = 400


def _generated_text(i: int) -> tuple[str, str]:
    """Title and description of the i-th generated ticket (0 = the oldest).

    Words by share of tickets: `alpha` half, `beta` a seventh, `gamma` a
    twenty-ninth, `delta` two tickets, `burst` dense among the newest, sparse
    just below them and dense again further down (so a range sized by the
    density of the newest falls short), `zulu` none.
    """
    rank = GENERATED - 1 - i  # 0 = the newest
    words = ["ticket"]
    if i % 2 == 0:
        words.append("alphabet")
    if i % 7 == 0:
        words.append("beta")
    if i % 29 == 0:
        words.append("gamma")
    if i in (5, 100):
        words.append("delta")
    if (
        (rank < 8 and rank % 4 == 0)
        or (8 <= rank < 68 and rank % 20 == 0)
        or (rank >= 68 and rank % 3 == 0)
    ):
        words.append("burst")
    half = len(words) // 2
    return " ".join(words[:half]).capitalize() or "Ticket", " ".join(words[half:])


@pytest.fixture
async def generated(tickets, people, incident_form) -> list[tuple[int, str, str]]:
    """GENERATED tickets (id, key, text), oldest first, copied from one created
    ticket in SQL (the search index's triggers fill the index)."""
    from polydesk.core.tickets.tables import Ticket

    alice = await people.actor("alice")
    title, description = _generated_text(0)
    template = await tickets.create(
        alice,
        request_type="it.incident",
        title=title,
        description=description,
        form_data=incident_form(),
    )
    copied = [
        c._meta.db_column_name
        for c in Ticket._meta.columns
        if c._meta.name not in ("id", "key", "number", "title", "description")
    ]
    columns = ", ".join(copied)
    for i in range(1, GENERATED):
        title, description = _generated_text(i)
        await Ticket.raw(
            f"INSERT INTO ticket (key, number, title, description, {columns}) "
            f"SELECT {{}}, {{}}, {{}}, {{}}, {columns} FROM ticket WHERE id = {{}}",
            f"GEN-{i}",
            10_000 + i,
            title,
            description,
            template.id,
        )
    rows = await Ticket.select(Ticket.id, Ticket.key, Ticket.title, Ticket.description).order_by(
        Ticket.id
    )
    return [(r["id"], r["key"], f"{r['title']} {r['description']}".lower()) for r in rows]


def _reference(generated: list[tuple[int, str, str]], q: str, window: int) -> list[str]:
    """The newest `window` tickets having, for every word of `q`, a word that
    starts with it; plus the ticket whose key `q` is; newest first."""
    from polydesk.core.tickets.search import words

    terms = words(q)
    matching = [
        (tid, key)
        for tid, key, text in generated
        if all(any(w.startswith(t) for w in words(text)) for t in terms)
    ]
    found = dict(sorted(matching, reverse=True)[:window])
    found.update({tid: key for tid, key, _ in generated if key == q.strip().upper()})
    return [key for _, key in sorted(found.items(), reverse=True)]


QUERIES = [
    "alphabet", "alp", "beta", "gamma", "delta", "burst", "bu", "zulu", "ticket",
    "beta gamma", "alpha beta", "Gamma TICK", "delta zulu", "GEN-7", "gen-390 ",
]  # fmt: skip


@pytest.mark.parametrize(
    "window",
    [12, 40, 5000],
    ids=["small-window", "mid-window", "as-configured"],
)
async def test_a_search_in_sla_order_lists_exactly_the_newest_window_matches(
    tickets, people, generated, monkeypatch, window
):
    """An explicit SLA order bounds a search: common, mid, rare, prefix,
    two-word, absent and key queries list exactly the matches among the newest
    `WINDOW`, due first (the generated tickets share one due date: then by id)."""
    from polydesk.core.tickets import search

    monkeypatch.setattr(search, "WINDOW", window)
    agent = await people.actor("it.agent")
    for q in QUERIES:
        page = await tickets.list(agent, TicketFilters(q=q, sort="sla"), limit=200)
        expected = _reference(generated, q, window)[::-1][:200]
        assert [t.key for t in page.items] == expected, q


def _small_steps(monkeypatch, engine_rest: bool) -> None:
    """Steps of a handful of rows, so that 400 tickets take many of them (and,
    with `engine_rest`, SQLite's plain query for the rest after 30 candidates)."""
    from polydesk.core.tickets import search

    monkeypatch.setattr(search, "FIRST_STEP", {"sqlite": 3, "postgres": 3})
    monkeypatch.setattr(search, "PER_ROW", {"sqlite": 1, "postgres": 1})
    monkeypatch.setattr(search, "MAX_STEP", {"sqlite": 8, "postgres": 8})
    monkeypatch.setattr(search, "WALK_LIMIT", 30 if engine_rest else 10**9)


async def _all_pages(tickets, actor, q: str, limit: int) -> list[str]:
    """Every page of a newest-first search, through the cursors, concatenated."""
    keys: list[str] = []
    cursor = None
    for _ in range(500):
        page = await tickets.list(
            actor, TicketFilters(q=q, sort="newest"), cursor=cursor, limit=limit
        )
        keys += [t.key for t in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return keys
    raise AssertionError("the cursor never ended")


@pytest.mark.parametrize("steps", ["as-configured", "small-steps", "small-steps-then-rest"])
async def test_a_search_newest_first_pages_through_every_match(
    tickets, people, generated, monkeypatch, steps
):
    """Newest first there is no window: the pages, followed through their
    cursors, are every match newest first, none twice and none skipped, whether
    one step finds a page or many small ones do (the walk continues below)."""
    if steps != "as-configured":
        _small_steps(monkeypatch, engine_rest=steps.endswith("rest"))
    agent = await people.actor("it.agent")
    for q in QUERIES:
        for limit in (7, 50):
            assert await _all_pages(tickets, agent, q, limit) == _reference(generated, q, 10**6), (
                q,
                limit,
            )
        count = await tickets.count(agent, TicketFilters(q=q, sort="newest"), cap=1000)
        assert count == len(_reference(generated, q, 10**6)), q


async def _hide(ids: list[int], **values) -> None:
    from polydesk.core.tickets.tables import Ticket

    await Ticket.update(values).where(Ticket.id.is_in(ids))


@pytest.mark.parametrize("steps", ["as-configured", "small-steps", "small-steps-then-rest"])
async def test_newest_first_walks_past_newer_matches_the_reader_may_not_see(
    tickets, people, generated, monkeypatch, steps
):
    """The newest 300 tickets move to HR, a third of those into HR's confidential
    case team, and only every 40th stays in IT: an IT agent's pages must reach
    past all of HR's to the older IT matches, an HR agent sees HR's but not the
    team's, the team's member sees both, and a requester who may see none of
    them sees nothing."""
    if steps != "as-configured":
        _small_steps(monkeypatch, engine_rest=steps.endswith("rest"))
    newest = [tid for tid, _, _ in generated][-300:]
    moved = [tid for n, tid in enumerate(newest) if n % 40]
    await _hide(moved, department="hr")
    await _hide(moved[::3], confidential_team="case_team")
    hr_ids, team_ids = set(moved) - set(moved[::3]), set(moved[::3])
    it_ids = {tid for tid, _, _ in generated} - set(moved)
    readers = {
        "it.agent": it_ids,
        "hr.agent": hr_ids,
        "hr.case": hr_ids | team_ids,
        "bob": set(),
    }
    for username, visible in readers.items():
        reader = await people.actor(username)
        for q in ("alphabet", "ticket", "gamma", "burst", "beta gamma"):
            seen = [
                (tid, key)
                for tid, key, _ in generated
                if tid in visible and key in _reference(generated, q, 10**6)
            ]
            expected = [key for _, key in sorted(seen, reverse=True)]
            assert await _all_pages(tickets, reader, q, 9) == expected, (username, q)
            count = await tickets.count(reader, TicketFilters(q=q, sort="newest"), cap=1000)
            assert count == len(expected), (username, q)


# -- the default order: newest first for a search, through the API and the workspace --


async def _api_keys(client, people, **params) -> tuple[list[str], str | None]:
    response = await client.get(
        "/api/v1/tickets", params=params, headers=await people.headers("it.agent")
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return [t["key"] for t in body["items"]], body["next_cursor"]


async def test_the_api_lists_a_search_newest_first_unless_sort_is_given(
    client, people, generated, monkeypatch
):
    """`q` without `sort`: every match newest first, page after page; `sort=sla`
    with `q`: the SLA order over the newest WINDOW matches, as before; a key
    finds its ticket in either."""
    from polydesk.core.tickets import search

    monkeypatch.setattr(search, "WINDOW", 40)
    everything = _reference(generated, "alphabet", 10**6)
    keys, cursor = await _api_keys(client, people, q="alphabet", limit=30)
    while cursor:
        more, cursor = await _api_keys(client, people, q="alphabet", limit=30, cursor=cursor)
        keys += more
    assert keys == everything and len(everything) > 40
    by_sla, _ = await _api_keys(client, people, q="alphabet", sort="sla", limit=200)
    assert by_sla == _reference(generated, "alphabet", 40)[::-1]  # one due date: then by id
    newest_sla, _ = await _api_keys(client, people, q="alphabet", sort="newest", limit=5)
    assert newest_sla == everything[:5]
    old_key = generated[0][1]  # the oldest ticket, found by its key
    assert (await _api_keys(client, people, q=old_key.lower()))[0] == [old_key]
    assert (await _api_keys(client, people, q=old_key, sort="sla"))[0] == [old_key]
    # Without a search the default stays the SLA order.
    plain, _ = await _api_keys(client, people, limit=3)
    assert plain == [key for _, key, _ in generated[:3]]


async def test_the_workspace_lists_a_search_newest_first_and_its_select_says_so(
    client, people, generated
):
    """The sort select shows the order used: "SLA due first" without a search,
    "Newest first" with one (as the empty, not-chosen option, so typing a search
    keeps it newest first), and a chosen SLA order stays chosen; the htmx list
    swaps the select along with the rows."""
    from bs4 import BeautifulSoup

    await people.add("it.web", roles={"it": "agent"}, password="agent-password-1")
    await client.get("/login")
    logged_in = await client.post(
        "/login",
        data={
            "username": "it.web",
            "password": "agent-password-1",
            "_csrf_token": client.cookies.get("polydesk_csrf"),
            "next": "/",
        },
        follow_redirects=False,
    )
    assert logged_in.status_code == 303
    hx = {"HX-Request": "true"}

    def read(response) -> tuple[list[str], tuple[str, str]]:
        page = BeautifulSoup(response.text, "html.parser")
        chosen = page.select_one("#filter-sort option[selected]")
        rows = [tr["data-key"] for tr in page.select("tr[data-key]")]
        return rows, (chosen["value"], chosen.get_text(strip=True))

    everything = _reference(generated, "alphabet", 10**6)
    plain = await client.get("/agent", params={"state_category": "any"})
    assert read(plain)[1] == ("", "SLA due first")
    searched = await client.get("/agent", params={"state_category": "any", "q": "alphabet"})
    rows, select = read(searched)
    assert rows == everything[: len(rows)] and len(rows) >= 20
    assert select == ("", "Newest first")
    # The form sends the not-chosen option as an empty sort: still newest first.
    typed = await client.get("/agent?state_category=any&q=alphabet&sort=", headers=hx)
    rows, select = read(typed)
    assert rows == everything[: len(rows)] and select == ("", "Newest first")
    assert typed.headers["hx-push-url"] == "/agent?state_category=any&q=alphabet"
    chosen = await client.get("/agent?state_category=any&q=alphabet&sort=sla", headers=hx)
    rows, select = read(chosen)
    assert select == ("sla", "SLA due first")
    assert rows[0] == everything[-1]  # one due date: oldest id first
    assert chosen.headers["hx-push-url"] == "/agent?state_category=any&q=alphabet&sort=sla"


async def test_a_key_finds_its_ticket_newest_first_whatever_the_steps(
    tickets, people, generated, monkeypatch
):
    """A key (`GEN-12`, any case) finds that old ticket newest first too, alone
    when no text holds its words, with steps of any size."""
    _small_steps(monkeypatch, engine_rest=False)
    agent = await people.actor("it.agent")
    assert await _all_pages(tickets, agent, "gen-12", 3) == ["GEN-12"]
    assert await _all_pages(tickets, agent, generated[0][1], 3) == [generated[0][1]]
    assert await _all_pages(tickets, await people.actor("bob"), "GEN-12", 3) == []
