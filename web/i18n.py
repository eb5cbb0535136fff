"""The web side of translation: choosing each request's language, the switcher,
and gettext plus locale-aware filters in Jinja.

Language: the person's profile (`Person.locale`), else the `polydesk_locale`
cookie the switcher sets for visitors, else the browser's `Accept-Language`, else
`POLYDESK_DEFAULT_LOCALE`. Time zone: the profile's, else `POLYDESK_DEFAULT_TIMEZONE`.
The JSON API (`/api/`) always speaks English: scripts match on its messages, and
its data (request type names, states) stays the stable English of the specs.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel import dates, numbers
from jinja2 import Environment, pass_eval_context
from jinja2.nodes import EvalContext
from litestar import Request, post
from litestar.datastructures import Cookie
from litestar.response import Redirect
from litestar.types import ASGIApp, Receive, Scope, Send
from markupsafe import Markup, escape

from polydesk.core import i18n
from polydesk.core.i18n import gettext as _
from polydesk.core.people.tables import Person
from polydesk.web.deps import optional_actor_of

COOKIE = "polydesk_locale"


def parse_accept_language(header: str | None) -> list[str]:
    """Tags of an Accept-Language header, most preferred first (q=0 dropped)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, index, tag.replace("-", "_")))
    return [tag for _q, _i, tag in sorted(ranked)]


def from_accept_language(header: str | None) -> str | None:
    """The first of the browser's languages (by quality) that we have, or None.

    Each tag goes through Babel's `Locale.parse`, which fills in the likely script:
    zh-TW, zh-HK and zh-Hant-* are Traditional, zh, zh-CN and zh-SG Simplified."""
    for tag in parse_accept_language(header):
        locale = i18n.normalize(tag)
        if locale:
            return locale
    return None


def negotiate(
    *,
    profile: str | None,
    cookie: str | None,
    accept_language: str | None,
    default: str,
) -> str:
    """Profile, else cookie, else browser, else organisation default."""
    return (
        i18n.normalize(profile)
        or i18n.normalize(cookie)
        or from_accept_language(accept_language)
        or i18n.normalize(default)
        or i18n.SOURCE_LOCALE
    )


valid_timezone = i18n.valid_timezone


async def _profile(request: Request) -> tuple[str, str]:
    actor = await optional_actor_of(request)
    if actor is None or actor.is_system:
        return "", ""
    # Loaded with the actor (one query), not read again for every page.
    return actor.locale, actor.timezone


async def resolve(request: Request) -> tuple[str, str]:
    """This request's (locale, time zone)."""
    settings = request.app.state.runtime.settings
    profile_locale, profile_tz = await _profile(request)
    locale = negotiate(
        profile=profile_locale,
        cookie=request.cookies.get(COOKIE),
        accept_language=request.headers.get("accept-language"),
        default=settings.default_locale,
    )
    timezone = valid_timezone(profile_tz) or valid_timezone(settings.default_timezone) or "UTC"
    return locale, timezone


class LocaleMiddleware:
    """Sets the translation context for pages (after the session middleware, so the
    profile is known); the JSON API stays English."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(("/api/", "/static/", "/schema")):
            await self.app(scope, receive, send)
            return
        locale, timezone = await resolve(Request(scope))
        scope.setdefault("state", {})["polydesk_locale"] = locale
        with i18n.use_locale(locale, timezone):
            await self.app(scope, receive, send)


def _safe_next(value: str | None) -> str:
    """Only same-site paths: the switcher must not become an open redirect."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or "\\" in value:
        return "/"
    return value


@post("/-/language", include_in_schema=False, status_code=303)
async def switch_language(request: Request) -> Redirect:
    """The header's language switcher: stored on the profile when logged in, in a
    cookie otherwise (both, so logging out keeps the choice)."""
    data = await request.form()
    locale = i18n.normalize(data.get("locale"))
    target = _safe_next(data.get("next"))
    response = Redirect(target, status_code=303)
    if locale is None:
        return response
    actor = await optional_actor_of(request)
    if actor is not None and not actor.is_system:
        await Person.update({Person.locale: locale}).where(Person.id == actor.person_id)
    remember_language(request, response, locale)
    return response


def remember_language(request: Request, response: Any, locale: str) -> None:
    """Keep `locale` in the browser too: the switcher's choice, and the profile's at login,
    so pages that run before anyone is known (an unknown address's 404) speak it."""
    response.set_cookie(
        Cookie(
            key=COOKIE,
            value=locale,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=request.app.state.runtime.settings.secure_cookies,
        )
    )


