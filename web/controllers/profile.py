"""`/me/profile`: each person sees who they are and sets their language and time zone.

Only ever the logged-in person's own profile: there is no id in the URL. Saving
takes effect from the next page (the Actor, with its locale and time zone, is
loaded per request).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from polydesk.core import i18n
from polydesk.core.errors import ValidationFailed
from polydesk.core.i18n import lazy_gettext
from polydesk.core.people.profile import (
    REGIONS,
    Profile,
    get_profile,
    timezone_names,
    update_preferences,
)
from polydesk.web.i18n import COOKIE, remember_language, valid_timezone
from polydesk.web.rendering import page, require_actor

#: How the time zone list's groups are headed (IANA's area names, in the reader's words).
REGION_LABELS = {
    "Africa": lazy_gettext("Africa"),
    "America": lazy_gettext("Americas"),
    "Antarctica": lazy_gettext("Antarctica"),
    "Arctic": lazy_gettext("Arctic"),
    "Asia": lazy_gettext("Asia"),
    "Atlantic": lazy_gettext("Atlantic Ocean"),
    "Australia": lazy_gettext("Australia"),
    "Europe": lazy_gettext("Europe"),
    "Indian": lazy_gettext("Indian Ocean"),
    "Pacific": lazy_gettext("Pacific Ocean"),
}


@functools.cache
def _zone_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The offered zones by IANA area. Options show the zone's own name
    ("Europe/Warsaw"): the identifier people and admins share, the same in every
    language; the areas' headings are translated."""
    groups: dict[str, list[str]] = {region: [] for region in REGIONS}
    for name in timezone_names():
        region = name.partition("/")[0]
        if region in groups:
            groups[region].append(name)
    return tuple((region, tuple(zones)) for region, zones in groups.items())


async def _profile_page(
    request: Request,
    profile: Profile,
    *,
    errors: dict[str, str] | None = None,
    chosen: dict[str, str] | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Template:
    settings = request.app.state.runtime.settings
    default_locale = i18n.normalize(settings.default_locale) or i18n.SOURCE_LOCALE
    default_timezone = valid_timezone(settings.default_timezone) or "UTC"
    chosen = chosen or {"locale": profile.locale, "timezone": profile.timezone}
    context: dict[str, Any] = {
        "profile": profile,
        "chosen": chosen,
        "errors": errors or {},
        "saved": saved,
        "default_language": i18n.language_name(default_locale),
        "default_timezone": default_timezone,
        "zone_groups": [(REGION_LABELS[region], zones) for region, zones in _zone_groups()],
        # A zone stored before (an alias such as US/Eastern) stays selectable.
        "unlisted_zone": profile.timezone if profile.timezone not in timezone_names() else "",
        "now": dt.datetime.now(dt.UTC),
    }
    return await page(request, "profile.html", context, status_code=status_code)


class ProfileController(Controller):
    path = "/me/profile"
    include_in_schema = False

    @get("/")
    async def show(self, request: Request, done: FromQuery[str | None] = None) -> Template:
        """Your name, username and e-mail, and the language and time zone form."""
        actor = await require_actor(request)
        return await _profile_page(
            request, await get_profile(actor.person_id), saved=done == "saved"
        )

    @post("/")
    async def save(self, request: Request) -> Template | Redirect:
        """Save the language and time zone; the form again with errors (422) otherwise."""
        actor = await require_actor(request)
        form = await request.form()
        chosen = {
            "locale": str(form.get("locale") or ""),
            "timezone": str(form.get("timezone") or ""),
        }
        try:
            saved = await update_preferences(actor.person_id, **chosen)
        except ValidationFailed as exc:
            return await _profile_page(
                request,
                await get_profile(actor.person_id),
                errors=exc.fields,
                chosen=chosen,
                status_code=422,
            )
        response = Redirect("/me/profile?done=saved", status_code=303)
        # The switcher's cookie would otherwise outrank "organisation default" and,
        # after logging out, show the old language.
        if saved.locale:
            remember_language(request, response, saved.locale)
        else:
            response.delete_cookie(COOKIE)
        return response
