"""Admin edits of calendars and policies: validated, stored as overrides, applied
over the plugins' defaults."""

from __future__ import annotations

import dataclasses
from typing import Any

from polydesk.core.errors import ValidationFailed
from polydesk.core.i18n import gettext as _
from polydesk.core.sla.calendars import compile_calendar
from polydesk.core.specs import (
    STATE_CATEGORIES,
    Calendar,
    Escalation,
    Priority,
    SLAPolicy,
    SLATarget,
)

CALENDAR_FIELDS = (
    "name",
    "timezone",
    "hours",
    "holidays_country",
    "holidays_subdivision",
    "custom_holidays",
    "special_days",
)
POLICY_FIELDS = ("name", "targets", "pause_categories", "warning_at", "escalation")


def calendar_to_config(spec: Calendar) -> dict[str, Any]:
    return {
        "name": spec.name,
        "timezone": spec.timezone,
        "hours": {
            str(day): [list(pair) for pair in pairs] for day, pairs in sorted(spec.hours.items())
        },
        "holidays_country": spec.holidays_country,
        "holidays_subdivision": spec.holidays_subdivision,
        "custom_holidays": list(spec.custom_holidays),
        "special_days": {
            day: [list(pair) for pair in pairs] for day, pairs in sorted(spec.special_days.items())
        },
    }


def _pairs(value: Any, field: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list | tuple):
        raise ValidationFailed(
            {field: 'Give a list of [start, end] pairs such as ["08:00", "16:00"].'}
        )
    pairs = []
    for pair in value:
        if not (
            isinstance(pair, list | tuple)
            and len(pair) == 2
            and all(isinstance(p, str) for p in pair)
        ):
            raise ValidationFailed({field: 'Each interval is a pair of "HH:MM" strings.'})
        pairs.append((pair[0], pair[1]))
    return tuple(pairs)


def apply_calendar_config(base: Calendar, config: dict[str, Any]) -> Calendar:
    """`base` with the edited fields of `config`; raises ValidationFailed (nothing applied)."""
    unknown = set(config) - set(CALENDAR_FIELDS)
    if unknown:
        raise ValidationFailed({key: _("Not a calendar setting.") for key in sorted(unknown)})
    changes: dict[str, Any] = {}
    if "name" in config:
        if not isinstance(config["name"], str) or not config["name"].strip():
            raise ValidationFailed({"name": _("A name is required.")})
        changes["name"] = config["name"].strip()
    for field in ("timezone", "holidays_country", "holidays_subdivision"):
        if field in config:
            value = config[field]
            if value is not None and not isinstance(value, str):
                raise ValidationFailed({field: _("Expected text.")})
            changes[field] = value or (None if field != "timezone" else "")
    if "hours" in config:
        if not isinstance(config["hours"], dict):
            raise ValidationFailed({"hours": _("Map weekdays 1 (Monday) to 7 to their intervals.")})
        hours = {}
        for day, pairs in config["hours"].items():
            try:
                weekday = int(day)
            except (TypeError, ValueError):
                raise ValidationFailed(
                    {f"hours.{day}": "Weekdays are 1 (Monday) to 7 (Sunday)."}
                ) from None
            hours[weekday] = _pairs(pairs, f"hours.{day}")
        changes["hours"] = hours
    if "custom_holidays" in config:
        if not isinstance(config["custom_holidays"], list) or not all(
            isinstance(d, str) for d in config["custom_holidays"]
        ):
            raise ValidationFailed({"custom_holidays": _("Give a list of dates as YYYY-MM-DD.")})
        changes["custom_holidays"] = tuple(config["custom_holidays"])
    if "special_days" in config:
        if not isinstance(config["special_days"], dict):
            raise ValidationFailed(
                {"special_days": _("Map dates (YYYY-MM-DD) to their intervals.")}
            )
        changes["special_days"] = {
            str(day): _pairs(pairs, f"special_days.{day}")
            for day, pairs in config["special_days"].items()
        }
    spec = dataclasses.replace(base, **changes)
    compile_calendar(spec)  # raises ValidationFailed with a message per field
    return spec


