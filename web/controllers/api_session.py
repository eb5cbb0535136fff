"""`/api/v1/session` (log in and out by cookie), `/api/v1/me` and API tokens."""

from __future__ import annotations

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody

from polydesk.core.errors import AuthenticationRequired
from polydesk.core.people.services import authenticate, create_api_token
from polydesk.core.permissions import Actor
from polydesk.web.defaults.auth import SESSION_KEY
from polydesk.web.deps import provide_actor
from polydesk.web.schemas import LoginBody, MeOut, TokenCreate, TokenOut


def me_out(actor: Actor) -> MeOut:
    return MeOut(
        id=actor.person_id,
        username=actor.username,
        display_name=actor.display_name,
        is_admin=actor.is_admin,
        roles=dict(actor.roles),
    )


async def log_in(request: Request, username: str, password: str) -> int:
    """Check the password and start a fresh session; raises on a wrong one."""
    person = await authenticate(username, password)
    if person is None:
        raise AuthenticationRequired("Wrong username or password.")
    request.clear_session()
    request.set_session({SESSION_KEY: person})
    return person


class SessionController(Controller):
    path = "/api/v1"
    tags = ["session"]

    @post("/session", status_code=200)
    async def create_session(self, request: Request, data: JSONBody[LoginBody]) -> MeOut:
        """Log in with username and password; sets the session cookie."""
        from polydesk.core.people.services import load_actor

        person = await log_in(request, data.username, data.password)
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

    @post("/me/tokens", dependencies={"actor": Provide(provide_actor)})
    async def create_token(
        self, actor: NamedDependency[Actor], data: JSONBody[TokenCreate]
    ) -> TokenOut:
        """Create an API token for scripts. It is shown once; only its hash is kept."""
        return TokenOut(name=data.name, token=await create_api_token(actor.person_id, data.name))
