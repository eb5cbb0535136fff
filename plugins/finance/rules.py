"""Rules across the fields of Finance's forms, for `polydesk_validate_request`."""

from __future__ import annotations

from typing import Any

from polydesk.core import gettext as _
from polydesk.plugins.finance.request_types import INVOICE_QUERY


def request_errors(request_type: str, form_data: dict[str, Any]) -> dict[str, str] | None:
    if request_type == INVOICE_QUERY.key:
        return invoice_query_errors(form_data)
    return None


def invoice_query_errors(form_data: dict[str, Any]) -> dict[str, str] | None:
    """An amount means nothing without its currency."""
    if form_data.get("amount") is not None and not form_data.get("currency"):
        return {"currency": _("Give the currency of the invoice amount.")}
    return None
