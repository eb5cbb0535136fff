"""Logging in and out of the web pages, and your own API tokens (`/me/tokens`)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from polydesk.core import i18n
from polydesk.core.errors import AuthenticationRequired, ValidationFailed
from polydesk.core.i18n import gettext as _
from polydesk.core.people.services import issue_api_token, list_api_tokens, revoke_api_token
from polydesk.core.people.tables import Person
from polydesk.core.people.throttle import LoginThrottled
from polydesk.web.controllers.api_session import author_of, log_in
from polydesk.web.i18n import remember_language
from polydesk.web.rendering import page, require_actor


def _safe_next(target: str | None) -> str:
    # Only same-site paths, so the login form cannot be used as an open redirect.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


class PageController(Controller):
    include_in_schema = False

    @get("/login")
    async def login_form(self, request: Request, next: FromQuery[str | None] = None) -> Template:
        return await page(request, "login.html", {"next": _safe_next(next), "error": None})

    @post("/login")
    async def login(
        self, request: Request, data: URLEncodedBody[dict[str, Any]]
    ) -> Template | Redirect:
        target = _safe_next(data.get("next"))
        try:
            person = await log_in(
                request, str(data.get("username", "")), str(data.get("password", ""))
            )
        except (AuthenticationRequired, LoginThrottled) as exc:
            throttled = isinstance(exc, LoginThrottled)
            response = await page(
                request,
                "login.html",
                {"next": target, "error": str(exc), "username": data.get("username", "")},
                status_code=429 if throttled else 401,
            )
            if isinstance(exc, LoginThrottled):
                response.headers["Retry-After"] = str(exc.retry_after)
            return response
        redirect = Redirect(target, status_code=303)
        row = await Person.select(Person.locale).where(Person.id == person).first()
        locale = i18n.normalize(row["locale"]) if row else None
        if locale:
            remember_language(request, redirect, locale)
        return redirect

    @post("/logout")
    async def logout(self, request: Request) -> Redirect:
        """End the session on the server (its id identifies nobody afterwards)."""
        request.clear_session()
        return Redirect("/", status_code=303)

    # -- your API tokens

    async def _tokens_page(
        self,
        request: Request,
        *,
        created: object = None,
        errors: dict[str, str] | None = None,
        notice: str | None = None,
        status_code: int = 200,
    ) -> Template:
        actor = await require_actor(request)
        return await page(
            request,
            "tokens.html",
            {
                "tokens": await list_api_tokens(actor.person_id),
                "created": created,
                "errors": errors or {},
                "notice": notice,
            },
            status_code=status_code,
        )

    @get("/me/tokens")
    async def tokens(self, request: Request, done: FromQuery[str | None] = None) -> Template:
        """Your API tokens: create one (shown once), see when each was used, revoke."""
        return await self._tokens_page(
            request, notice=_("Token revoked: it no longer works.") if done == "revoked" else None
        )

    @post("/me/tokens", status_code=201)
    async def create_token(self, request: Request) -> Template:
        actor = await require_actor(request)
        form = await request.form()
        try:
            created = await issue_api_token(
                actor.person_id, str(form.get("name") or ""), author=author_of(request, actor)
            )
        except ValidationFailed as exc:
            return await self._tokens_page(request, errors=exc.fields, status_code=422)
        # Shown on this response only: it is stored as a hash and cannot be shown again.
        return await self._tokens_page(request, created=created, status_code=201)

    @post("/me/tokens/{token_id:int}/revoke")
    async def revoke_token(self, request: Request, token_id: FromPath[int]) -> Redirect:
        actor = await require_actor(request)
        await revoke_api_token(actor.person_id, token_id, author=author_of(request, actor))
        return Redirect("/me/tokens?done=revoked", status_code=303)
