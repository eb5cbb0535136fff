"""Dependency providers: the per-request Snapshot, the actor, the services."""

from __future__ import annotations

from litestar import Request

from polydesk.core.errors import AuthenticationRequired
from polydesk.core.hookcalls import first_non_none
from polydesk.core.permissions import Actor
from polydesk.core.runtime import Runtime, Snapshot
from polydesk.core.tickets.services import TicketService


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime


async def snapshot_of(request: Request) -> Snapshot:
    """One Snapshot per request, so every hook call in it sees the same plugin state."""
    snapshot = request.scope.get("state", {}).get("polydesk_snapshot")
    if snapshot is None:
        snapshot = await runtime_of(request).snapshot()
        request.state.polydesk_snapshot = snapshot
    return snapshot


async def optional_actor_of(request: Request) -> Actor | None:
    if "polydesk_actor" in request.state:
        return request.state.polydesk_actor
    snapshot = await snapshot_of(request)
    actor = await first_non_none(snapshot.hook("polydesk_actor_from_request")(request=request))
    request.state.polydesk_actor = actor
    return actor


async def provide_snapshot(request: Request) -> Snapshot:
    return await snapshot_of(request)


async def provide_optional_actor(request: Request) -> Actor | None:
    return await optional_actor_of(request)


async def provide_actor(request: Request) -> Actor:
    actor = await optional_actor_of(request)
    if actor is None:
        raise AuthenticationRequired("Log in or send an API token.")
    return actor


async def provide_tickets(request: Request) -> TicketService:
    return TicketService(await snapshot_of(request))