def use_request_language(request: Request) -> None:
    """For a page no route answered (so `LocaleMiddleware` did not run and no session
    was read): the cookie, the browser's language, the organisation's; for the rest of
    this request's task."""
    if "polydesk_locale" in request.scope.get("state", {}):
        return
    settings = request.app.state.runtime.settings
    locale = negotiate(
        profile=None,
        cookie=request.cookies.get(COOKIE),
        accept_language=request.headers.get("accept-language"),
        default=settings.default_locale,
    )
    i18n.set_locale(locale, valid_timezone(settings.default_timezone) or "UTC")


# --- Jinja ---------------------------------------------------------------


def _tzinfo() -> ZoneInfo:
    return ZoneInfo(i18n.current_timezone())


def when(value: Any) -> str:
    """A timestamp for people, in the viewer's language and time zone, to the minute.

    English in UTC keeps the compact ISO-like form ("2026-01-05 14:00 UTC")."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    locale, timezone = i18n.current_locale(), i18n.current_timezone()
    if locale == i18n.SOURCE_LOCALE and timezone == "UTC":
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return _local_when(value, locale, timezone)


@functools.lru_cache(maxsize=4096)
def _local_when(value: dt.datetime, locale: str, timezone: str) -> str:
    # Babel takes 25-50 µs for this; pages show the same instants again and again
    # (a list refreshed each minute, a timeline), and the text depends on nothing else.
    tz = ZoneInfo(timezone)
    local = value.astimezone(tz)
    day = dates.format_date(local, "medium", locale=locale)
    zone = dates.format_datetime(value, "z", tzinfo=tz, locale=locale)
    return f"{day} {local:%H:%M} {zone}"


def date(value: Any, format: str = "medium") -> str:
    """A date in the viewer's language (`short`, `medium`, `long`, `full`)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        value = value.astimezone(_tzinfo()).date()
    return dates.format_date(value, format=format, locale=i18n.current_locale())


def number(value: Any) -> str:
    """A number with the viewer's separators (1,234.5 / 1 234,5)."""
    if value is None:
        return ""
    return numbers.format_decimal(value, locale=i18n.current_locale())


def money(value: Any, currency: str = "EUR") -> str:
    """An amount with its currency, as the viewer writes it."""
    if value is None:
        return ""
    return numbers.format_currency(Decimal(str(value)), currency, locale=i18n.current_locale())


def field_value(field: Any, value: Any) -> str:
    """A filled-in form value as the viewer reads it: a choice by its (translated)
    label, yes/no, a number, an amount or a date written their way; typed text as is."""
    labels = dict(field.choices)
    if field.type == "checkbox":
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(translate(labels[v]) if v in labels else str(v) for v in value)
    if value in labels:
        return translate(labels[value])
    try:
        if field.type == "number":
            return numbers.format_decimal(Decimal(str(value)), locale=i18n.current_locale())
        if field.type == "money":
            # Two decimals with the reader's separators; the currency is a field of its own.
            amount = Decimal(str(value))
            return numbers.format_decimal(amount, format="#,##0.00", locale=i18n.current_locale())
        if field.type == "date":
            return date(dt.date.fromisoformat(str(value)))
    except (ArithmeticError, ValueError, TypeError):
        pass  # stored before a field changed type: shown as written
    return str(value)


def duration(minutes: int | float | None) -> str:
    """Business minutes as people say them: "45 min", "3 h 20 min", "2 d 4 h" (a day
    here is 24 hours of the clock's own time), in the viewer's language."""
    if minutes is None:
        return "—"
    sign = "-" if minutes < 0 else ""
    minutes = abs(int(minutes))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        text = (
            _("%(days)s d %(hours)s h", days=days, hours=hours)
            if hours
            else _("%(days)s d", days=days)
        )
    elif hours:
        text = (
            _("%(hours)s h %(minutes)s min", hours=hours, minutes=mins)
            if mins
            else _("%(hours)s h", hours=hours)
        )
    else:
        text = _("%(minutes)s min", minutes=mins)
    return sign + text


