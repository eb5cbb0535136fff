"""Notification templates: built-in, a plugin's, or an admin's override.

Each notification kind has three templates under `mail/`: `<kind>.subject.txt`,
`<kind>.txt` and `<kind>.html`. They are found through the same loaders as
pages (`POLYDESK_TEMPLATE_DIR`, then each department's package, then the
built-in ones), most specific first: `<slug>/mail/<kind>.txt` lets one
department word its own mail, `mail/<kind>.txt` in a plugin or the site folder
replaces it for all. HTML is autoescaped; text and subjects are not (they are
not HTML), and the sender puts subjects on one line.

An admin's override (stored in the database) replaces any part and is rendered
in a `SandboxedEnvironment`. It is checked before it is saved: it must compile
and render the kind's sample context with `StrictUndefined`. Should a stored
override still fail when sending, the default is used and the error logged, so
a mail is never lost to a template.

Language: the sender renders each message inside `use_locale(...)` with the
recipient's language and time zone (see `outbound_sender.send_one`), so the
templates' `_()` and the `translate`, `when` and `money` filters speak the
recipient's language. Overrides are rendered the same way and have `_()`,
`ngettext` and those filters too: an override stays one text, in whatever
language the admin writes it, and may use `{{ request_type_name | translate }}`
or `{{ _("…") }}` for messages the catalogs already know.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from jinja2 import (
    Environment,
    StrictUndefined,
    TemplateError,
    Undefined,
    select_autoescape,
)
from jinja2.sandbox import SandboxedEnvironment

from polydesk.core import i18n
from polydesk.core.mail.outbound import sample_context
from polydesk.core.mail.outbound_overrides import all_overrides
from polydesk.core.mail.outbound_sender import Rendered, mail_configured, send_due
from polydesk.core.registry import Registry
from polydesk.core.runtime import Runtime
from polydesk.web.i18n import install as install_i18n
from polydesk.web.i18n import translate, when
from polydesk.web.templating import build_environment

log = logging.getLogger("polydesk")
PART_SUFFIX = {"subject": "subject.txt", "text": "txt", "html": "html"}


def _autoescape() -> Any:
    return select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False)


def form_value(item: dict[str, Any]) -> str:
    """A form summary's answer: chosen options (declared by the plugin) translated,
    typed text as it is."""
    choices = item.get("choices")
    if choices:
        return ", ".join(translate(c) for c in choices)
    return str(item.get("value", ""))


def localized_context(context: dict[str, Any]) -> dict[str, Any]:
    """The stored context with its times written for the current reader: `due_at`
    from the stored UTC instant (`due_at_utc`) through `when`. Messages queued before
    that key existed keep their stored English text."""
    iso = context.get("due_at_utc")
    if not iso:
        return context
    try:
        instant = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return context
    return {**context, "due_at": when(instant)}


def _install(env: Environment) -> Environment:
    install_i18n(env)
    env.filters["form_value"] = form_value
    return env


def build_mail_environment(registry: Registry, override_dir: str | None = None) -> Environment:
    """The page environment's loaders, with autoescape for `.html` only, gettext and
    the locale-aware filters."""
    loader = build_environment(registry, override_dir).loader
    # Plugins' catalogs (request type names...), also in a worker that serves no pages.
    i18n.register_department_catalogs(registry)
    return _install(
        Environment(loader=loader, autoescape=_autoescape(), keep_trailing_newline=False)
    )


class MailRenderer:
    """Renders one notification from its stored context; callable as the sender's `render`."""

    def __init__(self, env: Environment, overrides: dict[str, dict[str, str]]) -> None:
        self.env = env
        self.overrides = overrides

    def sandbox(self, *, html: bool, strict: bool = False) -> SandboxedEnvironment:
        """Where overrides render: no attribute or call escapes; they may still
        extend or include the installed mail templates (e.g. "mail/_layout.html")."""
        return _install(
            SandboxedEnvironment(
                loader=self.env.loader,
                autoescape=html,
                undefined=StrictUndefined if strict else Undefined,
            )
        )

    def check_override(self, kind: str, parts: dict[str, str]) -> dict[str, str]:
        """Errors per part of an admin's override (empty when every part is usable):
        each must compile and render the kind's sample context, every name known."""
        errors: dict[str, str] = {}
        context = sample_context(kind)
        for part, source in parts.items():
            if not source.strip():
                continue
            try:
                self.sandbox(html=part == "html", strict=True).from_string(source).render(context)
            except TemplateError as exc:
                line = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
                errors[part] = f"{type(exc).__name__}{line}: {exc.message or exc}"
            except Exception as exc:  # a template may raise anything (1/0); refuse it
                errors[part] = f"{type(exc).__name__}: {exc}"
        return errors

    def default_source(self, kind: str, department: str, part: str) -> str:
        """The source of the template that applies when no admin override does."""
        template = self._select(kind, department, part)
        source, _, _ = self.env.loader.get_source(self.env, template.name)  # type: ignore[union-attr]
        return source

    def _select(self, kind: str, department: str, part: str) -> Any:
        suffix = PART_SUFFIX[part]
        names = [f"mail/{kind}.{suffix}"]
        if department:
            names.insert(0, f"{department}/mail/{kind}.{suffix}")
        return self.env.select_template(names)

    def _part(self, kind: str, department: str, part: str, context: dict[str, Any]) -> str:
        source = self.overrides.get(kind, {}).get(part, "")
        if source.strip():
            try:
                return self.sandbox(html=part == "html").from_string(source).render(context)
            except Exception:  # a stored override must never lose the mail
                log.exception("mail override %s/%s failed; using the default", kind, part)
        return self._select(kind, department, part).render(context)

    def __call__(self, kind: str, department: str, context: dict[str, Any]) -> Rendered:
        """Render in the current language and time zone (the sender sets the recipient's)."""
        context = localized_context(context)
        return Rendered(
            subject=self._part(kind, department, "subject", context),
            text=self._part(kind, department, "text", context),
            html=self._part(kind, department, "html", context),
        )


async def send_notifications(runtime: Runtime, env: Environment) -> int:
    """One round of the sender: due messages rendered with today's overrides, sent.
    Without an SMTP host, nothing (messages wait)."""
    if not mail_configured(runtime.settings):
        return 0
    renderer = MailRenderer(env, await all_overrides())
    return await send_due(runtime.settings, renderer, runtime.clock)
