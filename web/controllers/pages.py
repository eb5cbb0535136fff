"""The few HTML pages of the foundation: portal home, login and logout."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from polydesk.core.errors import AuthenticationRequired
from polydesk.core.hookcalls import gather_flat
from polydesk.core.permissions import Actor
from polydesk.core.runtime import Snapshot
from polydesk.web.controllers.api_session import log_in
from polydesk.web.deps import provide_optional_actor, provide_snapshot


async def menu_links(snapshot: Snapshot, request: Request, actor: Actor | None) -> list[Any]:
    """Links the enabled plugins add to the navigation, resolved before rendering."""
    return await gather_flat(snapshot.hook("polydesk_menu_links")(request=request, actor=actor))


def _safe_next(target: str | None) -> str:
    # Only same-site paths, so the login form cannot be used as an open redirect.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


class PageController(Controller):
    dependencies = {"actor": Provide(provide_optional_actor), "snapshot": Provide(provide_snapshot)}
    include_in_schema = False

    @get("/")
    async def home(
        self,
        request: Request,
        actor: NamedDependency[Actor | None],
        snapshot: NamedDependency[Snapshot],
    ) -> Template:
        departments = [
            {"department": d, "request_types": snapshot.catalog(d.slug)}
            for d in snapshot.enabled_departments()
        ]
        return Template(
            "home.html",
            context={
                "actor": actor,
                "departments": departments,
                "menu_links": await menu_links(snapshot, request, actor),
            },
        )

    @get("/login")
    async def login_form(
        self, actor: NamedDependency[Actor | None], next: FromQuery[str | None] = None
    ) -> Template:
        return Template(
            "login.html", context={"actor": actor, "next": _safe_next(next), "error": None}
        )

    @post("/login")
    async def login(
        self,
        request: Request,
        actor: NamedDependency[Actor | None],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        target = _safe_next(data.get("next"))
        try:
            await log_in(request, str(data.get("username", "")), str(data.get("password", "")))
        except AuthenticationRequired as exc:
            return Template(
                "login.html",
                context={
                    "actor": None,
                    "next": target,
                    "error": str(exc),
                    "username": data.get("username", ""),
                },
                status_code=401,
            )
        return Redirect(target, status_code=303)

    @post("/logout")
    async def logout(self, request: Request) -> Redirect:
        request.clear_session()
        return Redirect("/", status_code=303)