def policy_to_config(policy: SLAPolicy) -> dict[str, Any]:
    return {
        "name": policy.name,
        "targets": {
            str(int(priority)): {
                "first_response": target.first_response,
                "resolution": target.resolution,
                "calendar": target.calendar.key if target.calendar else None,
                "due_field": target.due_field,
            }
            for priority, target in sorted(policy.targets.items())
        },
        "pause_categories": list(policy.pause_categories),
        "warning_at": policy.warning_at,
        "escalation": dataclasses.asdict(policy.escalation),
    }


def _minutes(value: Any, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationFailed(
            {field: "Give a whole number of minutes greater than zero, or null."}
        )
    return value


def apply_policy_config(
    base: SLAPolicy, config: dict[str, Any], calendars: dict[str, Calendar]
) -> SLAPolicy:
    """`base` with the edited fields of `config`; raises ValidationFailed (nothing applied).

    A target's `calendar` names any known calendar key, or null for the policy's own.
    """
    unknown = set(config) - set(POLICY_FIELDS)
    if unknown:
        raise ValidationFailed({key: _("Not a policy setting.") for key in sorted(unknown)})
    changes: dict[str, Any] = {}
    if "name" in config:
        if not isinstance(config["name"], str) or not config["name"].strip():
            raise ValidationFailed({"name": _("A name is required.")})
        changes["name"] = config["name"].strip()
    if "targets" in config:
        if not isinstance(config["targets"], dict):
            raise ValidationFailed({"targets": _("Map priorities 1–4 to their targets.")})
        targets = {}
        for raw_priority, raw in config["targets"].items():
            field = f"targets.{raw_priority}"
            try:
                priority = Priority(int(raw_priority))
            except (TypeError, ValueError):
                raise ValidationFailed({field: _("Priorities are 1 (P1) to 4 (P4).")}) from None
            if not isinstance(raw, dict) or set(raw) - {
                "first_response",
                "resolution",
                "calendar",
                "due_field",
            }:
                raise ValidationFailed(
                    {
                        field: "Give first_response, resolution and optionally calendar and due_field."
                    }
                )
            due_field = raw.get("due_field")
            if due_field is not None and not isinstance(due_field, str):
                raise ValidationFailed(
                    {f"{field}.due_field": "Name a date field of the form, or null."}
                )
            calendar_key = raw.get("calendar")
            if calendar_key is not None and calendar_key not in calendars:
                raise ValidationFailed(
                    {f"{field}.calendar": _("No calendar %(key)s.", key=repr(calendar_key))}
                )
            targets[priority] = SLATarget(
                first_response=_minutes(raw.get("first_response"), f"{field}.first_response"),
                resolution=_minutes(raw.get("resolution"), f"{field}.resolution"),
                calendar=calendars[calendar_key] if calendar_key else None,
                due_field=due_field,
            )
        changes["targets"] = targets
    if "pause_categories" in config:
        categories = config["pause_categories"]
        allowed = set(STATE_CATEGORIES) - {"resolved", "closed", "cancelled"}
        if not isinstance(categories, list) or not set(categories) <= allowed:
            raise ValidationFailed(
                {
                    "pause_categories": _(
                        "Choose among: %(choices)s.", choices=", ".join(sorted(allowed))
                    )
                }
            )
        changes["pause_categories"] = tuple(categories)
    if "warning_at" in config:
        value = config["warning_at"]
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
            raise ValidationFailed(
                {"warning_at": "A fraction of the target between 0 and 1, e.g. 0.8."}
            )
        changes["warning_at"] = float(value)
    if "escalation" in config:
        raw = config["escalation"]
        if not isinstance(raw, dict) or set(raw) - {
            "notify_lead",
            "raise_priority",
            "reassign_group",
        }:
            raise ValidationFailed(
                {"escalation": "Give notify_lead, raise_priority and reassign_group."}
            )
        group = raw.get("reassign_group")
        if group is not None and (not isinstance(group, str) or len(group) > 64):
            raise ValidationFailed(
                {"escalation.reassign_group": "A group name of at most 64 characters."}
            )
        changes["escalation"] = Escalation(
            notify_lead=bool(raw.get("notify_lead", True)),
            raise_priority=bool(raw.get("raise_priority", False)),
            reassign_group=group or None,
        )
    return dataclasses.replace(base, **changes)
