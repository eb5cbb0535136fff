"""Security headers on every response, and what a strict CSP needs from the pages.

The policy forbids inline script and inline style: every script and style
sheet is a file under /static. Two things used to be inline and are served
as files here instead:

- the departments' colours (`--dept-colour`), as `/-/departments.css`, one
  rule per department keyed on the `data-department` attribute the pages
  already carry;
- Swagger UI's start-up script, as `/static/js/swagger-init.js` (Litestar's
  page writes it inline).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from litestar import Request, Response, Router, get
from litestar.datastructures import MutableScopeHeaders
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.types import Message, Scope

from polydesk.core.runtime import Runtime

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Pico and Swagger UI draw icons as data: SVGs.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
#: Sent only when POLYDESK_SECURE_COOKIES says the site is served over HTTPS.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_SLUG = re.compile(r"^[a-z][a-z0-9_-]*$")


def security_headers(*, https: bool) -> dict[str, str]:
    """The headers every response carries."""
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    if https:
        headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    return headers


def security_headers_hook(*, https: bool):
    """A Litestar `before_send` hook adding the headers to every HTTP response:
    pages, API, static files, errors and 404s alike (before_send wraps the
    whole app, not only matched routes). A header a handler set itself wins."""
    extra = [
        (name.lower().encode(), value.encode())
        for name, value in security_headers(https=https).items()
    ]

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        for name, value in extra:
            if name.decode() not in headers:
                headers.add(name.decode(), value.decode())

    return add_headers


def department_css(runtime: Runtime) -> str:
    """One rule per department: its colour, for elements with its data-department."""
    rules = []
    for slug, department in sorted(runtime.registry.departments.items()):
        colour = getattr(department, "colour", "")
        if _SLUG.match(slug) and _COLOUR.match(colour or ""):
            rules.append(f'[data-department="{slug}"] {{ --dept-colour: {colour}; }}')
    return "\n".join(rules) + "\n"


@get("/-/departments.css", include_in_schema=False, media_type="text/css", cache=60)
async def departments_css(request: Request) -> Response[str]:
    """The departments' colours as a style sheet (they were inline style attributes)."""
    return Response(department_css(request.app.state.runtime), media_type="text/css")


class SwaggerWithoutInlineScript(SwaggerRenderPlugin):
    """Swagger UI with its start-up code in /static/js/swagger-init.js, so the
    API docs page runs under the same policy as every other page."""

    def __init__(self, *, init_js_url: str, **kwargs: Any) -> None:
        self.init_js_url = init_js_url
        super().__init__(**kwargs)

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        csrf = request.app.csrf_config
        title = str(openapi_schema["info"]["title"]).replace("<", "&lt;")
        spec_url = request.url.path.rsplit("/", 1)[0] + "/openapi.json"
        return f"""<!DOCTYPE html><html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <link href="{self.css_url}" rel="stylesheet">
  <script src="{self.js_url}"></script>
  <script src="{self.standalone_preset_js_url}"></script>
  <script src="{self.init_js_url}" defer></script>
</head>
<body>
  <div id="swagger-container" data-spec-url="{spec_url}"
       data-csrf-cookie="{csrf.cookie_name if csrf else ""}"
       data-csrf-header="{csrf.header_name if csrf else ""}"></div>
</body>
</html>""".encode()

    def receive_router(self, router: Router) -> None:
        """No OAuth2 redirect page: Polydesk's API uses tokens and sessions, not OAuth."""


__all__: Sequence[str] = (
    "CONTENT_SECURITY_POLICY",
    "SwaggerWithoutInlineScript",
    "department_css",
    "departments_css",
    "security_headers",
    "security_headers_hook",
)
