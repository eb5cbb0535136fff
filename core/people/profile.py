"""A person's own profile: who they are, and the language and time zone they chose.

Everyone edits their own language and time zone (`update_preferences`); name,
username and e-mail are read here and changed only by an admin. An empty choice
means "the organisation's default" (for the language: the browser's, then the
organisation's).
"""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass

from polydesk.core import i18n
from polydesk.core.errors import ValidationFailed
from polydesk.core.i18n import gettext as _
from polydesk.core.people.services import no_such_person
from polydesk.core.people.tables import Person

#: The IANA areas offered in the time zone list (plus "UTC"); the others are
#: aliases kept for old data (US/Eastern, Etc/GMT+5, Poland…).
REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@dataclass(frozen=True)
class Profile:
    person_id: int
    username: str
    display_name: str
    email: str
    #: "" = not chosen (browser's language, else the organisation's)
    locale: str
    #: "" = the organisation's time zone
    timezone: str


@functools.cache
def timezone_names() -> tuple[str, ...]:
    """The time zones a person may choose: "UTC" and every IANA zone of `REGIONS`,
    sorted (from the tz database Python sees, the `tzdata` package at least)."""
    zones = (name for name in zoneinfo.available_timezones() if name.partition("/")[0] in REGIONS)
    return ("UTC", *sorted(zones))


async def get_profile(person_id: int) -> Profile:
    """The person's profile (NotFound when there is no such person)."""
    row = (
        await Person.select(
            Person.id,
            Person.username,
            Person.display_name,
            Person.email,
            Person.locale,
            Person.timezone,
        )
        .where(Person.id == person_id)
        .first()
    )
    if row is None:
        raise no_such_person()
    return Profile(
        person_id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        email=row["email"] or "",
        locale=row["locale"] or "",
        timezone=row["timezone"] or "",
    )


async def update_preferences(person_id: int, *, locale: str, timezone: str) -> Profile:
    """Set the person's language and time zone; "" for either means the
    organisation's default. The language may be any tag `i18n.normalize` maps to
    one of `i18n.LOCALES` (stored normalized, e.g. "pl-PL" → "pl"); the time zone
    one of `timezone_names()`, or the one already stored (an alias set before).

    Raises ValidationFailed (keys ``locale``, ``timezone``) and changes nothing
    when either is not valid; returns the profile as saved. Pages read the new
    values from the next request on (the Actor is loaded per request)."""
    current = await get_profile(person_id)
    locale, timezone = locale.strip(), timezone.strip()
    errors: dict[str, str] = {}
    chosen_locale = i18n.normalize(locale) if locale else ""
    if chosen_locale is None:
        errors["locale"] = _("Choose one of the languages in the list.")
    if timezone and timezone != current.timezone and timezone not in timezone_names():
        errors["timezone"] = _("Choose a time zone from the list.")
    if errors:
        raise ValidationFailed(errors)
    await Person.update({Person.locale: chosen_locale, Person.timezone: timezone}).where(
        Person.id == person_id
    )
    return Profile(
        person_id=current.person_id,
        username=current.username,
        display_name=current.display_name,
        email=current.email,
        locale=chosen_locale or "",
        timezone=timezone,
    )
