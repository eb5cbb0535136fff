"""The admin console: plugins, departments, people and roles, SLA calendars and
policies, and the audit log of all of it.

Global admins only: everyone else gets a 404 (anonymous visitors are asked to log
in first). Every form works without JavaScript (POST, then 303; refused input
re-renders the page with 422, each message by its field, values kept); htmx only
swaps single rows for the plugin and request-type toggles and the people search.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from polydesk.core.audit.services import list_events, record, recorded_actions
from polydesk.core.catalog.services import set_request_type_hidden
from polydesk.core.db import transaction
from polydesk.core.errors import AuthenticationRequired, NotFound, ValidationFailed
from polydesk.core.i18n import N_, babel_locale, translations
from polydesk.core.i18n import gettext as _
from polydesk.core.people import admin as people_admin
from polydesk.core.people.services import (
    create_person,
    list_api_tokens,
    revoke_api_token,
    set_password,
)
from polydesk.core.people.throttle import lock_of, unlock
from polydesk.core.plugin_state.services import list_plugins, set_plugin_enabled
from polydesk.core.runtime import Runtime, Snapshot
from polydesk.core.sla import admin as sla_admin
from polydesk.core.sla.config import CALENDAR_FIELDS, POLICY_FIELDS
from polydesk.core.specs import ROLES, Priority
from polydesk.web.controllers.api_session import author_of, client_address
from polydesk.web.deps import optional_actor_of, runtime_of, snapshot_of
from polydesk.web.rendering import is_htmx, page, require_actor

#: Fixed texts for `?done=`, so a link can never put its own words on the page.
NOTICES = {
    "created": N_("Person created."),
    "access": N_("Roles and teams saved."),
    "password": N_("Password reset."),
    "saved": N_("Saved. Running SLA clocks follow the new settings."),
    "restored": N_("The plugin's default is back."),
    "unlocked": N_("Unlocked: they can log in again."),
    "revoked": N_("Token revoked."),
}
PAUSABLE = ("new", "open", "waiting")
#: Words kept as data elsewhere and shown translated on these pages (with `translate`):
#: the pause categories, the roles (lower-case, capitalised after translation) and
#: the priorities' labels (core/specs.py).
SHOWN_HERE = (
    N_("new"),
    N_("open"),
    N_("waiting"),
    N_("requester"),
    N_("agent"),
    N_("lead"),
    N_("admin"),
    N_("P1 · critical"),
    N_("P2 · high"),
    N_("P3 · medium"),
    N_("P4 · low"),
    N_("No such page."),
)


def weekdays(width: str = "wide") -> list[str]:
    """Monday first, in the viewer's language ("Monday"/"Mon" in English)."""
    names = babel_locale().days["format"][width]
    return [names[day] for day in range(7)]


PLURAL = {"calendar": "calendars", "policy": "policies"}


