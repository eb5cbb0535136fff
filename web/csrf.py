"""CSRF protection that leaves token-authenticated API calls alone.

A browser cannot attach an `Authorization: Bearer` header to a cross-site
request without a CORS preflight, and such requests are authenticated by the
token only (never by the session cookie), so they need no CSRF token. Every
other unsafe request (forms, htmx, cookie-authenticated JSON) must carry one.
"""

from __future__ import annotations

from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import Receive, Scope, Send


def bearer_token(headers: list[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    return None


class BearerAwareCSRFMiddleware(CSRFMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and bearer_token(scope.get("headers", [])):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)
