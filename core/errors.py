"""The one error tree. Services raise these; `polydesk.web.errors` maps them to HTTP once."""

from __future__ import annotations

from typing import Any


class PolydeskError(Exception):
    """Base of every error Polydesk raises on purpose."""


class ConfigurationError(PolydeskError):
    """A plugin declared something inconsistent; raised at startup, naming the plugin."""

    def __init__(self, message: str, plugin: str | None = None) -> None:
        self.plugin = plugin
        super().__init__(f"[plugin {plugin}] {message}" if plugin else message)


class NotFound(PolydeskError):
    """The thing does not exist, or the actor may not know that it does (never a 403)."""


class AuthenticationRequired(PolydeskError):
    """No actor: the caller must log in or send an API token."""


class PermissionDenied(PolydeskError):
    """The actor can see the thing but may not do this to it."""


class InvalidTransition(PolydeskError):
    """The workflow does not allow this transition, or a guard vetoed it."""


class ValidationFailed(PolydeskError):
    """Input was refused; `fields` maps each field key to its message."""

    def __init__(self, fields: dict[str, str], message: str = "Some fields are not valid.") -> None:
        self.fields = fields
        super().__init__(message)


class Conflict(PolydeskError):
    """An update carried a stale version; `current` is the ticket as it is now."""

    def __init__(self, message: str, current: Any = None) -> None:
        self.current = current
        super().__init__(message)
