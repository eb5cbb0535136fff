"""A demo organisation, built from whatever departments are installed.

Nothing here names a department: people, teams and tickets are derived from the
Registry, so a fifth department gets demo data too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from polydesk.core.forms import Form, FormField
from polydesk.core.knowledge.services import seed_article_translations, seed_plugin_articles
from polydesk.core.mail.mailboxes import seed_demo_mailboxes
from polydesk.core.people.services import (
    add_to_team,
    create_person,
    load_actor,
    person_id,
    set_manager,
    set_role,
)
from polydesk.core.people.tables import Person
from polydesk.core.permissions import Actor
from polydesk.core.runtime import Runtime
from polydesk.core.tickets.services import TicketService

DEMO_PASSWORD = "demo-password"
REQUESTERS = (("alice", "Alice Martin"), ("bob", "Bob Nowak"), ("chen", "Chen Wei"))


@dataclass(frozen=True)
class Login:
    username: str
    description: str


def sample_value(f: FormField, index: int = 0) -> Any:
    """A plausible valid value for a form field."""
    if f.example is not None:
        return f.example
    if f.type in ("select",):
        return f.choices[index % len(f.choices)][0]
    if f.type == "multiselect":
        return [f.choices[index % len(f.choices)][0]]
    if f.type == "checkbox":
        return index % 2 == 0
    if f.type in ("number", "money"):
        low = f.min if f.min is not None else 1
        value = max(low, 1) * (index + 2)
        if f.max is not None:
            value = min(value, f.max)
        return str(round(value, 2)) if f.type == "money" else int(value)
    if f.type == "date":
        return (dt.date.today() + dt.timedelta(days=7 + index)).isoformat()
    if f.type == "email":
        return f"someone{index}@example.org"
    if f.type == "person":
        return REQUESTERS[index % len(REQUESTERS)][0]
    if f.type == "file":
        return "document.pdf"
    text = f"{f.label} (demo {index + 1})"
    return text[: f.max_length] if f.max_length else text


def sample_form_data(form: Form, index: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in form.fields:
        if not form.is_visible(f, data):
            continue
        value = sample_value(f, index)
        if value is not None:
            data[f.key] = value
    return data


async def seed_demo(runtime: Runtime, tickets_per_type: int = 2) -> list[Login]:
    """Create people in every department and tickets of every request type.
    Does nothing (and returns the logins) when the demo was seeded before."""
    logins = [Login("admin", "global administrator")]
    logins += [Login("maria", "manager of the requesters: approves their requests")]
    logins += [Login(u, "requester, managed by maria") for u, _ in REQUESTERS]
    for slug, dept in runtime.registry.departments.items():
        logins += [
            Login(f"{slug}.agent", f"{dept.name} agent"),
            Login(f"{slug}.lead", f"{dept.name} lead, in every confidential team"),
        ]
    await seed_demo_mailboxes(runtime.registry)  # also into a demo seeded before mail existed
    if await Person.exists().where(Person.username == "admin"):
        return logins

    await create_person("admin", "Ada Admin", password=DEMO_PASSWORD, is_admin=True)
    maria = await create_person(
        "maria", "Maria Manager", email="maria@example.org", password=DEMO_PASSWORD
    )
    for username, name in REQUESTERS:
        person = await create_person(
            username, name, email=f"{username}@example.org", password=DEMO_PASSWORD
        )
        await set_manager(person, maria)
    teams = {
        (rt.department, rt.confidential_team)
        for rt in runtime.registry.request_types.values()
        if rt.confidential_team
    }
    for slug, dept in runtime.registry.departments.items():
        agent = await create_person(f"{slug}.agent", f"{dept.name} Agent", password=DEMO_PASSWORD)
        lead = await create_person(f"{slug}.lead", f"{dept.name} Lead", password=DEMO_PASSWORD)
        await set_role(agent, slug, "agent")
        await set_role(lead, slug, "lead")
        for department, team in teams:
            if department == slug:
                await add_to_team(lead, slug, team)

    snapshot = await runtime.snapshot()
    service = TicketService(snapshot)

    async def actor(username: str) -> Actor:
        found = await load_actor(await person_id(username))
        assert found is not None
        return found

    requesters = [await actor(u) for u, _ in REQUESTERS]
    for n, rt in enumerate(runtime.registry.request_types.values()):
        for i in range(tickets_per_type):
            requester = requesters[(n + i) % len(requesters)]
            if rt.agents_only:  # internal work is filed by the department's own agents
                requester = await actor(f"{rt.department}.agent")
            ticket = await service.create(
                requester,
                request_type=rt.key,
                title=f"{rt.name} — demo request {i + 1}",
                description=f"This is a demo {rt.name.lower()} raised by {requester.display_name}.",
                form_data=sample_form_data(rt.form, i),
            )
            if i == 0:
                continue
            lead = await actor(f"{rt.department}.lead")
            ticket = await service.comment(
                lead, ticket.id, body="Thanks, we are looking into it.", public=True
            )
            for transition in service.available_transitions(lead, ticket):
                if not transition.fields and not transition.guards:
                    await service.transition(
                        lead, ticket.id, transition.key, version=ticket.version
                    )
                    break
    await seed_plugin_articles(snapshot)
    await seed_article_translations(snapshot)
    return logins
