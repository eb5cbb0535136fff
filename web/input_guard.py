"""Input no endpoint should ever see: NUL characters and JSON the decoder chokes on.

PostgreSQL refuses a NUL character in any text (SQLite stores it), so a NUL in
a title, a form value, a path or a filter would otherwise end in a 500 on one
database and pass on the other. JSON nested thousands of levels deep or not
UTF-8 makes the decoder raise errors Litestar does not turn into a 400. Both
are refused here once, as a 400 in the API's error shape, before any handler
(and so any database write) runs. Ids in paths are 32-bit columns on
PostgreSQL: a larger `{id:int}` can name nothing, so it is a 404 before the
database would refuse the number with a 500.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_to_bytes

from litestar import Request
from litestar.datastructures import UploadFile
from litestar.exceptions import ValidationException
from litestar.serialization import encode_json
from litestar.types import ASGIApp, Receive, Scope, Send

NUL_MESSAGE = "Text may not contain the NUL character."
INT_RANGE = range(-(2**31), 2**31)


def _nul_at(value: Any, path: str = "") -> str | None:
    """The dotted path of the first text (key or value) holding a NUL, walked without recursion."""
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return where
        elif isinstance(item, dict):
            for key, child in item.items():
                child_path = f"{where}.{key}" if where else str(key)
                if isinstance(key, str) and "\x00" in key:
                    return child_path
                stack.append((child_path, child))
        elif isinstance(item, list | tuple):
            stack.extend((f"{where}[{n}]", child) for n, child in enumerate(item))
    return None


def _refuse(field: str, message: str = NUL_MESSAGE) -> ValidationException:
    return ValidationException(detail=message, extra=[{"key": field, "message": message}])


class GuardedRequest(Request):
    """A Request whose JSON and form bodies never carry NUL characters or undecodable JSON."""

    async def json(self) -> Any:
        try:
            value = await super().json()
        except RecursionError:
            raise ValidationException(detail="The JSON body is nested too deeply.") from None
        except UnicodeDecodeError:
            raise ValidationException(detail="The JSON body is not valid UTF-8.") from None
        found = _nul_at(value)
        if found is not None:
            raise _refuse(found or "body")
        return value

    async def form(self) -> Any:
        data = await super().form()
        for key, value in data.multi_items():
            if "\x00" in key or (not isinstance(value, UploadFile) and "\x00" in str(value)):
                raise _refuse(key.replace("\x00", "?"))
        return data


async def _answer(send: Send, status: int, detail: str) -> None:
    body = encode_json({"status_code": status, "detail": detail, "errors": []})
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class URLGuardMiddleware:
    """A path or query string carrying a NUL (raw or `%00`) is a 400; an integer
    path parameter beyond a 32-bit column is a 404 (routing has parsed it already)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if "\x00" in scope.get("path", "") or b"\x00" in unquote_to_bytes(
                scope.get("query_string", b"")
            ):
                await _answer(send, 400, NUL_MESSAGE)
                return
            params = scope.get("path_params") or {}
            if any(isinstance(v, int) and v not in INT_RANGE for v in params.values()):
                await _answer(send, 404, "Not found.")
                return
        await self.app(scope, receive, send)
