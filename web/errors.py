"""Core errors mapped to HTTP once: JSON for the API, a page for browsers."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Template

from polydesk.core.errors import (
    AuthenticationRequired,
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    PolydeskError,
    ValidationFailed,
)
from polydesk.core.i18n import gettext as _
from polydesk.web.i18n import use_request_language

STATUS = {
    AuthenticationRequired: 401,
    PermissionDenied: 403,
    NotFound: 404,
    Conflict: 409,
    InvalidTransition: 409,
    ValidationFailed: 422,
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def _public_ticket(current: Any) -> Any:
    if current is None:
        return None
    data = msgspec.to_builtins(current)
    data.pop("confidential_team", None)
    data.pop("approver_ids", None)
    return data


def error_body(exc: PolydeskError) -> dict[str, Any]:
    body: dict[str, Any] = {"status_code": _status(exc), "detail": str(exc)}
    if isinstance(exc, ValidationFailed):
        body["errors"] = [{"field": k, "message": v} for k, v in exc.fields.items()]
    if isinstance(exc, Conflict):
        body["current"] = _public_ticket(exc.current)
    return body


def _status(exc: PolydeskError) -> int:
    for cls, status in STATUS.items():
        if isinstance(exc, cls):
            return status
    return 400


def polydesk_error_handler(request: Request, exc: PolydeskError) -> Response:
    status = _status(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if _wants_json(request):
        return Response(
            error_body(exc), status_code=status, media_type=MediaType.JSON, headers=headers
        )
    if status == 401:
        return Response(
            "", status_code=303, headers={"Location": f"/login?next={request.url.path}"}
        )
    return Template(
        template_name="error.html",
        context={"status": status, "message": str(exc), "request": request},
        status_code=status,
    )


def validation_exception_handler(request: Request, exc: ValidationException) -> Response:
    """Litestar's own body/parameter errors, in the same JSON shape as ours."""
    errors = []
    for item in exc.extra or []:
        if isinstance(item, dict):
            errors.append(
                {
                    "field": item.get("key") or item.get("source") or "",
                    "message": item.get("message", ""),
                }
            )
    return Response(
        {"status_code": 400, "detail": exc.detail or "The request is not valid.", "errors": errors},
        status_code=400,
        media_type=MediaType.JSON,
    )


def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    if _wants_json(request) or exc.status_code >= 500:
        return Response(
            {"status_code": exc.status_code, "detail": exc.detail},
            status_code=exc.status_code,
            media_type=MediaType.JSON,
            headers=exc.headers,
        )
    use_request_language(request)
    message = exc.detail
    if exc.status_code == 404 and message == HTTPStatus.NOT_FOUND.phrase:
        message = _("No such page.")  # Litestar's own words for an unknown address
    return Template(
        template_name="error.html",
        context={"status": exc.status_code, "message": message, "request": request},
        status_code=exc.status_code,
    )
