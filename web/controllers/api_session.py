"""`/api/v1/session` (log in and out by cookie), `/api/v1/me` and API tokens."""

from __future__ import annotations

import datetime as dt

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException
from litestar.params import FromPath, JSONBody

from polydesk.core.audit.services import Author
from polydesk.core.people.services import issue_api_token, list_api_tokens, revoke_api_token
from polydesk.core.people.throttle import LoginLimits, LoginThrottled
from polydesk.core.people.throttle import log_in as throttled_log_in
from polydesk.core.permissions import Actor
from polydesk.web.defaults.auth import SESSION_KEY
from polydesk.web.deps import provide_actor, runtime_of
from polydesk.web.schemas import LoginBody, MeOut, TokenCreate
from polydesk.web.session_store import rotate_session


class TokenOut(msgspec.Struct, kw_only=True):
    id: int
    name: str
    token: str  # shown once


class TokenInfo(msgspec.Struct, kw_only=True):
    """A token as its owner and admins see it later: never the token itself."""

    id: int
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def me_out(actor: Actor) -> MeOut:
    return MeOut(
        id=actor.person_id,
        username=actor.username,
        display_name=actor.display_name,
        is_admin=actor.is_admin,
        roles=dict(actor.roles),
    )


def client_address(connection: ASGIConnection) -> str:
    """The client's address as the server saw it (behind a proxy, uvicorn puts the
    forwarded one here for the proxies named in FORWARDED_ALLOW_IPS)."""
    return connection.client.host if connection.client else ""


def author_of(connection: ASGIConnection, actor: Actor) -> Author:
    """`actor` from this client's address, for the audit log."""
    return Author.of(actor, client_address(connection))


async def log_in(request: Request, username: str, password: str) -> int:
    """Check the password and start a fresh session under a new id; raises
    `LoginThrottled` or `AuthenticationRequired` otherwise."""
    runtime = runtime_of(request)
    person = await throttled_log_in(
        username,
        password,
        client_address=client_address(request),
        now=runtime.clock(),
        limits=LoginLimits.from_settings(runtime.settings),
    )
    rotate_session(request, {SESSION_KEY: person})
    return person


def too_many_requests(exc: LoginThrottled) -> HTTPException:
    return HTTPException(
        status_code=429, detail=str(exc), headers={"Retry-After": str(exc.retry_after)}
    )


def token_infos(rows: list[dict]) -> list[TokenInfo]:
    return [TokenInfo(**row) for row in rows]


class SessionController(Controller):
    path = "/api/v1"
    tags = ["session"]

    @post("/session", status_code=200)
    async def create_session(self, request: Request, data: JSONBody[LoginBody]) -> MeOut:
        """Log in with username and password; sets the session cookie (a new one).

        Too many failed logins for a username, or from one address, answer 429
        with `Retry-After` (seconds)."""
        from polydesk.core.people.services import load_actor

        try:
            person = await log_in(request, data.username, data.password)
        except LoginThrottled as exc:
            raise too_many_requests(exc) from exc
        actor = await load_actor(person)
        assert actor is not None
        return me_out(actor)

    @delete("/session", status_code=204)
    async def delete_session(self, request: Request) -> None:
        """Log out: the session ends on the server."""
        request.clear_session()

    @get("/me", dependencies={"actor": Provide(provide_actor)})
    async def get_me(self, actor: NamedDependency[Actor]) -> MeOut:
        return me_out(actor)

    @get("/me/tokens", dependencies={"actor": Provide(provide_actor)})
    async def list_tokens(self, actor: NamedDependency[Actor]) -> list[TokenInfo]:
        """Your API tokens, newest first, revoked ones included (never the token)."""
        return token_infos(await list_api_tokens(actor.person_id))

    @post("/me/tokens", dependencies={"actor": Provide(provide_actor)})
    async def create_token(
        self, request: Request, actor: NamedDependency[Actor], data: JSONBody[TokenCreate]
    ) -> TokenOut:
        """Create an API token for scripts. It is shown once; only its hash is kept."""
        created = await issue_api_token(
            actor.person_id, data.name, author=author_of(request, actor)
        )
        return TokenOut(id=created.id, name=created.name, token=created.token)

    @delete(
        "/me/tokens/{token_id:int}",
        status_code=204,
        dependencies={"actor": Provide(provide_actor)},
    )
    async def revoke_token(
        self, request: Request, actor: NamedDependency[Actor], token_id: FromPath[int]
    ) -> None:
        """Revoke one of your tokens at once (404 when it is not yours or already revoked)."""
        await revoke_api_token(actor.person_id, token_id, author=author_of(request, actor))
