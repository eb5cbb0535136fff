"""The desk behind `test_every_page_translated.py`: every kind of thing a page can show,
written by people in Greek, so that nothing typed by a person can pass for English
(nor for Chinese or Polish) on a page that is checked for untranslated English.

Usernames are ASCII (the username rule asks for it) and start with `zz`; the checks
treat them, e-mail addresses and ticket keys as data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from polydesk.core.announcements.services import post_announcement
from polydesk.core.demo import sample_value
from polydesk.core.errors import PolydeskError
from polydesk.core.forms import Form, FormField
from polydesk.core.knowledge.services import KnowledgeService
from polydesk.core.mail.mailboxes import MailboxInput, save_mailbox
from polydesk.core.outbox.services import deliver_due
from polydesk.core.people.services import (
    add_to_team,
    create_api_token,
    create_person,
    load_actor,
    set_manager,
    set_role,
)
from polydesk.core.permissions import SYSTEM, Actor
from polydesk.core.runtime import Runtime
from polydesk.core.tickets.ratings import rate
from polydesk.core.tickets.saved_queues import save_queue
from polydesk.core.tickets.services import TicketService

GREEK = [
    "Άλφα",
    "Βήτα",
    "Γάμμα",
    "Δέλτα",
    "Έψιλον",
    "Ζήτα",
    "Ήτα",
    "Θήτα",
    "Ιώτα",
    "Κάππα",
    "Λάμδα",
    "Μι",
    "Νι",
    "Ξι",
    "Όμικρον",
    "Πι",
    "Ρο",
    "Σίγμα",
    "Ταυ",
    "Ύψιλον",
    "Φι",
    "Χι",
    "Ψι",
    "Ωμέγα",
]
#: Typed into free-text fields, titles and bodies: a word no catalog can contain.
SEARCH_WORD = "Ωμέγα"

#: Who looks at the pages: username -> role in the test.
REQUESTER, AGENT, ADMIN = "zzreq", "zzagent", "zzadmin"


def greek(n: int, words: int = 2) -> str:
    """A short Greek phrase, different for each `n`."""
    return " ".join(GREEK[(n + i) % len(GREEK)] for i in range(words)) + f" {n}"


def neutral_value(f: FormField, n: int) -> Any:
    """A valid value for `f` that is not English: Greek free text; keys, numbers,
    dates and format samples (`example` with a `pattern`) as the demo has them."""
    if f.type == "person":
        return "zzmgr"
    if f.type == "email":
        return f"zzsomeone{n}@example.org"
    if f.type in ("text", "textarea") and not f.pattern:
        text = greek(n, 3)
        return text[: f.max_length] if f.max_length else text
    return sample_value(f, n)


def neutral_form_data(form: Form | tuple[FormField, ...], n: int = 0) -> dict[str, Any]:
    fields = form.fields if isinstance(form, Form) else form
    data: dict[str, Any] = {}
    for f in fields:
        if isinstance(form, Form) and not form.is_visible(f, data):
            continue
        value = neutral_value(f, n)
        if value is not None:
            data[f.key] = value
    return data


@dataclass
class Desk:
    """What was seeded, for filling path parameters and telling data from text."""

    people: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    tickets: dict[str, str] = field(default_factory=dict)  # key -> request type
    requester_tickets: list[str] = field(default_factory=list)
    approval_ticket: str = ""
    resolved_ticket: str = ""
    articles: list[int] = field(default_factory=list)
    draft_article: int = 0
    mailbox_id: int = 0
    #: Format samples of pattern fields (cost centres, IBANs): data, not language.
    samples: set[str] = field(default_factory=set)


async def deliver(runtime: Runtime) -> None:
    """Run the outbox as the background worker would (plugins react to events)."""
    runtime.plugin_states.invalidate()
    while await deliver_due(runtime.snapshot, runtime.clock):
        pass


async def _person(desk: Desk, username: str, n: int, **kwargs: Any) -> int:
    person = await create_person(username, greek(n), email=f"{username}@example.org", **kwargs)
    desk.people[username] = person
    return person


async def _actor(desk: Desk, username: str) -> Actor:
    actor = await load_actor(desk.people[username])
    assert actor is not None
    return actor


async def _walk(
    service: TicketService, actor: Actor, key: str, targets: tuple[str, ...], n: int
) -> str:
    """Take transitions (with Greek answers to their fields) until a state category in
    `targets` is reached or nothing is left; returns the final category."""
    for _step in range(8):
        ticket = await service.get(actor, key)
        if ticket.state_category in targets:
            return ticket.state_category
        moves = [t for t in service.available_transitions(actor, ticket) if not t.guards]
        # Prefer a move towards the target, else any move that is not a cancel.
        moves.sort(key=lambda t: ("resol" not in t.to_state, "cancel" in t.key, t.key))
        for move in moves:
            try:
                await service.transition(
                    actor,
                    key,
                    move.key,
                    version=ticket.version,
                    fields=neutral_form_data(move.fields, n),
                    comment=greek(n + 7),
                )
                break
            except PolydeskError:
                continue
        else:
            break
    return (await service.get(actor, key)).state_category


async def seed(runtime: Runtime) -> Desk:
    """People, a ticket of every request type with its plugin's work done, replies,
    notes, transitions, approvals decided, a link, a rating, knowledge articles with
    versions and a draft, announcements, a mailbox, a saved view and API tokens."""
    desk = Desk()
    registry = runtime.registry
    await _person(desk, "zzmgr", 1)
    await _person(desk, REQUESTER, 2)
    await set_manager(desk.people[REQUESTER], desk.people["zzmgr"])
    await _person(desk, AGENT, 3)
    await _person(desk, "zzlead", 4)
    await _person(desk, ADMIN, 5, is_admin=True)
    teams = {(rt.department, rt.confidential_team) for rt in registry.request_types.values()}
    for slug in registry.departments:
        await set_role(desk.people[AGENT], slug, "agent")
        await set_role(desk.people["zzlead"], slug, "lead")
    for slug, team in sorted(t for t in teams if t[1]):
        await add_to_team(desk.people["zzlead"], slug, team)
        await add_to_team(desk.people[AGENT], slug, team)
    for username in (REQUESTER, AGENT, ADMIN):
        desk.tokens[username] = await create_api_token(desk.people[username], greek(9))

    service = TicketService(await runtime.snapshot())
    requester, agent = await _actor(desk, REQUESTER), await _actor(desk, AGENT)
    lead = await _actor(desk, "zzlead")
    for rt in registry.request_types.values():
        for f in rt.form.fields:
            if f.pattern and f.example:
                desk.samples.add(f.example)
    for n, rt in enumerate(registry.request_types.values()):
        author = agent if rt.agents_only else requester
        ticket = await service.create(
            author,
            request_type=rt.key,
            title=greek(n, 3),
            description=greek(n + 3, 6),
            form_data=neutral_form_data(rt.form, n),
        )
        desk.tickets[ticket.key] = rt.key
        if author is requester:
            desk.requester_tickets.append(ticket.key)
    await deliver(runtime)

    service = TicketService(await runtime.snapshot())
    keys = list(desk.tickets)
    for n, key in enumerate(keys):
        if key not in desk.tickets:
            continue
        await service.comment(lead, key, body=greek(n + 11, 4), public=True)
        await service.comment(agent, key, body=greek(n + 13, 4), public=False)
    await service.link(agent, keys[0], target=keys[1], kind="relates_to")

    # Approvals: the manager approves one step, rejects another (plugins asked them).
    manager = await _actor(desk, "zzmgr")
    decided = 0
    for key in keys:
        for approval in await service.approvals(SYSTEM, key):
            if approval.state == "pending" and approval.approver.username == "zzmgr":
                await service.decide_approval(
                    manager, key, approval.id, approve=decided == 0, comment=greek(decided + 15)
                )
                desk.approval_ticket = desk.approval_ticket or key
                decided += 1
                break
        if decided >= 2:
            break
    await deliver(runtime)

    # An incident resolved and rated: the requester's page then shows the rating.
    service = TicketService(await runtime.snapshot())
    incident = next(k for k, rt in desk.tickets.items() if rt == "it.incident")
    if await _walk(service, lead, incident, ("resolved", "closed"), 17) in ("resolved", "closed"):
        await rate(service, requester, incident, score=4, comment=greek(19))
        desk.resolved_ticket = incident
    # Every other ticket one step along its workflow, so each page shows a move.
    for n, key in enumerate(keys):
        if key != incident:
            await _walk(service, lead, key, ("in_progress", "resolved", "closed", "waiting"), n)
    await deliver(runtime)

    # Knowledge: a published article with two versions, and a draft.
    knowledge = KnowledgeService(await runtime.snapshot())
    spaces = [s.slug for s in await knowledge.spaces(SYSTEM)]
    article = await knowledge.create_article(
        lead,
        space=spaces[0],
        title=f"{SEARCH_WORD} {greek(21)}",
        body_md=f"{greek(22, 8)}\n\n- {greek(23)}\n- {greek(24)}",
        tags=[GREEK[3]],
        note=greek(25),
        publish=True,
    )
    article = await knowledge.update_article(
        lead, article.id, version=1, body_md=greek(26, 9), note=greek(27)
    )
    desk.articles.append(article.id)
    draft = await knowledge.create_article(
        agent, space=spaces[-1], title=greek(28, 3), body_md=greek(29, 5), note=greek(30)
    )
    desk.draft_article = draft.id

    snapshot = await runtime.snapshot()
    departments = list(registry.departments)
    now = runtime.clock()
    await post_announcement(
        snapshot, lead, departments[0], title=greek(31), body=greek(32, 5), severity="outage"
    )
    await post_announcement(
        snapshot,
        lead,
        departments[-1],
        title=greek(33),
        body=greek(34, 5),
        severity="info",
        ends_at=now + dt.timedelta(days=3),
    )
    incident_type = registry.request_types["it.incident"]
    mailbox = await save_mailbox(
        registry,
        MailboxInput(
            address="zzdesk@example.org",
            request_type=incident_type.key,
            form_defaults=neutral_form_data(incident_type.form, 35),
            senders="known",
        ),
    )
    desk.mailbox_id = mailbox.id
    await save_queue(agent, greek(36), {"department": ["it"]})
    return desk
