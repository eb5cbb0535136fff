"""Admins look people up and change their roles, teams and admin rights."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from polydesk.core.audit.services import Author, record
from polydesk.core.db import is_postgres_engine, transaction
from polydesk.core.errors import ValidationFailed
from polydesk.core.i18n import gettext as _
from polydesk.core.people.services import no_such_person
from polydesk.core.people.tables import Membership, Person, TeamMembership
from polydesk.core.specs import ROLES

PER_PAGE = 25


@dataclass(frozen=True)
class PersonSummary:
    """A person as the admin console shows them."""

    id: int
    username: str
    display_name: str
    email: str
    is_admin: bool
    active: bool
    roles: Mapping[str, str]  # department slug -> role
    teams: frozenset[tuple[str, str]]  # (department, team)


@dataclass(frozen=True)
class PeoplePage:
    """One page of people matching a search, ordered by username."""

    people: list[PersonSummary]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


_COLUMNS = (
    Person.id,
    Person.username,
    Person.display_name,
    Person.email,
    Person.is_admin,
    Person.active,
)


async def _summaries(rows: list[dict]) -> list[PersonSummary]:
    ids = [row["id"] for row in rows]
    roles: dict[int, dict[str, str]] = {i: {} for i in ids}
    teams: dict[int, set[tuple[str, str]]] = {i: set() for i in ids}
    if ids:
        for r in await Membership.select(
            Membership.person, Membership.department, Membership.role
        ).where(Membership.person.is_in(ids)):
            roles[r["person"]][r["department"]] = r["role"]
        for t in await TeamMembership.select(
            TeamMembership.person, TeamMembership.department, TeamMembership.team
        ).where(TeamMembership.person.is_in(ids)):
            teams[t["person"]].add((t["department"], t["team"]))
    return [
        PersonSummary(**row, roles=roles[row["id"]], teams=frozenset(teams[row["id"]]))
        for row in rows
    ]


async def list_people(query: str = "", *, page: int = 1, per_page: int = PER_PAGE) -> PeoplePage:
    """People whose username, name or email contains `query` (any case), a page at a time."""
    query = query.strip()
    where = None
    if query:
        pattern = f"%{query}%"
        # SQLite's LIKE already ignores ASCII case (and warns about ILIKE).
        like = "ilike" if is_postgres_engine() else "like"
        where = (
            getattr(Person.username, like)(pattern)
            | getattr(Person.display_name, like)(pattern)
            | getattr(Person.email, like)(pattern)
        )
    count = Person.count()
    select = Person.select(*_COLUMNS).order_by(Person.username)
    if where is not None:
        count, select = count.where(where), select.where(where)
    total = await count
    page = max(1, min(page, max(1, -(-total // per_page))))
    rows = await select.limit(per_page).offset((page - 1) * per_page)
    return PeoplePage(await _summaries(rows), total, page, per_page)


async def get_person(person: int) -> PersonSummary:
    rows = await Person.select(*_COLUMNS).where(Person.id == person)
    if not rows:
        raise no_such_person()
    return (await _summaries(rows))[0]


async def set_access(
    person: int,
    *,
    roles: Mapping[str, str | None],
    offered_teams: Collection[tuple[str, str]],
    teams: Collection[tuple[str, str]],
    is_admin: bool,
    changed_by: int,
    author: Author | None = None,
) -> None:
    """Set a person's role in each department of `roles` (None removes it), their
    membership of each team in `offered_teams` (member when in `teams`) and their
    global admin flag, all at once. Other departments and teams are left alone.

    Admins cannot remove their own admin rights, so the console always keeps one.
    With an `author`, what changed is audited in the same transaction
    (``person.role_changed`` for roles and admin rights, ``person.team_changed``).
    """
    errors = {
        f"role.{department}": _("Choose one of: %(choices)s, or none.", choices=", ".join(ROLES))
        for department, role in roles.items()
        if role is not None and role not in ROLES
    }
    if person == changed_by and not is_admin:
        errors["is_admin"] = _("You cannot remove your own admin rights.")
    if set(teams) - set(offered_teams):
        errors["teams"] = _("Choose among the teams offered.")
    if errors:
        raise ValidationFailed(errors)
    before = await get_person(person)
    async with transaction():
        await Person.update({Person.is_admin: is_admin}).where(Person.id == person)
        for department, role in roles.items():
            await Membership.delete().where(
                (Membership.person == person) & (Membership.department == department)
            )
            if role is not None:
                await Membership.insert(Membership(person=person, department=department, role=role))
        for department, team in offered_teams:
            await TeamMembership.delete().where(
                (TeamMembership.person == person)
                & (TeamMembership.department == department)
                & (TeamMembership.team == team)
            )
            if (department, team) in teams:
                await TeamMembership.insert(
                    TeamMembership(person=person, department=department, team=team)
                )
        if author is not None:
            await _audit_access(author, before, roles, offered_teams, teams, is_admin)


async def _audit_access(
    author: Author,
    before: PersonSummary,
    roles: Mapping[str, str | None],
    offered_teams: Collection[tuple[str, str]],
    teams: Collection[tuple[str, str]],
    is_admin: bool,
) -> None:
    target = f"person:{before.username}"
    roles_before = {d: before.roles.get(d) for d in roles if before.roles.get(d) != roles[d]}
    roles_after = {d: roles[d] for d in roles_before}
    if roles_before or before.is_admin != is_admin:
        old: dict[str, object] = {"roles": roles_before}
        new: dict[str, object] = {"roles": roles_after}
        if before.is_admin != is_admin:
            old["is_admin"], new["is_admin"] = before.is_admin, is_admin
        await record(author, "person.role_changed", target, {"before": old, "after": new})
    offered = set(offered_teams)
    teams_before = sorted(f"{d}:{t}" for d, t in before.teams if (d, t) in offered)
    teams_after = sorted(f"{d}:{t}" for d, t in teams)
    if teams_before != teams_after:
        await record(
            author,
            "person.team_changed",
            target,
            {"before": {"teams": teams_before}, "after": {"teams": teams_after}},
        )
