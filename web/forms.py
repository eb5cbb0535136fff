"""Turn submitted HTML forms into the values a `Form` validates.

Browsers send every value as text, repeat keys for multi-selects and omit
unchecked checkboxes; this maps that onto the form schema so the one
`Form.validate` decides for every channel.
"""

from __future__ import annotations

from typing import Any

from polydesk.core.forms import Form


def values_from_post(form: Form, posted: Any, *, prefix: str = "f_") -> dict[str, Any]:
    """Form values from a submitted multidict; field inputs are named `<prefix><key>`."""
    values: dict[str, Any] = {}
    for field in form.fields:
        name = prefix + field.key
        if field.type == "multiselect":
            chosen = posted.getall(name, []) if hasattr(posted, "getall") else posted.get(name, [])
            values[field.key] = [v for v in chosen if v]
        elif field.type == "checkbox":
            values[field.key] = name in posted
        elif field.type == "file":
            upload = posted.get(name)
            filename = getattr(upload, "filename", None)
            if filename:
                values[field.key] = filename
        else:
            raw = posted.get(name)
            if isinstance(raw, str) and raw.strip():
                values[field.key] = raw
    return values


def uploads_from_post(form: Form, posted: Any, *, prefix: str = "f_") -> list[tuple[str, Any]]:
    """(field key, UploadFile) for each file field that received a file."""
    found = []
    for field in form.fields:
        if field.type == "file":
            upload = posted.get(prefix + field.key)
            if getattr(upload, "filename", None):
                found.append((field.key, upload))
    return found
