"""`Desk`: what a plugin may do when it reacts to an event.

Event hooks run after the change committed, outside any request, so there is
no person to act as. The desk acts as Polydesk itself (the system actor) on the
plugin's behalf, through the same services as the API: forms are validated,
keys numbered, timelines and clocks written, events emitted. Plugins never
touch tables or other plugins; they ask the desk, by department slug.
"""

from __future__ import annotations

from typing import Any

from polydesk.core.i18n import Message, use_locale
from polydesk.core.permissions import SYSTEM
from polydesk.core.tickets.schemas import TicketView


class Desk:
    def __init__(self, snapshot: Any) -> None:
        from polydesk.core.tickets.services import TicketService

        self._snapshot = snapshot
        self._tickets = TicketService(snapshot)

    def is_enabled(self, department: str) -> bool:
        """Whether the department exists and an admin has it enabled."""
        return self._snapshot.is_department_enabled(department)

    def offers(self, request_type: str) -> bool:
        """Whether `request_type` exists and its department is enabled."""
        rt = self._snapshot.registry.request_types.get(request_type)
        return rt is not None and self._snapshot.is_request_type_offered(rt)

    async def manager_of(self, username: str) -> str | None:
        """The username of `username`'s manager, or None when none is set."""
        from polydesk.core.people.services import manager_of

        return await manager_of(username)

    async def people_with_role(
        self, department: str, role: str, team: str | None = None
    ) -> list[str]:
        """Usernames holding `role` in `department` (and in `team`, if given)."""
        from polydesk.core.people.tables import Membership, TeamMembership

        query = Membership.select(Membership.person.username.as_alias("username")).where(
            (Membership.department == department) & (Membership.role == role)
        )
        if team is not None:
            query = query.where(
                Membership.person.is_in(
                    TeamMembership.select(TeamMembership.person).where(
                        (TeamMembership.department == department) & (TeamMembership.team == team)
                    )
                )
            )
        return sorted(row["username"] for row in await query)

    def settings(self, plugin: str) -> dict[str, Any]:
        """The plugin's settings as an admin left them (see `polydesk plugins set`)."""
        return dict(self._snapshot.state.plugin_settings.get(plugin, {}))

    async def draft_article(
        self, ticket: int | str, *, title: str, body_md: str, tags: tuple[str, ...] = ()
    ) -> Any:
        """Draft a knowledge article from a ticket (a known error, say), in the
        space of the ticket's request type, linked back to the ticket. Agents
        review and publish it; nothing reaches readers by itself."""
        from polydesk.core.knowledge.services import KnowledgeService

        view = await self.ticket(ticket)
        knowledge = KnowledgeService(self._snapshot)
        space = knowledge._default_space(view.request_type, view.department)
        if space is None:
            return None
        return await knowledge.create_article(
            SYSTEM,
            space=space,
            title=title,
            body_md=body_md,
            tags=tags,
            note=f"Drafted from {view.key}",
            source_ticket=view.id,
        )

    def write(self, message: Message | str) -> str:
        """`message` as text in the organisation's language (`POLYDESK_DEFAULT_LOCALE`),
        for what is stored as plain text and read by everyone alike: titles and
        descriptions of tickets a plugin opens, field values it fills in. (Notes and
        comments take the `Message` itself and are shown in each reader's language.)"""
        if not isinstance(message, Message):
            return message
        with use_locale(self._snapshot.runtime.settings.default_locale):
            return message.render()

    def state_label(self, ticket: TicketView, state: str) -> str:
        """The English label of `state` in `ticket`'s workflow (a msgid of the plugin
        that declared it: wrap it in `Message(...)` to show it translated); the key
        itself when the workflow has no such state."""
        try:
            return self._tickets.workflow_of(ticket).state(state).label
        except KeyError:
            return state

    async def ticket(self, ticket: int | str) -> TicketView:
        return await self._tickets.get(SYSTEM, ticket)

    async def children(self, ticket: int | str) -> list[TicketView]:
        return await self._tickets.children(SYSTEM, ticket)

    async def links(self, ticket: int | str) -> list[Any]:
        """Links from and to the ticket (`LinkView`: kind, ticket_id, ticket_key, direction)."""
        return await self._tickets.links(SYSTEM, ticket)

    async def link(self, ticket: int | str, *, target: int | str, kind: str) -> Any:
        """Link `ticket` to `target` (relates_to, duplicates, blocks, caused_by)."""
        return await self._tickets.link(SYSTEM, ticket, target=target, kind=kind)

    async def create_ticket(
        self,
        *,
        request_type: str,
        title: str,
        description: str = "",
        form_data: dict[str, Any] | None = None,
        requester: str | None = None,
        parent: int | str | None = None,
    ) -> TicketView:
        """Open a ticket (a child task when `parent` is given; its requester is then
        the parent's unless named). Validated like any other ticket."""
        return await self._tickets.create(
            SYSTEM,
            request_type=request_type,
            title=title,
            description=description,
            form_data=form_data,
            requester=requester,
            parent=parent,
        )

    async def comment(
        self, ticket: int | str, body: str | Message, *, public: bool = False
    ) -> TicketView:
        """Add a note (internal by default) written by Polydesk.

        Write it as an `i18n.Message` (a msgid from the plugin's catalog and its
        parameters) so each reader sees it in their language; plain text stays as is."""
        return await self._tickets.comment(SYSTEM, ticket, body=body, public=public)

    async def request_approval(
        self, ticket: int | str, *, approver: str, step: int = 1, rule: str | Message = ""
    ) -> Any:
        """Ask `approver` (a username) to approve the ticket; `step` orders sequential
        approvals; `rule` (best an `i18n.Message`) tells people why this approver."""
        return await self._tickets.request_approval(
            SYSTEM, ticket, approver=approver, step=step, rule=rule
        )

    async def transition(
        self,
        ticket: int | str,
        transition: str,
        *,
        fields: dict[str, Any] | None = None,
        comment: str | Message = "",
    ) -> TicketView:
        """Apply a workflow transition as the system (guards still run); a `Message`
        comment is shown in each reader's language."""
        return await self._tickets.transition(
            SYSTEM, ticket, transition, version=None, fields=fields, comment=comment
        )