def sla_badge(clock: Any) -> Markup:
    """An SLA clock (a `ClockView`) as its badge: which clock, how it stands, when it is
    due. The HTML the `sla_badge` macro of `_macros.html` wrote (it now calls this),
    with Jinja's gettext semantics (the translation is trusted and always %-formatted,
    the values in it escaped), on plain strings: a list of 50 tickets shows 100 badges,
    and a macro with Markup arithmetic was a third of rendering it."""
    t = i18n.translations()
    metric, status = clock.metric, clock.status
    if metric == "first_response":
        label = t.gettext("Response") % {}
    elif metric == "resolution":
        label = t.gettext("Resolution") % {}
    else:
        label = escape(metric)
    title = label
    if clock.due_at:
        title += ", " + t.gettext("due %(when)s") % {"when": escape(when(clock.due_at))}
    if status == "running":
        time_left = {"time": escape(duration(clock.remaining_minutes))}
        text = t.gettext("%(time)s left") % time_left + "\n  "
    elif status == "paused":
        time_left = {"time": escape(duration(clock.remaining_minutes))}
        text = t.gettext("paused (%(time)s left)") % time_left + "\n  "
    elif status == "breached":
        text = t.gettext("breached") % {} + "\n  "
    elif status == "met":
        text = t.gettext("met") % {} + "\n  "
    elif status == "cancelled":
        text = t.pgettext("SLA clock", "cancelled") % {"context": "SLA clock"} + "\n  "
    else:
        text = escape(status)
    status = escape(status)
    return Markup(
        f'<span class="badge sla sla-{status}" data-metric="{escape(metric)}"\n'
        f'      title="{title}">\n  {label}:\n  {text}\n</span>'
    )


def translate(value: Any) -> str:
    """A string declared by a plugin (request type, field label, state name), translated
    when a catalog has it. Returns plain text, so autoescape still applies; never
    `_()` on data people typed."""
    if not value:
        return value or ""
    return i18n.translations().gettext(str(value))


# Jinja's new-style gettext, as `install_gettext_callables(newstyle=True)` makes it
# (autoescaped translation, always %-formatted, `num`/`context` filled in), but taking
# the evaluation context instead of the template context: a `pass_context` callable
# called inside a `{% for %}` gets a copy of the whole context made for each call
# (`Context.derived`), which was most of the cost of rendering a list's rows.


def _newstyle(text: str, eval_ctx: EvalContext, variables: dict[str, Any]) -> str:
    if not variables and "%" not in text:
        return Markup(text) if eval_ctx.autoescape else text  # what `% {}` would give
    return (Markup(text) if eval_ctx.autoescape else text) % variables


@pass_eval_context
def _gettext(eval_ctx: EvalContext, message: str, /, **variables: Any) -> str:
    return _newstyle(i18n.translations().gettext(message), eval_ctx, variables)


@pass_eval_context
def _ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, n: int, /, **variables: Any
) -> str:
    variables.setdefault("num", n)
    return _newstyle(i18n.translations().ngettext(singular, plural, n), eval_ctx, variables)


@pass_eval_context
def _pgettext(eval_ctx: EvalContext, context: str, message: str, /, **variables: Any) -> str:
    variables.setdefault("context", context)
    return _newstyle(i18n.translations().pgettext(context, message), eval_ctx, variables)


@pass_eval_context
def _npgettext(
    eval_ctx: EvalContext,
    context: str,
    singular: str,
    plural: str,
    n: int,
    /,
    **variables: Any,
) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", n)
    text = i18n.translations().npgettext(context, singular, plural, n)
    return _newstyle(text, eval_ctx, variables)


def stored(text: str, data: Any = None) -> str:
    """Text Polydesk stored with its `Message` (`data`), in the viewer's language."""
    return i18n.render_stored(text or "", data)


def install(env: Environment) -> None:
    """gettext/ngettext/pgettext/npgettext (new style: `_("Hi %(name)s", name=x)`
    escapes and formats), the locale-aware filters and the language list for the
    switcher."""
    env.add_extension("jinja2.ext.i18n")
    env.newstyle_gettext = True  # type: ignore[attr-defined]  # how `{% trans %}` calls them
    env.globals.update(
        _=_gettext,  # the extension's `_` looks `gettext` up again at each call
        gettext=_gettext,
        ngettext=_ngettext,
        pgettext=_pgettext,
        npgettext=_npgettext,
    )
    env.filters.update(
        when=when,
        date=date,
        number=number,
        money=money,
        duration=duration,
        translate=translate,
        stored=stored,
        sla_badge=sla_badge,
    )
    env.globals["current_locale"] = i18n.current_locale
    env.globals["html_lang"] = lambda: i18n.current_locale().replace("_", "-")
    env.globals["languages"] = [(code, i18n.language_name(code)) for code in i18n.LOCALES]
