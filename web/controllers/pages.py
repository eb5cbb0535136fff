"""Logging in and out of the web pages."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from polydesk.core.errors import AuthenticationRequired
from polydesk.core.people.throttle import LoginThrottled
from polydesk.web.controllers.api_session import log_in
from polydesk.web.rendering import page


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
            await log_in(request, str(data.get("username", "")), str(data.get("password", "")))
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
        return Redirect(target, status_code=303)

    @post("/logout")
    async def logout(self, request: Request) -> Redirect:
        """End the session on the server (its id identifies nobody afterwards)."""
        request.clear_session()
        return Redirect("/", status_code=303)
