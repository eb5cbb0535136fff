"""Request forms as data: one object validates input, renders and exports JSON Schema.

A form is an ordered tuple of `FormField`s. The same `Form.validate` runs for
the portal, the API and email-created tickets, so every channel accepts and
refuses exactly the same input. A field hidden by `visible_when` is neither
required nor stored; keys the form does not declare are refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from polydesk.core.errors import ValidationFailed
from polydesk.core.i18n import gettext as _

FIELD_TYPES = (
    "text",
    "textarea",
    "number",
    "money",
    "date",
    "select",
    "multiselect",
    "checkbox",
    "email",
    "person",
    "file",
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_TEXT = 10_000


@dataclass(frozen=True)
class VisibleWhen:
    """Show a field only while another field holds one of `values`."""

    field: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class FormField:
    key: str
    type: str
    label: str
    help: str = ""
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    pattern: str | None = None
    visible_when: VisibleWhen | None = None
    #: A valid sample value: the input's placeholder and the demo's value.
    #: Required with `pattern`, and checked against it, so no form asks for a
    #: format it cannot show.
    example: str | None = None
    #: Bank details and the like: shown in full only to the department's agents
    #: on the ticket itself; masked in lists, for requesters and in the timeline.
    sensitive: bool = False

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"field {self.key!r}: unknown type {self.type!r}")
        if self.pattern and not self.example:
            raise ValueError(f"field {self.key!r}: a field with a pattern needs an example")
        if (
            self.example is not None
            and self.pattern
            and not re.fullmatch(self.pattern, self.example)
        ):
            raise ValueError(
                f"field {self.key!r}: example {self.example!r} does not match its pattern"
            )
        if self.type in ("select", "multiselect") and not self.choices:
            raise ValueError(f"field {self.key!r}: a {self.type} needs choices")


@dataclass(frozen=True)
class Form:
    fields: tuple[FormField, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        keys = [f.key for f in self.fields]
        if len(keys) != len(set(keys)):
            raise ValueError(f"duplicate field keys in form: {keys}")
        for f in self.fields:
            if f.visible_when and f.visible_when.field not in keys:
                raise ValueError(
                    f"field {f.key!r} depends on unknown field {f.visible_when.field!r}"
                )

    def field(self, key: str) -> FormField:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    def is_visible(self, f: FormField, values: dict[str, Any]) -> bool:
        if f.visible_when is None:
            return True
        return values.get(f.visible_when.field) in f.visible_when.values

    def validate(self, data: dict[str, Any] | None) -> dict[str, Any]:
        """Return the cleaned values, or raise `ValidationFailed` with a message per field."""
        data = dict(data or {})
        errors: dict[str, str] = {}
        known = {f.key for f in self.fields}
        for key in data:
            if key not in known:
                errors[key] = _("This field is not part of the form.")
        cleaned: dict[str, Any] = {}
        # Clean in declaration order so a `visible_when` sees its cleaned controller.
        for f in self.fields:
            if not self.is_visible(f, cleaned):
                continue
            raw = data.get(f.key)
            if _is_empty(raw):
                if f.required:
                    errors[f.key] = _("This field is required.")
                elif f.type == "checkbox":
                    cleaned[f.key] = False
                continue
            try:
                cleaned[f.key] = _clean(f, raw)
            except ValueError as exc:
                errors[f.key] = str(exc)
        if errors:
            raise ValidationFailed(errors)
        return cleaned

    def json_schema(self) -> dict[str, Any]:
        """The form as JSON Schema (draft 2020-12), as the API publishes it."""
        properties: dict[str, Any] = {}
        required: list[str] = []
        for f in self.fields:
            prop: dict[str, Any] = {"title": f.label, **_schema_type(f)}
            if f.help:
                prop["description"] = f.help
            if f.example is not None:
                prop["examples"] = [f.example]
            if f.visible_when:
                prop["x-visible-when"] = {
                    "field": f.visible_when.field,
                    "values": list(f.visible_when.values),
                }
            properties[f.key] = prop
            if f.required and f.visible_when is None:
                required.append(f.key)
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple) and len(value) == 0)


def _clean(f: FormField, raw: Any) -> Any:
    kind = f.type
    if kind in ("text", "textarea", "email", "person", "file"):
        if not isinstance(raw, str):
            raise ValueError(_("Expected text."))
        value = raw.strip()
        limit = f.max_length or MAX_TEXT
        if len(value) > limit:
            raise ValueError(_("At most %(max)s characters.", max=limit))
        if kind == "email" and not _EMAIL.match(value):
            raise ValueError(_("Enter an email address such as name@example.org."))
        if f.pattern and not re.fullmatch(f.pattern, value):
            raise ValueError(_("This value does not have the expected format."))
        if not value and f.required:
            raise ValueError(_("This field is required."))
        return value
    if kind in ("number", "money"):
        if isinstance(raw, bool):
            raise ValueError(_("Expected a number."))
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            raise ValueError(_("Expected a number.")) from None
        if not number.is_finite():
            raise ValueError(_("Expected a number."))
        if kind == "money":
            if number.as_tuple().exponent < -2:  # type: ignore[operator]
                raise ValueError(_("At most two decimal places."))
            number = number.quantize(Decimal("0.01"))
        _check_range(f, number)
        if kind == "money":
            return str(number)
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
    if kind == "select":
        allowed = {value for value, _ in f.choices}
        if raw not in allowed:
            raise ValueError(_("Choose one of: %(choices)s.", choices=", ".join(sorted(allowed))))
        return raw
    if kind == "multiselect":
        values = [raw] if isinstance(raw, str) else raw
        if not isinstance(values, list | tuple):
            raise ValueError(_("Expected a list of choices."))
        allowed = {value for value, _ in f.choices}
        bad = [v for v in values if v not in allowed]
        if bad:
            raise ValueError(_("Not a choice: %(values)s.", values=", ".join(map(str, bad))))
        return list(dict.fromkeys(values))
    if kind == "checkbox":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in ("on", "true", "1", "yes"):
            return True
        if isinstance(raw, str) and raw.lower() in ("off", "false", "0", "no"):
            return False
        raise ValueError(_("Expected true or false."))
    raise ValueError(f"Unsupported field type {kind}.")  # pragma: no cover - guarded in FormField


def _check_range(f: FormField, number: Decimal) -> None:
    if f.min is not None and number < Decimal(str(f.min)):
        raise ValueError(_("Must be at least %(min)s.", min=f"{f.min:g}"))
    if f.max is not None and number > Decimal(str(f.max)):
        raise ValueError(_("Must be at most %(max)s.", max=f"{f.max:g}"))


def _schema_type(f: FormField) -> dict[str, Any]:
    if f.type in ("number",):
        schema: dict[str, Any] = {"type": "number"}
    elif f.type == "money":
        schema = {"type": ["number", "string"], "format": "decimal"}
    elif f.type == "date":
        schema = {"type": "string", "format": "date"}
    elif f.type == "email":
        schema = {"type": "string", "format": "email"}
    elif f.type == "checkbox":
        schema = {"type": "boolean"}
    elif f.type == "select":
        schema = {"type": "string", "enum": [value for value, _ in f.choices]}
    elif f.type == "multiselect":
        schema = {
            "type": "array",
            "items": {"type": "string", "enum": [value for value, _ in f.choices]},
            "uniqueItems": True,
        }
    else:
        schema = {"type": "string", "maxLength": f.max_length or MAX_TEXT}
        if f.pattern:
            # JSON Schema patterns match anywhere; the server matches the whole value.
            schema["pattern"] = f"^(?:{f.pattern})$"
    if f.type in ("number", "money"):
        if f.min is not None:
            schema["minimum"] = f.min
        if f.max is not None:
            schema["maximum"] = f.max
    return schema


def mask(value: Any) -> str:
    """A sensitive value as lists show it: only its last four characters."""
    text = "".join(str(value).split())  # "PL61 1090 …" shows its last four characters, not "0 00"
    return "••••" + text[-4:] if len(text) > 6 else "••••"


def masked(form: Form, values: dict[str, Any]) -> dict[str, Any]:
    """`values` with every sensitive field of `form` masked."""
    sensitive = {f.key for f in form.fields if f.sensitive}
    return {
        k: (mask(v) if k in sensitive and v not in (None, "") else v) for k, v in values.items()
    }