async def admin_only(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard: global admins only; a hidden page for everyone else (never a 403)."""
    actor = await optional_actor_of(connection)  # type: ignore[arg-type]
    if actor is None:
        raise AuthenticationRequired("Log in to continue.")
    if not actor.is_admin:
        raise NotFound("No such page.")


def _notice(done: str | None) -> str | None:
    notice = NOTICES.get(done or "")
    return _(notice) if notice else None


def _wants_fragment(request: Request) -> bool:
    # A history restore asks for the whole page even though it comes from htmx.
    return is_htmx(request) and request.headers.get("hx-history-restore-request") != "true"


def _by_input(errors: dict[str, str], inputs: Collection[str]) -> dict[str, str]:
    """Place each error under the input that shows it: "special_days.2026-12-24"
    goes to "special_days" (prefixed with the date); unknown keys go to ""."""
    placed: dict[str, str] = {}
    for key, message in errors.items():
        target, detail = key, ""
        while target not in inputs and "." in target:
            target, _, tail = target.rpartition(".")
            detail = f"{tail}.{detail}" if detail else tail
        if target not in inputs:
            target, detail = "", key
        text = f"{detail}: {message}" if detail else message
        placed[target] = f"{placed[target]} {text}" if target in placed else text
    return placed


# -- plugins and departments ------------------------------------------------------------


async def _plugin_statuses(runtime: Runtime) -> list[Any]:
    return list((await list_plugins(runtime.pm, runtime.departments_by_plugin())).values())


def _registry_departments(request: Request) -> dict[str, Any]:
    return {"registry_departments": runtime_of(request).registry.departments}


def _request_type_row(snapshot: Snapshot, key: str, hidden: bool | None = None) -> dict:
    rt = snapshot.registry.request_types[key]
    return {
        "rt": rt,
        "hidden": rt.key in snapshot.state.hidden_request_types if hidden is None else hidden,
        "department_enabled": snapshot.is_department_enabled(rt.department),
    }


# -- people -----------------------------------------------------------------------------


def _offered_teams(snapshot: Snapshot) -> list[tuple[str, str]]:
    """Teams the plugins name (confidential request types are seen by one team)."""
    return sorted(
        {
            (rt.department, rt.confidential_team)
            for rt in snapshot.registry.request_types.values()
            if rt.confidential_team
        }
    )


def _access_from_form(snapshot: Snapshot, form: Any) -> dict[str, Any]:
    teams = set()
    for value in form.getall("team", []):
        department, _, team = str(value).partition(":")
        teams.add((department, team))
    return {
        "roles": {
            slug: (str(form.get(f"role.{slug}") or "") or None)
            for slug in snapshot.registry.departments
        },
        "teams": teams,
        "is_admin": "is_admin" in form,
    }


async def _person_page(
    request: Request,
    person_id: int,
    *,
    access: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Template:
    snapshot = await snapshot_of(request)
    person = await people_admin.get_person(person_id)
    access = access or {
        "roles": dict(person.roles),
        "teams": set(person.teams),
        "is_admin": person.is_admin,
    }
    return await page(
        request,
        "admin/person.html",
        {
            "person": person,
            "locked_until": await lock_of(person.username, runtime_of(request).clock()),
            "tokens": await list_api_tokens(person.id),
            "access": access,
            "roles": ROLES,
            "all_departments": list(snapshot.registry.departments.values()),
            "enabled": {d.slug for d in snapshot.enabled_departments()},
            "offered_teams": _offered_teams(snapshot),
            "errors": errors or {},
            "notice": notice,
        },
        status_code=status_code,
    )


# -- SLA forms: one text input per weekday, "08:00-12:00, 13:00-17:00" ------------------

_INTERVAL = re.compile(r"^\s*(\S+?)\s*[-–—]\s*(\S+)\s*$")
# The form's inputs: the core's settings, plus one input per weekday / target part.
CALENDAR_INPUTS = (*CALENDAR_FIELDS, *(f"hours.{d}" for d in range(1, 8)))
POLICY_INPUTS = (
    *POLICY_FIELDS,
    *(
        f"targets.{p}{suffix}"
        for p in range(1, 5)
        for suffix in ("", ".first_response", ".resolution", ".calendar", ".due_field")
    ),
    "escalation.reassign_group",
)


def _intervals_text(pairs: list[list[str]]) -> str:
    return ", ".join(f"{start}-{end}" for start, end in pairs)


def _parse_intervals(text: str, key: str, errors: dict[str, str]) -> list[list[str]]:
    pairs = []
    for chunk in filter(None, (c.strip() for c in text.split(","))):
        match = _INTERVAL.match(chunk)
        if match is None:
            errors[key] = _(
                "Write each interval as start-end, e.g. 08:00-12:00 (not %(chunk)s).",
                chunk=repr(chunk),
            )
            return []
        pairs.append([match[1], match[2]])
    return pairs


def calendar_values(config: dict[str, Any]) -> dict[str, Any]:
    """A calendar's config as the texts of its edit form."""
    hours = config["hours"]
    values: dict[str, Any] = {
        "name": config["name"],
        "timezone": config["timezone"],
        "always_open": not hours,
        "holidays_country": config["holidays_country"] or "",
        "holidays_subdivision": config["holidays_subdivision"] or "",
        "custom_holidays": ", ".join(config["custom_holidays"]),
        "special_days": "\n".join(
            f"{day} {_intervals_text(pairs)}".strip()
            for day, pairs in config["special_days"].items()
        ),
    }
    for day in range(1, 8):
        values[f"hours.{day}"] = _intervals_text(hours.get(str(day), []))
    return values


def calendar_changes(form: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(values as typed, config for `sla_admin.edit`, errors found before the service's)."""
    values = {key: str(form.get(key) or "") for key in CALENDAR_INPUTS if key != "hours"}
    values["always_open"] = "always_open" in form
    errors: dict[str, str] = {}
    hours = {}
    if not values["always_open"]:
        for day in range(1, 8):
            hours[str(day)] = _parse_intervals(values[f"hours.{day}"], f"hours.{day}", errors)
        # Closed days are left out, as the plugins write them; a week with no hours
        # at all stays explicit, so it is refused rather than read as round the clock.
        hours = {day: pairs for day, pairs in hours.items() if pairs} or hours
    special: dict[str, list[list[str]]] = {}
    for line in filter(None, (line.strip() for line in values["special_days"].splitlines())):
        day, _, rest = line.partition(" ")
        special[day.rstrip(":")] = _parse_intervals(rest, "special_days", errors)
    changes = {
        "name": values["name"],
        "timezone": values["timezone"].strip(),
        "hours": hours,
        "holidays_country": values["holidays_country"].strip().upper() or None,
        "holidays_subdivision": values["holidays_subdivision"].strip() or None,
        "custom_holidays": re.split(r"[\s,]+", values["custom_holidays"].strip())
        if values["custom_holidays"].strip()
        else [],
        "special_days": special,
    }
    return values, changes, errors


def policy_values(config: dict[str, Any]) -> dict[str, Any]:
    """A policy's config as the texts of its edit form (warning point in percent)."""
    values: dict[str, Any] = {
        "name": config["name"],
        "pause_categories": list(config["pause_categories"]),
        "warning_at": f"{config['warning_at'] * 100:g}",
        "escalation.notify_lead": config["escalation"]["notify_lead"],
        "escalation.raise_priority": config["escalation"]["raise_priority"],
        "escalation.reassign_group": config["escalation"]["reassign_group"] or "",
    }
    for p in range(1, 5):
        target = config["targets"].get(str(p), {})
        for metric in ("first_response", "resolution"):
            minutes = target.get(metric)
            values[f"targets.{p}.{metric}"] = "" if minutes is None else str(minutes)
        values[f"targets.{p}.calendar"] = target.get("calendar") or ""
        values[f"targets.{p}.due_field"] = target.get("due_field") or ""
    return values


def _minutes(text: str, key: str, errors: dict[str, str]) -> int | None:
    if not text.strip():
        return None
    try:
        minutes = int(text)
    except ValueError:
        minutes = 0
    if minutes <= 0:
        errors[key] = _("Give a whole number of minutes greater than zero, or leave it empty.")
        return None
    return minutes


def policy_changes(form: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(values as typed, config for `sla_admin.edit`, errors found before the service's)."""
    values = {key: str(form.get(key) or "") for key in POLICY_INPUTS}
    values["pause_categories"] = [str(c) for c in form.getall("pause_categories", [])]
    for flag in ("escalation.notify_lead", "escalation.raise_priority"):
        values[flag] = flag in form
    errors: dict[str, str] = {}
    targets = {}
    for p in range(1, 5):
        key = f"targets.{p}"
        target = {
            "first_response": _minutes(
                values[f"{key}.first_response"], f"{key}.first_response", errors
            ),
            "resolution": _minutes(values[f"{key}.resolution"], f"{key}.resolution", errors),
            "calendar": values[f"{key}.calendar"] or None,
            "due_field": values[f"{key}.due_field"] or None,
        }
        if any(v is not None for v in target.values()):
            targets[str(p)] = target
    try:
        percent = float(values["warning_at"])
    except ValueError:
        percent = 0.0
    if not 0 < percent < 100:
        errors["warning_at"] = _("A percentage of the target between 0 and 100, e.g. 80.")
    changes = {
        "name": values["name"],
        "targets": targets,
        "pause_categories": values["pause_categories"],
        "warning_at": percent / 100,
        "escalation": {
            "notify_lead": values["escalation.notify_lead"],
            "raise_priority": values["escalation.raise_priority"],
            "reassign_group": values["escalation.reassign_group"].strip() or None,
        },
    }
    return values, changes, errors


def _due_field_labels(snapshot: Snapshot) -> dict[tuple[str, str], str]:
    """(policy, date field key) -> the field's label as a plugin declared it (English,
    shown with `translate`), from the first request type using the policy."""
    labels: dict[tuple[str, str], str] = {}
    for rt in snapshot.registry.request_types.values():
        for f in rt.form.fields:
            if f.type == "date":
                labels.setdefault((rt.sla_policy, f.key), f.label)
    return labels


def _date_fields(snapshot: Snapshot, policy: str) -> dict[str, str]:
    """Date fields of the forms that use `policy`: a target may be due on one of them
    (labels and names as the plugins declared them, in the viewer's language)."""
    declared = translations().gettext
    return {
        f.key: f"{declared(f.label)} ({declared(rt.name)})"
        for rt in snapshot.registry.request_types.values()
        if rt.sla_policy == policy
        for f in rt.form.fields
        if f.type == "date"
    }


async def _sla_item_page(
    request: Request,
    kind: str,
    key: str,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Template:
    snapshot = await snapshot_of(request)
    describe = sla_admin.describe_calendars if kind == "calendar" else sla_admin.describe_policies
    item = next((i for i in describe(snapshot) if i["key"] == key), None)
    if item is None:
        raise NotFound(f"No {kind} {key!r}.")
    to_values = calendar_values if kind == "calendar" else policy_values
    inputs = CALENDAR_INPUTS if kind == "calendar" else POLICY_INPUTS
    return await page(
        request,
        f"admin/{kind}.html",
        {
            "item": item,
            "values": values or to_values(item["config"]),
            "errors": _by_input(errors or {}, inputs),
            "notice": notice,
            "weekdays": weekdays(),
            "weekdays_short": weekdays("abbreviated"),
            "priorities": {p.value: p.label for p in Priority},
            "calendars": sla_admin.describe_calendars(snapshot),
            "pausable": PAUSABLE,
            "date_fields": _date_fields(snapshot, key) if kind == "policy" else {},
        },
        status_code=status_code,
    )


class AdminController(Controller):
    path = "/admin"
    include_in_schema = False
    guards = [admin_only]

    @get("/")
    async def console(self, request: Request) -> Template:
        snapshot = await snapshot_of(request)
        return await page(
            request,
            "admin/console.html",
            {
                "plugins": await _plugin_statuses(runtime_of(request)),
                "registry": snapshot.registry,
                "people_total": (await people_admin.list_people(per_page=1)).total,
            },
        )

    # -- plugins

    @get("/plugins")
    async def list_plugins(self, request: Request) -> Template:
        plugins = await _plugin_statuses(runtime_of(request))
        return await page(
            request, "admin/plugins.html", {"plugins": plugins, **_registry_departments(request)}
        )

    @post("/plugins/{name:str}/enable")
    async def enable_plugin(self, request: Request, name: FromPath[str]) -> Template | Redirect:
        return await self._set_plugin(request, name, True)

    @post("/plugins/{name:str}/disable")
    async def disable_plugin(self, request: Request, name: FromPath[str]) -> Template | Redirect:
        return await self._set_plugin(request, name, False)

    async def _set_plugin(self, request: Request, name: str, enabled: bool) -> Template | Redirect:
        runtime = runtime_of(request)
        author = author_of(request, await require_actor(request))
        await set_plugin_enabled(runtime.pm, name, enabled, author=author)
        runtime.plugin_states.invalidate()  # this worker sees it at once; others within the TTL
        if _wants_fragment(request):
            plugin = next(p for p in await _plugin_statuses(runtime) if p.name == name)
            return await page(
                request, "admin/_plugin.html", {"plugin": plugin, **_registry_departments(request)}
            )
        return Redirect(f"/admin/plugins#plugin-{name}", status_code=303)

    # -- departments and their request types

    @get("/departments")
    async def list_departments(self, request: Request) -> Template:
        snapshot = await snapshot_of(request)
        departments = [
            {
                "department": d,
                "enabled": snapshot.is_department_enabled(slug),
                "plugin": snapshot.registry.department_plugin.get(slug, ""),
                "rows": [
                    _request_type_row(snapshot, rt.key)
                    for rt in snapshot.registry.request_types_of(slug)
                ],
            }
            for slug, d in snapshot.registry.departments.items()
        ]
        return await page(request, "admin/departments.html", {"departments": departments})

    @post("/request-types/{key:str}/hide")
    async def hide_request_type(self, request: Request, key: FromPath[str]) -> Template | Redirect:
        return await self._set_hidden(request, key, True)

    @post("/request-types/{key:str}/show")
    async def show_request_type(self, request: Request, key: FromPath[str]) -> Template | Redirect:
        return await self._set_hidden(request, key, False)

    async def _set_hidden(self, request: Request, key: str, hidden: bool) -> Template | Redirect:
        runtime = runtime_of(request)
        author = author_of(request, await require_actor(request))
        async with transaction():  # the change and its audit event commit together
            await set_request_type_hidden(runtime.registry, key, hidden)
            await record(
                author,
                "request_type.hidden" if hidden else "request_type.shown",
                f"request_type:{key}",
                {"after": {"hidden": hidden}},
            )
        runtime.plugin_states.invalidate()
        if _wants_fragment(request):
            row = _request_type_row(await snapshot_of(request), key, hidden)
            return await page(request, "admin/_request_type.html", row)
        return Redirect(f"/admin/departments#rt-{key}", status_code=303)

    # -- people

    @get("/people")
    async def list_people(
        self,
        request: Request,
        q: FromQuery[str] = "",
        number: Annotated[int, QueryParameter(name="page", ge=1)] = 1,
    ) -> Template:
        return await self._people_page(request, q, number)

    async def _people_page(
        self,
        request: Request,
        q: str,
        number: int = 1,
        *,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        people = await people_admin.list_people(q, page=number)
        context = {
            "q": q,
            "people": people,
            "values": values or {},
            "errors": errors or {},
            "departments": {
                d.slug: d.name for d in (await snapshot_of(request)).registry.departments.values()
            },
        }
        template = "admin/_people.html" if _wants_fragment(request) else "admin/people.html"
        return await page(request, template, context, status_code=status_code)

    @post("/people")
    async def create_person(self, request: Request) -> Template | Redirect:
        form = await request.form()
        values = {k: str(form.get(k) or "") for k in ("username", "display_name", "email")}
        values["is_admin"] = "is_admin" in form
        try:
            person_id = await create_person(
                values["username"].strip(),
                values["display_name"],
                email=values["email"].strip(),
                password=str(form.get("password") or "") or None,
                is_admin=values["is_admin"],
                author=author_of(request, await require_actor(request)),
            )
        except ValidationFailed as exc:
            return await self._people_page(
                request, "", values=values, errors=exc.fields, status_code=422
            )
        return Redirect(f"/admin/people/{person_id}?done=created", status_code=303)

    @get("/people/{person_id:int}")
    async def get_person(
        self, request: Request, person_id: FromPath[int], done: FromQuery[str | None] = None
    ) -> Template:
        return await _person_page(request, person_id, notice=_notice(done))

    @post("/people/{person_id:int}/access")
    async def update_access(
        self, request: Request, person_id: FromPath[int]
    ) -> Template | Redirect:
        snapshot = await snapshot_of(request)
        access = _access_from_form(snapshot, await request.form())
        actor = await require_actor(request)
        try:
            await people_admin.set_access(
                person_id,
                offered_teams=_offered_teams(snapshot),
                changed_by=actor.person_id,
                author=author_of(request, actor),
                **access,
            )
        except ValidationFailed as exc:
            return await _person_page(
                request, person_id, access=access, errors=exc.fields, status_code=422
            )
        return Redirect(f"/admin/people/{person_id}?done=access", status_code=303)

    @post("/people/{person_id:int}/password")
    async def reset_password(
        self, request: Request, person_id: FromPath[int]
    ) -> Template | Redirect:
        await people_admin.get_person(person_id)
        form = await request.form()
        try:
            await set_password(
                person_id,
                str(form.get("password") or ""),
                author=author_of(request, await require_actor(request)),
            )
        except ValidationFailed as exc:
            return await _person_page(request, person_id, errors=exc.fields, status_code=422)
        return Redirect(f"/admin/people/{person_id}?done=password", status_code=303)

    @post("/people/{person_id:int}/unlock")
    async def unlock_person(self, request: Request, person_id: FromPath[int]) -> Redirect:
        """Lift a lock after failed logins (audited; nothing happens when not locked)."""
        person = await people_admin.get_person(person_id)
        actor = await require_actor(request)
        await unlock(person.username, author_of(request, actor), runtime_of(request).clock())
        return Redirect(f"/admin/people/{person_id}?done=unlocked", status_code=303)

    @post("/people/{person_id:int}/tokens/{token_id:int}/revoke")
    async def revoke_token(
        self, request: Request, person_id: FromPath[int], token_id: FromPath[int]
    ) -> Redirect:
        """Revoke one of the person's API tokens (audited)."""
        await people_admin.get_person(person_id)
        actor = await require_actor(request)
        await revoke_api_token(person_id, token_id, author=author_of(request, actor))
        return Redirect(f"/admin/people/{person_id}?done=revoked#tokens", status_code=303)

    # -- the audit log

    @get("/audit")
    async def audit_log(
        self,
        request: Request,
        action: FromQuery[str] = "",
        person: FromQuery[str] = "",
        before: FromQuery[int | None] = None,
    ) -> Template:
        """Admin actions, newest first, by action and by person, a page at a time."""
        events = await list_events(action=action.strip(), person=person.strip(), before=before)
        return await page(
            request,
            "admin/audit.html",
            {
                "events": events,
                "action": action.strip(),
                "person": person.strip(),
                "actions": await recorded_actions(),
            },
        )

    # -- SLA calendars and policies

    @get("/sla")
    async def list_sla(self, request: Request, done: FromQuery[str | None] = None) -> Template:
        snapshot = await snapshot_of(request)
        return await page(
            request,
            "admin/sla.html",
            {
                "calendars": sla_admin.describe_calendars(snapshot),
                "policies": sla_admin.describe_policies(snapshot),
                "weekdays": weekdays(),
                "weekdays_short": weekdays("abbreviated"),
                "priorities": {p.value: p.label for p in Priority},
                "due_labels": _due_field_labels(snapshot),
                "notice": _notice(done),
            },
        )

    @get("/sla/{kind:str}/{key:str}")
    async def get_sla_item(
        self,
        request: Request,
        kind: FromPath[str],
        key: FromPath[str],
        done: FromQuery[str | None] = None,
    ) -> Template:
        return await _sla_item_page(request, _kind(kind), key, notice=_notice(done))

    @post("/sla/{kind:str}/{key:str}")
    async def update_sla_item(
        self, request: Request, kind: FromPath[str], key: FromPath[str]
    ) -> Template | Redirect:
        kind = _kind(kind)
        parse = calendar_changes if kind == "calendar" else policy_changes
        values, changes, errors = parse(await request.form())
        try:
            if errors:
                raise ValidationFailed(errors)
            actor = await require_actor(request)
            await sla_admin.edit(
                await snapshot_of(request),
                actor,
                kind,
                key,
                changes,
                client_address=client_address(request),
            )
        except ValidationFailed as exc:
            return await _sla_item_page(
                request, kind, key, values=values, errors=exc.fields, status_code=422
            )
        return Redirect(f"/admin/sla/{PLURAL[kind]}/{key}?done=saved", status_code=303)

    @post("/sla/{kind:str}/{key:str}/reset")
    async def reset_sla_item(
        self, request: Request, kind: FromPath[str], key: FromPath[str]
    ) -> Redirect:
        kind = _kind(kind)
        await sla_admin.edit(
            await snapshot_of(request),
            await require_actor(request),
            kind,
            key,
            None,
            client_address=client_address(request),
        )
        return Redirect(f"/admin/sla/{PLURAL[kind]}/{key}?done=restored", status_code=303)


def _kind(plural: str) -> str:
    """`calendars` / `policies` in URLs, as the API spells them."""
    kind = {v: k for k, v in PLURAL.items()}.get(plural)
    if kind is None:
        raise NotFound("No such page.")
    return kind
